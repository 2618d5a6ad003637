"""nn.Module: registro, nombres, repr, modos, hooks, conversión de tipos y pila de módulos."""
import copy
import gc
import pickle
from collections import OrderedDict

import numpy as np
import pytest

import tinygrad_es as torch
import tinygrad_es.nn as nn
from redmnist import RedMNIST


class Compartida(nn.Module):
    """Dos capas que son el mismo objeto y un parámetro y un buffer propios."""

    def __init__(self):
        super().__init__()
        capa = nn.Linear(3, 3)
        self.a = capa
        self.b = capa
        self.escala = nn.Parameter(torch.ones(3))
        self.register_buffer("media", torch.zeros(3))
        self.register_buffer("temporal", torch.ones(1), persistent=False)

    def forward(self, x):
        return self.b(self.a(x)) * self.escala + self.media


# --- registro y nombres ------------------------------------------------------------------------
def test_named_parameters_names_and_order():
    model = RedMNIST()
    names = [n for n, _ in model.named_parameters()]
    assert names == ["stack.0.weight", "stack.0.bias", "stack.2.weight", "stack.2.bias",
                     "stack.4.weight", "stack.4.bias"]
    shapes = [tuple(p.shape) for p in model.parameters()]
    assert shapes == [(128, 784), (128,), (64, 128), (64,), (10, 64), (10,)]
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in model.parameters())
    assert sum(p.numel() for p in model.parameters()) == 784 * 128 + 128 + 128 * 64 + 64 + 650


def test_shared_parameters_listed_once_but_state_dict_has_both():
    model = Compartida()
    names = [n for n, _ in model.named_parameters()]
    assert names == ["escala", "a.weight", "a.bias"]
    assert len(list(model.parameters())) == 3
    assert [n for n, _ in model.named_modules()] == ["", "a"]
    assert [n for n, _ in model.named_children()] == ["a"]
    keys = list(model.state_dict())
    assert keys == ["escala", "media", "a.weight", "a.bias", "b.weight", "b.bias"]
    assert [n for n, _ in model.named_buffers()] == ["media", "temporal"]
    assert len(list(model.buffers())) == 2


def test_modules_children_and_get_submodule():
    model = RedMNIST()
    assert [n for n, _ in model.named_modules()] == [
        "", "flatten", "stack", "stack.0", "stack.1", "stack.2", "stack.3", "stack.4",
        "log_softmax"]
    assert [type(m).__name__ for m in model.children()] == ["Flatten", "Sequential", "LogSoftmax"]
    assert model.get_submodule("stack.2") is model.stack[2]
    assert model.get_submodule("") is model
    assert model.get_parameter("stack.4.bias") is model.stack[4].bias
    with pytest.raises(AttributeError, match="capa"):
        model.get_submodule("stack.capa")


def test_setattr_rules_like_torch():
    lin = nn.Linear(2, 3)
    with pytest.raises(TypeError, match="nn.Parameter o None"):
        lin.weight = torch.ones(3, 2)
    lin.bias = None
    assert [n for n, _ in lin.named_parameters()] == ["weight"]
    assert lin.bias is None
    assert "bias=False" in repr(lin)
    model = nn.Module()
    model.capa = nn.Linear(1, 1)
    model.capa = nn.Parameter(torch.zeros(2))   # un parámetro sustituye al submódulo
    assert list(model._modules) == [] and list(model._parameters) == ["capa"]
    with pytest.raises(TypeError, match="submódulo"):
        model.registrar = nn.ReLU()
        model.registrar = 3
    model.register_buffer("b", torch.zeros(1))
    with pytest.raises(TypeError, match="buffer"):
        model.b = [1, 2]
    model.b = torch.ones(2)
    assert model.state_dict()["b"].tolist() == [1.0, 1.0]
    del model.b
    assert "b" not in model._buffers
    with pytest.raises(AttributeError, match="no tiene el atributo 'nada'"):
        model.nada


def test_assigning_before_init_explains():
    class Mal(nn.Module):
        def __init__(self):
            self.capa = nn.Linear(2, 2)
            super().__init__()

    with pytest.raises(AttributeError, match="super\\(\\).__init__"):
        Mal()

    class SinSuper(nn.Module):
        def __init__(self):
            self.n = 3

        def forward(self, x):
            return x

    with pytest.raises(AttributeError, match="super\\(\\).__init__\\(\\) al principio"):
        SinSuper()(torch.ones(1))


def test_register_checks():
    model = nn.Module()
    with pytest.raises(TypeError, match="nn.Parameter"):
        model.register_parameter("w", torch.ones(2))
    with pytest.raises(KeyError):
        model.register_parameter("a.b", None)
    model.x = 5
    with pytest.raises(KeyError, match="ya existe"):
        model.register_buffer("x", torch.ones(1))
    hoja = nn.Parameter(nn.Parameter(torch.ones(2)) * 2)   # como torch: siempre es hoja
    assert hoja.is_leaf and hoja.requires_grad and hoja.tolist() == [2.0, 2.0]


def test_missing_forward():
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(torch.ones(1))


def test_parameter_shares_memory_and_repr():
    base = torch.tensor([1.0, 2.0])
    p = nn.Parameter(base)
    assert isinstance(p, torch.Tensor) and p.requires_grad and p.is_leaf
    base.add_(1)
    assert p.tolist() == [2.0, 3.0]
    assert repr(p) == "Parameter containing:\ntensor([2., 3.], requires_grad=True)"
    assert repr(nn.Parameter(torch.ones(2), requires_grad=False)) == \
        "Parameter containing:\ntensor([1., 1.])"
    assert nn.Parameter().shape == (0,) and nn.Parameter().dtype == torch.float32
    q = p * 2
    assert type(q) is torch.Tensor and q.grad_fn is not None
    assert type(p.detach()) is torch.Tensor
    with pytest.raises(RuntimeError, match="punto flotante"):
        nn.Parameter(torch.tensor([1, 2]))
    with pytest.raises(TypeError, match="tensor"):
        nn.Parameter([1.0])
    assert not hasattr(p, "__dict__")
    copia = copy.deepcopy(p)
    assert type(copia) is nn.Parameter and copia._data is not p._data
    assert type(pickle.loads(pickle.dumps(p))) is nn.Parameter


def test_repr_matches_torch(requiere_torch):
    tnn = requiere_torch.nn

    class TorchRed(tnn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = tnn.Flatten()
            self.stack = tnn.Sequential(tnn.Linear(784, 128), tnn.ReLU(), tnn.Linear(128, 64),
                                        tnn.ReLU(), tnn.Linear(64, 10))
            self.log_softmax = tnn.LogSoftmax(dim=1)

    RedMNIST.__name__ = TorchRed.__name__ = "RedMNIST"
    assert repr(RedMNIST()) == repr(TorchRed())

    def build(m):
        return m.Sequential(
            m.ReLU(inplace=True), m.LeakyReLU(), m.LeakyReLU(0.2, inplace=True), m.Softmax(dim=1),
            m.Softmax(), m.Sigmoid(), m.Tanh(), m.Identity(), m.Dropout(0.3),
            m.Unflatten(1, (2, 5)), m.Linear(3, 4, bias=False), m.LogSoftmax(dim=-1),
            m.ModuleList([m.Linear(2, 2) for _ in range(3)] + [m.ReLU()]),
            m.ModuleDict({"a": m.ReLU(), "b": m.Dropout()}), m.ModuleList(), m.SiLU(),
            m.MSELoss(), m.NLLLoss(), m.CrossEntropyLoss(), m.BCELoss(), m.BCEWithLogitsLoss())

    assert repr(build(nn)) == repr(build(tnn))
    seq_od = nn.Sequential(OrderedDict([("oculta", nn.Linear(4, 2)), ("act", nn.ReLU())]))
    tseq_od = tnn.Sequential(OrderedDict([("oculta", tnn.Linear(4, 2)), ("act", tnn.ReLU())]))
    assert repr(seq_od) == repr(tseq_od)


def test_repr_with_extra_repr_and_children():
    class Bloque(nn.Module):
        def __init__(self):
            super().__init__()
            self.capa = nn.Linear(2, 2)

        def extra_repr(self):
            return "tamaño=2"

    assert repr(Bloque()) == ("Bloque(\n  tamaño=2\n  (capa): Linear(in_features=2, "
                              "out_features=2, bias=True)\n)")


# --- modos, gradientes, apply, tipos ------------------------------------------------------------
def test_train_eval_recursive_and_validation():
    model = RedMNIST()
    assert all(m.training for m in model.modules())
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    with pytest.raises(ValueError, match="booleano"):
        model.train(1)


def test_zero_grad_and_requires_grad_():
    model = nn.Linear(3, 2)
    model(torch.ones(4, 3)).sum().backward()
    assert model.weight.grad is not None
    model.zero_grad(set_to_none=False)
    assert model.weight.grad.tolist() == [[0.0] * 3] * 2
    model.zero_grad()
    assert model.weight.grad is None and model.bias.grad is None
    model.requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())
    assert model(torch.ones(1, 3)).grad_fn is None


def test_apply_visits_children_first():
    model = RedMNIST()
    visited = []
    model.apply(lambda m: visited.append(type(m).__name__))
    assert visited == ["Flatten", "Linear", "ReLU", "Linear", "ReLU", "Linear", "Sequential",
                       "LogSoftmax", "RedMNIST"]

    def ceros(m):
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.weight)

    model.apply(ceros)
    assert all(float(abs(m.weight).sum()) == 0 for m in model.modules()
               if isinstance(m, nn.Linear))


def test_double_and_float_keep_parameter_objects():
    model = Compartida()
    params = list(model.parameters())
    model(torch.ones(2, 3)).sum().backward()
    assert model.double() is model
    assert [p is q for p, q in zip(params, model.parameters())] == [True] * 3
    assert all(p.dtype == torch.float64 for p in model.parameters())
    assert all(p.grad.dtype == torch.float64 for p in model.parameters())
    assert model.media.dtype == torch.float64
    out = model(torch.ones(2, 3, dtype=torch.float64))
    assert out.dtype == torch.float64
    model.to(torch.float32)
    assert all(p.dtype == torch.float32 for p in model.parameters())
    assert model.to("cpu") is model and model.cpu() is model
    model.to(torch.device("cpu"), dtype=torch.float64)
    assert model.escala.dtype == torch.float64
    model.float()
    assert model.escala.dtype == torch.float32
    with pytest.raises(RuntimeError, match="CPU"):
        model.to("cuda")
    with pytest.raises(RuntimeError, match="CPU"):
        model.cuda()


def test_deepcopy_model_gets_its_own_weakref_and_parameters():
    model = Compartida()
    clone = copy.deepcopy(model)
    assert clone._ref() is clone
    assert clone.a is clone.b                   # la capa compartida sigue compartida
    assert clone.a.weight is not model.a.weight
    np.testing.assert_array_equal(clone.a.weight.detach().numpy(), model.a.weight.detach().numpy())
    out = clone(torch.ones(1, 3))
    assert out.grad_fn.module() is clone
    del clone, out
    gc.collect()


def test_module_does_not_keep_itself_alive():
    model = nn.Linear(2, 2)
    ref = model._ref
    model(torch.ones(1, 2))
    del model
    gc.collect()
    assert ref() is None
