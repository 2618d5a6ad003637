"""Capas recurrentes: ``RNN``, ``LSTM``, ``GRU`` y sus celdas (``RNNCell``, ``LSTMCell``,
``GRUCell``), con la firma, los nombres de parámetros y la inicialización de PyTorch.

Se componen de operaciones que ya existen (``F.linear``, ``sigmoid``, ``tanh``, ``chunk``,
``stack``/``cat``): el autograd sale de ellas, también las segundas derivadas. Como PyTorch en
la CPU, la proyección de la entrada (``x @ W_ih.T + b_ih``) se calcula de una vez para toda la
secuencia y el bucle sobre los pasos de tiempo solo hace la parte recurrente.

Con la misma semilla dan los mismos pesos que PyTorch: se crean vacíos en el mismo orden
(capa, dirección; ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``, ``weight_hr``) y
``reset_parameters`` sortea ``U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))`` recorriendo
``parameters()``.
"""
from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from .. import _dtypes
from .._capture import constant
from ..errors import user_stacklevel
from .._shape import cat, stack
from ..tensor import Tensor, _check_device
from . import functional as F
from . import init
from ._rnn_steps import check_sizes, empty_parameter, run_layer
from .module import Module
from .utils.rnn import PackedSequence

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_linear = getattr(F.linear, "__wrapped__", F.linear)
_dropout = getattr(F.dropout, "__wrapped__", F.dropout)
_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


class RNNBase(Module):
    """Lo común de ``RNN``, ``LSTM`` y ``GRU``.

    ``mode``: 'RNN_TANH', 'RNN_RELU', 'LSTM' o 'GRU'. Ejemplo (mejor usa las subclases)::

        >>> red = nn.RNNBase("GRU", 4, 8, num_layers=2)
        >>> [n for n, _ in red.named_parameters()][:2]
        ['weight_ih_l0', 'weight_hh_l0']
    """

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, proj_size=0,
                 device=None, dtype=None):
        super().__init__()
        _check_device(device)
        name = self._get_name()
        if (not isinstance(dropout, numbers.Number) or isinstance(dropout, bool)
                or not 0 <= dropout <= 1):
            raise ValueError(
                f"{name}: dropout debe ser un número entre 0 y 1 (la probabilidad de poner a "
                f"cero cada elemento), pero es {dropout!r}.")
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                f"{name}: el dropout se aplica a la salida de cada capa menos la última, así "
                f"que con num_layers=1 no hace nada (dropout={dropout}). Usa num_layers > 1 o "
                "pon un nn.Dropout tú mismo.", UserWarning, stacklevel=user_stacklevel())
        for label, value in (("bias", bias), ("batch_first", batch_first)):
            if not isinstance(value, bool):
                raise TypeError(f"{name}: {label} debe ser True o False, pero es {value!r}.")
        check_sizes(name, input_size, hidden_size)
        if num_layers <= 0:
            raise ValueError(f"{name}: num_layers debe ser mayor que cero (es {num_layers}).")
        if proj_size < 0:
            raise ValueError(
                f"{name}: proj_size debe ser un entero positivo, o 0 para no proyectar (es "
                f"{proj_size}).")
        if proj_size >= hidden_size:
            raise ValueError(
                f"{name}: proj_size ({proj_size}) tiene que ser menor que hidden_size "
                f"({hidden_size}).")
        if mode not in _GATES:
            raise ValueError(f"Modo de red recurrente desconocido: {mode!r}.")
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        dtype = np.dtype(dtype or _dtypes.default_float)
        gate_size = _GATES[mode] * hidden_size
        directions = 2 if bidirectional else 1
        real_hidden = proj_size if proj_size > 0 else hidden_size
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            for direction in range(directions):
                layer_input = input_size if layer == 0 else real_hidden * directions
                suffix = f"_l{layer}" + ("_reverse" if direction == 1 else "")
                shapes = [("weight_ih", (gate_size, layer_input)),
                          ("weight_hh", (gate_size, real_hidden))]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                if proj_size > 0:
                    shapes += [("weight_hr", (proj_size, hidden_size))]
                names = [base + suffix for base, _ in shapes]
                for full, (_, shape) in zip(names, shapes):
                    setattr(self, full, empty_parameter(shape, dtype))
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    @property
    def all_weights(self):
        """Los parámetros de cada capa y dirección, en listas (como PyTorch)."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def flatten_parameters(self):
        """En PyTorch compacta los pesos para cuDNN; aquí no hay GPU: no hace nada."""

    # --- comprobaciones, con las clases de excepción de PyTorch ---------------------------
    def _check_input(self, input, packed):
        weight = getattr(self, self._flat_weights_names[0])
        if input._data.dtype != weight._data.dtype:
            got, want = input.dtype, weight.dtype
            raise ValueError(
                f"{self._get_name()}: la entrada es {got} pero los pesos son {want}. Convierte "
                f"la entrada con input.to({want}) o el modelo con model.to({got}).")
        expected = 2 if packed else 3
        if input.dim() != expected:
            raise RuntimeError(
                f"{self._get_name()}: la entrada debe tener {expected} dimensiones, pero tiene "
                f"{input.dim()}.")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(
                f"{self._get_name()}: la última dimensión de la entrada ({input.shape[-1]}) debe "
                f"ser input_size ({self.input_size}). Forma de la entrada: "
                f"{tuple(input.shape)}.")

    def _hidden_shape(self, batch, size):
        return (self.num_layers * (2 if self.bidirectional else 1), batch, size)

    def _check_hidden(self, hx, expected, label="h0"):
        if tuple(hx.shape) != expected:
            raise RuntimeError(
                f"{self._get_name()}: el estado inicial {label} debe tener forma {expected} "
                f"(num_layers * num_directions, batch, tamaño), pero tiene "
                f"{list(hx.shape)}.")

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    # --- el cálculo ---------------------------------------------------------------------
    def forward(self, input, hx=None):
        lstm = self.mode == "LSTM"
        name = self._get_name()
        packed = isinstance(input, PackedSequence)
        batch_dim = 0 if self.batch_first else 1
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        if packed:
            data, batch_sizes = input.data, [int(b) for b in input.batch_sizes.tolist()]
            batch, is_batched = batch_sizes[0], True
            if hx is not None:
                hx = _permute(hx, input.sorted_indices)
        else:
            if not isinstance(input, Tensor):
                raise TypeError(
                    f"{name} espera un tensor o un PackedSequence, pero recibió "
                    f"{type(input).__name__}.")
            if input.dim() not in (2, 3):
                raise ValueError(
                    f"{name}: la entrada debe tener 2 dimensiones (sin lote: secuencia, "
                    f"características) o 3 (con lote), pero tiene {input.dim()} (forma "
                    f"{tuple(input.shape)}).")
            is_batched = input.dim() == 3
            if not is_batched:
                input = input.unsqueeze(batch_dim)
            if hx is not None:
                hx = self._hx_dims(hx, is_batched, lstm)
            data = input.transpose(0, 1) if self.batch_first else input
            batch, batch_sizes = data.shape[1], None
        self._check_input(data, packed)
        if hx is None:
            zeros = np.zeros(self._hidden_shape(batch, real_hidden), data._data.dtype)
            hx = Tensor._wrap(constant(zeros))   # (compile: una constante; nadie escribe en él)
            if lstm:
                hx = (hx, Tensor._wrap(constant(np.zeros(
                    self._hidden_shape(batch, self.hidden_size), data._data.dtype))))
        if lstm:
            self._check_hidden(hx[0], self._hidden_shape(batch, real_hidden), "h0")
            self._check_hidden(hx[1], self._hidden_shape(batch, self.hidden_size), "c0")
            states = list(zip(hx[0].unbind(0), hx[1].unbind(0)))
        else:
            self._check_hidden(hx, self._hidden_shape(batch, real_hidden))
            states = [(h,) for h in hx.unbind(0)]
        output, finals = self._run(data, batch_sizes, states)
        if lstm:
            hidden = (stack([f[0] for f in finals], 0),
                      stack([f[1] for f in finals], 0))
        else:
            hidden = stack([f[0] for f in finals], 0)
        if packed:
            out = PackedSequence(output, input.batch_sizes, input.sorted_indices,
                                 input.unsorted_indices)
            return out, _permute(hidden, input.unsorted_indices)
        if self.batch_first:
            output = output.transpose(0, 1)
        if not is_batched:
            output = output.squeeze(batch_dim)
            hidden = (hidden[0].squeeze(1), hidden[1].squeeze(1)) if lstm else hidden.squeeze(1)
        return output, hidden

    def _hx_dims(self, hx, is_batched, lstm):
        name = self._get_name()
        want = 3 if is_batched else 2
        kind = "con lote (3-D)" if is_batched else "sin lote (2-D)"
        if lstm:
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                raise TypeError(f"{name}: el estado inicial debe ser una tupla (h0, c0).")
            if hx[0].dim() != want or hx[1].dim() != want:
                raise RuntimeError(
                    f"{name}: con una entrada {kind}, h0 y c0 también deben tener {want} "
                    f"dimensiones, pero tienen ({hx[0].dim()}-D, {hx[1].dim()}-D).")
            return hx if is_batched else (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
        if hx.dim() != want:
            raise RuntimeError(
                f"{name}: con una entrada {kind}, h0 también debe tener {want} dimensiones, "
                f"pero tiene {hx.dim()}.")
        return hx if is_batched else hx.unsqueeze(1)

    def _run(self, data, batch_sizes, states):
        """Todas las capas: la salida de la última y el estado final de cada capa y dirección."""
        directions = 2 if self.bidirectional else 1
        finals = []
        layer_input = data
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                index = layer * directions + direction
                weights = [getattr(self, n) for n in self._all_weights[index]]
                out, final = run_layer(self.mode, layer_input, weights, self.bias,
                                       self.proj_size > 0, states[index], batch_sizes,
                                       reverse=direction == 1)
                outputs.append(out)
                finals.append(final)
            layer_input = outputs[0] if directions == 1 else cat(outputs, -1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                layer_input = _dropout(layer_input, self.dropout, True)
        return layer_input, finals


def _permute(hx, indices):
    if indices is None:
        return hx
    if isinstance(hx, (tuple, list)):   # (h0, c0) de LSTM
        return tuple(h.index_select(1, indices) for h in hx)
    return hx.index_select(1, indices)


class RNN(RNNBase):
    """Red recurrente de Elman de ``num_layers`` capas: en cada paso de tiempo
    ``h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh)`` (o ``relu`` con
    ``nonlinearity='relu'``).

    Entrada (L, N, H_in), o (N, L, H_in) con ``batch_first=True``, o (L, H_in) sin lote;
    ``h0`` opcional (num_layers · num_direcciones, N, H_out). Devuelve ``(output, h_n)``.

    Ejemplo::

        >>> rnn = nn.RNN(10, 20, num_layers=2)
        >>> x = torch.randn(5, 3, 10)           # 5 pasos, lote de 3
        >>> salida, h_n = rnn(x)
        >>> salida.shape, h_n.shape
        (torch.Size([5, 3, 20]), torch.Size([2, 3, 20]))
    """

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, device=None,
                 dtype=None, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size solo existe en nn.LSTM, no en nn.RNN ni en nn.GRU.")
        if kwargs:
            raise TypeError(f"nn.RNN no tiene el argumento {next(iter(kwargs))!r}.")
        if nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(
                f"No linealidad desconocida: {nonlinearity!r}. Elige 'tanh' o 'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__(mode, input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, 0, device, dtype)


class LSTM(RNNBase):
    """LSTM de ``num_layers`` capas. En cada paso, con las puertas i, f, g, o:
    ``c_t = f ⊙ c_(t-1) + i ⊙ g``, ``h_t = o ⊙ tanh(c_t)`` (y ``h_t = h_t W_hr^T`` con
    ``proj_size > 0``).

    Entrada como en ``nn.RNN``; estado inicial opcional ``(h0, c0)``. Devuelve
    ``(output, (h_n, c_n))``.

    Ejemplo::

        >>> lstm = nn.LSTM(10, 20, batch_first=True, bidirectional=True)
        >>> x = torch.randn(3, 5, 10)           # lote de 3, 5 pasos
        >>> salida, (h_n, c_n) = lstm(x)
        >>> salida.shape, h_n.shape
        (torch.Size([3, 5, 40]), torch.Size([2, 3, 20]))
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, proj_size, device, dtype)


class GRU(RNNBase):
    """GRU de ``num_layers`` capas. En cada paso, con las puertas r, z y el candidato n:
    ``n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_(t-1) + b_hn))``,
    ``h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_(t-1)``.

    Entrada y salida como en ``nn.RNN``.

    Ejemplo::

        >>> gru = nn.GRU(8, 16, num_layers=2, batch_first=True)
        >>> salida, h_n = gru(torch.randn(4, 7, 8))
        >>> salida.shape, h_n.shape
        (torch.Size([4, 7, 16]), torch.Size([2, 4, 16]))
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size solo existe en nn.LSTM, no en nn.RNN ni en nn.GRU.")
        if kwargs:
            raise TypeError(f"nn.GRU no tiene el argumento {next(iter(kwargs))!r}.")
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, 0, device, dtype)


from ._rnn_cells import GRUCell, LSTMCell, RNNCell, RNNCellBase  # noqa: E402
