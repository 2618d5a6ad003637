"""Planificadores que combinan otros: ``SequentialLR`` (uno tras otro) y ``ChainedScheduler``."""
from bisect import bisect_right

from ._lr_base import LRScheduler, _lrs
from ._lr_plateau import ReduceLROnPlateau
from .._capture import macro


def _check_schedulers(kind, schedulers, optimizer):
    if len(schedulers) < 1:
        raise ValueError(f"{kind} necesita al menos un planificador, pero la lista está vacía.")
    for i, scheduler in enumerate(schedulers):
        if not hasattr(scheduler, "optimizer"):
            raise TypeError(
                f"El elemento {i} de {kind} no es un planificador (no tiene optimizador): "
                f"es de tipo {type(scheduler).__name__}.")
        if isinstance(scheduler, ReduceLROnPlateau):
            raise ValueError(
                f"{kind} no admite ReduceLROnPlateau (el elemento {i}): su step() necesita la "
                "métrica. Llama a su step(metrica) por separado.")
        if optimizer is not scheduler.optimizer:
            raise ValueError(
                f"Todos los planificadores de {kind} deben usar el mismo optimizador, pero el "
                f"elemento {i} ({type(scheduler).__name__}) usa otro.")


class _Compuesto(LRScheduler):
    """``state_dict`` de un planificador compuesto: el suyo más el de cada uno de los suyos."""

    def state_dict(self):
        state = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "_schedulers")}
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state_dict):
        state = dict(state_dict)
        saved = state.pop("_schedulers")
        self.__dict__.update(state)
        for scheduler, item in zip(self._schedulers, saved):
            scheduler.load_state_dict(item)


class SequentialLR(_Compuesto):
    """Usa ``schedulers[0]`` hasta la época ``milestones[0]``, luego ``schedulers[1]``, etc.

    El típico calentamiento y después coseno: ``SequentialLR(opt, [LinearLR(opt, 0.1,
    total_iters=5), CosineAnnealingLR(opt, T_max=95)], milestones=[5])``.
    """

    def __init__(self, optimizer, schedulers, milestones, last_epoch=-1):
        _check_schedulers("SequentialLR", schedulers, optimizer)
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                f"SequentialLR necesita un milestone menos que planificadores, pero recibió "
                f"{len(schedulers)} planificadores y {len(milestones)} milestones.")
        self._schedulers = schedulers
        self._milestones = milestones
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        for group in optimizer.param_groups:   # deshace los pasos iniciales de los planificadores
            group["lr"] = group["initial_lr"]
        self.recursive_undo()
        idx = bisect_right(self._milestones, 0)
        self._schedulers[idx]._initial_step()
        self._last_lr = schedulers[idx].get_last_lr()

    def recursive_undo(self, sched=None):
        """Retrocede una época ``last_epoch`` de todos los planificadores (también anidados)."""
        scheds = self if sched is None else sched
        if hasattr(scheds, "_schedulers"):
            for s in scheds._schedulers:
                self.recursive_undo(s)
        elif hasattr(scheds, "last_epoch"):
            scheds.last_epoch -= 1

    @macro
    def step(self):
        self.last_epoch += 1
        idx = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[idx]
        if idx > 0 and self._milestones[idx - 1] == self.last_epoch:
            scheduler._update_lr(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()


class ChainedScheduler(_Compuesto):
    """Llama a ``step()`` de todos los planificadores a la vez (sus efectos se multiplican)."""

    def __init__(self, schedulers, optimizer=None):
        if len(schedulers) < 1:
            raise ValueError("ChainedScheduler necesita al menos un planificador, pero la lista "
                             "está vacía.")
        optimizer = optimizer or schedulers[0].optimizer
        _check_schedulers("ChainedScheduler", schedulers, optimizer)
        self._schedulers = schedulers
        self.optimizer = optimizer
        self._last_lr = _lrs(self._schedulers[-1].optimizer)

    @macro
    def step(self):
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = _lrs(self._schedulers[-1].optimizer)
