"""El camino de cada operación: ``apply`` ejecuta el forward de una operación de ``ops/`` y, si
alguna entrada requiere gradiente, enlaza su nodo; ``make`` crea el Tensor de la salida.

Aquí no vive ninguna derivada. ``tensor.py`` los usa como ``_apply`` y ``_make`` (también
``Tensor._apply``) y le da la clase ``Tensor`` a este módulo al definirla (no lo importa).
"""
import numpy as np

from .autograd.anomaly import record_trace
from .autograd.graph import Node, per_thread
from .errors import explain_conversion

Tensor = None   # la clase Tensor: la pone tensor.py al definirla
_new = object.__new__
_ndarray = np.ndarray


def apply(op, *inputs, **kwargs):
    """Ejecuta ``op`` sobre los datos de ``inputs`` y, si alguno requiere gradiente, crea el nodo.

    ``inputs`` son Tensores o constantes (ndarray o escalar de NumPy). Es el camino de cada
    operación: se evita aquí todo trabajo que no haga falta (sin gradiente no se enlaza nada).
    """
    arrays = []
    parents = []
    needs = []
    track = False
    mode = per_thread.mode   # el estado del hilo, leído una vez
    enabled = mode.enabled
    for x in inputs:
        if isinstance(x, Tensor):
            arrays.append(x._data)
            view = x._view
            if view is not None and view.base.grad_fn is not view.source:
                view.refresh(x)   # su base cambió in situ: rehace su grad_fn (ver _views.py)
            if enabled and x._requires_grad:
                track = True
                parent = x.grad_fn
                parents.append(parent if parent is not None else x._grad_accumulator())
                needs.append(True)
                continue
        else:
            arrays.append(x)
        parents.append(None)
        needs.append(False)
    node = Node(op, tuple(needs), mode.module)
    try:
        out = op.forward(node, *arrays, **kwargs)
    except Exception as exc:
        explain_conversion(exc, op, arrays)
        raise
    raw = out   # NumPy da un escalar (no un array 0-d) en algunas operaciones 0-d
    if type(out) is not _ndarray:
        out = np.asarray(out)
    if not track:
        if mode.watching and mode._capture is not None:   # tinygrad_es.compile apunta el paso
            mode._capture.forward(node, inputs, arrays, kwargs, raw, out)
        return make(out)
    node.parents = tuple(parents)
    node.shape = out.shape
    node.dtype = out.dtype
    result = make(out, True, node)
    saved = node.saved
    if saved:   # versión y origen de cada array guardado (ver in situ y create_graph)
        node.versions, node.sources = saved_origins(saved, out, raw, result, arrays, inputs)
    if mode.watching:   # detect_anomaly(), viz.registrar() o la captura de compile
        watch_forward(node, inputs, out, arrays, kwargs, raw)
    return result


def saved_origins(saved, out, raw, result, arrays, inputs):
    """Para cada array guardado: la versión de su tensor y de dónde viene.

    El origen es -1 si es la salida, ``j`` si son los datos de la entrada ``j`` y None si es una
    constante. Con él, ``create_graph=True`` rehace los tensores guardados unidos al grafo.
    """
    versions, sources = [], []
    for array in saved:
        owner = source = None
        if array is out or array is raw:
            owner, source = result, -1
        elif array is not None:   # la entrada cuyos datos son ``array`` (o una constante)
            for position, candidate in enumerate(arrays):
                if candidate is array:
                    owner = inputs[position]
                    source = position if isinstance(owner, Tensor) else None
                    break
        sources.append(source)
        if isinstance(owner, Tensor):
            counter = owner._version_counter()
            versions.append((counter, counter.value))
    return versions, tuple(sources)


def watch_forward(node, inputs, out, arrays, kwargs, raw):
    mode = per_thread.mode
    if mode.anomaly:
        record_trace(node)
    if mode.recorder is not None:   # viz.registrar(): copia del valor de la salida
        mode.recorder.on_forward(node, inputs, out)
    if mode._capture is not None:    # tinygrad_es.compile: el paso, para repetirlo
        mode._capture.forward(node, inputs, arrays, kwargs, raw, out)


def init(t, array, requires_grad, grad_fn):
    t._data = array
    t._grad = None
    t._requires_grad = requires_grad
    t.grad_fn = grad_fn
    t._version = None
    t._accumulator = None
    t._view = None
    t._hooks = None


def make(array, requires_grad=False, grad_fn=None):
    """Tensor nuevo sobre ``array`` (sin copiarlo ni validar: es el camino rápido de las ops).

    Los mismos atributos que ``init``, escritos aquí: es la salida de cada operación."""
    t = _new(Tensor)
    t._data = array
    t._grad = None
    t._requires_grad = requires_grad
    t.grad_fn = grad_fn
    t._version = None
    t._accumulator = None
    t._view = None
    t._hooks = None
    return t
