"""Más transformaciones de ``torchvision.transforms``: PILToTensor, ConvertImageDtype, Resize,
CenterCrop, RandomCrop, RandomHorizontalFlip y RandomRotation.

Aceptan un tensor ``(..., C, H, W)``, un ndarray ``(H, W[, C])`` (lo que dan los Datasets de
tinygrad_es) o una imagen PIL, y devuelven el mismo tipo. Las aleatorias sortean con el
generador global (``torch.manual_seed``) y con las mismas llamadas que torchvision
(``torch.randint(0, n, (1,))`` para la esquina de RandomCrop, ``torch.rand(1) < p`` para el
volteo), así que con la misma semilla eligen lo mismo.
"""
import numpy as np

from ..creation import empty
from .._creation_random import rand, randint
from ..tensor import Tensor, _make
from . import _imagen, _rotacion

_INTERPOLACIONES = {"bilinear": "bilinear", "nearest": "nearest"}


def _interpolation(value):
    """Acepta ``'bilinear'``/``'nearest'`` o ``InterpolationMode.BILINEAR``/``NEAREST``."""
    name = getattr(value, "value", value)
    if isinstance(name, str) and name.lower() in _INTERPOLACIONES:
        return _INTERPOLACIONES[name.lower()]
    raise ValueError(
        f"Interpolación {value!r} no disponible en tinygrad_es: usa "
        "InterpolationMode.BILINEAR (por defecto) o InterpolationMode.NEAREST.")


class InterpolationMode:
    """Los modos de interpolación de torchvision que hay aquí (BILINEAR y NEAREST)."""

    class _Modo(str):
        @property
        def value(self):
            return str(self)

        def __repr__(self):
            return f"InterpolationMode.{self.upper()}"

    BILINEAR = _Modo("bilinear")
    NEAREST = _Modo("nearest")


class PILToTensor:
    """Imagen PIL (o ndarray alto x ancho [x canales]) -> tensor canales x alto x ancho.

    Sin reescalar ni cambiar el tipo (uint8 sigue siendo uint8 de 0 a 255), como torchvision.
    """

    def __call__(self, pic):
        k = _imagen.kind(pic)
        if k == "tensor":
            raise TypeError("PILToTensor espera una imagen PIL o un ndarray, pero recibió un "
                            "tensor (ya está convertido).")
        array = np.asarray(pic)
        if k == "pil" and pic.mode == "1":
            array = array.astype(np.uint8)
        if array.ndim == 2:
            array = array[:, :, None]
        return _make(np.ascontiguousarray(array.transpose(2, 0, 1)))

    def __repr__(self):
        return "PILToTensor()"


class ConvertImageDtype:
    """Cambia el tipo de un tensor imagen reescalando su rango (``convert_image_dtype``).

    uint8 -> float: divide por 255 (queda en [0, 1]); float -> uint8: multiplica por 255.999
    y trunca; entre enteros, por potencias de 2.
    """

    def __init__(self, dtype):
        self.dtype = np.dtype(dtype)

    def __call__(self, image):
        if not isinstance(image, Tensor):
            raise TypeError(
                f"ConvertImageDtype espera un tensor, pero recibió {type(image).__name__}. Pon "
                "PILToTensor() antes.")
        return _make(_imagen.convert_dtype(image._data, self.dtype))

    def __repr__(self):
        return f"ConvertImageDtype(dtype={self.dtype})"


class Resize:
    """Redimensiona: ``Resize(32)`` lleva el lado menor a 32 (conservando la proporción);
    ``Resize((alto, ancho))`` da exactamente ese tamaño.

    Bilineal con *antialias* (como Pillow y torchvision) por defecto, o ``NEAREST``. Una imagen
    PIL (o un ndarray uint8, como las de los Datasets) se redimensiona con Pillow, lo mismo que
    hace torchvision; un tensor, con la interpolación de PyTorch (``F.interpolate``).
    """

    def __init__(self, size, interpolation=InterpolationMode.BILINEAR, max_size=None,
                 antialias=True):
        if not (isinstance(size, (int, np.integer))
                or (isinstance(size, (list, tuple)) and len(size) in (1, 2))):
            raise TypeError(
                f"size debe ser un entero o una secuencia de 1 o 2 enteros, pero es {size!r}.")
        self.size = size
        self.interpolation = _interpolation(interpolation)
        self.max_size = max_size
        self.antialias = antialias

    def __call__(self, img):
        return _imagen.resize(img, self.size, self.interpolation, self.max_size,
                              self.antialias)

    def __repr__(self):
        return (f"Resize(size={self.size}, interpolation={self.interpolation}, "
                f"max_size={self.max_size}, antialias={self.antialias})")


class CenterCrop:
    """Recorta el centro (``size``: entero o (alto, ancho)); si la imagen es menor, rellena con 0."""

    def __init__(self, size):
        self.size = _imagen.check_size(size)

    def __call__(self, img):
        return _imagen.center_crop(img, self.size)

    def __repr__(self):
        return f"CenterCrop(size={self.size})"


class RandomCrop:
    """Recorta una ventana ``size`` en un sitio al azar (aumento de datos).

    ``padding`` rellena antes los bordes (``RandomCrop(32, padding=4)`` es el clásico de
    CIFAR-10), con ``fill`` y ``padding_mode`` (constant, edge, reflect, symmetric);
    ``pad_if_needed`` rellena si la imagen es menor que ``size``.
    """

    def __init__(self, size, padding=None, pad_if_needed=False, fill=0,
                 padding_mode="constant"):
        self.size = _imagen.check_size(size)
        if padding is not None:
            _imagen.parse_padding(padding)
        if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
            raise ValueError(
                f"padding_mode debe ser 'constant', 'edge', 'reflect' o 'symmetric', pero es "
                f"{padding_mode!r}.")
        self.padding = padding
        self.pad_if_needed = pad_if_needed
        self.fill = fill
        self.padding_mode = padding_mode

    @staticmethod
    def get_params(img, output_size):
        """``(arriba, izquierda, alto, ancho)`` de la ventana, sorteados como torchvision."""
        h, w = _imagen.size_hw(img)
        th, tw = output_size
        if h < th or w < tw:
            raise ValueError(
                f"El tamaño del recorte {(th, tw)} es mayor que la imagen {(h, w)}: usa "
                "pad_if_needed=True o un padding.")
        if w == tw and h == th:
            return 0, 0, h, w
        i = randint(0, h - th + 1, size=(1,)).item()
        j = randint(0, w - tw + 1, size=(1,)).item()
        return i, j, th, tw

    def __call__(self, img):
        if self.padding is not None:
            img = _imagen.pad(img, self.padding, self.fill, self.padding_mode)
        height, width = _imagen.size_hw(img)
        if self.pad_if_needed and width < self.size[1]:
            img = _imagen.pad(img, [self.size[1] - width, 0], self.fill, self.padding_mode)
        if self.pad_if_needed and height < self.size[0]:
            img = _imagen.pad(img, [0, self.size[0] - height], self.fill, self.padding_mode)
        i, j, h, w = self.get_params(img, self.size)
        return _imagen.crop(img, i, j, h, w)

    def __repr__(self):
        return f"RandomCrop(size={self.size}, padding={self.padding})"


class RandomHorizontalFlip:
    """Voltea la imagen de izquierda a derecha con probabilidad ``p`` (0.5)."""

    def __init__(self, p=0.5):
        self.p = p

    def __call__(self, img):
        if rand(1).item() < self.p:
            return _imagen.hflip(img)
        return img

    def __repr__(self):
        return f"RandomHorizontalFlip(p={self.p})"


# --- ampliación (issue #16): giros aleatorios ---
def _setup_angle(degrees):
    """``degrees`` como ``[mínimo, máximo]`` (un número ``d`` da ``[-d, d]``), como torchvision."""
    if isinstance(degrees, (int, float, np.integer, np.floating)):
        if degrees < 0:
            raise ValueError(
                f"Si degrees es un solo número debe ser positivo (el giro va de -degrees a "
                f"+degrees), pero es {degrees}.")
        return [-float(degrees), float(degrees)]
    if not isinstance(degrees, (list, tuple)) or len(degrees) != 2:
        raise ValueError(
            f"degrees debe ser un número o una secuencia de 2 números (mínimo, máximo), pero es "
            f"{degrees!r}.")
    return [float(d) for d in degrees]


def _modo(interpolation):
    if isinstance(interpolation, (int, np.integer)) and not isinstance(interpolation, bool):
        interpolation = {0: "nearest", 2: "bilinear"}.get(int(interpolation), interpolation)
    name = _interpolation(interpolation)
    return InterpolationMode.NEAREST if name == "nearest" else InterpolationMode.BILINEAR


class RandomRotation:
    """Gira la imagen un ángulo al azar entre ``-degrees`` y ``+degrees`` grados (o entre los
    dos valores de ``degrees=(mínimo, máximo)``), en sentido antihorario.

    ``RandomRotation(degrees, interpolation=InterpolationMode.NEAREST, expand=False,
    center=None, fill=0)``: ``expand=True`` agranda la salida para que quepa la imagen girada
    entera; ``center=(x, y)`` (en píxeles, desde la esquina de arriba a la izquierda) cambia el
    centro del giro; ``fill`` es el valor (o un valor por canal) de lo que queda fuera de la
    imagen original. El ángulo se sortea como torchvision, con
    ``torch.empty(1).uniform_(mínimo, máximo)``: con la misma semilla sale el mismo ángulo, y
    con el mismo ángulo la misma imagen (para tensores; ver ``_rotacion.py``).
    """

    _v2 = False

    def __init__(self, degrees, interpolation=InterpolationMode.NEAREST, expand=False,
                 center=None, fill=0):
        self.degrees = _setup_angle(degrees)
        if center is not None and (not isinstance(center, (list, tuple)) or len(center) != 2):
            raise ValueError(
                f"center debe ser una secuencia (x, y) de 2 números, pero es {center!r}.")
        if fill is None:
            fill = 0
        elif not isinstance(fill, (list, tuple, int, float, np.integer, np.floating)):
            raise TypeError(
                f"fill debe ser un número o una secuencia (un valor por canal), pero es "
                f"{type(fill).__name__}.")
        self.interpolation = _modo(interpolation)
        self.expand = expand
        self.center = center
        self.fill = fill

    @staticmethod
    def get_params(degrees):
        """El ángulo (en grados), sorteado como torchvision."""
        return float(empty(1).uniform_(float(degrees[0]), float(degrees[1])).item())

    def __call__(self, img):
        fill = self.fill
        if isinstance(img, Tensor) and not self._v2:
            channels = img._data.shape[-3] if img._data.ndim >= 3 else 1
            fill = ([float(fill)] * channels if not isinstance(fill, (list, tuple))
                    else [float(f) for f in fill])
        angle = self.get_params(self.degrees)
        return _rotacion.rotate(img, angle, self.interpolation.value, self.expand, self.center,
                                fill, v2=self._v2)

    def __repr__(self):
        text = (f"{type(self).__name__}(degrees={self.degrees}, "
                f"interpolation={self.interpolation.value}, expand={self.expand}")
        if self.center is not None:
            text += f", center={self.center}"
        return text + f", fill={self.fill})"
