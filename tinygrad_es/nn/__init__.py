"""``tinygrad_es.nn``: módulos, capas, activaciones y pérdidas con la API de ``torch.nn``.

    import tinygrad_es.nn as nn
    import tinygrad_es.nn.functional as F
"""
from . import functional, init
from .activation import LeakyReLU, LogSoftmax, ReLU, SiLU, Sigmoid, Softmax, Softmin, Tanh
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

# --- familia norm (h_norm) ---
from ._param_containers import ParameterDict, ParameterList  # noqa: E402
from .dropout import (AlphaDropout, Dropout1d, Dropout2d, Dropout3d,  # noqa: E402
                      FeatureAlphaDropout)
from .normalization import (BatchNorm1d, BatchNorm2d, BatchNorm3d, GroupNorm,  # noqa: E402
                            InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, LayerNorm, RMSNorm)
from .parameter import Buffer  # noqa: E402
from .sparse import Embedding, EmbeddingBag  # noqa: E402
from .upsampling import (Bilinear, Upsample, UpsamplingBilinear2d,  # noqa: E402
                         UpsamplingNearest2d)

__all__ += [
    "Buffer", "ParameterList", "ParameterDict",
    "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm1d", "InstanceNorm2d",
    "InstanceNorm3d", "LayerNorm", "RMSNorm", "GroupNorm",
    "Embedding", "EmbeddingBag",
    "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout",
    "Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "Bilinear",
]
