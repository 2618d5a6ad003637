"""Conversiones de ``Tensor``: de dtype (``to``, ``type``, ``float()``...), de dispositivo (solo
CPU) y a valores de Python y NumPy (``item``, ``numpy``, ``float(t)``, ``bool(t)``, ``f"{t:.4f}"``).

``tensor.py`` enlaza estas funciones como métodos (reciben el tensor como primer argumento).
"""
import numpy as np

from . import _capture, _dtypes
from ._device import _check_device
from .autograd.graph import per_thread
from .errors import cpu_only_error, raise_lost_graph
from .ops import elementwise as ew


def to(self, *args, dtype=None, **kwargs):
    """``to("cpu")``, ``to(torch.float64)``, ``to(device, dtype)``."""
    _check_device(kwargs.get("device"))
    for arg in args:
        if isinstance(arg, np.dtype) or (isinstance(arg, type) and issubclass(arg, np.generic)):
            dtype = arg
        elif hasattr(arg, "_data"):
            dtype = arg.dtype
        else:
            _check_device(arg)
    return to_type(self, dtype) if dtype is not None else self


def cuda(self, *args, **kwargs):
    raise cpu_only_error()


def to_type(self, dtype=None):
    """``t.type()``: el nombre del tipo; ``t.type(dtype)``: el tensor convertido (o él mismo)."""
    if dtype is None:
        return _dtypes.dtype_name(self._data.dtype)
    dtype = np.dtype(dtype)
    if dtype == self._data.dtype:
        return self
    return self._apply(ew.Cast, self, dtype=dtype)


# --- a Python y a NumPy -----------------------------------------------------------------------
def item(self):
    if self._data.size != 1:
        raise RuntimeError(
            f"Un tensor con {self._data.size} elementos no se puede convertir en un escalar "
            "con .item(): solo funciona con tensores de un elemento. Usa .tolist() para "
            "obtener todos los valores o selecciona uno primero (t[0].item()).")
    _capture.read(self, ".item()")
    return self._data.item()


def numpy(self, force=False):
    if self._requires_grad and not force:
        raise RuntimeError(
            "No se puede llamar a .numpy() sobre un tensor que requiere gradiente: "
            "usa .detach().numpy().")
    _capture.read(self, ".numpy()")
    return self._data


def array(self, dtype=None, copy=None):
    """``np.asarray(t)``; dentro de un backward con create_graph, un error que lo explica."""
    if self._requires_grad and per_thread.mode.graph_backward:
        raise_lost_graph(self)
    _capture.read(self, "np.asarray(t)")
    return self._data if dtype is None else self._data.astype(dtype)


def to_float(self):
    return float(scalar_for(self, "float"))


def to_int(self):
    return int(scalar_for(self, "int"))


def scalar_for(self, name):
    if self._data.size != 1:   # PyTorch lanza ValueError aquí (y RuntimeError en .item())
        raise ValueError(
            f"{name}() solo funciona con tensores de un elemento, y este tiene "
            f"{self._data.size} (forma {tuple(self._data.shape)}). Usa .tolist() o "
            "selecciona un elemento.")
    _capture.read(self, f"{name}(t)")
    return self._data.item()


def index(self):
    if self._data.dtype.kind not in "iu" or self._data.size != 1:
        raise TypeError("solo un tensor entero de un elemento se puede usar como índice")
    _capture.read(self, "t como índice")
    return int(self._data.item())


def to_bool(self):
    if self._data.size != 1:
        raise RuntimeError(
            f"El valor de verdad de un tensor con {self._data.size} elementos es ambiguo: "
            "usa .any() o .all().")
    _capture.read(self, "bool(t)")
    return bool(self._data.item())


def format_spec(self, spec):
    """Como PyTorch: un tensor 0-d se formatea como su número (``f"{loss:.4f}"``)."""
    _capture.read(self, "f\"{t}\"")
    if self._data.ndim == 0 or (spec and self._data.size == 1):
        return format(self._data.item(), spec)
    if spec:
        raise TypeError(
            f"El formato {spec!r} solo se puede aplicar a tensores de un elemento, y este "
            f"tiene forma {tuple(self._data.shape)}. Usa f\"{{t}}\" o formatea cada "
            "elemento de t.tolist().")
    return str(self)
