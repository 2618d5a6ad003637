"""``Tensor``: un ndarray de NumPy más lo necesario para el grafo de autograd.

Aquí no vive ninguna derivada: los métodos llaman a las operaciones de ``ops/``
mediante ``_apply``, que ejecuta el forward y, si hace falta, enlaza el nodo.
"""
from weakref import ref as _weakref

import numpy as np

from . import _dtypes
from ._format import format_tensor
from ._device import Size, _check_device, device  # noqa: F401 (reexportados)
from ._tensor_autograd import AutogradMixin
from ._tensor_compare import CompareMixin
from ._tensor_convert import ConvertMixin
from ._tensor_inplace import InplaceMixin
from ._tensor_math import MathMixin
from ._tensor_shape import ShapeMixin
from .autograd.graph import AccumulateGrad, Node, VersionCounter, grad_mode, per_thread
from ._views import detach_alias
from ._numpy_protocol import array_function, array_ufunc
from .errors import check_grad_assignment, explain_conversion, raise_lost_graph
from .ops import elementwise as ew

_new = object.__new__
_ndarray = np.ndarray


class Tensor(MathMixin, CompareMixin, InplaceMixin, ShapeMixin, ConvertMixin, AutogradMixin):
    """Tensor N-dimensional con diferenciación automática en modo inverso."""

    __slots__ = ("_data", "_grad", "_requires_grad", "grad_fn", "_version", "_accumulator",
                 "_view", "_hooks", "__weakref__")
    __array_priority__ = 1000   # ndarray * Tensor llama a Tensor.__rmul__

    def __init__(self, *args, dtype=None, requires_grad=False, device=None):
        """Constructor heredado ``torch.Tensor(datos)`` o ``torch.Tensor(2, 3)`` (float32)."""
        _check_device(device)
        if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            data = args[0]._data if isinstance(args[0], Tensor) else args[0]
            array = _legacy_data(data, dtype or _dtypes.default_float)
        else:   # Tensor(2, 3) da ceros de esa forma; Tensor() un tensor vacío, como PyTorch
            from .creation import zeros   # mismos errores para tamaños malos (2.5, -1)
            array = zeros(*args, dtype=dtype)._data if args else np.zeros(
                (0,), dtype=dtype or _dtypes.default_float)
        _init(self, array, False, None)
        if requires_grad:
            self.requires_grad = True

    # --- propiedades básicas -------------------------------------------------
    @property
    def data(self):
        """Tensor separado del grafo que comparte memoria (``w.data -= lr * w.grad``)."""
        return _make(self._data)

    @data.setter
    def data(self, value):
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    @property
    def grad(self):
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            check_grad_assignment(self, value)
        self._grad = value

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
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

    @property
    def is_leaf(self):
        return self.grad_fn is None

    # --- vistas (ver _views.py) -------------------------------------------------
    @property
    def _base(self):
        """El tensor base (raíz) cuya memoria comparte esta vista, o None si no es una vista."""
        return None if self._view is None else self._view.base

    def _is_view(self):
        return self._view is not None

    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        return Size(self._data.shape) if dim is None else self._data.shape[dim]

    @property
    def dtype(self):
        return self._data.dtype

    @property
    def device(self):
        return device("cpu")

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    def numel(self):
        return self._data.size

    def nelement(self):
        return self._data.size

    def element_size(self):
        return self._data.itemsize

    @property
    def is_cuda(self):
        return False

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    # --- conversión -----------------------------------------------------------
    def item(self):
        if self._data.size != 1:
            raise RuntimeError(
                f"Un tensor con {self._data.size} elementos no se puede convertir en un escalar "
                "con .item(): solo funciona con tensores de un elemento. Usa .tolist() para "
                "obtener todos los valores o selecciona uno primero (t[0].item()).")
        return self._data.item()

    def numpy(self, force=False):
        if self._requires_grad and not force:
            raise RuntimeError(
                "No se puede llamar a .numpy() sobre un tensor que requiere gradiente: "
                "usa .detach().numpy().")
        return self._data

    def tolist(self):
        return self._data.tolist()

    def __array__(self, dtype=None, copy=None):
        if self._requires_grad and per_thread.mode.graph_backward:
            raise_lost_graph(self)
        return self._data if dtype is None else self._data.astype(dtype)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """``np.exp(t)``, ``array * t``: la operación de tinygrad_es (ver _numpy_protocol.py)."""
        return array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return array_function(func, args, kwargs)

    def __float__(self):
        return float(self._scalar_for("float"))

    def __int__(self):
        return int(self._scalar_for("int"))

    def _scalar_for(self, name):
        if self._data.size != 1:   # PyTorch lanza ValueError aquí (y RuntimeError en .item())
            raise ValueError(
                f"{name}() solo funciona con tensores de un elemento, y este tiene "
                f"{self._data.size} (forma {tuple(self._data.shape)}). Usa .tolist() o "
                "selecciona un elemento.")
        return self._data.item()

    def __index__(self):
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError("solo un tensor entero de un elemento se puede usar como índice")
        return int(self._data.item())

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError(
                f"El valor de verdad de un tensor con {self._data.size} elementos es ambiguo: "
                "usa .any() o .all().")
        return bool(self._data.item())

    def __format__(self, spec):
        """Como PyTorch: un tensor 0-d se formatea como su número (``f"{loss:.4f}"``)."""
        if self._data.ndim == 0 or (spec and self._data.size == 1):
            return format(self._data.item(), spec)
        if spec:
            raise TypeError(
                f"El formato {spec!r} solo se puede aplicar a tensores de un elemento, y este "
                f"tiene forma {tuple(self._data.shape)}. Usa f\"{{t}}\" o formatea cada "
                "elemento de t.tolist().")
        return str(self)

    def __repr__(self):
        return format_tensor(self)

    __str__ = __repr__

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() de un tensor de 0 dimensiones")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("no se puede iterar sobre un tensor de 0 dimensiones")
        return (self[i] for i in range(self._data.shape[0]))

    def __hash__(self):
        return id(self)

    def __reduce_ex__(self, protocol):
        return (_rebuild, (self._data, self._requires_grad))

    def __deepcopy__(self, memo):
        if self.grad_fn is not None:
            raise RuntimeError("Solo se pueden copiar con deepcopy tensores hoja (usa .detach()).")
        out = type(self).__new__(type(self))
        _init(out, self._data.copy(), self._requires_grad, None)
        if self._grad is not None:
            out._grad = _make(self._grad._data.copy())
        memo[id(self)] = out
        return out

    def detach(self):
        """Mismo contenido y memoria, fuera del grafo (comparte el contador de versión)."""
        return detach_alias(self)

    def detach_(self):
        self.grad_fn = None
        self._requires_grad = False
        return self

    def clone(self):
        return _apply(ew.Clone, self)

    def contiguous(self, memory_format=None):
        """El mismo tensor si ya es contiguo; si no (p. ej. ``x.t()``), una copia contigua."""
        return self if self._data.flags.c_contiguous else _apply(ew.Clone, self)

    def _grad_accumulator(self):
        """El nodo hoja (AccumulateGrad) de este tensor; se rehace si cambió su forma o dtype.

        El tensor lo guarda con una referencia débil (el nodo sí guarda el tensor): vive
        mientras lo use algún grafo o lo retenga el optimizador (``Optimizer._leaf_nodes``).
        """
        ref = self._accumulator
        node = ref() if ref is not None else None
        if node is None or node.shape != self._data.shape or node.dtype != self._data.dtype:
            node = AccumulateGrad(self)
            self._accumulator = _weakref(node)
        return node

    def _version_counter(self):
        """Contador de versión (compartido con la base si es una vista); se crea al pedirlo."""
        owner = self if self._view is None else self._view.base
        counter = owner._version
        if counter is None:
            counter = owner._version = VersionCounter()
        return counter

    def _bump_version(self):
        owner = self if self._view is None else self._view.base
        if owner._version is not None:
            owner._version.value += 1

    from ._tensor_random import bernoulli, bernoulli_, exponential_, multinomial  # aleatorios
    from ._tensor_random import normal_, random_, uniform_  # (los números de PyTorch)


def _legacy_data(data, dtype):
    """Datos de ``Tensor(datos)``: una secuencia o un ndarray de números (como PyTorch)."""
    if isinstance(data, (float, complex, bool, np.number)):
        raise TypeError(
            f"Tensor(datos) espera una secuencia (lista, tupla o ndarray), pero recibió el número "
            f"{data!r}. Para un tensor con ese valor usa torch.tensor({data!r}); Tensor(n) con un "
            "entero crea n ceros.")
    if isinstance(data, np.ndarray) and data.dtype.kind in "biuf":
        return data.astype(dtype)
    from .creation import tensor   # textos, objetos, listas irregulares: sus errores en español
    return tensor(data)._data.astype(dtype)


def _init(t, array, requires_grad, grad_fn):
    t._data = array
    t._grad = None
    t._requires_grad = requires_grad
    t.grad_fn = grad_fn
    t._version = None
    t._accumulator = None
    t._view = None
    t._hooks = None


def _make(array, requires_grad=False, grad_fn=None):
    """Tensor nuevo sobre ``array`` (sin copiarlo ni validar: es el camino rápido de las ops)."""
    t = _new(Tensor)
    _init(t, array, requires_grad, grad_fn)
    return t


Tensor._wrap = staticmethod(_make)   # Tensor nuevo sobre un array (sin copiarlo)


def _rebuild(array, requires_grad):
    t = _make(array)
    t._requires_grad = requires_grad
    return t


def _apply(op, *inputs, **kwargs):
    """Ejecuta ``op`` sobre los datos de ``inputs`` y, si alguno requiere gradiente, crea el nodo.

    ``inputs`` son Tensores o constantes (ndarray o escalar de NumPy). Es el camino de cada
    operación: se evita aquí todo trabajo que no haga falta (sin gradiente no se enlaza nada).
    """
    arrays = []
    parents = []
    needs = []
    track = False
    mode = per_thread.mode   # el estado del hilo, leído una vez
    enabled = mode.enabled
    for x in inputs:
        if isinstance(x, Tensor):
            arrays.append(x._data)
            view = x._view
            if view is not None and view.base.grad_fn is not view.source:
                view.refresh(x)   # su base cambió in situ: rehace su grad_fn (ver _views.py)
            if enabled and x._requires_grad:
                track = True
                parent = x.grad_fn
                parents.append(parent if parent is not None else x._grad_accumulator())
                needs.append(True)
                continue
        else:
            arrays.append(x)
        parents.append(None)
        needs.append(False)
    node = Node(op, tuple(needs), mode.module)
    try:
        out = op.forward(node, *arrays, **kwargs)
    except Exception as exc:
        explain_conversion(exc, op, arrays)
        raise
    raw = out   # NumPy da un escalar (no un array 0-d) en algunas operaciones 0-d
    if type(out) is not _ndarray:
        out = np.asarray(out)
    if not track:
        return _make(out)
    node.parents = tuple(parents)
    node.shape = out.shape
    node.dtype = out.dtype
    result = _make(out, True, node)
    saved = node.saved
    if saved:   # versión y origen de cada array guardado (ver in situ y create_graph)
        node.versions, node.sources = _saved_origins(saved, out, raw, result, arrays, inputs)
    if mode.watching:   # detect_anomaly() o viz.registrar()
        _watch_forward(node, inputs, out)
    return result


def _saved_origins(saved, out, raw, result, arrays, inputs):
    """Para cada array guardado: la versión de su tensor y de dónde viene.

    El origen es -1 si es la salida, ``j`` si son los datos de la entrada ``j`` y None si es una
    constante. Con él, ``create_graph=True`` rehace los tensores guardados unidos al grafo.
    """
    versions, sources = [], []
    for array in saved:
        owner = source = None
        if array is out or array is raw:
            owner, source = result, -1
        elif array is not None:   # la entrada cuyos datos son ``array`` (o una constante)
            for position, candidate in enumerate(arrays):
                if candidate is array:
                    owner = inputs[position]
                    source = position if isinstance(owner, Tensor) else None
                    break
        sources.append(source)
        if isinstance(owner, Tensor):
            counter = owner._version_counter()
            versions.append((counter, counter.value))
    return versions, tuple(sources)


def _watch_forward(node, inputs, out):
    if grad_mode.anomaly:
        from .autograd.anomaly import record_trace
        record_trace(node)
    if grad_mode.recorder is not None:   # viz.registrar(): copia del valor de la salida
        grad_mode.recorder.on_forward(node, inputs, out)


Tensor._apply = staticmethod(_apply)
