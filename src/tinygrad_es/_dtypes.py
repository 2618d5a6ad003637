"""Tipos de datos y reglas de promoción de PyTorch (no las de NumPy 2).

Los dtypes son ``numpy.dtype``: ``tinygrad_es.float32 == np.dtype('float32')``.
"""
import numpy as np

_pybool, _pyint, _pyfloat = type(True), type(1), type(1.0)

float16 = half = np.dtype(np.float16)
float32 = float = np.dtype(np.float32)
float64 = double = np.dtype(np.float64)
uint8 = np.dtype(np.uint8)
int8 = np.dtype(np.int8)
int16 = short = np.dtype(np.int16)
int32 = int = np.dtype(np.int32)
int64 = long = np.dtype(np.int64)
bool = np.dtype(np.bool_)  # noqa: A001 (mismo nombre que torch.bool)

default_float = float32
_NAMES = {float16: "float16", float32: "float32", float64: "float64", uint8: "uint8",
          int8: "int8", int16: "int16", int32: "int32", int64: "int64", bool: "bool"}


def dtype_name(dt):
    """Nombre para mostrar: ``tinygrad_es.float64``."""
    return "tinygrad_es." + _NAMES.get(dt, str(dt))


def category(dt):
    """0 = bool, 1 = entero, 2 = punto flotante."""
    kind = dt.kind
    if kind == "f":
        return 2
    if kind in "iu":
        return 1
    if kind == "b":
        return 0
    raise TypeError(f"tipo de dato no admitido: {dt}")


def is_floating(dt):
    return dt.kind == "f"


def promote_types(a, b):
    """Como ``torch.promote_types``: entre categorías gana la más alta (int64+float32 -> float32)."""
    if a is b or a == b:
        return a
    ca, cb = category(a), category(b)
    if ca != cb:
        return a if ca > cb else b
    return np.promote_types(a, b)


def scalar_dtype(value):
    """dtype "débil" de un escalar de Python o de NumPy: el predeterminado de su categoría."""
    if isinstance(value, (np.bool_, _pybool)):
        return bool
    if isinstance(value, (np.integer, _pyint)):
        return int64
    if isinstance(value, (np.floating, _pyfloat)):
        return default_float
    raise TypeError(value)



def result_type(operands):
    """dtype del resultado según PyTorch.

    ``operands`` es una lista de pares ``(dtype, kind)`` con kind 0 = tensor con dimensiones,
    1 = tensor de 0 dimensiones, 2 = escalar. Un escalar o un tensor 0-d solo cambian el
    resultado si su categoría es mayor que la de los tensores con dimensiones.
    """
    groups = [None, None, None]
    for dt, kind in operands:
        groups[kind] = dt if groups[kind] is None else promote_types(groups[kind], dt)
    result = None
    for dt in groups:
        if dt is None:
            continue
        if result is None:
            result = dt
        elif category(dt) > category(result):
            result = promote_types(result, dt)
    return result
