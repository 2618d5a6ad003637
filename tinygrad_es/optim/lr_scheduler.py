"""Planificadores de la tasa de aprendizaje (como ``torch.optim.lr_scheduler``).

Producen la misma secuencia de ``lr`` que PyTorch: al crearse dan un primer paso (época 0) y
cada ``scheduler.step()`` (después de ``optimizer.step()``) avanza una época.
"""
import types
import warnings
import weakref
from bisect import bisect_right
from collections import Counter
from functools import wraps

from .optimizer import Optimizer

_ORDEN = ("Se llamó a lr_scheduler.step() antes que a optimizer.step(). El orden correcto es "
          "optimizer.step() y después lr_scheduler.step(); si no, se salta el primer valor de "
          "la tasa de aprendizaje.")


def _check_optimizer(optimizer):
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"El planificador necesita un optimizador de tinygrad_es.optim, pero recibió "
            f"{type(optimizer).__name__}.")


def _lrs(optimizer):
    return [group["lr"] for group in optimizer.param_groups]


class LRScheduler:
    """Base de los planificadores: ``step()``, ``get_last_lr()``, ``state_dict()``."""

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
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_last_lr(self):
        """Las últimas tasas de aprendizaje calculadas (una por grupo de parámetros)."""
        return self._last_lr

    def step(self, epoch=None):
        """Avanza una época (llámalo después de ``optimizer.step()``)."""
        if self._step_count == 1 and not getattr(self.optimizer, "_opt_called", False):
            warnings.warn(_ORDEN, UserWarning, stacklevel=2)
        self._step_count += 1
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            warnings.warn("Pasar la época a step() está obsoleto (también en PyTorch): llama a "
                          "step() sin argumentos.", UserWarning, stacklevel=2)
            self.last_epoch = epoch
            values = self._get_closed_form_lr()
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = _lrs(self.optimizer)

    def get_lr(self):
        return self._get_closed_form_lr()

    def _get_closed_form_lr(self):
        return list(self.base_lrs)

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


class LambdaLR(LRScheduler):
    """``lr = lr_inicial * lr_lambda(época)``; ``lr_lambda`` puede ser una lista (una por grupo)."""

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        _check_optimizer(optimizer)
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != len(optimizer.param_groups):
                raise ValueError(
                    f"Se esperaban {len(optimizer.param_groups)} funciones lr_lambda (una por "
                    f"grupo de parámetros), pero se recibieron {len(lr_lambda)}.")
            self.lr_lambdas = list(lr_lambda)
        else:
            self.lr_lambdas = [lr_lambda] * len(optimizer.param_groups)
        super().__init__(optimizer, last_epoch)

    def _get_closed_form_lr(self):
        return [base * fn(self.last_epoch) for fn, base in zip(self.lr_lambdas, self.base_lrs)]

    def state_dict(self):
        """Como PyTorch: las funciones normales y lambdas no se guardan (quedan como None)."""
        state = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "lr_lambdas")}
        state["lr_lambdas"] = [None if isinstance(fn, types.FunctionType) else fn.__dict__.copy()
                               for fn in self.lr_lambdas]
        return state

    def load_state_dict(self, state_dict):
        state = dict(state_dict)
        lambdas = state.pop("lr_lambdas", [None] * len(self.lr_lambdas))
        self.__dict__.update(state)
        for fn, saved in zip(self.lr_lambdas, lambdas):
            if saved is not None:
                fn.__dict__.update(saved)


class StepLR(LRScheduler):
    """Multiplica la lr por ``gamma`` cada ``step_size`` épocas."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return _lrs(self.optimizer)
        return [lr * self.gamma for lr in _lrs(self.optimizer)]

    def _get_closed_form_lr(self):
        return [base * self.gamma ** (self.last_epoch // self.step_size)
                for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """Multiplica la lr por ``gamma`` al llegar a cada época de ``milestones``."""

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch not in self.milestones:
            return _lrs(self.optimizer)
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [lr * factor for lr in _lrs(self.optimizer)]

    def _get_closed_form_lr(self):
        milestones = sorted(self.milestones.elements())
        return [base * self.gamma ** bisect_right(milestones, self.last_epoch)
                for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Multiplica la lr por ``gamma`` en cada época."""

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._is_initial:
            return _lrs(self.optimizer)
        return [lr * self.gamma for lr in _lrs(self.optimizer)]

    def _get_closed_form_lr(self):
        return [base * self.gamma ** self.last_epoch for base in self.base_lrs]


class ReduceLROnPlateau(LRScheduler):
    """Reduce la lr cuando una métrica deja de mejorar: ``scheduler.step(perdida_validacion)``.

    Si durante más de ``patience`` épocas seguidas la métrica no mejora (según ``mode``,
    ``threshold`` y ``threshold_mode``), la lr de cada grupo pasa a ``max(lr * factor, min_lr)``
    (salvo que el cambio sea menor que ``eps``) y se esperan ``cooldown`` épocas antes de volver
    a contar.
    """

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0, eps=1e-8):
        if factor >= 1.0:
            raise ValueError(
                f"factor debe ser menor que 1.0 (la lr se multiplica por él para reducirla), "
                f"pero es {factor}.")
        self.factor = factor
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != len(optimizer.param_groups):
                raise ValueError(
                    f"Se esperaban {len(optimizer.param_groups)} valores de min_lr (uno por "
                    f"grupo de parámetros), pero se recibieron {len(min_lr)}.")
            self.default_min_lr = None
            self.min_lrs = list(min_lr)
        else:
            self.default_min_lr = min_lr
            self.min_lrs = [min_lr] * len(optimizer.param_groups)
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.last_epoch = 0
        self._last_lr = _lrs(optimizer)
        self._init_is_better(mode, threshold, threshold_mode)
        self._reset()

    def _reset(self):
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def step(self, metrics, epoch=None):
        """Registra la métrica de esta época (un número o un tensor de un elemento)."""
        current = float(metrics)
        if epoch is None:
            epoch = self.last_epoch + 1
        else:
            warnings.warn("Pasar la época a step() está obsoleto (también en PyTorch).",
                          UserWarning, stacklevel=2)
        self.last_epoch = epoch
        if self._is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0   # las épocas malas durante el enfriamiento no cuentan
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = _lrs(self.optimizer)

    def _reduce_lr(self):
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            if self.default_min_lr is None:
                raise RuntimeError(
                    f"El optimizador tiene ahora {len(groups)} grupos de parámetros, pero "
                    f"ReduceLROnPlateau se creó con {len(self.min_lrs)} valores de min_lr. "
                    "Actualiza scheduler.min_lrs para que coincidan.")
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, min_lr in zip(groups, self.min_lrs):
            old_lr = float(group["lr"])
            new_lr = max(old_lr * self.factor, min_lr)
            if old_lr - new_lr > self.eps:
                group["lr"] = new_lr

    @property
    def in_cooldown(self):
        return self.cooldown_counter > 0

    def _is_better(self, a, best):
        if self.mode == "min" and self.threshold_mode == "rel":
            return a < best * (1.0 - self.threshold)
        if self.mode == "min":
            return a < best - self.threshold
        if self.threshold_mode == "rel":
            return a > best * (self.threshold + 1.0)
        return a > best + self.threshold

    def _init_is_better(self, mode, threshold, threshold_mode):
        if mode not in ("min", "max"):
            raise ValueError(f"mode debe ser 'min' o 'max', pero es {mode!r}.")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(
                f"threshold_mode debe ser 'rel' o 'abs', pero es {threshold_mode!r}.")
        self.mode_worse = float("inf") if mode == "min" else float("-inf")
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode

    def load_state_dict(self, state_dict):
        self.__dict__.update(state_dict)
        self._init_is_better(self.mode, self.threshold, self.threshold_mode)


# --- un nombre de PyTorch que no existe aquí: AttributeError en español (_missing.py) ---
from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr(__name__, globals())
