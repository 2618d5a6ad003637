"""Capas de relleno: ``ZeroPad1d/2d``, ``ConstantPad1d/2d``, ``ReflectionPad1d/2d``,
``ReplicationPad1d/2d`` y ``CircularPad1d/2d`` (llaman a ``F.pad``)."""
import numbers

from . import _functional_conv as FC
from .module import Module


def _pads(padding, nd):
    if isinstance(padding, numbers.Integral):
        return (int(padding),) * (2 * nd)
    padding = tuple(int(p) for p in padding)
    if len(padding) != 2 * nd:
        raise ValueError(f"El relleno debe ser un entero o una tupla de {2 * nd} enteros "
                         f"(antes y después de cada dimensión), pero es {padding}.")
    return padding


class _ConstantPadNd(Module):
    _nd = 2

    def __init__(self, padding, value):
        super().__init__()
        self.padding = _pads(padding, self._nd)
        self.value = value

    def forward(self, input):
        return FC.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Rellena la última dimensión con ``value``: ``padding`` = (izquierda, derecha)."""

    _nd = 1


class ConstantPad2d(_ConstantPadNd):
    """Rellena las dos últimas dimensiones con ``value``: (izq, der, arriba, abajo)."""

    _nd = 2


class ZeroPad1d(ConstantPad1d):
    """Rellena con ceros la última dimensión."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Rellena con ceros las dos últimas dimensiones: (izq, der, arriba, abajo)."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class _ModePadNd(Module):
    _nd, _mode = 2, "reflect"

    def __init__(self, padding):
        super().__init__()
        self.padding = _pads(padding, self._nd)

    def forward(self, input):
        return FC.pad(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class ReflectionPad1d(_ModePadNd):
    """Rellena reflejando la señal en el borde (sin repetir el borde)."""

    _nd, _mode = 1, "reflect"


class ReflectionPad2d(_ModePadNd):
    """Rellena reflejando la imagen en los bordes (sin repetir el borde)."""

    _nd, _mode = 2, "reflect"


class ReplicationPad1d(_ModePadNd):
    """Rellena repitiendo el valor del borde."""

    _nd, _mode = 1, "replicate"


class ReplicationPad2d(_ModePadNd):
    """Rellena repitiendo los valores del borde."""

    _nd, _mode = 2, "replicate"


class CircularPad1d(_ModePadNd):
    """Rellena de forma periódica (lo que sale por un lado entra por el otro)."""

    _nd, _mode = 1, "circular"


class CircularPad2d(_ModePadNd):
    """Rellena de forma periódica en las dos últimas dimensiones."""

    _nd, _mode = 2, "circular"
