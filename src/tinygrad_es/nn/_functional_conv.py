"""``F.conv1d``, ``F.conv2d``, ``F.conv_transpose1d/2d``, ``F.pad``, ``F.unfold`` y ``F.fold``:
comprueban los argumentos como PyTorch y llaman a las operaciones de ``ops/conv.py``."""
from __future__ import annotations

import math
import numbers

import numpy as np

from .. import _dtypes
from ..ops import conv as cv
from ..ops import padding as pd
from ..tensor import Tensor

_apply = Tensor._apply


def ntuple(value, n, name, fn):
    """``value`` (int o secuencia de ``n`` ints) como tupla de ``n`` ints."""
    if isinstance(value, numbers.Integral):
        return (int(value),) * n
    values = tuple(value)
    if len(values) == 1:
        return values * n
    if len(values) != n or not all(isinstance(v, numbers.Integral) for v in values):
        raise RuntimeError(
            f"{fn}: se esperaba {name} como un entero o una lista de {n} enteros (uno por "
            f"dimensión de la convolución), pero se recibió {name}={list(values)}.")
    return tuple(int(v) for v in values)


def _check_tensor(x, fn, name="input"):
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{fn}(): el argumento '{name}' debe ser un tensor, no {type(x).__name__}. "
            "Conviértelo con torch.tensor(...).")


def batched(input, nd, fn):
    """(input con lote, ¿venía sin lote?): acepta (C, *espacio) o (N, C, *espacio)."""
    if input.ndim == nd + 1:
        return input.unsqueeze(0), True
    if input.ndim != nd + 2:
        raise RuntimeError(
            f"{fn} espera una entrada de {nd + 1} dimensiones (sin lote: C, {_names(nd)}) o "
            f"{nd + 2} (con lote: N, C, {_names(nd)}), pero recibió una de forma "
            f"{list(input.shape)}.")
    return input, False


def _names(nd):
    return ", ".join(("H", "W") if nd == 2 else ("L",) if nd == 1 else ("D", "H", "W")[-nd:])


def same_pads(kernel, dilation):
    """El relleno de ``padding='same'``: el total d·(k-1), con lo que sobra detrás (PyTorch)."""
    pads = []
    for k, d in zip(kernel, dilation):
        total = d * (k - 1)
        pads.append((total // 2, total - total // 2))
    return tuple(pads)


def _check_dtypes(input, weight, bias, fn):
    if input.dtype != weight.dtype or (bias is not None and bias.dtype != weight.dtype):
        other = bias if input.dtype == weight.dtype else input
        what = "el sesgo" if other is bias else "la entrada"
        raise RuntimeError(
            f"{fn}: {what} es {_dtypes.dtype_name(other.dtype)} pero el peso es "
            f"{_dtypes.dtype_name(weight.dtype)}; deben ser del mismo tipo. Convierte con "
            f".float() (o el modelo entero con model.double()).")


def _check_common(fn, stride, padding, dilation, groups):
    if any(s <= 0 for s in stride):
        raise RuntimeError(f"{fn}: el paso (stride) debe ser positivo, pero es {stride}.")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"{fn}: la dilatación debe ser positiva, pero es {dilation}.")
    if any(p < 0 for p in padding):
        raise RuntimeError(f"{fn}: el relleno (padding) no puede ser negativo, pero es "
                           f"{padding}.")
    if groups <= 0:
        raise RuntimeError(f"{fn}: groups debe ser positivo, pero es {groups}.")


def _check_bias(weight, bias, out_channels, fn):
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != out_channels):
        raise RuntimeError(
            f"{fn}: con un peso de forma {list(weight.shape)} el sesgo debe ser 1-D con "
            f"{out_channels} elementos, pero tiene forma {list(bias.shape)}.")


def convnd(nd, fn, input, weight, bias, stride, padding, dilation, groups):
    for name, t in (("input", input), ("weight", weight)):
        _check_tensor(t, fn, name)
    x, unbatched = batched(input, nd, fn)
    if weight.ndim != nd + 2:
        raise RuntimeError(
            f"{fn}: el peso debe tener {nd + 2} dimensiones (salida, entrada/groups, "
            f"{'kernel' if nd == 1 else 'kH, kW'}), pero tiene forma {list(weight.shape)}.")
    stride = ntuple(stride, nd, "stride", fn)
    dilation = ntuple(dilation, nd, "dilation", fn)
    kernel = tuple(weight.shape[2:])
    if isinstance(padding, str):
        if padding == "valid":
            pads = ((0, 0),) * nd
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError(
                    f"{fn}: padding='same' no funciona con stride > 1 (el tamaño de salida no "
                    "puede ser el de la entrada). Usa un relleno numérico.")
            pads = same_pads(kernel, dilation)
        else:
            raise RuntimeError(
                f"{fn}: padding={padding!r} no es válido: usa un entero, una tupla, 'same' o "
                "'valid'.")
    else:
        pads = tuple((p, p) for p in ntuple(padding, nd, "padding", fn))
    _check_common(fn, stride, tuple(p[0] for p in pads), dilation, groups)
    c, o = x.shape[1], weight.shape[0]
    if o % groups:
        raise RuntimeError(
            f"{fn}: con groups={groups} el número de canales de salida (la dimensión 0 del "
            f"peso, {o}) debe ser divisible por {groups}; el peso tiene forma "
            f"{list(weight.shape)}.")
    if c != weight.shape[1] * groups:
        raise RuntimeError(
            f"{fn}: el peso de forma {list(weight.shape)} (groups={groups}) espera una entrada "
            f"con {weight.shape[1] * groups} canales, pero la entrada de forma "
            f"{list(x.shape)} tiene {c}. Revisa in_channels de la capa o la forma de x "
            "(los canales van en la dimensión 1: N, C, ...).")
    _check_bias(weight, bias, o, fn)
    _check_dtypes(x, weight, bias, fn)
    padded = tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[2:], pads))
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    if any(p < s for p, s in zip(padded, span)):
        raise RuntimeError(
            f"{fn}: la entrada rellenada mide {padded} por canal y el kernel (con dilatación) "
            f"{span}: el kernel no puede ser mayor que la entrada. Usa una entrada mayor, un "
            "kernel menor o más relleno.")
    args = (x, weight) if bias is None else (x, weight, bias)
    out = _apply(cv.Conv, *args, stride=stride, pads=pads, dilation=dilation, groups=groups)
    return out.squeeze(0) if unbatched else out


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Convolución 1-D (correlación cruzada) de (N, C, L) con un peso (O, C/groups, k)."""
    return convnd(1, "conv1d", input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None,
           stride: int | tuple[int, int] = 1, padding: str | int | tuple[int, int] = 0,
           dilation: int | tuple[int, int] = 1, groups: int = 1) -> Tensor:
    """Convolución 2-D (correlación cruzada) de (N, C, H, W) con un peso (O, C/groups, kH, kW)."""
    return convnd(2, "conv2d", input, weight, bias, stride, padding, dilation, groups)


def conv_transposend(nd, fn, input, weight, bias, stride, padding, output_padding, groups,
                     dilation, output_size=None):
    for name, t in (("input", input), ("weight", weight)):
        _check_tensor(t, fn, name)
    if isinstance(padding, str):
        raise TypeError(f"{fn}(): padding debe ser un entero o una tupla de enteros, no "
                        f"{padding!r} ('same'/'valid' solo existen en la convolución directa).")
    x, unbatched = batched(input, nd, fn)
    if weight.ndim != nd + 2:
        raise RuntimeError(
            f"{fn}: el peso debe tener {nd + 2} dimensiones (entrada, salida/groups, kernel), "
            f"pero tiene forma {list(weight.shape)}.")
    stride = ntuple(stride, nd, "stride", fn)
    padding = ntuple(padding, nd, "padding", fn)
    dilation = ntuple(dilation, nd, "dilation", fn)
    output_padding = ntuple(output_padding, nd, "output_padding", fn)
    _check_common(fn, stride, padding, dilation, groups)
    kernel = tuple(weight.shape[2:])
    if x.shape[1] != weight.shape[0] or weight.shape[0] % groups:
        raise RuntimeError(
            f"{fn}: el peso de forma {list(weight.shape)} espera una entrada con "
            f"{weight.shape[0]} canales (divisible por groups={groups}), pero la entrada de "
            f"forma {list(x.shape)} tiene {x.shape[1]}.")
    if output_size is not None:   # el output_padding que da ese tamaño (como PyTorch)
        output_size = tuple(output_size)[-nd:]
        base = [(n - 1) * s - 2 * p + d * (k - 1) + 1
                for n, s, p, d, k in zip(x.shape[2:], stride, padding, dilation, kernel)]
        output_padding = tuple(int(want) - b for want, b in zip(output_size, base))
        if any(not 0 <= op < s for op, s in zip(output_padding, stride)):
            raise ValueError(
                f"{fn}: output_size={list(output_size)} no es alcanzable: con esta entrada el "
                f"tamaño debe estar entre {base} y {[b + s - 1 for b, s in zip(base, stride)]}.")
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        raise RuntimeError(
            f"{fn}: output_padding debe ser menor que stride o que dilation, pero es "
            f"output_padding={output_padding} con stride={stride} y dilation={dilation}.")
    spatial = tuple((n - 1) * s - 2 * p + d * (k - 1) + op + 1 for n, s, p, d, k, op in
                    zip(x.shape[2:], stride, padding, dilation, kernel, output_padding))
    if any(n <= 0 for n in spatial):
        raise RuntimeError(
            f"{fn}: el tamaño de salida calculado {spatial} no es positivo: reduce padding.")
    _check_bias(weight, bias, weight.shape[1] * groups, fn)
    _check_dtypes(x, weight, bias, fn)
    args = (x, weight) if bias is None else (x, weight, bias)
    out = _apply(cv.ConvTranspose, *args, stride=stride, pads=tuple((p, p) for p in padding),
                 dilation=dilation, groups=groups, spatial=spatial)
    return out.squeeze(0) if unbatched else out


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Convolución traspuesta 1-D; el peso tiene forma (C, O/groups, k)."""
    return conv_transposend(1, "conv_transpose1d", input, weight, bias, stride, padding,
                            output_padding, groups, dilation)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Convolución traspuesta 2-D; el peso tiene forma (C, O/groups, kH, kW)."""
    return conv_transposend(2, "conv_transpose2d", input, weight, bias, stride, padding,
                            output_padding, groups, dilation)


# --- unfold / fold ----------------------------------------------------------------------------
def _fold_args(kernel_size, dilation, padding, stride, fn):
    args = [ntuple(v, 2, name, fn) for v, name in ((kernel_size, "kernel_size"),
                                                     (dilation, "dilation"),
                                                     (padding, "padding"), (stride, "stride"))]
    kernel, dilation, padding, stride = args
    if any(v <= 0 for v in kernel + dilation + stride) or any(p < 0 for p in padding):
        raise RuntimeError(
            f"{fn}: kernel_size, dilation y stride deben ser positivos y padding no negativo, "
            f"pero se recibió kernel_size={kernel}, dilation={dilation}, padding={padding}, "
            f"stride={stride}.")
    return kernel, dilation, tuple((p, p) for p in padding), stride


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Ventanas deslizantes como columnas: (N, C, H, W) -> (N, C·kH·kW, L)."""
    _check_tensor(input, "unfold")
    if input.ndim not in (3, 4):
        raise RuntimeError(
            f"unfold espera una entrada 3-D (C, H, W) o 4-D (N, C, H, W), pero recibió una de "
            f"forma {list(input.shape)}.")
    kernel, dilation, pads, stride = _fold_args(kernel_size, dilation, padding, stride, "unfold")
    x, unbatched = batched(input, 2, "unfold")
    n, c = x.shape[0], x.shape[1]
    out = tuple(cv.out_size(s, k, st, p, d)
                for s, k, st, p, d in zip(x.shape[2:], kernel, stride, pads, dilation))
    if any(o <= 0 for o in out):
        raise RuntimeError(
            f"unfold: con kernel_size={kernel}, dilation={dilation} y padding="
            f"{tuple(p[0] for p in pads)} no cabe ninguna ventana en la entrada de forma "
            f"{list(input.shape)}.")
    cols = _apply(cv.Im2Col, x, kernel=kernel, stride=stride, pads=pads, dilation=dilation)
    cols = cols.reshape(c * math.prod(kernel), n, math.prod(out)).permute(1, 0, 2)
    return cols.squeeze(0) if unbatched else cols


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Lo contrario de unfold: suma las columnas (N, C·kH·kW, L) en (N, C, *output_size)."""
    _check_tensor(input, "fold")
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"fold espera una entrada 2-D (C·kH·kW, L) o 3-D (N, C·kH·kW, L), pero recibió "
            f"una de forma {list(input.shape)}.")
    spatial = ntuple(output_size, 2, "output_size", "fold")
    kernel, dilation, pads, stride = _fold_args(kernel_size, dilation, padding, stride, "fold")
    x, unbatched = (input.unsqueeze(0), True) if input.ndim == 2 else (input, False)
    n, ck, length = x.shape
    k = math.prod(kernel)
    blocks = tuple(cv.out_size(s, kk, st, p, d)
                   for s, kk, st, p, d in zip(spatial, kernel, stride, pads, dilation))
    if ck % k:
        raise RuntimeError(
            f"fold: la dimensión de columnas ({ck}) debe ser divisible por kH·kW = {k}.")
    if length != math.prod(blocks) or any(b <= 0 for b in blocks):
        raise RuntimeError(
            f"fold: con output_size={spatial}, kernel_size={kernel}, dilation={dilation}, "
            f"padding={tuple(p[0] for p in pads)} y stride={stride} hay "
            f"{' * '.join(map(str, blocks))} = {math.prod(blocks)} ventanas, pero la entrada "
            f"tiene L={length} columnas (su última dimensión).")
    cols = x.permute(1, 0, 2).reshape((ck // k,) + kernel + (n,) + blocks)
    out = _apply(cv.Col2Im, cols, spatial=spatial, kernel=kernel, stride=stride, pads=pads,
                 dilation=dilation)
    return out.squeeze(0) if unbatched else out


# --- pad ----------------------------------------------------------------------------------------
def _index_for(mode, n, lo, hi):
    """Índices de la dimensión rellenada (reflect/replicate/circular) en la original."""
    i = np.arange(-lo, n + hi)
    if mode == "reflect":
        period = 2 * (n - 1)
        i = np.abs(i) % period if period else np.zeros_like(i)
        return np.where(i >= n, period - i, i)
    if mode == "replicate":
        return np.clip(i, 0, n - 1)
    return i % n   # circular


def pad(input, pad, mode="constant", value=None):
    """Rellena las últimas ``len(pad)//2`` dimensiones: ``pad=(izq, der, arriba, abajo, ...)``
    empezando por la última; modos 'constant', 'reflect', 'replicate' y 'circular'."""
    _check_tensor(input, "pad")
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise RuntimeError(f"pad: la lista de relleno debe tener longitud par (dos por "
                           f"dimensión: antes y después), pero tiene {len(pad)}: {list(pad)}.")
    k = len(pad) // 2
    if k > input.ndim:
        raise RuntimeError(f"pad: {list(pad)} rellena {k} dimensiones pero la entrada solo "
                           f"tiene {input.ndim}.")
    if mode == "constant":
        val = 0 if value is None else value
        return _apply(pd.ConstantPad, input, pad=pad, value=val)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(
            f"pad: modo {mode!r} desconocido: usa 'constant', 'reflect', 'replicate' o "
            "'circular'.")
    if value is not None and value != 0:
        raise RuntimeError(f'pad: el modo "{mode}" no admite el argumento value.')
    if not 1 <= k <= 3 or not k + 1 <= input.ndim <= k + 2:
        raise NotImplementedError(
            f"pad: con el modo {mode!r} un relleno de {len(pad)} valores necesita una entrada "
            f"de {k + 1} o {k + 2} dimensiones (sin o con lote), pero tiene {input.ndim} "
            f"(forma {list(input.shape)}). El relleno no constante admite 1, 2 o 3 dimensiones.")
    out = input
    for i in range(k):
        dim = input.ndim - 1 - i
        lo, hi, n = pad[2 * i], pad[2 * i + 1], input.shape[dim]
        if mode == "reflect" and (max(lo, hi) >= n or min(lo, hi) < -n):
            raise RuntimeError(
                f"pad: con 'reflect' el relleno debe ser menor que el tamaño de la dimensión, "
                f"pero es ({lo}, {hi}) en la dimensión {dim} de la entrada de forma "
                f"{list(input.shape)}.")
        if mode == "circular" and (max(lo, hi) > n):
            raise RuntimeError(
                f"pad: con 'circular' el relleno no puede ser mayor que el tamaño de la "
                f"dimensión, pero es ({lo}, {hi}) en la dimensión {dim} de la entrada de forma "
                f"{list(input.shape)}.")
        if lo == 0 and hi == 0:
            continue
        index = _index_for(mode, n, lo, hi)
        out = out[(slice(None),) * dim + (index,)]
    return out
