"""Rprop (Riedmiller y Braun, 1993): solo usa el signo del gradiente, con la regla de PyTorch."""
import numpy as np

from ._opciones import check_non_negative, check_torch_only_flags
from .optimizer import Optimizer, _make


class Rprop(Optimizer):
    """``Rprop(params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50))``; ``maximize``.

    Cada elemento tiene su propio paso (``step_size``, empieza en ``lr``). Regla de PyTorch::

        g = grad (o -grad si maximize)
        s = signo(g * g_anterior)
        paso = clamp(paso * (etaplus si s > 0, etaminus si s < 0, 1 si s = 0), *step_sizes)
        g = 0 donde s < 0 (tras un cambio de signo no se mueve)
        p = p - signo(g) * paso;   g_anterior = g
    """

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        check_non_negative(lr=lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(
                f"Valores no válidos para etas: {etas[0]}, {etas[1]}. Deben cumplir "
                "0 < etaminus < 1 < etaplus, por ejemplo etas=(0.5, 1.2).")
        check_torch_only_flags("Rprop", foreach, differentiable, capturable)
        defaults = {"lr": lr, "etas": tuple(etas), "step_sizes": tuple(step_sizes),
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    def _update(self, p, data, grad, group, state):
        if "prev" not in state:
            state["step"] = self._new_step()
            state["prev"] = self._zeros_like(data)
            state["step_size"] = _make(np.full(data.shape, float(group["lr"]), dtype=data.dtype))
        self._step_counter(state)
        etaminus, etaplus = group["etas"]
        step_size_min, step_size_max = group["step_sizes"]
        scalar = data.dtype.type
        prev = state["prev"]._data
        step_size = state["step_size"]._data
        sign = np.multiply(grad, prev)
        np.sign(sign, out=sign)
        if group["maximize"]:
            np.negative(sign, out=sign)     # signo(-g * g_anterior)
        down = sign < 0
        up = sign > 0
        sign[up] = scalar(etaplus)
        sign[down] = scalar(etaminus)
        sign[sign == 0] = 1
        np.multiply(step_size, sign, out=step_size)
        np.clip(step_size, scalar(step_size_min), scalar(step_size_max), out=step_size)
        if group["maximize"]:
            np.negative(grad, out=prev)
        else:
            np.copyto(prev, grad)
        prev[down] = 0
        np.sign(prev, out=sign)
        np.multiply(sign, step_size, out=sign)
        np.subtract(data, sign, out=data)
