"""Capas: Linear, Flatten, Unflatten, Dropout, Identity y activaciones."""
import math
import warnings

import numpy as np
import pytest

import tinygrad_es as torch
import tinygrad_es.nn as nn
from tinygrad_es.testing import assert_gradients_match


# --- Linear ------------------------------------------------------------------------------------
def test_linear_default_init_like_torch():
    torch.manual_seed(0)
    lin = nn.Linear(784, 128)
    w, b = lin.weight.detach().numpy(), lin.bias.detach().numpy()
    assert w.shape == (128, 784) and b.shape == (128,)
    assert w.dtype == np.float32 and b.dtype == np.float32
    bound = 1 / math.sqrt(784)
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.98 * bound                     # usa todo el intervalo
    assert abs(w.std() - bound / math.sqrt(3)) < 0.02 * bound  # uniforme: std = b/sqrt(3)
    assert abs(w.mean()) < 0.01 * bound
    torch.manual_seed(0)
    again = nn.Linear(784, 128)
    np.testing.assert_array_equal(again.weight.detach().numpy(), w)


def test_linear_forward_matches_numpy_and_is_one_node():
    torch.manual_seed(3)
    lin = nn.Linear(4, 3)
    x = torch.randn(5, 4, requires_grad=True)
    out = lin(x)
    w, b = lin.weight.detach().numpy(), lin.bias.detach().numpy()
    np.testing.assert_allclose(out.detach().numpy(), x.detach().numpy() @ w.T + b, rtol=1e-6)
    assert out.grad_fn.op_name == "Linear" and out.dtype == torch.float32
    assert len(out.grad_fn.parents) == 3
    assert lin(torch.ones(4)).shape == (3,)
    assert lin(torch.ones(2, 6, 4)).shape == (2, 6, 3)
    nob = nn.Linear(4, 3, bias=False)
    assert nob.bias is None and [n for n, _ in nob.named_parameters()] == ["weight"]
    np.testing.assert_allclose(nob(x).detach().numpy(),
                               x.detach().numpy() @ nob.weight.detach().numpy().T, rtol=1e-6)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(3, 4), (4,), (2, 3, 4)])
def test_linear_gradients(bias, shape):
    torch.manual_seed(1)
    lin = nn.Linear(4, 2, bias=bias, dtype=torch.float64)
    x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    if bias:
        assert_gradients_match(nn.functional.linear, x, lin.weight, lin.bias)
    else:
        assert_gradients_match(nn.functional.linear, x, lin.weight)


def test_linear_shape_error_in_spanish():
    lin = nn.Linear(784, 128)
    with pytest.raises(RuntimeError) as info:
        lin(torch.ones(64, 100))
    assert str(info.value).startswith(
        "Linear espera 784 características de entrada pero recibió un tensor de forma "
        "(64, 100). ¿Olvidaste nn.Flatten()?")
    with pytest.raises(RuntimeError, match=r"forma \(64, 1, 28, 28\)"):
        lin(torch.ones(64, 1, 28, 28))


def test_linear_dtype_mismatch_error():
    lin = nn.Linear(3, 2)
    with pytest.raises(RuntimeError, match=r"float64.*float32.*\.float\(\)"):
        lin(torch.ones(2, 3, dtype=torch.float64))
    with pytest.raises(RuntimeError, match="uint8"):
        lin(torch.ones(2, 3, dtype=torch.uint8))
    assert lin.double()(torch.ones(2, 3, dtype=torch.float64)).dtype == torch.float64


# --- Flatten, Unflatten, Identity -------------------------------------------------------------------
def test_flatten_and_unflatten(requiere_torch):
    x = torch.randn(2, 3, 4, 5, requires_grad=True)
    tx = requiere_torch.from_numpy(x.detach().numpy())
    for args in [(), (0,), (1, 2), (2, -1), (0, -2)]:
        ours, ref = nn.Flatten(*args)(x), requiere_torch.nn.Flatten(*args)(tx)
        assert tuple(ours.shape) == tuple(ref.shape)
        np.testing.assert_array_equal(ours.detach().numpy(), ref.numpy())
    un = nn.Unflatten(1, (2, 2))
    y = un(torch.ones(3, 4, 5))
    assert y.shape == (3, 2, 2, 5)
    assert nn.Unflatten(-1, (5, 1))(torch.ones(3, 5)).shape == (3, 5, 1)
    out = nn.Flatten()(x)
    out.sum().backward()
    assert x.grad.shape == x.shape and float(x.grad.sum()) == x.numel()


def test_identity():
    ident = nn.Identity(54, foo="bar")
    x = torch.ones(2)
    assert ident(x) is x and repr(ident) == "Identity()"


# --- Dropout ---------------------------------------------------------------------------------------
def test_dropout_train_zeroes_and_scales():
    torch.manual_seed(0)
    drop = nn.Dropout(p=0.25)
    x = torch.ones(200, 100, requires_grad=True)
    y = drop(x)
    values = y.detach().numpy()
    assert values.dtype == np.float32
    assert set(np.unique(values).tolist()) <= {0.0, np.float32(1 / 0.75)}
    frac = (values == 0).mean()
    assert 0.23 < frac < 0.27
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), values)   # gradiente = máscara escalada


def test_dropout_eval_is_identity_and_train_again():
    drop = nn.Dropout(0.5)
    x = torch.randn(10, 10)
    drop.eval()
    assert drop(x) is x
    drop.train()
    assert (drop(x).numpy() == 0).any()


def test_dropout_extremes_and_validation():
    x = torch.randn(50)
    assert nn.Dropout(0.0)(x) is x
    assert nn.Dropout(1.0)(x).tolist() == [0.0] * 50
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError, match="entre 0 y 1"):
            nn.Dropout(bad)
        with pytest.raises(ValueError, match="entre 0 y 1"):
            nn.functional.dropout(x, bad)
    assert nn.functional.dropout(x, 0.5, training=False) is x


def test_dropout_reproducible_with_seed():
    x = torch.ones(30)
    torch.manual_seed(5)
    a = nn.Dropout(0.5)(x).numpy().copy()
    torch.manual_seed(5)
    b = nn.Dropout(0.5)(x).numpy()
    np.testing.assert_array_equal(a, b)


def test_model_eval_disables_nested_dropout():
    model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.9), nn.Linear(4, 2))
    x = torch.randn(8, 4)
    model.eval()
    first, second = model(x).detach().numpy(), model(x).detach().numpy()
    np.testing.assert_array_equal(first, second)
    model.train()
    torch.manual_seed(0)
    assert not np.allclose(model(x).detach().numpy(), first)


# --- activaciones frente a torch -----------------------------------------------------------------
@pytest.mark.parametrize("name,args", [
    ("ReLU", ()), ("ReLU", (True,)), ("LeakyReLU", ()), ("LeakyReLU", (0.2,)), ("Sigmoid", ()),
    ("Tanh", ()), ("SiLU", ()), ("Softmax", (1,)), ("Softmax", (0,)), ("LogSoftmax", (1,)),
    ("LogSoftmax", (-1,)), ("Softmin", (1,)),
])
def test_activation_modules_match_torch(requiere_torch, name, args):
    rng = np.random.default_rng(0)
    data = rng.standard_normal((4, 5)) * 3
    data[0, 0] = 0.0
    ours = getattr(nn, name)(*args)(torch.tensor(data))
    ref = getattr(requiere_torch.nn, name)(*args)(requiere_torch.tensor(data))
    assert ours.dtype == torch.float64
    np.testing.assert_allclose(ours.detach().numpy(), ref.numpy(), rtol=1e-12, atol=1e-14)
    f32 = getattr(nn, name)(*args)(torch.tensor(data.astype(np.float32)))
    assert f32.dtype == torch.float32


def test_softmax_without_dim_warns_and_picks_torch_dim():
    x = torch.randn(2, 3)
    with pytest.warns(UserWarning, match="dim"):
        y = nn.Softmax()(x)
    np.testing.assert_allclose(y.sum(1).numpy(), [1, 1], rtol=1e-6)
    with pytest.warns(UserWarning):
        z = nn.functional.log_softmax(torch.randn(4))
    np.testing.assert_allclose(np.exp(z.numpy()).sum(), 1, rtol=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.Softmax(dim=1)(x)
