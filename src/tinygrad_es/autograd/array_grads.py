"""Aritmética de gradientes del camino rápido: ndarrays, y de quién es cada uno.

Un array de gradiente pertenece a un solo tensor. Cuando el motor sabe que un array es nuevo
y nadie más lo referencia («propio»), lo guarda en ``.grad`` o le suma otros gradientes in
situ sin copiarlo; si no (el gradiente que una operación deja pasar tal cual, una vista de un
array guardado, el mismo array enviado a dos entradas), lo copia antes. Copiar siempre
costaría un 3-6 % del paso del MLP del curso (medido): por eso existe esta cuenta.

Las mismas cinco funciones, con Tensores, están en ``tensor_grads.py`` (``create_graph``).
"""
import numpy as np

from ..ops.base import broadcast_compatible, sum_to_shape
from .graph import Node, RELEASED


def call(node, grad, owned, retain_graph, in_grads=None):
    """El ``backward`` de la operación del nodo: un gradiente por entrada y, para cada uno, si
    es propio (ver el comienzo del archivo). Sin ``retain_graph`` libera lo que guardó el nodo.

    Un gradiente nuevo es propio; el entrante, o una vista de él, solo si el entrante lo era;
    una vista de cualquier otra cosa (p. ej. de un array guardado), no; y un mismo array
    devuelto para dos entradas (p. ej. Add), tampoco.
    """
    if in_grads is None:   # (ya calculados: tinygrad_es.compile los apunta antes)
        in_grads = node.op.backward(node, grad)
    if type(in_grads) is not tuple:
        in_grads = (in_grads,)
    if len(in_grads) != len(node.parents):
        raise_count(node, len(in_grads))
    if not retain_graph:   # release(node), escrito aquí: es el camino de cada nodo
        if node.saved:
            node.saved = RELEASED
            if type(node) is not Node:
                node.__dict__.clear()
        node.versions = None
    if len(in_grads) == 1:   # lo habitual: una entrada
        g = in_grads[0]
        return in_grads, (owned if g is grad
                          else type(g) is not np.ndarray or g.base is None   # nuevo
                          or _view_owned(g, grad, owned),)
    owners = []
    for g in in_grads:
        owners.append(owned if g is grad
                      else type(g) is not np.ndarray or g.base is None
                      or _view_owned(g, grad, owned))
    if len(in_grads) == 2:
        if in_grads[0] is in_grads[1]:
            owners[0] = owners[1] = False
    elif _repeated(in_grads):
        for i, g in enumerate(in_grads):
            if g is not None and sum(h is g for h in in_grads) > 1:
                owners[i] = False
    return in_grads, owners


def _view_owned(g, incoming, incoming_owned):
    """Una vista es propia si es del gradiente entrante propio y se puede escribir (las de
    ``np.broadcast_to`` de Sum/Expand son de solo lectura)."""
    base = g.base
    return incoming_owned and g.flags.writeable and (base is incoming or base is incoming.base)


def _repeated(arrays):
    """¿Algún array aparece dos veces entre tres o más?"""
    if len(arrays) == 3:
        a, b, c = arrays
        return ((a is b or a is c) and a is not None) or (b is c and b is not None)
    present = [id(g) for g in arrays if g is not None]
    return len(set(present)) < len(present)


def fit(node, position, parent, g, owned):
    """El gradiente con la forma y el dtype de la entrada ``parent`` (suma lo difundido)."""
    if type(g) is not np.ndarray:
        g = np.asarray(g)
    if g.shape != parent.shape:
        g, owned = reduce_to(node, position, parent, g), True   # la suma crea un array nuevo
    if g.dtype != parent.dtype:
        g, owned = g.astype(parent.dtype), True
    return g, owned


def add(previous, g, g_owned):
    """Suma dos gradientes de un mismo nodo; reutiliza el primero si es propio."""
    prev, prev_owned = previous
    if prev_owned and prev is not g:
        prev += g
        return prev, True
    return prev + g, True


def accumulate(tensor, grad, owned):
    """Suma ``grad`` en ``tensor.grad`` (lo crea si no existe), sin compartir memoria."""
    current = tensor._grad
    if current is None:
        tensor._grad = tensor._wrap(grad if owned and grad.flags.writeable else grad.copy())
    else:
        current._data += grad


def release(node):
    """Suelta lo que guardó el nodo (la estructura del grafo queda, para dibujarla)."""
    if node.saved:
        node.saved = RELEASED
        if type(node) is not Node:   # ctx de una autograd.Function: sus atributos
            node.__dict__.clear()    # pueden retener tensores (los de las ops, no)
    node.versions = None


def raise_count(node, count):
    raise RuntimeError(
        f"La función {node.op_name} devolvió {count} gradientes en backward, pero tiene "
        f"{len(node.parents)} entradas: debe devolver uno por entrada (None para las que no "
        "necesitan gradiente).")


def reduce_to(node, position, parent, g):
    """Suma un gradiente difundido hasta la forma de la entrada (o explica por qué no se puede)."""
    if not broadcast_compatible(tuple(g.shape), tuple(parent.shape)):
        raise RuntimeError(
            f"La función {node.op_name} devolvió para su entrada {position} un gradiente "
            f"de forma {tuple(g.shape)}, pero la entrada tiene forma "
            f"{tuple(parent.shape)}: debe tener la forma de la entrada o una forma "
            "que se difunda a partir de ella.")
    return sum_to_shape(g, tuple(parent.shape))


def to_user(grad):
    """El gradiente como lo ve un gancho del usuario (un Tensor)."""
    from ..tensor import _make
    return _make(grad)


def unwrap(result):
    """Lo que devolvió un gancho, de nuevo como ndarray."""
    return np.asarray(getattr(result, "_data", result))


def from_user(result, grad):
    """El gradiente que devolvió un gancho, como ndarray del dtype de ``grad`` (y no propio)."""
    return unwrap(result).astype(grad.dtype, copy=False), False


def keep(grad, owned):
    """Una copia de ``grad`` que se puede guardar (el mismo array si es propio)."""
    return grad if owned else grad.copy()
