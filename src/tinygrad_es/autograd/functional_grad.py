"""``autograd.grad``: gradientes de salidas respecto de entradas sin tocar ``.grad``."""
import numpy as np

from ..tensor import Tensor, _make
from .engine import run_backward


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Devuelve una tupla con d(outputs)/d(inputs), como ``torch.autograd.grad``.

    Con ``create_graph=True`` los gradientes devueltos tienen su propio grafo y se pueden
    derivar otra vez (``autograd.grad`` de un gradiente: segundas derivadas).
    """
    if is_grads_batched:
        return _batched(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused,
                        materialize_grads)
    outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    single = isinstance(inputs, Tensor)
    inputs = (inputs,) if single else tuple(inputs)
    allow_unused = materialize_grads if allow_unused is None else allow_unused
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
    keep_all = create_graph if retain_graph is None else bool(retain_graph)
    totals = [None] * len(inputs)
    for k, (out, g) in enumerate(zip(outputs, grad_outputs)):
        capture = dict.fromkeys(targets)
        keep = keep_all or k < len(outputs) - 1
        if create_graph:
            g, owned = _output_tensor(out, g, k), False
        else:
            g, owned = _output_array(out, g, k)
        run_backward(out._graph_root(), g, keep, capture, create_graph, owned)
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
        if total is None:
            result.append(_make(np.zeros(inputs[i].shape, inputs[i].dtype))
                          if materialize_grads else None)
        else:
            result.append(total if isinstance(total, Tensor) else _make(total))
    return tuple(result)


def _output_array(out, g, k):
    if g is None:
        _check_scalar(out, k)
        return np.ones(out.shape, dtype=out.dtype), True
    array = g._data if isinstance(g, Tensor) else np.asarray(g)
    return array.astype(out.dtype, copy=False), False


def _output_tensor(out, g, k):
    if g is None:
        _check_scalar(out, k)
        return _make(np.ones(out.shape, dtype=out.dtype))
    return g if isinstance(g, Tensor) else _make(np.asarray(g, dtype=out.dtype))


def _check_scalar(out, k):
    if out.numel() != 1:
        raise RuntimeError(
            f"La salida {k} tiene forma {tuple(out.shape)}: para salidas de más de un "
            "elemento hay que pasar grad_outputs.")


def _batched(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused,
             materialize_grads):
    """``is_grads_batched=True``: la primera dimensión de cada grad_output es un lote de vectores.

    PyTorch lo vectoriza con vmap; aquí es un ``autograd.grad`` por vector (mismo resultado),
    apilados en la primera dimensión de cada gradiente.
    """
    from ..functions import stack
    outs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    gouts = (grad_outputs,) if isinstance(grad_outputs, Tensor) else tuple(grad_outputs or ())
    if len(gouts) != len(outs) or any(
            g is None or tuple(g.shape[1:]) != tuple(o.shape) for g, o in zip(gouts, outs)):
        raise RuntimeError(
            "Con is_grads_batched=True la primera dimensión de cada grad_output es la del lote y "
            "el resto debe ser la forma de su salida: salidas de forma "
            f"{[tuple(o.shape) for o in outs]}, grad_outputs de forma "
            f"{[None if g is None else tuple(g.shape) for g in gouts]}.")
    batch = {int(g.shape[0]) for g in gouts}
    if len(batch) != 1:
        raise RuntimeError(
            f"Con is_grads_batched=True todos los grad_outputs deben tener el mismo tamaño de lote "
            f"(primera dimensión), y tienen {sorted(batch)}.")
    size = batch.pop()
    ins = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    if size == 0:
        return tuple(_make(np.zeros((0,) + tuple(t.shape), dtype=t.dtype)) for t in ins)
    rows = [grad(outs, ins, tuple(g[b] for g in gouts),
                 retain_graph=True if b < size - 1 else retain_graph, create_graph=create_graph,
                 allow_unused=allow_unused, materialize_grads=materialize_grads)
            for b in range(size)]
    return tuple(None if column[0] is None else stack(list(column)) for column in zip(*rows))
