"""``ReduceLROnPlateau``: baja la tasa de aprendizaje cuando una métrica deja de mejorar."""
import warnings

from ._lr_base import LRScheduler, _check_optimizer, _lrs
from ..errors import user_stacklevel
from .._capture import macro


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

    @macro
    def step(self, metrics, epoch=None):
        """Registra la métrica de esta época (un número o un tensor de un elemento)."""
        current = float(metrics)
        if epoch is None:
            epoch = self.last_epoch + 1
        else:
            warnings.warn("Pasar la época a step() está obsoleto (también en PyTorch).",
                          UserWarning, stacklevel=user_stacklevel())
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
