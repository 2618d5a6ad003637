"""``F.scaled_dot_product_attention`` por composición (la reexporta ``nn.functional``).

``softmax(Q·Kᵀ·escala + sesgo) · V``, con las mismas reglas que PyTorch: una máscara booleana
dice qué posiciones pueden atenderse (False -> -inf), una de punto flotante se suma;
``is_causal`` impide atender a posiciones futuras; una fila sin ninguna posición permitida da
0 (no nan); ``enable_gqa`` reparte cada cabeza de K/V entre varias de Q.
Al ser una composición, sus gradientes (y segundas derivadas) salen solos.
"""
import math

import numpy as np

from .._math import where
from ..tensor import Tensor
from ._functional_dropout import dropout_noise

__all__ = ["scaled_dot_product_attention"]


def _check(query, key, value, attn_mask, is_causal):
    for name, t in (("query", query), ("key", key), ("value", value)):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"scaled_dot_product_attention: {name} debe ser un tensor, pero es "
                f"{type(t).__name__}.")
    dtypes = {query._data.dtype, key._data.dtype, value._data.dtype}
    if len(dtypes) != 1:
        raise RuntimeError(
            "scaled_dot_product_attention: query, key y value deben tener el mismo tipo, pero "
            f"son {query.dtype}, {key.dtype} y {value.dtype}.")
    if query._data.dtype.kind != "f":
        raise RuntimeError(
            f"scaled_dot_product_attention necesita tensores de punto flotante (son "
            f"{query.dtype}).")
    if attn_mask is not None:
        if is_causal:
            raise RuntimeError(
                "scaled_dot_product_attention: no se puede dar attn_mask junto con "
                "is_causal=True; usa una de las dos (o incluye la causalidad en la máscara).")
        kind = attn_mask._data.dtype
        if kind != np.bool_ and kind != query._data.dtype:
            raise RuntimeError(
                "scaled_dot_product_attention: attn_mask debe ser bool o del mismo tipo que "
                f"query ({query.dtype}), pero es {attn_mask.dtype}.")
    if query.shape[-1] != key.shape[-1]:
        raise RuntimeError(
            f"scaled_dot_product_attention: query y key deben tener la misma última dimensión "
            f"(E), pero query tiene forma {tuple(query.shape)} y key {tuple(key.shape)}.")
    if key.shape[-2] != value.shape[-2]:
        raise RuntimeError(
            f"scaled_dot_product_attention: key y value deben tener la misma longitud S "
            f"(penúltima dimensión), pero key tiene forma {tuple(key.shape)} y value "
            f"{tuple(value.shape)}.")


def _repeat_heads(t, heads, name):
    """Como ``t.repeat_interleave(heads // t.size(-3), -3)`` (enable_gqa)."""
    have = t.shape[-3]
    if heads % have:
        raise RuntimeError(
            f"scaled_dot_product_attention(enable_gqa=True): el número de cabezas de {name} "
            f"({have}) debe dividir al de query ({heads}).")
    if have == heads:
        return t
    shape = tuple(t.shape)
    rep = heads // have
    big = shape[:-3] + (have, rep) + shape[-2:]
    return t.unsqueeze(-3).expand(*big).reshape(*(shape[:-3] + (heads,) + shape[-2:]))


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    """Atención: ``softmax(query @ key.T * scale + máscara) @ value``.

    ``query`` (..., L, E), ``key`` (..., S, E), ``value`` (..., S, Ev) -> (..., L, Ev).
    ``scale`` por defecto 1/sqrt(E). ``attn_mask``: bool (True = se puede atender) o de
    punto flotante (se suma). ``dropout_p`` se aplica a los pesos de atención (siempre, como
    PyTorch: pasa 0.0 en evaluación).
    """
    _check(query, key, value, attn_mask, is_causal)
    if enable_gqa and query.dim() >= 3:
        key = _repeat_heads(key, query.shape[-3], "key")
        value = _repeat_heads(value, query.shape[-3], "value")
    dtype = query._data.dtype
    length, source = query.shape[-2], key.shape[-2]
    factor = 1.0 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    scores = (query @ key.transpose(-2, -1)) * factor
    allowed = None   # posiciones permitidas (constante), si hay máscara booleana o causal
    if is_causal:
        allowed = np.tril(np.ones((length, source), dtype=bool))
    elif attn_mask is not None and attn_mask._data.dtype == np.bool_:
        allowed = attn_mask._data
    if allowed is not None:
        bias = np.where(allowed, dtype.type(0), dtype.type(-np.inf))
        scores = scores + Tensor._wrap(bias)
    elif attn_mask is not None:
        scores = scores + attn_mask
    data = scores._data
    empty = np.isneginf(data).all(axis=-1, keepdims=True) if data.shape[-1] else None
    if empty is not None and empty.any():
        # Fila sin ninguna posición permitida: PyTorch da 0 (softmax "segura"), sin nan.
        scores = where(Tensor._wrap(np.broadcast_to(empty, data.shape)),
                       Tensor._wrap(np.zeros((), dtype)), scores)
        weights = where(Tensor._wrap(np.broadcast_to(empty, data.shape)),
                        Tensor._wrap(np.zeros((), dtype)), scores.softmax(-1))
    else:
        weights = scores.softmax(-1)
    if dropout_p > 0.0:
        weights = weights * Tensor._wrap(dropout_noise(tuple(weights.shape), dropout_p, dtype))
    return weights @ value
