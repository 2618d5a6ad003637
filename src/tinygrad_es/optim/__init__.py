"""Optimizadores (como ``torch.optim``): SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax,
NAdam, RAdam, Rprop, ASGD, LBFGS y ``lr_scheduler``."""
from . import lr_scheduler
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "RMSprop", "lr_scheduler"]


# --- un nombre de PyTorch que no existe aquí: AttributeError en español (_missing.py) ---
from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr(__name__, globals())
# --- una llamada con argumentos que no encajan: TypeError en español (_arguments.py) ---
from .._arguments import wrap_namespace as _wrap_namespace  # noqa: E402
_wrap_namespace(globals(), "torch.optim.")
# --- familia optim-vision: más optimizadores ---
from .adagrad import Adadelta, Adagrad
from .adam_variantes import NAdam, RAdam, Adamax
from .rprop import Rprop

__all__ += ["Adadelta", "Adagrad", "Adamax", "NAdam", "RAdam", "Rprop"]
# --- ampliación (issue #16): ASGD y L-BFGS ---
from .asgd import ASGD  # noqa: E402
from .lbfgs import LBFGS  # noqa: E402

__all__ += ["ASGD", "LBFGS"]
