"""Valores por defecto globales: ``set_default_dtype``/``get_default_dtype`` y el dispositivo.

``set_default_dtype(torch.float64)`` cambia, como en PyTorch, el tipo de todo lo que se crea
sin ``dtype`` explícito a partir de números de punto flotante: ``tensor([1.5])``, ``zeros``,
``ones``, ``rand``, ``randn``, ``arange(0., 1.)``, ``linspace``, las capas de ``nn``, y el
resultado de mezclar enteros con un float (``tensor([1, 2]) / 2``). Los datos de NumPy
conservan su tipo (``tensor(np.float32(...))`` sigue siendo float32).
"""
import numpy as np

from . import _dtypes
from ._device import _check_device, device

_ADMITIDOS = (_dtypes.float32, _dtypes.float64)


def set_default_dtype(d):
    """Fija el tipo de punto flotante por defecto: ``torch.float32`` (inicial) o ``torch.float64``."""
    if isinstance(d, np.dtype):
        dt = d
    elif isinstance(d, type) and issubclass(d, np.generic):
        dt = np.dtype(d)
    else:
        raise TypeError(
            f"set_default_dtype espera un tipo de tinygrad_es (torch.float32 o torch.float64), "
            f"pero recibió {d!r} ({type(d).__name__}). Escribe torch.set_default_dtype("
            "torch.float64).")
    if dt.kind != "f":
        raise TypeError(
            f"Solo un tipo de punto flotante puede ser el tipo por defecto, y "
            f"{_dtypes.dtype_name(dt)} no lo es: usa torch.float32 o torch.float64.")
    if dt not in _ADMITIDOS:
        raise TypeError(
            f"tinygrad_es solo admite float32 y float64 como tipo por defecto (se pidió "
            f"{_dtypes.dtype_name(dt)}). Para trabajar en {dt}, convierte los tensores con "
            ".to(dtype).")
    _dtypes.default_float = dt


def get_default_dtype():
    """El tipo de punto flotante por defecto (``torch.float32`` salvo que se cambie)."""
    return _dtypes.default_float


def set_default_device(dev):
    """Solo existe la CPU: acepta ``'cpu'``, ``torch.device('cpu')`` o None; otro da error."""
    _check_device(dev)


def get_default_device():
    """Siempre ``device(type='cpu')``."""
    return device("cpu")
