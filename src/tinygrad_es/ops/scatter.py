"""gather, scatter y scatter_add: tomar y colocar valores por índices a lo largo de una dimensión.

``gather`` y ``scatter_add`` son adjuntas la una de la otra: el backward de ``gather`` coloca
el gradiente sumando en los índices (``scatter_add`` sobre ceros) y el de ``scatter_add`` toma
el gradiente de esos índices (``gather``). Con ``create_graph=True`` el backward de cada una es
la otra operación, así que las segundas derivadas salen solas.

``index`` puede ser más pequeño que la entrada en las demás dimensiones (como en PyTorch): se
usan solo las primeras posiciones. Las funciones de ``_index.py`` comprueban los índices y
recortan ``src`` a la forma de ``index`` antes de llegar aquí.
"""
import numpy as np

from .base import Op


def full_index(index, dim):
    """La tupla de índices avanzados de NumPy que elige ``out[i][j][k] = x[i][index[i][j][k]][k]``
    (con ``dim = 1``): ``index`` en ``dim`` y ``arange`` difundidos en las demás dimensiones."""
    parts = []
    for d, n in enumerate(index.shape):
        if d == dim:
            parts.append(index)
        else:
            shape = [1] * index.ndim
            shape[d] = n
            parts.append(np.arange(n).reshape(shape))
    return tuple(parts)


def _gather(grad, index, dim):
    if hasattr(grad, "_data"):
        return grad._apply(Gather, grad, index=index, dim=dim)
    return grad[full_index(index, dim)]


class Gather(Op):
    """``gather(dim, index)``: ``out[i][j] = x[i][index[i][j]]`` (con ``dim = 1``)."""

    rule = "suma el gradiente en las posiciones tomadas (scatter_add sobre ceros)"
    rule_latex = r"\text{suma el gradiente en las posiciones tomadas (scatter\_add sobre ceros)}"

    @staticmethod
    def forward(ctx, a, index=None, dim=0):
        ctx.index, ctx.dim, ctx.in_shape = index, dim, a.shape
        return a[full_index(index, dim)]

    @staticmethod
    def backward(ctx, grad):
        zeros = np.zeros(ctx.in_shape, dtype=grad.dtype)
        if hasattr(grad, "_data"):
            return grad._apply(ScatterAdd, zeros, grad, index=ctx.index, dim=ctx.dim)
        return ScatterAdd.forward(None, zeros, grad, ctx.index, ctx.dim)


class ScatterAdd(Op):
    """``scatter_add(dim, index, src)``: una copia de ``x`` con ``src`` sumado en los índices
    (los repetidos se acumulan). ``src`` llega con la forma de ``index``."""

    rule = "∂/∂x = 1;  ∂/∂src = el gradiente en los índices (gather)"
    rule_latex = (r"\frac{\partial}{\partial x} = 1;\quad \frac{\partial}{\partial \mathrm{src}} = "
                  r"\text{el gradiente en los índices (gather)}")

    @staticmethod
    def forward(ctx, a, src, index=None, dim=0):
        if ctx is not None:
            ctx.index, ctx.dim = index, dim
        out = a.copy()
        np.add.at(out, full_index(index, dim), src)
        return out

    @staticmethod
    def backward(ctx, grad):
        return (grad if ctx.needs_input_grad[0] else None,
                _gather(grad, ctx.index, ctx.dim) if ctx.needs_input_grad[1] else None)


class Scatter(Op):
    """``scatter(dim, index, src)`` (o ``value``): una copia de ``x`` con ``src`` escrito en los
    índices. Con ``reduce='add'``/``'multiply'`` combina en vez de escribir (sin gradiente,
    como en PyTorch)."""

    rule = ("∂/∂x = 1 fuera de las posiciones escritas (0 en ellas);  ∂/∂src = el gradiente en "
            "los índices (gather)")
    rule_latex = (r"\frac{\partial}{\partial x} = 1 \text{ fuera de las posiciones escritas (0 en "
                  r"ellas)};\quad \frac{\partial}{\partial \mathrm{src}} = \text{gather del "
                  r"gradiente}")

    @staticmethod
    def torch_name(node):
        return "ScatterBackward0" if len(node.needs_input_grad) > 1 and node.needs_input_grad[1] \
            else "ScatterBackward1" if node.reduce is None else "ScatterReduceBackward0"

    @staticmethod
    def forward(ctx, a, src, index=None, dim=0, reduce=None):
        ctx.index, ctx.dim, ctx.reduce = index, dim, reduce
        out = a.copy()
        where = full_index(index, dim)
        if reduce is None:
            out[where] = src
        elif reduce == "add":
            np.add.at(out, where, src)
        else:
            np.multiply.at(out, where, src)
        return out

    @staticmethod
    def backward(ctx, grad):
        if ctx.reduce is not None:
            raise RuntimeError(
                "scatter con reduce= no es derivable (tampoco en PyTorch). Para sumar con "
                "gradiente usa scatter_add; para multiplicar, escribe el producto con gather.")
        grad_a = grad_src = None
        where = full_index(ctx.index, ctx.dim)
        if ctx.needs_input_grad[0]:   # 0 en las posiciones sobrescritas
            keep = np.ones(grad.shape, dtype=grad.dtype)
            keep[where] = 0
            grad_a = grad * keep
        if ctx.needs_input_grad[1]:
            grad_src = _gather(grad, ctx.index, ctx.dim)
        return grad_a, grad_src


def _along(index, dim):
    return (slice(None),) * dim + (index,)


class IndexSelect(Op):
    """``index_select(dim, index)``: las posiciones ``index`` (un vector) de la dimensión
    ``dim``; también ``repeat_interleave``."""

    rule = "suma el gradiente en las posiciones elegidas (index_add sobre ceros)"
    rule_latex = r"\text{suma el gradiente en las posiciones elegidas (index\_add sobre ceros)}"

    @staticmethod
    def forward(ctx, a, index=None, dim=0):
        if ctx is not None:
            ctx.index, ctx.dim, ctx.in_shape = index, dim, a.shape
        return np.take(a, index, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        zeros = np.zeros(ctx.in_shape, dtype=grad.dtype)
        if hasattr(grad, "_data"):
            return grad._apply(IndexAdd, zeros, grad, index=ctx.index, dim=ctx.dim)
        return IndexAdd.forward(None, zeros, grad, ctx.index, ctx.dim)


class IndexAdd(Op):
    """``index_add(dim, index, source)``: una copia de ``x`` con ``source`` sumado en las
    posiciones ``index`` de ``dim`` (las repetidas se acumulan)."""

    rule = "∂/∂x = 1;  ∂/∂source = el gradiente en las posiciones (index_select)"
    rule_latex = (r"\frac{\partial}{\partial x} = 1;\quad \frac{\partial}{\partial "
                  r"\mathrm{source}} = \text{el gradiente en las posiciones (index\_select)}")

    @staticmethod
    def forward(ctx, a, source, index=None, dim=0):
        if ctx is not None:
            ctx.index, ctx.dim = index, dim
        out = a.copy()
        np.add.at(out, _along(index, dim), source)
        return out

    @staticmethod
    def backward(ctx, grad):
        grad_source = None
        if ctx.needs_input_grad[1]:
            if hasattr(grad, "_data"):
                grad_source = grad._apply(IndexSelect, grad, index=ctx.index, dim=ctx.dim)
            else:
                grad_source = np.take(grad, ctx.index, axis=ctx.dim)
        return (grad if ctx.needs_input_grad[0] else None), grad_source
