"""Funciones de pérdida fusionadas: cada una es un nodo, con forward y backward juntos.

Todas aceptan ``reduction`` ('mean', 'sum' o 'none'), ya validado por ``nn.functional``.
Los pesos (``weight``, ``pos_weight``) y los objetivos enteros son constantes: no
reciben gradiente. Los nombres de las clases dan los mismos ``grad_fn`` que PyTorch
(``NllLossBackward0``, ``MseLossBackward0``, ``BinaryCrossEntropyBackward0``...).
"""
import numpy as np

from .base import Op

_BCE_EPSILON = 1e-12   # el mismo suelo que usa PyTorch en el denominador de BCE


def _reduce(loss, reduction):
    if reduction == "mean":
        return np.asarray(loss.mean())
    if reduction == "sum":
        return np.asarray(loss.sum())
    return loss


def _upstream(grad, reduction, count):
    """Gradiente que llega a cada elemento de la pérdida sin reducir."""
    if reduction == "mean":
        return grad / grad.dtype.type(count)
    return grad


class MseLoss(Op):
    """Error cuadrático medio: ``(a - b)²`` reducido. Ambas entradas reciben gradiente."""

    rule = "∂/∂ŷ = 2(ŷ - y)/n"
    rule_latex = r"\frac{\partial}{\partial \hat{y}} = \frac{2\,(\hat{y} - y)}{n}"

    @staticmethod
    def forward(ctx, a, b, reduction="mean"):
        diff = a - b
        ctx.save_for_backward(a, b)
        ctx.reduction, ctx.count = reduction, diff.size
        return _reduce(diff * diff, reduction)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        g = _upstream(grad, ctx.reduction, ctx.count)
        g = (a - b) * (g + g)
        need_a, need_b = ctx.needs_input_grad
        return (g if need_a else None), (-g if need_b else None)


def _pick(logp, target):
    """``logp[i, target[i], ...]`` a lo largo del eje de clases (el 1)."""
    if logp.ndim == 2:
        return logp[np.arange(logp.shape[0]), target]
    return np.take_along_axis(logp, np.expand_dims(target, 1), axis=1).squeeze(1)


class NllLoss(Op):
    """Log-verosimilitud negativa: ``-w[y_i] * logp[i, y_i]``, con ``ignore_index``.

    ``logp`` tiene forma (N, C) o (N, C, d1, ...) y ``target`` (N,) o (N, d1, ...), con
    índices ya validados. Con 'mean' se divide entre ``sum(w[y_i])`` de las filas no
    ignoradas (entre su número si no hay pesos), como PyTorch.
    """

    rule = "∂/∂logpᵢ = -1/n en la clase correcta de cada fila, 0 en el resto"
    rule_latex = (r"\frac{\partial}{\partial \log p_i} = -\frac{1}{n} \text{ en la clase correcta "
                  r"de cada fila},\ 0 \text{ en el resto}")

    @staticmethod
    def forward(ctx, logp, target, weight=None, ignore_index=-100, reduction="mean"):
        ignored = None if ignore_index is None else target == ignore_index
        any_ignored = ignored is not None and bool(ignored.any())
        safe = np.where(ignored, 0, target) if any_ignored else target
        picked = _pick(logp, safe)
        if weight is not None:
            w = weight.astype(logp.dtype, copy=False)[safe]
            if any_ignored:
                w[ignored] = 0
        elif any_ignored:
            w = (~ignored).astype(logp.dtype)
        else:
            w = None
        if reduction == "mean":
            # -sum(picked) es exactamente sum(-picked): sin pesos no hace falta el array negado
            if w is None:
                total, summed = picked.size, -np.add.reduce(picked, axis=None)
            else:
                total, summed = w.sum(), -np.add.reduce(picked * w, axis=None)
            if total:
                out = np.asarray(summed / logp.dtype.type(total))
            else:   # todo ignorado o pesos nulos: 0/0 da nan, como PyTorch
                with np.errstate(invalid="ignore", divide="ignore"):
                    out = np.asarray(summed / logp.dtype.type(total))
        else:
            total = None
            out = _reduce(-picked if w is None else -(picked * w), reduction)
        if ctx.needs_input_grad[0]:
            ctx.save_for_backward(safe, w)
        ctx.reduction, ctx.total, ctx.in_shape = reduction, total, logp.shape
        return out

    @staticmethod
    def backward(ctx, grad):
        safe, w = ctx.saved
        dtype = grad.dtype
        picks = np.zeros(ctx.in_shape, dtype=dtype)   # -w[y] (o -1) en la clase de cada fila
        weights = dtype.type(-1) if w is None else -w
        if len(ctx.in_shape) == 2:
            picks[np.arange(ctx.in_shape[0]), safe] = weights
        else:
            weights = np.broadcast_to(weights, safe.shape)
            np.put_along_axis(picks, np.expand_dims(safe, 1), np.expand_dims(weights, 1), axis=1)
        if ctx.reduction == "mean":
            return grad * (picks / dtype.type(ctx.total)), None, None
        if ctx.reduction == "sum":
            return grad * picks, None, None
        return np.expand_dims(grad, 1) * picks, None, None


class BinaryCrossEntropy(Op):
    """``-w (y log p + (1 - y) log(1 - p))`` con cada logaritmo acotado en -100.

    Así p = 0 o p = 1 dan una pérdida finita; el gradiente respecto de ``p`` es
    ``w (p - y) / max(p (1 - p), 1e-12)``: grande pero finito, como en PyTorch (una
    composición con clamp daría 0 en esos puntos).
    """

    rule = "∂/∂p = (p - y) / (p(1 - p)) / n"
    rule_latex = r"\frac{\partial}{\partial p} = \frac{p - y}{p\,(1 - p)\,n}"

    @staticmethod
    def forward(ctx, p, y, weight=None, reduction="mean"):
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(p), -100)
            log_1mp = np.maximum(np.log1p(-p), -100)
        loss = (y - 1) * log_1mp - y * log_p
        if weight is not None:
            loss = loss * weight
        need_p, need_y = ctx.needs_input_grad[:2]
        ctx.save_for_backward(p, y if need_p else None, weight)
        ctx.reduction, ctx.count = reduction, loss.size
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        p, y, weight = ctx.saved
        need_p, need_y = ctx.needs_input_grad[:2]
        g = _upstream(grad, ctx.reduction, ctx.count)
        if weight is not None:
            g = g * weight
        gp = gy = None
        if need_p:
            gp = g * (p - y) / np.maximum((1 - p) * p, p.dtype.type(_BCE_EPSILON))
        if need_y:
            with np.errstate(divide="ignore"):
                gy = g * (np.log1p(-p) - np.log(p))
        return gp, gy, None


def _log_sigmoid(x):
    """log(sigmoid(x)) estable: -(max(-x, 0) + log1p(exp(-|x|)))."""
    return -(np.maximum(-x, 0) + np.log1p(np.exp(-np.abs(x))))


def _sigmoid(x):
    return (np.tanh(x * 0.5) + 1) * 0.5


class BinaryCrossEntropyWithLogits(Op):
    """BCE sobre logits, estable: ``(1 - y) x - lw · logσ(x)`` con ``lw = (pw - 1) y + 1``.

    Nunca calcula ``exp`` de un número grande, así que logits de ±1000 dan valores finitos.
    """

    rule = "∂/∂z = (σ(z) - y) / n"
    rule_latex = r"\frac{\partial}{\partial z} = \frac{\sigma(z) - y}{n}"

    @staticmethod
    def forward(ctx, x, y, weight=None, pos_weight=None, reduction="mean"):
        log_sig = _log_sigmoid(x)
        if pos_weight is None:
            loss = (1 - y) * x - log_sig
        else:
            loss = (1 - y) * x - ((pos_weight - 1) * y + 1) * log_sig
        if weight is not None:
            loss = loss * weight
        ctx.save_for_backward(x, y, weight, pos_weight)
        ctx.reduction, ctx.count = reduction, loss.size
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad):
        x, y, weight, pos_weight = ctx.saved
        need_x, need_y = ctx.needs_input_grad[:2]
        g = _upstream(grad, ctx.reduction, ctx.count)
        if weight is not None:
            g = g * weight
        gx = gy = None
        if need_x:
            if pos_weight is None:
                gx = g * (_sigmoid(x) - y)
            else:
                t = pos_weight * y
                gx = g * ((t + 1 - y) * _sigmoid(x) - t)
        if need_y:
            gy = -g * x if pos_weight is None else g * (-x - (pos_weight - 1) * _log_sigmoid(x))
        return gx, gy, None, None
