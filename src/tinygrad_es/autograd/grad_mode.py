"""``no_grad``, ``enable_grad``, ``set_grad_enabled`` e ``inference_mode`` (como PyTorch).

Sirven como gestor de contexto (``with no_grad():``) y como decorador (``@no_grad()``,
también ``@no_grad`` sin paréntesis).
"""
import functools
from typing import Any, TypeVar

from .graph import grad_mode

_C = TypeVar("_C", bound="_GradModeContext")


class _GradModeContext:
    """Base: fija el modo al entrar y restaura el anterior al salir."""

    mode = True

    def __new__(cls: "type[_C]", *args: Any, **kwargs: Any) -> "_C":   # tipos: Pylance/PyCharm
        if len(args) == 1 and callable(args[0]) and cls in (no_grad, enable_grad, inference_mode):
            return cls()(args[0])   # uso como @no_grad sin paréntesis
        return super().__new__(cls)

    def __enter__(self):
        self._previous = grad_mode.enabled
        grad_mode.enabled = self.mode
        return self

    def __exit__(self, *exc):
        grad_mode.enabled = self._previous
        return False

    def __call__(self, func):
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            previous = grad_mode.enabled
            grad_mode.enabled = mode
            try:
                return func(*args, **kwargs)
            finally:
                grad_mode.enabled = previous
        return wrapper


class no_grad(_GradModeContext):
    """Desactiva el registro del grafo: nada de lo que se calcule dentro tendrá grad_fn."""

    mode = False


class enable_grad(_GradModeContext):
    """Reactiva el registro del grafo dentro de un bloque ``no_grad``."""

    mode = True


class inference_mode(_GradModeContext):
    """Como ``no_grad`` (aquí no hay diferencia de rendimiento entre ambos)."""

    def __init__(self, mode=True):
        self.mode = not mode


class set_grad_enabled(_GradModeContext):
    """Activa o desactiva el gradiente: al llamarlo, o solo dentro de un ``with``."""

    def __init__(self, mode):
        self.mode = bool(mode)
        self._previous = grad_mode.enabled
        grad_mode.enabled = self.mode

    def __enter__(self):
        return self

    def __call__(self, func):
        grad_mode.enabled = self._previous   # como decorador no cambia el modo al decorar
        return super().__call__(func)


def is_grad_enabled():
    return grad_mode.enabled


# --- familia optim-vision: torch.is_inference_mode_enabled ---
import threading as _threading   # noqa: E402

_inference_state = _threading.local()   # por hilo, como el modo gradiente


def is_inference_mode_enabled():
    """¿Estamos dentro de ``with torch.inference_mode():`` (en este hilo)?"""
    return getattr(_inference_state, "enabled", False)


def _inference_enter(self):
    self._previous_inference = is_inference_mode_enabled()
    _inference_state.enabled = not self.mode
    return _GradModeContext.__enter__(self)


def _inference_exit(self, *exc):
    _inference_state.enabled = self._previous_inference
    return _GradModeContext.__exit__(self, *exc)


def _inference_call(self, func):
    inner = _GradModeContext.__call__(self, func)
    active = not self.mode

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        previous = is_inference_mode_enabled()
        _inference_state.enabled = active
        try:
            return inner(*args, **kwargs)
        finally:
            _inference_state.enabled = previous
    return wrapper


inference_mode.__enter__ = _inference_enter
inference_mode.__exit__ = _inference_exit
inference_mode.__call__ = _inference_call
