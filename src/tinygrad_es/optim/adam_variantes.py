"""Variantes de Adam: Adamax, NAdam y RAdam, con la regla exacta de PyTorch.

El estado se llama como en PyTorch (``step``, ``exp_avg``, ``exp_avg_sq``, ``exp_inf``,
``mu_product``), así que un ``state_dict`` de uno se carga en el otro.
"""
import math

import numpy as np

from ._opciones import check_non_negative, check_torch_only_flags
from .optimizer import Optimizer


def _check_betas_eps(lr, betas, eps, weight_decay):
    check_non_negative(lr=lr, eps=eps)
    for i, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(
                f"Valor no válido para betas[{i}]: {beta}. Debe estar en [0, 1), por ejemplo "
                "betas=(0.9, 0.999).")
    check_non_negative(weight_decay=weight_decay)


def _decay(self, data, grad, group, bufs, decoupled):
    """Gradiente efectivo; con decaimiento desacoplado, ``p *= 1 - lr * weight_decay`` antes."""
    weight_decay = group["weight_decay"]
    if decoupled and weight_decay != 0:
        np.multiply(data, data.dtype.type(1 - float(group["lr"]) * weight_decay), out=data)
        weight_decay = 0
    return self._grad_with_decay(data, grad, weight_decay, group["maximize"], bufs)


def _second_moment(exp_avg_sq, g, beta2, tmp):
    """``exp_avg_sq = beta2 * exp_avg_sq + (1 - beta2) * g * g`` (el addcmul_ de PyTorch)."""
    scalar = exp_avg_sq.dtype.type
    np.multiply(exp_avg_sq, scalar(beta2), out=exp_avg_sq)
    np.multiply(g, scalar(1 - beta2), out=tmp)
    np.multiply(tmp, g, out=tmp)
    np.add(exp_avg_sq, tmp, out=exp_avg_sq)


class Adamax(Optimizer):
    """``Adamax(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0)``; ``maximize``.

    Adam con la norma infinito (Kingma y Ba, 2014). Regla (la de PyTorch, en este orden)::

        g = grad (o -grad si maximize) + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        u = max(beta2 * u, |g| + eps)
        p = p - lr / (1 - beta1**t) * m / u
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        _check_betas_eps(lr, betas, eps, weight_decay)
        check_torch_only_flags("Adamax", foreach, differentiable, capturable)
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    def _update(self, p, data, grad, group, state):
        if "exp_avg" not in state:
            state["step"] = self._new_step()
            state["exp_avg"] = self._zeros_like(data)
            state["exp_inf"] = self._zeros_like(data)
        step = self._step_counter(state)
        beta1, beta2 = group["betas"]
        scalar = data.dtype.type
        bufs = self._scratch(data, 2)
        tmp = bufs[0]
        g = _decay(self, data, grad, group, bufs, False)
        exp_avg = state["exp_avg"]._data
        exp_inf = state["exp_inf"]._data
        self._lerp_(exp_avg, g, 1 - beta1, tmp)
        np.multiply(exp_inf, scalar(beta2), out=exp_inf)
        np.abs(g, out=tmp)
        np.add(tmp, scalar(group["eps"]), out=tmp)
        np.maximum(exp_inf, tmp, out=exp_inf)
        clr = float(group["lr"]) / (1 - beta1 ** step)
        np.multiply(exp_avg, scalar(-clr), out=tmp)
        np.divide(tmp, exp_inf, out=tmp)
        np.add(data, tmp, out=data)


class NAdam(Optimizer):
    """``NAdam(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
    momentum_decay=4e-3, decoupled_weight_decay=False)``; también ``maximize``.

    Adam con momento de Nesterov (Dozat, 2016). Regla (la de PyTorch, en este orden)::

        g = grad (o -grad si maximize) + weight_decay * p   (desacoplado: p *= 1 - lr*wd)
        mu_t = beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay));  mu_{t+1} igual con t + 1
        mu_product = mu_product * mu_t                      (tensor 0-d del estado)
        m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g * g
        den = sqrt(v / (1 - beta2**t)) + eps
        p = p - lr * (1 - mu_t) / (1 - mu_product) * g / den
              - lr * mu_{t+1} / (1 - mu_product * mu_{t+1}) * m / den
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        _check_betas_eps(lr, betas, eps, weight_decay)
        check_non_negative(momentum_decay=momentum_decay)
        check_torch_only_flags("NAdam", foreach, differentiable, capturable)
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay,
                    "decoupled_weight_decay": decoupled_weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _update(self, p, data, grad, group, state):
        if "exp_avg" not in state:
            state["step"] = self._new_step()
            state["mu_product"] = self._new_step()
            state["mu_product"]._data[...] = 1
            state["exp_avg"] = self._zeros_like(data)
            state["exp_avg_sq"] = self._zeros_like(data)
        step = self._step_counter(state)
        beta1, beta2 = group["betas"]
        lr = float(group["lr"])
        momentum_decay = group["momentum_decay"]
        scalar = data.dtype.type
        bufs = self._scratch(data, 2)
        tmp = bufs[0]
        bias_correction2 = 1 - beta2 ** step
        g = _decay(self, data, grad, group, bufs, group["decoupled_weight_decay"])
        mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product = state["mu_product"]._data
        np.multiply(mu_product, mu_product.dtype.type(mu), out=mu_product)
        exp_avg = state["exp_avg"]._data
        exp_avg_sq = state["exp_avg_sq"]._data
        self._lerp_(exp_avg, g, 1 - beta1, tmp)
        _second_moment(exp_avg_sq, g, beta2, tmp)
        denom = np.empty_like(data)
        np.divide(exp_avg_sq, scalar(bias_correction2), out=denom)
        np.sqrt(denom, out=denom)
        mu_product_value = float(mu_product)
        mu_product_next = mu_product_value * mu_next
        np.add(denom, scalar(group["eps"]), out=denom)
        np.multiply(g, scalar(-lr * (1.0 - mu) / (1.0 - mu_product_value)), out=tmp)
        np.divide(tmp, denom, out=tmp)
        np.add(data, tmp, out=data)
        np.multiply(exp_avg, scalar((-lr * mu_next) / (1.0 - mu_product_next)), out=tmp)
        np.divide(tmp, denom, out=tmp)
        np.add(data, tmp, out=data)


class RAdam(Optimizer):
    """``RAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
    decoupled_weight_decay=False)``; también ``maximize``.

    Adam rectificado (Liu et al., 2019): mientras la varianza del segundo momento no es fiable
    (``rho_t <= 5``, los primeros pasos) actualiza solo con el momento. Regla de PyTorch::

        g = grad (o -grad si maximize) + weight_decay * p   (desacoplado: p *= 1 - lr*wd)
        m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t)
        rho_inf = 2 / (1 - beta2) - 1;   rho_t = rho_inf - 2 t beta2**t / (1 - beta2**t)
        rho_t > 5:  r = sqrt((rho_t-4)(rho_t-2) rho_inf / ((rho_inf-4)(rho_inf-2) rho_t))
                    p = p - lr * m_hat * sqrt(1 - beta2**t) / (sqrt(v) + eps) * r
        si no:      p = p - lr * m_hat
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False,
                 capturable=False, differentiable=False):
        _check_betas_eps(lr, betas, eps, weight_decay)
        check_torch_only_flags("RAdam", foreach, differentiable, capturable)
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "decoupled_weight_decay": decoupled_weight_decay,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _update(self, p, data, grad, group, state):
        if "exp_avg" not in state:
            state["step"] = self._new_step()
            state["exp_avg"] = self._zeros_like(data)
            state["exp_avg_sq"] = self._zeros_like(data)
        step = self._step_counter(state)
        beta1, beta2 = group["betas"]
        lr = float(group["lr"])
        scalar = data.dtype.type
        bufs = self._scratch(data, 2)
        tmp = bufs[0]
        g = _decay(self, data, grad, group, bufs, group["decoupled_weight_decay"])
        exp_avg = state["exp_avg"]._data
        exp_avg_sq = state["exp_avg_sq"]._data
        self._lerp_(exp_avg, g, 1 - beta1, tmp)
        _second_moment(exp_avg_sq, g, beta2, tmp)
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        update = np.divide(exp_avg, scalar(bias_correction1), out=bufs[1])
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
        np.multiply(update, scalar(lr), out=update)
        if rho_t > 5.0:
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                    / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            np.sqrt(exp_avg_sq, out=tmp)
            np.add(tmp, scalar(group["eps"]), out=tmp)
            np.reciprocal(tmp, out=tmp)     # escalar / tensor en PyTorch: reciprocal * escalar
            np.multiply(tmp, scalar(math.sqrt(bias_correction2)), out=tmp)
            np.multiply(update, tmp, out=update)
            np.multiply(update, scalar(rect), out=update)
        np.subtract(data, update, out=data)
