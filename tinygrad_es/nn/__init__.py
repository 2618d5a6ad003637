"""``tinygrad_es.nn``: módulos, capas, activaciones y pérdidas con la API de ``torch.nn``.

    import tinygrad_es.nn as nn
    import tinygrad_es.nn.functional as F
"""
from . import functional, init
from .activation import LeakyReLU, LogSoftmax, ReLU, SiLU, Sigmoid, Softmax, Softmin, Tanh
from .activation_extra import (CELU, ELU, GELU, GLU, SELU, Hardshrink, Hardsigmoid,  # h_activ
                               Hardswish, Hardtanh, LogSigmoid, Mish, PReLU, ReLU6, Softplus,
                               Softshrink, Softsign, Tanhshrink, Threshold)
from .container import ModuleDict, ModuleList, Sequential
from .layers import Dropout, Flatten, Identity, Linear, Unflatten
from .loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss, NLLLoss
from .module import Module
from .parameter import Parameter

__all__ = [
    "Module", "Parameter", "Sequential", "ModuleList", "ModuleDict",
    "Linear", "Identity", "Flatten", "Unflatten", "Dropout",
    "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "SiLU", "Softmax", "Softmin", "LogSoftmax",
    "MSELoss", "L1Loss", "NLLLoss", "CrossEntropyLoss", "BCELoss", "BCEWithLogitsLoss",
    "functional", "init",
]

# --- familia activ (h_activ) ---
__all__ += ["ReLU6", "PReLU", "ELU", "SELU", "CELU", "GELU", "Mish", "Hardtanh", "Hardsigmoid",
            "Hardswish", "Softplus", "Softsign", "Threshold", "LogSigmoid", "Tanhshrink",
            "Softshrink", "Hardshrink", "GLU"]
