"""Oráculo contra PyTorch de las firmas (familia firmas): las mismas llamadas por palabra clave
(``input=``, ``other=``, ``dim=``, ``out=``...) en torch y en tinygrad_es dan los mismos valores,
dtypes, formas y gradientes; y ``out=`` sigue la regla de PyTorch."""
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_es as tg

# nombre -> (dominio de valores, función que da los argumentos por nombre a partir de x y otro
# tensor y de la misma forma, ¿derivable?, ¿tiene out=?)
POS = (0.1, 4.0)
TODO = (-3.0, 3.0)


def _x(x, y, nd):
    return {"input": x}


CASOS = {
    "exp": (TODO, _x, True, True), "log": (POS, _x, True, True), "sqrt": (POS, _x, True, True),
    "abs": (TODO, _x, True, True), "sin": (TODO, _x, True, True), "cos": (TODO, _x, True, True),
    "tanh": (TODO, _x, True, True), "sigmoid": (TODO, _x, True, True),
    "neg": (TODO, _x, True, True), "square": (TODO, _x, True, True),
    "sign": (TODO, _x, False, True), "floor": (TODO, _x, False, True),
    "ceil": (TODO, _x, False, True), "erf": (TODO, _x, True, True),
    "erfc": (TODO, _x, True, True), "erfinv": ((-0.9, 0.9), _x, True, True),
    "relu": (TODO, _x, True, False), "clone": (TODO, _x, True, False),
    "isfinite": (TODO, _x, False, False),
    "round": (TODO, lambda x, y, nd: {"input": x, "decimals": 1}, False, True),
    "clamp": (TODO, lambda x, y, nd: {"input": x, "min": -1.0, "max": 1.5}, True, True),
    "eq": (TODO, lambda x, y, nd: {"input": x, "other": y}, False, True),
    "lt": (TODO, lambda x, y, nd: {"input": x, "other": y}, False, True),
    "ge": (TODO, lambda x, y, nd: {"input": x, "other": y}, False, True),
    "maximum": (TODO, lambda x, y, nd: {"input": x, "other": y}, True, True),
    "minimum": (TODO, lambda x, y, nd: {"input": x, "other": y}, True, True),
    "pow": (POS, lambda x, y, nd: {"input": x, "exponent": y}, True, True),
    "mul": (TODO, lambda x, y, nd: {"input": x, "other": y}, True, True),
    "sum": (TODO, lambda x, y, nd: {"input": x, "dim": nd - 1, "keepdim": True}, True, True),
    "mean": (TODO, lambda x, y, nd: {"input": x, "dim": 0}, True, True),
    "prod": (TODO, lambda x, y, nd: {"input": x, "dim": nd - 1}, True, True),
    "std": (TODO, lambda x, y, nd: {"input": x, "dim": 0}, True, False),
    "amax": (TODO, lambda x, y, nd: {"input": x, "dim": 0}, True, True),
    "argmax": (TODO, lambda x, y, nd: {"input": x, "dim": nd - 1}, False, True),
    "max": (TODO, lambda x, y, nd: {"input": x, "dim": 0}, True, True),
    "min": (TODO, lambda x, y, nd: {"input": x}, True, True),
    "softmax": (TODO, lambda x, y, nd: {"input": x, "dim": 0, "dtype": "float64"}, True, True),
    "log_softmax": (TODO, lambda x, y, nd: {"input": x, "dim": nd - 1}, True, True),
    "sort": (TODO, lambda x, y, nd: {"input": x, "dim": 0, "descending": True}, True, True),
    "argsort": (TODO, lambda x, y, nd: {"input": x, "dim": 0, "stable": True}, False, False),
    "topk": (TODO, lambda x, y, nd: {"input": x, "k": 1, "dim": nd - 1}, True, True),
    "norm": (TODO, lambda x, y, nd: {"input": x, "dim": 0}, True, True),
    "reshape": (TODO, lambda x, y, nd: {"input": x, "shape": (-1,)}, True, False),
    "permute": (TODO, lambda x, y, nd: {"input": x, "dims": tuple(range(nd))[::-1]}, True, False),
    "flatten": (TODO, lambda x, y, nd: {"input": x, "start_dim": 0}, True, False),
    "unsqueeze": (TODO, lambda x, y, nd: {"input": x, "dim": 0}, True, False),
    "transpose": (TODO, lambda x, y, nd: {"input": x, "dim0": 0, "dim1": nd - 1}, True, False),
    "split": (TODO, lambda x, y, nd: {"tensor": x, "split_size_or_sections": 1}, True, False),
    "chunk": (TODO, lambda x, y, nd: {"input": x, "chunks": 2, "dim": 0}, True, False),
    "cat": (TODO, lambda x, y, nd: {"tensors": [x, y], "dim": 0}, True, True),
    "stack": (TODO, lambda x, y, nd: {"tensors": [x, y], "dim": nd}, True, True),
}
MATRICES = {   # funciones de matrices: forma fija
    "mm": lambda a, b: {"input": a, "mat2": b.transpose(0, 1)},
    "matmul": lambda a, b: {"input": a, "other": b.transpose(0, 1)},
    "dot": lambda a, b: {"input": a[0], "tensor": b[0]},
}


def _torch_kwargs(torch, kwargs):
    return {k: getattr(torch, v) if k == "dtype" else v for k, v in kwargs.items()}


def _lista(r):
    return list(r) if isinstance(r, (tuple, list)) else [r]


def _comparar(rt, rg, rtol):
    rt, rg = _lista(rt), _lista(rg)
    assert len(rt) == len(rg)
    for a, b in zip(rt, rg):
        a_np, b_np = a.detach().numpy(), b.detach().numpy()
        assert str(a.dtype).split(".")[-1] == str(b_np.dtype)
        assert a_np.shape == b_np.shape
        np.testing.assert_allclose(b_np, a_np, rtol=rtol, atol=rtol)


def _llamar(mod, nombre, x, y, nd, argumentos, grad):
    xs = mod.tensor(x, requires_grad=grad)
    ys = mod.tensor(y, requires_grad=grad)
    kwargs = argumentos(xs, ys, nd)
    if mod is not tg:
        kwargs = _torch_kwargs(mod, kwargs)
    else:
        kwargs = {k: getattr(tg, v) if k == "dtype" else v for k, v in kwargs.items()}
    return getattr(mod, nombre)(**kwargs), xs, ys


def _gradientes(resultado, xs, ys, w):
    total = None
    for r in _lista(resultado):
        if "float" in str(r.dtype):
            s = (r * w(r)).sum()
            total = s if total is None else total + s
    total.backward()
    return [t.grad for t in (xs, ys) if t.grad is not None]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(nombre=st.sampled_from(sorted(CASOS)), forma=st.sampled_from([(3,), (2, 3), (2, 2, 3)]),
       dtype=st.sampled_from(["float32", "float64"]), datos=st.data())
def test_mismas_llamadas_por_nombre_que_torch(requiere_torch, nombre, forma, dtype, datos):
    torch = requiere_torch
    dominio, argumentos, derivable, tiene_out = CASOS[nombre]
    elementos = st.floats(*(float(np.float32(v)) for v in dominio), width=32)
    x = datos.draw(hnp.arrays(dtype, forma, elements=elementos))
    y = datos.draw(hnp.arrays(dtype, forma, elements=elementos))
    if nombre in ("sort", "argsort", "topk", "max", "min", "amax", "argmax", "maximum",
                  "minimum", "abs", "clamp", "round", "floor", "ceil", "sign"):
        # sin empates ni puntos de quiebre: los subgradientes y los índices no se comparan aquí
        x = x + np.arange(x.size, dtype=dtype).reshape(forma) * 7.3
        x = (x + 0.013).astype(dtype)
    rtol = 1e-4 if dtype == "float32" else 1e-9
    nd = len(forma)
    grad = derivable
    rt, xt, yt = _llamar(torch, nombre, x, y, nd, argumentos, grad)
    rg, xg, yg = _llamar(tg, nombre, x, y, nd, argumentos, grad)
    _comparar(rt, rg, rtol)
    if derivable:
        pesos = np.linspace(-1.0, 2.0, 64)

        def w_t(r):
            return torch.tensor(pesos[:r.numel()].reshape(r.shape), dtype=r.dtype)

        def w_g(r):
            return tg.tensor(pesos[:r.numel()].reshape(r.shape), dtype=r.dtype)
        gt, gg = _gradientes(rt, xt, yt, w_t), _gradientes(rg, xg, yg, w_g)
        _comparar(gt, gg, rtol * 10)
    if tiene_out:   # la misma llamada con out= (sin gradiente): se escribe en out y lo devuelve
        with torch.no_grad():
            rt2, _, _ = _llamar(torch, nombre, x, y, nd, argumentos, False)
        rg2, _, _ = _llamar(tg, nombre, x, y, nd, argumentos, False)
        outs_t = [torch.empty(0, dtype=r.dtype) for r in _lista(rt2)]
        outs_g = [tg.empty(0, dtype=r.dtype) for r in _lista(rg2)]
        kw_t = _torch_kwargs(torch, argumentos(torch.tensor(x), torch.tensor(y), nd))
        kw_g = {k: getattr(tg, v) if k == "dtype" else v
                for k, v in argumentos(tg.tensor(x), tg.tensor(y), nd).items()}
        dev_t = getattr(torch, nombre)(**kw_t, out=outs_t[0] if len(outs_t) == 1 else tuple(outs_t))
        dev_g = getattr(tg, nombre)(**kw_g, out=outs_g[0] if len(outs_g) == 1 else tuple(outs_g))
        _comparar(outs_t, outs_g, rtol)
        assert all(a is b for a, b in zip(_lista(dev_g), outs_g))
        _comparar(dev_t, dev_g, rtol)


@pytest.mark.parametrize("nombre", sorted(MATRICES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matrices_por_nombre(requiere_torch, nombre, dtype):
    torch = requiere_torch
    a = np.random.default_rng(0).normal(size=(3, 4)).astype(dtype)
    b = np.random.default_rng(1).normal(size=(3, 4)).astype(dtype)
    res = []
    for mod in (torch, tg):
        at, bt = mod.tensor(a, requires_grad=True), mod.tensor(b, requires_grad=True)
        r = getattr(mod, nombre)(**MATRICES[nombre](at, bt))
        r.sum().backward()
        o = mod.empty(0, dtype=r.dtype)
        with mod.no_grad():
            getattr(mod, nombre)(**MATRICES[nombre](at, bt), out=o)
        res.append((r, at.grad, bt.grad, o))
    rtol = 1e-5 if dtype == "float32" else 1e-12
    for a_, b_ in zip(*res):
        _comparar(a_, b_, rtol)


def test_out_cambia_de_forma_con_aviso_y_errores_como_torch(requiere_torch):
    torch = requiere_torch
    for mod in (torch, tg):
        x = mod.tensor([1.0, 2.0, 3.0])
        o = mod.zeros(2)
        with warnings.catch_warnings(record=True) as avisos:
            warnings.simplefilter("always")
            assert mod.exp(input=x, out=o) is o
        assert o.shape == (3,) and len(avisos) == 1
        np.testing.assert_allclose(o.numpy(), np.exp([1.0, 2.0, 3.0]), rtol=1e-6)
        with pytest.raises(RuntimeError):   # float no cabe en un out entero
            mod.exp(x, out=mod.zeros(3, dtype=mod.int64))
        with pytest.raises(RuntimeError):   # out= no admite autograd
            mod.exp(mod.tensor([1.0], requires_grad=True), out=mod.zeros(1))
        with pytest.raises(TypeError):
            mod.exp(2.0)
        # entero en un out float: se convierte
        r = mod.argmax(input=mod.tensor([1.0, 3.0, 2.0]), out=mod.zeros((), dtype=mod.int64))
        assert r.item() == 1
    with pytest.raises(RuntimeError, match="requiere gradiente"):
        tg.exp(tg.tensor([1.0], requires_grad=True), out=tg.zeros(1))


def test_creacion_con_out_y_size(requiere_torch):
    torch = requiere_torch
    for mod in (torch, tg):
        assert mod.zeros(size=(2, 3)).shape == (2, 3)
        o = mod.empty(0, dtype=mod.int64)
        assert mod.ones(2, 2, out=o) is o and o.dtype == mod.int64 and o.sum().item() == 4
        o = mod.empty(0)
        mod.arange(0, 5, out=o)
        assert o.dtype == mod.float32 and o.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
        mod.full((2,), 7.0, out=o)
        assert o.tolist() == [7.0, 7.0]
        assert mod.allclose(mod.tensor([float("nan")]), mod.tensor([float("nan")]),
                            equal_nan=True)
        assert mod.tensor([1.26]).round(decimals=1).item() == pytest.approx(1.3)
