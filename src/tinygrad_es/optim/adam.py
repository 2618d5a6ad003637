"""Adam y AdamW (Kingma y Ba, 2014; Loshchilov y Hutter, 2017), con la regla exacta de PyTorch."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .optimizer import Optimizer

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..tensor import Tensor


class Adam(Optimizer):
    """``Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False)``.

    Regla de actualización (la de PyTorch, en este orden), con ``t`` el paso de cada parámetro::

        g = grad (o -grad si maximize) + weight_decay * p     (AdamW: p *= 1 - lr*weight_decay)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        v_max = max(v_max, v)                                (solo con amsgrad; se usa en vez de v)
        p = p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)
    """

    def __init__(self, params: Iterable[Tensor] | Iterable[dict[str, Any]],
                 lr: float | Tensor = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *, maximize: bool = False,
                 decoupled_weight_decay: bool = False) -> None:
        defaults = {"lr": lr, "betas": tuple(float(b) for b in betas), "eps": eps,
                    "weight_decay": weight_decay, "amsgrad": amsgrad, "maximize": maximize,
                    "decoupled_weight_decay": decoupled_weight_decay}
        self._check_group(defaults)
        super().__init__(params, defaults)

    def _update(self, p, data, grad, group, state):
        lr = float(group["lr"])
        beta1, beta2 = group["betas"]
        weight_decay = group["weight_decay"]
        decoupled = group["decoupled_weight_decay"]
        maximize = group["maximize"]
        amsgrad = group["amsgrad"]
        scalar = data.dtype.type
        if "exp_avg" not in state:
            state["step"] = self._new_step()
            state["exp_avg"] = self._zeros_like(data)
            state["exp_avg_sq"] = self._zeros_like(data)
            if amsgrad:
                state["max_exp_avg_sq"] = self._zeros_like(data)
        elif amsgrad and "max_exp_avg_sq" not in state:
            state["max_exp_avg_sq"] = self._zeros_like(data)
        step = self._step_counter(state)
        coupled_decay = 0 if decoupled else weight_decay
        bufs = self._scratch(data, 2 if (coupled_decay != 0 or maximize) else 1)
        tmp = bufs[0]
        if decoupled and weight_decay != 0:
            np.multiply(data, scalar(1 - lr * weight_decay), out=data)
        g = self._grad_with_decay(data, grad, coupled_decay, maximize, bufs)
        exp_avg = state["exp_avg"]._data
        exp_avg_sq = state["exp_avg_sq"]._data
        self._lerp_(exp_avg, g, 1 - beta1, tmp)
        np.multiply(exp_avg_sq, scalar(beta2), out=exp_avg_sq)
        np.multiply(g, g, out=tmp)
        np.multiply(tmp, scalar(1 - beta2), out=tmp)
        np.add(exp_avg_sq, tmp, out=exp_avg_sq)

        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = math.sqrt(bias_correction2)
        if amsgrad:
            max_sq = state["max_exp_avg_sq"]._data
            np.maximum(max_sq, exp_avg_sq, out=max_sq)
            np.sqrt(max_sq, out=tmp)
        else:
            np.sqrt(exp_avg_sq, out=tmp)
        np.divide(tmp, scalar(bias_correction2_sqrt), out=tmp)
        np.add(tmp, scalar(group["eps"]), out=tmp)
        np.divide(exp_avg, tmp, out=tmp)
        np.multiply(tmp, scalar(-step_size), out=tmp)
        np.add(data, tmp, out=data)


class AdamW(Adam):
    """``AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False)``.

    Como Adam, pero el decaimiento de pesos está desacoplado: antes de actualizar los momentos
    se hace ``p *= 1 - lr * weight_decay`` y el gradiente no lleva el término de decaimiento.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, maximize=maximize, decoupled_weight_decay=True)

    def load_state_dict(self, state_dict):
        super().load_state_dict(state_dict)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
