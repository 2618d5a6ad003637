"""Diferenciación automática: el motor, los modos de gradiente y las herramientas para verificarla."""
from . import functional
from .anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .function import Function, FunctionCtx
from .functional_grad import grad
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = ["Function", "FunctionCtx", "GradcheckError", "detect_anomaly", "enable_grad",
           "functional", "grad", "gradcheck", "gradgradcheck", "inference_mode",
           "is_anomaly_enabled", "is_grad_enabled", "no_grad", "set_detect_anomaly",
           "set_grad_enabled"]
