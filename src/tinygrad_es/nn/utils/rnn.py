"""``nn.utils.rnn``: rellenar y empaquetar secuencias de longitudes distintas, como PyTorch.

    from tinygrad_es.nn.utils.rnn import pad_sequence, pack_padded_sequence, pad_packed_sequence

``pad_sequence`` junta secuencias de longitudes distintas en un solo tensor con relleno;
``pack_padded_sequence`` las empaqueta (``PackedSequence``) para que ``nn.RNN``/``nn.LSTM``/
``nn.GRU`` no calculen sobre el relleno, y ``pad_packed_sequence`` deshace el empaquetado.
Todas se componen de operaciones con derivada (``cat``, ``stack``, ``index_select``): el
gradiente llega a las secuencias de entrada.
"""
from collections import namedtuple
from collections.abc import Iterable

import numpy as np

from ... import _dtypes
from ..._shape import cat, stack
from ...tensor import Tensor

__all__ = ["PackedSequence", "pad_sequence", "unpad_sequence", "pack_padded_sequence",
           "pad_packed_sequence", "pack_sequence", "unpack_sequence", "invert_permutation"]


def _int64(values):
    return Tensor._wrap(np.asarray(values, dtype=_dtypes.int64))


def invert_permutation(permutation):
    """La permutación inversa (``None`` si recibe ``None``)."""
    if permutation is None:
        return None
    index = np.asarray(permutation._data)
    out = np.empty_like(index)
    out[index] = np.arange(index.size, dtype=index.dtype)
    return Tensor._wrap(out)


class PackedSequence(namedtuple("PackedSequence",
                                ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])):
    """Secuencias empaquetadas: ``data`` tiene los elementos del paso 0 de todas las
    secuencias, luego los del paso 1 de las que siguen, etc.; ``batch_sizes[t]`` dice cuántas
    secuencias siguen en el paso t. No se crea a mano: sale de ``pack_padded_sequence`` o
    ``pack_sequence``.

    Ejemplo::

        >>> from tinygrad_es.nn.utils.rnn import pack_sequence
        >>> p = pack_sequence([torch.tensor([1, 2, 3]), torch.tensor([4, 5])])
        >>> p.data, p.batch_sizes
        (tensor([1, 4, 2, 5, 3]), tensor([2, 2, 1]))
    """

    __slots__ = ()

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:
            if not (isinstance(data, (list, tuple)) and len(data) == 2):
                raise ValueError(
                    "PackedSequence espera (data, batch_sizes): créalo con pack_sequence o "
                    "pack_padded_sequence.")
            data, batch_sizes = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs):
        """``data.to(...)`` (los índices no cambian); sin cambios devuelve el mismo objeto."""
        data = self.data.to(*args, **kwargs)
        return self if data is self.data else type(self)(
            data, self.batch_sizes, self.sorted_indices, self.unsorted_indices)

    def cpu(self, *args, **kwargs):
        return self

    def double(self):
        return self.to(dtype=_dtypes.float64)

    def float(self):
        return self.to(dtype=_dtypes.float32)

    def long(self):
        return self.to(dtype=_dtypes.int64)

    @property
    def is_cuda(self):
        return False

    def is_pinned(self):
        return False


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Junta secuencias de formas (L_i, *) en un tensor (L_max, N, *) (o (N, L_max, *) con
    ``batch_first=True``) rellenando con ``padding_value`` a la derecha (o a la izquierda con
    ``padding_side='left'``). El tipo es el de la primera secuencia.

    Ejemplo::

        >>> a, b = torch.ones(3, 2), torch.ones(1, 2)
        >>> pad_sequence([a, b], batch_first=True).shape
        torch.Size([2, 3, 2])
    """
    if isinstance(sequences, Tensor):
        sequences = sequences.unbind(0)
    if not isinstance(sequences, Iterable):
        raise RuntimeError(
            f"pad_sequence espera una lista de tensores, pero recibió "
            f"{type(sequences).__name__}.")
    sequences = tuple(sequences)
    if not sequences:
        raise RuntimeError("pad_sequence: la lista de secuencias está vacía.")
    if padding_side not in ("left", "right"):
        raise RuntimeError(
            f"pad_sequence: padding_side debe ser 'left' o 'right', pero es {padding_side!r}.")
    for s in sequences:
        if not isinstance(s, Tensor):
            raise TypeError(
                f"pad_sequence espera tensores, pero recibió {type(s).__name__}. Conviértelos "
                "con torch.tensor(...).")
    first = sequences[0]
    dtype, rest = first._data.dtype, tuple(first.shape[1:])
    for index, s in enumerate(sequences):
        if s.dim() == 0 or tuple(s.shape[1:]) != rest:
            raise RuntimeError(
                f"pad_sequence: todas las secuencias deben tener forma (longitud, *{rest}) "
                f"como la primera, pero la {index} tiene forma {tuple(s.shape)}.")
    longest = max(s.shape[0] for s in sequences)
    padded = []
    for s in sequences:
        if s._data.dtype != dtype:
            s = s.to(first.dtype)
        missing = longest - s.shape[0]
        if missing:
            fill = Tensor._wrap(np.full((missing,) + rest, padding_value, dtype=dtype))
            s = cat([s, fill] if padding_side == "right" else [fill, s], 0)
        padded.append(s)
    return stack(padded, 0 if batch_first else 1)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """Lo contrario de ``pad_sequence``: la lista de secuencias sin el relleno.

    (PyTorch traspone ``padded_sequences`` en su sitio si ``batch_first=False``; aquí no se
    modifica la entrada.)"""
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    return [seq[:int(length)] for seq, length in zip(padded_sequences.unbind(0),
                                                      _lengths_list(lengths))]


def _lengths_list(lengths):
    if isinstance(lengths, Tensor):
        return [int(v) for v in lengths._data.reshape(-1).tolist()]
    return [int(v) for v in lengths]


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Empaqueta un lote relleno (T, N, *) (o (N, T, *) con ``batch_first=True``) de
    secuencias con las longitudes ``lengths``. Con ``enforce_sorted=False`` las ordena de más
    larga a más corta (y la red devuelve los estados en el orden original).

    Ejemplo::

        >>> x = torch.randn(4, 2, 3)              # 4 pasos, lote de 2
        >>> p = pack_padded_sequence(x, [4, 2])
        >>> p.batch_sizes
        tensor([2, 2, 1, 1])
    """
    values = _lengths_list(lengths)
    batch_dim = 0 if batch_first else 1
    if input.dim() < 2:
        raise RuntimeError(
            f"pack_padded_sequence: la entrada debe tener al menos 2 dimensiones (tiempo y "
            f"lote), pero tiene forma {tuple(input.shape)}.")
    if len(values) != input.shape[batch_dim]:
        raise RuntimeError(
            f"pack_padded_sequence: hay {len(values)} longitudes, pero el lote tiene "
            f"{input.shape[batch_dim]} secuencias.")
    sorted_indices = None
    if not enforce_sorted:
        order = np.argsort(-np.asarray(values, dtype=np.int64), kind="stable")
        sorted_indices = _int64(order)
        values = [values[i] for i in order]
        input = input.index_select(batch_dim, sorted_indices)
    if values and min(values) <= 0:
        raise RuntimeError(
            "pack_padded_sequence: todas las longitudes deben ser mayores que 0, pero hay una "
            f"que no lo es: {values}.")
    if any(a < b for a, b in zip(values, values[1:])):
        raise RuntimeError(
            f"pack_padded_sequence: con enforce_sorted=True las longitudes deben ir de mayor a "
            f"menor, pero son {values}. Pasa enforce_sorted=False para que se ordenen solas.")
    if batch_first:
        input = input.transpose(0, 1)
    steps, batch = input.shape[0], input.shape[1]
    if values[0] > steps:
        raise RuntimeError(
            f"pack_padded_sequence: hay una longitud ({values[0]}) mayor que el número de "
            f"pasos de la entrada ({steps}).")
    lengths_np = np.asarray(values, dtype=np.int64)
    batch_sizes = (lengths_np[None, :] > np.arange(values[0])[:, None]).sum(1)
    flat = np.concatenate([t * batch + np.arange(b) for t, b in enumerate(batch_sizes)])
    rows = input.reshape((steps * batch,) + tuple(input.shape[2:]))
    data = rows.index_select(0, _int64(flat))
    return PackedSequence(data, _int64(batch_sizes), sorted_indices, None)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Lo contrario de ``pack_padded_sequence``: devuelve ``(relleno, longitudes)`` con las
    secuencias en su orden original.

    Ejemplo::

        >>> x = torch.randn(4, 2, 3)
        >>> salida, h_n = nn.GRU(3, 5)(pack_padded_sequence(x, [4, 2]))
        >>> relleno, longitudes = pad_packed_sequence(salida)
        >>> relleno.shape, longitudes
        (torch.Size([4, 2, 5]), tensor([4, 2]))
    """
    batch_sizes = np.asarray(sequence.batch_sizes._data, dtype=np.int64)
    steps = batch_sizes.size
    if total_length is not None:
        if total_length < steps:
            raise ValueError(
                f"pad_packed_sequence: total_length ({total_length}) no puede ser menor que la "
                f"longitud de la secuencia más larga ({steps}).")
        steps = total_length
    data = sequence.data
    batch = int(batch_sizes[0])
    rest = tuple(data.shape[1:])
    count = data.shape[0]
    # índice de cada (t, b) en los datos; el relleno apunta a una fila extra al final
    position = np.full((steps, batch), count, dtype=np.int64)
    start = 0
    for t, size in enumerate(batch_sizes):
        position[t, :size] = np.arange(start, start + size)
        start += size
    fill = Tensor._wrap(np.full((1,) + rest, padding_value, dtype=data._data.dtype))
    padded = cat([data, fill], 0).index_select(0, _int64(position.reshape(-1)))
    padded = padded.reshape((steps, batch) + rest)
    lengths = (batch_sizes[None, :] > np.arange(batch)[:, None]).sum(1).astype(np.int64)
    if batch_first:
        padded = padded.transpose(0, 1)
    if sequence.unsorted_indices is not None:
        order = sequence.unsorted_indices
        padded = padded.index_select(0 if batch_first else 1, order)
        lengths = lengths[np.asarray(order._data)]
    return padded, _int64(lengths)


def pack_sequence(sequences, enforce_sorted=True):
    """``pack_padded_sequence(pad_sequence(sequences), longitudes)`` en un paso."""
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences):
    """Lo contrario de ``pack_sequence``: la lista de secuencias en su orden original."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)


# --- un nombre de PyTorch que no existe aquí: AttributeError en español (_missing.py) ---
from ..._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr(__name__, globals())
# --- una llamada con argumentos que no encajan: TypeError en español (_arguments.py) ---
from ..._arguments import wrap_namespace as _wrap_namespace  # noqa: E402
_wrap_namespace(globals(), "torch.nn.utils.rnn.")
