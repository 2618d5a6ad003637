"""El cálculo de las capas recurrentes (``nn/rnn.py``): un paso de cada celda y una capa entera
en una dirección, con secuencias de la misma longitud o empaquetadas (``PackedSequence``).

Solo usa operaciones de ``Tensor`` con su derivada (``linear``, ``sigmoid``, ``tanh``, ``relu``,
``chunk``, ``unbind``, ``split``, ``stack``/``cat``, índices): el autograd, las segundas derivadas
incluidas, sale de ellas. Las fórmulas siguen las de la CPU de PyTorch (``aten/src/ATen/native/
RNN.cpp``), en el mismo orden de operaciones.
"""
import numpy as np

from .._shape import cat, stack
from ..tensor import _make
from . import functional as F
from .parameter import Parameter

_linear = getattr(F.linear, "__wrapped__", F.linear)


def empty_parameter(shape, dtype):
    return Parameter(_make(np.empty(shape, dtype)))


def check_sizes(name, input_size, hidden_size):
    for label, value in (("input_size", input_size), ("hidden_size", hidden_size)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(
                f"{name}: {label} debe ser un entero, pero es {value!r} (de tipo "
                f"{type(value).__name__}).")
        if value <= 0:
            raise ValueError(f"{name}: {label} debe ser mayor que cero (es {value}).")


def step(mode, projected, state, w_hh, b_hh, w_hr):
    """Un paso de tiempo. ``projected``: ``x_t @ W_ih.T + b_ih`` (ya calculado); ``state``:
    ``(h,)`` o ``(h, c)``. Devuelve el estado nuevo (la salida es su primer elemento)."""
    hidden = _linear(state[0], w_hh, b_hh)
    if mode == "LSTM":
        gates = projected + hidden
        i, f, g, o = gates.chunk(4, 1)
        c = f.sigmoid() * state[1] + i.sigmoid() * g.tanh()
        h = o.sigmoid() * c.tanh()
        if w_hr is not None:
            h = _linear(h, w_hr, None)
        return (h, c)
    if mode == "GRU":
        ir, iz, inew = projected.chunk(3, 1)
        hr, hz, hnew = hidden.chunk(3, 1)
        r = (ir + hr).sigmoid()
        z = (iz + hz).sigmoid()
        n = (inew + r * hnew).tanh()
        return (n + z * (state[0] - n),)
    total = projected + hidden
    return (total.tanh() if mode == "RNN_TANH" else total.relu(),)


def run_layer(mode, layer_input, weights, bias, has_proj, state, batch_sizes, reverse):
    """Una capa en una dirección. ``layer_input``: (T, N, H_in), o los datos de un
    ``PackedSequence`` (suma de longitudes, H_in) con sus ``batch_sizes`` (lista de enteros).
    Devuelve (salida de la capa, estado final)."""
    w_ih, w_hh = weights[0], weights[1]
    b_ih, b_hh = (weights[2], weights[3]) if bias else (None, None)
    w_hr = weights[-1] if has_proj else None
    projected = _linear(layer_input, w_ih, b_ih)   # toda la secuencia de una vez
    if batch_sizes is None:
        steps = projected.unbind(0)
        order = range(len(steps) - 1, -1, -1) if reverse else range(len(steps))
        outputs = [None] * len(steps)
        for t in order:
            state = step(mode, steps[t], state, w_hh, b_hh, w_hr)
            outputs[t] = state[0]
        return stack(outputs, 0), state
    steps = projected.split(batch_sizes, 0)
    if reverse:
        return _packed_reverse(mode, steps, state, batch_sizes, w_hh, b_hh, w_hr)
    return _packed_forward(mode, steps, state, batch_sizes, w_hh, b_hh, w_hr)


def _packed_forward(mode, steps, initial, batch_sizes, w_hh, b_hh, w_hr):
    """Secuencias ordenadas de más larga a más corta: en el paso t solo siguen las
    ``batch_sizes[t]`` primeras; el estado final de las que terminan se guarda al salir."""
    state, current = initial, batch_sizes[0]
    finished, outputs = [], []
    for t, projected in enumerate(steps):
        size = batch_sizes[t]
        if size < current:
            finished.append(tuple(s[size:current] for s in state))
            state = tuple(s[:size] for s in state)
            current = size
        state = step(mode, projected, state, w_hh, b_hh, w_hr)
        outputs.append(state[0])
    finished.append(state)
    finished.reverse()   # de las primeras filas a las últimas
    if len(finished) > 1:
        state = tuple(cat([f[k] for f in finished], 0) for k in range(len(state)))
    return cat(outputs, 0), state


def _packed_reverse(mode, steps, initial, batch_sizes, w_hh, b_hh, w_hr):
    """Del último paso al primero: cada secuencia empieza (con su estado inicial) en su último
    elemento, así que el lote crece hacia atrás."""
    current = batch_sizes[-1]
    state = initial if current == batch_sizes[0] else tuple(s[:current] for s in initial)
    outputs = [None] * len(steps)
    for t in range(len(steps) - 1, -1, -1):
        size = batch_sizes[t]
        if size > current:
            state = tuple(cat([s, h[current:size]], 0) for s, h in zip(state, initial))
            current = size
        state = step(mode, steps[t], state, w_hh, b_hh, w_hr)
        outputs[t] = state[0]
    return cat(outputs, 0), state
