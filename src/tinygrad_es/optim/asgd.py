"""ASGD: descenso de gradiente estocástico promediado (Polyak y Juditsky, 1992), con la regla de
PyTorch."""
import numpy as np

from .. import _dtypes
from ._opciones import add_scaled_, check_non_negative, check_torch_only_flags
from .optimizer import Optimizer, _make


class ASGD(Optimizer):
    """``ASGD(params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0)``; ``maximize``.

    Un SGD cuya tasa ``eta`` decrece con los pasos y que, a partir del paso ``t0``, guarda en
    ``ax`` el promedio de los parámetros recorridos (el promedio es lo que se evalúa al final;
    ``p`` sigue moviéndose). Regla de PyTorch, con ``t`` el paso del parámetro::

        g = grad (o -grad si maximize) + weight_decay * p
        p = p * (1 - lambd * eta) - eta * g
        ax = p                          si mu == 1
        ax = ax + (p - ax) * mu         si no
        eta = lr / (1 + lambd * lr * t) ** alpha
        mu = 1 / max(1, t - t0)

    ``eta`` y ``mu`` se guardan como tensores 0-d del tipo por defecto (float32), como en
    PyTorch, así que se redondean a float32 aunque los parámetros sean float64.
    """

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False, differentiable=False, capturable=False):
        check_non_negative(lr=lr, weight_decay=weight_decay)
        check_torch_only_flags("ASGD", foreach, differentiable, capturable)
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0,
                    "weight_decay": weight_decay, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def _check_group(self, group):
        # el alpha de ASGD es un exponente (puede ser cualquier número, como en PyTorch), no el
        # alpha de RMSprop que la base comprueba que sea >= 0
        super()._check_group({k: v for k, v in group.items() if k != "alpha"})

    def _update(self, p, data, grad, group, state):
        if "eta" not in state:
            scalar_dtype = _dtypes.default_float
            state["step"] = self._new_step()
            state["eta"] = _make(np.array(float(group["lr"]), dtype=scalar_dtype))
            state["mu"] = _make(np.ones((), dtype=scalar_dtype))
            state["ax"] = self._zeros_like(data)
        step = self._step_counter(state)
        lr, lambd = float(group["lr"]), group["lambd"]
        scalar = data.dtype.type
        tmp = np.empty_like(data)
        if group["maximize"]:
            g = np.negative(grad, out=np.empty_like(data))
        else:
            g = grad
        if group["weight_decay"] != 0:     # grad.add(param, alpha=weight_decay): una FMA
            g = add_scaled_(np.array(g, copy=True), data, group["weight_decay"])
        eta, mu = state["eta"]._data, state["mu"]._data
        eta_value = float(eta)
        np.multiply(data, scalar(1 - lambd * eta_value), out=data)      # decaimiento
        add_scaled_(data, g, -eta_value)
        ax = state["ax"]._data
        if float(mu) != 1:
            np.subtract(data, ax, out=tmp)
            np.multiply(tmp, scalar(float(mu)), out=tmp)
            np.add(ax, tmp, out=ax)
        else:
            np.copyto(ax, data)
        # torch.as_tensor(número) es del tipo por defecto: se redondea a él aunque el estado
        # sea float64 (tras load_state_dict con parámetros float64)
        default = _dtypes.default_float.type
        np.copyto(eta, default(lr / ((1 + lambd * lr * step) ** group["alpha"])))
        np.copyto(mu, default(1 / max(1, step - group["t0"])))
