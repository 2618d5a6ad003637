"""Descomposiciones de ``torch.linalg`` con gradiente: svd, svdvals, qr, eigh y eigvalsh, la
norma espectral (``matrix_norm`` con ord=±2) y la antigua ``torch.svd`` (devuelve V, no Vh).

Las operaciones (forward, backward y la regla) están en ``ops/decomp.py``. Sin gradiente que
calcular se llama a NumPy directamente; con él, la descomposición es un nodo cuya salida
empaquetada se reparte en piezas (U, S, Vh...), cada una con el nombre de PyTorch en su
``grad_fn``. ``linalg.py`` las reexporta y ``tensor.py`` enlaza ``Tensor.svd``.

Ninguna descomposición es única: cada vector singular o propio puede cambiar de signo, así que
solo las funciones que no dependen de esa elección (A reconstruida, los valores, los proyectores
U·Uᵀ, |U|...) dan el mismo resultado que PyTorch. Con valores singulares o propios repetidos el
gradiente de U, Vh o de los vectores propios no está definido (se divide por sus diferencias y
sale inf o nan), también como en PyTorch; el de los valores sí lo está.
"""
import numpy as np

from . import _dtypes
from ._return_types import result, write_out
from .autograd.graph import grad_mode
from .ops import decomp

Tensor = None   # la clase Tensor: la pone tensor.py al definirla (este módulo no lo importa)


def check_matrix(A, name, square=False, not_implemented=False):
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
    return A._requires_grad and grad_mode.enabled


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
    check_matrix(A, "linalg.svd")
    _no_driver(driver, "linalg.svd")
    if _tracked(A):
        U, S, Vh = _decompose(A, decomp.Svd, (0, 1, 2), full_matrices=bool(full_matrices))
    else:
        u, s, vh = decomp.svd_arrays(A._data, bool(full_matrices))
        U, S, Vh = (Tensor._wrap(x) for x in (u, s, vh))
    return write_out(result("linalg_svd", (U, S, Vh), ("U", "S", "Vh")), out, "linalg.svd")


def svdvals(A, *, driver=None, out=None):
    """Valores singulares de A (de mayor a menor); su gradiente es U·diag(G)·Vh."""
    check_matrix(A, "linalg.svdvals")
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
    check_matrix(input, "svd")
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
    check_matrix(A, "linalg.qr")
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
    check_matrix(A, "linalg.eigh", square=True, not_implemented=True)
    _uplo(UPLO)
    L, V = _decompose(A, decomp.Eigh, (0, 1), UPLO=UPLO)
    return write_out(result("linalg_eigh", (L, V), ("eigenvalues", "eigenvectors")), out,
                     "linalg.eigh")


def eigvalsh(A, UPLO="L", *, out=None):
    """Valores propios (de menor a mayor) de una matriz simétrica; gradiente V·diag(G)·Vᵀ."""
    check_matrix(A, "linalg.eigvalsh", square=True, not_implemented=True)
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


__all__ = ["svd", "svdvals", "svd_torch", "qr", "eigh", "eigvalsh", "spectral_norm", "check_matrix"]
