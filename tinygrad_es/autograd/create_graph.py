"""Backward con ``create_graph=True``: derivadas de orden superior.

El recorrido es el del motor (orden topológico, backward de cada nodo, reducir a la forma de la
entrada, acumular), pero los gradientes son **Tensores** y el gradiente está activado: cada
operación que hace un backward queda registrada en un grafo nuevo, que se puede derivar otra vez
(Hessianos, penalizaciones de gradiente, el método de Newton).

Cada operación usa aquí su **mismo** ``backward`` (el del camino rápido): recibe el gradiente y
sus valores guardados como Tensores unidos al grafo, y NumPy le pasa cada cálculo a tinygrad_es
(``_numpy_protocol.py``). Los valores guardados se rehacen a partir de ``node.sources`` (de qué
entrada, o de la salida, viene cada array guardado: ``graph.saved_tensor``), como las *saved
variables* de PyTorch.
"""
import numpy as np

from ..tensor import Tensor, _make
from .engine import _raise_count, _raise_modified, _reduce_to, topological_order
from .graph import (RELEASED, AccumulateGrad, HookRegistry, hooks_of, per_thread,
                    raise_released, saved_tensor)


def run_backward_graph(root, grad, retain_graph, capture=None):
    """Propaga ``grad`` (un Tensor) desde ``root`` registrando el grafo del backward.

    ``capture``: como en el motor, {nodo: None} para ``autograd.grad`` (no se escribe ``.grad``).
    """
    mode = per_thread.mode
    previous = mode.enabled, mode.graph_backward
    mode.enabled, mode.graph_backward = True, True
    try:
        pending = topological_order(root)
        partial = {}
        ready = [(root, grad)]
        while ready:
            node, grad = ready.pop()
            if grad is not None:
                grad = _pre_hooks(node, grad)
            if capture is not None and node in capture and grad is not None:
                capture[node] = grad
            if type(node) is AccumulateGrad:
                if capture is None and grad is not None:
                    _accumulate(node.variable, grad)
                continue
            in_grads = (None,) * len(node.parents)
            if grad is not None:
                if node.retained is not None and capture is None:
                    tensor = node.retained()
                    if tensor is not None:
                        _accumulate(tensor, grad)
                if node.saved is RELEASED:
                    raise_released(node)
                for counter, version in node.versions or ():
                    if counter.value != version:
                        _raise_modified(node, counter.value, version)
                in_grads = call_backward(node, grad)
                if not retain_graph:
                    node.saved, node.versions = RELEASED, None
            for position, parent in enumerate(node.parents):
                if parent is None:
                    continue
                g = in_grads[position]
                if g is not None:
                    g = _fit(node, position, parent, g)
                    if partial.get(parent) is not None:
                        g = partial[parent] + g
                left = pending[parent] - 1
                if left:
                    pending[parent] = left
                    partial[parent] = g if g is not None else partial.get(parent)
                else:
                    ready.append((parent, g if g is not None else partial.get(parent)))
                    partial.pop(parent, None)
    finally:
        mode.enabled, mode.graph_backward = previous


def call_backward(node, grad):
    """El ``backward`` de la operación con sus valores guardados como Tensores del grafo."""
    saved = node.saved
    node.saved = tuple(saved_tensor(node, k, array, _make) for k, array in enumerate(saved))
    try:
        result = node.op.backward(node, grad)
    finally:
        node.saved = saved
    result = result if type(result) is tuple else (result,)
    if len(result) != len(node.parents):
        _raise_count(node, len(result), len(node.parents))
    return result


def _fit(node, position, parent, g):
    """Gradiente como Tensor con la forma y el dtype de la entrada (suma lo difundido)."""
    if not isinstance(g, Tensor):
        g = Tensor._wrap(np.asarray(g))
    if tuple(g.shape) != tuple(parent.shape):   # lo mismo que el camino rápido (o su error)
        g = _reduce_to(node, position, parent, g)
    if g.dtype != parent.dtype:
        g = g.to(parent.dtype)
    return g


def _accumulate(tensor, grad):
    """``.grad`` como en PyTorch con create_graph: un Tensor con historia, sumado fuera de sitio."""
    current = tensor._grad
    tensor._grad = grad if current is None else current + grad


def _pre_hooks(node, grad):
    if not HookRegistry.count:
        return grad
    for hook in list(hooks_of(node) or ()):
        result = hook(grad)
        if result is not None:
            grad = result
    return grad
