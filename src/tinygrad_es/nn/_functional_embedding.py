"""``F.embedding`` y ``F.embedding_bag`` (las reexporta ``nn.functional``): filas de ``weight``
por índice, con ``padding_idx``, ``max_norm`` (renormaliza ``weight`` en su sitio, como
PyTorch) y ``scale_grad_by_freq``; ``embedding_bag`` las reduce por bolsas (suma, media o
máximo) componiendo ``embedding`` con un producto de matrices o un máximo."""
import numpy as np

from .._shape import cat
from ..ops import sparse as sp
from ..tensor import Tensor

__all__ = ["embedding", "embedding_bag"]


def _check_padding_idx(padding_idx, num_embeddings):
    """Como PyTorch: un padding_idx negativo cuenta desde el final; None es -1 (ninguno)."""
    if padding_idx is None:
        return -1
    if padding_idx >= num_embeddings or padding_idx < -num_embeddings:
        raise AssertionError(
            f"padding_idx={padding_idx} debe estar dentro de num_embeddings: entre "
            f"{-num_embeddings} y {num_embeddings - 1}.")
    return padding_idx + num_embeddings if padding_idx < 0 else padding_idx


def _indices(input, num_embeddings):
    if not isinstance(input, Tensor):
        raise TypeError(
            f"embedding espera un tensor de índices, pero recibió {type(input).__name__}. "
            "Conviértelo con torch.tensor(...).")
    idx = input._data
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError(
            f"embedding: los índices deben ser enteros (int64 o int32), pero son "
            f"{input.dtype}. Conviértelos con .long().")
    if idx.size and (idx.min() < 0 or idx.max() >= num_embeddings):
        bad = int(idx.min()) if idx.min() < 0 else int(idx.max())
        raise IndexError(
            f"embedding: índice {bad} fuera de rango; la tabla tiene {num_embeddings} filas "
            f"(índices de 0 a {num_embeddings - 1}).")
    return idx


def embedding_renorm_(weight, idx, max_norm, norm_type):
    """Reescala en su sitio (fuera del grafo) las filas usadas cuya norma pasa de
    ``max_norm`` a norma ``max_norm / (norma + 1e-7)``, como ``torch.embedding_renorm_``."""
    data = weight._data
    rows = np.unique(idx)
    if not rows.size:
        return
    sub = data[rows]
    if norm_type == float("inf"):
        norms = np.abs(sub).max(axis=1)
    elif norm_type == 2:
        norms = np.sqrt((sub * sub).sum(axis=1))
    elif norm_type == 1:
        norms = np.abs(sub).sum(axis=1)
    elif norm_type == 0:
        norms = (sub != 0).sum(axis=1).astype(data.dtype)
    else:
        norms = (np.abs(sub) ** data.dtype.type(norm_type)).sum(axis=1) ** \
            data.dtype.type(1.0 / norm_type)
    over = norms.astype(np.float64) > max_norm
    if over.any():
        scale = (max_norm / (norms[over].astype(np.float64) + 1e-7)).astype(data.dtype)
        data[rows[over]] = sub[over] * scale[:, None]
        weight._bump_version()


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """Las filas ``weight[input]``: la salida tiene forma ``input.shape + (embedding_dim,)``.

    La fila ``padding_idx`` no recibe gradiente. Con ``max_norm``, antes de tomarlas se
    reescalan en ``weight`` (en su sitio) las filas usadas cuya norma ``norm_type`` pasa de
    ``max_norm``.
    """
    if not isinstance(weight, Tensor) or weight._data.ndim != 2:
        shape = tuple(weight.shape) if isinstance(weight, Tensor) else type(weight).__name__
        raise RuntimeError(
            f"embedding: 'weight' debe ser una tabla 2-D (num_embeddings, embedding_dim), pero "
            f"es {shape}.")
    if sparse:
        raise NotImplementedError(
            "embedding(sparse=True) necesita gradientes dispersos, que tinygrad_es no tiene: "
            "usa sparse=False (el gradiente denso da los mismos números).")
    num = weight._data.shape[0]
    padding_idx = _check_padding_idx(padding_idx, num)
    idx = _indices(input, num)
    if max_norm is not None:
        embedding_renorm_(weight, idx, float(max_norm), float(norm_type))
    return Tensor._apply(sp.Embedding, weight, indices=idx, padding_idx=padding_idx,
                         scale_grad_by_freq=bool(scale_grad_by_freq))


def _bags(input, offsets, include_last_offset):
    """Índices planos y la bolsa de cada uno (y cuántas bolsas hay), como PyTorch."""
    idx = input._data
    if idx.ndim == 2:
        if offsets is not None:
            raise ValueError(
                "embedding_bag: con una entrada 2-D (cada fila es una bolsa de la misma "
                "longitud) offsets debe ser None.")
        rows, length = idx.shape
        return input.reshape(-1), np.repeat(np.arange(rows), length), rows
    if idx.ndim != 1:
        raise ValueError(
            f"embedding_bag: la entrada debe ser 1-D (con offsets) o 2-D, pero tiene forma "
            f"{tuple(idx.shape)}.")
    if offsets is None or offsets.dim() != 1:
        raise ValueError("embedding_bag: con una entrada 1-D, offsets debe ser un tensor 1-D "
                         "con el inicio de cada bolsa.")
    starts = offsets._data.astype(np.int64)
    if starts.size and starts[0] != 0:
        raise RuntimeError(
            f"embedding_bag: offsets[0] debe ser 0 (la primera bolsa empieza en la posición "
            f"0), pero es {int(starts[0])}.")
    if starts.size and starts[-1] > idx.size:
        raise RuntimeError(
            f"embedding_bag: offsets[-1] no puede pasar de la longitud de la entrada "
            f"({idx.size}), pero es {int(starts[-1])}.")
    if include_last_offset and (not starts.size or starts[-1] != idx.size):
        # PyTorch no lo comprueba, pero entonces sus modos no coinciden entre sí y el gradiente
        # de 'sum' lee memoria sin inicializar: aquí se pide el uso documentado.
        raise RuntimeError(
            f"embedding_bag(include_last_offset=True): el último offset marca el final de la "
            f"última bolsa y debe ser la longitud de la entrada ({idx.size}), pero es "
            f"{int(starts[-1]) if starts.size else 'inexistente'}.")
    count = starts.size - 1 if include_last_offset else starts.size
    bag = np.searchsorted(starts[:count], np.arange(idx.size), side="right") - 1
    return input, bag, count


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2,
                  scale_grad_by_freq=False, mode="mean", sparse=False, per_sample_weights=None,
                  include_last_offset=False, padding_idx=None):
    """Suma, media o máximo de las filas de ``weight`` de cada bolsa de índices.

    ``input`` 2-D: cada fila es una bolsa. ``input`` 1-D: ``offsets`` dice dónde empieza cada
    bolsa. Los índices ``padding_idx`` no cuentan (tampoco en la media); una bolsa vacía da 0.
    ``per_sample_weights`` (solo con ``mode='sum'``) pondera cada índice.
    """
    if mode not in ("sum", "mean", "max"):
        raise ValueError(f"embedding_bag: mode debe ser 'sum', 'mean' o 'max', no {mode!r}.")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            f"embedding_bag: per_sample_weights solo se admite con mode='sum' (se pidió "
            f"mode={mode!r}).")
    if not isinstance(input, Tensor):
        _indices(input, 0)
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("embedding_bag: el modo 'max' no admite scale_grad_by_freq=True.")
    flat, bag, count = _bags(input, offsets, include_last_offset)
    if per_sample_weights is not None and tuple(per_sample_weights.shape) != tuple(input.shape):
        raise ValueError(
            f"embedding_bag: per_sample_weights debe tener la forma de la entrada "
            f"{tuple(input.shape)}, pero tiene {tuple(per_sample_weights.shape)}.")
    rows = embedding(flat, weight, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse)
    num = weight._data.shape[0]
    keep = bag >= 0
    if padding_idx is not None:
        keep &= flat._data != _check_padding_idx(padding_idx, num)
    dtype = weight._data.dtype
    if mode == "max":
        return _bag_max(rows, bag, keep, count, dtype)
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.reshape(-1, 1)
    matrix = np.zeros((count, bag.size), dtype)
    positions = np.nonzero(keep)[0]
    matrix[bag[positions], positions] = 1
    if mode == "mean":
        sizes = matrix.sum(axis=1, keepdims=True)
        np.divide(matrix, sizes, out=matrix, where=sizes > 0)
    return Tensor._wrap(matrix) @ rows


def _bag_max(rows, bag, keep, count, dtype):
    """Máximo por bolsa: las filas se colocan en (bolsas, longitud máxima, dim) con -inf de
    relleno; una bolsa vacía da 0. El gradiente va al índice del máximo, como PyTorch."""
    positions = np.nonzero(keep)[0]
    members = bag[positions]
    sizes = np.bincount(members, minlength=count)
    longest = max(int(sizes.max()) if sizes.size else 0, 1)
    slot = np.arange(positions.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    table = np.full((count, longest), rows.shape[0], dtype=np.int64)   # la fila de relleno
    table[members, slot] = positions
    filler = Tensor._wrap(np.full((1, rows.shape[1]), -np.inf, dtype))
    padded = cat([rows, filler], 0)[Tensor._wrap(table)]
    out = padded.max(dim=1)[0]
    empty = sizes == 0
    if empty.any():
        out = out.where(Tensor._wrap(~empty[:, None]), Tensor._wrap(np.zeros((), dtype)))
    return out
