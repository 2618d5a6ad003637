"""Comprobaciones de las normas y de las reducciones de tensores vacíos (como PyTorch).

Las usan ``norm``, ``dist``, ``max``/``min`` y compañía en ``_tensor_math.py``: validan la
entrada y eligen la operación de ``ops/norms.py``, con errores en español que nombran la forma
y el argumento del usuario.
"""
import numpy as np

from . import _dtypes
from .ops import elementwise as ew
from .ops import norms
from .ops.base import normalize_axis

_INF = float("inf")


def norm_input(t, name, dtype):
    """Entrada de una norma: de punto flotante y, con ``dtype``, convertida sin estrecharla."""
    if t._data.dtype.kind != "f":
        raise RuntimeError(
            f"{name}() necesita un tensor de punto flotante, y este es "
            f"{_dtypes.dtype_name(t._data.dtype)}. Conviértelo antes con .float().")
    if dtype is None:
        return t
    dtype = np.dtype(dtype)
    if dtype.kind != "f" or _dtypes.promote_types(t._data.dtype, dtype) != dtype:
        raise RuntimeError(
            f"{name}(): el tensor es {_dtypes.dtype_name(t._data.dtype)} y no se puede "
            f"convertir sin perder precisión al dtype pedido {_dtypes.dtype_name(dtype)}.")
    return t if t._data.dtype == dtype else t._apply(ew.Cast, t, dtype=dtype)


def norm_axes(t, dim):
    """``dim`` de una norma como tupla de ejes (None: todos); error si se repite un eje."""
    if dim is None:
        return None
    axes = normalize_axis(dim, t._data.ndim)
    if len(set(axes)) != len(axes):
        raise RuntimeError(f"norm(): la dimensión {dim} aparece repetida en dim.")
    return axes


def empty_norm_check(shape, ord, axes):
    """Las normas inf, -inf y p < 0 no tienen elemento neutro: error si reducen algo vacío."""
    axes = tuple(range(len(shape))) if axes is None else axes
    p = {_INF: "inf", -_INF: "-inf"}.get(ord, f"{ord:g}")
    if axes == tuple(range(len(shape))):
        if 0 in shape:
            raise RuntimeError(
                f"vector_norm no puede calcular la norma {p} de un tensor vacío (forma "
                f"{tuple(shape)}): esa reducción no tiene elemento neutro.")
        return
    for d in axes:
        if shape[d] == 0:
            raise RuntimeError(
                f"vector_norm no puede calcular la norma {p} sobre la dimensión {d}, que está "
                f"vacía (forma {tuple(shape)}): esa reducción no tiene elemento neutro.")


def matrix_norm(t, p, dim, keepdim):
    """``torch.norm`` con p='nuc' (o 'fro' sobre más de dos dimensiones: error, como PyTorch)."""
    ndim = t._data.ndim
    if ndim < 2:
        raise RuntimeError(
            f"norm(p={p!r}) es una norma de matriz y necesita un tensor de al menos 2 "
            f"dimensiones, pero este tiene forma {tuple(t._data.shape)}.")
    dims = tuple(range(ndim)) if dim is None else (
        (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim))
    if len(dims) != 2:
        raise RuntimeError(
            f"norm(p={p!r}) es una norma de matriz: dim debe ser una pareja de dimensiones, "
            f"pero es {dims} (tensor de forma {tuple(t._data.shape)}).")
    axes = tuple(normalize_axis(d, ndim)[0] for d in dims)
    if axes[0] == axes[1]:
        raise RuntimeError(f"norm(p={p!r}): las dos dimensiones deben ser distintas, y son {dims}.")
    if p != "nuc":
        raise RuntimeError(
            f"norm(): el orden {p!r} no existe. Las normas de matriz son 'fro' (Frobenius) y "
            "'nuc' (nuclear); para vectores, p es un número (2, 1, inf...).")
    return t._apply(norms.NuclearNorm, t, axes=axes, keepdim=keepdim)


def empty_reduction_check(t, name, dim, error=RuntimeError):
    """max/min/argmax... de un tensor vacío: sin dim es un error; con dim, si esa está vacía.

    Como PyTorch: RuntimeError sin dim (IndexError en argmax/argmin), IndexError con dim.
    """
    shape = tuple(t._data.shape)
    what = "máximo" if name.endswith("max") else "mínimo"
    if dim is None:
        raise error(
            f"{name}(): el tensor está vacío (forma {shape}, 0 elementos) y no tiene {what}. "
            "Indica la dimensión que se reduce con el argumento dim (las dimensiones no "
            "vacías dan un resultado vacío).")
    for d in normalize_axis(dim, len(shape)):
        if shape[d] == 0:
            raise IndexError(
                f"{name}(): la dimensión {d} que se reduce tiene tamaño 0 (forma {shape}): no "
                f"hay ningún elemento del que tomar el {what}.")
