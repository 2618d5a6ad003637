"""Reducciones: sum, mean, prod, var/std, amax/amin (empates repartidos) y el gather de max(dim)."""
import math
import warnings

import numpy as np

from .base import Op, expand_reduced, normalize_axis, spread, value

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


class Sum(Op):
    rule = "∂/∂aᵢ = 1: copia el gradiente a cada elemento sumado"
    rule_latex = (r"\frac{\partial}{\partial a_i} = 1\text{: copia el gradiente a cada elemento "
                  r"sumado}")
    local = ("1",)

    @staticmethod
    def torch_name(node):   # x.sum() o x.sum(dim)
        return "SumBackward0" if node.whole else "SumBackward1"

    @staticmethod
    def forward(ctx, a, axis=None, keepdim=False):
        ctx.in_shape = a.shape
        ctx.axes = normalize_axis(axis, a.ndim)
        ctx.keepdim, ctx.whole = keepdim, axis is None
        return np.asarray(np.add.reduce(a, axis=ctx.axes, keepdims=keepdim)
                          if a.dtype.kind == "f" else a.sum(axis=ctx.axes, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        return spread(expand_reduced(grad, ctx.in_shape, ctx.axes, ctx.keepdim), ctx.in_shape)


class Mean(Op):
    rule = "∂/∂aᵢ = 1/n: reparte el gradiente entre los n elementos"
    rule_latex = (r"\frac{\partial}{\partial a_i} = \frac{1}{n}\text{: reparte el gradiente entre "
                  r"los } n \text{ elementos}")
    local = ("1",)

    @staticmethod
    def torch_name(node):   # x.mean() o x.mean(dim)
        return "MeanBackward0" if node.whole else "MeanBackward1"

    @staticmethod
    def forward(ctx, a, axis=None, keepdim=False):
        ctx.in_shape = a.shape
        ctx.axes = normalize_axis(axis, a.ndim)
        ctx.keepdim, ctx.whole = keepdim, axis is None
        ctx.count = math.prod([a.shape[i] for i in ctx.axes]) if a.ndim else 1
        if a.size == 0:   # como PyTorch: nan en silencio (NumPy avisaría "Mean of empty slice")
            with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                return np.asarray(a.mean(axis=ctx.axes, keepdims=keepdim))
        if a.dtype in _FLOATS and a.ndim:   # lo que hace a.mean() (_methods._mean), sin su
            total = np.add.reduce(a, axis=ctx.axes, keepdims=keepdim)   # capa de Python
            count = np.intp(ctx.count)
            if type(total) is np.ndarray:
                return np.true_divide(total, count, out=total, casting="unsafe")
            return np.asarray(np.true_divide(total, count).astype(total.dtype))
        return np.asarray(a.mean(axis=ctx.axes, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        if ctx.count == 0:   # nada que repartir: la entrada está vacía
            return np.zeros(ctx.in_shape, dtype=grad.dtype)
        grad = expand_reduced(grad, ctx.in_shape, ctx.axes, ctx.keepdim)
        return spread(grad / grad.dtype.type(ctx.count), ctx.in_shape)


class Var(Op):
    """Varianza con ``correction`` (1 = insesgada), con el gradiente de PyTorch.

    Con ``dim=None`` y grados de libertad <= 0 (un solo elemento, por ejemplo) el gradiente
    es nan donde x == media e inf en el resto; con ``dim`` es ``2 / (n - correction)`` veces
    (x - media), sin recortar los grados de libertad (así lo hace PyTorch).
    """

    take_sqrt = False
    rule = "∂/∂aᵢ = 2·(aᵢ - ā)/(n - corrección)"
    rule_latex = r"\frac{\partial}{\partial a_i} = \frac{2\,(a_i - \bar{a})}{n - \text{corrección}}"

    @classmethod
    def forward(cls, ctx, a, axis=None, correction=1, keepdim=False):
        axes = normalize_axis(axis, a.ndim)
        count = math.prod([a.shape[i] for i in axes]) if a.ndim else 1
        dof = (count if a.size else 0) - correction   # factor de reducción de PyTorch
        if dof > 0:
            centered = a - a.mean(axis=axes, keepdims=True)
            out = np.add.reduce(centered * centered, axis=axes, keepdims=keepdim) / dof
        else:   # nan o inf, como PyTorch (el aviso lo da Tensor.var/std)
            with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                centered = a - a.mean(axis=axes, keepdims=True)
                out = np.add.reduce(centered * centered, axis=axes, keepdims=keepdim) / 0.0
        out = np.asarray(out)
        if cls.take_sqrt:
            out = np.sqrt(out)
            ctx.save_for_backward(a, out)
        else:
            ctx.save_for_backward(a)
        ctx.axes, ctx.keepdim, ctx.in_shape = axes, keepdim, a.shape
        ctx.full = axis is None or a.ndim == 0 or (isinstance(axis, (tuple, list)) and not axis)
        ctx.dof = (a.size if ctx.full else count) - correction
        return out

    @staticmethod
    def backward(ctx, grad):
        a = ctx.saved[0]
        centered = a - np.mean(a, axis=ctx.axes, keepdims=True)
        grad = expand_reduced(grad, ctx.in_shape, ctx.axes, ctx.keepdim)
        dof, kind = ctx.dof, grad.dtype.type
        if ctx.full and dof <= 0:   # inf * 0 = nan donde x == media
            with np.errstate(invalid="ignore"):
                return grad * np.where(value(centered) == 0, kind(np.nan), kind(np.inf))
        if dof == 0:   # 2 / 0 = inf (con dim, como PyTorch); inf * 0 = nan
            with np.errstate(invalid="ignore"):
                return kind(np.inf) * grad * centered
        return kind(2.0 / dof) * grad * centered


class Std(Var):
    """sqrt(var): el gradiente ``grad / (2 std)`` vale 0 donde std = 0 (entrada constante)."""

    take_sqrt = True
    rule = "∂/∂aᵢ = (aᵢ - ā)/((n - corrección)·std), 0 si std = 0"
    rule_latex = (r"\frac{\partial}{\partial a_i} = \frac{a_i - \bar{a}}{(n - "
                  r"\text{corrección})\,\mathrm{std}},\ 0 \text{ si } \mathrm{std} = 0")

    @staticmethod
    def backward(ctx, grad):
        out = ctx.saved[1]
        zero = value(out) == 0
        grad = np.where(zero, 0, grad / (2 * np.where(zero, 1, out)))
        return Var.backward(ctx, grad)


class Prod(Op):
    """Producto de todos los elementos o a lo largo de ``axis`` (un entero), como PyTorch.

    Sin ceros el gradiente es grad · prod / x. Con algún cero se usan productos exclusivos
    (prefijo · sufijo): un cero solo recibe el producto de los demás y el resto 0. En el
    producto total con dos o más ceros, gradiente 0 (el atajo de PyTorch).
    """

    rule = "∂/∂aᵢ = el producto de los demás elementos (prod/aᵢ si no hay ceros)"
    rule_latex = (r"\frac{\partial}{\partial a_i} = \prod_{j \neq i} a_j \text{ (} "
                  r"\frac{\mathrm{prod}}{a_i} \text{ si no hay ceros)}")

    @staticmethod
    def forward(ctx, a, axis=None, keepdim=False):
        if axis is not None:
            axes = normalize_axis(axis, a.ndim)
            axis = axes[0] if axes else None
        out = np.asarray(np.prod(a, axis=axis, keepdims=keepdim and axis is not None))
        ctx.save_for_backward(a, out)
        ctx.axis, ctx.keepdim = axis, keepdim
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved
        if a.ndim == 0:
            return grad
        axis = ctx.axis
        if axis is None:
            zeros = np.count_nonzero(a == 0)
            if zeros == 0:
                return grad * (out / a)
            if zeros > 1:
                return np.zeros(a.shape, dtype=grad.dtype)
            return (grad * _exclusive_products(a.reshape(-1), 0)).reshape(a.shape)
        if not ctx.keepdim:
            grad, out = np.expand_dims(grad, axis), np.expand_dims(out, axis)
        if a.size == 0:
            return np.broadcast_to(grad, a.shape)
        if not (a == 0).any():
            return grad * (out / a)
        return grad * _exclusive_products(a, axis)


def _exclusive_products(a, axis):
    """Para cada elemento, el producto de los demás de su fila en ``axis`` (sin dividir)."""
    m = np.moveaxis(a, axis, -1)
    ones = np.ones(m.shape[:-1] + (1,), dtype=m.dtype)
    with np.errstate(invalid="ignore", over="ignore"):   # inf · 0 = nan, como PyTorch
        before = np.cumprod(np.concatenate([ones, m[..., :-1]], axis=-1), axis=-1)
        after = np.cumprod(np.concatenate([ones, m[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
        return np.moveaxis(before * after, -1, axis)


class _Extreme(Op):
    """amax/amin y max()/min() sin dim: con empates, el gradiente se reparte a partes iguales."""

    reducer = None

    @classmethod
    def torch_name(cls, node):   # amax/amin, o max()/min() sin dim (label)
        return node.label or cls.__name__ + "Backward0"

    @classmethod
    def forward(cls, ctx, a, axis=None, keepdim=False, label=None):
        ctx.label = label
        axes = normalize_axis(axis, a.ndim)
        out_keep = cls.reducer(a, axis=axes, keepdims=True)
        ctx.save_for_backward(a == out_keep)
        ctx.axes, ctx.keepdim, ctx.in_shape = axes, keepdim, a.shape
        return out_keep if keepdim else out_keep.reshape(
            tuple(d for i, d in enumerate(a.shape) if i not in axes))

    @staticmethod
    def backward(ctx, grad):
        mask = ctx.saved[0]
        grad = expand_reduced(grad, ctx.in_shape, ctx.axes, ctx.keepdim)
        count = mask.sum(axis=ctx.axes, keepdims=True).astype(grad.dtype)
        return mask * (grad / count)


class Amax(_Extreme):
    reducer = staticmethod(np.max)
    rule = "∂ = 1 en la posición del máximo (repartido si hay empates)"
    rule_latex = r"\partial = 1 \text{ en la posición del máximo (repartido si hay empates)}"


class Amin(_Extreme):
    reducer = staticmethod(np.min)
    rule = "∂ = 1 en la posición del mínimo (repartido si hay empates)"
    rule_latex = r"\partial = 1 \text{ en la posición del mínimo (repartido si hay empates)}"


class TakeAlongDim(Op):
    """Valores en los índices dados a lo largo de ``axis`` (max(dim)/min(dim), gather).

    Todo el gradiente va al índice elegido, también con empates (como PyTorch).
    """

    rule = "coloca el gradiente en los índices tomados"
    rule_latex = r"\text{coloca el gradiente en los índices tomados}"

    @staticmethod
    def torch_name(node):   # MaxBackward0, SortBackward0... según quién la usa
        return node.label or "GatherBackward0"

    @staticmethod
    def forward(ctx, a, indices=None, axis=0, keepdim=True, label=None):
        ctx.label = label
        ctx.save_for_backward(indices)
        ctx.axis, ctx.keepdim, ctx.in_shape = axis, keepdim, a.shape
        out = np.take_along_axis(a, indices, axis=axis)
        return out if keepdim else np.squeeze(out, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        indices = value(ctx.saved[0])
        if not ctx.keepdim:
            grad = np.expand_dims(grad, ctx.axis)
        if hasattr(grad, "_data"):
            return grad._apply(PutAlongDim, grad, indices=indices, axis=ctx.axis,
                               shape=ctx.in_shape)
        return PutAlongDim.forward(None, grad, indices, ctx.axis, ctx.in_shape)


class PutAlongDim(Op):
    """Ceros con ``grad`` en los índices a lo largo de ``axis`` (backward de TakeAlongDim)."""

    torch_name = "ScatterBackward0"
    rule = "toma el gradiente de los índices donde se colocó"
    rule_latex = r"\text{toma el gradiente de los índices donde se colocó}"

    @staticmethod
    def forward(ctx, grad, indices=None, axis=0, shape=None):
        if ctx is not None:
            ctx.indices, ctx.axis = indices, axis
        out = np.zeros(shape, dtype=grad.dtype)
        np.put_along_axis(out, indices, grad, axis=axis)
        return out

    @staticmethod
    def backward(ctx, grad):
        return np.take_along_axis(grad, ctx.indices, axis=ctx.axis)
