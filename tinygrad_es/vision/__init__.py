"""Los nombres de ``torchvision`` que usa el código de los cursos.

    from tinygrad_es.vision import datasets, transforms   # en vez de: from torchvision import ...

    t = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    entrenamiento = datasets.MNIST("datos", train=True, download=True, transform=t)
"""
from . import datasets, transforms

__all__ = ["datasets", "transforms"]
