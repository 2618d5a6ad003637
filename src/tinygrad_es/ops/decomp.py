"""Descomposiciones de matrices con gradiente: SVD, QR y eigh (matrices simétricas).

Cada una da varias salidas (U, S y Vh; Q y R; valores y vectores propios), y un nodo del grafo
tiene una sola. Así que la operación devuelve sus salidas **empaquetadas** en un vector (una
tras otra, aplanadas), y cada salida es una pieza de ese vector (``Piece``, con el nombre de
PyTorch de la descomposición: ``U.grad_fn`` es ``LinalgSvdBackward0``). El gradiente que llega a
la descomposición es el vector con los gradientes de sus salidas en sus tramos (cero en los de
las salidas que no se usaron, que es como las trata PyTorch: la fórmula de una salida sin usar
no se calcula).

Los backward siguen las fórmulas de PyTorch (``FunctionsManual.cpp``: ``svd_backward``,
``linalg_eig_backward`` y ``linalg_qr_backward``), escritos con operaciones de NumPy que, con
``create_graph=True``, reciben Tensores (``_numpy_protocol.py``) y quedan en el grafo: la
salida empaquetada se guarda, y sus piezas U, S, Vh son otra vez funciones diferenciables de A,
así que las segundas derivadas salen solas.

Ninguna de estas descomposiciones es única (el signo de cada vector singular o propio): los
gradientes solo están bien definidos para funciones que no dependen de esa elección, y con
valores singulares (o propios) repetidos no están definidos (las fórmulas dividen por sus
diferencias), como en PyTorch.
"""
import numpy as np

from .base import Op, quiet, value
from .linalg_extra import LinAlgError, Solve


def _is_tensor(x):
    return hasattr(x, "_data")


def _mT(x):
    return np.swapaxes(x, -1, -2)


def _eye(k, like):
    return np.eye(k, dtype=value(like).dtype)


def _used(g):
    """¿Llega gradiente a esta salida? Un tramo todo ceros es una salida que no se usó.

    PyTorch lo sabe porque el gradiente de una salida sin usar no está definido; aquí llega como
    ceros, y un gradiente que de verdad vale cero da la misma contribución (cero) sin pasar por
    las divisiones de la fórmula (que con valores repetidos darían nan).
    """
    return g is not None and value(g).size > 0 and bool(np.any(value(g)))


def _solve_upper(r, b):
    """X con R·X = B, R triangular superior: la operación ``Solve`` si hay Tensores
    (create_graph); si no, LAPACK, y si R es singular, sustitución hacia atrás, que da inf o nan
    donde PyTorch los da (en vez de un error)."""
    if _is_tensor(r) or _is_tensor(b):
        first = r if _is_tensor(r) else b
        return first._apply(Solve, r, b)
    try:
        return np.linalg.solve(r, b)
    except np.linalg.LinAlgError:
        return back_substitution(r, b)


def back_substitution(r, b):
    """R·X = B con R triangular superior, fila a fila desde abajo (un pivote 0 da inf o nan)."""
    x = np.zeros(np.broadcast_shapes(r.shape[:-2], b.shape[:-2]) + b.shape[-2:],
                 dtype=np.result_type(r, b))
    for i in range(r.shape[-1] - 1, -1, -1):
        rest = np.einsum("...j,...jk->...k", r[..., i, i + 1:], x[..., i + 1:, :])
        x[..., i, :] = (b[..., i, :] - rest) / r[..., i, i:i + 1]
    return x


def pack(arrays):
    """Las salidas aplanadas una tras otra, y su disposición (inicio y forma de cada una)."""
    layout, start = [], 0
    for a in arrays:
        layout.append((start, a.shape))
        start += a.size
    return np.concatenate([a.reshape(-1) for a in arrays]), tuple(layout)


def unpack(packed, layout):
    """Las salidas a partir del vector empaquetado (ndarray o Tensor, sin copiar)."""
    return [packed[start:start + int(np.prod(shape, dtype=np.int64))].reshape(shape)
            for start, shape in layout]


# --- las piezas: una salida de la descomposición ---------------------------------------------
class Piece(Op):
    """Una salida (U, S, Vh...) del vector empaquetado de una descomposición."""

    rule = "∂/∂(paquete) = G en el tramo de esta salida, 0 en el resto"
    rule_latex = r"\frac{\partial}{\partial p} = G \text{ en el tramo de esta salida, 0 fuera}"

    @staticmethod
    def torch_name(node):   # la de la descomposición, como en PyTorch (LinalgSvdBackward0...)
        return node.label

    @staticmethod
    def forward(ctx, packed, start=0, shape=(), label=""):
        ctx.start, ctx.shape_out, ctx.total, ctx.label = start, shape, packed.shape[0], label
        size = int(np.prod(shape, dtype=np.int64))
        return packed[start:start + size].reshape(shape).copy()   # la salida es del usuario

    @staticmethod
    def backward(ctx, grad):   # ceros, G aplanado, ceros (con Tensores, un cat diferenciable)
        dtype = value(grad).dtype
        size = int(np.prod(ctx.shape_out, dtype=np.int64))
        return np.concatenate([np.zeros(ctx.start, dtype), grad.reshape(-1),
                               np.zeros(ctx.total - ctx.start - size, dtype)])


class _Decomposition(Op):
    """Base: guarda la salida empaquetada y da sus piezas al backward."""

    @staticmethod
    def torch_name(node):
        return node.label

    @staticmethod
    def _finish(ctx, outputs, label):
        packed, layout = pack(outputs)
        if ctx is not None:
            ctx.layout, ctx.label = layout, label
            ctx.save_for_backward(packed)   # la salida misma: create_graph la une al grafo
        return packed

    @staticmethod
    def _pieces(ctx, grad):
        (packed,) = ctx.saved
        return unpack(packed, ctx.layout), unpack(grad, ctx.layout)


# --- SVD -------------------------------------------------------------------------------------
def svd_backward(gU, gS, gVh, U, S, Vh):
    """Gradiente de A = U·diag(S)·Vh (SVD reducida) a partir de los de U, S y Vh.

    La fórmula de PyTorch (``svd_backward``): con E_ij = s_j² - s_i² (1 en la diagonal),
    gA = U·[(sk(Uᵀ·gU)·S + S·sk(Vh·gVhᵀ)) / E + diag(gS)]·Vh, sk(X) = X - Xᵀ, más los términos de
    las columnas de U (m > n) o las filas de Vh (m < n) que salen del subespacio de A.
    ``None`` para los gradientes de las salidas que no se usaron.
    """
    m, n = U.shape[-2], Vh.shape[-1]
    if gU is None and gVh is None:   # solo los valores singulares: U·diag(gS)·Vh
        if gS is None:
            return None
        if m >= n:
            return U @ (np.expand_dims(gS, -1) * Vh)
        return (U * np.expand_dims(gS, -2)) @ Vh
    k = S.shape[-1]
    S2 = S * S
    E = np.expand_dims(S2, -2) - np.expand_dims(S2, -1) + _eye(k, S)
    inner = None
    if gU is not None:
        UhgU = _mT(U) @ gU
        inner = (UhgU - _mT(UhgU)) * np.expand_dims(S, -2)
    if gVh is not None:
        VhgV = Vh @ _mT(gVh)
        term = np.expand_dims(S, -1) * (VhgV - _mT(VhgV))
        inner = term if inner is None else inner + term
    inner = inner / E
    if gS is not None:
        inner = inner + np.expand_dims(gS, -1) * _eye(k, S)
    if m > n and gU is not None:   # gA = [U·inner + (I - U·Uᵀ)·gU·S⁻¹]·Vh
        gUSinv = gU / np.expand_dims(S, -2)
        return (U @ inner + gUSinv - U @ (_mT(U) @ gUSinv)) @ Vh
    if m < n and gVh is not None:   # gA = U·[inner·Vh + S⁻¹·gVh·(I - Vhᵀ·Vh)]
        SinvgVh = gVh / np.expand_dims(S, -1)
        return U @ (inner @ Vh + SinvgVh - (SinvgVh @ _mT(Vh)) @ Vh)
    return U @ (inner @ Vh) if m >= n else (U @ inner) @ Vh


class Svd(_Decomposition):
    """``linalg.svd``: A = U·diag(S)·Vh, con las tres salidas empaquetadas."""

    rule = ("∂/∂A = U·[(sk(Uᵀ·G_U)·S + S·sk(Vh·G_Vhᵀ)) / E + diag(G_S)]·Vh (+ los términos fuera "
            "del subespacio si A no es cuadrada), E_ij = s_j² − s_i², sk(X) = X − Xᵀ")
    rule_latex = (r"\frac{\partial}{\partial A} = U\left[\frac{\mathrm{sk}(U^\top G_U)\,S + "
                  r"S\,\mathrm{sk}(V_h G_{V_h}^\top)}{E} + \mathrm{diag}(G_S)\right] V_h,\quad "
                  r"E_{ij} = s_j^2 - s_i^2")

    @staticmethod
    def forward(ctx, a, full_matrices=False):
        u, s, vh = svd_arrays(a, full_matrices)
        if ctx is not None:
            ctx.full = full_matrices
        return _Decomposition._finish(ctx, [u, s, vh], "LinalgSvdBackward0")

    @staticmethod
    @quiet   # con valores repetidos sale inf o nan, como en PyTorch: sin avisos de NumPy
    def backward(ctx, grad):
        (U, S, Vh), (gU, gS, gVh) = _Decomposition._pieces(ctx, grad)
        if ctx.full:   # como PyTorch: solo cuentan las k primeras columnas de U y filas de Vh
            k = S.shape[-1]
            U, gU, Vh, gVh = U[..., :k], gU[..., :k], Vh[..., :k, :], gVh[..., :k, :]
        if value(S).size == 0:
            return np.zeros(U.shape[:-1] + Vh.shape[-1:], dtype=value(S).dtype)
        g = svd_backward(gU if _used(gU) else None, gS if _used(gS) else None,
                         gVh if _used(gVh) else None, U, S, Vh)
        if g is None:
            return np.zeros(U.shape[:-1] + Vh.shape[-1:], dtype=value(S).dtype)
        return g


def svd_arrays(a, full_matrices=False, compute_uv=True):
    """La SVD de NumPy con el error de PyTorch (en español) si no converge."""
    try:
        return np.linalg.svd(a, full_matrices=full_matrices, compute_uv=compute_uv)
    except np.linalg.LinAlgError:
        raise LinAlgError(
            "linalg.svd: el algoritmo no ha convergido porque la matriz tiene valores no finitos "
            "(nan o inf). Revisa de dónde vienen.") from None


# --- eigh ------------------------------------------------------------------------------------
class Eigh(_Decomposition):
    """``linalg.eigh``: A = V·diag(L)·Vᵀ de una matriz simétrica (lee un triángulo)."""

    rule = ("∂/∂A = V·[½(Vᵀ·G_V − G_Vᵀ·V) / E + diag(G_L)]·Vᵀ, E_ij = λ_j − λ_i")
    rule_latex = (r"\frac{\partial}{\partial A} = V\left[\frac{\frac{1}{2}(V^\top G_V - G_V^\top V)}"
                  r"{E} + \mathrm{diag}(G_\lambda)\right] V^\top,\quad "
                  r"E_{ij} = \lambda_j - \lambda_i")

    @staticmethod
    def forward(ctx, a, UPLO="L"):
        vals, vecs = np.linalg.eigh(a, UPLO=UPLO)
        return _Decomposition._finish(ctx, [vals, vecs], "LinalgEighBackward0")

    @staticmethod
    @quiet
    def backward(ctx, grad):
        (L, V), (gL, gV) = _Decomposition._pieces(ctx, grad)
        if value(L).size == 0:
            return np.zeros(V.shape, dtype=value(L).dtype)
        use_l, use_v = _used(gL), _used(gV)
        if not use_v:   # solo los valores propios: V·diag(gL)·Vᵀ
            return (V * np.expand_dims(gL, -2)) @ _mT(V)
        VhgV = _mT(V) @ gV
        inner = (VhgV - _mT(VhgV)) * 0.5
        E = np.expand_dims(L, -2) - np.expand_dims(L, -1) + _eye(L.shape[-1], L)
        inner = inner / E
        if use_l:
            inner = inner + np.expand_dims(gL, -1) * _eye(L.shape[-1], L)
        return V @ (inner @ _mT(V))


# --- QR --------------------------------------------------------------------------------------
def _qr_backward_tall(gQ, gR, Q, R):
    """m ≥ n (Q de m×n): gA = [G_Q + Q·copyltu(M)]·R⁻ᵀ con M = G_R·Rᵀ − Qᵀ·G_Q (PyTorch).

    Si A no tiene rango completo (R singular) el gradiente no está definido: inf o nan, como en
    PyTorch (con create_graph=True, LinAlgError de ``Solve``).
    """
    M = None
    if gR is not None:
        M = gR @ _mT(R)
    if gQ is not None:
        M = -(_mT(Q) @ gQ) if M is None else M - _mT(Q) @ gQ
    n = R.shape[-1]
    upper = np.triu(np.ones((n, n), dtype=value(R).dtype))
    M = M * upper
    sym = M + _mT(M) - M * _eye(n, R)   # la parte de arriba reflejada (la diagonal una vez)
    gA = Q @ sym
    if gQ is not None:
        gA = gA + gQ
    return _mT(_solve_upper(R, _mT(gA)))   # gA·R⁻ᵀ


class Qr(_Decomposition):
    """``linalg.qr``: A = Q·R (Q con columnas ortonormales, R triangular superior)."""

    rule = ("m ≥ n: ∂/∂A = [G_Q + Q·copyltu(G_R·Rᵀ − Qᵀ·G_Q)]·R⁻ᵀ; m < n: la parte cuadrada "
            "igual y ∂/∂A₂ = Q·G_R₂")
    rule_latex = (r"\frac{\partial}{\partial A} = \left[G_Q + Q\,\mathrm{copyltu}(G_R R^\top - "
                  r"Q^\top G_Q)\right] R^{-\top}")

    @staticmethod
    def forward(ctx, a, mode="reduced"):
        q, r = np.linalg.qr(a, mode="complete" if mode == "complete" else "reduced")
        if ctx is not None:
            ctx.mode = mode
        if mode == "r":
            q = np.zeros(0, dtype=r.dtype)
        return _Decomposition._finish(ctx, [q, r], "LinalgQrBackward0")

    @staticmethod
    @quiet
    def backward(ctx, grad):
        (Q, R), (gQ, gR) = _Decomposition._pieces(ctx, grad)
        if ctx.mode == "r":
            raise RuntimeError(
                "La derivada de linalg.qr depende de Q, que no se calcula con mode='r'. Usa "
                "linalg.qr(A, mode='reduced') si vas a derivar a través de linalg.qr.")
        m, n = Q.shape[-2], R.shape[-1]
        if ctx.mode == "complete" and m > n:
            raise RuntimeError(
                f"La descomposición QR no es derivable con mode='complete' si hay más filas que "
                f"columnas (aquí {m} > {n}): Q tiene columnas de más que no dependen de A de "
                "forma única. Usa mode='reduced'.")
        if value(R).size == 0:
            return np.zeros(Q.shape[:-1] + R.shape[-1:], dtype=value(R).dtype)
        gQ = gQ if _used(gQ) else None
        gR = gR if _used(gR) else None
        if gQ is None and gR is None:
            return np.zeros(Q.shape[:-1] + R.shape[-1:], dtype=value(R).dtype)
        if m >= n:
            return _qr_backward_tall(gQ, gR, Q, R)
        # m < n: A = [X | Y] con X = Q·R₁ (cuadrada) e Y = Q·R₂, así que R₂ = Qᵀ·Y
        R1 = R[..., :m]
        gR1 = gR[..., :m] if gR is not None else None
        gR2 = gR[..., m:] if gR is not None else None
        Y = Q @ R[..., m:]
        if gR2 is not None:   # R₂ = Qᵀ·Y también depende de Q
            extra = Y @ _mT(gR2)
            gQ = extra if gQ is None else gQ + extra
        gX = _qr_backward_tall(gQ, gR1, Q, R1)
        gY = Q @ gR2 if gR2 is not None else (Y * 0 if _is_tensor(Y) else np.zeros_like(Y))
        return np.concatenate([gX, gY], axis=-1)
