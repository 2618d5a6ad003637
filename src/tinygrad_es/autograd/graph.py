"""Nodos del grafo de cómputo.

Un ``Node`` es a la vez el ``ctx`` que ve la operación (``save_for_backward``,
``needs_input_grad``) y el nodo del grafo: guarda enlaces a los nodos padres
(nunca a los tensores de entrada), la forma y el dtype de su salida y el módulo
que lo creó. Este archivo no importa ``Tensor``.
"""
import threading

import numpy as np

RELEASED = None  # valor de ``Node.saved`` cuando backward ya liberó lo guardado


class GradMode:
    """Estado del modo gradiente de un hilo (lo cambian ``no_grad`` y compañía).

    Como en PyTorch, cada hilo tiene el suyo (``per_thread.mode``) y un hilo nuevo empieza con
    el gradiente activado: un hilo de inferencia dentro de ``no_grad()`` no apaga el grafo del
    hilo que entrena. ``watching`` resume en un solo booleano si hay algún observador
    (``detect_anomaly()``, ``viz.registrar()`` o la captura de ``compile``): cada operación
    lo consulta una vez.
    """

    __slots__ = ("enabled", "module", "_anomaly", "_recorder", "_capture", "watching",
                 "graph_backward")

    def __init__(self):
        self.graph_backward = False   # dentro de un backward con create_graph=True
        self.enabled = True
        self.module = None       # referencia débil al módulo en ejecución más interno (o None)
        self._anomaly = False    # modo de detección de anomalías
        self._recorder = None    # registrador de viz (valores y gradientes) o None
        self._capture = None     # la captura de tinygrad_es.compile en marcha (o None)
        self.watching = False

    def _update_watching(self):
        self.watching = (bool(self._anomaly) or self._recorder is not None
                         or self._capture is not None)

    @property
    def anomaly(self):
        return self._anomaly

    @anomaly.setter
    def anomaly(self, mode):
        self._anomaly = mode
        self._update_watching()

    @property
    def recorder(self):
        return self._recorder

    @recorder.setter
    def recorder(self, recorder):
        self._recorder = recorder
        self._update_watching()

    @property
    def capture(self):
        return self._capture

    @capture.setter
    def capture(self, capture):
        self._capture = capture
        self._update_watching()


class _PerThread(threading.local):
    """``per_thread.mode``: el ``GradMode`` del hilo actual (cada hilo crea el suyo al usarlo).

    El camino caliente (``_apply``, ``Module.__call__``, el motor) lo lee una vez por llamada y
    después usa atributos normales: leer de un ``threading.local`` cuesta ~4 veces más.
    """

    def __init__(self):   # threading.local lo ejecuta de nuevo en cada hilo
        self.mode = GradMode()


per_thread = _PerThread()


def _forward(name, writable=True):
    def get(self):
        return getattr(per_thread.mode, name)

    def set_(self, value):
        setattr(per_thread.mode, name, value)
    return property(get, set_ if writable else None)


class _CurrentGradMode:
    """``grad_mode``: lee y escribe el estado del hilo actual (``grad_mode.enabled = False``)."""

    __slots__ = ()
    enabled = _forward("enabled")
    module = _forward("module")
    anomaly = _forward("anomaly")
    recorder = _forward("recorder")
    watching = _forward("watching", writable=False)


grad_mode = _CurrentGradMode()
_CURRENT = object()   # Node(...) sin módulo explícito: el del hilo actual


class VersionCounter:
    """Contador de versión compartido por los tensores que comparten memoria.

    Sin ``__init__``: ``value`` empieza en el 0 de la clase y solo se escribe en el objeto la
    primera vez que una operación in situ lo incrementa (crear uno en cada operación que guarda
    su salida sale así más barato; casi ninguno llega a cambiar).
    """

    value = 0


class Node:
    """Nodo del grafo y ``ctx`` de la operación que lo creó.

    - ``op``: la clase de la operación (con ``forward``/``backward``).
    - ``parents``: un nodo padre por entrada (``None`` si esa entrada no necesita gradiente).
    - ``needs_input_grad``: tupla de booleanos, una por entrada.
    - ``saved``: arrays guardados con ``save_for_backward``; ``None`` tras liberarlos.
    - ``shape``/``dtype``: los de la salida (bastan para reducir gradientes difundidos).
    - ``module``: referencia débil al módulo ``nn`` más interno activo al crearse.
    """

    __slots__ = ("op", "parents", "needs_input_grad", "saved", "versions", "sources", "shape",
                 "dtype", "module", "retained", "trace", "__dict__", "__weakref__")

    def __init__(self, op, needs_input_grad, module=_CURRENT):
        self.op = op
        self.needs_input_grad = needs_input_grad
        self.saved = ()
        self.versions = self.sources = None
        self.parents = ()
        self.retained = None
        self.trace = None
        self.module = per_thread.mode.module if module is _CURRENT else module

    # --- la API de ``ctx`` -------------------------------------------------
    def save_for_backward(self, *arrays):
        self.saved = arrays

    @property
    def saved_tensors(self):
        if self.saved is RELEASED:
            raise_released(self)
        return self.saved

    @property
    def op_name(self):
        """Nombre corto de la operación (``Mul``): el que usan viz y los mensajes de error."""
        return self.op.__name__

    def name(self):
        """Nombre de PyTorch del nodo (``MulBackward0``, ``SliceBackward0``, ``CopySlices``)."""
        torch_name = getattr(self.op, "torch_name", None)
        if callable(torch_name):
            return torch_name(self)
        return torch_name or f"{self.op.__name__}Backward0"

    def __repr__(self):
        return f"<{self.name()} object>"

    @property
    def next_functions(self):
        """``((nodo, 0), ...)``: un par por entrada, como en PyTorch (``(None, 0)`` sin gradiente)."""
        return tuple((p, 0) for p in self.parents)

    # --- ganchos ------------------------------------------------------------
    def register_hook(self, hook):
        """``hook(grad_inputs, grad_outputs)`` tras calcular los gradientes de este nodo."""
        return _add_hook(self, "post_hooks", hook)

    def register_prehook(self, hook):
        """``hook(grad_outputs)`` antes del backward de este nodo; puede devolver otro gradiente."""
        return _add_hook(self, "pre_hooks", hook)


class AccumulateGrad:
    """Nodo hoja: escribe el gradiente en ``tensor.grad`` (como AccumulateGrad de PyTorch)."""

    __slots__ = ("variable", "shape", "dtype", "module", "__weakref__")
    parents = ()
    next_functions = ()
    op_name = "AccumulateGrad"

    def name(self):
        return "torch::autograd::AccumulateGrad"

    def __init__(self, variable):
        self.variable = variable
        self.shape = variable._data.shape
        self.dtype = variable._data.dtype
        self.module = None

    def __repr__(self):
        return "<AccumulateGrad object>"


def saved_tensor(node, k, array, wrap):
    """El array guardado ``k`` de ``node`` como Tensor unido al grafo (o tal cual si es constante).

    Es lo que ve el backward con ``create_graph=True`` (las *saved variables* de PyTorch):
    ``node.sources`` dice si el array es la salida del nodo (-1), los datos de una entrada o una
    constante. ``wrap`` es ``Tensor._wrap`` (este archivo no importa ``Tensor``).
    """
    sources = node.sources
    source = sources[k] if sources is not None else None
    if array is None or source is None:
        return array
    if source == -1:   # la salida de la propia operación
        return connected(array, node, wrap)
    return connected(array, node.parents[source] if source < len(node.parents) else None, wrap)


def connected(array, origin, wrap):
    """``array`` unido al grafo por el nodo ``origin`` que lo produjo.

    Sin nodo (una entrada que no requiere gradiente) es una constante y se devuelve tal cual; una
    hoja es el propio tensor del usuario; si no, un Tensor nuevo cuyo ``grad_fn`` es ``origin``.
    """
    if origin is None:
        return array
    if type(origin) is AccumulateGrad:
        return origin.variable
    return wrap(np.asarray(array), True, origin)


def hooks_of(node):
    """Los ganchos que se ejecutan antes del backward de ``node``: los de ``Tensor.register_hook``
    de una hoja (guardados en el tensor) o los ``register_prehook`` del nodo."""
    if type(node) is AccumulateGrad:
        return node.variable._hooks
    return node.__dict__.get("pre_hooks")


def raise_released(node):
    raise RuntimeError(
        f"Se intentó recorrer el grafo hacia atrás por segunda vez (nodo {node.op_name}), "
        "pero sus valores intermedios ya se liberaron tras el primer backward(). "
        "Si necesitas llamar a backward() dos veces sobre el mismo grafo, usa "
        "backward(retain_graph=True) la primera vez.")


class RemovableHandle:
    """Lo que devuelven ``register_hook`` y compañía: ``handle.remove()`` quita el gancho."""

    __slots__ = ("_hooks", "_hook")

    def __init__(self, hooks, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


class HookRegistry:
    """Cuántos ganchos de gradiente se han registrado: con ninguno el motor no los busca."""

    count = 0


def add_hook(hooks, hook):
    """Añade ``hook`` a la lista ``hooks`` y devuelve el ``RemovableHandle`` que lo quita."""
    if not callable(hook):
        raise TypeError(f"El gancho debe ser una función (se recibió {type(hook).__name__}).")
    hooks.append(hook)
    HookRegistry.count += 1
    return RemovableHandle(hooks, hook)


def _add_hook(node, kind, hook):
    return add_hook(node.__dict__.setdefault(kind, []), hook)
