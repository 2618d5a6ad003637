"""Normas y distancias: vector_norm (todo p), norma nuclear, dist y cdist.

Los gradientes son los de PyTorch también en los puntos no diferenciables (ver
docs/semantica_pytorch.md): en el vector cero la norma 2 da gradiente 0 (no nan), la
norma infinito reparte el gradiente a partes iguales entre los máximos empatados, y con
p < 1 los elementos nulos reciben 0. Las máscaras se aplican sobre el array reducido
(pequeño), así que el caso normal no paga casi nada por ellas.
"""
import numpy as np

from .base import Op, expand_reduced, normalize_axis, value

_INF = float("inf")


def _asarray(x):
    return x if type(x) is np.ndarray else np.asarray(x)


def vector_norm(a, p, axes):
    """Norma p de ``a`` sobre ``axes`` (keepdims=True), con los valores de PyTorch.

    p = 0 cuenta los elementos distintos de cero; ±inf son el máximo/mínimo de |a|; con
    p < 0 un cero da norma 0 (|0|^p = inf).
    """
    if p == 2:
        return _asarray(np.sqrt(np.add.reduce(a * a, axis=axes, keepdims=True)))
    absa = np.abs(a)
    if p == 1:
        return _asarray(np.add.reduce(absa, axis=axes, keepdims=True))
    if p == _INF:
        return _asarray(np.maximum.reduce(absa, axis=axes, keepdims=True))
    if p == -_INF:
        return _asarray(np.minimum.reduce(absa, axis=axes, keepdims=True))
    if p == 0:
        return _asarray(np.add.reduce(a != 0, axis=axes, keepdims=True).astype(a.dtype))
    with np.errstate(divide="ignore", over="ignore"):   # |0| ** -1 = inf, como PyTorch
        return _asarray(np.add.reduce(absa ** p, axis=axes, keepdims=True) ** (1 / p))


def _masked_ratio(num, den):
    """``num / den`` con 0 donde ``den`` es 0 (``masked_fill_(den == 0, 0)`` de PyTorch)."""
    zero = den == 0
    return np.where(zero, 0, num / np.where(zero, 1, den))


def norm_backward(a, norm, grad, p, axes):
    """Gradiente de la norma p (``norm_backward`` de PyTorch); ``norm``/``grad`` con keepdims.

    Devuelve None con p = 0 (PyTorch no define gradiente: la entrada queda sin ``.grad``).
    """
    if p == 0:
        return None
    if p == 1:
        return np.sign(a) * grad
    if p == 2:   # a / inf = 0 exacto en los grupos de norma 0 (todos sus elementos son 0)
        return grad * (a / np.where(norm == 0, _INF, norm))
    absa = np.abs(a)
    if p == _INF or p == -_INF:   # reparto a partes iguales entre los empatados
        mask = (value(absa) == value(norm)) | np.isnan(value(absa))
        count = np.add.reduce(mask, axis=axes, keepdims=True).astype(grad.dtype)
        return np.sign(a) * ((grad / count) * mask)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if p < 1:   # |x|^(p-1) es inf en x = 0: PyTorch pone 0 ahí
            scaled = np.sign(a) * np.where(a == 0, 0, absa ** (p - 1))
            return scaled * grad * norm ** (1 - p)
        scaled = np.sign(a) * absa ** (p - 1) if p < 2 else a * absa ** (p - 2)
        return scaled * _masked_ratio(grad, norm ** (p - 1))


class VectorNorm(Op):
    """``torch.linalg.vector_norm`` (la usa ``norm``): p numérico, dim y keepdim."""

    torch_name = "LinalgVectorNormBackward0"
    rule = "∂/∂x = x/‖x‖ con p = 2; en general signo(x)·|x|^(p-1)/‖x‖ₚ^(p-1)"
    rule_latex = (r"\frac{\partial}{\partial x} = \frac{x}{\|x\|} \text{ con } p = 2;\ \text{en "
                  r"general } \frac{\mathrm{signo}(x)\,|x|^{p-1}}{\|x\|_p^{p-1}}")

    @staticmethod
    def forward(ctx, a, ord=2.0, axis=None, keepdim=False):
        axes = normalize_axis(axis, a.ndim)
        out = vector_norm(a, ord, axes)
        if not keepdim:
            out = out.reshape(tuple(d for i, d in enumerate(a.shape) if i not in axes))
        ctx.save_for_backward(a, out)
        ctx.ord, ctx.axes, ctx.keepdim = ord, axes, keepdim
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        shape, axes, keepdim = a.shape, ctx.axes, ctx.keepdim
        return norm_backward(a, expand_reduced(out, shape, axes, keepdim),
                             expand_reduced(grad, shape, axes, keepdim), ctx.ord, axes)


class NuclearNorm(Op):
    """Norma nuclear (suma de los valores singulares) de las matrices en los ejes ``axes``.

    Gradiente ``U @ Vh`` de la SVD reducida, como PyTorch (en la matriz cero, la identidad
    que devuelve LAPACK). Con valores singulares nulos repetidos no es único.
    """

    rule = "∂/∂A = U·Vᵀ (de la SVD reducida A = U·Σ·Vᵀ)"
    rule_latex = (r"\frac{\partial}{\partial A} = U V^\top \text{ (de la SVD reducida } A = U "
                  r"\Sigma V^\top \text{)}")

    @staticmethod
    def forward(ctx, a, axes=(0, 1), keepdim=False):
        ax0, ax1 = axes
        m = np.moveaxis(a, (ax0, ax1), (-2, -1))
        ctx.axes, ctx.keepdim, ctx.in_shape = axes, keepdim, a.shape
        if m.size == 0:   # como PyTorch: 0 (y gradiente 0)
            out = np.zeros(m.shape[:-2], dtype=a.dtype)
            ctx.save_for_backward(np.zeros_like(a))
        elif ctx.needs_input_grad[0]:
            u, s, vh = np.linalg.svd(m, full_matrices=False)
            out = s.sum(axis=-1)
            # la entrada también: con create_graph=True, U·Vh se rehace con la SVD derivable
            ctx.save_for_backward(np.moveaxis(u @ vh, (-2, -1), (ax0, ax1)), a)
        else:
            out = np.linalg.svd(m, compute_uv=False).sum(axis=-1)
        out = _asarray(out)
        return np.expand_dims(out, tuple(sorted(axes))) if keepdim else out

    @staticmethod
    def backward(ctx, grad):
        uv = ctx.saved[0]
        if hasattr(grad, "_data") and len(ctx.saved) > 1:   # create_graph: U·Vh derivable
            uv = _uv_graph(ctx.saved[1], ctx.axes)
        if not ctx.keepdim:
            grad = np.expand_dims(grad, tuple(sorted(ctx.axes)))
        return grad * uv


def _uv_graph(a, axes):
    """U·Vh de la SVD reducida de ``a`` (Tensor) sobre ``axes``, en el grafo (``ops/decomp.py``)."""
    from .decomp import Piece, Svd   # decomp importa linalg_extra: aquí, al usarlo
    m = np.moveaxis(a, axes, (-2, -1))
    packed = m._apply(Svd, m, full_matrices=False)
    node = packed.grad_fn
    u, _, vh = (packed._apply(Piece, packed, start=start, shape=shape, label=node.label)
                for start, shape in node.layout)
    return np.moveaxis(u @ vh, (-2, -1), axes)


class Dist(Op):
    """``torch.dist(a, b, p)``: la norma p de ``a - b`` (con difusión) en un nodo."""

    rule = "∂/∂a = ∂‖d‖ₚ/∂d con d = a - b (d/‖d‖ si p = 2), ∂/∂b = -∂/∂a"
    rule_latex = (r"\frac{\partial}{\partial a} = \frac{\partial \|d\|_p}{\partial d} \text{ con } "
                  r"d = a - b \text{ (} \frac{d}{\|d\|} \text{ si } p = 2\text{)},\quad "
                  r"\frac{\partial}{\partial b} = -\frac{\partial}{\partial a}")

    @staticmethod
    def forward(ctx, a, b, ord=2.0):
        diff = _asarray(a - b)
        axes = tuple(range(diff.ndim))
        out = vector_norm(diff, ord, axes).reshape(())
        ctx.save_for_backward(a, b, out)   # la salida misma: create_graph la une al grafo
        ctx.ord = ord
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved
        diff = a - b
        need_a, need_b = ctx.needs_input_grad
        if ctx.ord == 0:   # como PyTorch: sin gradiente para a; error si b lo necesita
            if need_b:
                raise RuntimeError(
                    "dist(p=0) no tiene gradiente: cuenta los elementos distintos, una función "
                    "escalonada (PyTorch lanza un RuntimeError en backward cuando el segundo "
                    "tensor requiere gradiente). Usa otro p o calcula la distancia con .detach().")
            return None, None
        kept = (1,) * diff.ndim   # la norma con keepdims, como la espera norm_backward
        g = norm_backward(diff, out.reshape(kept), grad.reshape(kept), ctx.ord,
                          tuple(range(diff.ndim)))
        return (g if need_a else None), (-g if need_b else None)


def _swap(x):
    return np.swapaxes(x, -1, -2)


class Cdist(Op):
    """``torch.cdist``: distancias p entre las filas de x1 (…, P, M) y las de x2 (…, R, M).

    Con ``use_mm`` (p = 2 y muchas filas, como el modo por defecto de PyTorch) se calcula con
    un producto de matrices: sqrt(max(|x1|² - 2 x1·x2 + |x2|², 0)), sin el array (…, P, R, M).
    """

    rule = "∂/∂x1ᵢ = Σⱼ ∂‖dᵢⱼ‖ₚ/∂dᵢⱼ con dᵢⱼ = x1ᵢ - x2ⱼ, ∂/∂x2ⱼ = -Σᵢ ∂‖dᵢⱼ‖ₚ/∂dᵢⱼ"
    rule_latex = (r"\frac{\partial}{\partial x_{1i}} = \sum_j \frac{\partial \|d_{ij}\|_p}"
                  r"{\partial d_{ij}} \text{ con } d_{ij} = x_{1i} - x_{2j},\quad "
                  r"\frac{\partial}{\partial x_{2j}} = -\sum_i \frac{\partial \|d_{ij}\|_p}"
                  r"{\partial d_{ij}}")

    @staticmethod
    def forward(ctx, x1, x2, p=2.0, use_mm=False):
        ctx.p, ctx.use_mm = p, use_mm
        if use_mm:
            res = (-2 * x1) @ _swap(x2)
            res += np.add.reduce(x1 * x1, axis=-1, keepdims=True)
            res += _swap(np.add.reduce(x2 * x2, axis=-1, keepdims=True))
            np.maximum(res, 0, out=res)
            np.sqrt(res, out=res)
            ctx.save_for_backward(x1, x2, res)
            return res
        diff = x1[..., :, None, :] - x2[..., None, :, :]
        if p == _INF:   # con M = 0 la distancia es 0 (initial)
            out = np.maximum.reduce(np.abs(diff), axis=-1, initial=0)
        else:
            out = vector_norm(diff, p, (-1,))[..., 0]
        out = _asarray(out)
        ctx.save_for_backward(x1, x2, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        need1, need2 = ctx.needs_input_grad
        if ctx.use_mm:   # _euclidean_dist_backward de PyTorch
            x1, x2, res = ctx.saved
            ratio = _masked_ratio(grad, res)
            g1 = x1 * ratio.sum(axis=-1, keepdims=True) - ratio @ x2 if need1 else None
            g2 = (x2 * ratio.sum(axis=-2)[..., None] - _swap(ratio) @ x1) if need2 else None
            return g1, g2
        x1, x2, dist = ctx.saved
        diff = x1[..., :, None, :] - x2[..., None, :, :]
        contrib = _cdist_contributions(diff, dist[..., None], grad[..., None], ctx.p)
        return ((contrib.sum(axis=-2) if need1 else None),
                (-contrib.sum(axis=-3) if need2 else None))


def _cdist_contributions(diff, dist, grad, p):
    """Gradiente de cada par (…, P, R, M) respecto de x1, como ``_cdist_backward`` de PyTorch.

    A diferencia de ``norm``, con p = inf cada empatado recibe el gradiente entero (PyTorch
    no lo reparte) y con p = 0 el gradiente es 0 (no None).
    """
    if p == 0:
        return np.zeros_like(diff * grad)
    if p == 1:
        return grad * np.sign(diff)
    if p == _INF:
        return grad * np.sign(diff) * (np.abs(diff) == dist)
    absd = np.abs(diff)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if p == 2:
            out = grad * diff / dist
        elif p < 2:
            out = np.sign(diff) * absd ** (p - 1) * grad / dist ** (p - 1)
            if p < 1:
                out = np.where(diff == 0, 0, out)
        else:
            out = diff * absd ** (p - 2) * grad / dist ** (p - 1)
    return np.where(dist == 0, 0, out)
