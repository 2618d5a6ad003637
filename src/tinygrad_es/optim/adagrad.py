"""Adagrad (Duchi et al., 2011) y Adadelta (Zeiler, 2012), con la regla exacta de PyTorch.

Los dos acumulan cuadrados de gradientes por elemento; el estado se llama como en PyTorch
(``sum`` en Adagrad; ``square_avg`` y ``acc_delta`` en Adadelta; ``step`` en ambos), así que un
``state_dict`` de uno se carga en el otro.
"""
import numpy as np

from ..nn.parameter import UninitializedParameter
from ._opciones import check_non_negative, check_torch_only_flags
from .optimizer import Optimizer, _make


class Adagrad(Optimizer):
    """``Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
    eps=1e-10)``; también ``maximize=True``.

    Regla de actualización (la de PyTorch, en este orden), con ``t`` el paso del parámetro::

        g = grad (o -grad si maximize) + weight_decay * p
        clr = lr / (1 + (t - 1) * lr_decay)
        sum = sum + g * g                       (empieza en initial_accumulator_value)
        p = p - clr * g / (sqrt(sum) + eps)

    Como en PyTorch, el estado (``step`` y ``sum``) se crea al construir el optimizador.
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        check_non_negative(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                           initial_accumulator_value=initial_accumulator_value, eps=eps)
        check_torch_only_flags("Adagrad", foreach, differentiable, fused=fused)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                if isinstance(p, UninitializedParameter):   # como PyTorch: ValueError aquí
                    raise ValueError(
                        "Adagrad crea su estado al construirse y un parámetro aún no tiene "
                        "forma (UninitializedParameter de un módulo «lazy» como nn.LazyLinear). "
                        "Llama antes al modelo con un lote de ejemplo y crea después el "
                        "optimizador.")
                self._init_state(p._data, self.state[p])

    def _init_state(self, data, state):
        state["step"] = self._new_step()
        state["sum"] = _make(np.full(data.shape, self.defaults["initial_accumulator_value"],
                                     dtype=data.dtype))

    def _update(self, p, data, grad, group, state):
        if "sum" not in state:
            self._init_state(data, state)
        step = self._step_counter(state)
        weight_decay = group["weight_decay"]
        maximize = group["maximize"]
        scalar = data.dtype.type
        bufs = self._scratch(data, 2)
        tmp = bufs[0]
        g = self._grad_with_decay(data, grad, weight_decay, maximize, bufs)
        clr = float(group["lr"]) / (1 + (step - 1) * group["lr_decay"])
        state_sum = state["sum"]._data
        np.multiply(g, g, out=tmp)
        np.add(state_sum, tmp, out=state_sum)
        np.sqrt(state_sum, out=tmp)
        np.add(tmp, scalar(group["eps"]), out=tmp)
        numerator = np.multiply(g, scalar(-clr), out=bufs[1])
        np.divide(numerator, tmp, out=tmp)
        np.add(data, tmp, out=data)


class Adadelta(Optimizer):
    """``Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0)``; también ``maximize``.

    Regla de actualización (la de PyTorch, en este orden)::

        g = grad (o -grad si maximize) + weight_decay * p
        square_avg = rho * square_avg + (1 - rho) * g * g
        delta = sqrt(acc_delta + eps) / sqrt(square_avg + eps) * g
        acc_delta = rho * acc_delta + (1 - rho) * delta * delta
        p = p - lr * delta
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        check_non_negative(lr=lr, eps=eps, weight_decay=weight_decay)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Valor no válido para rho: {rho}. Debe estar en [0, 1].")
        check_torch_only_flags("Adadelta", foreach, differentiable, capturable)
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "capturable": capturable, "foreach": foreach,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _update(self, p, data, grad, group, state):
        if "square_avg" not in state:
            state["step"] = self._new_step()
            state["square_avg"] = self._zeros_like(data)
            state["acc_delta"] = self._zeros_like(data)
        self._step_counter(state)
        rho, eps = group["rho"], group["eps"]
        weight_decay = group["weight_decay"]
        maximize = group["maximize"]
        scalar = data.dtype.type
        bufs = self._scratch(data, 2 if (weight_decay != 0 or maximize) else 1)
        tmp = bufs[0]
        delta = np.empty_like(data)
        g = self._grad_with_decay(data, grad, weight_decay, maximize, bufs)
        square_avg = state["square_avg"]._data
        acc_delta = state["acc_delta"]._data
        np.multiply(square_avg, scalar(rho), out=square_avg)
        np.multiply(g, scalar(1 - rho), out=tmp)
        np.multiply(tmp, g, out=tmp)
        np.add(square_avg, tmp, out=square_avg)
        np.add(square_avg, scalar(eps), out=tmp)
        np.sqrt(tmp, out=tmp)                       # std
        np.add(acc_delta, scalar(eps), out=delta)
        np.sqrt(delta, out=delta)
        np.divide(delta, tmp, out=delta)
        np.multiply(delta, g, out=delta)
        np.multiply(acc_delta, scalar(rho), out=acc_delta)
        np.multiply(delta, scalar(1 - rho), out=tmp)
        np.multiply(tmp, delta, out=tmp)
        np.add(acc_delta, tmp, out=acc_delta)
        np.multiply(delta, scalar(-float(group["lr"])), out=delta)
        np.add(data, delta, out=data)
