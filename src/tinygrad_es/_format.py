"""Representación de tensores exactamente como la imprime PyTorch (``tensor([1., 2.])``).

Sigue el algoritmo de ``torch/_tensor_str.py``: un formateador común para todos los
elementos (entero con punto, ``precision`` decimales o notación científica, con el mismo
ancho), líneas de ``linewidth`` caracteres y resumen con ``...`` por encima de ``threshold``
elementos (``edgeitems`` a cada lado). Las opciones se cambian con ``set_printoptions``.
"""
import contextlib
import math

import numpy as np

from . import _dtypes


class _PrintOptions:
    """Opciones de impresión actuales (las de ``torch._tensor_str.PRINT_OPTS``)."""

    def __init__(self):
        self.precision = 4
        self.threshold = 1000
        self.edgeitems = 3
        self.linewidth = 80
        self.sci_mode = None


PRINT_OPTS = _PrintOptions()

_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """Opciones de impresión de los tensores (como ``torch.set_printoptions``).

    - ``precision``: decimales de los números de punto flotante (4).
    - ``threshold``: con más elementos que este número se resume con ``...`` (1000).
    - ``edgeitems``: elementos que se muestran a cada lado de ``...`` en cada dimensión (3).
    - ``linewidth``: caracteres por línea (80).
    - ``profile``: ``'default'``, ``'short'`` (2 decimales, 2 elementos a cada lado) o
      ``'full'`` (sin resumir nunca); las demás opciones que se pasen lo modifican.
    - ``sci_mode``: True fuerza la notación científica, False la prohíbe y None (lo que se usa
      si no se pasa, también al cambiar otra opción) la elige según los valores.
    """
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(
                f"profile={profile!r} no es un perfil de impresión: usa 'default', 'short' o "
                "'full'.")
        for key, value in _PROFILES[profile].items():
            setattr(PRINT_OPTS, key, value)
    for key, value in (("precision", precision), ("threshold", threshold),
                       ("edgeitems", edgeitems), ("linewidth", linewidth)):
        if value is not None:
            setattr(PRINT_OPTS, key, value)
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions():
    """Las opciones actuales, como diccionario que acepta ``set_printoptions(**opciones)``."""
    return {"precision": PRINT_OPTS.precision, "threshold": PRINT_OPTS.threshold,
            "edgeitems": PRINT_OPTS.edgeitems, "linewidth": PRINT_OPTS.linewidth,
            "sci_mode": PRINT_OPTS.sci_mode}


@contextlib.contextmanager
def printoptions(**kwargs):
    """Cambia las opciones de impresión solo dentro de un bloque ``with``."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


class _Formatter:
    """Decide el estilo y el ancho a partir de los valores que se van a mostrar."""

    def __init__(self, arr):
        self.floating = arr.dtype.kind == "f"
        self.precision = PRINT_OPTS.precision
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
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = bool(hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4)
        else:
            self.sci_mode = bool(PRINT_OPTS.sci_mode)
        p = self.precision
        if self.sci_mode:
            texts = [f"{v:.{p}e}" for v in values.tolist()]
        elif self.int_mode:
            texts = [f"{v:.0f}." for v in values.tolist()]
        else:
            texts = [f"{v:.{p}f}" for v in values.tolist()]
        self.max_width = max(len(s) for s in texts)

    def format(self, value):
        p = self.precision
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.max_width}.{p}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            if math.isfinite(value):
                text += "."
        else:
            text = f"{value:.{p}f}"
        return text.rjust(self.max_width)


def _summarized(arr, edge):
    """Solo los elementos que se muestran (los de los bordes) para calcular el formato."""
    if arr.ndim == 0:
        return arr
    if arr.ndim == 1:
        if arr.shape[0] > 2 * edge:   # con edge = 0, arr[-0:] es todo (como en PyTorch)
            return np.concatenate((arr[:edge], arr[-edge:]))
        return arr
    if not edge:
        return arr[(slice(0, 0),) * arr.ndim]
    if arr.shape[0] > 2 * edge:
        rows = list(range(edge)) + list(range(arr.shape[0] - edge, arr.shape[0]))
    else:
        rows = range(arr.shape[0])
    return np.stack([_summarized(arr[i], edge) for i in rows])


def _vector(arr, indent, summarize, fmt):
    edge = PRINT_OPTS.edgeitems
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / (fmt.max_width + 2)))
    values = arr.tolist()
    if summarize and not edge:
        items = ["..."]
    elif summarize and len(values) > 2 * edge:
        items = ([fmt.format(v) for v in values[:edge]] + [" ..."]
                 + [fmt.format(v) for v in values[-edge:]])
    else:
        items = [fmt.format(v) for v in values]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _body(arr, indent, summarize, fmt):
    if arr.ndim == 0:
        return fmt.format(arr.item())
    if arr.ndim == 1:
        return _vector(arr, indent, summarize, fmt)
    n, edge = arr.shape[0], PRINT_OPTS.edgeitems
    if summarize and n > 2 * edge:
        parts = ([_body(arr[i], indent + 1, summarize, fmt) for i in range(edge)] + ["..."]
                 + [_body(arr[i], indent + 1, summarize, fmt) for i in range(n - edge, n)])
    else:
        parts = [_body(arr[i], indent + 1, summarize, fmt) for i in range(n)]
    return "[" + ("," + "\n" * (arr.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _add_suffixes(text, suffixes, indent):
    """Añade ``dtype=...``, ``grad_fn=...``; pasa a otra línea si no caben en ``linewidth``."""
    pieces = [text]
    last_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
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
        summarize = data.size > PRINT_OPTS.threshold
        fmt = _Formatter(_summarized(data, PRINT_OPTS.edgeitems) if summarize else data)
        body = _body(data, indent, summarize, fmt)
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(data.shape)}")
        if dtype not in (_dtypes.default_float, _dtypes.int64, _dtypes.bool):
            suffixes.append(f"dtype={_dtypes.dtype_name(dtype)}")
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
