"""Detección de anomalías: ¿qué línea de mi código produjo el nan?

Dentro de ``with torch.autograd.detect_anomaly():``

- cada nodo del grafo anota el archivo y la línea del código del usuario que lo creó
  (el primer marco de la pila fuera del paquete ``tinygrad_es``);
- en ``backward()``, tras cada operación se comprueba que los gradientes que produjo son
  finitos; si aparece un nan o un inf se lanza un RuntimeError que nombra la operación
  (p. ej. ``Log``) y la línea donde se creó su salida;
- un error dentro del backward de una operación añade esa misma línea al mensaje.

Como en PyTorch, el forward no se comprueba (un -inf puede ser legítimo, p. ej. una máscara
antes de softmax). Fuera de este modo no cuesta nada: el motor consulta una sola vez por
llamada a ``backward()`` si el modo está activo.
"""
import functools
import linecache
import sys

import threading

import numpy as np

from ..errors import user_frame
from .graph import grad_mode


class _Config(threading.local):
    """``check_nan`` de ``detect_anomaly``: propio de cada hilo, como el modo de anomalías."""

    def __init__(self):
        self.check_nan = True


_config = _Config()


def record_trace(node):
    """Anota en ``node.trace`` (archivo, línea, función) del código del usuario que lo creó."""
    frame = user_frame(sys._getframe(1))[0]
    if frame is not None:
        node.trace = (frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name)


def describe_origin(node):
    """Texto que dice dónde se creó ``node`` (o cómo averiguarlo)."""
    trace = getattr(node, "trace", None)
    if trace is None:
        return (f"Para ver en qué línea de tu código se creó {node.op_name}, repite el cálculo "
                "(forward y backward) dentro de `with torch.autograd.detect_anomaly():`.")
    filename, lineno, function = trace
    code = linecache.getline(filename, lineno).strip()
    text = f"La operación {node.op_name} se creó en {filename}:{lineno}, en {function}()"
    return text + (f":\n    {code}" if code else ".")


def checked_backward(node, grad, call):
    """``call(node, grad)`` (el backward de ``node``) con las comprobaciones del modo anomalía."""
    try:
        result = call(node, grad)
    except Exception as exc:
        if hasattr(exc, "add_note"):
            exc.add_note(f"[detect_anomaly] Error en el backward de {node.op_name}. "
                         + describe_origin(node))
        raise
    if _config.check_nan:
        for position, (parent, g) in enumerate(zip(node.parents, result[0])):
            if parent is not None and g is not None:
                _check_finite(node, position, np.asarray(g))
    return result


def _check_finite(node, position, g):
    if g.dtype.kind not in "fc" or np.isfinite(g).all():
        return
    n_nan = int(np.isnan(g).sum())
    n_inf = int(np.isinf(g).sum())
    found = " y ".join(text for count, text in ((n_nan, f"{n_nan} nan"), (n_inf, f"{n_inf} inf"))
                       if count)
    raise RuntimeError(
        f"La función {node.op_name} devolvió valores no finitos ({found}) en el gradiente de su "
        f"entrada {position} durante backward().\n{describe_origin(node)}\n"
        "Causas habituales: log(0) o log de un número negativo, una división por cero, "
        "sqrt(0), exp de un número muy grande. Revisa los valores que llegan a esa línea "
        "(p. ej. torch.log(x + 1e-8) o x.clamp(min=1e-8)). Ojo: torch.where no evita el nan "
        "del gradiente de la rama descartada; limita también su entrada.")


def _set(mode, check_nan):
    previous = (grad_mode.anomaly, _config.check_nan)
    grad_mode.anomaly = bool(mode)
    _config.check_nan = bool(check_nan)
    return previous


def _restore(previous):
    grad_mode.anomaly, _config.check_nan = previous


class detect_anomaly:
    """Activa la detección de anomalías dentro de un bloque ``with`` o en una función decorada.

    ``check_nan=False`` solo anota las líneas (para los mensajes de error) sin buscar nan.
    Hace más lento el cálculo: úsalo para depurar, no para entrenar.
    """

    def __init__(self, check_nan=True):
        self.check_nan = check_nan
        self._previous = []

    def __enter__(self):
        self._previous.append(_set(True, self.check_nan))
        return self

    def __exit__(self, *exc):
        _restore(self._previous.pop())
        return False

    def __call__(self, func):
        check_nan = self.check_nan

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            previous = _set(True, check_nan)
            try:
                return func(*args, **kwargs)
            finally:
                _restore(previous)
        return wrapper


class set_detect_anomaly:
    """Activa o desactiva el modo al llamarlo; dentro de un ``with`` lo restaura al salir."""

    def __init__(self, mode, check_nan=True):
        self._previous = _set(mode, check_nan)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _restore(self._previous)
        return False


def is_anomaly_enabled():
    return grad_mode.anomaly


def is_anomaly_check_nan_enabled():
    return _config.check_nan
