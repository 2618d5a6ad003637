"""Las celdas recurrentes (un solo paso de tiempo): ``RNNCell``, ``LSTMCell`` y ``GRUCell``,
con los nombres de parámetros, la inicialización y las comprobaciones de PyTorch. Comparten con
``nn.RNN``/``nn.LSTM``/``nn.GRU`` el cálculo de un paso (``_rnn_steps.step``)."""
import math

import numpy as np

from .. import _dtypes
from .._capture import constant
from ..tensor import Tensor, _check_device
from . import functional as F
from . import init
from ._rnn_steps import check_sizes, empty_parameter, step
from .module import Module

_linear = getattr(F.linear, "__wrapped__", F.linear)


class RNNCellBase(Module):
    """Lo común de las celdas: ``weight_ih`` (G·hidden, input), ``weight_hh`` (G·hidden, hidden)
    y, con ``bias=True``, ``bias_ih`` y ``bias_hh`` (G: 1 en RNNCell, 4 en LSTMCell, 3 en GRUCell).

    Ejemplo::

        >>> [(n, tuple(p.shape)) for n, p in nn.GRUCell(2, 3).named_parameters()]
        [('weight_ih', (9, 2)), ('weight_hh', (9, 3)), ('bias_ih', (9,)), ('bias_hh', (9,))]
    """

    _mode = ""   # "RNN", "LSTM" o "GRU" en cada subclase

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        _check_device(device)
        check_sizes(self._get_name(), input_size, hidden_size)
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        dtype = np.dtype(dtype or _dtypes.default_float)
        self.weight_ih = empty_parameter((num_chunks * hidden_size, input_size), dtype)
        self.weight_hh = empty_parameter((num_chunks * hidden_size, hidden_size), dtype)
        if bias:
            self.bias_ih = empty_parameter((num_chunks * hidden_size,), dtype)
            self.bias_hh = empty_parameter((num_chunks * hidden_size,), dtype)
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def _prepare(self, input, hx, lstm):
        """Comprueba las formas; devuelve (entrada 2-D, estados 2-D, ¿tenía lote?)."""
        name = self._get_name()
        if not isinstance(input, Tensor):
            raise TypeError(f"{name} espera un tensor, pero recibió {type(input).__name__}.")
        if input.dim() not in (1, 2):
            raise ValueError(
                f"{name}: la entrada debe tener 1 dimensión (sin lote) o 2 (lote, "
                f"características), pero tiene {input.dim()} (forma {tuple(input.shape)}).")
        states = None
        if hx is not None:
            states = tuple(hx) if lstm else (hx,)
            for index, value in enumerate(states):
                if value.dim() not in (1, 2):
                    label = f"hx[{index}]" if lstm else "el estado hx"
                    raise ValueError(
                        f"{name}: {label} debe tener 1 o 2 dimensiones, pero tiene "
                        f"{value.dim()}.")
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        if states is None:
            zeros = Tensor._wrap(constant(np.zeros((input.shape[0], self.hidden_size),
                                                   input._data.dtype)))
            states = (zeros, zeros) if lstm else (zeros,)
        elif not is_batched:
            states = tuple(s.unsqueeze(0) for s in states)
        if input.shape[1] != self.input_size:
            raise RuntimeError(
                f"{name}: la entrada tiene {input.shape[1]} características, pero input_size es "
                f"{self.input_size}.")
        for index, s in enumerate(states):
            if s.shape[0] != input.shape[0]:
                raise RuntimeError(
                    f"{name}: el lote de la entrada ({input.shape[0]}) no coincide con el del "
                    f"estado hx{'[%d]' % index if lstm else ''} ({s.shape[0]}).")
            if s.shape[1] != self.hidden_size:
                raise RuntimeError(
                    f"{name}: el estado hx{'[%d]' % index if lstm else ''} tiene {s.shape[1]} "
                    f"características, pero hidden_size es {self.hidden_size}.")
        return input, states, is_batched

    def forward(self, input, hx=None):
        lstm = self._mode == "LSTM"
        input, states, is_batched = self._prepare(input, hx, lstm)
        mode = self._mode
        if mode == "RNN":
            if self.nonlinearity not in ("tanh", "relu"):
                raise RuntimeError(
                    f"No linealidad desconocida: {self.nonlinearity!r}. Elige 'tanh' o 'relu'.")
            mode = "RNN_TANH" if self.nonlinearity == "tanh" else "RNN_RELU"
        weights = [self.weight_ih, self.weight_hh] + (
            [self.bias_ih, self.bias_hh] if self.bias_ih is not None else [])
        projected = _linear(input, weights[0], weights[2] if len(weights) > 2 else None)
        out = step(mode, projected, states, weights[1],
                   weights[3] if len(weights) > 2 else None, None)
        if not is_batched:
            out = tuple(s.squeeze(0) for s in out)
        return out if lstm else out[0]


class RNNCell(RNNCellBase):
    """Un paso de ``nn.RNN``: ``h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)``.

    Ejemplo::

        >>> celda = nn.RNNCell(10, 20)
        >>> x = torch.randn(6, 3, 10)
        >>> h = torch.zeros(3, 20)
        >>> for t in range(6):
        ...     h = celda(x[t], h)
        >>> h.shape
        torch.Size([3, 20])
    """

    _mode = "RNN"

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity


class LSTMCell(RNNCellBase):
    """Un paso de ``nn.LSTM``: recibe ``x`` y ``(h, c)`` y devuelve ``(h', c')``.

    Ejemplo::

        >>> celda = nn.LSTMCell(10, 20)
        >>> h, c = celda(torch.randn(3, 10))     # sin estado: ceros
        >>> h.shape, c.shape
        (torch.Size([3, 20]), torch.Size([3, 20]))
    """

    _mode = "LSTM"

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)


class GRUCell(RNNCellBase):
    """Un paso de ``nn.GRU``: recibe ``x`` y ``h`` y devuelve ``h'``.

    Ejemplo::

        >>> celda = nn.GRUCell(10, 20)
        >>> h = celda(torch.randn(3, 10), torch.zeros(3, 20))
        >>> h.shape
        torch.Size([3, 20])
    """

    _mode = "GRU"

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)
