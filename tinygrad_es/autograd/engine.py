"""Motor de retropropagación: orden topológico iterativo y acumulación de gradientes.

Reglas (ver ARCHITECTURE.md):
- sin recursión: una cadena de 100 000 operaciones no agota la pila;
- un gradiente se reduce a la forma de su entrada (broadcast) y a su dtype;
- un array de gradiente pertenece a un solo tensor: se copia antes de guardarlo si
  podría estar compartido (una operación que deja pasar el gradiente, una vista);
- sin ``retain_graph`` los arrays guardados se liberan al pasar por cada nodo.
"""
import numpy as np

from ..ops.base import broadcast_compatible, sum_to_shape
from .anomaly import checked_backward, describe_origin
from .graph import (RELEASED, AccumulateGrad, HookRegistry, Node, hooks_of, per_thread,
                    raise_released)


def topological_order(root, count_leaves=True):
    """Cuenta, para cada nodo alcanzable, cuántos hijos le enviarán gradiente.

    Con ``count_leaves=False`` no cuenta las hojas (``AccumulateGrad``): el motor les suma
    cada gradiente en cuanto llega, sin esperar a los demás.
    """
    pending = {root: 0}
    stack = [root]
    skip = None if count_leaves else AccumulateGrad   # tipo de nodo que no se cuenta
    while stack:
        for parent in stack.pop().parents:
            if parent is None or type(parent) is skip:
                continue
            if parent in pending:
                pending[parent] += 1
            else:
                pending[parent] = 1
                stack.append(parent)
    return pending


def run_backward(root, grad, owned, retain_graph=False, capture=None):
    """Propaga ``grad`` desde ``root``.

    ``owned`` indica si ``grad`` es un array nuevo que nadie más referencia.
    ``capture``: si se da un dict {nodo: None}, en vez de escribir ``.grad`` en las hojas
    se guarda ahí el gradiente de esos nodos (``autograd.grad``).
    """
    mode = per_thread.mode
    recorder = mode.recorder   # viz.registrar(): anota cada gradiente (si no, None)
    if recorder is not None:
        recorder.on_backward_start(root, grad)
    check = checked_backward if mode.anomaly else None   # detect_anomaly()
    hooked = HookRegistry.count > 0   # register_hook: el camino observado los ejecuta
    watched = capture is not None or recorder is not None or hooked
    pending = topological_order(root, count_leaves=watched)
    partial = {}   # nodo -> (gradiente, propio): sumas de los nodos que esperan más gradientes
    ready = []     # (nodo, gradiente, propio) de los nodos que ya recibieron todos
    node = root
    ndarray = np.ndarray
    while True:
        if grad is None:   # no le llegó ningún gradiente: sus padres dejan de esperarlo
            for parent in node.parents:
                if parent is not None and (watched or type(parent) is not AccumulateGrad):
                    _skip_edge(parent, pending, partial, ready)
        elif watched:
            grad, owned = _watch(node, grad, owned, recorder, capture, hooked)
        if grad is None:
            pass
        elif type(node) is AccumulateGrad:
            if capture is None:
                accumulate_grad(node.variable, grad, owned)
        else:
            if node.retained is not None and capture is None:   # retain_grad()
                tensor = node.retained()
                if tensor is not None:
                    accumulate_grad(tensor, grad, owned)
                    owned = False
            saved = node.saved
            if saved is RELEASED:
                raise_released(node)
            versions = node.versions
            if versions:
                for counter, version in versions:
                    if counter.value != version:
                        _raise_modified(node, counter.value, version)
            in_grads = node.op.backward(node, grad) if check is None else check(node, grad)
            if type(in_grads) is not tuple:
                in_grads = (in_grads,)
            if hooked:
                in_grads = _post_hooks(node, in_grads, grad)
            if not retain_graph:   # libera lo guardado (la estructura queda para dibujarla)
                if saved:
                    node.saved = RELEASED
                    if type(node) is not Node:   # ctx de una autograd.Function: sus atributos
                        node.__dict__.clear()    # pueden retener tensores (las ops, no)
                node.versions = None
            count = len(in_grads)
            if count != len(node.parents):
                _raise_count(node, count, len(node.parents))
            if count == 1 or (count == 2 and in_grads[0] is not in_grads[1]):
                shared = None   # lo habitual: ningún array va a dos entradas
            else:
                shared = _repeated(in_grads)
            position = -1
            for parent in node.parents:
                position += 1
                g = in_grads[position]
                if parent is None:
                    continue
                if g is None:   # sin gradiente por esta arista (p. ej. norm(p=0))
                    if watched or type(parent) is not AccumulateGrad:
                        _skip_edge(parent, pending, partial, ready)
                    continue
                if type(g) is not ndarray:
                    g = np.asarray(g)
                g_owned = True if g.base is None and g is not grad else _owned(g, grad, owned)
                if g.shape != parent.shape:
                    g = _reduce_to(node, position, parent, g)
                    g_owned = _owned(g, grad, owned)
                elif shared is not None and id(g) in shared:
                    g_owned = False  # el mismo array va a dos entradas (p. ej. Add)
                if g.dtype != parent.dtype:
                    g = g.astype(parent.dtype)
                    g_owned = True
                if recorder is not None:
                    recorder.on_edge(node, position, parent, g)
                elif not watched and type(parent) is AccumulateGrad:
                    accumulate_grad(parent.variable, g, g_owned)   # hoja: se suma en .grad al llegar
                    continue
                if parent in partial:
                    g, g_owned = _add_grads(partial.pop(parent), g, g_owned)
                left = pending[parent] - 1
                if left:
                    pending[parent] = left
                    partial[parent] = (g, g_owned)
                else:
                    ready.append((parent, g, g_owned))
        if not ready:
            return
        node, grad, owned = ready.pop()


def _skip_edge(parent, pending, partial, ready):
    """Una arista que no trae gradiente: el padre espera uno menos (y quizá ya está listo)."""
    left = pending[parent] - 1
    if left:
        pending[parent] = left
    else:
        ready.append((parent,) + partial.pop(parent, (None, False)))


def _add_grads(previous, g, g_owned):
    """Suma dos gradientes de un mismo nodo; reutiliza el primero si es propio."""
    prev, prev_owned = previous
    if prev_owned and prev is not g:
        prev += g
        return prev, True
    return prev + g, True


def _watch(node, grad, owned, recorder, capture, hooked):
    """Lo que ven los ganchos, ``viz.registrar()`` y ``autograd.grad``.

    Devuelve el gradiente (un gancho puede cambiarlo) y si sigue siendo propio.
    """
    if hooked:
        grad, owned = _pre_hooks(node, grad, owned)
    if recorder is not None:
        recorder.on_node(node, grad)
    if capture is not None and node in capture:
        capture[node] = grad if owned else grad.copy()
        return grad, False
    return grad, owned


def _pre_hooks(node, grad, owned):
    """``Tensor.register_hook`` y ``Node.register_prehook``: pueden devolver otro gradiente."""
    for hook in list(hooks_of(node) or ()):
        result = hook(_as_tensor(grad))
        if result is not None:
            new = np.asarray(getattr(result, "_data", result))
            if new.shape != grad.shape:
                raise RuntimeError(
                    f"Un gancho de gradiente de {node.op_name} devolvió un gradiente de forma "
                    f"{tuple(new.shape)}, pero debía tener la forma {tuple(grad.shape)}.")
            grad, owned = new.astype(grad.dtype, copy=False), False
    return grad, owned


def _post_hooks(node, in_grads, grad):
    """``Node.register_hook(hook(grad_inputs, grad_outputs))`` tras el backward del nodo."""
    hooks = node.__dict__.get("post_hooks")
    for hook in list(hooks or ()):
        result = hook(tuple(None if g is None else _as_tensor(g) for g in in_grads),
                      (_as_tensor(grad),))
        if result is not None:
            in_grads = tuple(None if g is None else np.asarray(getattr(g, "_data", g))
                             for g in result)
    return in_grads


def _as_tensor(array):
    from ..tensor import _make
    return _make(array)


def _reduce_to(node, position, parent, g):
    """Suma un gradiente difundido hasta la forma de la entrada (o explica por qué no se puede)."""
    if not broadcast_compatible(g.shape, parent.shape):
        raise RuntimeError(
            f"La función {node.op_name} devolvió para su entrada {position} un gradiente "
            f"de forma {tuple(g.shape)}, pero la entrada tiene forma "
            f"{tuple(parent.shape)}: debe tener la forma de la entrada o una forma "
            "que se difunda a partir de ella.")
    return sum_to_shape(g, parent.shape)


def _raise_count(node, count, expected):
    raise RuntimeError(
        f"La función {node.op_name} devolvió {count} gradientes en backward, "
        f"pero tiene {expected} entradas: debe devolver uno por entrada "
        "(None para las que no necesitan gradiente).")


def _repeated(arrays):
    """ids de los arrays que aparecen más de una vez entre los gradientes devueltos (o None)."""
    if len(arrays) == 2:
        a, b = arrays
        return None if a is not b or a is None else {id(a)}
    if len(arrays) == 3:   # Linear, NllLoss...: casi siempre tres arrays distintos o None
        a, b, c = arrays
        if (a is not b or a is None) and (a is not c or a is None) and (b is not c or b is None):
            return None
    ids = [id(a) for a in arrays if a is not None]
    if len(set(ids)) == len(ids):
        return None
    return {key for key in ids if ids.count(key) > 1}


def _owned(g, incoming, incoming_owned):
    """¿Es ``g`` un array que nadie más referencia (y se puede guardar sin copiar)?

    Un array nuevo sí; el gradiente entrante, o una vista de él, solo si el entrante lo era;
    una vista de cualquier otra cosa (p. ej. de un array guardado), no.
    """
    if g is incoming:
        return incoming_owned
    base = g.base
    if base is None:
        return True
    # una vista de solo lectura (np.broadcast_to de Sum/Expand) no se puede sumar in situ
    return incoming_owned and g.flags.writeable and (base is incoming or base is incoming.base)


def accumulate_grad(tensor, grad, owned):
    """Suma ``grad`` en ``tensor.grad`` (lo crea si no existe), sin compartir memoria."""
    current = tensor._grad
    if current is None:
        tensor._grad = tensor._wrap(grad if owned and grad.flags.writeable else grad.copy())
    else:
        current._data += grad


def _raise_modified(node, current, version):
    raise RuntimeError(
        f"Uno de los tensores que necesita el gradiente de {node.op_name} fue modificado "
        f"por una operación in situ (versión {current}, se guardó en la versión "
        f"{version}). Evita operaciones como mul_() o += sobre ese tensor antes de "
        "backward(), o usa la versión que no es in situ (y = y * 2). "
        + describe_origin(node))
