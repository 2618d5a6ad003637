"""Conjuntos de datos de los cursos.

- ``MNIST`` / ``load_mnist``: MNIST completo desde los archivos IDX originales (con suma MD5,
  caché en ``~/.cache/tinygrad_es`` o ``$TINYGRAD_ES_DATOS``; descarga con pooch solo con
  ``download=True``; sin conexión, ``DownloadError`` explica qué hacer).
- ``MNIST5k`` / ``load_mnist_5k``: 5.000 imágenes de MNIST que vienen con el paquete; funciona
  sin internet (la opción por defecto de los ejemplos cuando no está MNIST completo).
- ``Digits`` / ``load_digits``: los dígitos de 8x8 de scikit-learn (extra ``digitos``).
- ``compuerta_logica``: tablas de verdad de AND, OR, XOR, NAND y NOR.
- ``colores_fuente``: color de fondo RGB -> ¿fuente clara u oscura?
- ``EMNIST``: letras y dígitos manuscritos (seis particiones, como torchvision; ``emnist.py``).
- ``idx``: lectura y escritura del formato IDX.
"""
from . import idx
from .mnist import (ChecksumError, DatasetNotFoundError, DownloadError, MNIST, cache_dir,
                    load_mnist, mnist_cache_dir)
from .subsets import Digits, MNIST5k, load_digits, load_mnist_5k
from .toy import colores_fuente, compuerta_logica, fuente_clara, luminancia

__all__ = ["ChecksumError", "DatasetNotFoundError", "Digits", "DownloadError", "MNIST", "MNIST5k",
           "cache_dir", "colores_fuente", "compuerta_logica", "fuente_clara", "idx",
           "load_digits", "load_mnist", "load_mnist_5k", "luminancia", "mnist_cache_dir"]

# --- familia optim-vision: Fashion-MNIST y KMNIST ---
from .mnist_variantes import FashionMNIST, KMNIST  # noqa: E402

__all__ += ["FashionMNIST", "KMNIST"]

# --- ampliación (issue #16): EMNIST ---
from .emnist import EMNIST  # noqa: E402

__all__ += ["EMNIST"]
