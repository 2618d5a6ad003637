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

# --- familia perdidas --------------------------------------------------------
from .loss import (CosineEmbeddingLoss, GaussianNLLLoss, HingeEmbeddingLoss,  # noqa: E402
                   HuberLoss, KLDivLoss, MarginRankingLoss, MultiLabelSoftMarginLoss,
                   MultiMarginLoss, PoissonNLLLoss, SmoothL1Loss, SoftMarginLoss,
                   TripletMarginLoss)

__all__ += [
    "SmoothL1Loss", "HuberLoss", "KLDivLoss", "HingeEmbeddingLoss", "MarginRankingLoss",
    "CosineEmbeddingLoss", "TripletMarginLoss", "PoissonNLLLoss", "GaussianNLLLoss",
    "MultiMarginLoss", "SoftMarginLoss", "MultiLabelSoftMarginLoss",
]
from . import utils  # noqa: E402  (nn.utils: clip_grad_norm_, parameters_to_vector...)

__all__ += ["utils"]


# --- familia conv ---
from .conv import (Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d, Fold,  # noqa: E402
                   Unfold)
from .padding import (CircularPad1d, CircularPad2d, ConstantPad1d, ConstantPad2d,  # noqa: E402
                      ReflectionPad1d, ReflectionPad2d, ReplicationPad1d, ReplicationPad2d,
                      ZeroPad1d, ZeroPad2d)
from .pooling import (AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d,  # noqa: E402
                      AdaptiveMaxPool2d, AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d)

__all__ += [
    "Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d", "Unfold", "Fold",
    "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d", "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d",
    "ZeroPad1d", "ZeroPad2d", "ConstantPad1d", "ConstantPad2d", "ReflectionPad1d",
    "ReflectionPad2d", "ReplicationPad1d", "ReplicationPad2d", "CircularPad1d", "CircularPad2d",
]

# --- familia norm ---
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

# --- familia rnn (h_rnn) ---
from .activation_extra import RReLU  # noqa: E402
from .lazy import LazyLinear  # noqa: E402
from .parameter import UninitializedParameter  # noqa: E402
from .pixelshuffle import PixelShuffle, PixelUnshuffle  # noqa: E402
from .rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell, RNNCellBase  # noqa: E402

__all__ += ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell",
            "RReLU", "PixelShuffle", "PixelUnshuffle", "LazyLinear", "UninitializedParameter"]


# --- un nombre de PyTorch que no existe aquí: AttributeError en español (_missing.py) ---
from .._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr(__name__, globals())
# --- una llamada con argumentos que no encajan: TypeError en español (_arguments.py) ---
from .._arguments import wrap_namespace as _wrap_namespace  # noqa: E402
_wrap_namespace(globals(), "torch.nn.")
# --- familia activ ---
__all__ += ["ReLU6", "PReLU", "ELU", "SELU", "CELU", "GELU", "Mish", "Hardtanh", "Hardsigmoid",
            "Hardswish", "Softplus", "Softsign", "Threshold", "LogSigmoid", "Tanhshrink",
            "Softshrink", "Hardshrink", "GLU"]
