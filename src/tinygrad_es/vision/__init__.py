"""Los nombres de ``torchvision`` que usa el código de los cursos.

    from tinygrad_es.vision import datasets, transforms   # en vez de: from torchvision import ...

    t = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    entrenamiento = datasets.MNIST("datos", train=True, download=True, transform=t)
"""
from . import datasets, transforms

__all__ = ["datasets", "transforms"]

# --- familia optim-vision: transforms.v2 y utils ---
import sys as _sys  # noqa: E402

from . import _transforms_v2, utils  # noqa: E402

transforms.v2 = _transforms_v2
_sys.modules[transforms.__name__ + ".v2"] = _transforms_v2   # import ...transforms.v2 as v2
__all__ += ["utils"]

# --- una llamada con argumentos que no encajan: TypeError en español (_arguments.py) ---
from .._arguments import wrap_namespace as _wrap_namespace  # noqa: E402

for _modulo, _prefijo in ((transforms, "torchvision.transforms."),
                          (_transforms_v2, "torchvision.transforms.v2."),
                          (datasets, "torchvision.datasets."), (utils, "torchvision.utils.")):
    _wrap_namespace(vars(_modulo), _prefijo)
