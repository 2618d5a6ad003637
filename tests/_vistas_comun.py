"""Comparador común de los tests de vistas e in situ contra PyTorch (el oráculo).

Un *escenario* es una función ``f(m, reg)`` que corre igual con ``m = torch`` y con
``m = tinygrad_es``: crea sus hojas con ``reg.hoja(...)``, marca en qué etapa está
(``reg.etapa = "insitu"``), registra los tensores cuyo valor final se compara
(``reg.salida(...)``), anota hechos que deben coincidir (``reg.hecho("es_vista",
v._is_view())``) y devuelve la pérdida escalar (o ``None``). ``comparar`` corre el
escenario en los dos módulos y exige que:

- o los dos lancen una excepción en la misma etapa, de la misma clase (y la nuestra diga
  "in situ" si la de torch trata de una operación in situ);
- o ninguno lance y coincidan los hechos, los valores finales, ``requires_grad`` de cada
  salida y de la pérdida, y los gradientes de todas las hojas tras ``perdida.backward()``.

Todo en float64.

Para comprobar que un escenario está bien escrito (que su mitad de torch es coherente), se
puede correr con ``VISTAS_SOLO_TORCH=1``: entonces ``comparar`` y ``modulos`` usan torch en
los dos lados.
"""
import contextlib
import os

import numpy as np

import tinygrad_es as tg

RTOL, ATOL = 1e-9, 1e-12
SOLO_TORCH = os.environ.get("VISTAS_SOLO_TORCH", "") == "1"

# Mensajes de torch que tratan de una operación in situ (o de vistas modificadas in situ).
# Si torch lanza otro error, el escenario está mal escrito (p. ej. una forma que no cuadra).
_ERRORES_IN_SITU_DE_TORCH = (
    "in-place operation",                 # hoja o vista de una hoja que requiere grad
    "modified by an inplace operation",   # valor guardado para backward y modificado después
    "modified inplace",                   # vista creada bajo no_grad
    "refers to a single memory location",  # escritura en un tensor expandido
)


def modulos(torch):
    """``(torch, tinygrad_es)``; ``(torch, torch)`` con ``VISTAS_SOLO_TORCH=1``."""
    return (torch, torch if SOLO_TORCH else tg)


def datos(forma, semilla):
    """Array float64 reproducible (normal estándar) para la forma dada."""
    return np.random.default_rng(semilla).standard_normal(tuple(forma))


def contexto(m, con_grad):
    """``nullcontext()`` con el modo gradiente activo; ``m.no_grad()`` sin él."""
    return contextlib.nullcontext() if con_grad else m.no_grad()


class Registro:
    """Lo que un escenario anota al correr en un módulo."""

    def __init__(self, m):
        self.m = m
        self.etapa = "inicio"
        self.hojas = {}
        self.salidas = {}
        self.con_requires_grad = set()
        self.hechos = {}

    def hoja(self, nombre, valores, requires_grad=True):
        t = self.m.tensor(np.array(valores, dtype=np.float64), requires_grad=requires_grad)
        if requires_grad:
            self.hojas[nombre] = t
        return t

    def constante(self, valores):
        return self.m.tensor(np.array(valores, dtype=np.float64))

    def salida(self, nombre, t, con_requires_grad=True):
        """Compara el valor final de ``t`` (y su ``requires_grad`` si ``con_requires_grad``)."""
        self.salidas[nombre] = t
        if con_requires_grad:
            self.con_requires_grad.add(nombre)
        return t

    def hecho(self, nombre, valor):
        """Un valor de Python (bool, tupla...) que debe ser igual en los dos módulos."""
        self.hechos[nombre] = valor


class Resultado:
    def __init__(self):
        self.etapa = None      # etapa en la que saltó la excepción (None si no saltó)
        self.error = None
        self.valores = {}
        self.requires_grad = {}
        self.grads = {}
        self.hechos = {}


def _numpy(t):
    return np.array(t.detach().numpy(), dtype=np.float64, copy=True)


def correr(m, escenario):
    """Corre ``escenario`` en el módulo ``m`` y devuelve un ``Resultado``."""
    reg = Registro(m)
    res = Resultado()
    try:
        perdida = escenario(m, reg)
        reg.etapa = "lectura"
        for nombre, t in reg.salidas.items():
            res.valores[nombre] = _numpy(t)
            if nombre in reg.con_requires_grad:
                res.requires_grad[nombre] = bool(t.requires_grad)
        if perdida is not None:
            res.requires_grad["perdida"] = bool(perdida.requires_grad)
            if perdida.requires_grad:
                reg.etapa = "backward"
                perdida.backward()
        reg.etapa = "gradientes"
        for nombre, t in reg.hojas.items():
            res.grads[nombre] = None if t.grad is None else _numpy(t.grad)
    except Exception as exc:   # noqa: BLE001 (se compara con lo que hizo torch)
        res.etapa, res.error = reg.etapa, exc
    res.hechos = reg.hechos
    return res


def es_error_in_situ_de_torch(exc):
    return isinstance(exc, RuntimeError) and any(
        texto in str(exc) for texto in _ERRORES_IN_SITU_DE_TORCH)


def comparar(torch, escenario, descripcion=""):
    """Corre ``escenario`` en torch y en tinygrad_es y exige el mismo comportamiento."""
    suyo = correr(torch, escenario)
    nuestro = correr(modulos(torch)[1], escenario)
    donde = f"[{descripcion}] " if descripcion else ""
    if suyo.error is not None:
        assert es_error_in_situ_de_torch(suyo.error), (
            f"{donde}el escenario está mal escrito: torch lanzó en la etapa {suyo.etapa!r} "
            f"{type(suyo.error).__name__}: {suyo.error}")
        assert nuestro.error is not None, (
            f"{donde}torch lanza {type(suyo.error).__name__} en la etapa {suyo.etapa!r} "
            f"({str(suyo.error)[:160]}...) y tinygrad_es no lanza nada")
        assert type(nuestro.error) is type(suyo.error) or isinstance(
            nuestro.error, type(suyo.error)), (
            f"{donde}torch lanza {type(suyo.error).__name__} y tinygrad_es "
            f"{type(nuestro.error).__name__}: {nuestro.error}")
        assert nuestro.etapa == suyo.etapa, (
            f"{donde}torch lanza en la etapa {suyo.etapa!r} y tinygrad_es en {nuestro.etapa!r}: "
            f"{nuestro.error}")
        assert SOLO_TORCH or "in situ" in str(nuestro.error), (
            f"{donde}el mensaje no dice 'in situ': {nuestro.error}")
        return suyo, nuestro
    assert nuestro.error is None, (
        f"{donde}torch no lanza y tinygrad_es lanza en la etapa {nuestro.etapa!r} "
        f"{type(nuestro.error).__name__}: {nuestro.error}")
    assert nuestro.hechos == suyo.hechos, f"{donde}hechos {nuestro.hechos} y torch {suyo.hechos}"
    for nombre, v in suyo.valores.items():
        n = nuestro.valores[nombre]
        assert n.shape == v.shape, f"{donde}{nombre}: forma {n.shape} y torch {v.shape}"
        np.testing.assert_allclose(n, v, rtol=RTOL, atol=ATOL,
                                   err_msg=f"{donde}valor final de {nombre}")
    assert nuestro.requires_grad == suyo.requires_grad, (
        f"{donde}requires_grad {nuestro.requires_grad} y torch {suyo.requires_grad}")
    for nombre, g in suyo.grads.items():
        n = nuestro.grads[nombre]
        if g is None:
            assert n is None, f"{donde}{nombre}.grad debería ser None (como en torch)"
            continue
        assert n is not None, f"{donde}{nombre}.grad es None y torch tiene gradiente"
        assert n.shape == g.shape, f"{donde}{nombre}.grad: forma {n.shape} y torch {g.shape}"
        np.testing.assert_allclose(n, g, rtol=RTOL, atol=ATOL,
                                   err_msg=f"{donde}gradiente de {nombre}")
    return suyo, nuestro
