"""Sequential, ModuleList y ModuleDict."""
from collections import OrderedDict

import numpy as np
import pytest

import tinygrad_es as torch
import tinygrad_es.nn as nn


def test_sequential_forward_chains_modules():
    torch.manual_seed(1)
    seq = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    x = torch.randn(5, 4)
    expected = seq[2](seq[1](seq[0](x)))
    np.testing.assert_array_equal(seq(x).detach().numpy(), expected.detach().numpy())


def test_sequential_indexing_slices_len_iter():
    layers = [nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 3), nn.Tanh()]
    seq = nn.Sequential(*layers)
    assert len(seq) == 4
    assert list(seq) == layers
    assert seq[0] is layers[0] and seq[-1] is layers[3]
    part = seq[1:3]
    assert type(part) is nn.Sequential and list(part) == layers[1:3]
    assert list(part._modules) == ["1", "2"]    # conserva los nombres, como PyTorch
    with pytest.raises(IndexError, match="fuera de rango"):
        seq[4]
    seq[1] = nn.Sigmoid()
    assert isinstance(seq[1], nn.Sigmoid)
    del seq[0]
    assert list(seq._modules) == ["0", "1", "2"] and isinstance(seq[0], nn.Sigmoid)
    seq.append(nn.Linear(3, 1))
    assert len(seq) == 4 and [n for n, _ in seq.named_parameters()] == [
        "1.weight", "1.bias", "3.weight", "3.bias"]
    seq.insert(0, nn.Identity())
    assert isinstance(seq[0], nn.Identity) and len(seq) == 5
    popped = seq.pop(0)
    assert isinstance(popped, nn.Identity) and len(seq) == 4
    seq.extend([nn.ReLU()])
    assert len(seq) == 5
    both = nn.Sequential(nn.ReLU()) + nn.Sequential(nn.Tanh())
    assert [type(m).__name__ for m in both] == ["ReLU", "Tanh"]


def test_sequential_with_ordered_dict_names():
    seq = nn.Sequential(OrderedDict([("oculta", nn.Linear(4, 2)), ("act", nn.ReLU())]))
    assert [n for n, _ in seq.named_parameters()] == ["oculta.weight", "oculta.bias"]
    assert seq.oculta is seq[0]
    assert seq(torch.ones(3, 4)).shape == (3, 2)


def test_module_list_registers_and_indexes():
    blocks = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert len(blocks) == 3 and len(list(blocks.parameters())) == 6
    assert [n for n, _ in blocks.named_parameters()][:2] == ["0.weight", "0.bias"]
    blocks.append(nn.ReLU())
    blocks += [nn.Tanh()]
    assert [type(b).__name__ for b in blocks] == ["Linear"] * 3 + ["ReLU", "Tanh"]
    assert type(blocks[1:3]) is nn.ModuleList and len(blocks[1:3]) == 2
    assert blocks[-1] is list(blocks)[-1]
    del blocks[0]
    assert list(blocks._modules) == ["0", "1", "2", "3"]
    blocks.insert(1, nn.Sigmoid())
    assert isinstance(blocks[1], nn.Sigmoid) and len(blocks) == 5
    assert isinstance(blocks.pop(1), nn.Sigmoid) and len(blocks) == 4
    with pytest.raises(IndexError):
        blocks[10]
    with pytest.raises(NotImplementedError):
        blocks(torch.ones(1))

    class Red(nn.Module):
        def __init__(self):
            super().__init__()
            self.capas = nn.ModuleList([nn.Linear(3, 3), nn.Linear(3, 1)])

        def forward(self, x):
            for capa in self.capas:
                x = capa(x)
            return x

    red = Red()
    assert [n for n, _ in red.named_parameters()] == [
        "capas.0.weight", "capas.0.bias", "capas.1.weight", "capas.1.bias"]
    assert red(torch.ones(2, 3)).shape == (2, 1)


def test_module_dict():
    heads = nn.ModuleDict({"a": nn.Linear(2, 1), "b": nn.ReLU()})
    assert list(heads) == ["a", "b"] and len(heads) == 2 and "a" in heads
    assert list(heads.keys()) == ["a", "b"]
    assert [type(m).__name__ for m in heads.values()] == ["Linear", "ReLU"]
    heads["c"] = nn.Tanh()
    heads.update([("d", nn.Sigmoid())])
    assert list(heads) == ["a", "b", "c", "d"]
    assert [n for n, _ in heads.named_parameters()] == ["a.weight", "a.bias"]
    assert isinstance(heads.pop("c"), nn.Tanh) and "c" not in heads
    del heads["d"]
    assert dict(heads.items()).keys() == {"a", "b"}
    heads.clear()
    assert len(heads) == 0
    with pytest.raises(ValueError, match="par"):
        nn.ModuleDict([("a", nn.ReLU(), 3)])
