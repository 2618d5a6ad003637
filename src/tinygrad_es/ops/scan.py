"""Sumas y productos acumulados: cumsum, cumprod, logcumsumexp y el gather de cummax/cummin.

Cada backward funciona también con Tensores (``create_graph=True``): la suma acumulada
inversa es la misma operación con ``reverse=True``, y cumprod y logcumsumexp se derivan con
operaciones de este módulo, así que las segundas derivadas salen solas.
"""
import numpy as np

from .base import Op, value


def _is_tensor(x):
    return hasattr(x, "_data")


def cumsum_along(x, axis, reverse=False):
    """Suma acumulada (o acumulada desde el final, ``reverse``) de un ndarray o un Tensor."""
    if _is_tensor(x):
        return x._apply(Cumsum, x, axis=axis, reverse=reverse)
    return Cumsum.forward(None, x, axis, reverse)


def _cumprod_along(x, axis):
    if _is_tensor(x):
        return x._apply(Cumprod, x, axis=axis)
    return np.cumprod(x, axis=axis)


def _logcumsumexp_along(x, axis, reverse):
    if _is_tensor(x):
        return x._apply(LogCumSumExp, x, axis=axis, reverse=reverse)
    return LogCumSumExp.forward(None, x, axis, reverse)


class Cumsum(Op):
    """Suma acumulada a lo largo de ``axis``; con ``reverse`` acumula desde el final."""

    torch_name = "CumsumBackward0"
    rule = "∂/∂aᵢ = Σ_{j ≥ i} g_j: la suma acumulada del gradiente desde el final"
    rule_latex = r"\frac{\partial}{\partial a_i} = \sum_{j \geq i} g_j"
    local = ("1",)

    @staticmethod
    def forward(ctx, a, axis=0, reverse=False):
        if ctx is not None:
            ctx.axis, ctx.reverse = axis, reverse
        if a.ndim == 0:
            return a.copy()
        if reverse:
            return np.flip(np.cumsum(np.flip(a, axis), axis=axis), axis)
        return np.cumsum(a, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        return cumsum_along(grad, ctx.axis, not ctx.reverse)


class Cumprod(Op):
    """Producto acumulado. El gradiente es correcto también con ceros (como PyTorch).

    Sin ceros: ∂/∂aᵢ = Σ_{j ≥ i} g_j·out_j / aᵢ. Con ceros, antes del primer cero vale la
    misma fórmula; el primer cero recibe Σ_{j ≥ z} g_j·Π_{k ≤ j, k ≠ z} a_k (el producto
    acumulado con ese cero cambiado por 1) y lo que va detrás del primer cero recibe 0.
    """

    torch_name = "CumprodBackward0"
    rule = "∂/∂aᵢ = Σ_{j ≥ i} g_j·Π_{k ≤ j, k ≠ i} a_k"
    rule_latex = (r"\frac{\partial}{\partial a_i} = \sum_{j \geq i} g_j "
                  r"\prod_{k \leq j,\, k \neq i} a_k")

    @staticmethod
    def forward(ctx, a, axis=0):
        ctx.axis = axis
        out = a.copy() if a.ndim == 0 else np.cumprod(a, axis=axis)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        axis = ctx.axis
        if np.ndim(value(a)) == 0:
            return grad
        is_zero = value(a) == 0
        if not is_zero.any():
            return cumsum_along(grad * out, axis, True) / a
        if _is_tensor(grad):   # create_graph con ceros: la fórmula sin divisiones (ver abajo)
            return _cumprod_backward_exact(a, grad, axis)
        zeros_so_far = np.cumsum(is_zero, axis=axis)
        before = zeros_so_far == 0
        first = is_zero & (zeros_so_far == 1)
        safe = np.where(before, a, 1)
        result = np.where(before, cumsum_along(grad * out, axis, True) / safe, 0)
        shifted = _cumprod_along(np.where(first, 1, a), axis)   # el primer cero cambiado por 1
        return result + np.where(first, cumsum_along(grad * shifted, axis, True), 0)


def _cumprod_backward_exact(a, grad, axis):
    """Σ_{j ≥ i} g_j·Π_{k ≤ j, k ≠ i} a_k con un producto acumulado por cada i (n² valores).

    Solo para ``create_graph=True`` con ceros: así también la segunda derivada es exacta
    detrás del primer cero (la fórmula con máscaras da ahí un 0 constante).
    """
    n = np.shape(value(a))[axis]
    moved = np.moveaxis(a, axis, -1)
    others = np.where(np.eye(n, dtype=bool), 1, np.expand_dims(moved, -2))   # (…, i, j)
    products = _cumprod_along(others, -1)
    upper = np.triu(np.ones((n, n), dtype=bool))   # j ≥ i
    g = np.expand_dims(np.moveaxis(grad, axis, -1), -2)
    return np.moveaxis(np.sum(np.where(upper, products * g, 0), axis=-1), -1, axis)


class LogCumSumExp(Op):
    """log(Σ_{j ≤ i} exp(a_j)) sin desbordarse (``np.logaddexp.accumulate``).

    El gradiente Σ_{i ≥ j} g_i·exp(a_j - out_i) se calcula como PyTorch: separando las
    partes positiva y negativa de g y acumulando en escala logarítmica (estable).
    """

    torch_name = "LogcumsumexpBackward0"
    rule = "∂/∂a_j = Σ_{i ≥ j} g_i·exp(a_j - out_i)"
    rule_latex = (r"\frac{\partial}{\partial a_j} = \sum_{i \geq j} g_i\, "
                  r"e^{a_j - \mathrm{out}_i}")

    @staticmethod
    def forward(ctx, a, axis=0, reverse=False):
        if ctx is not None:
            ctx.axis, ctx.reverse = axis, reverse
        if a.ndim == 0:
            out = a.copy()
        elif reverse:
            out = np.flip(np.logaddexp.accumulate(np.flip(a, axis), axis=axis), axis)
        else:
            out = np.logaddexp.accumulate(a, axis=axis)
        if ctx is not None:
            ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        if np.ndim(value(a)) == 0:
            return grad
        g = value(grad)
        lowest = np.finfo(g.dtype).min   # como PyTorch: finito, no -inf (sin inf - inf = nan)
        result = 0
        for mask, sign in ((g > 0, 1), (g < 0, -1)):
            if not mask.any():
                continue
            log_g = np.where(mask, np.log(np.where(mask, sign * grad, 1)), lowest)
            with np.errstate(invalid="ignore", over="ignore"):   # lowest - out: -inf, sin aviso
                acc = _logcumsumexp_along(log_g - out, ctx.axis, not ctx.reverse)
                result = result + sign * np.exp(acc + a)
        if np.ndim(value(result)) == 0:   # gradiente nulo
            return np.zeros_like(g) if not _is_tensor(grad) else grad * 0
        return result


def _index_grid(indices, axis):
    grid = list(np.indices(indices.shape, sparse=True))
    grid[axis] = indices
    return tuple(grid)


class GatherAlong(Op):
    """Valores en ``indices`` a lo largo de ``axis`` (cummax, cummin...), donde un mismo
    índice puede aparecer varias veces: el gradiente de cada uno se suma en su sitio."""

    rule = "suma el gradiente en los índices tomados (también repetidos)"
    rule_latex = r"\text{suma el gradiente en los índices tomados (también repetidos)}"

    @staticmethod
    def torch_name(node):
        return node.label or "GatherBackward0"

    @staticmethod
    def forward(ctx, a, indices=None, axis=0, label=None):
        ctx.label = label
        ctx.indices, ctx.axis, ctx.in_shape = indices, axis, a.shape
        return np.take_along_axis(a, indices, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        if _is_tensor(grad):
            return grad._apply(ScatterAddAlong, grad, indices=ctx.indices, axis=ctx.axis,
                               shape=ctx.in_shape)
        return ScatterAddAlong.forward(None, grad, ctx.indices, ctx.axis, ctx.in_shape)


class ScatterAddAlong(Op):
    """Ceros con ``grad`` sumado en ``indices`` a lo largo de ``axis`` (backward de GatherAlong)."""

    torch_name = "ScatterAddBackward0"
    rule = "toma el gradiente de los índices donde se sumó"
    rule_latex = r"\text{toma el gradiente de los índices donde se sumó}"

    @staticmethod
    def forward(ctx, grad, indices=None, axis=0, shape=None):
        if ctx is not None:
            ctx.indices, ctx.axis = indices, axis
        out = np.zeros(shape, dtype=grad.dtype)
        np.add.at(out, _index_grid(indices, axis), grad)
        return out

    @staticmethod
    def backward(ctx, grad):
        if _is_tensor(grad):
            return grad._apply(GatherAlong, grad, indices=ctx.indices, axis=ctx.axis)
        return np.take_along_axis(grad, ctx.indices, axis=ctx.axis)
