"""La base de los planificadores de la tasa de aprendizaje (``LRScheduler``) y sus utilidades.

Sigue el orden de PyTorch: al crearse, el planificador da un primer paso (época 0, con
``_is_initial``); cada ``step()`` avanza una época con ``get_lr()`` (la forma encadenada, que
parte de la lr actual de cada grupo), o con ``_get_closed_form_lr()`` si se pasa la época.
"""
import warnings
import weakref
from functools import wraps

from .optimizer import Optimizer
from ..errors import user_stacklevel
from .._capture import macro

_ORDEN = ("Se llamó a lr_scheduler.step() antes que a optimizer.step(). El orden correcto es "
          "optimizer.step() y después lr_scheduler.step(); si no, se salta el primer valor de "
          "la tasa de aprendizaje.")
_EPOCA_OBSOLETA = ("Pasar la época a step() está obsoleto (también en PyTorch): llama a "
                   "step() sin argumentos.")
_GET_LR_FUERA = ("Para consultar la última tasa de aprendizaje que calculó el planificador usa "
                 "get_last_lr(); get_lr() calcula la siguiente y solo la usa step().")


def _check_optimizer(optimizer):
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"El planificador necesita un optimizador de tinygrad_es.optim, pero recibió "
            f"{type(optimizer).__name__}.")


def _lrs(optimizer):
    return [group["lr"] for group in optimizer.param_groups]


def _format_param(name, optimizer, param):
    """Un valor por grupo de parámetros: una lista del largo correcto o el mismo para todos."""
    if isinstance(param, (list, tuple)):
        if len(param) != len(optimizer.param_groups):
            raise ValueError(
                f"{name} debe tener un valor por grupo de parámetros del optimizador: tiene "
                f"{len(param)} y el optimizador tiene {len(optimizer.param_groups)} grupos.")
        return list(param)
    return [param] * len(optimizer.param_groups)


def _check_lambdas(lr_lambda, optimizer):
    if isinstance(lr_lambda, (list, tuple)):
        if len(lr_lambda) != len(optimizer.param_groups):
            raise ValueError(
                f"Se esperaban {len(optimizer.param_groups)} funciones lr_lambda (una por "
                f"grupo de parámetros), pero se recibieron {len(lr_lambda)}.")
        lambdas = list(lr_lambda)
    else:
        lambdas = [lr_lambda] * len(optimizer.param_groups)
    for fn in lambdas:
        if not callable(fn):
            raise TypeError(
                f"lr_lambda debe ser una función (p. ej. lambda epoca: 0.95), pero es de tipo "
                f"{type(fn).__name__}.")
    return lambdas


class LRScheduler:
    """Base de los planificadores: ``step()``, ``get_last_lr()``, ``state_dict()``.

    Una subclase define ``get_lr()`` (y, si tiene, la forma cerrada ``_get_closed_form_lr()``).
    """

    _is_initial = False
    _get_lr_called_within_step = False

    def __init__(self, optimizer, last_epoch=-1):
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"Falta 'initial_lr' en param_groups[{i}] al reanudar el planificador "
                        f"con last_epoch={last_epoch}: carga primero el estado del optimizador "
                        "o usa last_epoch=-1 para empezar desde el principio.")
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        _mark_optimizer_steps(optimizer)
        self._initial_step()

    def _initial_step(self):
        """Pone a cero el contador de pasos y da el primer paso (el de la época 0)."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_last_lr(self):
        """Las últimas tasas de aprendizaje calculadas (una por grupo de parámetros)."""
        return self._last_lr

    def get_lr(self):
        """La siguiente lr de cada grupo (la usa ``step()``; para consultar, ``get_last_lr()``)."""
        if hasattr(self, "_get_closed_form_lr"):
            self._warn_get_lr()
            return self._get_closed_form_lr()
        raise NotImplementedError(
            f"{type(self).__name__} no define get_lr(): una subclase de LRScheduler debe "
            "devolver ahí la lista de tasas de aprendizaje (una por grupo de parámetros).")

    def _warn_get_lr(self):
        if not self._get_lr_called_within_step:
            warnings.warn(_GET_LR_FUERA, UserWarning, stacklevel=user_stacklevel())

    @macro
    def step(self, epoch=None):
        """Avanza una época (llámalo después de ``optimizer.step()``)."""
        if self._step_count == 1 and not getattr(self.optimizer, "_opt_called", False):
            warnings.warn(_ORDEN, UserWarning, stacklevel=user_stacklevel())
        self._step_count += 1
        if epoch is not None:
            warnings.warn(_EPOCA_OBSOLETA, UserWarning, stacklevel=user_stacklevel())
        self._update_lr(epoch)

    def _update_lr(self, epoch=None):
        self._get_lr_called_within_step = True
        try:
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                self.last_epoch = epoch
                if hasattr(self, "_get_closed_form_lr"):
                    values = self._get_closed_form_lr()
                else:
                    values = self.get_lr()
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = _lrs(self.optimizer)

    def state_dict(self):
        """Todo el estado del planificador salvo el optimizador."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict):
        self.__dict__.update(state_dict)


def _mark_optimizer_steps(optimizer):
    """Envuelve ``optimizer.step`` para saber si se llamó (y avisar si el orden es incorrecto)."""
    if getattr(optimizer.step, "_marcado_por_planificador", False):
        return
    opt_ref = weakref.ref(optimizer)
    func = optimizer.step.__func__

    @wraps(func)
    def wrapper(*args, **kwargs):
        opt = opt_ref()
        opt._opt_called = True
        return func.__get__(opt, type(opt))(*args, **kwargs)

    wrapper._marcado_por_planificador = True
    optimizer.step = wrapper
