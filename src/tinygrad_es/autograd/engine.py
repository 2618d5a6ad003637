"""Motor de retropropagación: el bucle de ``backward()``.

``run_backward`` es todo el algoritmo (ver ARCHITECTURE.md):

1. orden topológico: cuántos gradientes esperará cada nodo (sin recursión: una cadena de
   100 000 operaciones no agota la pila);
2. cuando un nodo tiene todos, se llama a su ``backward``;
3. cada gradiente que devuelve se reduce a la forma y el dtype de su entrada (broadcast);
4. se suma con los que ya esperaban en el padre; en una hoja, se acumula en ``.grad``.

Lo demás está fuera del bucle y entra por dos puertas:

- ``grads``, la aritmética de los gradientes: ndarrays en el camino rápido
  (``array_grads.py``, que además sabe de quién es cada array para no copiarlo) o Tensores con
  ``create_graph=True`` (``tensor_grads.py``: el backward queda registrado como un grafo);
- ``observer`` (``observers.py``), quien mira: ganchos, ``retain_grad``, ``viz.registrar()``,
  ``autograd.grad`` y ``detect_anomaly``. Si nadie mira es ``None`` y no cuesta nada.
"""
from numpy import ndarray

from . import array_grads, observers, tensor_grads
from .anomaly import describe_origin
from .graph import RELEASED, AccumulateGrad, HookRegistry, per_thread, raise_released


def run_backward(root, grad, retain_graph=False, capture=None, create_graph=False, owned=False):
    """Propaga ``grad`` desde el nodo ``root`` hasta las hojas.

    ``owned``: ``grad`` es un array nuevo que nadie más referencia (se puede guardar sin copia).
    ``capture``: {nodo: None} para ``autograd.grad``: se guarda ahí el gradiente de esos nodos
    en vez de escribir ``.grad``. ``create_graph``: los gradientes son Tensores con historia.
    """
    mode = per_thread.mode
    if capture is None and mode.recorder is None and not mode.anomaly and not HookRegistry.count:
        observer = None   # nadie mira: el bucle no hace nada más
    else:
        observer = observers.Observer(capture, mode.recorder, mode.anomaly, HookRegistry.count)
        observer.on_backward_start(root, grad)
    grads = tensor_grads if create_graph else array_grads
    if mode._capture is not None:   # tinygrad_es.compile apunta cada paso (ver _compile/)
        grads = mode._capture.backward_grads(grads, observer)
    previous = tensor_grads.start_recording() if create_graph else None
    node = root
    pending = topological_order(node, count_leaves=observer is not None)
    partial, ready = {}, []   # sumas que esperan más gradientes; nodos con todos los suyos
    try:
        while True:
            if observer is not None:
                grad, owned = observer.on_node(node, grad, owned, grads)
            if grad is None:   # no le llegó ningún gradiente: sus padres dejan de esperarlo
                for parent in node.parents:
                    _skip(parent, pending, partial, ready, observer)
            elif type(node) is AccumulateGrad:
                grads.accumulate(node.variable, grad, owned)
            else:
                if node.saved is RELEASED:
                    raise_released(node)
                for counter, version in node.versions or ():   # ¿modificado in situ después?
                    if counter.value != version:
                        _raise_modified(node, counter.value, version)
                in_grads, owners = (grads.call(node, grad, owned, retain_graph) if observer is None
                                    else observer.call(node, grad, owned, retain_graph, grads))
                for position, parent in enumerate(node.parents):
                    g = in_grads[position]
                    if parent is None:
                        continue
                    if g is None:   # sin gradiente por esta arista (p. ej. norm(p=0))
                        _skip(parent, pending, partial, ready, observer)
                        continue
                    g_owned = owners[position]
                    if type(g) is not ndarray or g.shape != parent.shape or g.dtype != parent.dtype:
                        g, g_owned = grads.fit(node, position, parent, g, g_owned)
                    if observer is not None:
                        observer.on_edge(node, position, parent, g)
                    elif type(parent) is AccumulateGrad:   # hoja: se suma en .grad al llegar
                        grads.accumulate(parent.variable, g, g_owned)
                        continue
                    if parent in partial:   # se suma a lo que ya esperaba en el padre
                        g, g_owned = grads.add(partial.pop(parent), g, g_owned)
                    left = pending[parent] - 1
                    if left:
                        pending[parent] = left
                        partial[parent] = (g, g_owned)
                    else:
                        ready.append((parent, g, g_owned))
            if not ready:
                return
            node, grad, owned = ready.pop()
    finally:
        if create_graph:
            tensor_grads.stop_recording(previous)


def _skip(parent, pending, partial, ready, observer):
    """Una arista sin gradiente: el padre espera uno menos (y quizá ya tiene todos)."""
    if parent is None or (observer is None and type(parent) is AccumulateGrad):
        return   # las hojas no se cuentan sin observadores
    left = pending[parent] - 1
    if left:
        pending[parent] = left
    else:
        ready.append((parent,) + partial.pop(parent, (None, False)))


def _raise_modified(node, current, version):
    raise RuntimeError(
        f"Uno de los tensores que necesita el gradiente de {node.op_name} fue modificado "
        f"por una operación in situ (versión {current}, se guardó en la versión {version}). "
        "Evita operaciones como mul_() o += sobre ese tensor antes de backward(), o usa la "
        "versión que no es in situ (y = y * 2). " + describe_origin(node))


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


accumulate_grad = array_grads.accumulate
