"""state_dict sin copias y load_state_dict atómico (todo o nada)."""
import copy
from collections import OrderedDict

import numpy as np
import pytest

import tinygrad_es as torch
import tinygrad_es.nn as nn
from redmnist import RedMNIST


class ConBuffers(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 2)
        self.register_buffer("contador", torch.zeros(2))
        self.register_buffer("cache", torch.ones(2), persistent=False)

    def forward(self, x):
        return self.lin(x) + self.contador


def snapshot(model):
    return {k: v.numpy().copy() for k, v in model.state_dict().items()}


def assert_unchanged(model, before):
    after = snapshot(model)
    assert after.keys() == before.keys()
    for key in before:
        np.testing.assert_array_equal(after[key], before[key], err_msg=key)


def test_state_dict_is_ordered_detached_and_shares_memory():
    model = ConBuffers()
    sd = model.state_dict()
    assert isinstance(sd, OrderedDict)
    assert list(sd) == ["contador", "lin.weight", "lin.bias"]
    w = sd["lin.weight"]
    assert type(w) is torch.Tensor and not w.requires_grad and w.grad_fn is None
    assert np.shares_memory(w.numpy(), model.lin.weight.detach().numpy())
    with torch.no_grad():
        model.lin.weight.fill_(3.0)
    assert w.tolist() == [[3.0] * 3] * 2
    kept = model.state_dict(keep_vars=True)
    assert kept["lin.weight"] is model.lin.weight


def test_deepcopy_of_state_dict_is_independent():
    model = RedMNIST()
    best = copy.deepcopy(model.state_dict())
    original = best["stack.0.weight"].numpy().copy()
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(0)
    np.testing.assert_array_equal(best["stack.0.weight"].numpy(), original)
    model.load_state_dict(best)
    np.testing.assert_array_equal(model.stack[0].weight.detach().numpy(), original)


def test_round_trip_between_two_models_gives_same_outputs():
    torch.manual_seed(0)
    a, b = RedMNIST(), RedMNIST()
    x = torch.randn(5, 1, 28, 28)
    assert not np.allclose(a(x).detach().numpy(), b(x).detach().numpy())
    params_b = list(b.parameters())
    result = b.load_state_dict(a.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert all(p is q for p, q in zip(params_b, b.parameters()))   # se copia en su sitio
    np.testing.assert_array_equal(a(x).detach().numpy(), b(x).detach().numpy())
    assert not np.shares_memory(a.stack[0].weight.numpy(force=True),
                                b.stack[0].weight.numpy(force=True))


def test_load_casts_to_parameter_dtype_and_accepts_ndarrays():
    model = nn.Linear(2, 2)
    sd = {"weight": torch.ones(2, 2, dtype=torch.float64), "bias": np.array([1, 2])}
    model.load_state_dict(sd)
    assert model.weight.dtype == torch.float32 and model.bias.dtype == torch.float32
    assert model.bias.tolist() == [1.0, 2.0] and model.weight.tolist() == [[1.0, 1.0]] * 2


@pytest.mark.parametrize("caso", ["falta", "sobra", "forma", "tipo", "varios"])
def test_failed_load_leaves_model_untouched(caso):
    model = ConBuffers()
    before = snapshot(model)
    bad = {k: torch.full(v.shape, 7.0) for k, v in model.state_dict().items()}
    if caso in ("falta", "varios"):
        del bad["lin.bias"]
    if caso in ("sobra", "varios"):
        bad["lin.extra"] = torch.zeros(1)
    if caso in ("forma", "varios"):
        bad["lin.weight"] = torch.zeros(2, 4)
    if caso == "tipo":
        bad["lin.bias"] = [1.0, 2.0]
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(bad)
    msg = str(info.value)
    assert "ConBuffers" in msg and "no se ha modificado" in msg
    if caso in ("falta", "varios"):
        assert 'Faltan claves en el state_dict: "lin.bias"' in msg
    if caso in ("sobra", "varios"):
        assert 'Claves inesperadas en el state_dict: "lin.extra"' in msg
    if caso in ("forma", "varios"):
        assert "lin.weight" in msg and "(2, 4)" in msg and "(2, 3)" in msg
    if caso == "tipo":
        assert "lin.bias" in msg and "list" in msg
    assert_unchanged(model, before)   # ni siquiera "contador", que era válido


def test_strict_false_reports_keys_and_still_rejects_shapes():
    model = ConBuffers()
    result = model.load_state_dict({"lin.weight": torch.ones(2, 3), "otra": torch.ones(1)},
                                   strict=False)
    assert result.missing_keys == ["contador", "lin.bias"]
    assert result.unexpected_keys == ["otra"]
    missing, unexpected = result
    assert missing == result.missing_keys and unexpected == ["otra"]
    assert "IncompatibleKeys(missing_keys=['contador', 'lin.bias']" in repr(result)
    assert model.lin.weight.tolist() == [[1.0] * 3] * 2
    before = snapshot(model)
    with pytest.raises(RuntimeError, match="Forma distinta en lin.bias"):
        model.load_state_dict({"lin.weight": torch.zeros(2, 3), "lin.bias": torch.zeros(3)},
                              strict=False)
    assert_unchanged(model, before)


def test_non_persistent_buffers_are_not_saved_nor_expected():
    model = ConBuffers()
    assert "cache" not in model.state_dict()
    model.load_state_dict(model.state_dict())


def test_load_bumps_version_so_stale_graph_is_detected():
    model = nn.Linear(2, 1)
    x = torch.ones(1, 2, requires_grad=True)
    out = model(x).sum()
    model.load_state_dict({"weight": torch.zeros(1, 2), "bias": torch.zeros(1)})
    with pytest.raises(RuntimeError, match="in situ"):
        out.backward()


def test_load_with_assign_uses_given_tensors():
    model = nn.Linear(2, 1)
    w = torch.ones(1, 2)
    model.load_state_dict({"weight": w, "bias": torch.zeros(1)}, assign=True)
    assert isinstance(model.weight, nn.Parameter) and model.weight.requires_grad
    assert np.shares_memory(model.weight.numpy(force=True), w.numpy())


def test_load_requires_mapping():
    with pytest.raises(TypeError, match="diccionario"):
        nn.Linear(1, 1).load_state_dict([("weight", torch.ones(1, 1))])
