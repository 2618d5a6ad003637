"""``F.embedding`` (la reexporta ``nn.functional``): filas de ``weight`` por índice, con
``padding_idx``, ``max_norm`` (renormaliza ``weight`` en su sitio, como PyTorch) y
``scale_grad_by_freq``."""
import numpy as np

from ..ops import sparse as sp
from ..tensor import Tensor

__all__ = ["embedding"]


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
