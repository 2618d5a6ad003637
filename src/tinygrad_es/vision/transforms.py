"""Transformaciones de imágenes con los nombres de ``torchvision.transforms``.

``ToTensor``, ``Normalize``, ``Compose`` y ``Lambda``, con las mismas reglas y los mismos
números que torchvision. Para aplanar una imagen torchvision no tiene transformación propia:
se usa ``Lambda(lambda x: x.view(-1))`` o ``nn.Flatten()`` en el modelo, igual aquí.

Camino rápido: cada transformación que lo admite tiene ``_batched(lote)``, que hace sobre un
lote entero (primer eje = muestras) lo mismo que ``__call__`` sobre cada muestra, o devuelve
``None`` si no sabe. Los Datasets de imágenes lo usan en el DataLoader; los números son
idénticos a aplicar la transformación muestra a muestra.
"""
import numpy as np

from .. import _dtypes
from ..tensor import Tensor, _make


def _is_pil(pic):
    return type(pic).__module__.startswith("PIL.") and hasattr(pic, "mode")


def _pil_to_array(pic):
    array = np.array(pic, dtype={"I": np.int32, "I;16": np.int16, "F": np.float32}.get(
        pic.mode, np.uint8), copy=True)
    if pic.mode == "1":
        array = array * np.uint8(255)
    if array.ndim == 2:
        array = array[:, :, None]
    return array


def _to_float(array):
    """uint8 -> float en [0, 1] (como torchvision); cualquier otro tipo, sin cambios.

    El float es el tipo por defecto (float32, o float64 tras ``set_default_dtype``), como en
    torchvision.
    """
    if array.dtype == np.uint8:
        dtype = _dtypes.default_float
        return np.divide(array.astype(dtype), dtype.type(255))
    return np.ascontiguousarray(array)


class ToTensor:
    """Imagen (ndarray alto x ancho [x canales], o imagen PIL) -> tensor canales x alto x ancho.

    Si la imagen es uint8 (de 0 a 255), el resultado es float32 en [0, 1] (se divide por 255);
    con otro tipo se conserva el tipo y no se escala, como en torchvision.
    """

    def __call__(self, pic):
        if _is_pil(pic):
            return _make(_to_float(_pil_to_array(pic).transpose(2, 0, 1)))
        if not isinstance(pic, np.ndarray):
            raise TypeError(
                f"ToTensor espera una imagen PIL o un ndarray, pero recibió {type(pic)}. Si ya "
                "es un tensor, no hace falta ToTensor.")
        if pic.ndim not in (2, 3):
            raise ValueError(
                f"ToTensor espera una imagen de 2 dimensiones (alto x ancho) o 3 (alto x ancho x "
                f"canales), pero recibió {pic.ndim} dimensiones (forma {pic.shape}).")
        if pic.ndim == 2:
            pic = pic[:, :, None]
        return _make(_to_float(pic.transpose(2, 0, 1)))

    def _batched(self, batch):
        if not isinstance(batch, np.ndarray) or batch.ndim not in (3, 4):
            return None
        batch = batch[:, None] if batch.ndim == 3 else batch.transpose(0, 3, 1, 2)
        return _make(_to_float(batch))

    def __repr__(self):
        return "ToTensor()"


class Normalize:
    """``(x - mean) / std`` por canal, sobre un tensor float (..., canales, alto, ancho).

    ``Normalize((0.1307,), (0.3081,))`` es la normalización habitual de MNIST. ``mean`` y
    ``std`` se convierten al dtype del tensor antes de operar, como en torchvision.
    """

    def __init__(self, mean, std, inplace=False):
        self.mean = mean
        self.std = std
        self.inplace = inplace

    def _constants(self, dtype):
        mean = np.asarray(self.mean, dtype=dtype)
        std = np.asarray(self.std, dtype=dtype)
        if (std == 0).any():
            raise ValueError(
                f"Normalize: std vale 0 (después de convertirlo a {dtype}) y se dividiría por "
                f"cero; std = {self.std}.")
        if mean.ndim == 1:
            mean = mean.reshape(-1, 1, 1)
        if std.ndim == 1:
            std = std.reshape(-1, 1, 1)
        return mean, std

    def __call__(self, tensor):
        if not isinstance(tensor, Tensor):
            raise TypeError(
                f"Normalize espera un tensor, pero recibió {type(tensor)}. Pon ToTensor() antes: "
                "transforms.Compose([transforms.ToTensor(), transforms.Normalize(...)]).")
        if tensor._data.dtype.kind != "f":
            raise TypeError(
                f"Normalize espera un tensor de punto flotante, pero es {tensor.dtype}. Usa "
                "ToTensor() (que da float32 en [0, 1]) o .float().")
        if tensor._data.ndim < 3:
            raise ValueError(
                "Normalize espera una imagen tensor de forma (..., canales, alto, ancho), pero "
                f"recibió forma {tuple(tensor._data.shape)}.")
        mean, std = self._constants(tensor._data.dtype)
        if self.inplace:
            return tensor.sub_(_make(mean)).div_(_make(std))
        if tensor._requires_grad:
            return (tensor - _make(mean)) / _make(std)
        return _make((tensor._data - mean) / std)

    def _batched(self, batch):
        if not isinstance(batch, Tensor) or batch._data.ndim < 4:
            return None
        return self(batch)

    def __repr__(self):
        return f"Normalize(mean={self.mean}, std={self.std})"


class Compose:
    """Aplica varias transformaciones en orden: ``Compose([ToTensor(), Normalize(m, s)])``."""

    def __init__(self, transforms):
        self.transforms = list(transforms)

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def _batched(self, batch):
        for t in self.transforms:
            batched = getattr(t, "_batched", None)
            batch = batched(batch) if callable(batched) else None
            if batch is None:
                return None
        return batch

    def __repr__(self):
        body = "".join(f"\n    {t}" for t in self.transforms)
        return f"Compose({body}\n)"


class Lambda:
    """Una función propia como transformación: ``Lambda(lambda x: x.view(-1))``."""

    def __init__(self, lambd):
        if not callable(lambd):
            raise TypeError(f"Lambda espera una función, pero recibió {type(lambd).__name__!r}.")
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)

    def __repr__(self):
        return "Lambda()"


# --- familia optim-vision: más transformaciones ---
from ._transforms_extra import (CenterCrop, ConvertImageDtype, InterpolationMode,  # noqa: E402
                                PILToTensor, RandomCrop, RandomHorizontalFlip, Resize)
from ._transforms_extra import RandomRotation  # noqa: E402


def __getattr__(name):   # un nombre de torchvision.transforms que no hay aquí: error en español
    if name.startswith("__"):
        raise AttributeError(name)
    disponibles = sorted(n for n, v in globals().items()
                         if isinstance(v, type) and not n.startswith("_")
                         and v.__module__.startswith("tinygrad_es.vision"))
    raise AttributeError(
        f"transforms.{name} no está disponible en tinygrad_es. Hay: "
        + ", ".join(disponibles) + " (y transforms.v2).")
