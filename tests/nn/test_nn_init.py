"""nn.init: límites, estadísticas, dtypes, escritura en su sitio y ganancias como PyTorch."""
import math

import numpy as np
import pytest

import tinygrad_es as torch
import tinygrad_es.nn as nn
from tinygrad_es.nn import init


def param(*shape, dtype=torch.float32):
    return nn.Parameter(torch.zeros(*shape, dtype=dtype))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_inplace_keeps_object_dtype_and_no_graph(dtype):
    w = param(64, 32, dtype=dtype)
    data = w._data
    for fn in (init.xavier_uniform_, init.xavier_normal_, init.kaiming_uniform_,
               init.kaiming_normal_, init.normal_, init.uniform_, init.zeros_, init.ones_,
               init.trunc_normal_, init.eye_, lambda t: init.constant_(t, 0.3)):
        out = fn(w)
        assert out is w and w._data is data and w.dtype == dtype
        assert w.grad_fn is None and w.is_leaf and w.requires_grad
    assert w.tolist()[0][:2] == pytest.approx([0.3, 0.3])


def test_kaiming_uniform_default_bound():
    torch.manual_seed(0)
    w = init.kaiming_uniform_(param(200, 300))
    bound = math.sqrt(6 / 300)        # a=0, leaky_relu -> ganancia sqrt(2)
    values = w.detach().numpy()
    assert np.abs(values).max() <= bound and np.abs(values).max() > 0.99 * bound
    assert values.std() == pytest.approx(bound / math.sqrt(3), rel=0.02)
    w2 = init.kaiming_uniform_(param(200, 300), mode="fan_out", nonlinearity="relu")
    assert np.abs(w2.detach().numpy()).max() <= math.sqrt(6 / 200)


def test_kaiming_normal_and_xavier_statistics():
    torch.manual_seed(1)
    w = init.kaiming_normal_(param(300, 200)).detach().numpy()
    assert w.std() == pytest.approx(math.sqrt(2 / 200), rel=0.02)
    assert abs(w.mean()) < 0.005
    x = init.xavier_normal_(param(300, 200), gain=2.0).detach().numpy()
    assert x.std() == pytest.approx(2.0 * math.sqrt(2 / 500), rel=0.02)
    u = init.xavier_uniform_(param(300, 200), gain=init.calculate_gain("tanh")).detach().numpy()
    bound = 5 / 3 * math.sqrt(6 / 500)
    assert np.abs(u).max() <= bound and np.abs(u).max() > 0.99 * bound


def test_fan_with_receptive_field():
    torch.manual_seed(2)
    w = init.kaiming_uniform_(param(8, 4, 3, 3))   # fan_in = 4·3·3
    assert np.abs(w.detach().numpy()).max() <= math.sqrt(6 / 36)


def test_uniform_normal_trunc_constant():
    torch.manual_seed(3)
    u = init.uniform_(param(5000), -2.0, 3.0).detach().numpy()
    assert u.min() >= -2.0 and u.max() < 3.0 and u.mean() == pytest.approx(0.5, abs=0.1)
    n = init.normal_(param(5000), mean=1.0, std=0.5).detach().numpy()
    assert n.mean() == pytest.approx(1.0, abs=0.03) and n.std() == pytest.approx(0.5, rel=0.05)
    t = init.trunc_normal_(param(5000), std=1.0, a=-1.0, b=0.5).detach().numpy()
    assert t.min() >= -1.0 and t.max() <= 0.5 and t.dtype == np.float32
    assert init.ones_(param(3)).tolist() == [1.0] * 3
    assert init.zeros_(init.ones_(param(3))).tolist() == [0.0] * 3
    assert init.eye_(param(2, 3)).tolist() == [[1, 0, 0], [0, 1, 0]]


def test_seed_reproducibility_and_generator():
    torch.manual_seed(7)
    a = init.xavier_uniform_(param(4, 4)).detach().numpy().copy()
    torch.manual_seed(7)
    b = init.xavier_uniform_(param(4, 4)).detach().numpy()
    np.testing.assert_array_equal(a, b)
    g1, g2 = torch.Generator().manual_seed(1), torch.Generator().manual_seed(1)
    np.testing.assert_array_equal(init.normal_(param(3), generator=g1).detach().numpy(),
                                  init.normal_(param(3), generator=g2).detach().numpy())


def test_calculate_gain_matches_torch(requiere_torch):
    tinit = requiere_torch.nn.init
    for name, arg in [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None),
                      ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2), ("selu", None),
                      ("leaky_relu", 0), ("leaky_relu", math.sqrt(5))]:
        assert init.calculate_gain(name, arg) == pytest.approx(tinit.calculate_gain(name, arg))


def test_errors():
    with pytest.raises(ValueError, match="menos de 2 dimensiones"):
        init.kaiming_uniform_(param(3))
    with pytest.raises(ValueError, match="fan_in"):
        init.kaiming_normal_(param(3, 3), mode="entrada")
    with pytest.raises(ValueError, match="No linealidad"):
        init.calculate_gain("softplus")
    with pytest.raises(ValueError, match="pendiente"):
        init.calculate_gain("leaky_relu", "a")
    with pytest.warns(UserWarning, match="sin elementos"):
        init.zeros_(param(0))


def test_reinitialise_a_model_with_apply():
    model = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 5))

    def reset(m):
        if isinstance(m, nn.Linear):
            init.kaiming_normal_(m.weight, nonlinearity="relu")
            init.zeros_(m.bias)

    model.apply(reset)
    assert all(float(abs(m.bias).sum()) == 0 for m in model if isinstance(m, nn.Linear))
    assert all(p.dtype == torch.float32 for p in model.parameters())
