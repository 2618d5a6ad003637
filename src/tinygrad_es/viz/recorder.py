"""Modo de registro opcional: valores intermedios y el gradiente de cada arista.

Fuera de este modo el grafo solo guarda su estructura (operación, padres, forma, tipo,
módulo). Dentro de ``with viz.registrar():`` el núcleo avisa al registrador:

- ``on_forward(nodo, entradas, salida)`` al crear cada nodo (se guarda una copia de la salida
  y de las entradas que no necesitan gradiente: los datos ``X``, las constantes);
- ``on_backward_start(raiz, semilla)`` al empezar un backward;
- ``on_node(nodo, gradiente)`` cuando el motor procesa un nodo con su gradiente ya sumado;
- ``on_edge(nodo, posicion, padre, gradiente)`` por cada gradiente enviado a una entrada.

Lo registrado vive en un diccionario de referencias débiles indexado por nodo: no mantiene
vivo ningún grafo, y ``draw_graph(perdida)`` lo encuentra sin pasarle nada más.
"""
import itertools
import weakref

import numpy as np

from ..autograd.graph import grad_mode
from ..tensor import Tensor

_REGISTROS = weakref.WeakKeyDictionary()   # nodo -> RegistroNodo
_PASADAS = itertools.count(1)              # identificador de cada backward registrado


def registro(nodo):
    """Lo registrado para ``nodo`` (un ``RegistroNodo``) o ``None``."""
    if nodo is None:
        return None
    return _REGISTROS.get(nodo)


class Constante:
    """Entrada de una operación que no necesita gradiente: un tensor de datos o un escalar."""

    __slots__ = ("valor", "tensor", "es_tensor")

    def __init__(self, valor, tensor=None):
        self.valor = valor                      # copia del array
        self.tensor = tensor                    # referencia débil al Tensor, o None
        self.es_tensor = tensor is not None


class RegistroNodo:
    """Lo que se sabe de un nodo gracias al registro.

    - ``valor``: copia de la salida de la operación (``None`` si el forward no se registró);
    - ``entradas``: por posición, ``None`` (entrada con gradiente) o una ``Constante``;
    - ``gradiente``: gradiente total que recibió la salida en el último backward;
    - ``recibidos``: contribuciones que se sumaron para formarlo:
      ``(registro del hijo, posición en el hijo, gradiente)``;
    - ``aristas``: ``{posición: gradiente enviado a esa entrada}``.
    """

    __slots__ = ("valor", "entradas", "gradiente", "recibidos", "aristas", "pasada",
                 "__weakref__")

    def __init__(self):
        self.valor = None
        self.entradas = None
        self.gradiente = None
        self.recibidos = []
        self.aristas = {}
        self.pasada = 0


def _obtener(nodo):
    reg = _REGISTROS.get(nodo)
    if reg is None:
        reg = _REGISTROS[nodo] = RegistroNodo()
    return reg


class Registrador:
    """Recibe los avisos del núcleo mientras está activo (ver ``registrar``).

    ``pasos`` guarda, en orden de ejecución, los nodos que procesó el último backward
    (es lo que imprime ``trace_backward``).
    """

    def __init__(self):
        self.pasos = []
        self.semilla = None
        self._pasada = 0
        self._previo = None
        self._entradas = {}   # id(tensor) -> (tensor, Constante) mientras está activo

    # --- avisos del forward -----------------------------------------------
    def on_forward(self, nodo, entradas, salida):
        reg = _obtener(nodo)
        reg.valor = np.array(salida, copy=True)
        padres = nodo.parents
        if None in padres:
            reg.entradas = tuple(
                self._constante(x) if padre is None else None
                for x, padre in zip(entradas, padres))

    def _constante(self, x):
        if isinstance(x, Tensor):
            visto = self._entradas.get(id(x))
            if visto is not None and visto[0] is x:
                return visto[1]
            constante = Constante(np.array(x._data, copy=True), weakref.ref(x))
            self._entradas[id(x)] = (x, constante)
            return constante
        valor = np.array(x, copy=True)
        return Constante(valor) if valor.dtype.kind in "biufc" else None

    # --- avisos del backward ----------------------------------------------
    def on_backward_start(self, raiz, semilla):
        self._pasada = next(_PASADAS)
        self.pasos = []
        self.semilla = np.array(semilla, copy=True)

    def on_node(self, nodo, gradiente):
        reg = self._para_backward(nodo)
        reg.gradiente = np.array(gradiente, copy=True)
        self.pasos.append(nodo)

    def on_edge(self, nodo, posicion, padre, gradiente):
        gradiente = np.array(gradiente, copy=True)   # el motor puede sumarle otros después
        reg = self._para_backward(nodo)
        reg.aristas[posicion] = gradiente
        self._para_backward(padre).recibidos.append((reg, posicion, gradiente))

    def _para_backward(self, nodo):
        reg = _obtener(nodo)
        if reg.pasada != self._pasada:   # datos de un backward anterior: se descartan
            reg.pasada = self._pasada
            reg.gradiente = None
            reg.recibidos = []
            reg.aristas = {}
        return reg

    # --- gestor de contexto -------------------------------------------------
    def __enter__(self):
        self._previo = grad_mode.recorder
        grad_mode.recorder = self
        return self

    def __exit__(self, *exc):
        grad_mode.recorder = self._previo
        self._previo = None
        self._entradas = {}   # suelta los tensores de entrada (las copias quedan registradas)
        return False

    def __repr__(self):
        return f"<Registrador de viz: {len(self.pasos)} pasos de backward registrados>"


def registrar():
    """Activa el registro de valores intermedios y gradientes por arista.

    Uso::

        with viz.registrar():
            perdida = criterio(modelo(X), Y)
            perdida.backward()
        viz.draw_graph(perdida, params=modelo)                     # con valores
        viz.draw_graph(perdida, params=modelo, direction="backward")  # gradientes por arista

    Copia la salida de cada operación y cada gradiente: úsalo con un lote pequeño, no
    durante todo el entrenamiento.
    """
    return Registrador()
