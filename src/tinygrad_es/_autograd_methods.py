"""La parte de ``Tensor`` que habla con el grafo y el motor: ``backward``, ``requires_grad``,
``register_hook``, ``retain_grad``, ``detach`` y el nodo hoja y el contador de versión.

``tensor.py`` enlaza estas funciones como métodos (reciben el tensor como primer argumento).

Capas: este módulo está por debajo de ``tensor.py`` (no lo importa; la clase ``Tensor`` se la da
``tensor.py`` al definirla) y el motor está por encima: ``autograd/engine.py`` importa
``tensor.py`` para dar Tensores a los ganchos. Por eso aquí no se importa el motor: el paquete
``autograd`` pone sus dos funciones de entrada (``run_backward`` y ``accumulate_grad``) al
cargarse (``autograd/__init__.py``), y eso ocurre siempre al importar
``tinygrad_es``.
"""
import weakref

import numpy as np

from . import _dtypes, _views
from .autograd.graph import AccumulateGrad, HookRegistry, VersionCounter, add_hook, per_thread
from .errors import check_grad_assignment

Tensor = None   # la clase Tensor: la pone tensor.py al definirla
# El motor (autograd/engine.py): lo pone autograd/__init__.py
run_backward = accumulate_grad = None


def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Retropropaga desde este tensor y acumula los gradientes en ``.grad`` de las hojas.

    Con ``inputs`` (un tensor o una lista), solo se acumulan en esos tensores (también si
    son intermedios), como en PyTorch. Con ``create_graph=True`` el backward se registra como
    grafo (derivadas de orden superior) y ``retain_graph`` pasa a ser True por defecto.
    """
    root = graph_root(self)
    keep = bool(create_graph) if retain_graph is None else bool(retain_graph)
    grad, owned = _output_gradient(self, gradient, create_graph)
    if gradient is None and per_thread.mode._capture is not None:   # compile: unos nuevos
        per_thread.mode._capture.fresh(grad)
    if inputs is None:
        run_backward(root, grad, keep, create_graph=create_graph, owned=owned)
        return
    targets = _backward_targets(inputs)
    capture = dict.fromkeys(node for _, node in targets)
    run_backward(root, grad, keep, capture, create_graph, owned)
    for tensor, node in targets:
        if capture[node] is not None:
            accumulate(tensor, capture[node], create_graph)


def graph_root(self):
    """El nodo desde el que empieza el backward: ``grad_fn``, o el nodo hoja si es una hoja."""
    if self.grad_fn is not None:
        return self.grad_fn
    if self._requires_grad:
        return grad_accumulator(self)
    raise RuntimeError(
        "Este tensor no requiere gradiente y no tiene grad_fn: no hay grafo que recorrer. "
        "¿Creaste los parámetros con requires_grad=True? ¿Está el cálculo dentro de no_grad()?")


def _output_gradient(t, gradient, as_tensor):
    """El gradiente de salida (unos si no se da) y si es un array propio del motor.

    Un ndarray en el camino rápido; un Tensor con ``create_graph=True`` (``as_tensor``).
    """
    data = t._data
    if gradient is None:
        if data.size != 1:
            raise RuntimeError(
                f"backward() sin argumento solo funciona con salidas de un elemento, y esta "
                f"tiene forma {tuple(data.shape)}. Reduce primero (y.sum().backward()) "
                "o pasa el gradiente de salida: y.backward(gradient=torch.ones_like(y)).")
        # np.array(1) para el escalar habitual: sin la capa de np.ones
        grad = np.array(1, dtype=data.dtype) if data.ndim == 0 else np.ones(data.shape, data.dtype)
        return (t._wrap(grad) if as_tensor else grad), True
    if tuple(gradient.shape if isinstance(gradient, Tensor) else np.shape(gradient)) != data.shape:
        raise RuntimeError(
            f"El gradiente de salida tiene forma {tuple(np.shape(gradient))} pero el tensor "
            f"tiene forma {tuple(data.shape)}: deben coincidir.")
    if as_tensor:
        return (gradient if isinstance(gradient, Tensor)
                else t._wrap(np.asarray(gradient, dtype=data.dtype))), False
    grad = gradient._data if isinstance(gradient, Tensor) else np.asarray(gradient)
    return grad.astype(data.dtype, copy=False), False


def accumulate(tensor, grad, create_graph):
    """Suma un gradiente capturado en ``tensor.grad`` (un Tensor con historia si create_graph)."""
    if create_graph:
        tensor._grad = grad if tensor._grad is None else tensor._grad + grad
    else:
        accumulate_grad(tensor, grad, True)


def _backward_targets(inputs):
    """Pares (tensor, nodo) de los ``inputs`` de ``backward()``, validados como en PyTorch."""
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if not inputs:
        raise RuntimeError(
            "El argumento inputs de backward() no puede estar vacío: pasa los tensores en los "
            "que quieres acumular el gradiente, p. ej. loss.backward(inputs=[w]).")
    targets = []
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor) or not t._requires_grad:
            raise RuntimeError(
                f"El elemento {i} de inputs no requiere gradiente: backward(inputs=...) solo "
                "acepta tensores con requires_grad=True.")
        targets.append((t, t.grad_fn if t.grad_fn is not None else grad_accumulator(t)))
    return targets


# --- grad, requires_grad, ganchos, detach -----------------------------------------------------
def set_grad(self, value):
    """``t.grad = g``: comprueba forma, dtype y tipo (errores en español); None lo borra."""
    if value is not None:
        check_grad_assignment(self, value)
    if per_thread.mode._capture is not None:   # tinygrad_es.compile lo repite
        per_thread.mode._capture.set_grad(self, value)
    self._grad = value


def set_requires_grad(self, flag):
    flag = bool(flag)
    if flag and self._data.dtype.kind not in "fc":
        raise RuntimeError(
            "Solo los tensores de punto flotante pueden requerir gradiente, y este es de "
            f"tipo {_dtypes.dtype_name(self._data.dtype)}. Créalo con dtype=tinygrad_es.float32 "
            "o conviértelo con .float() antes de pedir requires_grad=True.")
    if not flag and self.grad_fn is not None:
        raise RuntimeError(
            "Solo se puede cambiar requires_grad de tensores hoja. Para cortar el grafo "
            "en un tensor intermedio usa y = y.detach().")
    self._requires_grad = flag


def requires_grad_(self, requires_grad=True):
    self.requires_grad = requires_grad
    return self


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
    HookRegistry.count += 1   # como en PyTorch, retain_grad es un gancho: el motor lo mira


def retains_grad(self):
    return self.grad_fn is not None and self.grad_fn.retained is not None


def detach(self):
    """Mismo contenido y memoria, fuera del grafo (comparte el contador de versión)."""
    return _views.detach_alias(self)


def detach_(self):
    self.grad_fn = None
    self._requires_grad = False
    return self


# --- nodo hoja y contador de versión ----------------------------------------------------------
def grad_accumulator(self):
    """El nodo hoja (AccumulateGrad) de este tensor; se rehace si cambió su forma o dtype.

    El tensor lo guarda con una referencia débil (el nodo sí guarda el tensor): vive
    mientras lo use algún grafo o lo retenga el optimizador (``Optimizer._leaf_nodes``).
    """
    ref = self._accumulator
    node = ref() if ref is not None else None
    if node is None or node.shape != self._data.shape or node.dtype != self._data.dtype:
        node = AccumulateGrad(self)
        self._accumulator = weakref.ref(node)
    return node


def version_counter(self):
    """Contador de versión (compartido con la base si es una vista); se crea al pedirlo."""
    owner = self if self._view is None else self._view.base
    counter = owner._version
    if counter is None:
        counter = owner._version = VersionCounter()
    return counter


def bump_version(self):
    owner = self if self._view is None else self._view.base
    if owner._version is not None:
        owner._version.value += 1
    if per_thread.mode._capture is not None:   # una escritura in situ: ¿la apuntó alguien?
        per_thread.mode._capture.mutation(self)
