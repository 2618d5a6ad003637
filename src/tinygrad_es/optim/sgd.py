"""Descenso por gradiente estocástico (SGD), con momento, amortiguación, Nesterov y decaimiento."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .optimizer import Optimizer, _grad_array

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..tensor import Tensor


class SGD(Optimizer):
    """``SGD(params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False)``.

    También acepta ``maximize=True`` (sube por el gradiente en vez de bajar).

    Regla de actualización (la de PyTorch, en este orden)::

        g = grad (o -grad si maximize) + weight_decay * p
        si momentum != 0:
            buf = g                                        (primer paso)
            buf = momentum * buf + (1 - dampening) * g     (pasos siguientes)
            g = g + momentum * buf   si nesterov,   si no g = buf
        p = p - lr * g
    """

    def __init__(self, params: Iterable[Tensor] | Iterable[dict[str, Any]],
                 lr: float | Tensor = 1e-3,
                 momentum: float = 0, dampening: float = 0, weight_decay: float = 0,
                 nesterov: bool = False, *, maximize: bool = False) -> None:
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize}
        self._check_group(defaults)
        super().__init__(params, defaults)

    def _has_state(self, group):
        return group["momentum"] != 0

    def _step_group(self, group):
        if group["momentum"] != 0 or group["weight_decay"] != 0 or group["maximize"]:
            return super()._step_group(group)
        step = -float(group["lr"])   # SGD simple: p -= lr * grad, leído una vez por paso
        for p in group["params"]:
            grad = p._grad
            if grad is None:
                continue
            _add_scaled(p._data, _grad_array(grad), step)
            p._bump_version()

    def _update(self, p, data, grad, group, state):
        momentum = group["momentum"]
        weight_decay = group["weight_decay"]
        maximize = group["maximize"]
        bufs = self._scratch(data, 2 if (weight_decay != 0 or maximize) else 1)
        tmp = bufs[0]
        g = self._grad_with_decay(data, grad, weight_decay, maximize, bufs)
        scalar = data.dtype.type
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = self._zeros_like(data)
                np.copyto(buf._data, g)
            else:
                buf = buf._data
                np.multiply(buf, scalar(momentum), out=buf)
                dampening = group["dampening"]
                if dampening != 0:
                    np.multiply(g, scalar(1 - dampening), out=tmp)
                    np.add(buf, tmp, out=buf)
                else:
                    np.add(buf, g, out=buf)
            buf = state["momentum_buffer"]._data
            if group["nesterov"]:
                np.multiply(buf, scalar(momentum), out=tmp)
                np.add(g, tmp, out=tmp)
                g = tmp
            else:
                g = buf
        _add_scaled(data, g, -float(group["lr"]), tmp)


def _add_scaled(data, g, factor, tmp=None):
    """``data += factor * g`` en el dtype de ``data`` (``tmp``: array de trabajo opcional)."""
    np.add(data, np.multiply(g, data.dtype.type(factor), out=tmp), out=data)
