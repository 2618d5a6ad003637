"""Representación de tensores como la imprime PyTorch (``tensor([1., 2.])``)."""
import numpy as np

from . import _dtypes

_THRESHOLD, _EDGEITEMS, _LINEWIDTH = 1000, 3, 80


def _float_formatter(arr):
    """Elige el formato como PyTorch: entero con punto, 4 decimales o notación científica."""
    finite = arr[np.isfinite(arr)]
    nonzero = np.abs(finite[finite != 0]).astype(np.float64)
    if nonzero.size == 0:
        fmt = "{:.0f}."
        int_mode = True
    else:
        int_mode = bool(np.all(np.ceil(finite) == finite))
        lo, hi = nonzero.min(), nonzero.max()
        sci = hi / lo > 1000.0 or hi > 1e8 or (not int_mode and lo < 1e-4)
        if sci:
            fmt = "{:.4e}"
        elif int_mode:
            fmt = "{:.0f}."
        else:
            fmt = "{:.4f}"

    def one(v):
        if not np.isfinite(v):
            return str(v).replace("inf", "inf")
        return fmt.format(v)

    sample = arr.ravel() if arr.size <= _THRESHOLD else np.concatenate(
        [arr.ravel()[:_EDGEITEMS], arr.ravel()[-_EDGEITEMS:]])
    width = max((len(one(v)) for v in sample), default=1)
    return lambda v: one(v).rjust(width)


def format_tensor(t):
    data = t._data
    dtype = data.dtype
    prefix = "tensor("
    if data.size == 0:
        body = "[]"
    else:
        formatter = {"float_kind": _float_formatter(data)} if dtype.kind == "f" else None
        body = np.array2string(data, separator=", ", prefix=prefix, formatter=formatter,
                               threshold=_THRESHOLD, edgeitems=_EDGEITEMS,
                               max_line_width=_LINEWIDTH)
    suffixes = []
    if data.size == 0 and data.ndim != 1:
        suffixes.append(f"size={tuple(data.shape)}")
    if dtype not in (_dtypes.float32, _dtypes.int64, _dtypes.bool):
        suffixes.append(f"dtype={_dtypes.dtype_name(dtype)}")
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name}Backward0>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    return prefix + body + "".join(", " + s for s in suffixes) + ")"
