"""``torchvision.transforms.v2``: Compose, ToImage, ToDtype, Normalize, Lambda, Resize,
RandomHorizontalFlip y RandomRotation.

El flujo habitual de v2 es ``Compose([ToImage(), ToDtype(torch.float32, scale=True),
Normalize(media, std)])``: ``ToImage`` da un tensor uint8 canales x alto x ancho (sin
reescalar) y ``ToDtype(..., scale=True)`` lo pasa a [0, 1] multiplicando por ``1 / 255`` (v2
multiplica por el inverso; ``ToTensor`` de v1 divide, y en float32 puede diferir en el último
bit). Como en torchvision, Resize tiene antialias=True por defecto.
"""
import numpy as np

from ..tensor import Tensor, _make
from . import _imagen
from ._transforms_extra import InterpolationMode, RandomHorizontalFlip, Resize  # noqa: F401
from ._transforms_extra import RandomRotation as _RandomRotationV1
from .transforms import Compose, Normalize
from .transforms import Lambda as _LambdaV1

__all__ = ["Compose", "InterpolationMode", "Lambda", "Normalize", "RandomHorizontalFlip",
           "RandomRotation", "Resize", "ToDtype", "ToImage"]


class ToImage:
    """Imagen PIL, ndarray (alto x ancho [x canales]) o tensor -> tensor canales x alto x ancho.

    Conserva el tipo y los valores (uint8 sigue de 0 a 255); un tensor pasa tal cual.
    """

    def __call__(self, inpt):
        if isinstance(inpt, Tensor):
            if inpt._data.ndim < 2:
                raise ValueError(
                    f"ToImage espera una imagen de al menos 2 dimensiones, pero el tensor tiene "
                    f"forma {tuple(inpt._data.shape)}.")
            return inpt if inpt._data.ndim >= 3 else _make(inpt._data[None])
        k = _imagen.kind(inpt)
        array = np.asarray(inpt)
        if k == "pil" and inpt.mode == "1":
            array = array.astype(np.uint8)
        if array.ndim == 2:
            array = array[:, :, None]
        return _make(np.ascontiguousarray(array.transpose(2, 0, 1)))

    def __repr__(self):
        return "ToImage()"


class ToDtype:
    """Cambia el tipo del tensor; con ``scale=True`` reescala el rango (uint8 0-255 -> [0, 1])."""

    def __init__(self, dtype, scale=False):
        if isinstance(dtype, dict):
            raise TypeError(
                "ToDtype con un diccionario de tipos (uno por clase de tv_tensor) no está "
                "disponible en tinygrad_es: pasa un único dtype, p. ej. torch.float32.")
        self.dtype = np.dtype(dtype)
        self.scale = scale

    def __call__(self, inpt):
        if not isinstance(inpt, Tensor):
            raise TypeError(
                f"ToDtype espera un tensor, pero recibió {type(inpt).__name__}. Pon ToImage() "
                "antes.")
        if not self.scale:
            return _make(inpt._data.astype(self.dtype))
        return _make(_imagen.convert_dtype(inpt._data, self.dtype, reciprocal=True))

    def __repr__(self):
        return f"ToDtype(dtype={self.dtype}, scale={self.scale})"


class Lambda(_LambdaV1):
    """``Lambda(funcion, *tipos)``: aplica la función (solo a entradas de esos tipos, si se dan)."""

    def __init__(self, lambd, *types):
        super().__init__(lambd)
        self.types = types or (object,)

    def __call__(self, inpt):
        if isinstance(inpt, self.types):
            return self.lambd(inpt)
        return inpt


class RandomRotation(_RandomRotationV1):
    """``RandomRotation`` de v2: los mismos argumentos y el mismo sorteo que la de v1; el giro
    sigue las reglas de ``v2.functional.rotate`` (ángulo módulo 360; 0, 90, 180 y 270 grados
    exactos, sin interpolar, si la imagen es cuadrada o con ``expand=True``; en bilineal,
    ``mask * (img - fill) + fill``)."""

    _v2 = True


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(
        f"transforms.v2.{name} no está disponible en tinygrad_es. Hay: "
        + ", ".join(__all__) + ".")
