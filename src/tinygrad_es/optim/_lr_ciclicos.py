"""Planificadores cíclicos: ``CosineAnnealingWarmRestarts``, ``CyclicLR`` y ``OneCycleLR``.

Los dos últimos pueden mover también el momento en sentido contrario a la lr
(``cycle_momentum``): ``momentum`` en SGD y RMSprop, ``betas[0]`` en Adam y sus parientes.
Las fórmulas y el orden de las operaciones son los de PyTorch (mismos números).
"""
import math
import types

from ._lr_base import LRScheduler, _check_optimizer, _format_param, _lrs
from .._capture import macro


class CosineAnnealingWarmRestarts(LRScheduler):
    """Coseno de lr_inicial a ``eta_min`` que vuelve a empezar (SGDR, Loshchilov y Hutter).

    El primer ciclo dura ``T_0`` épocas y cada uno ``T_mult`` veces el anterior. Se puede
    llamar a ``step(epoca_fraccionaria)`` dentro de una época (p. ej. ``epoca + i / n_lotes``).
    """

    def __init__(self, optimizer, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        if not isinstance(T_0, int) or T_0 <= 0:
            raise ValueError(f"T_0 debe ser un entero positivo, pero es {T_0!r}.")
        if not isinstance(T_mult, int) or T_mult < 1:
            raise ValueError(f"T_mult debe ser un entero mayor o igual que 1, pero es {T_mult!r}.")
        if not isinstance(eta_min, (float, int)):
            raise ValueError(
                f"eta_min debe ser un número, pero es {eta_min!r} ({type(eta_min).__name__}).")
        self.T_0 = T_0
        self.T_i = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        self._warn_get_lr()
        return [self.eta_min + (base - self.eta_min)
                * (1 + math.cos(math.pi * self.T_cur / self.T_i)) / 2 for base in self.base_lrs]

    @macro
    def step(self, epoch=None):
        """Avanza una época, o salta a ``epoch`` (que puede tener decimales)."""
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur % self.T_i
                self.T_i = self.T_i * self.T_mult
        else:
            if epoch < 0:
                raise ValueError(f"La época debe ser mayor o igual que 0, pero es {epoch}.")
            if epoch >= self.T_0:
                if self.T_mult == 1:
                    self.T_cur = epoch % self.T_0
                else:
                    n = int(math.log((epoch / self.T_0 * (self.T_mult - 1) + 1), self.T_mult))
                    self.T_cur = epoch - self.T_0 * (self.T_mult ** n - 1) / (self.T_mult - 1)
                    self.T_i = self.T_0 * self.T_mult ** n
            else:
                self.T_i = self.T_0
                self.T_cur = epoch
        self.last_epoch = math.floor(epoch)
        self._get_lr_called_within_step = True
        try:
            values = self.get_lr()
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = _lrs(self.optimizer)


def _momentum_key(optimizer):
    """``'betas'`` si el optimizador usa betas (Adam...), ``'momentum'`` si tiene momento."""
    if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
        raise ValueError(
            f"cycle_momentum=True necesita un optimizador con momento (momentum) o con betas, y "
            f"{type(optimizer).__name__} no tiene ninguno: pasa cycle_momentum=False.")
    return "betas" in optimizer.defaults


def _set_momentum(group, value, use_beta1):
    if use_beta1:
        group["betas"] = (value, *group["betas"][1:])
    else:
        group["momentum"] = value


def _init_momentums(scheduler, optimizer, base_momentum, max_momentum, last_epoch):
    scheduler.use_beta1 = _momentum_key(optimizer)
    base = _format_param("base_momentum", optimizer, base_momentum)
    top = _format_param("max_momentum", optimizer, max_momentum)
    if last_epoch == -1:
        for m_top, m_base, group in zip(top, base, optimizer.param_groups):
            _set_momentum(group, m_top, scheduler.use_beta1)
            group["max_momentum"] = m_top
            group["base_momentum"] = m_base
    return base, top


class CyclicLR(LRScheduler):
    """La lr oscila entre ``base_lr`` y ``max_lr`` (Smith, 2017), paso a paso (por lote).

    Cada ciclo sube en ``step_size_up`` pasos y baja en ``step_size_down`` (los mismos si es
    None). ``mode``: ``'triangular'`` (amplitud fija), ``'triangular2'`` (la amplitud se divide
    por 2 en cada ciclo) o ``'exp_range'`` (se multiplica por ``gamma ** paso``); o una función
    propia ``scale_fn`` evaluada por ciclo o por iteración (``scale_mode``). Con
    ``cycle_momentum`` el momento va de ``max_momentum`` a ``base_momentum`` y vuelve.
    """

    def __init__(self, optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None,
                 mode="triangular", gamma=1.0, scale_fn=None, scale_mode="cycle",
                 cycle_momentum=True, base_momentum=0.8, max_momentum=0.9, last_epoch=-1):
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        base_lrs = _format_param("base_lr", optimizer, base_lr)
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                group["lr"] = lr
        self.max_lrs = _format_param("max_lr", optimizer, max_lr)
        step_size_up = float(step_size_up)
        step_size_down = float(step_size_down) if step_size_down is not None else step_size_up
        self.total_size = step_size_up + step_size_down
        self.step_ratio = step_size_up / self.total_size
        if mode not in ("triangular", "triangular2", "exp_range") and scale_fn is None:
            raise ValueError(
                f"mode={mode!r} no es válido: usa 'triangular', 'triangular2' o 'exp_range', "
                "o pasa tu propia scale_fn.")
        self.mode = mode
        self.gamma = gamma
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode
        self._init_scale_fn()
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.base_momentums, self.max_momentums = _init_momentums(
                self, optimizer, base_momentum, max_momentum, last_epoch)
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def _init_scale_fn(self):
        if self._scale_fn_custom is not None:
            return
        if self.mode in ("triangular", "triangular2"):
            self.scale_mode = "cycle"
        elif self.mode == "exp_range":
            self.scale_mode = "iterations"

    def scale_fn(self, x):
        """Factor de la amplitud en el ciclo (o la iteración) ``x``."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma ** x

    def get_lr(self):
        self._warn_get_lr()
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            scale_factor = x / self.step_ratio
        else:
            scale_factor = (x - 1) / (self.step_ratio - 1)
        where = cycle if self.scale_mode == "cycle" else self.last_epoch
        lrs = [base + (top - base) * scale_factor * self.scale_fn(where)
               for base, top in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            for group, base, top in zip(self.optimizer.param_groups, self.base_momentums,
                                        self.max_momentums):
                _set_momentum(group, top - (top - base) * scale_factor * self.scale_fn(where),
                              self.use_beta1)
        return lrs

    def state_dict(self):
        """Como PyTorch: una scale_fn que es función o lambda no se guarda (queda None)."""
        state = super().state_dict()
        fn = state.pop("_scale_fn_custom")
        state["_scale_fn_custom"] = None
        if fn is not None and not isinstance(fn, types.FunctionType):
            state["_scale_fn_custom"] = fn.__dict__.copy()
        return state

    def load_state_dict(self, state_dict):
        state = dict(state_dict)
        fn = state.pop("_scale_fn_custom", None)
        custom = self._scale_fn_custom
        super().load_state_dict(state)
        self._scale_fn_custom = custom
        if fn is not None and custom is not None:
            custom.__dict__.update(fn)
        self._init_scale_fn()


class OneCycleLR(LRScheduler):
    """La política de un ciclo (Smith y Topin, 2018), paso a paso (por lote).

    La lr sube de ``max_lr / div_factor`` a ``max_lr`` durante ``pct_start`` de los
    ``total_steps`` pasos (o ``epochs * steps_per_epoch``) y baja hasta
    ``lr_inicial / final_div_factor``; ``anneal_strategy`` es ``'cos'`` o ``'linear'``.
    ``three_phase=True`` baja primero a la lr inicial y después al mínimo. Con
    ``cycle_momentum`` el momento (o ``betas[0]``) hace lo contrario que la lr.
    """

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
                 pct_start=0.3, anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85,
                 max_momentum=0.95, div_factor=25.0, final_div_factor=1e4, three_phase=False,
                 last_epoch=-1):
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if total_steps is not None:
            if not isinstance(total_steps, int) or total_steps <= 0:
                raise ValueError(
                    f"total_steps debe ser un entero positivo, pero es {total_steps!r}.")
            self.total_steps = total_steps
        elif epochs is not None and steps_per_epoch is not None:
            if not isinstance(epochs, int) or epochs <= 0:
                raise ValueError(f"epochs debe ser un entero positivo, pero es {epochs!r}.")
            if not isinstance(steps_per_epoch, int) or steps_per_epoch <= 0:
                raise ValueError(
                    f"steps_per_epoch debe ser un entero positivo, pero es {steps_per_epoch!r}.")
            self.total_steps = epochs * steps_per_epoch
        else:
            raise ValueError(
                "OneCycleLR necesita total_steps, o bien epochs y steps_per_epoch (por ejemplo "
                "epochs=10, steps_per_epoch=len(loader)).")
        up_end = float(pct_start * self.total_steps) - 1
        if three_phase:
            self._schedule_phases = [
                _phase(up_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                _phase(float(2 * pct_start * self.total_steps) - 2, "max_lr", "initial_lr",
                       "base_momentum", "max_momentum"),
                _phase(self.total_steps - 1, "initial_lr", "min_lr", "max_momentum",
                       "max_momentum"),
            ]
        else:
            self._schedule_phases = [
                _phase(up_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                _phase(self.total_steps - 1, "max_lr", "min_lr", "base_momentum",
                       "max_momentum"),
            ]
        if not isinstance(pct_start, float) or pct_start < 0 or pct_start > 1:
            raise ValueError(
                f"pct_start debe ser un float entre 0 y 1 (la fracción de pasos de subida), "
                f"pero es {pct_start!r}.")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(
                f"anneal_strategy debe ser 'cos' o 'linear', pero es {anneal_strategy!r}.")
        self._anneal_func_type = anneal_strategy
        max_lrs = _format_param("max_lr", optimizer, max_lr)
        if last_epoch == -1:
            for top, group in zip(max_lrs, optimizer.param_groups):
                group["initial_lr"] = top / div_factor
                group["max_lr"] = top
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            _init_momentums(self, optimizer, base_momentum, max_momentum, last_epoch)
        super().__init__(optimizer, last_epoch)

    def _anneal_func(self, start, end, pct):
        if self._anneal_func_type == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self):
        self._warn_get_lr()
        step_num = self.last_epoch
        if step_num > self.total_steps:
            raise ValueError(
                f"Se llamó a step() {step_num} veces, pero OneCycleLR se creó con total_steps="
                f"{self.total_steps}: aumenta total_steps (o epochs / steps_per_epoch).")
        lrs = []
        last = len(self._schedule_phases) - 1
        for group in self.optimizer.param_groups:
            start_step = 0.0
            for i, phase in enumerate(self._schedule_phases):
                end_step = phase["end_step"]
                if step_num <= end_step or i == last:
                    pct = (step_num - start_step) / (end_step - start_step)
                    lr = self._anneal_func(group[phase["start_lr"]], group[phase["end_lr"]], pct)
                    if self.cycle_momentum:
                        momentum = self._anneal_func(group[phase["start_momentum"]],
                                                     group[phase["end_momentum"]], pct)
                    break
                start_step = phase["end_step"]
            lrs.append(lr)
            if self.cycle_momentum:
                _set_momentum(group, momentum, self.use_beta1)
        return lrs


def _phase(end_step, start_lr, end_lr, start_momentum, end_momentum):
    return {"end_step": end_step, "start_lr": start_lr, "end_lr": end_lr,
            "start_momentum": start_momentum, "end_momentum": end_momentum}
