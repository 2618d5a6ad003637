"""Álgebra lineal de ``Tensor`` y de ``torch``: mv, vdot, inner, outer/ger, tensordot,
addmm/addmv/baddbmm (beta, alpha), kron, cross, trace, det e inverse.

Lo que es composición (outer, kron, cross, addmm...) se escribe con operaciones
diferenciables; det e inverse son operaciones de ``ops/linalg_extra.py`` (einsum está en
``_einsum.py``).
``tensor.py`` las enlaza como métodos y ``functions.py`` como funciones. Este módulo no
importa ``tensor.py``.
"""
import warnings

import numpy as np

from . import _dtypes
from ._return_types import inplace, write_out
from ._shape import cat
from .ops import linalg_extra as la
from .ops.base import normalize_axis
from .errors import user_stacklevel

Tensor = None   # la clase Tensor: la pone tensor.py al definirla


def _tensors(name, **named):
    for arg, x in named.items():
        if not isinstance(x, Tensor):
            raise TypeError(f"{name}(): el argumento '{arg}' debe ser un Tensor, no "
                            f"{type(x).__name__}.")


def _same_dtype(name, *xs):
    dts = {x._data.dtype for x in xs}
    if len(dts) > 1:
        raise RuntimeError(
            f"{name}() necesita tensores del mismo dtype, y recibió "
            + " y ".join(_dtypes.dtype_name(x._data.dtype) for x in xs)
            + ". Convierte los demás con .to(x.dtype).")


def _shape(x):
    return tuple(x._data.shape)


# --- productos -------------------------------------------------------------------------------
def mv(input, vec, *, out=None):
    """Matriz (n, m) por vector (m,)."""
    _tensors("mv", input=input, vec=vec)
    if input._data.ndim != 2 or vec._data.ndim != 1 or input._data.shape[1] != vec._data.shape[0]:
        raise RuntimeError(
            f"mv multiplica una matriz (n, m) por un vector (m,), y recibió formas "
            f"{_shape(input)} y {_shape(vec)}.")
    return write_out(input.matmul(vec), out, "mv")


def vdot(input, other, *, out=None):
    """Producto escalar de dos vectores 1-D del mismo tamaño."""
    _tensors("vdot", input=input, other=other)
    if input._data.ndim != 1 or other._data.ndim != 1 or input._data.size != other._data.size:
        raise RuntimeError(
            f"vdot necesita dos vectores 1-D del mismo tamaño, y recibió formas {_shape(input)} "
            f"y {_shape(other)}.")
    return write_out(input.matmul(other), out, "vdot")


def outer(input, vec2, *, out=None):
    """Producto exterior de dos vectores: (n,) y (m,) dan (n, m)."""
    _tensors("outer", input=input, vec2=vec2)
    for arg, x in (("input", input), ("vec2", vec2)):
        if x._data.ndim != 1:
            raise RuntimeError(f"outer(): {arg} debe ser un vector 1-D, y tiene forma "
                               f"{_shape(x)}.")
    return write_out(input.unsqueeze(1) * vec2, out, "outer")


ger = outer


def inner(input, other, *, out=None):
    """Suma de productos sobre la última dimensión de los dos (escalar por tensor si son 0-d)."""
    _tensors("inner", input=input, other=other)
    if input._data.ndim == 0 or other._data.ndim == 0:
        return write_out(input * other, out, "inner")
    if input._data.shape[-1] != other._data.shape[-1]:
        raise RuntimeError(
            f"inner(): la última dimensión de los dos debe coincidir, y las formas son "
            f"{_shape(input)} y {_shape(other)}.")
    return write_out(tensordot(input, other, ([-1], [-1])), out, "inner")


def tensordot(a, b, dims=2, out=None):
    """Contrae las últimas ``dims`` dimensiones de ``a`` con las primeras de ``b`` (o las
    parejas dadas: ``dims=([1, 0], [0, 1])``)."""
    _tensors("tensordot", a=a, b=b)
    na, nb = a._data.ndim, b._data.ndim
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, (int, np.integer)):
        if dims < 0 or dims > min(na, nb):
            raise RuntimeError(f"tensordot(): dims={dims} debe estar entre 0 y {min(na, nb)}.")
        da, db = list(range(na - dims, na)), list(range(dims))
    else:
        da, db = ([d] if isinstance(d, (int, np.integer)) else list(d) for d in dims)
        if len(da) != len(db):
            raise RuntimeError(
                f"tensordot(): las dos listas de dims deben tener la misma longitud, y tienen "
                f"{len(da)} y {len(db)}.")
        da = [normalize_axis(d, na)[0] for d in da]
        db = [normalize_axis(d, nb)[0] for d in db]
    for i, j in zip(da, db):
        if a._data.shape[i] != b._data.shape[j]:
            raise RuntimeError(
                f"tensordot(): la dimensión {i} de a (tamaño {a._data.shape[i]}) no coincide "
                f"con la {j} de b (tamaño {b._data.shape[j]}).")
    letters = iter(la._LETTERS)
    sa = [next(letters) for _ in range(na)]
    sb = [next(letters) for _ in range(nb)]
    for i, j in zip(da, db):
        sb[j] = sa[i]
    rhs = [c for k, c in enumerate(sa) if k not in da] + [c for k, c in enumerate(sb)
                                                         if k not in db]
    _same_dtype("tensordot", a, b)
    eq = "".join(sa) + "," + "".join(sb) + "->" + "".join(rhs)
    return write_out(a._apply(la.Einsum, a, b, equation=eq), out, "tensordot")


def _scaled_sum(name, input, a, b, beta, alpha, label):
    """beta·input + alpha·(a @ b) en un nodo; con beta = 0 se ignora input (nan incluidos)."""
    product_shape = a._data.shape[:-1] + (b._data.shape[-1:] if b._data.ndim > 1 else ())
    try:
        shape = np.broadcast_shapes(input._data.shape, product_shape)
    except ValueError:
        shape = None
    if shape != product_shape:
        raise RuntimeError(
            f"{name}(): input de forma {_shape(input)} no se puede difundir a la forma del "
            f"producto {product_shape}.")
    _same_dtype(name, input, a, b)
    return input._apply(la.AddMatmul, input, a, b, beta=beta, alpha=alpha, label=label)


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """beta·input + alpha·(mat1 @ mat2), con mat1 (n, m) y mat2 (m, p)."""
    _tensors("addmm", input=input, mat1=mat1, mat2=mat2)
    if mat1._data.ndim != 2 or mat2._data.ndim != 2:
        raise RuntimeError(
            f"addmm(): mat1 y mat2 deben ser matrices 2-D, y tienen formas {_shape(mat1)} y "
            f"{_shape(mat2)}.")
    if mat1._data.shape[1] != mat2._data.shape[0]:
        raise RuntimeError(
            f"addmm(): no se pueden multiplicar mat1 {_shape(mat1)} y mat2 {_shape(mat2)}: las "
            "columnas de mat1 deben coincidir con las filas de mat2.")
    return write_out(_scaled_sum("addmm", input, mat1, mat2, beta, alpha, "AddmmBackward0"),
                     out, "addmm")


def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    """beta·input + alpha·(mat @ vec), con mat (n, m) y vec (m,)."""
    _tensors("addmv", input=input, mat=mat, vec=vec)
    mv(mat, vec)   # comprueba las formas (error en español)
    return write_out(_scaled_sum("addmv", input, mat, vec, beta, alpha, "AddmvBackward0"), out,
                     "addmv")


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """beta·input + alpha·(batch1 @ batch2) por lotes: (b, n, m) y (b, m, p)."""
    _tensors("baddbmm", input=input, batch1=batch1, batch2=batch2)
    for arg, x in (("batch1", batch1), ("batch2", batch2)):
        if x._data.ndim != 3:
            raise RuntimeError(f"baddbmm(): {arg} debe ser 3-D (lote, n, m), y tiene forma "
                               f"{_shape(x)}.")
    s1, s2 = batch1._data.shape, batch2._data.shape
    if s1[0] != s2[0] or s1[2] != s2[1]:
        raise RuntimeError(
            f"baddbmm(): no se pueden multiplicar por lotes {_shape(batch1)} y {_shape(batch2)} "
            "(mismo lote y columnas de batch1 = filas de batch2).")
    return write_out(_scaled_sum("baddbmm", input, batch1, batch2, beta, alpha,
                                 "BaddbmmBackward0"), out, "baddbmm")


def addmm_(self, mat1, mat2, *, beta=1, alpha=1):
    return inplace(self, lambda src: addmm(src, mat1, mat2, beta=beta, alpha=alpha), "addmm_")


def addmv_(self, mat, vec, *, beta=1, alpha=1):
    return inplace(self, lambda src: addmv(src, mat, vec, beta=beta, alpha=alpha), "addmv_")


def baddbmm_(self, batch1, batch2, *, beta=1, alpha=1):
    return inplace(self, lambda src: baddbmm(src, batch1, batch2, beta=beta, alpha=alpha),
                   "baddbmm_")


# --- kron, cross, trace ----------------------------------------------------------------------
def kron(input, other, *, out=None):
    """Producto de Kronecker: cada elemento de input multiplica un bloque ``other``."""
    _tensors("kron", input=input, other=other)
    n = max(input._data.ndim, other._data.ndim)
    sa = (1,) * (n - input._data.ndim) + _shape(input)
    sb = (1,) * (n - other._data.ndim) + _shape(other)
    a = input.reshape(tuple(v for d in sa for v in (d, 1)))
    b = other.reshape(tuple(v for d in sb for v in (1, d)))
    return write_out((a * b).reshape(tuple(x * y for x, y in zip(sa, sb))), out, "kron")


def _cross(name, input, other, dim):
    _tensors(name, input=input, other=other)
    if input._data.ndim != other._data.ndim:
        raise RuntimeError(
            f"{name}(): los dos tensores deben tener el mismo número de dimensiones, y tienen "
            f"formas {_shape(input)} y {_shape(other)}.")
    try:
        shape = np.broadcast_shapes(input._data.shape, other._data.shape)
    except ValueError:
        raise RuntimeError(f"{name}(): las formas {_shape(input)} y {_shape(other)} no se pueden "
                           "difundir.") from None
    if dim is None:
        sizes = [i for i, d in enumerate(shape) if d == 3]
        if not sizes:
            raise RuntimeError(
                f"{name}(): no hay ninguna dimensión de tamaño 3 (formas {_shape(input)} y "
                f"{_shape(other)}).")
        warnings.warn(
            "cross() sin dim usa la primera dimensión de tamaño 3; esto cambiará en PyTorch "
            "(por defecto será la última, como linalg.cross). Indica dim o usa "
            "torch.linalg.cross.", UserWarning, stacklevel=user_stacklevel())
        dim = sizes[0]
    axis = normalize_axis(dim, len(shape))[0]
    pa = (1,) * (len(shape) - input._data.ndim) + _shape(input)
    pb = (1,) * (len(shape) - other._data.ndim) + _shape(other)
    if pa[axis] != 3 or pb[axis] != 3:
        raise RuntimeError(
            f"{name}(): la dimensión {dim} debe tener tamaño 3 en los dos, y las formas son "
            f"{_shape(input)} y {_shape(other)}.")
    a, b = input.expand(*shape), other.expand(*shape)
    lead = (slice(None),) * axis

    def part(x, k):
        return x[lead + (slice(k, k + 1),)]

    pieces = [part(a, 1) * part(b, 2) - part(a, 2) * part(b, 1),
              part(a, 2) * part(b, 0) - part(a, 0) * part(b, 2),
              part(a, 0) * part(b, 1) - part(a, 1) * part(b, 0)]
    return cat(pieces, axis)


def cross(input, other, dim=None, *, out=None):
    """Producto vectorial a lo largo de ``dim`` (de tamaño 3)."""
    return write_out(_cross("cross", input, other, dim), out, "cross")


def linalg_cross(input, other, *, dim=-1, out=None):
    """``torch.linalg.cross``: como cross, con dim=-1 por defecto."""
    return write_out(_cross("linalg.cross", input, other, dim), out, "linalg.cross")


def trace(input):
    """Suma de la diagonal de una matriz 2-D."""
    _tensors("trace", input=input)
    if input._data.ndim != 2:
        raise RuntimeError(f"trace() necesita una matriz 2-D, y recibió forma {_shape(input)}.")
    return input.diagonal().sum()


# --- det, inverse, solve ---------------------------------------------------------------------
def _square(name, A):
    _tensors(name, A=A)
    if A._data.ndim < 2:
        raise RuntimeError(
            f"{name}: A debe tener al menos 2 dimensiones (…, n, n), y tiene forma {_shape(A)}.")
    if A._data.shape[-1] != A._data.shape[-2]:
        raise RuntimeError(
            f"{name}: A debe ser una matriz cuadrada (o un lote de ellas), y es de "
            f"{A._data.shape[-2]} por {A._data.shape[-1]}.")
    if A._data.dtype.kind != "f":
        raise RuntimeError(
            f"{name}: A debe ser de punto flotante, y es {_dtypes.dtype_name(A._data.dtype)}. "
            "Conviértelo con .float().")


def det(A, *, out=None):
    """Determinante de una matriz cuadrada o de un lote (…, n, n)."""
    _square("linalg.det", A)
    return write_out(A._apply(la.Det, A), out, "det")


def inverse(A, *, out=None):
    """Inversa de una matriz cuadrada o de un lote (…, n, n); error si es singular."""
    _square("linalg.inv", A)
    return write_out(A._apply(la.Inverse, A), out, "inverse")


def solve(A, B, *, left=True, out=None):
    """X con A·X = B (B es (…, n) o (…, n, k)); ``left=False`` resuelve X·A = B."""
    _square("linalg.solve", A)
    _tensors("linalg.solve", B=B)
    if not left:   # X·A = B  <=>  Aᵀ·Xᵀ = Bᵀ
        return write_out(solve(A.mT, B.mT).mT, out, "linalg.solve")
    _same_dtype("linalg.solve", A, B)
    n = A._data.shape[-1]
    vector = B._data.ndim == 1 or (B._data.ndim == A._data.ndim - 1
                                   and B._data.shape == A._data.shape[:-1])
    b = B.unsqueeze(-1) if vector else B
    if b._data.ndim < 2 or b._data.shape[-2] != n:
        raise RuntimeError(
            f"linalg.solve: B debe tener {n} filas como A {_shape(A)}, y tiene forma "
            f"{_shape(B)}.")
    try:
        np.broadcast_shapes(A._data.shape[:-2], b._data.shape[:-2])
    except ValueError:
        raise RuntimeError(
            f"linalg.solve: las dimensiones de lote de A {_shape(A)} y B {_shape(B)} no se "
            "pueden difundir.") from None
    x = A._apply(la.Solve, A, b)
    return write_out(x.squeeze(-1) if vector else x, out, "linalg.solve")
