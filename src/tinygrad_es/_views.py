"""Vistas y operaciones in situ con las reglas de PyTorch.

Una **vista** (``x[1:3]``, ``x.view(2, 2)``, ``x.t()``, ``x.expand(...)``...) comparte la memoria
de su base **y su contador de versión**, y sabe de qué base viene y con qué pasos
(``ViewInfo``). Las vistas de vistas apuntan a la base raíz, como en PyTorch.

Una **operación in situ** (``add_``, ``mul_``, ``copy_``, ``x[i] = v``...) se registra en el
grafo cuando el gradiente está activado y algo de lo que toca lo requiere:

- sobre un tensor que no es vista, su resultado pasa a ser el ``grad_fn`` del tensor;
- sobre una vista, cambia la memoria de la base: la base recibe un nodo ``CopySlices``
  (ver ``ops/inplace.py``) y la vista se rehace desde la base nueva.

Las demás vistas de la misma base se ponen al día solas la próxima vez que se usan
(``ViewInfo.refresh``, llamada desde ``_apply`` cuando el ``grad_fn`` de la base cambió).
Nada de esto toca el camino rápido: un paso de una red sin vistas ni operaciones in situ no
pasa por aquí.
"""
import numpy as np

from . import _dtypes
from .autograd.graph import Node, grad_mode
from .errors import inplace_leaf_error, multiple_views_error, no_grad_view_error, \
    overlapping_write_error, view_of_leaf_error
from .ops.inplace import CopySlices, copy_slices_node
from . import _capture


class ViewInfo:
    """De qué base es vista un tensor y cómo se obtiene de ella.

    - ``base``: el tensor raíz (nunca otra vista).
    - ``steps``: ``((op, opciones), ...)`` que aplicados a la base dan la vista.
    - ``source``: el ``grad_fn`` de la base cuando se calculó el de la vista; si la base cambia
      in situ deja de coincidir y la vista se rehace al usarse.
    - ``tracked``: la vista se creó con el gradiente activado (si no, no sigue a la base).
    """

    __slots__ = ("base", "steps", "source", "tracked", "multiple")

    def __init__(self, base, steps, tracked, multiple=False):
        self.base, self.steps, self.tracked, self.multiple = base, steps, tracked, multiple
        self.source = base.grad_fn

    def refresh(self, view):
        """Rehace el ``grad_fn`` de ``view`` desde la historia actual de su base."""
        base = self.base
        self.source = base.grad_fn
        if not self.tracked or not base._requires_grad:
            return
        replayed = replay(base, self.steps)
        view.grad_fn, view._requires_grad = replayed.grad_fn, replayed._requires_grad


def replay(base, steps):
    """Aplica los pasos de vista a ``base`` registrando el grafo (con el gradiente activado)."""
    previous = grad_mode.enabled
    grad_mode.enabled = True
    try:
        out = base
        for op, options in steps:
            out = base._apply(op, out, **options)
        return out
    finally:
        grad_mode.enabled = previous


def make_view(op, x, **options):
    """Aplica la operación de vista ``op`` a ``x`` y anota que el resultado es su vista.

    Si NumPy no pudo dar una vista (``reshape`` de un tensor no contiguo) el resultado es una
    copia normal, como el ``reshape`` de PyTorch. Como en PyTorch, una vista creada dentro de
    ``no_grad()`` de un tensor que requiere gradiente dice ``requires_grad=True`` sin
    ``grad_fn`` (y no puede modificarse in situ con el gradiente activado).
    """
    out = x._apply(op, x, **options)
    data, source = out._data, x._data
    owner = data.base
    if owner is None or (owner is not source and owner is not source.base):
        return out   # NumPy tuvo que copiar
    enabled = grad_mode.enabled
    parent = x._view
    step = ((op, options),)
    if parent is None:
        out._view = ViewInfo(x, step, enabled)
    else:
        out._view = ViewInfo(parent.base, parent.steps + step, enabled and parent.tracked,
                             parent.multiple)
    if not enabled and x._requires_grad:
        out._requires_grad = True
    return out


def split_pieces(pieces):
    """Marca los trozos de ``split``/``chunk``/``unbind``: PyTorch no deja modificarlos in situ
    con el gradiente activado (son varias vistas salidas de una sola función)."""
    for piece in pieces:
        if piece._view is not None:
            piece._view.multiple = True
    return pieces


def detach_alias(x):
    """``detach()``: misma memoria y mismo contador de versión, fuera del grafo (no es vista)."""
    out = x._wrap(x._data)
    out._version = x._version_counter()
    return _capture.alias(out, x)


# --- operaciones in situ ------------------------------------------------------------
def is_tracked(t, other=None):
    """¿Hay que registrar en el grafo una operación in situ sobre ``t`` con operando ``other``?"""
    if not grad_mode.enabled:
        return False
    view = t._view
    if view is not None and view.base.grad_fn is not view.source:
        view.refresh(t)
    return t._requires_grad or getattr(other, "_requires_grad", False)


def check_writable(t):
    """Error en español si ``t`` repite posiciones de memoria (viene de expand).

    Otros arrays de solo lectura (el gradiente que recibe un backward) dejan que NumPy lance
    su ValueError, que explica quien lo captura.
    """
    data = t._data
    if not data.flags.writeable and any(s == 0 and n > 1 for s, n in zip(data.strides, data.shape)):
        raise overlapping_write_error(t)


def modify(t, compute):
    """Operación in situ registrada en el grafo.

    ``compute(src)`` calcula el valor nuevo como Tensor a partir de ``src`` (el valor actual de
    ``t``, en una copia con la misma historia), con ``src`` como primera entrada de su nodo.
    """
    check_writable(t)
    view = t._view
    if view is None:
        if t._requires_grad and t.grad_fn is None:
            raise inplace_leaf_error(t)
    else:
        base = view.base
        if not view.tracked:
            raise no_grad_view_error(t)
        if base._requires_grad and base.grad_fn is None:
            raise view_of_leaf_error(t)
        if view.multiple:
            raise multiple_views_error(t)
    src = t._wrap(t._data.copy())   # lo que guarde la operación no se pisará al escribir
    src._requires_grad, src.grad_fn = t._requires_grad, t.grad_fn
    result = compute(src)
    store(t, result._data)
    inner = result.grad_fn
    if view is None:
        inner.shape, inner.dtype = t._data.shape, t._data.dtype
        t.grad_fn, t._requires_grad = inner, True
    else:
        _rewrite_base(view, inner)
        view.refresh(t)
    t._bump_version()
    return t


def _rewrite_base(view, inner):
    """La base recibe un ``CopySlices`` que envuelve el nodo ``inner`` de la vista."""
    base = view.base
    base_node = base.grad_fn if base._requires_grad else None
    needs = (base_node is not None,) + tuple(inner.needs_input_grad[1:])
    node = copy_slices_node(Node(CopySlices, needs), inner, base_node, view.steps)
    node.shape, node.dtype = base._data.shape, base._data.dtype
    base.grad_fn, base._requires_grad = node, True


def store(t, values):
    """Escribe ``values`` en la memoria de ``t`` (misma forma; tipo compatible)."""
    if values.shape != t._data.shape:
        raise RuntimeError(
            f"La operación in situ daría un resultado de forma {tuple(values.shape)}, que no "
            f"cabe en el tensor de forma {tuple(t._data.shape)}. Usa la versión sin _ "
            "(a = a + b).")
    try:
        np.copyto(t._data, values, casting="same_kind")
    except TypeError as exc:
        raise RuntimeError(
            f"El resultado es de tipo {_dtypes.dtype_name(values.dtype)} y no se puede guardar "
            f"in situ en un tensor {_dtypes.dtype_name(t._data.dtype)}. Usa la versión sin _ "
            "o convierte el tensor con .float().") from exc
    except ValueError as exc:
        check_writable(t)
        raise exc
