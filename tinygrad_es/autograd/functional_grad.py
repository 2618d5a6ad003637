"""``autograd.grad``: gradientes de salidas respecto de entradas sin tocar ``.grad``."""
import numpy as np

from ..tensor import Tensor, _make
from .engine import run_backward


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """Devuelve una tupla con d(outputs)/d(inputs), como ``torch.autograd.grad``."""
    if create_graph:
        raise NotImplementedError(
            "autograd.grad(create_graph=True) no está disponible: en tinygrad_es los backward "
            "de las operaciones calculan con NumPy y no construyen un grafo, así que no hay "
            "derivadas de orden superior.")
    outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    single = isinstance(inputs, Tensor)
    inputs = (inputs,) if single else tuple(inputs)
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    elif isinstance(grad_outputs, (Tensor, np.ndarray)):
        grad_outputs = (grad_outputs,)
    targets = []
    for i, t in enumerate(inputs):
        if not t.requires_grad:
            raise RuntimeError(
                f"La entrada {i} de autograd.grad no requiere gradiente: créala con "
                "requires_grad=True.")
        targets.append(t.grad_fn if t.grad_fn is not None else t._grad_accumulator())
    totals = [None] * len(inputs)
    for k, (out, g) in enumerate(zip(outputs, grad_outputs)):
        capture = dict.fromkeys(targets)
        if g is None:
            if out.numel() != 1:
                raise RuntimeError(
                    f"La salida {k} tiene forma {tuple(out.shape)}: para salidas de más de un "
                    "elemento hay que pasar grad_outputs.")
            g_array, owned = np.ones(out.shape, dtype=out.dtype), True
        else:
            g_array, owned = (g._data if isinstance(g, Tensor) else np.asarray(g)), False
        keep = bool(retain_graph) or k < len(outputs) - 1
        run_backward(out._graph_root(), g_array.astype(out.dtype, copy=False), owned,
                     retain_graph=keep, capture=capture)
        for i, node in enumerate(targets):
            value = capture[node]
            if value is not None:
                totals[i] = value if totals[i] is None else totals[i] + value
    result = []
    for i, total in enumerate(totals):
        if total is None and not allow_unused:
            raise RuntimeError(
                f"La entrada {i} no se usó para calcular las salidas, así que no tiene gradiente. "
                "Pasa allow_unused=True si es lo esperado.")
        result.append(None if total is None else _make(total))
    return tuple(result)
