"""Representación de tensores exactamente como la imprime PyTorch (``tensor([1., 2.])``).

Sigue el algoritmo de ``torch/_tensor_str.py``: un formateador común para todos los
elementos (entero con punto, 4 decimales o notación científica, con el mismo ancho),
líneas de 80 caracteres y resumen con ``...`` por encima de 1000 elementos.
"""
import math

import numpy as np

from . import _dtypes

_PRECISION, _THRESHOLD, _EDGEITEMS, _LINEWIDTH = 4, 1000, 3, 80


class _Formatter:
    """Decide el estilo y el ancho a partir de los valores que se van a mostrar."""

    def __init__(self, arr):
        self.floating = arr.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.max_width = True, False, 1
        flat = arr.ravel()
        if not self.floating:
            self.max_width = max([1] + [len(str(v)) for v in flat.tolist()])
            return
        values = flat[np.isfinite(flat) & (flat != 0)]
        if values.size == 0:
            return
        magnitudes = np.abs(values).astype(np.float64)
        lo, hi = magnitudes.min(), magnitudes.max()
        self.int_mode = bool(np.all(values == np.ceil(values)))
        self.sci_mode = bool(hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4)
        if self.sci_mode:
            texts = [f"{v:.{_PRECISION}e}" for v in values.tolist()]
        elif self.int_mode:
            texts = [f"{v:.0f}." for v in values.tolist()]
        else:
            texts = [f"{v:.{_PRECISION}f}" for v in values.tolist()]
        self.max_width = max(len(s) for s in texts)

    def format(self, value):
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.max_width}.{_PRECISION}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            if math.isfinite(value):
                text += "."
        else:
            text = f"{value:.{_PRECISION}f}"
        return text.rjust(self.max_width)


def _summarized(arr):
    """Solo los elementos que se muestran (los de los bordes) para calcular el formato."""
    if arr.ndim == 0:
        return arr
    if arr.shape[0] > 2 * _EDGEITEMS:
        rows = list(range(_EDGEITEMS)) + list(range(arr.shape[0] - _EDGEITEMS, arr.shape[0]))
    else:
        rows = range(arr.shape[0])
    if arr.ndim == 1:
        return arr[list(rows)]
    return np.stack([_summarized(arr[i]) for i in rows])


def _vector(arr, indent, summarize, fmt):
    per_line = max(1, math.floor((_LINEWIDTH - indent) / (fmt.max_width + 2)))
    values = arr.tolist()
    if summarize and len(values) > 2 * _EDGEITEMS:
        items = ([fmt.format(v) for v in values[:_EDGEITEMS]] + [" ..."]
                 + [fmt.format(v) for v in values[-_EDGEITEMS:]])
    else:
        items = [fmt.format(v) for v in values]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _body(arr, indent, summarize, fmt):
    if arr.ndim == 0:
        return fmt.format(arr.item())
    if arr.ndim == 1:
        return _vector(arr, indent, summarize, fmt)
    n = arr.shape[0]
    if summarize and n > 2 * _EDGEITEMS:
        parts = ([_body(arr[i], indent + 1, summarize, fmt) for i in range(_EDGEITEMS)] + ["..."]
                 + [_body(arr[i], indent + 1, summarize, fmt) for i in range(n - _EDGEITEMS, n)])
    else:
        parts = [_body(arr[i], indent + 1, summarize, fmt) for i in range(n)]
    return "[" + ("," + "\n" * (arr.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _add_suffixes(text, suffixes, indent):
    """Añade ``dtype=...``, ``grad_fn=...``; pasa a otra línea si no caben en 80 columnas."""
    pieces = [text]
    last_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_len + len(suffix) + 2 > _LINEWIDTH:
            pieces.append(",\n" + " " * indent + suffix)
            last_len = indent + len(suffix)
        else:
            pieces.append(", " + suffix)
            last_len += len(suffix) + 2
    return "".join(pieces) + ")"


def format_tensor(t, prefix="tensor("):
    data = t._data
    dtype = data.dtype
    indent = len(prefix)
    suffixes = []
    if data.size == 0:
        body = "[]"
        if data.ndim != 1:
            suffixes.append(f"size={tuple(data.shape)}")
        if dtype != _dtypes.default_float:
            suffixes.append(f"dtype={_dtypes.dtype_name(dtype)}")
    else:
        summarize = data.size > _THRESHOLD
        fmt = _Formatter(_summarized(data) if summarize else data)
        body = _body(data, indent, summarize, fmt)
        if dtype not in (_dtypes.default_float, _dtypes.int64, _dtypes.bool):
            suffixes.append(f"dtype={_dtypes.dtype_name(dtype)}")
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
