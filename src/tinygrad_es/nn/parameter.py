"""``nn.Parameter``: un tensor que un ``Module`` registra como parámetro entrenable."""
import numpy as np

from .. import _dtypes
from ..tensor import Tensor, _init


class Parameter(Tensor):
    """Tensor hoja que ``Module`` registra al asignarlo como atributo.

    Comparte la memoria con el tensor que recibe (como ``torch.nn.Parameter``) y por
    defecto requiere gradiente. ``Parameter()`` sin datos crea un tensor vacío float32.
    """

    __slots__ = ()

    def __init__(self, data=None, requires_grad=True):
        if data is None:
            array = np.empty((0,), dtype=_dtypes.default_float)
        elif isinstance(data, Tensor):
            array = data._data
        else:
            raise TypeError(
                f"nn.Parameter espera un tensor, pero recibió {type(data).__name__}. "
                "Conviértelo antes con torch.tensor(...).")
        _init(self, array, False, None)
        if isinstance(data, Tensor):
            self._version = data._version_counter()   # misma memoria, mismo contador
        if requires_grad:
            self.requires_grad = True   # valida que sea de punto flotante

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (self._data, self._requires_grad))


def _rebuild_parameter(array, requires_grad):
    return Parameter(Tensor._wrap(array), requires_grad)


class Buffer(Tensor):
    """Tensor que, al asignarlo como atributo de un ``Module``, se registra como buffer (estado
    que no se entrena, como ``running_mean`` de BatchNorm), igual que ``register_buffer``.

    ``persistent=False``: el buffer no entra en ``state_dict``. Comparte la memoria de ``data``
    (sin grafo) y conserva su ``requires_grad``.
    """

    __slots__ = ("persistent",)

    def __init__(self, data=None, *, persistent=True):
        if data is None:
            array = np.empty((0,), dtype=_dtypes.default_float)
        elif isinstance(data, Tensor):
            array = data._data
        else:
            raise TypeError(
                f"nn.Buffer espera un tensor, pero recibió {type(data).__name__}. "
                "Conviértelo antes con torch.tensor(...).")
        _init(self, array, False, None)
        if isinstance(data, Tensor):
            self._version = data._version_counter()
            if data.requires_grad:
                self.requires_grad = True
        self.persistent = persistent

    def __reduce_ex__(self, protocol):
        return (_rebuild_buffer, (self._data, self._requires_grad, self.persistent))


def _rebuild_buffer(array, requires_grad, persistent):
    buffer = Buffer(Tensor._wrap(array), persistent=persistent)
    buffer.requires_grad = requires_grad
    return buffer


class UninitializedParameter(Parameter):
    """Parámetro sin forma todavía (el de ``nn.LazyLinear`` antes de la primera llamada).

    Solo admite lo que no necesita sus valores (``requires_grad``, ``dtype``, registrarlo en un
    módulo o en un optimizador); cualquier operación da ``ValueError`` y su forma
    ``RuntimeError``, como en PyTorch. ``materialize(forma)`` le da memoria (sin inicializar)
    y lo convierte, en el mismo objeto, en un ``Parameter`` normal: por eso un optimizador
    creado antes sigue valiendo.

    Ejemplo::

        >>> p = nn.UninitializedParameter()
        >>> p
        <UninitializedParameter>
        >>> p.materialize((2, 3))
        >>> type(p).__name__, tuple(p.shape)
        ('Parameter', (2, 3))
    """

    __slots__ = ()
    cls_to_become = Parameter

    def __init__(self, requires_grad=True, device=None, dtype=None):
        from ..tensor import _check_device
        _check_device(device)
        data = Tensor._wrap(np.empty((0,), dtype=np.dtype(dtype or _dtypes.default_float)))
        super().__init__(data, requires_grad)

    def materialize(self, shape, device=None, dtype=None):
        """Le da la forma ``shape`` (valores sin inicializar) y lo convierte en ``Parameter``."""
        from ..tensor import _check_device
        _check_device(device)
        if isinstance(shape, int):
            shape = (shape,)
        dtype = np.dtype(dtype) if dtype is not None else self._data.dtype
        self._data = np.empty(tuple(shape), dtype=dtype)
        self._bump_version()
        self.__class__ = self.cls_to_become

    def __repr__(self):
        return "<UninitializedParameter>"

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        return (_rebuild_uninitialized, (self._data.dtype.str, self._requires_grad))

    @property
    def shape(self):
        raise RuntimeError(
            "No se puede consultar la forma de un parámetro sin inicializar "
            "(UninitializedParameter): un módulo «lazy» como nn.LazyLinear crea sus pesos en la "
            "primera llamada. Llama antes al modelo con un lote de ejemplo.")

    ndim = T = mT = shape

    def size(self, dim=None):
        return self.shape

    def dim(self):
        return self.shape


def _rebuild_uninitialized(dtype, requires_grad):
    return UninitializedParameter(requires_grad, dtype=np.dtype(dtype))


def _uninitialized_use(name):
    def method(self, *args, **kwargs):
        raise ValueError(
            f"Se ha intentado usar un parámetro sin inicializar en {name}: los módulos «lazy» "
            "(como nn.LazyLinear) crean sus pesos en la primera llamada. Llama antes al modelo "
            "con un lote de ejemplo (model(x)) y usa los parámetros después.")
    method.__name__ = name
    return method


def _block_uninitialized_uses():
    """Cada método público de Tensor (y los operadores) da ``ValueError`` en un
    ``UninitializedParameter``; solo se tocan los atributos de esa clase."""
    allowed = {"requires_grad_", "is_floating_point", "is_complex", "get_device", "cpu",
               "materialize", "register_hook", "dim_order"}
    operators = {"__add__", "__radd__", "__iadd__", "__sub__", "__rsub__", "__isub__",
                 "__mul__", "__rmul__", "__imul__", "__truediv__", "__rtruediv__",
                 "__itruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__",
                 "__pow__", "__rpow__", "__matmul__", "__rmatmul__", "__neg__", "__pos__",
                 "__abs__", "__getitem__", "__setitem__", "__len__", "__iter__", "__float__",
                 "__int__", "__bool__", "__index__", "__array__", "__lt__", "__le__", "__gt__",
                 "__ge__", "__and__", "__or__", "__xor__", "__invert__"}
    import inspect
    for name in dir(Tensor):
        if name in allowed or (name.startswith("_") and name not in operators):
            continue
        if name in UninitializedParameter.__dict__:
            continue
        attr = inspect.getattr_static(Tensor, name)
        if callable(attr) and not isinstance(attr, (type, property)):
            setattr(UninitializedParameter, name, _uninitialized_use(f"Tensor.{name}"))


_block_uninitialized_uses()
