"""RMSprop (Hinton), con momento y versión centrada, con la regla exacta de PyTorch."""
import numpy as np

from .optimizer import Optimizer


class RMSprop(Optimizer):
    """``RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
    centered=False)``.

    Regla de actualización (la de PyTorch, en este orden)::

        g = grad (o -grad si maximize) + weight_decay * p
        v = alpha * v + (1 - alpha) * g * g
        centered:  g_media = alpha * g_media + (1 - alpha) * g;   den = sqrt(v - g_media**2) + eps
        si no:     den = sqrt(v) + eps                 (eps fuera de la raíz)
        momentum > 0:  buf = momentum * buf + g / den;   p = p - lr * buf
        si no:         p = p - lr * g / den
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, *, maximize=False):
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay, "maximize": maximize}
        self._check_group(defaults)
        super().__init__(params, defaults)

    def _update(self, p, data, grad, group, state):
        alpha = group["alpha"]
        momentum = group["momentum"]
        weight_decay = group["weight_decay"]
        maximize = group["maximize"]
        scalar = data.dtype.type
        if "square_avg" not in state:
            state["step"] = self._new_step()
            state["square_avg"] = self._zeros_like(data)
        if momentum > 0 and "momentum_buffer" not in state:
            state["momentum_buffer"] = self._zeros_like(data)
        if group["centered"] and "grad_avg" not in state:
            state["grad_avg"] = self._zeros_like(data)
        self._step_counter(state)
        bufs = self._scratch(data, 2 if (weight_decay != 0 or maximize) else 1)
        tmp = bufs[0]
        g = self._grad_with_decay(data, grad, weight_decay, maximize, bufs)

        square_avg = state["square_avg"]._data
        np.multiply(square_avg, scalar(alpha), out=square_avg)
        np.multiply(g, g, out=tmp)
        np.multiply(tmp, scalar(1 - alpha), out=tmp)
        np.add(square_avg, tmp, out=square_avg)
        if group["centered"]:
            grad_avg = state["grad_avg"]._data
            self._lerp_(grad_avg, g, 1 - alpha, tmp)
            np.multiply(grad_avg, grad_avg, out=tmp)
            np.subtract(square_avg, tmp, out=tmp)
            np.sqrt(tmp, out=tmp)
        else:
            np.sqrt(square_avg, out=tmp)
        np.add(tmp, scalar(group["eps"]), out=tmp)
        np.divide(g, tmp, out=tmp)
        lr = scalar(-float(group["lr"]))
        if momentum > 0:
            buf = state["momentum_buffer"]._data
            np.multiply(buf, scalar(momentum), out=buf)
            np.add(buf, tmp, out=buf)
            np.multiply(buf, lr, out=tmp)
        else:
            np.multiply(tmp, lr, out=tmp)
        np.add(data, tmp, out=data)
