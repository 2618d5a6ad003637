"""Álgebra lineal: einsum, determinante, inversa y resolución de sistemas.

Los backward son a su vez einsum, inversa y solve (o productos de matrices), así que con
``create_graph=True`` se derivan otra vez.
"""
import numpy as np

from .base import Op, value


class LinAlgError(RuntimeError):
    """Error de álgebra lineal (matriz singular...), como ``torch.linalg.LinAlgError``."""


def _is_tensor(x):
    return hasattr(x, "_data")


def _mT(x):
    return np.swapaxes(x, -1, -2)


# --- einsum ----------------------------------------------------------------------------------
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def einsum_call(equation, operands):
    """``einsum`` con ndarrays (NumPy) o con Tensores (la operación diferenciable)."""
    if any(_is_tensor(x) for x in operands):
        first = next(x for x in operands if _is_tensor(x))
        return first._apply(Einsum, *operands, equation=equation)
    return Einsum.forward(None, *operands, equation=equation)


def _operand_gradient(equation, k, operands, grad, shape):
    """Gradiente del operando ``k``: un einsum del gradiente con los demás operandos.

    Las letras repetidas del operando (``ii``) se renombran y se añade una identidad que las
    une; las que solo aparecen en él (se suman) se añaden con un vector de unos.
    """
    inputs, output = equation.split("->")
    subs = inputs.split(",")
    used = set(equation)
    fresh = iter(c for c in _LETTERS if c not in used)
    target, seen = [], {}
    extra_subs, extra_ops = [], []
    for letter, size in zip(subs[k], shape):
        if letter in seen:   # repetida: diagonal
            new = next(fresh)
            extra_subs.append(letter + new)
            extra_ops.append(np.eye(size, dtype=value(grad).dtype))
            target.append(new)
        else:
            seen[letter] = size
            target.append(letter)
    available = set(output).union(*(set(s) for j, s in enumerate(subs) if j != k))
    for letter, size in seen.items():
        if letter not in available:   # se suma solo en este operando: se difunde
            extra_subs.append(letter)
            extra_ops.append(np.ones(size, dtype=value(grad).dtype))
    others = [(s, x) for j, (s, x) in enumerate(zip(subs, operands)) if j != k]
    eq = ",".join([output] + [s for s, _ in others] + extra_subs) + "->" + "".join(target)
    return einsum_call(eq, [grad] + [x for _, x in others] + extra_ops)


class Einsum(Op):
    """``einsum`` con la ecuación explícita (``ij,jk->ik``, sin ``...``: ya expandida)."""

    torch_name = "EinsumBackward0"   # PyTorch la descompone; aquí es un solo nodo
    rule = "∂/∂Aₖ = einsum(G, los demás operandos) con los índices de Aₖ"
    rule_latex = (r"\frac{\partial}{\partial A_k} = \mathrm{einsum}(G, A_{j \neq k}) \text{ con "
                  r"los índices de } A_k")

    @staticmethod
    def forward(ctx, *operands, equation=""):
        if ctx is not None:
            ctx.equation = equation
            ctx.shapes = [np.shape(x) for x in operands]
            ctx.save_for_backward(*operands)
        return np.asarray(np.einsum(equation, *operands, optimize=len(operands) > 2))

    @staticmethod
    def backward(ctx, grad):
        operands = ctx.saved
        return tuple(
            _operand_gradient(ctx.equation, k, operands, grad, ctx.shapes[k]) if need else None
            for k, need in enumerate(ctx.needs_input_grad))


# --- det, inverse, solve ---------------------------------------------------------------------
def _cofactor(a):
    """det(A)·A⁻ᵀ (la matriz de cofactores) con la SVD: exacta también si A es singular."""
    u, s, vh = np.linalg.svd(a)
    n = s.shape[-1]
    idx = np.arange(n)
    others = np.broadcast_to(s[..., None, :], s.shape[:-1] + (n, n)).copy()
    others[..., idx, idx] = 1   # fila i: los valores singulares menos el i-ésimo
    prod_others = others.prod(axis=-1)   # Π_{j≠i} s_j
    sign = np.linalg.det(u) * np.linalg.det(vh)
    return sign[..., None, None] * (u * prod_others[..., None, :]) @ vh


def _cofactor_by_minors(a):
    """Cofactores (-1)^(i+j)·det(menor ij) con la operación Det (diferenciable otra vez)."""
    n = a.shape[-1]
    if n == 1:
        return np.ones_like(value(a)) + a * 0
    keep = np.array([[k for k in range(n) if k != i] for i in range(n)])
    rows = keep[:, None, :, None]
    cols = keep[None, :, None, :]
    minors = a[..., rows, cols]   # (…, n, n, n-1, n-1)
    signs = (-1.0) ** np.add.outer(np.arange(n), np.arange(n))
    return minors._apply(Det, minors) * signs.astype(value(a).dtype)


class Det(Op):
    """Determinante de una matriz cuadrada (o de un lote)."""

    torch_name = "LinalgDetBackward0"
    rule = "∂/∂A = det(A)·A⁻ᵀ (la matriz de cofactores)"
    rule_latex = r"\frac{\partial}{\partial A} = \det(A)\, A^{-\top}"

    @staticmethod
    def forward(ctx, a):
        out = np.asarray(np.linalg.det(a))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        g = np.expand_dims(np.expand_dims(grad, -1), -1)
        if _is_tensor(a):   # create_graph: fórmulas diferenciables
            if np.all(np.linalg.cond(value(a)) < 1e8):
                return g * np.expand_dims(np.expand_dims(out, -1), -1) * _mT(a._apply(Inverse, a))
            return g * _cofactor_by_minors(a)   # singular: los menores, también exactos
        return g * _cofactor(value(a))


class Inverse(Op):
    """Inversa de una matriz cuadrada (o de un lote)."""

    torch_name = "LinalgInvExBackward0"
    rule = "∂/∂A = -A⁻ᵀ·G·A⁻ᵀ"
    rule_latex = r"\frac{\partial}{\partial A} = -A^{-\top} G A^{-\top}"

    @staticmethod
    def forward(ctx, a):
        try:
            out = np.linalg.inv(a)
        except np.linalg.LinAlgError:
            raise LinAlgError(
                "inv: la matriz es singular (su determinante es 0) y no tiene inversa. "
                "Comprueba sus filas o usa torch.linalg.pinv.") from None
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved
        t = _mT(out)
        return -(t @ grad @ t)


class Solve(Op):
    """X tal que A·X = B (B con forma (…, n, k): los vectores se tratan fuera)."""

    torch_name = "LinalgSolveExBackward0"
    rule = "∂/∂B = A⁻ᵀ·G, ∂/∂A = -(A⁻ᵀ·G)·Xᵀ"
    rule_latex = (r"\frac{\partial}{\partial B} = A^{-\top} G,\quad \frac{\partial}{\partial A} "
                  r"= -(A^{-\top} G)\, X^\top")

    @staticmethod
    def forward(ctx, a, b):
        try:
            out = np.linalg.solve(a, b)
        except np.linalg.LinAlgError:
            raise LinAlgError(
                "solve: la matriz A es singular (su determinante es 0): el sistema no tiene "
                "solución única.") from None
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        at = _mT(a)
        if _is_tensor(at) or _is_tensor(grad):
            first = at if _is_tensor(at) else grad
            gb = first._apply(Solve, at, grad)
        else:
            gb = np.linalg.solve(at, grad)
        need_a, need_b = ctx.needs_input_grad
        return (-(gb @ _mT(out)) if need_a else None), (gb if need_b else None)


class AddMatmul(Op):
    """beta·C + alpha·(A @ B) en un solo nodo: addmm (2-D), addmv (B vector) y baddbmm (lotes).

    Con beta = 0, C no entra en la cuenta (ni sus nan), como PyTorch.
    """

    rule = "∂/∂C = beta·G, ∂/∂A = alpha·G·Bᵀ, ∂/∂B = alpha·Aᵀ·G"
    rule_latex = (r"\frac{\partial}{\partial C} = \beta G,\quad \frac{\partial}{\partial A} = "
                  r"\alpha\, G B^\top,\quad \frac{\partial}{\partial B} = \alpha\, A^\top G")

    @staticmethod
    def torch_name(node):
        return node.label

    @staticmethod
    def forward(ctx, c, a, b, beta=1, alpha=1, label="AddmmBackward0"):
        ctx.label, ctx.beta, ctx.alpha = label, beta, alpha
        need_c, need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        prod = np.matmul(a, b)
        if alpha != 1:
            prod = prod * prod.dtype.type(alpha)
        if beta == 0:
            return np.array(np.broadcast_to(prod, np.broadcast_shapes(c.shape, prod.shape)))
        return (c if beta == 1 else c * c.dtype.type(beta)) + prod

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        need_c, need_a, need_b = ctx.needs_input_grad
        beta, alpha = ctx.beta, ctx.alpha
        g = grad if alpha == 1 else grad * alpha
        gc = ga = gb = None
        if need_c:
            gc = grad if beta == 1 else grad * beta
        if need_a:
            ga = (np.expand_dims(g, -1) * b if np.ndim(b) == 1 else g @ _mT(b))
        if need_b:
            gb = _mT(a) @ g
        return gc, ga, gb
