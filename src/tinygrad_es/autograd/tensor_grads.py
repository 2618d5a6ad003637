"""Aritmética de gradientes con ``create_graph=True``: derivadas de orden superior.

El bucle es el mismo del motor (``engine.py``); aquí los gradientes son **Tensores** y el
gradiente está activado mientras dura el backward, así que cada cálculo del backward queda
registrado en un grafo nuevo que se puede derivar otra vez (Hessianos, penalizaciones de
gradiente, el método de Newton).

Cada operación usa su **mismo** ``backward`` (el del camino rápido): recibe el gradiente y sus
valores guardados como Tensores unidos al grafo, y NumPy le pasa cada cálculo a tinygrad_es
(``_numpy_protocol.py``). Los valores guardados se rehacen a partir de ``node.sources`` (de qué
entrada, o de la salida, viene cada array guardado: ``graph.saved_tensor``), como las *saved
variables* de PyTorch. Son las cinco funciones de ``array_grads.py``, sin la cuenta de
propiedad (un Tensor nunca se modifica in situ aquí).
"""
import numpy as np

from ..tensor import Tensor, _make
from .array_grads import raise_count, reduce_to, release
from .graph import per_thread, saved_tensor


def start_recording():
    """Activa el gradiente (y lo marca como backward de segundo orden) mientras dura el
    backward; devuelve el estado anterior para ``stop_recording``."""
    mode = per_thread.mode
    previous = mode.enabled, mode.graph_backward
    mode.enabled, mode.graph_backward = True, True
    return previous


def stop_recording(previous):
    mode = per_thread.mode
    mode.enabled, mode.graph_backward = previous


def call(node, grad, owned, retain_graph):
    """El ``backward`` de la operación con sus valores guardados como Tensores del grafo (y
    ningún gradiente «propio»: aquí nada se modifica in situ)."""
    saved = node.saved
    node.saved = tuple(saved_tensor(node, k, array, _make) for k, array in enumerate(saved))
    try:
        in_grads = node.op.backward(node, grad)
    finally:
        node.saved = saved
    if type(in_grads) is not tuple:
        in_grads = (in_grads,)
    if len(in_grads) != len(node.parents):
        raise_count(node, len(in_grads))
    if not retain_graph:
        release(node)
    return in_grads, _NOBODY


def fit(node, position, parent, g, owned):
    """Gradiente como Tensor con la forma y el dtype de la entrada (suma lo difundido)."""
    if not isinstance(g, Tensor):
        g = Tensor._wrap(np.asarray(g))
    if tuple(g.shape) != tuple(parent.shape):   # lo mismo que el camino rápido (o su error)
        g = reduce_to(node, position, parent, g)
    if g.dtype != parent.dtype:
        g = g.to(parent.dtype)
    return g, False


def add(previous, g, g_owned):
    return previous[0] + g, False


def accumulate(tensor, grad, owned):
    """``.grad`` como en PyTorch con create_graph: un Tensor con historia, sumado fuera de sitio."""
    current = tensor._grad
    tensor._grad = grad if current is None else current + grad


def to_user(grad):
    return grad


def unwrap(result):
    return result if isinstance(result, Tensor) else Tensor._wrap(np.asarray(result))


def from_user(result, grad):
    return unwrap(result), False


def keep(grad, owned):
    return grad


class _Nobody:
    """Ningún Tensor es «propio» (en cualquier posición)."""

    def __getitem__(self, position):
        return False


_NOBODY = _Nobody()
