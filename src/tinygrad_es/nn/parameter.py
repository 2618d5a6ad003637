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
