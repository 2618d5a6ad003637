"""Vistas y operaciones in situ exactamente como PyTorch (issue #14), con torch de oráculo.

Cada caso corre el mismo código en torch y en tinygrad_es (float64) con
``_vistas_comun.comparar``: o los dos lanzan (misma clase y en la misma etapa; el nuestro
dice "in situ") o ninguno, y entonces coinciden los valores finales y los gradientes de
todas las hojas.

La matriz: cada vista x cada operación in situ sobre ella x (el valor de la base guardado
para backward por ``base.sin()`` antes de modificarla, o no) x (la base es una hoja con
grad, un intermedio ``x * 1`` o un tensor sin grad) x modo gradiente:

- ``con_grad``: la vista y la operación in situ con el gradiente activo;
- ``sin_grad``: las dos dentro de ``no_grad()`` (la pérdida, después, con gradiente);
- ``vista_sin_grad``: la vista creada dentro de ``no_grad()`` y modificada fuera.

La pérdida es ``(base * w1).sum() + (vista * w2).sum() [+ (base.sin() * w3).sum()]`` con
pesos aleatorios fijos; el término de la vista (y su ``requires_grad``) solo si se creó con
el gradiente activo: una vista creada bajo ``no_grad`` de una base con grad es, en torch,
una rareza (``requires_grad=True`` sin ``grad_fn``) que la matriz no mira; la fija aparte
``test_vista_bajo_no_grad_de_una_base_con_grad_requires_grad_como_torch``.

Cada elemento de la matriz de pytest es (vista, operación, modo) y recorre los 6 casos de
(guardada, tipo de base); si falla, su mensaje lista cada caso con su motivo.
``VISTAS_SOLO_TORCH=1`` corre torch en los dos lados (comprueba que los tests son coherentes).
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _vistas_comun import comparar, contexto, datos, modulos

# --- las vistas: (id, forma de la base, f(base) -> vista) ----------------------------------
VISTAS = [
    ("rebanada", (4, 3), lambda t: t[1:3]),
    ("rebanada_con_paso", (5, 3), lambda t: t[::2, 1:]),
    ("rebanada_negativa", (4, 3), lambda t: t[-3:-1, -2:]),
    ("entero", (4, 3), lambda t: t[1]),
    ("entero_1d_0d", (4,), lambda t: t[2]),
    ("none_y_puntos", (4, 3), lambda t: t[None, ..., 1]),
    ("view", (4, 3), lambda t: t.view(2, 6)),
    ("view_menos_uno", (4, 3), lambda t: t.view(-1)),
    ("reshape", (4, 3), lambda t: t.reshape(3, 4)),
    ("t", (4, 3), lambda t: t.t()),
    ("T", (4, 3), lambda t: t.T),
    ("transpose", (2, 3, 2), lambda t: t.transpose(0, 2)),
    ("permute", (2, 3, 2), lambda t: t.permute(2, 0, 1)),
    ("squeeze", (4, 1, 3), lambda t: t.squeeze(1)),
    ("unsqueeze", (4, 3), lambda t: t.unsqueeze(1)),
    ("expand", (4, 1), lambda t: t.expand(4, 3)),
    ("narrow", (4, 3), lambda t: t.narrow(0, 1, 2)),
    ("select", (4, 3), lambda t: t.select(1, 2)),
    ("unflatten", (4, 3), lambda t: t.unflatten(0, (2, 2))),
    ("detach", (4, 3), lambda t: t.detach()),
    ("diagonal", (4, 3), lambda t: t.diagonal()),
    ("split", (4, 3), lambda t: t.split(2)[1]),
    ("chunk", (4, 3), lambda t: t.chunk(3, dim=1)[0]),
    ("unbind", (4, 3), lambda t: t.unbind(1)[2]),
    ("vista_de_vista", (4, 3), lambda t: t[1:].t()[0]),
]
_VISTA = {nombre: (forma, f) for nombre, forma, f in VISTAS}


# --- las operaciones in situ sobre la vista ``v``; ``u`` es una hoja con grad de su forma ---
def _indices(v):
    """Índice avanzado sin repetidos sobre la primera dimensión de ``v``."""
    n = v.shape[0]
    return [0, n - 1] if n > 1 else [0]


def _setitem_basico(v, u):
    if v.dim() == 0:
        v[...] = u
    else:
        v[0] = u[0]


def _setitem_avanzado(v, u):
    i = _indices(v)
    v[i] = u[i]


def _setitem_mascara(v, u):
    mascara = v > 0
    v[mascara] = u[mascara]


def _setitem_iadd(v, u):
    if v.dim() == 0:
        v[...] += u
    else:
        v[0] += u[0] * 2


def _iadd(v, u):
    v += u


INSITU = [
    ("add_tensor", lambda v, u: v.add_(u)),
    ("add_cte", lambda v, u: v.add_(1.5)),
    ("mul_cte", lambda v, u: v.mul_(2.0)),
    ("mul_tensor", lambda v, u: v.mul_(u)),
    ("iadd_tensor", _iadd),
    ("zero_", lambda v, u: v.zero_()),
    ("fill_", lambda v, u: v.fill_(2.5)),
    ("copy_", lambda v, u: v.copy_(u)),
    ("clamp_", lambda v, u: v.clamp_(-0.5, 0.5)),
    ("setitem_basico", _setitem_basico),
    ("setitem_avanzado", _setitem_avanzado),
    ("setitem_mascara", _setitem_mascara),
    ("setitem_iadd", _setitem_iadd),
]
_INSITU = dict(INSITU)

# Casos que no se fijan:
# - un índice avanzado sobre un tensor de 0 dimensiones (no tiene sentido);
# - ``v[...] += u`` con ``v`` de 0 dimensiones: torch lanza "a leaf Variable that requires
#   grad..." aunque nada sea hoja (una rareza de su ``alias``); ``x[2] += u`` sí se prueba;
# - escribir con índice avanzado o máscara en un tensor expandido: torch lo acepta con un
#   aviso de "deprecated" y escribe varias veces en la misma memoria;
# - ``zero_``/``fill_`` en un tensor expandido: torch no comprueba el solapamiento en el
#   forward y, si hay grafo, falla en el backward ("single memory location").
_EXCLUIDOS = {("entero_1d_0d", "setitem_avanzado"), ("entero_1d_0d", "setitem_iadd"),
              ("expand", "setitem_avanzado"), ("expand", "setitem_mascara"),
              ("expand", "zero_"), ("expand", "fill_")}

BASES = ["hoja", "intermedio", "sin_grad"]
MODOS = ["con_grad", "sin_grad", "vista_sin_grad"]
# Cada elemento de la matriz de pytest es (vista, operación, modo) y recorre dentro los 6
# casos (guardada o no) x (tipo de base): así la matriz entera cabe en pocos segundos. Un
# fallo lista todos los casos que fallan con su motivo.
SUBCASOS = [(g, b) for g in (True, False) for b in BASES]
MATRIZ = [pytest.param(v, o, modo, id=f"{v}-{o}-{modo}")
          for v, _, _ in VISTAS for o, _ in INSITU if (v, o) not in _EXCLUIDOS for modo in MODOS]


def escenario_matriz(vista, insitu, guardada, tipo_base, modo):
    forma, hacer_vista = _VISTA[vista]
    return escenario_vista(forma, hacer_vista, _INSITU[insitu], guardada, tipo_base, modo)


def escenario_vista(forma, hacer_vista, modificar, guardada, tipo_base, modo):
    """Base -> (sin() guardado) -> vista -> in situ sobre la vista -> pérdida ponderada."""

    def escenario(m, reg):
        valores = datos(forma, 1)
        if tipo_base == "hoja":
            base = reg.hoja("base", valores)
        elif tipo_base == "intermedio":
            base = reg.hoja("x", valores) * 1
        else:
            base = reg.constante(valores)
        guardado = base.sin() if guardada else None     # sin() guarda su entrada
        reg.etapa = "vista"
        with contexto(m, modo == "con_grad"):
            v = hacer_vista(base)
        forma_v = tuple(v.shape)
        u = reg.hoja("u", datos(forma_v, 2))
        reg.etapa = "insitu"
        with contexto(m, modo != "sin_grad"):
            modificar(v, u)
        reg.etapa = "perdida"
        reg.salida("base", base)
        reg.salida("vista", v, con_requires_grad=modo == "con_grad")
        perdida = (base * reg.constante(datos(forma, 3))).sum()
        if modo == "con_grad":
            perdida = perdida + (v * reg.constante(datos(forma_v, 4))).sum()
        if guardado is not None:
            perdida = perdida + (guardado * reg.constante(datos(forma, 5))).sum()
        return perdida

    return escenario


@pytest.mark.parametrize("vista,insitu,modo", MATRIZ)
def test_matriz_vistas_por_in_situ(requiere_torch, vista, insitu, modo):
    fallos = []
    for guardada, tipo_base in SUBCASOS:
        caso = f"{vista}-{insitu}-{'guardada' if guardada else 'libre'}-{tipo_base}-{modo}"
        try:
            comparar(requiere_torch, escenario_matriz(vista, insitu, guardada, tipo_base, modo))
        except AssertionError as exc:
            lineas = [linea.strip() for linea in str(exc).splitlines() if linea.strip()]
            fallos.append(f"{caso}: {' | '.join(lineas[:3])[:300]}")
    if fallos:
        pytest.fail(f"{len(fallos)} de {len(SUBCASOS)} casos difieren de torch:\n"
                    + "\n".join(fallos), pytrace=False)


# --- más operaciones in situ sobre unas pocas vistas -----------------------------------------
def _isub(v, u):
    v -= u


def _imul(v, u):
    v *= u


def _itruediv(v, u):
    v /= 2.0


OTRAS_INSITU = [
    ("sub_tensor", lambda v, u: v.sub_(u)),
    ("sub_alpha", lambda v, u: v.sub_(u, alpha=3)),
    ("add_alpha", lambda v, u: v.add_(u, alpha=0.5)),
    ("div_cte", lambda v, u: v.div_(4.0)),
    ("div_tensor", lambda v, u: v.div_(u.abs() + 1)),
    ("isub_tensor", _isub),
    ("imul_tensor", _imul),
    ("itruediv_cte", _itruediv),
    ("clamp_min", lambda v, u: v.clamp_(min=0.0)),
    ("dos_seguidas", lambda v, u: v.mul_(u).add_(u)),
]
POCAS_VISTAS = ["rebanada", "entero", "t", "view", "select", "diagonal", "vista_de_vista"]


@pytest.mark.parametrize("tipo_base", ["intermedio", "sin_grad"])
@pytest.mark.parametrize("guardada", [True, False], ids=["guardada", "libre"])
@pytest.mark.parametrize("insitu", [o for o, _ in OTRAS_INSITU])
@pytest.mark.parametrize("vista", POCAS_VISTAS)
def test_otras_in_situ_sobre_vistas(requiere_torch, vista, insitu, guardada, tipo_base):
    forma, hacer_vista = _VISTA[vista]
    comparar(requiere_torch, escenario_vista(forma, hacer_vista, dict(OTRAS_INSITU)[insitu],
                                             guardada, tipo_base, "con_grad"))


# --- _base y _is_view() ------------------------------------------------------------------
# Además de las vistas de la matriz: lo que NO es vista (copias) y casos límite.
NO_VISTAS_Y_LIMITES = [
    ("indice_avanzado", (4, 3), lambda t: t[[0, 2]]),
    ("avanzado_y_rebanada", (4, 3), lambda t: t[[1, 3], 1:]),
    ("mascara", (4, 3), lambda t: t[t > 0]),
    ("aritmetica", (4, 3), lambda t: t * 1),
    ("clone", (4, 3), lambda t: t.clone()),
    ("reshape_no_contiguo", (4, 3), lambda t: t.t().reshape(-1)),
    ("flatten_no_contiguo", (4, 3), lambda t: t.t().flatten()),
    ("contiguous_de_no_contiguo", (4, 3), lambda t: t.t().contiguous()),
    ("flatten", (4, 3), lambda t: t.flatten()),
    ("reshape_misma_forma", (4, 3), lambda t: t.reshape(4, 3)),
    ("view_misma_forma", (4, 3), lambda t: t.view(4, 3)),
    ("squeeze_sin_unos", (4, 3), lambda t: t.squeeze()),
    ("expand_misma_forma", (4, 3), lambda t: t.expand(4, 3)),
    ("rebanada_completa", (4, 3), lambda t: t[:]),
    ("puntos_suspensivos", (4, 3), lambda t: t[...]),
    ("T_T", (4, 3), lambda t: t.T.T),
    ("tres_niveles", (4, 3), lambda t: t.view(2, 6)[1:].unsqueeze(0)),
]
TODAS_LAS_VISTAS = VISTAS + NO_VISTAS_Y_LIMITES


@pytest.mark.parametrize("tipo_base", ["hoja", "intermedio", "sin_grad"])
@pytest.mark.parametrize("nombre,forma,f", TODAS_LAS_VISTAS, ids=[v[0] for v in TODAS_LAS_VISTAS])
def test_base_e_is_view_como_torch(requiere_torch, nombre, forma, f, tipo_base):
    """``_is_view()``, ``_base`` (la base raíz, también en una vista de una vista) y ``is``."""

    def escenario(m, reg):
        if tipo_base == "hoja":
            base = reg.hoja("base", datos(forma, 1))
        elif tipo_base == "intermedio":
            base = reg.hoja("x", datos(forma, 1)) * 1
        else:
            base = reg.constante(datos(forma, 1))
        v = f(base)
        reg.hecho("es_vista", v._is_view())
        reg.hecho("base_es_la_raiz", v._base is base)
        reg.hecho("base_es_None", v._base is None)
        reg.hecho("es_el_mismo_tensor", v is base)
        reg.hecho("base_de_la_base", None if v._base is None else v._base._base is None)
        reg.hecho("requires_grad", v.requires_grad)
        reg.hecho("es_hoja", v.is_leaf)
        reg.salida("vista", v)
        return None

    comparar(requiere_torch, escenario)


def test_base_de_una_vista_de_una_vista_es_la_raiz(requiere_torch):
    for m in modulos(requiere_torch):
        x = m.zeros(4, 3, dtype=m.float64)
        a = x[1:]
        b = a.t()
        c = b[0]
        assert a._base is x and b._base is x and c._base is x
        assert x._base is None and not x._is_view()
        d = x.detach()
        assert not d._is_view() and d._base is None   # detach comparte memoria pero no es vista


# --- el contador de versión es compartido ----------------------------------------------------
# ``expand`` no: torch deja hacer ``zero_()`` en un tensor expandido (no comprueba el
# solapamiento en fill_) y las demás operaciones in situ fallan antes; no se fija esa rareza.
ESCRIBIBLES = [v for v in VISTAS if v[0] != "expand"]


@pytest.mark.parametrize("nombre,forma,f", ESCRIBIBLES, ids=[v[0] for v in ESCRIBIBLES])
def test_modificar_una_vista_invalida_la_base_guardada(requiere_torch, nombre, forma, f):
    """``s = y.sin()`` guarda ``y``; modificar cualquier vista de ``y`` hace fallar backward."""

    def escenario(m, reg):
        y = reg.hoja("x", datos(forma, 1)) * 1
        s = y.sin()
        reg.etapa = "insitu"
        with m.no_grad():
            f(y).zero_()
        reg.etapa = "perdida"
        reg.salida("y", y)
        return (s * reg.constante(datos(forma, 2))).sum()

    suyo, _ = comparar(requiere_torch, escenario)
    assert suyo.etapa == "backward"


@pytest.mark.parametrize("nombre,forma,f", VISTAS, ids=[v[0] for v in VISTAS])
def test_modificar_la_base_invalida_la_vista_guardada(requiere_torch, nombre, forma, f):
    """``s = vista.sin()`` guarda la vista; modificar la base hace fallar su backward."""

    def escenario(m, reg):
        x = reg.hoja("x", datos(forma, 1))
        y = x * 1
        s = f(y).sin()
        reg.etapa = "insitu"
        y.mul_(2.0)
        reg.etapa = "perdida"
        reg.salida("y", y)
        return (s * reg.constante(datos(tuple(s.shape), 2))).sum() + (y * 1).sum()

    comparar(requiere_torch, escenario)


def test_vistas_hermanas_comparten_contador(requiere_torch):
    """Dos vistas que no se solapan comparten contador: modificar una invalida la otra."""

    def escenario(m, reg):
        y = reg.hoja("x", datos((4,), 1)) * 1
        s = y[0].sin()
        reg.etapa = "insitu"
        y[1:].mul_(2.0)
        reg.etapa = "perdida"
        return s * 3

    suyo, _ = comparar(requiere_torch, escenario)
    assert suyo.etapa == "backward"


def test_detach_modificado_in_situ_invalida_lo_guardado(requiere_torch):
    def escenario(m, reg):
        x = reg.hoja("x", datos((3,), 1))
        s = x.sin()
        reg.etapa = "insitu"
        d = x.detach()
        d.add_(1.0)
        reg.hecho("requires_grad_del_detach", d.requires_grad)
        reg.etapa = "perdida"
        reg.salida("x", x)
        return s.sum()

    suyo, _ = comparar(requiere_torch, escenario)
    assert suyo.etapa == "backward"


def test_detach_modificado_in_situ_cambia_el_original(requiere_torch):
    def escenario(m, reg):
        x = reg.hoja("x", datos((3,), 1))
        y = x * 2
        y.detach().zero_()                      # con el gradiente activo: se permite
        reg.salida("y", y)
        reg.salida("x", x)
        return (y * reg.constante(datos((3,), 2))).sum()

    comparar(requiere_torch, escenario)


def test_data_no_comparte_contador_como_torch(requiere_torch):
    """``.data`` (a diferencia de ``detach()``) no avisa: torch no comprueba la versión."""

    def escenario(m, reg):
        x = reg.hoja("x", datos((3,), 1))
        s = x.sin()
        x.data.add_(1.0)
        reg.salida("x", x)
        return (s * reg.constante(datos((3,), 2))).sum()

    suyo, _ = comparar(requiere_torch, escenario)
    assert suyo.error is None


# --- casos concretos -----------------------------------------------------------------------
def test_entero_de_1d_es_vista_0d_y_mas_igual_cambia_x(requiere_torch):
    for m in modulos(requiere_torch):
        x = m.tensor([1.0, 2.0, 3.0])
        e = x[0]
        assert e.dim() == 0 and e._is_view() and e._base is x
        e += 5
        assert x.tolist() == [6.0, 2.0, 3.0] and e.item() == 6.0
        x[1] += 10
        assert x.tolist() == [6.0, 12.0, 3.0]


def test_entero_de_1d_mas_igual_con_gradiente(requiere_torch):
    def escenario(m, reg):
        y = reg.hoja("x", datos((3,), 1)) * 1
        u = reg.hoja("u", 0.75)
        e = y[0]
        e += u * 2
        e *= u
        reg.salida("y", y)
        reg.salida("e", e)
        return (y * reg.constante(datos((3,), 2))).sum() + e * 3

    comparar(requiere_torch, escenario)


def test_vista_de_vista_de_vista_modificada(requiere_torch):
    def escenario(m, reg):
        y = reg.hoja("x", datos((4, 3), 1)) * 1
        a = y.view(2, 6)
        b = a[:, 1:]
        c = b.unflatten(1, (5, 1))[1]
        c.mul_(reg.hoja("u", datos((5, 1), 2)))
        reg.hecho("bases", (a._base is y, b._base is y, c._base is y))
        for nombre, t in (("y", y), ("a", a), ("b", b), ("c", c)):
            reg.salida(nombre, t)
        return sum((t * reg.constante(datos(tuple(t.shape), k))).sum()
                   for k, t in enumerate((y, a, b, c), start=3))

    comparar(requiere_torch, escenario)


@pytest.mark.parametrize("usada_antes", [False, True], ids=["nueva", "usada_antes"])
def test_dos_vistas_una_modificada_la_otra_se_regenera(requiere_torch, usada_antes):
    """``b`` se creó antes de modificar ``a``; al usarla después su grad_fn debe rehacerse."""

    def escenario(m, reg):
        y = reg.hoja("x", datos((4, 3), 1)) * 1
        a = y[:2]
        b = y[1:, 1]
        antes = (b * 2).sum() if usada_antes else 0
        a.mul_(reg.hoja("u", datos((2, 3), 2)))
        reg.salida("a", a)
        reg.salida("b", b)
        reg.salida("y", y)
        return antes + (b * reg.constante(datos((3,), 3))).sum() + (a * a).sum()

    comparar(requiere_torch, escenario)


def test_la_base_modificada_y_luego_la_vista_usada(requiere_torch):
    """Al revés: se modifica la base y se usa una vista creada antes."""

    def escenario(m, reg):
        y = reg.hoja("x", datos((4, 3), 1)) * 1
        v = y.t()[1]
        y.mul_(reg.hoja("u", datos((4, 3), 2)))
        y[0] = reg.hoja("w", datos((3,), 3))
        reg.salida("v", v)
        return (v * reg.constante(datos((4,), 4))).sum()

    comparar(requiere_torch, escenario)


def test_vista_bajo_no_grad_de_una_base_con_grad_requires_grad_como_torch(requiere_torch):
    """Rareza de torch: la vista creada bajo no_grad dice requires_grad=True, sin grad_fn."""
    for m in modulos(requiere_torch):
        x = m.ones(3, dtype=m.float64, requires_grad=True)
        with m.no_grad():
            v = x[0]
        assert v.requires_grad and v.grad_fn is None and v._is_view() and v._base is x
        with pytest.raises(RuntimeError, match="no_grad" if m is requiere_torch else "in situ"):
            v.mul_(2)


def test_vista_bajo_no_grad_modificada_con_grad_aunque_la_base_no_tenga_grad(requiere_torch):
    """torch también lo prohíbe si la base no requiere grad pero el valor escrito sí."""

    def escenario(m, reg):
        z = reg.constante(datos((4,), 1))
        with m.no_grad():
            v = z[1:]
        reg.etapa = "insitu"
        v.add_(reg.hoja("u", datos((3,), 2)))
        return (z * 2).sum()

    suyo, _ = comparar(requiere_torch, escenario)
    assert suyo.etapa == "insitu"


@pytest.mark.parametrize("trozo", ["split", "chunk", "unbind"])
def test_trozos_de_split_chunk_unbind_no_se_modifican_con_grad(requiere_torch, trozo):
    """torch prohíbe modificar in situ (con grad) las salidas de una función de varias vistas."""

    def escenario(m, reg):
        y = reg.hoja("x", datos((4, 3), 1)) * 1
        piezas = {"split": y.split(2), "chunk": y.chunk(2), "unbind": y.unbind()}[trozo]
        reg.hecho("son_vistas", tuple(p._is_view() and p._base is y for p in piezas))
        with m.no_grad():
            piezas[0].mul_(3.0)          # sin grad sí se puede (y la base cambia)
        reg.salida("y", y)
        reg.etapa = "insitu"
        piezas[-1].add_(1.0)
        return y.sum()

    suyo, _ = comparar(requiere_torch, escenario)
    assert suyo.etapa == "insitu"


# --- hypothesis ----------------------------------------------------------------------------
# ``requiere_torch`` solo devuelve el módulo torch: reutilizarlo entre ejemplos es inocuo.
_con_fixture = settings(report_multiple_bugs=False,
                        suppress_health_check=[HealthCheck.function_scoped_fixture,
                                               HealthCheck.too_slow])


@st.composite
def _rebanada(draw, n):
    inicio = draw(st.one_of(st.none(), st.integers(-n - 1, n + 1)))
    fin = draw(st.one_of(st.none(), st.integers(-n - 1, n + 1)))
    paso = draw(st.one_of(st.none(), st.integers(1, 3)))
    return slice(inicio, fin, paso)


@st.composite
def _caso_rebanadas(draw):
    forma = (draw(st.integers(1, 5)), draw(st.integers(1, 5)))
    indice = (draw(_rebanada(forma[0])), draw(_rebanada(forma[1])))
    return forma, indice


_OPS_REBANADA = ["add_tensor", "mul_tensor", "copy_", "clamp_", "setitem_mascara", "iadd_tensor"]


@given(caso=_caso_rebanadas(), insitu=st.sampled_from(_OPS_REBANADA),
       guardada=st.booleans(), tipo_base=st.sampled_from(["intermedio", "sin_grad"]))
@_con_fixture
def test_rebanadas_aleatorias(requiere_torch, caso, insitu, guardada, tipo_base):
    forma, indice = caso

    def hacer_vista(t):
        return t[indice]

    escenario = escenario_vista(forma, hacer_vista, _INSITU[insitu], guardada, tipo_base,
                                "con_grad")
    comparar(requiere_torch, escenario, f"{forma}[{indice}] {insitu}")

    def hechos(m, reg):
        base = reg.constante(datos(forma, 1))
        v = base[indice]
        reg.hecho("vista", (v._is_view(), v._base is base, tuple(v.shape)))
        return None

    comparar(requiere_torch, hechos)


@st.composite
def _caso_avanzado(draw):
    n = draw(st.integers(1, 6))
    k = draw(st.integers(0, 3))                     # 0: base 1-D
    perm = draw(st.permutations(range(n)))
    cuantos = draw(st.integers(1, n))
    negativos = draw(st.lists(st.booleans(), min_size=cuantos, max_size=cuantos))
    idx = [i - n if neg else i for i, neg in zip(perm[:cuantos], negativos)]
    como = draw(st.sampled_from(["lista", "tensor"]))
    asignacion = draw(st.sampled_from(["=", "+=", "*=", "= escalar"]))
    forma = (n,) if k == 0 else (n, k)
    return forma, idx, como, asignacion


@given(caso=_caso_avanzado(), tipo_base=st.sampled_from(["intermedio", "sin_grad"]))
@_con_fixture
def test_setitem_indices_enteros_aleatorios(requiere_torch, caso, tipo_base):
    """``x[idx] = v`` / ``x[idx] += v`` con índices sin repetir (v con grad)."""
    forma, idx, como, asignacion = caso

    def escenario(m, reg):
        valores = datos(forma, 1)
        y = reg.hoja("x", valores) * 1 if tipo_base == "intermedio" else reg.constante(valores)
        i = m.tensor(idx) if como == "tensor" else idx
        v = reg.hoja("v", datos((len(idx),) + forma[1:], 2))
        if asignacion == "=":
            y[i] = v
        elif asignacion == "+=":
            y[i] += v * 2
        elif asignacion == "*=":
            y[i] *= v
        else:
            y[i] = 0.5
        reg.salida("y", y)
        return (y * reg.constante(datos(forma, 3))).sum()

    comparar(requiere_torch, escenario, f"{forma}[{idx}] {asignacion}")


@st.composite
def _caso_mascara(draw):
    forma = draw(st.sampled_from([(5,), (2, 3), (3, 2), (2, 2, 2)]))
    n = int(np.prod(forma))
    mascara = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n))).reshape(forma)
    asignacion = draw(st.sampled_from(["=", "+=", "= escalar", "= 0d"]))
    return forma, mascara, asignacion


@given(caso=_caso_mascara(), tipo_base=st.sampled_from(["intermedio", "sin_grad"]))
@_con_fixture
def test_setitem_mascaras_aleatorias(requiere_torch, caso, tipo_base):
    forma, mascara, asignacion = caso

    def escenario(m, reg):
        valores = datos(forma, 1)
        y = reg.hoja("x", valores) * 1 if tipo_base == "intermedio" else reg.constante(valores)
        mk = m.tensor(mascara)
        v = reg.hoja("v", datos((int(mascara.sum()),), 2))
        if asignacion == "=":
            y[mk] = v
        elif asignacion == "+=":
            y[mk] += v.exp()
        elif asignacion == "= escalar":
            y[mk] = -1.0
        else:
            y[mk] = reg.hoja("w", 0.25) * 4      # un 0-d con grad se difunde
        reg.salida("y", y)
        return (y * reg.constante(datos(forma, 3))).sum()

    comparar(requiere_torch, escenario, f"{forma} {asignacion}")


@st.composite
def _bucle_del_curso(draw):
    n = draw(st.integers(2, 4))
    pasos = draw(st.lists(
        st.tuples(st.sampled_from(["+=", "=", "-=", "*="]),
                  st.integers(0, n - 1),
                  st.sampled_from(["entero", "rebanada", "columna"]),
                  st.integers(0, n - 1)),
        min_size=1, max_size=6))
    return n, pasos


@given(caso=_bucle_del_curso())
@_con_fixture
def test_bucles_del_curso_dC_idx_mas_igual(requiere_torch, caso):
    """Como en el curso: ``dC[idx] += expr`` en un bucle y ``X[:, 1] = x``."""
    n, pasos = caso

    def escenario(m, reg):
        p = reg.hoja("p", datos((n,), 1))
        W = reg.hoja("W", datos((n, 3), 2))
        dC = m.zeros(n, 3, dtype=m.float64)
        X = m.ones(n, 3, dtype=m.float64)
        X[:, 1] = p                              # columna con grad en un tensor sin grad
        for asignacion, i, tipo, j in pasos:
            expr = (W[j] * p[i]).sin()           # forma (3,)
            if tipo == "entero":
                destino = i
            elif tipo == "rebanada":
                destino = slice(i, i + 1)
                expr = expr.unsqueeze(0)
            else:
                destino = (slice(None), j % 3)
                expr = expr.sum() * p
            if asignacion == "+=":
                dC[destino] += expr
            elif asignacion == "-=":
                dC[destino] -= expr
            elif asignacion == "*=":
                dC[destino] *= expr
            else:
                dC[destino] = expr
        reg.salida("dC", dC)
        reg.salida("X", X)
        return (dC * X).sum() + (X @ W.t()).pow(2).sum()

    comparar(requiere_torch, escenario, str(pasos))
