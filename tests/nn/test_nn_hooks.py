"""Ganchos (forward hooks) y la pila de módulos que anota cada nodo del grafo."""
import numpy as np
import pytest

import tinygrad_es as torch
import tinygrad_es.nn as nn
from tinygrad_es.autograd.graph import grad_mode
from redmnist import RedMNIST


# --- hooks ----------------------------------------------------------------------------------
def test_forward_hooks_run_modify_and_remove():
    lin = nn.Linear(2, 2)
    calls = []

    def pre(module, args):
        calls.append(("pre", module, args[0].shape))
        return args[0] * 0   # cambia la entrada

    def post(module, args, output):
        calls.append(("post", module, output.shape))
        return output + 1    # cambia la salida

    h1 = lin.register_forward_pre_hook(pre)
    h2 = lin.register_forward_hook(post)
    out = lin(torch.ones(3, 2))
    assert [c[0] for c in calls] == ["pre", "post"] and calls[0][1] is lin
    np.testing.assert_allclose(out.detach().numpy(), np.tile(lin.bias.detach().numpy() + 1,
                                                             (3, 1)), rtol=1e-6)
    h1.remove()
    h2.remove()
    h2.remove()   # quitarlo dos veces no falla
    calls.clear()
    lin(torch.ones(3, 2))
    assert calls == []


def test_hook_kwargs_prepend_and_context_manager():
    relu = nn.ReLU()
    order = []
    with relu.register_forward_hook(lambda m, a, o: order.append("segundo")):
        relu.register_forward_hook(lambda m, a, o: order.append("primero"), prepend=True)
        relu(torch.ones(1))
    assert order == ["primero", "segundo"]
    order.clear()
    relu(torch.ones(1))
    assert order == ["primero"]
    seen = {}

    def pre_kwargs(module, args, kwargs):
        seen.update(kwargs)
        return (args[0] - 5,), kwargs

    relu.register_forward_pre_hook(pre_kwargs, with_kwargs=True)
    assert relu(torch.ones(2)).tolist() == [0.0, 0.0]
    relu.register_forward_hook(lambda m, a, kw, o: o + 7, with_kwargs=True)
    assert relu(torch.ones(2)).tolist() == [7.0, 7.0]
    bad = nn.Identity()
    bad.register_forward_pre_hook(lambda m, a, k: 3, with_kwargs=True)
    with pytest.raises(RuntimeError, match="tupla"):
        bad(torch.ones(1))


def test_dead_relu_statistics_with_hook():
    model = RedMNIST()
    stats = {}

    def guardar(nombre):
        def hook(module, args, output):
            stats[nombre] = float((output.detach() == 0).float().mean())
        return hook

    for name, module in model.named_modules():
        if isinstance(module, nn.ReLU):
            module.register_forward_hook(guardar(name))
    model(torch.randn(16, 1, 28, 28))
    assert set(stats) == {"stack.1", "stack.3"}
    assert all(0.0 <= v <= 1.0 for v in stats.values())


# --- pila de módulos para el grafo ---------------------------------------------------------------
def test_nodes_record_innermost_module():
    model = RedMNIST()
    x = torch.randn(2, 1, 28, 28, requires_grad=True)
    out = model(x)
    assert out.grad_fn.module() is model.log_softmax
    linear_node = out.grad_fn.parents[0]
    assert linear_node.op_name == "Linear" and linear_node.module() is model.stack[4]
    relu_node = linear_node.parents[0]
    assert relu_node.op_name == "ReLU" and relu_node.module() is model.stack[3]
    first = relu_node.parents[0].parents[0].parents[0]
    assert first.op_name == "Linear" and first.module() is model.stack[0]
    reshape_node = first.parents[0]
    assert reshape_node.op_name == "Reshape" and reshape_node.module() is model.flatten
    assert grad_mode.module is None
    loss = (out * 2).sum()   # fuera de cualquier módulo
    assert loss.grad_fn.module is None


def test_current_module_restored_on_error_and_ref_cached():
    model = nn.Sequential(nn.Linear(4, 3), nn.Linear(5, 2))
    with pytest.raises(RuntimeError):
        model(torch.ones(1, 4))
    assert grad_mode.module is None
    assert model._ref is model._ref and model._ref() is model


def test_current_module_is_innermost_and_restored_after_each_call():
    seen = []

    class Sonda(nn.Module):
        def forward(self, x):
            seen.append(grad_mode.module())
            return x

    class Fuera(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = Sonda(), Sonda()

        def forward(self, x):
            seen.append(grad_mode.module())
            x = self.a(x)
            seen.append(grad_mode.module())   # al volver de self.a, otra vez el de fuera
            x = self.b(x)
            return (x * 2).sum()

    outer = Fuera()
    out = outer(torch.ones(1, requires_grad=True))
    assert seen == [outer, outer.a, outer, outer.b]
    assert out.grad_fn.module() is outer and grad_mode.module is None
