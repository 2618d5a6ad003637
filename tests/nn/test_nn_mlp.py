"""Un paso de entrenamiento de un MLP 784-128-64-10: todo en float32 y sin matmuls de sobra."""
import numpy as np

import tinygrad_es as torch
import tinygrad_es.nn as nn

BATCH = 32


def build_mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64),
                         nn.ReLU(), nn.Linear(64, 10), nn.LogSoftmax(dim=1))


def batch():
    x = torch.rand(BATCH, 1, 28, 28)
    y = torch.randint(0, 10, (BATCH,))
    return x, y


def graph_nodes(root):
    seen, stack, out = set(), [root], []
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        out.append(node)
        stack.extend(node.parents)
    return out


def test_training_step_is_float32_end_to_end():
    model = build_mlp()
    x, y = batch()
    activations = []

    def keep(module, args, output):
        output.retain_grad()
        activations.append((type(module).__name__, output))

    for module in model:
        module.register_forward_hook(keep)
    loss = nn.NLLLoss()(model(x), y)
    assert loss.dtype == torch.float32
    assert [name for name, _ in activations] == [
        "Flatten", "Linear", "ReLU", "Linear", "ReLU", "Linear", "LogSoftmax"]
    saved = [a for node in graph_nodes(loss.grad_fn) for a in getattr(node, "saved", ()) or ()
             if isinstance(a, np.ndarray)]
    assert saved and all(a.dtype == np.float32 for a in saved if a.dtype.kind == "f")
    loss.backward()
    for name, act in activations:
        assert act.dtype == torch.float32, name
        if name != "Flatten":    # la entrada no requiere gradiente
            assert act.grad is not None and act.grad.dtype == torch.float32, name
    lr = 0.1
    with torch.no_grad():
        for p in model.parameters():
            assert p.dtype == torch.float32 and p.grad.dtype == torch.float32
            p -= lr * p.grad
    for p in model.parameters():
        assert p.dtype == torch.float32 and p.grad_fn is None and p.is_leaf
    assert nn.NLLLoss()(model(x), y).item() < loss.item()   # el paso bajó la pérdida


class Contado(np.ndarray):
    """ndarray que anota la forma del resultado de cada matmul en el que participa."""

    registro = []

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = tuple(i.view(np.ndarray) if isinstance(i, Contado) else i for i in inputs)
        if "out" in kwargs:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, Contado) else o
                                  for o in kwargs["out"])
        result = getattr(ufunc, method)(*plain, **kwargs)
        if ufunc is np.matmul:
            Contado.registro.append(tuple(result.shape))
        return result


def backward_matmuls(model, x, y):
    """Formas de los productos de matrices que hace el backward de la NLL de ``model``."""
    loss = nn.NLLLoss()(model(x), y)
    for node in graph_nodes(loss.grad_fn):
        if getattr(node, "saved", None):
            node.saved = tuple(a.view(Contado) if isinstance(a, np.ndarray) else a
                               for a in node.saved)
    Contado.registro = []
    loss.backward()
    return sorted(Contado.registro)


def count_backward_matmuls(x_requires_grad):
    model = build_mlp()
    x, y = batch()
    x.requires_grad_(x_requires_grad)
    shapes = backward_matmuls(model, x, y)
    assert all(type(p.grad._data) is np.ndarray for p in model.parameters())
    return shapes


def test_backward_runs_one_matmul_per_needed_gradient():
    shapes = count_backward_matmuls(x_requires_grad=False)
    # 3 gradientes de pesos + 2 gradientes propagados a activaciones; ninguno hacia los datos.
    assert shapes == sorted([(10, 64), (64, 128), (128, 784), (BATCH, 64), (BATCH, 128)])
    assert (BATCH, 784) not in shapes


def test_matmul_counter_sees_input_gradient_when_requested():
    # Control: si la entrada pide gradiente aparece exactamente un matmul más, hacia los datos.
    shapes = count_backward_matmuls(x_requires_grad=True)
    assert len(shapes) == 6 and shapes.count((BATCH, 784)) == 1


def test_frozen_first_layer_needs_no_gradient_below_second():
    model = build_mlp()
    model[1].requires_grad_(False)
    x, y = batch()
    shapes = backward_matmuls(model, x, y)
    # Sin nada que entrenar por debajo, tampoco se propaga el gradiente a la 1.ª activación.
    assert shapes == sorted([(10, 64), (BATCH, 64), (64, 128)])
    assert model[1].weight.grad is None
