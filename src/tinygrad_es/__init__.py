"""tinygrad_es: autograd pequeño, rápido y honesto sobre NumPy, con la API de PyTorch.

Uso típico (el mismo código que con PyTorch, cambiando solo la importación)::

    import tinygrad_es as torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    print(x.grad)   # tensor([2., 4.])
"""
from . import _allocator
_allocator.status = _allocator.tune_malloc()   # antes de crear ningún array grande
from . import _threads
_threads.start()                                # la política de hilos de la BLAS
from . import _fp_warnings
_fp_warnings.install()                          # log(0) = -inf sin aviso de NumPy, como PyTorch
from ._threads import (get_num_interop_threads, get_num_threads, set_num_interop_threads,
                       set_num_threads)
from . import cuda
from ._dtypes import (bool, double, float, float16, float32, float64, half, int, int8, int16,
                      int32, int64, long, short, uint8)
from ._random import (Generator, default_generator, get_rng_state, initial_seed, manual_seed,
                      seed, set_rng_state)
from .autograd.grad_mode import (enable_grad, inference_mode, is_grad_enabled, no_grad,
                                 set_grad_enabled)
# .tensor antes que .creation: el nombre «tensor» es la función (también para Pylance)
from .tensor import Size, Tensor, device
from .creation import (arange, as_tensor, empty, empty_like, eye, from_numpy, full, full_like,
                       linspace, normal, ones, ones_like, rand, rand_like, randint,
                       randint_like, randn, randn_like, randperm, tensor, zeros, zeros_like)
from .functions import *  # noqa: F401,F403 (exp, log, cat, stack, where, sum, max...)
from .functions import cat, concat, stack, where
from .functions import bernoulli, multinomial  # torch.bernoulli(p), torch.multinomial(w, n)
from . import autograd, datasets, nn, optim, utils, vision, viz
from .serialization import load, save
from . import linalg   # familia reduc: torch.linalg

dtype = type(float32)
FloatTensor = Tensor


def LongTensor(*args):
    """Como ``torch.LongTensor([1, 2])``: un tensor int64."""
    return Tensor(*args, dtype=int64)


def DoubleTensor(*args):
    return Tensor(*args, dtype=float64)


def BoolTensor(*args):
    return Tensor(*args, dtype=bool)


# --- familia optim-vision: valores por defecto, impresión y dispositivos ---
from . import accelerator, backends
from ._defaults import get_default_device, get_default_dtype, set_default_device, set_default_dtype
from ._format import set_printoptions
from .autograd.grad_mode import is_inference_mode_enabled
from ._compile import compile   # noqa: A001 (torch.compile, con su nombre)


__version__ = "0.1.0"


# --- un nombre de PyTorch que no existe aquí: AttributeError en español (_missing.py) ---
from ._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr(__name__, globals())
# --- una llamada con argumentos que no encajan: TypeError en español (_arguments.py) ---
from ._arguments import wrap_namespace as _wrap_namespace  # noqa: E402
_wrap_namespace(globals(), "torch.", classes=False)
