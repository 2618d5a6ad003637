"""Conjuntos de datos con los nombres de ``torchvision.datasets``.

``datasets.MNIST(root, train=True, transform=None, target_transform=None, download=False)`` es
``tinygrad_es.datasets.MNIST``: los mismos argumentos y muestras ``(imagen, etiqueta)``. La
diferencia con torchvision: la imagen en bruto es un ndarray uint8 de 28x28 en lugar de una
imagen PIL (``transforms.ToTensor`` acepta las dos). Los archivos se buscan en ``root``, en
``root/MNIST/raw`` (donde los deja torchvision) y en la caché; ver ``tinygrad_es.datasets``.
"""
from ..datasets.mnist import MNIST

__all__ = ["MNIST"]

# --- familia optim-vision: Fashion-MNIST y KMNIST ---
from ..datasets.mnist_variantes import FashionMNIST, KMNIST  # noqa: E402

__all__ += ["FashionMNIST", "KMNIST"]


# --- ampliación (issue #16): carpetas de imágenes y EMNIST ---
from ._carpetas import DatasetFolder, ImageFolder  # noqa: E402
from ..datasets.emnist import EMNIST  # noqa: E402

__all__ += ["DatasetFolder", "EMNIST", "ImageFolder"]


def __getattr__(name):   # p. ej. datasets.CIFAR10: error en español con lo que hay
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(
        f"datasets.{name} no está disponible en tinygrad_es. Hay: " + ", ".join(__all__)
        + " (y tinygrad_es.datasets.MNIST5k, sin conexión).")
