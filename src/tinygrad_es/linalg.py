"""``torch.linalg`` en tinygrad_es: norm, vector_norm, matrix_norm, inv, det, solve, cross,
cond y las descomposiciones svd, svdvals, qr, eigh y eigvalsh.

Todas con gradiente (las normas usan las operaciones de ``ops/norms.py``; inv, det y solve
las de ``ops/linalg_extra.py``; las descomposiciones las de ``ops/decomp.py``, con
``_linalg_decomp.py``).
"""
import numpy as np

from ._linalg_extra import det as _det
from ._linalg_extra import inverse as _inverse
from ._linalg_extra import linalg_cross as cross  # noqa: F401 (reexportada)
from ._linalg_extra import solve  # noqa: F401 (reexportada)
from ._linalg_decomp import (check_matrix, eigh, eigvalsh, qr, spectral_norm,  # noqa: F401
                             svd, svdvals)
from ._reduce import empty_norm_check, norm_axes, norm_input
from ._return_types import write_out
from .ops import norms
from .ops.base import normalize_axis
from .ops.linalg_extra import LinAlgError  # noqa: F401 (reexportada)
from .tensor import Tensor

_INF = float("inf")

__all__ = ["norm", "vector_norm", "matrix_norm", "inv", "det", "matrix_power", "solve", "cross",
           "cond", "svd", "svdvals", "qr", "eigh", "eigvalsh", "LinAlgError"]


def _tensor(x, name):
    if not isinstance(x, Tensor):
        raise TypeError(f"linalg.{name}(): el argumento debe ser un Tensor, no "
                        f"{type(x).__name__}.")


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """Norma p de ``x`` (todo el tensor aplanado, o sobre ``dim``): ord numérico, ±inf, 0."""
    _tensor(x, "vector_norm")
    if isinstance(ord, str) or isinstance(ord, bool) or not isinstance(
            ord, (int, float, np.integer, np.floating)):
        raise RuntimeError(
            f"linalg.vector_norm(): ord debe ser un número (2, 1, inf, 0...), no {ord!r}. Para "
            "'fro' o 'nuc' usa linalg.matrix_norm.")
    src = norm_input(x, "linalg.vector_norm", dtype)
    axes = norm_axes(src, dim)
    p = float(ord)
    if src._data.size == 0 and (p < 0 or p == _INF):
        empty_norm_check(src._data.shape, p, axes)
    return write_out(src._apply(norms.VectorNorm, src, ord=p, axis=axes, keepdim=keepdim), out,
                     "linalg.vector_norm")


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """Norma de matriz sobre las dos dimensiones ``dim``: 'fro', 'nuc', ±1, ±inf o ±2 (el mayor
    o el menor valor singular, con ``svdvals``)."""
    _tensor(A, "matrix_norm")
    src = norm_input(A, "linalg.matrix_norm", dtype)
    if src._data.ndim < 2:
        raise RuntimeError(
            f"linalg.matrix_norm: A debe tener al menos 2 dimensiones, y tiene forma "
            f"{tuple(src._data.shape)}.")
    if not isinstance(dim, (tuple, list)) or len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim debe ser una pareja de dimensiones, no "
                           f"{dim!r}.")
    r, c = (normalize_axis(d, src._data.ndim)[0] for d in dim)
    if r == c:
        raise RuntimeError(f"linalg.matrix_norm: las dos dimensiones de dim deben ser "
                           f"distintas, y son {tuple(dim)}.")
    if ord == "fro":
        result = src._apply(norms.VectorNorm, src, ord=2.0, axis=tuple(sorted((r, c))),
                            keepdim=keepdim)
    elif ord == "nuc":
        result = src._apply(norms.NuclearNorm, src, axes=(r, c), keepdim=keepdim)
    elif not isinstance(ord, str) and ord in (1, -1, _INF, -_INF):
        # ±1: máximo/mínimo de las sumas de |a| por columnas; ±inf: por filas
        summed, other = (r, c) if abs(ord) == 1 else (c, r)
        sums = src.abs().sum(summed, keepdim=True)
        result = sums.amax(other, keepdim=True) if ord > 0 else sums.amin(other, keepdim=True)
        if not keepdim:
            result = result.reshape(tuple(d for i, d in enumerate(result.shape)
                                          if i not in (r, c)))
    elif not isinstance(ord, str) and ord in (2, -2):
        result = spectral_norm(src, ord, r, c, keepdim)
    else:
        raise RuntimeError(
            f"linalg.matrix_norm: ord={ord!r} no es una norma de matriz; usa 'fro', 'nuc', "
            "1, -1, 2, -2, inf o -inf.")
    return write_out(result, out, "linalg.matrix_norm")


def norm(A, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    """``torch.linalg.norm``: norma de vector o de matriz según ``ord`` y ``dim``."""
    _tensor(A, "norm")
    if isinstance(dim, (int, np.integer)):
        dim = (dim,)
    if dim is not None and len(dim) == 2 or (dim is None and ord is not None and A.ndim == 2):
        result = matrix_norm(A, "fro" if ord is None else ord, (-2, -1) if dim is None else dim,
                             keepdim, dtype=dtype)
    elif dim is None and ord is not None and A.ndim != 1:
        raise RuntimeError(
            f"linalg.norm: con ord={ord!r} y sin dim, A debe ser 1-D o 2-D, y tiene forma "
            f"{tuple(A.shape)}. Indica dim.")
    else:
        if isinstance(ord, str):
            raise RuntimeError(
                f"linalg.norm: ord={ord!r} es una norma de matriz y necesita dos dimensiones "
                "(dim=(-2, -1)).")
        result = vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
    return write_out(result, out, "linalg.norm")


def inv(A, *, out=None):
    """Inversa de una matriz cuadrada (o de un lote); LinAlgError si es singular."""
    return _inverse(A, out=out)


_COND_SVD = (None, 2, -2)
_COND_INV = ("fro", "nuc", 1, -1, _INF, -_INF)


def cond(A, p=None, *, out=None):
    """Número de condición de A según la norma ``p``: ‖A‖·‖A⁻¹‖.

    p=None o 2: s_max / s_min (con svdvals; también para matrices no cuadradas); p=-2: su
    inverso; 'fro', 'nuc', ±1, ±inf: con la inversa (A cuadrada; inf si es singular, como
    PyTorch).
    """
    _tensor(A, "cond")
    numeric = isinstance(p, (int, float, np.integer, np.floating)) and not isinstance(p, bool)
    if not (p is None or isinstance(p, str) or numeric) or (p not in _COND_SVD
                                                             and p not in _COND_INV):
        raise RuntimeError(
            f"linalg.cond: p={p!r} no es una norma válida; usa None, 2, -2, 'fro', 'nuc', 1, -1, "
            "inf o -inf.")
    if A._data.ndim < 2:
        raise RuntimeError(
            f"linalg.cond: el tensor A debe tener al menos 2 dimensiones, y tiene forma "
            f"{tuple(A._data.shape)}.")
    if not isinstance(p, str) and p in _COND_SVD:
        check_matrix(A, "linalg.cond")
        s = svdvals(A)
        big, small = s[..., 0], s[..., -1]
        with np.errstate(divide="ignore", invalid="ignore"):   # 0/0 = nan sin avisos (PyTorch)
            value = big / small if p != -2 else small / big
        return write_out(value, out, "linalg.cond")
    check_matrix(A, f"linalg.cond(ord={p})", square=True)
    with np.errstate(all="ignore"):
        singular = np.linalg.det(A._data) == 0
    safe = A
    if singular.any():   # como PyTorch: inf donde A es singular (sin gradiente allí)
        eye = np.broadcast_to(np.eye(A._data.shape[-1], dtype=A._data.dtype), A._data.shape)
        safe = A.where(Tensor._wrap(~singular[..., None, None]), Tensor._wrap(eye))
    value = matrix_norm(safe, p) * matrix_norm(inv(safe), p)
    if singular.any():
        value = value.where(Tensor._wrap(~singular),
                            Tensor._wrap(np.array(_INF, dtype=A._data.dtype)))
    return write_out(value, out, "linalg.cond")


def matrix_power(A, n, *, out=None):
    """La potencia entera ``n`` de una matriz cuadrada (o de un lote); ``n < 0``, de la inversa."""
    return write_out(A.matrix_power(n), out, "linalg.matrix_power")


def det(A, *, out=None):
    """Determinante de una matriz cuadrada (o de un lote)."""
    return _det(A, out=out)


_PENDIENTES = {"eig", "eigvals", "cholesky", "lstsq", "pinv", "matrix_rank", "slogdet", "lu",
               "matrix_exp", "multi_dot", "vander", "tensorinv", "tensorsolve",
               "householder_product", "ldl_factor", "diagonal", "vecdot", "matmul", "inv_ex",
               "solve_ex", "cholesky_ex"}


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    extra = (" Disponibles: " + ", ".join(__all__) + ".")
    if name in _PENDIENTES:
        raise AttributeError(f"torch.linalg.{name} no está disponible en tinygrad_es.{extra}")
    raise AttributeError(f"tinygrad_es.linalg no tiene '{name}'.{extra}")

