"""Descomposiciones de ``torch.linalg`` con gradiente: svd, svdvals, qr, eigh, eigvalsh y cond,
y la antigua ``torch.svd`` (devuelve V, no Vh).

Las operaciones (forward, backward y la regla) están en ``ops/decomp.py``. Sin gradiente que
calcular se llama a NumPy directamente; con él, la descomposición es un nodo cuya salida
empaquetada se reparte en piezas (U, S, Vh...), cada una con el nombre de PyTorch en su
``grad_fn``.

Ninguna descomposición es única: cada vector singular o propio puede cambiar de signo, así que
solo las funciones que no dependen de esa elección (A reconstruida, los valores, los proyectores
U·Uᵀ, |U|...) dan el mismo resultado que PyTorch. Con valores singulares o propios repetidos el
gradiente de U, Vh o de los vectores propios no está definido (se divide por sus diferencias y
sale inf o nan), también como en PyTorch; el de los valores sí lo está.
"""
import numpy as np

from . import _dtypes
from ._return_types import result, write_out
from .autograd.grad_mode import is_grad_enabled
from .ops import decomp
from .ops.linalg_extra import LinAlgError
from .tensor import Tensor

_INF = float("inf")


def _check(A, name, square=False, not_implemented=False):
    """Tensor de punto flotante con al menos dos dimensiones (y cuadrado si ``square``)."""
    if not isinstance(A, Tensor):
        raise TypeError(f"{name}(): el argumento A debe ser un Tensor, no {type(A).__name__}.")
    shape = tuple(A._data.shape)
    if len(shape) < 2:
        raise RuntimeError(
            f"{name}: el tensor A debe tener al menos 2 dimensiones (una matriz o un lote de "
            f"matrices), y tiene forma {shape}.")
    if A._data.dtype not in (np.float32, np.float64):
        error = NotImplementedError if not_implemented else RuntimeError
        raise error(
            f"{name}: A debe ser de punto flotante (float32 o float64), y es "
            f"{_dtypes.dtype_name(A._data.dtype)}. Conviértelo con A.float() o A.double().")
    if square and shape[-1] != shape[-2]:
        raise RuntimeError(
            f"{name}: A debe ser una matriz cuadrada (o un lote de ellas), y sus dos últimas "
            f"dimensiones son {shape[-2]}×{shape[-1]} (forma {shape}).")


def _no_driver(driver, name):
    if driver is not None:
        raise RuntimeError(
            f"torch.{name}: el argumento driver= solo sirve en GPU (CUDA con cuSOLVER); en "
            f"tinygrad_es no hay GPU. Quita driver={driver!r}.")


def _tracked(A):
    return A._requires_grad and is_grad_enabled()


def _decompose(A, op, wanted, **options):
    """Las salidas de ``op`` sobre A: en un nodo del grafo si A requiere gradiente.

    ``wanted``: las posiciones de las salidas que se devuelven (todas las demás se calculan
    igual, porque el backward las necesita).
    """
    if _tracked(A):
        packed = A._apply(op, A, **options)
        label = packed.grad_fn.label
        layout = packed.grad_fn.layout
        return [packed._apply(decomp.Piece, packed, start=layout[i][0], shape=layout[i][1],
                              label=label) for i in wanted]
    holder = _Holder()   # un ctx mínimo: sin nodo, pero con la disposición del paquete
    packed = op.forward(holder, A._data, **options)
    arrays = decomp.unpack(packed, holder.layout)
    return [Tensor._wrap(np.ascontiguousarray(arrays[i])) for i in wanted]


class _Holder:
    """El ``ctx`` de un forward sin grafo: guarda la disposición y nada más."""

    def save_for_backward(self, *arrays):
        pass


# --- SVD -------------------------------------------------------------------------------------
def svd(A, full_matrices=True, *, driver=None, out=None):
    """SVD ``A = U·diag(S)·Vh`` (de una matriz o de un lote): la tupla ``(U, S, Vh)``.

    ``full_matrices=False`` da la SVD reducida (U de m×k y Vh de k×n, k = min(m, n)). Con
    ``full_matrices=True`` el gradiente ignora las columnas de U y filas de Vh de más (son una
    base cualquiera del complemento), como PyTorch.
    """
    _check(A, "linalg.svd")
    _no_driver(driver, "linalg.svd")
    if _tracked(A):
        U, S, Vh = _decompose(A, decomp.Svd, (0, 1, 2), full_matrices=bool(full_matrices))
    else:
        u, s, vh = decomp.svd_arrays(A._data, bool(full_matrices))
        U, S, Vh = (Tensor._wrap(x) for x in (u, s, vh))
    return write_out(result("linalg_svd", (U, S, Vh), ("U", "S", "Vh")), out, "linalg.svd")


def svdvals(A, *, driver=None, out=None):
    """Valores singulares de A (de mayor a menor); su gradiente es U·diag(G)·Vh."""
    _check(A, "linalg.svdvals")
    _no_driver(driver, "linalg.svdvals")
    if _tracked(A):
        (S,) = _decompose(A, decomp.Svd, (1,), full_matrices=False)
    else:
        S = Tensor._wrap(np.asarray(decomp.svd_arrays(A._data, compute_uv=False)))
    return write_out(S, out, "linalg.svdvals")


def svd_torch(input, some=True, compute_uv=True, *, out=None):
    """La antigua ``torch.svd``: la tupla ``(U, S, V)`` con V (no Vh), reducida si ``some``.

    Con ``compute_uv=False`` U y V son matrices de ceros (m×m y n×n) y solo S tiene gradiente,
    como en PyTorch. Para código nuevo, ``torch.linalg.svd``.
    """
    _check(input, "svd")
    m, n = input._data.shape[-2:]
    batch = input._data.shape[:-2]
    if compute_uv:
        U, S, Vh = svd(input, full_matrices=not some)
        V = Vh.mT
    else:
        S = svdvals(input)
        U = Tensor._wrap(np.zeros(batch + (m, m), dtype=input._data.dtype))
        V = Tensor._wrap(np.zeros(batch + (n, n), dtype=input._data.dtype))
    return write_out(result("svd", (U, S, V), ("U", "S", "V")), out, "svd")


# --- QR y eigh -------------------------------------------------------------------------------
_QR_MODES = ("reduced", "complete", "r")


def qr(A, mode="reduced", *, out=None):
    """QR ``A = Q·R`` (Q con columnas ortonormales, R triangular superior): la tupla ``(Q, R)``.

    ``mode``: 'reduced' (Q de m×k), 'complete' (Q de m×m) o 'r' (solo R; Q vacío). Gradiente como
    PyTorch: no con mode='r' ni con 'complete' y más filas que columnas (error en backward).
    """
    _check(A, "linalg.qr")
    if mode not in _QR_MODES:
        raise RuntimeError(
            f"linalg.qr recibió mode={mode!r}, que no existe: usa 'reduced' (por defecto), "
            "'complete' o 'r'.")
    Q, R = _decompose(A, decomp.Qr, (0, 1), mode=mode)
    return write_out(result("linalg_qr", (Q, R), ("Q", "R")), out, "linalg.qr")


def _uplo(UPLO):
    if UPLO not in ("L", "U"):
        raise RuntimeError(
            f"UPLO debe ser 'L' (usar el triángulo inferior) o 'U' (el superior), y es {UPLO!r}.")


def eigh(A, UPLO="L", *, out=None):
    """Valores y vectores propios de una matriz simétrica (o de un lote): ``(eigenvalues,
    eigenvectors)``, los valores de menor a mayor.

    Solo se lee el triángulo ``UPLO`` ('L' inferior, 'U' superior). El gradiente es el de PyTorch:
    supone que A es simétrica (si no lo es, deriva la matriz simétrica que se ha leído).
    """
    _check(A, "linalg.eigh", square=True, not_implemented=True)
    _uplo(UPLO)
    L, V = _decompose(A, decomp.Eigh, (0, 1), UPLO=UPLO)
    return write_out(result("linalg_eigh", (L, V), ("eigenvalues", "eigenvectors")), out,
                     "linalg.eigh")


def eigvalsh(A, UPLO="L", *, out=None):
    """Valores propios (de menor a mayor) de una matriz simétrica; gradiente V·diag(G)·Vᵀ."""
    _check(A, "linalg.eigvalsh", square=True, not_implemented=True)
    _uplo(UPLO)
    if _tracked(A):
        (L,) = _decompose(A, decomp.Eigh, (0,), UPLO=UPLO)
    else:
        L = Tensor._wrap(np.linalg.eigvalsh(A._data, UPLO=UPLO))
    return write_out(L, out, "linalg.eigvalsh")


# --- normas espectrales y número de condición -----------------------------------------------
def spectral_norm(src, ord, r, c, keepdim):
    """``matrix_norm`` con ord=±2: el mayor (2) o el menor (-2) valor singular sobre (r, c)."""
    moved = src.movedim((r, c), (-2, -1)) if (r, c) != (src.ndim - 2, src.ndim - 1) else src
    s = svdvals(moved)
    out = s.amax(-1) if ord > 0 else s.amin(-1)
    if keepdim:
        for axis in sorted((r, c)):
            out = out.unsqueeze(axis)
    return out


_COND_SVD = (None, 2, -2)
_COND_INV = ("fro", "nuc", 1, -1, _INF, -_INF)


def cond(A, p=None, *, out=None):
    """Número de condición de A según la norma ``p``: ‖A‖·‖A⁻¹‖.

    p=None o 2: s_max / s_min (con la SVD; también para matrices no cuadradas); p=-2: su inverso;
    'fro', 'nuc', ±1, ±inf: con la inversa (A cuadrada; inf si es singular, como PyTorch).
    """
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg.cond(): el argumento A debe ser un Tensor, no "
                        f"{type(A).__name__}.")
    valid = (p in _COND_SVD or p in _COND_INV) if isinstance(p, (str, type(None))) or not \
        isinstance(p, bool) and isinstance(p, (int, float, np.integer, np.floating)) else False
    if not valid:
        raise RuntimeError(
            f"linalg.cond: p={p!r} no es una norma válida; usa None, 2, -2, 'fro', 'nuc', 1, -1, "
            "inf o -inf.")
    if A._data.ndim < 2:
        raise RuntimeError(
            f"linalg.cond: el tensor A debe tener al menos 2 dimensiones, y tiene forma "
            f"{tuple(A._data.shape)}.")
    if p in _COND_SVD and not isinstance(p, str):
        _check(A, "linalg.cond")
        s = svdvals(A)
        big, small = s[..., 0], s[..., -1]
        with np.errstate(divide="ignore", invalid="ignore"):   # 0/0 = nan sin avisos, como PyTorch
            value = big / small if p != -2 else small / big
        return write_out(value, out, "linalg.cond")
    _check(A, f"linalg.cond(ord={p})", square=True)
    from . import linalg
    with np.errstate(all="ignore"):
        singular = np.linalg.det(A._data) == 0
    if singular.any():   # como PyTorch: inf donde A es singular (sin gradiente allí)
        eye = np.broadcast_to(np.eye(A._data.shape[-1], dtype=A._data.dtype), A._data.shape)
        safe = A.where(Tensor._wrap(~singular[..., None, None]), Tensor._wrap(eye))
    else:
        safe = A
    value = linalg.matrix_norm(safe, p) * linalg.matrix_norm(linalg.inv(safe), p)
    if singular.any():
        value = value.where(Tensor._wrap(~singular),
                            Tensor._wrap(np.array(_INF, dtype=A._data.dtype)))
    return write_out(value, out, "linalg.cond")


__all__ = ["svd", "svdvals", "svd_torch", "qr", "eigh", "eigvalsh", "cond", "LinAlgError"]
