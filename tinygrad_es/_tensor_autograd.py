"""La parte de ``Tensor`` que habla con el motor: ``backward``, ``retain_grad``, ``grad_fn``."""
import weakref

import numpy as np

from .autograd.create_graph import run_backward_graph
from .autograd.engine import accumulate_grad, run_backward
from .autograd.graph import add_hook


class AutogradMixin:
    __slots__ = ()

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Retropropaga desde este tensor y acumula los gradientes en ``.grad`` de las hojas.

        Con ``inputs`` (un tensor o una lista), solo se acumulan en esos tensores (también si
        son intermedios), como en PyTorch.
        """
        root = self._graph_root()
        if create_graph:   # el backward se registra como grafo: derivadas de orden superior
            keep = True if retain_graph is None else bool(retain_graph)
            grad = _output_gradient(self, gradient)
            if inputs is None:
                run_backward_graph(root, grad, keep)
                return
            targets = _backward_targets(inputs)
            capture = dict.fromkeys(node for _, node in targets)
            run_backward_graph(root, grad, keep, capture)
            for tensor, node in targets:
                if capture[node] is not None:
                    tensor._grad = capture[node] if tensor._grad is None else tensor._grad + capture[node]
            return
        if gradient is None:
            if self._data.size != 1:
                raise RuntimeError(
                    f"backward() sin argumento solo funciona con salidas de un elemento, y esta "
                    f"tiene forma {tuple(self._data.shape)}. Reduce primero (y.sum().backward()) "
                    "o pasa el gradiente de salida: y.backward(gradient=torch.ones_like(y)).")
            data = self._data   # np.array(1) para el escalar habitual: sin la capa de np.ones
            grad = (np.array(1, dtype=data.dtype) if data.ndim == 0
                    else np.ones(data.shape, dtype=data.dtype))
            owned = True
        else:
            grad = gradient._data if isinstance(gradient, AutogradMixin) else np.asarray(gradient)
            if grad.shape != self._data.shape:
                raise RuntimeError(
                    f"El gradiente de salida tiene forma {tuple(grad.shape)} pero el tensor tiene "
                    f"forma {tuple(self._data.shape)}: deben coincidir.")
            grad, owned = grad.astype(self._data.dtype, copy=False), False
        if inputs is None:
            run_backward(root, grad, owned, retain_graph=bool(retain_graph))
            return
        targets = _backward_targets(inputs)
        capture = dict.fromkeys(node for _, node in targets)
        run_backward(root, grad, owned, retain_graph=bool(retain_graph), capture=capture)
        for tensor, node in targets:
            if capture[node] is not None:
                accumulate_grad(tensor, capture[node], True)

    def _graph_root(self):
        if self.grad_fn is not None:
            return self.grad_fn
        if self._requires_grad:
            return self._grad_accumulator()
        raise RuntimeError(
            "Este tensor no requiere gradiente y no tiene grad_fn: no hay grafo que recorrer. "
            "¿Creaste los parámetros con requires_grad=True? ¿Está el cálculo dentro de no_grad()?")

    def register_hook(self, hook):
        """``hook(grad)`` se llama con el gradiente de este tensor; si devuelve un tensor, lo
        sustituye (como en PyTorch). Devuelve un objeto con ``.remove()``."""
        if not self._requires_grad:
            raise RuntimeError(
                "No se puede registrar un gancho en un tensor que no requiere gradiente: "
                "créalo con requires_grad=True o regístralo en un tensor del grafo.")
        if self.grad_fn is None:   # hoja: antes de acumular en .grad
            if self._hooks is None:
                self._hooks = []
            return add_hook(self._hooks, hook)
        return self.grad_fn.register_prehook(hook)

    def retain_grad(self):
        """Conserva ``.grad`` también en un tensor intermedio."""
        if self.grad_fn is None:
            return
        self.grad_fn.retained = weakref.ref(self)

    @property
    def retains_grad(self):
        return self.grad_fn is not None and self.grad_fn.retained is not None


def _output_gradient(t, gradient):
    """El gradiente de salida como Tensor (unos si no se da), para create_graph=True."""
    if gradient is None:
        if t._data.size != 1:
            raise RuntimeError(
                f"backward() sin argumento solo funciona con salidas de un elemento, y esta tiene "
                f"forma {tuple(t._data.shape)}: pasa el gradiente de salida.")
        return t._wrap(np.ones(t._data.shape, dtype=t._data.dtype))
    if not isinstance(gradient, AutogradMixin):
        gradient = t._wrap(np.asarray(gradient, dtype=t._data.dtype))
    if tuple(gradient.shape) != tuple(t._data.shape):
        raise RuntimeError(
            f"El gradiente de salida tiene forma {tuple(gradient.shape)} pero el tensor tiene "
            f"forma {tuple(t._data.shape)}: deben coincidir.")
    return gradient


def _backward_targets(inputs):
    """Pares (tensor, nodo) de los ``inputs`` de ``backward()``, validados como en PyTorch."""
    inputs = [inputs] if isinstance(inputs, AutogradMixin) else list(inputs)
    if not inputs:
        raise RuntimeError(
            "El argumento inputs de backward() no puede estar vacío: pasa los tensores en los "
            "que quieres acumular el gradiente, p. ej. loss.backward(inputs=[w]).")
    targets = []
    for i, t in enumerate(inputs):
        if not isinstance(t, AutogradMixin) or not t._requires_grad:
            raise RuntimeError(
                f"El elemento {i} de inputs no requiere gradiente: backward(inputs=...) solo "
                "acepta tensores con requires_grad=True.")
        targets.append((t, t.grad_fn if t.grad_fn is not None else t._grad_accumulator()))
    return targets
