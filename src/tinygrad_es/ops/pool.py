"""Pooling sin bucles sobre píxeles.

- Máximo: la posición del máximo de cada ventana se busca aparte (sin gradiente, como
  PyTorch: el primero de los empatados, el último NaN); ``WindowSelect`` toma esos elementos
  y su adjunta ``WindowPut`` devuelve el gradiente a ellos (sumando si las ventanas se solapan
  y un elemento es el máximo de varias), con un bucle sobre las posiciones del kernel.
- Máximo adaptativo (ventanas de tamaños distintos): ``PlaneGather`` toma los elementos por
  su índice plano de PyTorch (h·W + w) y su adjunta ``PlaneScatter`` devuelve el gradiente.
- Media: ``WindowSum`` suma cada ventana y divide por su divisor (un bucle sobre las
  posiciones del kernel: cada paso suma una vista con saltos del tensor entero); su adjunta
  ``WindowSpread`` reparte el gradiente por las ventanas.
"""
import itertools
import math

import numpy as np

from .base import Op


def window_slices(kk, geometry):
    """Cortes de la entrada rellenada que ve la posición ``kk`` del kernel en cada ventana."""
    _, stride, _, dilation, out = geometry
    return (Ellipsis,) + tuple(slice(i * d, i * d + s * (o - 1) + 1, s)
                               for i, d, s, o in zip(kk, dilation, stride, out))


def padded_shape(shape, geometry):
    """La forma de la entrada con el relleno de ``geometry`` (pares (antes, después))."""
    pads = geometry[2]
    nd = len(pads)
    return tuple(shape[:-nd]) + tuple(n + lo + hi for n, (lo, hi) in zip(shape[-nd:], pads))


def inner(shape, geometry):
    """Los cortes que devuelven, de la forma rellenada, la zona de la entrada original."""
    pads = geometry[2]
    return (Ellipsis,) + tuple(slice(lo, lo + n) for n, (lo, _) in zip(shape[-len(pads):], pads))


# --- máximo: tomar y devolver por índice plano ----------------------------------------------
def _flat(a, nd):
    return a.reshape(a.shape[:-nd] + (-1,)) if nd != 1 else a


def plane_gather_array(x, indices, nd):
    out = np.take_along_axis(_flat(x, nd), _flat(indices, nd), axis=-1)
    return out.reshape(indices.shape)


def plane_scatter_array(grad, indices, shape, nd, unique):
    plane = int(math.prod(shape[-nd:]))
    out = np.zeros(tuple(shape[:-nd]) + (plane,), dtype=grad.dtype)
    idx, g = _flat(indices, nd), _flat(grad, nd)
    if unique:   # ventanas sin solape: cada elemento recibe de una sola ventana
        np.put_along_axis(out, idx, g, axis=-1)
    else:
        lead = np.indices(idx.shape[:-1], sparse=True)
        np.add.at(out, tuple(i[..., None] for i in lead) + (idx,), g)
    return out.reshape(shape)


def plane_scatter(grad, indices, shape, nd, unique):
    if hasattr(grad, "_data"):
        return grad._apply(PlaneScatter, grad, indices=indices, shape=shape, nd=nd, unique=unique)
    return plane_scatter_array(grad, indices, shape, nd, unique)


def plane_gather(x, indices, nd, unique):
    if hasattr(x, "_data"):
        return x._apply(PlaneGather, x, indices=indices, nd=nd, unique=unique)
    return plane_gather_array(x, indices, nd)


class PlaneGather(Op):
    """Toma de cada plano (N, C) los elementos de ``indices`` (índices planos de PyTorch).

    ``values`` (opcional) es el resultado ya calculado al buscar los máximos.
    """

    rule = "devuelve el gradiente al elemento elegido de cada ventana (ceros en el resto)"
    rule_latex = r"\text{devuelve el gradiente al elemento elegido de cada ventana}"

    @staticmethod
    def torch_name(node):   # MaxPool2DWithIndicesBackward0, AdaptiveMaxPool2DBackward0...
        return node.label or "MaxPoolBackward0"

    @staticmethod
    def forward(ctx, x, indices=None, nd=2, unique=False, values=None, label=None):
        ctx.indices, ctx.nd, ctx.unique = indices, nd, unique
        ctx.in_shape, ctx.label = x.shape, label
        return plane_gather_array(x, indices, nd) if values is None else values

    @staticmethod
    def backward(ctx, grad):
        return plane_scatter(grad, ctx.indices, ctx.in_shape, ctx.nd, ctx.unique)


class PlaneScatter(Op):
    """Adjunta de ``PlaneGather``: ceros con ``grad`` sumado en los índices planos."""

    torch_name = "MaxPoolBackwardBackward0"
    rule = "toma el gradiente de los elementos elegidos"
    rule_latex = r"\text{toma el gradiente de los elementos elegidos}"

    @staticmethod
    def forward(ctx, grad, indices=None, shape=None, nd=2, unique=False):
        ctx.indices, ctx.nd, ctx.unique = indices, nd, unique
        return plane_scatter_array(grad, indices, shape, nd, unique)

    @staticmethod
    def backward(ctx, grad):
        return plane_gather(grad, ctx.indices, ctx.nd, ctx.unique)


def torch_argmax(windows):
    """Índice del máximo en el último eje como PyTorch: el primero si hay empate y, si hay
    algún NaN, el último NaN (PyTorch actualiza con ``v > max or isnan(v)``)."""
    arg = windows.argmax(axis=-1)
    nan = np.isnan(windows)
    if nan.any():
        has = nan.any(axis=-1)
        last = windows.shape[-1] - 1 - nan[..., ::-1].argmax(axis=-1)
        arg = np.where(has, last, arg)
    return arg


def window_argmax(xp, geometry):
    """(máximo, posición en el kernel) de cada ventana de ``xp`` (ya rellenada), con un bucle
    sobre las posiciones del kernel: cada paso compara una vista con saltos del tensor entero
    (solo operaciones vectoriales; las escrituras con máscara de NumPy son mucho más lentas).
    Como PyTorch: con empates, la primera posición; si hay NaN, el último NaN."""
    positions = list(itertools.product(*(range(k) for k in geometry[0])))
    best = xp[window_slices(positions[0], geometry)].copy()
    arg = np.zeros(best.shape, dtype=np.int32)
    mask = np.empty(best.shape, dtype=bool)
    step = np.empty(best.shape, dtype=np.int32)
    for i, kk in enumerate(positions[1:], 1):
        part = xp[window_slices(kk, geometry)]
        np.greater(part, best, out=mask)
        np.maximum(best, part, out=best)
        np.subtract(i, arg, out=step)          # arg = i donde mask, sin escritura con máscara
        np.multiply(step, mask, out=step)
        arg += step
    if xp.dtype.kind == "f" and np.isnan(xp).any():
        for i, kk in enumerate(positions):
            nan = np.isnan(xp[window_slices(kk, geometry)])
            arg[nan] = i
    return best, arg


def _selected(arg, i, grad):
    """``grad`` donde la ventana eligió la posición ``i`` del kernel, 0 en el resto (con
    ``where``: grad·máscara daría NaN con un gradiente infinito; y sin mirar los valores, así
    tinygrad_es.compile la repite con solo NumPy)."""
    return np.where(arg == i, grad, 0)


def window_put_array(grad, arg, geometry, shape):
    """Adjunta de tomar el elemento elegido de cada ventana: cada gradiente va a su elemento
    (sumando si las ventanas se solapan), con un bucle sobre las posiciones del kernel."""
    buf = np.zeros(padded_shape(shape, geometry), dtype=grad.dtype)
    for i, kk in enumerate(itertools.product(*(range(k) for k in geometry[0]))):
        buf[window_slices(kk, geometry)] += _selected(arg, i, grad)
    return buf[inner(shape, geometry)]


def window_take_array(x, arg, geometry):
    """El elemento elegido (posición ``arg`` del kernel) de cada ventana de ``x``."""
    xp = np.zeros(padded_shape(x.shape, geometry), dtype=x.dtype)
    xp[inner(x.shape, geometry)] = x
    out = np.zeros(arg.shape, dtype=x.dtype)
    for i, kk in enumerate(itertools.product(*(range(k) for k in geometry[0]))):
        out = np.where(arg == i, xp[window_slices(kk, geometry)], out)
    return out


class WindowSelect(Op):
    """El máximo de cada ventana (``max_pool``): toma el elemento que eligió ``arg`` (su
    posición en el kernel); ``values`` es el resultado, ya calculado al buscar los máximos."""

    rule = "devuelve el gradiente al máximo de cada ventana (ceros en el resto)"
    rule_latex = r"\text{devuelve el gradiente al máximo de cada ventana}"

    @staticmethod
    def torch_name(node):
        return node.label or "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, arg=None, geometry=None, values=None, label=None):
        ctx.arg, ctx.geometry, ctx.in_shape, ctx.label = arg, geometry, x.shape, label
        return window_take_array(x, arg, geometry) if values is None else values

    @staticmethod
    def backward(ctx, grad):
        if hasattr(grad, "_data"):
            return grad._apply(WindowPut, grad, arg=ctx.arg, geometry=ctx.geometry,
                               shape=ctx.in_shape)
        return window_put_array(grad, ctx.arg, ctx.geometry, ctx.in_shape)


class WindowPut(Op):
    """Adjunta de ``WindowSelect``: ceros con cada gradiente en el elemento elegido."""

    torch_name = "MaxPool2DWithIndicesBackwardBackward0"
    rule = "toma el gradiente del elemento elegido de cada ventana"
    rule_latex = r"\text{toma el gradiente del elemento elegido de cada ventana}"

    @staticmethod
    def forward(ctx, grad, arg=None, geometry=None, shape=None):
        ctx.arg, ctx.geometry = arg, geometry
        return window_put_array(grad, arg, geometry, shape)

    @staticmethod
    def backward(ctx, grad):
        if hasattr(grad, "_data"):
            return grad._apply(WindowSelect, grad, arg=ctx.arg, geometry=ctx.geometry)
        return window_take_array(grad, ctx.arg, ctx.geometry)


# --- media: sumar y repartir por ventanas ---------------------------------------------------
def window_sum_array(x, geometry, divisor):
    kernel = geometry[0]
    pads = geometry[2]
    xp = x
    if any(lo or hi for lo, hi in pads):
        xp = np.zeros(padded_shape(x.shape, geometry), dtype=x.dtype)
        xp[inner(x.shape, geometry)] = x
    out = None
    for kk in itertools.product(*(range(k) for k in kernel)):
        part = xp[window_slices(kk, geometry)]
        if out is None:
            out = part.copy()
        else:
            out += part
    if out.dtype.kind == "f":
        out /= divisor
    else:   # enteros: división truncada hacia cero, como PyTorch
        out = np.sign(out) * (np.abs(out) // divisor)
    return out


def window_spread_array(grad, geometry, divisor, shape):
    kernel = geometry[0]
    buf = np.zeros(padded_shape(shape, geometry), dtype=grad.dtype)
    g = grad / divisor
    for kk in itertools.product(*(range(k) for k in kernel)):
        buf[window_slices(kk, geometry)] += g
    return buf[inner(shape, geometry)]


class WindowSum(Op):
    """Suma de cada ventana dividida por su divisor (``avg_pool``): ``divisor`` se difunde
    sobre las posiciones de salida (cuenta con o sin relleno, o ``divisor_override``)."""

    rule = "reparte el gradiente de cada ventana entre sus elementos (÷ divisor)"
    rule_latex = r"\text{reparte el gradiente de cada ventana entre sus elementos } (\div d)"

    @staticmethod
    def torch_name(node):
        return node.label or "AvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, geometry=None, divisor=1, label=None):
        ctx.geometry, ctx.divisor, ctx.in_shape, ctx.label = geometry, divisor, x.shape, label
        return window_sum_array(x, geometry, divisor)

    @staticmethod
    def backward(ctx, grad):
        if hasattr(grad, "_data"):
            return grad._apply(WindowSpread, grad, geometry=ctx.geometry, divisor=ctx.divisor,
                               shape=ctx.in_shape)
        return window_spread_array(grad, ctx.geometry, ctx.divisor, ctx.in_shape)


class WindowSpread(Op):
    """Adjunta de ``WindowSum``: reparte cada valor (÷ divisor) por los elementos de su ventana."""

    torch_name = "AvgPool2DBackwardBackward0"
    rule = "suma el gradiente de cada ventana (÷ divisor)"
    rule_latex = r"\text{suma el gradiente de cada ventana } (\div d)"

    @staticmethod
    def forward(ctx, grad, geometry=None, divisor=1, shape=None):
        ctx.geometry, ctx.divisor = geometry, divisor
        return window_spread_array(grad, geometry, divisor, shape)

    @staticmethod
    def backward(ctx, grad):
        if hasattr(grad, "_data"):
            return grad._apply(WindowSum, grad, geometry=ctx.geometry, divisor=ctx.divisor)
        return window_sum_array(grad, ctx.geometry, ctx.divisor)
