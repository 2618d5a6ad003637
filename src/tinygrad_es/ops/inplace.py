"""Operaciones que existen por las operaciones in situ: copiar en un tensor, asignar por índice
y reescribir la historia de la base cuando se modifica una de sus vistas (``CopySlices``).

Cuando se modifica in situ una vista ``v = base[1:3]`` (``v.mul_(2)``), lo que cambia es la
memoria de ``base``: su nuevo ``grad_fn`` es un ``CopySlices`` que envuelve el nodo de la
operación in situ (``inner``). En backward, el gradiente de la base se reparte así:

- fuera de la región vista, pasa tal cual a la historia anterior de la base;
- dentro de la región, pasa por el backward de ``inner`` (la derivada de ``v_nuevo`` respecto a
  ``v_viejo``) antes de volver a la historia anterior, y ``inner`` da además los gradientes de
  los otros operandos (el ``2`` de ``mul_``, el valor de ``x[i] = valor``...).

La región se localiza aplicando los mismos pasos de vista a un array de posiciones
(``np.arange``): no depende de cómo esté guardada la memoria.
"""
import numpy as np

from ..autograd.graph import saved_tensor
from .base import Op, sum_to_shape
from .movement import embed


class CopyInto(Op):
    """``copy_``, ``fill_``, ``zero_`` y ``x[i] = v``: el valor nuevo no depende del anterior."""

    torch_name = "CopyBackwards"
    rule = "∂(copia)/∂x = 0;  ∂(copia)/∂src = 1"
    rule_latex = (r"\frac{\partial\,\text{copia}}{\partial x} = 0;\quad "
                  r"\frac{\partial\,\text{copia}}{\partial \mathrm{src}} = 1")

    @staticmethod
    def forward(ctx, a, src):
        return np.array(np.broadcast_to(src, a.shape), dtype=a.dtype)

    @staticmethod
    def backward(ctx, grad):   # ceros (no None) hacia el valor anterior, como PyTorch: así un
        # backward que pase por él sigue comprobando lo que la historia anterior guardó
        return (np.zeros_like(grad) if ctx.needs_input_grad[0] else None,
                grad if ctx.needs_input_grad[1] else None)


class IndexPut(Op):
    """``x[índices] = v`` con índices avanzados (arrays de enteros o máscaras): una copia."""

    torch_name = "IndexPutBackward0"
    rule = ("∂/∂x = 1 fuera de las posiciones escritas (0 en ellas), ∂/∂v = el gradiente de esas "
            "posiciones")
    rule_latex = (r"\frac{\partial}{\partial x} = 1 \text{ fuera de las posiciones escritas (0 en "
                  r"ellas)},\quad \frac{\partial}{\partial v} = \text{el gradiente de esas "
                  r"posiciones}")

    @staticmethod
    def forward(ctx, a, value, index=None):
        ctx.index = index
        out = a.copy()
        out[index] = value
        return out

    @staticmethod
    def backward(ctx, grad):
        grad_a = grad_value = None
        if ctx.needs_input_grad[0]:   # 0 en las posiciones sobrescritas
            keep = np.ones(grad.shape, dtype=grad.dtype)
            keep[ctx.index] = 0
            grad_a = grad * keep
        if ctx.needs_input_grad[1]:
            grad_value = grad[ctx.index]   # forma de la región; el motor la suma a la de v
        return grad_a, grad_value


def apply_steps(array, steps):
    """Aplica a ``array`` los pasos de vista ``((op, opciones), ...)`` desde la base."""
    for op, options in steps:
        array = op.forward(_NO_CTX, array, **options)
    return array


class _ScratchCtx:
    """ctx de usar y tirar para repetir el forward de una vista sobre otro array."""

    needs_input_grad = ()

    def __setattr__(self, name, value):   # las vistas anotan cosas en el ctx: aquí no importan
        pass

    def save_for_backward(self, *arrays):
        pass


_NO_CTX = _ScratchCtx()


def region_index(shape, steps):
    """Posiciones (en el orden plano de la base) de los elementos que ve la vista."""
    positions = np.arange(int(np.prod(shape)), dtype=np.intp).reshape(shape)
    return np.asarray(apply_steps(positions, steps))


class CopySlices(Op):
    """Nuevo ``grad_fn`` de la base tras modificar in situ una de sus vistas.

    El nodo guarda ``inner`` (el nodo de la operación in situ, con la vista en la entrada 0),
    ``steps`` (cómo se obtiene la vista desde la base) y la forma de la base. Sus padres son
    la historia anterior de la base y los de ``inner`` salvo el primero.
    """

    torch_name = "CopySlices"
    rule = "∂base = ∂ fuera de la vista; dentro, el backward de la operación in situ"
    rule_latex = (r"\partial\,\text{base} = \partial \text{ fuera de la vista; dentro, el "
                  r"backward de la operación in situ}")

    @staticmethod
    def backward(ctx, grad):
        inner = ctx.inner
        shape = tuple(grad.shape)
        positions = region_index(shape, ctx.steps)
        flat = grad.reshape(-1)
        region = flat[positions]   # el gradiente de la vista (una copia)
        if not hasattr(region, "_data"):
            region = np.asarray(region)   # 0-d: NumPy daría un escalar suelto
        inner.saved = ctx.saved   # lo guardado vive en este nodo (el motor lo libera aquí)
        if hasattr(grad, "_data"):   # create_graph: lo guardado, unido al grafo
            inner.saved = tuple(saved_tensor(inner, k, a, grad._wrap)
                                for k, a in enumerate(ctx.saved))
        try:
            inner_grads = inner.op.backward(inner, region)
        finally:
            inner.saved = ()
        if type(inner_grads) is not tuple:
            inner_grads = (inner_grads,)
        grad_base = None
        if ctx.needs_input_grad[0]:   # fuera de la vista tal cual; dentro, lo que da inner
            keep = np.ones(flat.shape[0], dtype=grad.dtype)
            keep[positions] = 0
            grad_base = flat * keep
            grad_view = inner_grads[0]
            if grad_view is not None:
                grad_view = sum_to_shape(grad_view, positions.shape)
                grad_base = grad_base + embed(grad_view, flat.shape, positions, True)
            grad_base = grad_base.reshape(shape)
        return (grad_base,) + tuple(inner_grads[1:])


def copy_slices_node(node, inner, base_node, steps):
    """Rellena ``node`` (un ``Node`` de ``CopySlices``) a partir del nodo in situ ``inner``."""
    node.inner = inner
    node.steps = steps
    node.parents = (base_node,) + tuple(inner.parents[1:])
    node.saved, inner.saved = inner.saved, ()
    node.versions, inner.versions = inner.versions, None
    return node
