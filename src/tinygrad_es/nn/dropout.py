"""Dropout por canal y alpha dropout como módulos: ``Dropout1d/2d/3d``, ``AlphaDropout`` y
``FeatureAlphaDropout`` (activos en ``train()``, transparentes en ``eval()``)."""
from . import _functional_dropout as FD
from .module import Module


class _DropoutNd(Module):
    _fn = None

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(
                f"La probabilidad de dropout debe estar entre 0 y 1, pero se recibió p={p}.")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return type(self)._fn(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(_DropoutNd):
    """Pone a cero canales enteros de entradas (N, C, L) o (C, L)."""

    _fn = staticmethod(FD.dropout1d)


class Dropout2d(_DropoutNd):
    """Pone a cero canales enteros de imágenes (N, C, H, W)."""

    _fn = staticmethod(FD.dropout2d)


class Dropout3d(_DropoutNd):
    """Pone a cero canales enteros de volúmenes (N, C, D, H, W)."""

    _fn = staticmethod(FD.dropout3d)


class AlphaDropout(_DropoutNd):
    """Dropout que conserva media y varianza (para redes con SELU)."""

    _fn = staticmethod(FD.alpha_dropout)


class FeatureAlphaDropout(_DropoutNd):
    """Alpha dropout por canales enteros."""

    _fn = staticmethod(FD.feature_alpha_dropout)
