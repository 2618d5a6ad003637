"""Métodos pequeños de ``Tensor``: ``new_*`` (tensores nuevos con el dtype de este), datos de la
memoria (``stride``, ``storage_offset``, ``data_ptr``, ``is_contiguous``), ``H``,
``clamp_min``/``clamp_max``, ``sum_to_size`` y ``apply_``/``map_`` (funciones de Python
elemento a elemento, sin gradiente, como en PyTorch).
"""
import numpy as np

from . import _index, _inplace, _math, _views
from ._creation_base import filled_array, finish, sizes, to_array

Tensor = None   # la clase Tensor: la pone tensor.py al definirla


# --- new_*: el dtype (y el dispositivo) de este tensor por defecto ----------------------------
def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False, layout=None,
               pin_memory=False):
    return finish(to_array(data, dtype or self._data.dtype), requires_grad, device)


def _new_filled(self, value, size, dtype, device, requires_grad, fn):
    return finish(filled_array(value, size, dtype or self._data.dtype, fn), requires_grad, device)


def new_zeros(self, *size, dtype=None, device=None, requires_grad=False, layout=None,
              pin_memory=False):
    return _new_filled(self, 0, size, dtype, device, requires_grad, "new_zeros")


def new_ones(self, *size, dtype=None, device=None, requires_grad=False, layout=None,
             pin_memory=False):
    return _new_filled(self, 1, size, dtype, device, requires_grad, "new_ones")


def new_empty(self, *size, dtype=None, device=None, requires_grad=False, layout=None,
              pin_memory=False):
    return _new_filled(self, 0, size, dtype, device, requires_grad, "new_empty")


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False,
             layout=None, pin_memory=False):
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    return _new_filled(self, fill_value, (size,), dtype, device, requires_grad, "new_full")


def type_as(self, other):
    return self.to(other.dtype)


# --- la memoria -----------------------------------------------------------------------------
def stride(self, dim=None):
    """Pasos de la memoria en elementos (no en bytes, como PyTorch)."""
    data = self._data
    steps = tuple(s // data.itemsize for s in data.strides)
    if dim is None:
        return steps
    nd = max(data.ndim, 1)
    if not -nd <= dim < nd:
        raise IndexError(f"stride(): dimensión fuera de rango: dim={dim} en un tensor de "
                         f"{data.ndim} dimensiones.")
    return steps[dim] if data.ndim else 1


def _root(data):
    return data if data.base is None or not isinstance(data.base, np.ndarray) else data.base


def data_ptr(self):
    """Dirección de memoria del primer elemento."""
    return self._data.__array_interface__["data"][0]


def storage_offset(self):
    """Desplazamiento (en elementos) del primer elemento desde el inicio de la memoria."""
    start = _root(self._data).__array_interface__["data"][0]
    return (data_ptr(self) - start) // self._data.itemsize


def is_contiguous(self, memory_format=None):
    return bool(self._data.flags.c_contiguous)


def conj_transpose(self):
    """``x.H``: la traspuesta conjugada de una matriz (para números reales, la traspuesta)."""
    nd = self._data.ndim
    if nd == 0:
        return self
    if nd != 2:
        raise RuntimeError(f"tensor.H solo está definido para matrices (tensores 2-D), y este "
                           f"tiene {nd} dimensiones. Para lotes de matrices usa .mT.")
    return self.transpose(0, 1)


# --- clamp_min / clamp_max --------------------------------------------------------------------
def _many(v):
    return isinstance(v, Tensor) and v._data.ndim > 0


def clamp_min(self, min):
    """``max(x, min)`` elemento a elemento (``min`` puede ser un tensor que se difunde)."""
    if _many(min):   # el gradiente va a x donde x >= min y a min donde x < min (PyTorch)
        return _math.where((self >= min)._data, self, min)
    return _math.clamp(self, min=min)


def clamp_max(self, max):
    if _many(max):
        return _math.where((self <= max)._data, self, max)
    return _math.clamp(self, max=max)


def clamp_min_(self, min):
    if _many(min):
        return _index.inplace(self, lambda x: clamp_min(x, min), min)
    return _inplace.clamp_(self, min=_scalar(min))


def clamp_max_(self, max):
    if _many(max):
        return _index.inplace(self, lambda x: clamp_max(x, max), max)
    return _inplace.clamp_(self, max=_scalar(max))


def _scalar(v):
    return v.item() if isinstance(v, Tensor) else v


# --- sum_to_size ------------------------------------------------------------------------------
def sum_to_size(self, *size):
    """Suma sobre las dimensiones difundidas hasta la forma ``size`` (la inversa de expand)."""
    size = sizes(size, "sum_to_size")
    shape = self._data.shape
    lead = len(shape) - len(size)
    if lead < 0 or any(s != 1 and s != shape[lead + i] for i, s in enumerate(size)):
        raise RuntimeError(f"sum_to_size(): la forma {list(size)} no se puede expandir a la del "
                           f"tensor {list(shape)}.")
    out = self.sum(tuple(range(lead))) if lead else self
    dims = tuple(i for i, s in enumerate(size) if s == 1 and out._data.shape[i] != 1)
    return out.sum(dims, keepdim=True) if dims else out


# --- apply_ / map_ ----------------------------------------------------------------------------
def _check_python_fn(self, fn):
    if self._requires_grad:
        raise RuntimeError(f"No se puede llamar a {fn}() sobre un tensor que requiere gradiente "
                           f"(no es derivable). Usa x.detach().{fn}(...).")
    _views.check_writable(self)


def apply_(self, callable):
    """Aplica la función de Python ``callable`` a cada elemento, in situ (lento: un bucle)."""
    _check_python_fn(self, "apply_")
    data = self._data
    values = [callable(v) for v in data.reshape(-1).tolist()]
    data[...] = np.asarray(values, dtype=data.dtype).reshape(data.shape)
    self._bump_version()
    return self


def map_(self, other, callable):
    """``self[i] = callable(self[i], other[i])`` para cada elemento (``other`` se difunde)."""
    _check_python_fn(self, "map_")
    data = self._data
    other = np.broadcast_to(other._data if isinstance(other, Tensor) else other, data.shape)
    values = [callable(a, b) for a, b in zip(data.reshape(-1).tolist(),
                                              other.reshape(-1).tolist())]
    data[...] = np.asarray(values, dtype=data.dtype).reshape(data.shape)
    self._bump_version()
    return self
