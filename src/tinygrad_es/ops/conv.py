"""Convoluciones N-d (1-D, 2-D...) como im2col + UNA multiplicación de matrices por capa.

La entrada (N, C, *espacio) se ve como ventanas con ``as_strided`` (sin copiar) y se copia una
vez a la matriz de columnas ``cols`` de forma (C, *kernel, N, *salida): cada columna es una
ventana aplanada. Entonces

    conv(x, W) = W (O, C·K) @ cols (C·K, N·L)           (por grupos: un matmul por lotes)

El backward es el mismo cálculo al revés: ∂W = G @ colsᵀ y ∂x = col2im(Wᵀ @ G), donde
``col2im`` suma cada columna de vuelta en su ventana con un bucle sobre las posiciones del
kernel (nunca sobre píxeles). ``Im2Col`` y ``Col2Im`` son adjuntas una de otra, y el backward
de ``Conv``/``ConvTranspose`` se escribe con ellas y con funciones de NumPy que, con
``create_graph=True``, reciben Tensores y quedan en el grafo: las segundas derivadas salen
solas.

``padding`` llega aquí como pares (antes, después) por dimensión, con ceros (los otros modos
de relleno se aplican antes con ``F.pad``).
"""
import itertools
import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import _threads as blas
from .base import Op


# --- geometría y las dos adjuntas: im2col / col2im ------------------------------------------
def out_size(size, k, s, pad, d):
    """Posiciones de salida de una dimensión: ventanas de ``k`` (dilatación ``d``) cada ``s``."""
    return (size + pad[0] + pad[1] - d * (k - 1) - 1) // s + 1


def _pad_zeros(x, pads):
    """``x`` (N, C, *espacio) con ceros alrededor (pares (antes, después) por dimensión)."""
    if not any(lo or hi for lo, hi in pads):
        return x
    shape = x.shape[:2] + tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[2:], pads))
    out = np.zeros(shape, dtype=x.dtype)
    out[(slice(None), slice(None)) + tuple(slice(lo, lo + n)
                                           for n, (lo, _) in zip(x.shape[2:], pads))] = x
    return out


def im2col_array(x, kernel, stride, pads, dilation):
    """Columnas (C, *kernel, N, *salida) de ``x`` (N, C, *espacio): una copia de una vista."""
    xp = _pad_zeros(x, pads)
    out = tuple(out_size(n, k, s, p, d)
                for n, k, s, p, d in zip(x.shape[2:], kernel, stride, pads, dilation))
    sn, sc, *ss = xp.strides
    shape = (xp.shape[1],) + tuple(kernel) + (xp.shape[0],) + out
    strides = ((sc,) + tuple(a * d for a, d in zip(ss, dilation)) + (sn,)
               + tuple(a * s for a, s in zip(ss, stride)))
    view = as_strided(xp, shape, strides, writeable=False)
    cols = np.empty(shape, dtype=x.dtype)
    np.copyto(cols, view)
    return cols


def col2im_array(cols, spatial, kernel, stride, pads, dilation):
    """Adjunta de ``im2col_array``: suma cada columna en su ventana de un (N, C, *spatial).

    Se suma en un búfer (C, N, *espacio), con el orden de ejes de ``cols``: cada suma lee y
    escribe filas contiguas (30 % menos que sumar en (N, C, ...) con los ejes cruzados); el
    resultado es la vista (N, C, ...) de ese búfer."""
    nd = len(kernel)
    c, n = cols.shape[0], cols.shape[1 + nd]
    out = cols.shape[2 + nd:]
    padded = tuple(s + lo + hi for s, (lo, hi) in zip(spatial, pads))
    buf = np.zeros((c, n) + padded, dtype=cols.dtype)
    lead = (slice(None), slice(None))
    for kk in itertools.product(*(range(k) for k in kernel)):   # posiciones del kernel
        window = tuple(slice(i * d, i * d + s * (o - 1) + 1, s)
                       for i, d, s, o in zip(kk, dilation, stride, out))
        buf[lead + window] += cols[(slice(None),) + kk]
    buf = np.swapaxes(buf, 0, 1)
    if not any(lo or hi for lo, hi in pads):
        return buf
    return buf[lead + tuple(slice(lo, lo + s) for s, (lo, _) in zip(spatial, pads))]


def im2col(x, kernel, stride, pads, dilation):
    """``im2col_array`` también sobre un Tensor (entonces es la operación ``Im2Col``)."""
    if hasattr(x, "_data"):
        return x._apply(Im2Col, x, kernel=kernel, stride=stride, pads=pads, dilation=dilation)
    return im2col_array(x, kernel, stride, pads, dilation)


def col2im(cols, spatial, kernel, stride, pads, dilation):
    """``col2im_array`` también sobre un Tensor (entonces es la operación ``Col2Im``)."""
    if hasattr(cols, "_data"):
        return cols._apply(Col2Im, cols, spatial=spatial, kernel=kernel, stride=stride,
                           pads=pads, dilation=dilation)
    return col2im_array(cols, spatial, kernel, stride, pads, dilation)


class Im2Col(Op):
    """Copia las ventanas de la entrada como columnas (la usan ``F.unfold`` y el backward)."""

    torch_name = "Im2ColBackward0"
    rule = "suma cada columna del gradiente en su ventana (col2im)"
    rule_latex = r"\text{suma cada columna del gradiente en su ventana (col2im)}"

    @staticmethod
    def forward(ctx, x, kernel=(1,), stride=(1,), pads=((0, 0),), dilation=(1,)):
        ctx.args = (x.shape[2:], kernel, stride, pads, dilation)
        return im2col_array(x, kernel, stride, pads, dilation)

    @staticmethod
    def backward(ctx, grad):
        return col2im(grad, *ctx.args)


class Col2Im(Op):
    """Suma columnas en sus ventanas (la usan ``F.fold``, la traspuesta y el backward)."""

    torch_name = "Col2ImBackward0"
    rule = "toma las ventanas del gradiente como columnas (im2col)"
    rule_latex = r"\text{toma las ventanas del gradiente como columnas (im2col)}"

    @staticmethod
    def forward(ctx, cols, spatial=(1,), kernel=(1,), stride=(1,), pads=((0, 0),),
                dilation=(1,)):
        ctx.args = (kernel, stride, pads, dilation)
        return col2im_array(cols, spatial, kernel, stride, pads, dilation)

    @staticmethod
    def backward(ctx, grad):
        return im2col(grad, *ctx.args)


# --- la convolución y su traspuesta ---------------------------------------------------------
def _groups_matrix(x, groups):
    """(N, C, *espacio) -> (grupos, C/grupos, N·L): los canales de cada grupo como filas."""
    n, c = x.shape[0], x.shape[1]
    spatial = int(math.prod(x.shape[2:]))
    x4 = x.reshape((n, groups, c // groups, spatial))
    return np.transpose(x4, (1, 2, 0, 3)).reshape((groups, c // groups, n * spatial))


def _gram(a, b):
    """``a @ bᵀ`` por grupos, para ``a`` (G, m, K) y ``b`` (G, n, K) con K enorme (N·L) y m, n
    pequeños: calculado como ``(b @ aᵀ)ᵀ``, que OpenBLAS hace en la mitad de tiempo con estas
    formas (medido: 1,1 ms → 0,5 ms para el ∂W de la primera capa de LeNet-5)."""
    return np.swapaxes(blas.matmul(b, np.swapaxes(a, 1, 2)), 1, 2)


def _sum_bias(grad):
    return np.sum(grad, axis=(0,) + tuple(range(2, grad.ndim)))


class Conv(Op):
    """Correlación cruzada N-d de PyTorch (``conv1d``/``conv2d``): im2col + un matmul.

    Entradas ``x`` (N, C, *espacio), ``weight`` (O, C/grupos, *kernel) y ``bias`` (O,) opcional.
    """

    torch_name = "ConvolutionBackward0"
    rule = "∂x = col2im(Wᵀ·G), ∂W = G·colsᵀ, ∂b = Σ G"
    rule_latex = (r"\frac{\partial}{\partial x} = \mathrm{col2im}(W^\top G),\quad "
                  r"\frac{\partial}{\partial W} = G\,\mathrm{cols}^\top,\quad "
                  r"\frac{\partial}{\partial b} = \sum G")

    @staticmethod
    def forward(ctx, x, weight, bias=None, stride=(1,), pads=((0, 0),), dilation=(1,),
                groups=1):
        o, kernel = weight.shape[0], weight.shape[2:]
        nd = len(kernel)
        cols = im2col_array(x, kernel, stride, pads, dilation)    # (C, *k, N, *salida)
        out_sp = cols.shape[2 + nd:]
        n = x.shape[0]
        rows = cols.reshape((groups, int(weight[0].size), n * int(math.prod(out_sp))))
        y = blas.matmul(weight.reshape((groups, o // groups, -1)), rows)   # (G, O/G, N·L)
        y = np.swapaxes(y.reshape((o, n) + out_sp), 0, 1)
        out = np.empty((n, o) + out_sp, dtype=y.dtype)
        if bias is not None:
            np.add(y, bias.reshape((o,) + (1,) * nd), out=out)
        else:
            np.copyto(out, y)
        if ctx is not None:
            need_x, need_w = ctx.needs_input_grad[:2]
            ctx.save_for_backward(x if need_w else None, weight if need_x else None)
            ctx.cols = cols if need_w else None     # para ∂W sin rehacer im2col
            ctx.geometry = (x.shape[2:], tuple(kernel), stride, pads, dilation, groups,
                            weight.shape)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved
        spatial, kernel, stride, pads, dilation, groups, w_shape = ctx.geometry
        needs = ctx.needs_input_grad
        n, o = grad.shape[0], grad.shape[1]
        g2 = _groups_matrix(grad, groups)                                  # (G, O/G, N·L)
        gx = gw = None
        if needs[0]:
            w3 = weight.reshape((groups, o // groups, -1))
            gcols = blas.matmul(np.swapaxes(w3, 1, 2), g2)                     # (G, C/G·K, N·L)
            c = w_shape[1] * groups
            gcols = gcols.reshape((c,) + kernel + (n,) + tuple(grad.shape[2:]))
            gx = col2im(gcols, spatial, kernel, stride, pads, dilation)
        if needs[1]:
            cols, ctx.cols = ctx.cols, None   # se suelta ya (otro backward lo rehace desde x)
            if cols is None or hasattr(grad, "_data"):   # create_graph: en el grafo, desde x
                cols = im2col(x, kernel, stride, pads, dilation)
            rows = cols.reshape((groups, int(math.prod(w_shape[1:])), g2.shape[2]))
            gw = _gram(g2, rows).reshape(w_shape)
        if len(needs) > 2:
            return gx, gw, (_sum_bias(grad) if needs[2] else None)
        return gx, gw


class ConvTranspose(Op):
    """Convolución traspuesta N-d (``conv_transpose1d``/``2d``): Wᵀ·x y col2im.

    Entradas ``x`` (N, C, *espacio), ``weight`` (C, O/grupos, *kernel) y ``bias`` (O,) opcional;
    ``spatial`` es el tamaño de salida (ya con ``output_padding``).
    """

    torch_name = "ConvolutionBackward0"
    rule = "∂x = W·im2col(G), ∂W = x·im2col(G)ᵀ, ∂b = Σ G"
    rule_latex = (r"\frac{\partial}{\partial x} = W\,\mathrm{im2col}(G),\quad "
                  r"\frac{\partial}{\partial W} = x\,\mathrm{im2col}(G)^\top,\quad "
                  r"\frac{\partial}{\partial b} = \sum G")

    @staticmethod
    def forward(ctx, x, weight, bias=None, stride=(1,), pads=((0, 0),), dilation=(1,),
                groups=1, spatial=(1,)):
        c, og, kernel = weight.shape[0], weight.shape[1], weight.shape[2:]
        n, o = x.shape[0], og * groups
        w3 = weight.reshape((groups, c // groups, -1))                  # (G, C/G, O/G·K)
        cols = blas.matmul(np.swapaxes(w3, 1, 2), _groups_matrix(x, groups))
        cols = cols.reshape((o,) + kernel + (n,) + x.shape[2:])
        out = col2im_array(cols, spatial, kernel, stride, pads, dilation)
        if bias is not None:
            out = out + bias.reshape((o,) + (1,) * len(kernel))
        if ctx is not None:
            need_x, need_w = ctx.needs_input_grad[:2]
            ctx.save_for_backward(x if need_w else None, weight if need_x else None)
            ctx.geometry = (tuple(kernel), stride, pads, dilation, groups, weight.shape,
                            x.shape[2:])
        return out

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved
        kernel, stride, pads, dilation, groups, w_shape, spatial = ctx.geometry
        needs = ctx.needs_input_grad
        n = grad.shape[0]
        gcols = im2col(grad, kernel, stride, pads, dilation)            # (O, *k, N, *entrada)
        if tuple(gcols.shape[2 + len(kernel):]) != spatial:   # output_padding >= stride
            gcols = gcols[(slice(None),) * (2 + len(kernel)) + tuple(slice(0, s) for s in spatial)]
        gcols = gcols.reshape((groups, w_shape[1] * int(math.prod(kernel)),
                               n * int(math.prod(spatial))))
        gx = gw = None
        if needs[0]:
            gx = blas.matmul(weight.reshape((groups, w_shape[0] // groups, -1)), gcols)
            gx = np.swapaxes(gx.reshape((w_shape[0], n) + spatial), 0, 1)
        if needs[1]:
            gw = _gram(_groups_matrix(x, groups), gcols).reshape(w_shape)
        if len(needs) > 2:
            return gx, gw, (_sum_bias(grad) if needs[2] else None)
        return gx, gw
