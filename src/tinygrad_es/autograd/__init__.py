"""Diferenciación automática: el motor, los modos de gradiente y las herramientas para verificarla.

Al cargarse, el paquete conecta su motor con ``Tensor.backward`` (ver ``_autograd_methods.py``):
``engine.py`` está por encima de ``tensor.py`` en las capas (lo importa para dar Tensores a los
ganchos), así que ``tensor.py`` no puede importarlo.
"""
from .. import _autograd_methods
from . import functional
from .anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .function import Function, FunctionCtx
from .functional_grad import grad
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

# Tensor.backward llega al motor por aquí (tensor.py no puede importarlo: ver arriba)
from . import engine as _engine
_autograd_methods.run_backward = _engine.run_backward
_autograd_methods.accumulate_grad = _engine.accumulate_grad

__all__ = ["Function", "FunctionCtx", "GradcheckError", "detect_anomaly", "enable_grad",
           "functional", "grad", "gradcheck", "gradgradcheck", "inference_mode",
           "is_anomaly_enabled", "is_grad_enabled", "no_grad", "set_detect_anomaly",
           "set_grad_enabled"]


# --- un nombre de PyTorch que no existe aquí: AttributeError en español (_missing.py) ---
from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr(__name__, globals())
# --- una llamada con argumentos que no encajan: TypeError en español (_arguments.py) ---
from .._arguments import wrap_namespace as _wrap_namespace  # noqa: E402
_wrap_namespace(globals(), "torch.autograd.", classes=False)
