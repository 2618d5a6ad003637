"""BatchNorm, LayerNorm y GroupNorm contra PyTorch (oráculo): valores, gradientes, estadística
móvil tras varios pasos, eval, state_dict en los dos sentidos, repr y errores."""
import numpy as np
import pytest

import tinygrad_es as tg
import tinygrad_es.nn as nn
import tinygrad_es.nn.functional as F

_rng = np.random.default_rng(11)


def _np(t):
    return t.detach().numpy()


def _cerca(a, b, dtype):
    tol = 1e-5 if dtype == np.float32 else 1e-11
    np.testing.assert_allclose(_np(a), _np(b), rtol=tol, atol=tol)


BN = [("BatchNorm1d", (8, 3)), ("BatchNorm1d", (4, 3, 5)), ("BatchNorm2d", (4, 3, 5, 2)),
      ("BatchNorm3d", (2, 3, 2, 2, 3))]


@pytest.mark.parametrize("clase,forma", BN)
@pytest.mark.parametrize("kwargs", [{}, {"momentum": None}, {"momentum": 0.3, "eps": 1e-3},
                                    {"affine": False}, {"bias": False},
                                    {"track_running_stats": False}])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batchnorm_pasos_igual_que_pytorch(requiere_torch, clase, forma, kwargs, dtype):
    torch = requiere_torch
    ours = getattr(nn, clase)(3, dtype=dtype, **kwargs)
    ref = getattr(torch.nn, clase)(3, dtype=getattr(torch, np.dtype(dtype).name), **kwargs)
    if ours.weight is not None:   # pesos no triviales, iguales en los dos
        w = _rng.standard_normal(3).astype(dtype)
        with torch.no_grad():
            ref.weight.copy_(torch.tensor(w))
        ours.weight.data.copy_(tg.tensor(w))
    for paso in range(4):
        x = (_rng.standard_normal(forma) * 2 + paso).astype(dtype)
        g = _rng.standard_normal(forma).astype(dtype)
        xa, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        ya, yt = ours(xa), ref(xt)
        ya.backward(tg.tensor(g))
        yt.backward(torch.tensor(g))
        _cerca(ya, yt, dtype)
        _cerca(xa.grad, xt.grad, dtype)
        for nombre in ("weight", "bias"):
            if getattr(ref, nombre) is not None:
                _cerca(getattr(ours, nombre).grad, getattr(ref, nombre).grad, dtype)
    assert ya.grad_fn.name() == "NativeBatchNormBackward0"
    estado_t, estado_a = ref.state_dict(), ours.state_dict()
    assert list(estado_a) == list(estado_t)
    for clave in estado_t:
        _cerca(estado_a[clave], estado_t[clave], dtype)
        assert estado_a[clave].dtype == getattr(tg, str(estado_t[clave].dtype).split(".")[1])
    ours.eval()
    ref.eval()
    x = _rng.standard_normal(forma).astype(dtype)
    xa, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yt = ours(xa), ref(xt)
    ya.sum().backward()
    yt.sum().backward()
    _cerca(ya, yt, dtype)
    _cerca(xa.grad, xt.grad, dtype)


def test_batchnorm_state_dict_en_los_dos_sentidos(requiere_torch):
    torch = requiere_torch
    ref = torch.nn.BatchNorm1d(4)
    ref(torch.randn(6, 4) * 3 + 1)
    ref(torch.randn(6, 4) * 3 + 1)
    ours = nn.BatchNorm1d(4)
    ours.load_state_dict({k: tg.tensor(v.numpy()) for k, v in ref.state_dict().items()})
    assert int(ours.num_batches_tracked) == 2
    ours.eval()
    ref.eval()
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    _cerca(ours(tg.tensor(x)), ref(torch.tensor(x)), np.float32)
    # y al revés: de tinygrad_es a PyTorch
    ours.train()
    ours(tg.tensor(x * 2))
    otro = torch.nn.BatchNorm1d(4)
    otro.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    assert int(otro.num_batches_tracked) == 3
    _cerca(ours.running_var, otro.running_var, np.float32)


def test_batchnorm_sin_estadistica_movil_normaliza_con_el_lote_tambien_en_eval(requiere_torch):
    torch = requiere_torch
    ours, ref = nn.BatchNorm2d(2, track_running_stats=False), torch.nn.BatchNorm2d(
        2, track_running_stats=False)
    assert list(ours.state_dict()) == list(ref.state_dict()) == ["weight", "bias"]
    assert ours.running_mean is None and ours.num_batches_tracked is None
    ours.eval()
    ref.eval()
    x = np.random.default_rng(1).standard_normal((3, 2, 2, 2)).astype(np.float32)
    _cerca(ours(tg.tensor(x)), ref(torch.tensor(x)), np.float32)


def test_batch_norm_funcional_actualiza_en_su_sitio(requiere_torch):
    torch = requiere_torch
    x = np.random.default_rng(2).standard_normal((5, 3, 4))
    rm_a, rv_a = tg.zeros(3, dtype=tg.float64), tg.ones(3, dtype=tg.float64)
    rm_t, rv_t = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    ya = F.batch_norm(tg.tensor(x), rm_a, rv_a, training=True, momentum=0.25, eps=1e-4)
    yt = torch.nn.functional.batch_norm(torch.tensor(x), rm_t, rv_t, training=True,
                                        momentum=0.25, eps=1e-4)
    _cerca(ya, yt, np.float64)
    _cerca(rm_a, rm_t, np.float64)
    _cerca(rv_a, rv_t, np.float64)   # varianza insesgada en la estadística móvil
    ya = F.batch_norm(tg.tensor(x), rm_a, rv_a)
    yt = torch.nn.functional.batch_norm(torch.tensor(x), rm_t, rv_t)
    _cerca(ya, yt, np.float64)


@pytest.mark.parametrize("forma,nforma", [((4, 6), (6,)), ((2, 3, 4), (4,)),
                                          ((2, 3, 4), (3, 4))])
@pytest.mark.parametrize("kwargs", [{}, {"elementwise_affine": False}, {"bias": False},
                                    {"eps": 1e-2}])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_layernorm_igual_que_pytorch(requiere_torch, forma, nforma, kwargs, dtype):
    torch = requiere_torch
    ours = nn.LayerNorm(nforma, dtype=dtype, **kwargs)
    ref = torch.nn.LayerNorm(nforma, dtype=getattr(torch, np.dtype(dtype).name), **kwargs)
    assert repr(ours) == repr(ref)
    assert list(ours.state_dict()) == list(ref.state_dict())
    if ours.weight is not None:
        w = _rng.standard_normal(nforma).astype(dtype)
        with torch.no_grad():
            ref.weight.copy_(torch.tensor(w))
        ours.weight.data.copy_(tg.tensor(w))
    x = (_rng.standard_normal(forma) * 3 + 1).astype(dtype)
    g = _rng.standard_normal(forma).astype(dtype)
    xa, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yt = ours(xa), ref(xt)
    ya.backward(tg.tensor(g))
    yt.backward(torch.tensor(g))
    _cerca(ya, yt, dtype)
    _cerca(xa.grad, xt.grad, dtype)
    for nombre in ("weight", "bias"):
        if getattr(ref, nombre) is not None:
            _cerca(getattr(ours, nombre).grad, getattr(ref, nombre).grad, dtype)
    assert ya.dtype == getattr(tg, np.dtype(dtype).name)
    assert ya.grad_fn.name() == "NativeLayerNormBackward0"


@pytest.mark.parametrize("forma,grupos", [((4, 6), 3), ((2, 4, 5), 2), ((2, 6, 2, 3), 3),
                                          ((2, 4, 3), 1), ((2, 4, 3), 4)])
@pytest.mark.parametrize("kwargs", [{}, {"affine": False}, {"bias": False}, {"eps": 1e-3}])
def test_groupnorm_igual_que_pytorch(requiere_torch, forma, grupos, kwargs):
    torch = requiere_torch
    c = forma[1]
    ours, ref = nn.GroupNorm(grupos, c, **kwargs), torch.nn.GroupNorm(grupos, c, **kwargs)
    assert repr(ours) == repr(ref)
    assert list(ours.state_dict()) == list(ref.state_dict())
    if ours.weight is not None:
        w = _rng.standard_normal(c).astype(np.float32)
        with torch.no_grad():
            ref.weight.copy_(torch.tensor(w))
        ours.weight.data.copy_(tg.tensor(w))
    x = (_rng.standard_normal(forma) * 3 + 1).astype(np.float32)
    g = _rng.standard_normal(forma).astype(np.float32)
    xa, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yt = ours(xa), ref(xt)
    ya.backward(tg.tensor(g))
    yt.backward(torch.tensor(g))
    _cerca(ya, yt, np.float32)
    _cerca(xa.grad, xt.grad, np.float32)
    for nombre in ("weight", "bias"):
        if getattr(ref, nombre) is not None:
            _cerca(getattr(ours, nombre).grad, getattr(ref, nombre).grad, np.float32)


def test_repr_como_pytorch(requiere_torch):
    torch = requiere_torch
    for args, kwargs in [((3,), {}), ((5,), {"momentum": None, "affine": False}),
                         ((2,), {"track_running_stats": False, "eps": 1e-3})]:
        assert repr(nn.BatchNorm1d(*args, **kwargs)) == repr(torch.nn.BatchNorm1d(*args, **kwargs))
        assert repr(nn.BatchNorm2d(*args, **kwargs)) == repr(torch.nn.BatchNorm2d(*args, **kwargs))


def test_reset_running_stats():
    bn = nn.BatchNorm1d(2)
    bn(tg.tensor([[1.0, 2.0], [3.0, 5.0]]))
    assert int(bn.num_batches_tracked) == 1 and bn.running_mean.numpy().any()
    bn.reset_running_stats()
    assert int(bn.num_batches_tracked) == 0
    assert bn.running_mean.numpy().tolist() == [0, 0] and bn.running_var.numpy().tolist() == [1, 1]


def test_segundas_derivadas_de_batchnorm_en_un_modelo(requiere_torch):
    """Penalización de gradiente a través de BatchNorm y LayerNorm (create_graph=True)."""
    torch = requiere_torch
    x = np.random.default_rng(3).standard_normal((6, 4))
    res = []
    for lib, mod in ((tg, nn), (torch, torch.nn)):
        bn, ln = mod.BatchNorm1d(4, dtype=lib.float64), mod.LayerNorm(4, dtype=lib.float64)
        xx = lib.tensor(x, requires_grad=True)
        y = (ln(bn(xx)) ** 3).sum()
        (g,) = lib.autograd.grad(y, xx, create_graph=True)
        (g * g).sum().backward()
        res.append((xx.grad.detach().numpy(), bn.weight.grad.detach().numpy()))
    np.testing.assert_allclose(res[0][0], res[1][0], rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(res[0][1], res[1][1], rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("llamada,error", [
    (lambda: F.batch_norm(tg.randn(1, 3), None, None, training=True), ValueError),
    (lambda: F.batch_norm(tg.randn(4, 3), None, None, training=False), RuntimeError),
    (lambda: F.batch_norm(tg.randn(4, 3), tg.zeros(2), tg.ones(2)), RuntimeError),
    (lambda: F.batch_norm(tg.randn(4), None, None, training=True), IndexError),
    (lambda: nn.BatchNorm1d(3)(tg.randn(4, 3, 2, 2)), ValueError),
    (lambda: nn.BatchNorm2d(3)(tg.randn(4, 3, 2)), ValueError),
    (lambda: F.layer_norm(tg.randn(2, 4), [5]), RuntimeError),
    (lambda: F.layer_norm(tg.randn(2, 4), 4), TypeError),
    (lambda: F.group_norm(tg.randn(2, 3), 2), RuntimeError),
    (lambda: nn.GroupNorm(2, 3), ValueError),
    (lambda: F.group_norm(tg.randn(2, 4), 2, weight=tg.ones(3)), RuntimeError),
    (lambda: F.group_norm(tg.randn(4), 2), RuntimeError),
    (lambda: nn.LayerNorm(3)(tg.randn(2, 3, dtype=tg.float64)), RuntimeError),
])
def test_errores_como_pytorch(llamada, error):
    with pytest.raises(error):
        llamada()


@pytest.mark.parametrize("forma,nforma", [((4, 6), (6,)), ((2, 3, 4), (3, 4))])
@pytest.mark.parametrize("kwargs", [{}, {"eps": 1e-3}, {"elementwise_affine": False}])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rmsnorm_igual_que_pytorch(requiere_torch, forma, nforma, kwargs, dtype):
    torch = requiere_torch
    ours = nn.RMSNorm(nforma, dtype=dtype, **kwargs)
    ref = torch.nn.RMSNorm(nforma, dtype=getattr(torch, np.dtype(dtype).name), **kwargs)
    assert repr(ours) == repr(ref)
    assert list(ours.state_dict()) == list(ref.state_dict())
    if ours.weight is not None:
        w = _rng.standard_normal(nforma).astype(dtype)
        with torch.no_grad():
            ref.weight.copy_(torch.tensor(w))
        ours.weight.data.copy_(tg.tensor(w))
    x = (_rng.standard_normal(forma) * 0.01).astype(dtype)   # eps importa con valores pequeños
    g = _rng.standard_normal(forma).astype(dtype)
    xa, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yt = ours(xa), ref(xt)
    ya.backward(tg.tensor(g))
    yt.backward(torch.tensor(g))
    _cerca(ya, yt, dtype)
    _cerca(xa.grad, xt.grad, dtype)
    if ours.weight is not None:
        _cerca(ours.weight.grad, ref.weight.grad, dtype)
    with pytest.raises(RuntimeError):
        F.rms_norm(xa, (5,))


@pytest.mark.parametrize("clase,forma", [("InstanceNorm1d", (4, 3, 5)), ("InstanceNorm1d", (3, 5)),
                                         ("InstanceNorm2d", (2, 3, 4, 5)),
                                         ("InstanceNorm3d", (3, 2, 2, 3))])
@pytest.mark.parametrize("kwargs", [{}, {"affine": True}, {"track_running_stats": True},
                                    {"affine": True, "track_running_stats": True,
                                     "momentum": 0.3}])
def test_instancenorm_igual_que_pytorch(requiere_torch, clase, forma, kwargs):
    torch = requiere_torch
    ours, ref = getattr(nn, clase)(3, **kwargs), getattr(torch.nn, clase)(3, **kwargs)
    assert repr(ours) == repr(ref)
    assert list(ours.state_dict()) == list(ref.state_dict())
    if ours.weight is not None:
        w = _rng.standard_normal(3).astype(np.float32)
        with torch.no_grad():
            ref.weight.copy_(torch.tensor(w))
        ours.weight.data.copy_(tg.tensor(w))
    for _ in range(3):
        x = (_rng.standard_normal(forma) * 2 + 1).astype(np.float32)
        g = _rng.standard_normal(forma).astype(np.float32)
        xa, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        ya, yt = ours(xa), ref(xt)
        ya.backward(tg.tensor(g))
        yt.backward(torch.tensor(g))
        _cerca(ya, yt, np.float32)
        _cerca(xa.grad, xt.grad, np.float32)
    for clave, valor in ref.state_dict().items():
        _cerca(ours.state_dict()[clave], valor, np.float32)
    if ours.weight is not None:
        _cerca(ours.weight.grad, ref.weight.grad, np.float32)
    ours.eval()
    ref.eval()
    _cerca(ours(tg.tensor(x)), ref(torch.tensor(x)), np.float32)


def test_errores_de_instance_norm():
    with pytest.raises(ValueError):
        F.instance_norm(tg.randn(2, 3, 1))
    with pytest.raises(RuntimeError):
        F.instance_norm(tg.randn(2, 3, 4), use_input_stats=False)
    with pytest.raises(ValueError):
        nn.InstanceNorm1d(3)(tg.randn(2, 3, 4, 5))
    with pytest.raises(ValueError):
        nn.InstanceNorm2d(3, affine=True)(tg.randn(2, 4, 5, 5))
    with pytest.warns(UserWarning):
        nn.InstanceNorm2d(3)(tg.randn(2, 4, 5, 5))
