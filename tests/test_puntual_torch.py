"""Oráculo contra PyTorch de la familia «puntual» (tan, atan2, hypot, fmod, lerp, xlogy,
logical_*, nan_to_num, float_power, asarray, logspace, poisson...): valores, dtypes de
resultado, gradientes, ``out=``, variantes in situ y clases de error."""
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_es as tg

DTYPES = ["bool", "uint8", "int32", "int64", "float32", "float64"]

# nombre -> dominio (lo, hi) de valores válidos para las funciones de una entrada
UNARIAS = {
    "tan": (-1.4, 1.4), "asin": (-0.99, 0.99), "acos": (-0.99, 0.99), "atan": (-5, 5),
    "arcsin": (-0.99, 0.99), "arccos": (-0.99, 0.99), "arctan": (-5, 5),
    "sinh": (-4, 4), "cosh": (-4, 4), "asinh": (-5, 5), "acosh": (1.01, 6), "atanh": (-0.99, 0.99),
    "expm1": (-3, 3), "exp2": (-5, 5), "log2": (0.05, 9), "log10": (0.05, 9), "log1p": (-0.9, 5),
    "rsqrt": (0.05, 9), "reciprocal": (0.2, 5), "deg2rad": (-400, 400), "rad2deg": (-7, 7),
    "trunc": (-5, 5), "fix": (-5, 5), "frac": (-5, 5), "logit": (0.02, 0.98),
    "nan_to_num": (-5, 5), "absolute": (-5, 5), "negative": (-5, 5), "sgn": (-5, 5),
}
# las que PyTorch calcula en float para entradas enteras o bool
A_FLOAT = {"tan", "asin", "acos", "atan", "arcsin", "arccos", "arctan", "sinh", "cosh", "asinh",
           "acosh", "atanh", "expm1", "exp2", "log2", "log10", "log1p", "rsqrt", "reciprocal",
           "deg2rad", "rad2deg", "logit"}
SIN_GRADIENTE_EN_TORCH = {"sgn"}   # SgnBackward de PyTorch: gradiente 0 (aquí: sin grafo)


def _t(torch, array, requires_grad=False):
    return torch.tensor(array, requires_grad=requires_grad)


def _g(array, requires_grad=False):
    return tg.tensor(array, requires_grad=requires_grad)


def _mismo(a, b, rtol=1e-6, atol=1e-6):
    """Valores (nan en el mismo sitio) y dtype iguales."""
    a_np = a.detach().numpy()
    b_np = b.detach().numpy()
    assert str(a.dtype).split(".")[-1] == str(b_np.dtype), (a.dtype, b_np.dtype)
    assert a_np.shape == b_np.shape
    if a_np.dtype.kind == "f":
        np.testing.assert_allclose(b_np, a_np, rtol=rtol, atol=atol, equal_nan=True)
    else:
        np.testing.assert_array_equal(b_np, a_np)


def _resultado(fn):
    try:
        return fn(), None
    except Exception as exc:   # noqa: BLE001 (se compara la clase con la de PyTorch)
        return None, type(exc)


def _misma_clase_de_error(err_t, err_g):
    assert (err_t is None) == (err_g is None), (err_t, err_g)
    if err_t is not None:
        assert issubclass(err_g, err_t) or err_g is err_t, (err_t, err_g)


def _valores(lo, hi, dtype="float64"):
    return hnp.arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=2, max_side=4),
                      elements=st.floats(lo, hi, width=32 if dtype == "float32" else 64))


# --- funciones de una entrada ------------------------------------------------------------
@pytest.mark.parametrize("nombre", sorted(UNARIAS))
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_unaria_valores_y_gradiente(requiere_torch, nombre, data):
    torch = requiere_torch
    lo, hi = UNARIAS[nombre]
    x = data.draw(_valores(lo, hi))
    for dtype in ("float32", "float64"):
        xt, xg = _t(torch, x.astype(dtype)), _g(x.astype(dtype))
        rtol = 2e-6 if dtype == "float32" else 1e-12
        _mismo(getattr(torch, nombre)(xt), getattr(tg, nombre)(xg), rtol=rtol)
        _mismo(getattr(xt, nombre)(), getattr(xg, nombre)(), rtol=rtol)
    if nombre in SIN_GRADIENTE_EN_TORCH:
        return
    xt, xg = _t(torch, x, True), _g(x, True)
    yt, yg = getattr(torch, nombre)(xt), getattr(tg, nombre)(xg)
    w = data.draw(hnp.arrays("float64", x.shape, elements=st.floats(-2, 2)))
    (yt * _t(torch, w)).sum().backward()
    (yg * _g(w)).sum().backward()
    np.testing.assert_allclose(xg.grad.numpy(), xt.grad.numpy(), rtol=1e-10, atol=1e-12)
    assert yg.grad_fn.name() == yt.grad_fn.name()


@pytest.mark.parametrize("nombre", sorted(UNARIAS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_unaria_dtype_de_resultado(requiere_torch, nombre, dtype):
    torch = requiere_torch
    x = np.array([0, 1, 2, 3], dtype=dtype) if dtype != "bool" else np.array([True, False])
    if nombre in ("acosh",) and dtype != "bool":
        x = x + 1
    rt, et = _resultado(lambda: getattr(torch, nombre)(torch.tensor(x)))
    rg, eg = _resultado(lambda: getattr(tg, nombre)(tg.tensor(x)))
    _misma_clase_de_error(et, eg)
    if rt is not None:
        _mismo(rt, rg)


BORDES = {   # valores en los bordes del dominio: inf, nan, ±1, 0...
    "asin": [-1.0, 1.0, 0.0, 2.0], "acos": [-1.0, 1.0, 0.0], "acosh": [1.0, 0.5, 2.0],
    "atanh": [-1.0, 1.0, 0.0, 2.0], "rsqrt": [0.0, -1.0, 4.0, np.inf],
    "reciprocal": [0.0, -0.0, 2.0],
    "log2": [0.0, -1.0, np.inf], "log10": [0.0, -1.0], "logit": [0.0, 1.0, 0.5, -0.5, 1.5],
    "nan_to_num": [np.nan, np.inf, -np.inf, 1.0], "trunc": [-1.5, 1.5, -0.5, np.inf, np.nan],
    "frac": [-1.5, 1.5, -0.5, 2.0], "expm1": [1e-10, -1e-10, 100.0], "exp2": [-1074.0, 1024.0],
    "sinh": [1000.0, -1000.0], "cosh": [1000.0, 0.0], "tan": [np.pi / 2, 0.0],
}


@pytest.mark.parametrize("nombre", sorted(BORDES))
def test_unaria_en_los_bordes_valor_y_gradiente(requiere_torch, nombre):
    torch = requiere_torch
    x = np.array(BORDES[nombre])
    xt, xg = _t(torch, x, True), _g(x, True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # sin avisos de NumPy por el camino
        yg = getattr(tg, nombre)(xg)
        yg.backward(tg.ones_like(yg))
    yt = getattr(torch, nombre)(xt)
    yt.backward(torch.ones_like(yt))
    _mismo(yt, yg, rtol=1e-12)
    np.testing.assert_allclose(xg.grad.numpy(), xt.grad.numpy(), rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("eps", [None, 0.0, 0.2, 0.25])
def test_logit_eps_gradiente_en_los_bordes(requiere_torch, eps):
    torch = requiere_torch
    x = np.array([0.0, 0.1, 0.2, 0.25, 0.5, 0.75, 0.8, 0.9, 1.0])
    xt, xg = _t(torch, x, True), _g(x, True)
    yt, yg = torch.logit(xt, eps), tg.logit(xg, eps)
    yt.sum().backward()
    yg.sum().backward()
    _mismo(yt, yg, rtol=1e-12)
    np.testing.assert_allclose(xg.grad.numpy(), xt.grad.numpy(), rtol=1e-12, equal_nan=True)
    _mismo(torch.logit(xt.detach().float(), eps), tg.logit(xg.detach().float(), eps))


def test_nan_to_num_opciones(requiere_torch):
    torch = requiere_torch
    x = np.array([np.nan, np.inf, -np.inf, 1.5, -2.0])
    for kw in ({}, {"nan": 1.0}, {"posinf": 9.0}, {"neginf": -9.0},
               {"nan": -1.0, "posinf": 3.0, "neginf": -3.0}):
        for dtype in ("float32", "float64"):
            _mismo(torch.nan_to_num(torch.tensor(x.astype(dtype)), **kw),
                   tg.nan_to_num(tg.tensor(x.astype(dtype)), **kw))
    for dtype in ("int64", "bool"):
        v = np.array([1, 0, 3]).astype(dtype)
        _mismo(torch.nan_to_num(torch.tensor(v)), tg.nan_to_num(tg.tensor(v)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_isposinf_isneginf_logical_not(requiere_torch, dtype):
    torch = requiere_torch
    x = np.array([np.inf, -np.inf, np.nan, 0.0, 2.0])
    x = x.astype(dtype) if dtype.startswith("float") else np.array([0, 1, 3]).astype(dtype)
    for nombre in ("isposinf", "isneginf", "logical_not"):
        _mismo(getattr(torch, nombre)(torch.tensor(x)), getattr(tg, nombre)(tg.tensor(x)))
        _mismo(getattr(torch.tensor(x), nombre)(), getattr(tg.tensor(x), nombre)())


# --- funciones de dos entradas: dtypes de resultado y errores -----------------------------
BINARIAS = ["atan2", "arctan2", "hypot", "fmod", "fmax", "fmin", "xlogy", "heaviside",
            "logical_and", "logical_or", "logical_xor", "float_power", "true_divide",
            "multiply", "subtract", "divide"]


def _operando(dtype, dims):
    if dtype == "bool":
        v = np.array([True, False, True])
    else:
        v = np.array([3, 1, 2]).astype(dtype)
    return v if dims else v[0].reshape(())


@pytest.mark.parametrize("nombre", BINARIAS)
@pytest.mark.parametrize("da", DTYPES)
@pytest.mark.parametrize("db", DTYPES)
def test_binaria_dtypes_y_errores(requiere_torch, nombre, da, db):
    torch = requiere_torch
    for dims_b in (True, False):
        a, b = _operando(da, True), _operando(db, dims_b)
        rt, et = _resultado(lambda: getattr(torch, nombre)(torch.tensor(a), torch.tensor(b)))
        rg, eg = _resultado(lambda: getattr(tg, nombre)(tg.tensor(a), tg.tensor(b)))
        _misma_clase_de_error(et, eg)
        if rt is not None:
            _mismo(rt, rg)
            _mismo(getattr(torch.tensor(a), nombre)(torch.tensor(b)),
                   getattr(tg.tensor(a), nombre)(tg.tensor(b)))


ESCALARES = [2, 2.5, True, -3]


@pytest.mark.parametrize("nombre", BINARIAS)
@pytest.mark.parametrize("da", ["bool", "int64", "float32", "float64"])
@pytest.mark.parametrize("escalar", ESCALARES)
def test_binaria_con_escalar(requiere_torch, nombre, da, escalar):
    torch = requiere_torch
    a = _operando(da, True)
    for orden in (0, 1):
        def llamada(lib):
            x = lib.tensor(a)
            return getattr(lib, nombre)(*((x, escalar) if orden == 0 else (escalar, x)))
        rt, et = _resultado(lambda: llamada(torch))
        rg, eg = _resultado(lambda: llamada(tg))
        _misma_clase_de_error(et, eg)
        if rt is not None:
            _mismo(rt, rg)


def _par(dtype="float64", lo=-3, hi=3):
    return st.tuples(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)).flatmap(
        lambda s: st.tuples(hnp.arrays(dtype, s[0], elements=st.floats(lo, hi)),
                            hnp.arrays(dtype, s[0][1:] if s[0] else (),
                                       elements=st.floats(lo, hi))))


GRAD_BINARIAS = {"atan2": (-3, 3), "hypot": (-3, 3), "fmod": (0.3, 5), "fmax": (-3, 3),
                 "fmin": (-3, 3), "xlogy": (0.1, 4), "float_power": (0.2, 3)}


@pytest.mark.parametrize("nombre", sorted(GRAD_BINARIAS))
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_binaria_valores_y_gradientes(requiere_torch, nombre, data):
    torch = requiere_torch
    lo, hi = GRAD_BINARIAS[nombre]
    a, b = data.draw(_par(lo=lo, hi=hi))
    if nombre == "fmod":
        b = np.where(np.abs(b) < 0.3, 0.5, b)
    at, bt, ag, bg = _t(torch, a, True), _t(torch, b, True), _g(a, True), _g(b, True)
    yt, yg = getattr(torch, nombre)(at, bt), getattr(tg, nombre)(ag, bg)
    _mismo(yt, yg, rtol=1e-12)
    yt.sum().backward()
    yg.sum().backward()
    np.testing.assert_allclose(ag.grad.numpy(), at.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(bg.grad.numpy(), bt.grad.numpy(), rtol=1e-10, atol=1e-12)
    _mismo(getattr(torch, nombre)(at.detach().float(), bt.detach().float()),
           getattr(tg, nombre)(ag.detach().float(), bg.detach().float()), rtol=3e-6)


CASOS_ESPECIALES = {   # nombre: (a, b): orígenes, ceros, nan y empates
    "atan2": ([0.0, 0.0, -0.0, 1.0, 0.0], [0.0, -0.0, -1.0, 0.0, 1.0]),
    "hypot": ([0.0, 3.0, np.inf], [0.0, 4.0, np.nan]),
    "fmax": ([1.0, 2.0, np.nan, np.nan, 3.0, -0.0], [1.0, np.nan, 2.0, np.nan, 4.0, 0.0]),
    "fmin": ([1.0, 2.0, np.nan, np.nan, 3.0, -0.0], [1.0, np.nan, 2.0, np.nan, 4.0, 0.0]),
    "xlogy": ([0.0, 0.0, 1.0, 2.0, 0.0, -1.0], [0.0, 1.0, 0.0, 3.0, np.nan, 2.0]),
    "fmod": ([5.0, -5.0, 5.5, 4.0, 1.0], [3.0, 3.0, -2.0, 2.0, 0.0]),
    "float_power": ([0.0, 2.0, -2.0, 0.0], [2.0, 0.5, 2.0, 0.0]),
}


@pytest.mark.parametrize("nombre", sorted(CASOS_ESPECIALES))
def test_binaria_casos_especiales_valor_y_gradiente(requiere_torch, nombre):
    torch = requiere_torch
    a, b = (np.array(v) for v in CASOS_ESPECIALES[nombre])
    at, bt, ag, bg = _t(torch, a, True), _t(torch, b, True), _g(a, True), _g(b, True)
    yt, yg = getattr(torch, nombre)(at, bt), getattr(tg, nombre)(ag, bg)
    _mismo(yt, yg, rtol=1e-12)
    yt.sum().backward()
    yg.sum().backward()
    np.testing.assert_allclose(ag.grad.numpy(), at.grad.numpy(), rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(bg.grad.numpy(), bt.grad.numpy(), rtol=1e-12, equal_nan=True)


def test_heaviside_valores_y_sin_gradiente(requiere_torch):
    torch = requiere_torch
    x = np.array([-1.5, 0.0, -0.0, 2.0, np.nan, np.inf, -np.inf])
    for v in ([0.5], [0.5, 7, 7, 7, 7, 7, 7], 0.25):
        vv = np.array(v, dtype=np.float64)
        _mismo(torch.heaviside(torch.tensor(x), torch.tensor(vv)),
               tg.heaviside(tg.tensor(x), tg.tensor(vv)))
    xt = torch.tensor(x, requires_grad=True)
    with pytest.raises(RuntimeError):
        torch.heaviside(xt, torch.tensor(0.5, dtype=torch.float64)).sum().backward()
    with pytest.raises(RuntimeError):
        tg.heaviside(tg.tensor(x, requires_grad=True),
                     tg.tensor(0.5, dtype=tg.float64)).sum().backward()


@pytest.mark.parametrize("da", ["float32", "float64", "int64"])
@pytest.mark.parametrize("dw", ["número", "float32", "float64", "0-d float64"])
def test_lerp_dtypes_y_errores(requiere_torch, da, dw):
    torch = requiere_torch
    s, e = np.array([1, 2, 3]).astype(da), np.array([4, 0, -1]).astype(da)

    def llamada(lib):
        w = 0.3 if dw == "número" else (lib.tensor(np.array(0.75)) if dw.startswith("0-d")
                                         else lib.tensor(np.array([0.1, 0.5, 0.9]).astype(dw)))
        return lib.lerp(lib.tensor(s), lib.tensor(e), w)
    rt, et = _resultado(lambda: llamada(torch))
    rg, eg = _resultado(lambda: llamada(tg))
    _misma_clase_de_error(et, eg)
    if rt is not None:
        _mismo(rt, rg)
    _misma_clase_de_error(*(_resultado(lambda lib=lib: lib.lerp(
        lib.tensor([1.0]), lib.tensor([1.0], dtype=lib.float64), 0.5))[1] for lib in (torch, tg)))


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_lerp_gradientes(requiere_torch, data):
    torch = requiere_torch
    a, b = data.draw(_par())
    w = data.draw(hnp.arrays("float64", a.shape, elements=st.floats(-1, 2)))
    tens = [_t(torch, v, True) for v in (a, b, w)]
    mios = [_g(v, True) for v in (a, b, w)]
    yt, yg = torch.lerp(*tens), tg.lerp(*mios)
    _mismo(yt, yg, rtol=1e-12)
    assert yg.grad_fn.name() == yt.grad_fn.name()
    yt.sum().backward()
    yg.sum().backward()
    for t, g in zip(tens, mios):
        np.testing.assert_allclose(g.grad.numpy(), t.grad.numpy(), rtol=1e-12, atol=1e-12)
    peso = data.draw(st.floats(-1, 2))
    yt, yg = torch.lerp(tens[0], tens[1], peso), tg.lerp(mios[0], mios[1], peso)
    _mismo(yt, yg, rtol=1e-12)
    assert yg.grad_fn.name() == yt.grad_fn.name()


# --- aritmética con alpha= y out= --------------------------------------------------------
@pytest.mark.parametrize("nombre", ["add", "sub", "subtract"])
@pytest.mark.parametrize("da", ["bool", "int64", "float32"])
@pytest.mark.parametrize("alpha", [1, 2, 0.5, True, -1.5])
def test_alpha(requiere_torch, nombre, da, alpha):
    torch = requiere_torch
    a, b = _operando(da, True), _operando("int64", True)
    rt, et = _resultado(lambda: getattr(torch, nombre)(torch.tensor(a), torch.tensor(b),
                                                       alpha=alpha))
    rg, eg = _resultado(lambda: getattr(tg, nombre)(tg.tensor(a), tg.tensor(b), alpha=alpha))
    _misma_clase_de_error(et, eg)
    if rt is not None:
        _mismo(rt, rg)
        _mismo(getattr(torch.tensor(a), nombre)(torch.tensor(b), alpha=alpha),
               getattr(tg.tensor(a), nombre)(tg.tensor(b), alpha=alpha))


def test_alpha_gradiente(requiere_torch):
    torch = requiere_torch
    xt = torch.tensor([1.0, 2.0], requires_grad=True)
    yt = torch.tensor([3.0, -1.0], requires_grad=True)
    xg, yg = tg.tensor([1.0, 2.0], requires_grad=True), tg.tensor([3.0, -1.0], requires_grad=True)
    (torch.add(xt, yt, alpha=2.5) * torch.sub(xt, yt, alpha=-3)).sum().backward()
    (tg.add(xg, yg, alpha=2.5) * tg.sub(xg, yg, alpha=-3)).sum().backward()
    np.testing.assert_allclose(xg.grad.numpy(), xt.grad.numpy())
    np.testing.assert_allclose(yg.grad.numpy(), yt.grad.numpy())


OUT = {   # nombre: argumentos
    "tan": ([0.5, 1.0],), "atan2": ([0.5, 1.0], [1.0, -2.0]), "hypot": ([3.0, 1.0], [4.0, 2.0]),
    "logit": ([0.2, 0.7],), "nan_to_num": ([np.nan, 1.0],), "fmod": ([5.0, -3.0], [2.0, 2.0]),
    "xlogy": ([0.0, 2.0], [0.0, 3.0]), "logical_and": ([1.0, 0.0], [1.0, 1.0]),
    "isposinf": ([np.inf, 1.0],), "add": ([1.0, 2.0], [3.0, 4.0]), "mul": ([1.0, 2.0], [3.0, 4.0]),
    "true_divide": ([1.0, 2.0], [3.0, 4.0]), "float_power": ([1.0, 2.0], [3.0, 4.0]),
    "lerp": ([1.0, 2.0], [3.0, 4.0], [0.5, 0.25]), "exp2": ([1.0, 2.0],), "frac": ([1.5, -2.25],),
    "heaviside": ([0.0, -2.0], [0.5, 0.5]),
}


@pytest.mark.parametrize("nombre", sorted(OUT))
@pytest.mark.parametrize("dtype_out", ["float32", "float64", "int64", "bool"])
@pytest.mark.parametrize("forma", [(2,), (0,), (3,)])
def test_out(requiere_torch, nombre, dtype_out, forma):
    torch = requiere_torch
    args = OUT[nombre]
    dt = "float64" if nombre == "float_power" else "float32"

    def llamada(lib):
        out = lib.zeros(forma, dtype=getattr(lib, dtype_out))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = getattr(lib, nombre)(*[lib.tensor(np.array(a, dtype=dt)) for a in args], out=out)
        assert res is out
        return out
    rt, et = _resultado(lambda: llamada(torch))
    rg, eg = _resultado(lambda: llamada(tg))
    _misma_clase_de_error(et, eg)
    if rt is not None:
        _mismo(rt, rg)


@pytest.mark.parametrize("nombre", ["tan", "atan2", "lerp", "add"])
def test_out_con_gradiente_es_un_error(requiere_torch, nombre):
    torch = requiere_torch
    for lib in (torch, tg):
        args = [lib.tensor(np.array(a), requires_grad=i == 0) for i, a in enumerate(OUT[nombre])]
        with pytest.raises(RuntimeError):
            getattr(lib, nombre)(*args, out=lib.zeros(2, dtype=lib.float64))
        with lib.no_grad():
            out = lib.zeros(2, dtype=lib.float64)
            getattr(lib, nombre)(*args, out=out)
        assert not out.requires_grad


def test_out_aviso_al_cambiar_de_forma():
    out = tg.zeros(3)
    with pytest.warns(UserWarning):
        tg.tan(tg.tensor([1.0, 2.0]), out=out)
    assert out.shape == (2,)
    vacio = tg.zeros(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tg.tan(tg.tensor([1.0, 2.0]), out=vacio)
    np.testing.assert_allclose(vacio.numpy(), np.tan([1.0, 2.0]), rtol=1e-6)


# --- in situ -----------------------------------------------------------------------------
INSITU = {
    "tan_": (), "asin_": (), "arccos_": (), "atan_": (), "sinh_": (), "cosh_": (), "asinh_": (),
    "atanh_": (), "expm1_": (), "exp2_": (), "log2_": (), "log10_": (), "log1p_": (), "rsqrt_": (),
    "reciprocal_": (), "deg2rad_": (), "rad2deg_": (), "trunc_": (), "fix_": (), "frac_": (),
    "logit_": (), "nan_to_num_": (), "absolute_": (), "negative_": (), "sgn_": (),
    "atan2_": ([0.3, -0.2, 0.1],), "hypot_": ([0.3, -0.2, 0.1],), "fmod_": ([0.3, -0.2, 0.1],),
    "xlogy_": ([0.3, 0.2, 0.1],), "lerp_": ([0.3, -0.2, 0.1], 0.3),
    "heaviside_": ([0.5, 0.5, 0.5],),
    "logical_and_": ([1.0, 0.0, 1.0],), "logical_or_": ([1.0, 0.0, 1.0],),
    "logical_xor_": ([1.0, 0.0, 1.0],), "logical_not_": (), "float_power_": (2.0,),
    "multiply_": ([0.3, -0.2, 0.1],), "subtract_": ([0.3, -0.2, 0.1],),
    "true_divide_": ([0.3, -0.2, 0.1],), "divide_": ([0.3, -0.2, 0.1],),
}


def _args(lib, args, dtype):
    return [lib.tensor(np.array(a, dtype=dtype)) if isinstance(a, list) else a for a in args]


@pytest.mark.parametrize("nombre", sorted(INSITU))
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_in_situ_valores_y_errores(requiere_torch, nombre, dtype):
    torch = requiere_torch
    x = np.array([0.5, 0.25, 0.75]) if dtype != "int64" else np.array([1, 0, 2])

    def llamada(lib):
        t = lib.tensor(x.astype(dtype))
        r = getattr(t, nombre)(*_args(lib, INSITU[nombre], dtype))
        assert r is t
        return t
    rt, et = _resultado(lambda: llamada(torch))
    rg, eg = _resultado(lambda: llamada(tg))
    _misma_clase_de_error(et, eg)
    if rt is not None:
        _mismo(rt, rg)


@pytest.mark.parametrize("nombre", ["tan_", "atan2_", "lerp_", "logit_", "xlogy_", "frac_"])
def test_in_situ_en_el_grafo(requiere_torch, nombre):
    torch = requiere_torch
    x = np.array([0.5, 0.25, 0.75])
    grads = []
    for lib in (torch, tg):
        hoja = lib.tensor(x, requires_grad=True)
        with pytest.raises(RuntimeError):   # in situ en una hoja que requiere gradiente
            getattr(hoja, nombre)(*_args(lib, INSITU[nombre], "float64"))
        y = hoja * 1.5
        vista = y[1:]
        args = _args(lib, INSITU[nombre], "float64")
        args = [a[1:] if hasattr(a, "shape") else a for a in args]
        getattr(vista, nombre)(*args)
        (y * lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64)).sum().backward()
        grads.append((y.detach().numpy(), hoja.grad.numpy()))
    np.testing.assert_allclose(grads[1][0], grads[0][0], rtol=1e-12)
    np.testing.assert_allclose(grads[1][1], grads[0][1], rtol=1e-12)


# --- errores con la misma clase ----------------------------------------------------------
ERRORES = [
    lambda lib: lib.atan2(lib.tensor([1.0]), 2.0),
    lambda lib: lib.hypot(lib.tensor([1.0]), 2.0),
    lambda lib: lib.fmax(lib.tensor([1.0]), 2.0),
    lambda lib: lib.tan(2.0),
    lambda lib: lib.fmod(2, lib.tensor([1.0])),
    lambda lib: lib.fmod(lib.tensor([1, 2]), 0),
    lambda lib: lib.fmod(lib.tensor([1, 2]), lib.tensor([1, 0])),
    lambda lib: lib.heaviside(lib.tensor([1.0]), 0.5),
    lambda lib: lib.heaviside(lib.tensor([1.0]), lib.tensor([1.0], dtype=lib.float64)),
    lambda lib: lib.logical_and(lib.tensor([1.0]), 1),
    lambda lib: lib.float_power(2, 3),
    lambda lib: lib.xlogy(2, 3),
    lambda lib: lib.lerp(lib.tensor([1.0]), 2.0, 0.5),
    lambda lib: lib.tensor([1.0]).float_power_(2),
    lambda lib: lib.tensor([1, 2]).frac(),
    lambda lib: lib.tensor([True]).trunc(),
    lambda lib: lib.tensor([1, 2]).hypot(lib.tensor([1, 2])),
    lambda lib: lib.logspace(0, 1, 2.0),
    lambda lib: lib.logspace(0, 1, -1),
    lambda lib: lib.poisson(lib.tensor([1, 2])),
    lambda lib: lib.poisson(lib.tensor([-1.0])),
    lambda lib: lib.poisson(lib.tensor([np.nan])),
    lambda lib: lib.asarray(lib.tensor([1.0]), dtype=lib.float64, copy=False),
    lambda lib: lib.asarray(np.array([1, 2]), dtype=lib.float32, copy=False),
    lambda lib: lib.asarray([1, 2], requires_grad=True),
    lambda lib: lib.subtract(lib.tensor([1]), lib.tensor([1]), alpha=0.5),
    lambda lib: lib.add(lib.tensor([1.0]), lib.tensor([1.0]), alpha=True),
]


@pytest.mark.parametrize("i", range(len(ERRORES)))
def test_errores_misma_clase(requiere_torch, i):
    torch = requiere_torch
    _, et = _resultado(lambda: ERRORES[i](torch))
    _, eg = _resultado(lambda: ERRORES[i](tg))
    assert et is not None
    _misma_clase_de_error(et, eg)


# --- creación: asarray, logspace, poisson -------------------------------------------------
def test_asarray(requiere_torch):
    torch = requiere_torch
    a = np.array([1.0, 2.0])
    for obj in ([1, 2], [1.5, 2], 3.0, True, a, a.astype(np.int32), np.float64(2.0)):
        for kw in ({}, {"dtype": "float64"}, {"copy": True}):
            kt = {k: (getattr(torch, v) if k == "dtype" else v) for k, v in kw.items()}
            kg = {k: (getattr(tg, v) if k == "dtype" else v) for k, v in kw.items()}
            _mismo(torch.asarray(obj, **kt), tg.asarray(obj, **kg))
    g = tg.asarray(a)   # comparte memoria con el ndarray
    a[0] = 7.0
    assert g[0].item() == 7.0
    assert tg.asarray(a, copy=True).numpy() is not a
    t = tg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning):
        assert tg.asarray(t) is t
    assert not tg.asarray(t, requires_grad=False).requires_grad
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = tg.asarray(t, copy=True)
        d = tg.asarray(t, dtype=tg.float64)
    assert c.grad_fn.name() == "CloneBackward0" and d.grad_fn.name() == "ToCopyBackward0"
    assert tg.asarray([1.0, 2.0], requires_grad=True).requires_grad


@pytest.mark.parametrize("args", [(0, 2, 3), (0, 2, 3, 2), (-1, 1, 5), (0.0, 1.0, 5), (0, 2, 1),
                                  (0, 2, 0), (2, -3, 7, 3.5), (0, 3, 4, 2)])
@pytest.mark.parametrize("dtype", [None, "float64", "int64", "float32"])
def test_logspace(requiere_torch, args, dtype):
    torch = requiere_torch
    rt = torch.logspace(*args, dtype=None if dtype is None else getattr(torch, dtype))
    rg = tg.logspace(*args, dtype=None if dtype is None else getattr(tg, dtype))
    _mismo(rt, rg, rtol=0, atol=0)
    _mismo(torch.logspace(torch.tensor(0.0), torch.tensor(1.0), 4),
           tg.logspace(tg.tensor(0.0), tg.tensor(1.0), 4), rtol=0, atol=0)
    assert tg.logspace(0, 1, 3, requires_grad=True).requires_grad


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(semilla=st.integers(0, 2**32), tasas=hnp.arrays(
    "float64", hnp.array_shapes(min_dims=0, max_dims=2, max_side=6),
    elements=st.one_of(st.floats(0, 12), st.floats(0, 200), st.just(10.0), st.just(0.0))))
def test_poisson_mismos_numeros_que_pytorch(requiere_torch, semilla, tasas):
    torch = requiere_torch
    for dtype in ("float32", "float64"):
        torch.manual_seed(semilla)
        tg.manual_seed(semilla)
        _mismo(torch.poisson(torch.tensor(tasas.astype(dtype))),
               tg.poisson(tg.tensor(tasas.astype(dtype))), rtol=0, atol=0)
        np.testing.assert_array_equal(tg.rand(4).numpy(), torch.rand(4).numpy())   # mismo estado
    gt, gg = torch.Generator().manual_seed(semilla), tg.Generator().manual_seed(semilla)
    _mismo(torch.poisson(torch.tensor(tasas), gt), tg.poisson(tg.tensor(tasas), gg), rtol=0, atol=0)


def test_poisson_gradiente_cero(requiere_torch):
    torch = requiere_torch
    rt = torch.tensor([1.0, 20.0], requires_grad=True)
    rg = tg.tensor([1.0, 20.0], requires_grad=True)
    yt, yg = torch.poisson(rt), tg.poisson(rg)
    assert yg.grad_fn.name() == yt.grad_fn.name()
    yt.sum().backward()
    yg.sum().backward()
    np.testing.assert_array_equal(rg.grad.numpy(), rt.grad.numpy())


# --- inf y nan: sin avisos de NumPy y los mismos valores y gradientes que PyTorch ----------
_A = [0.0, 1.0, -1.0, np.nan, np.inf, -np.inf, 0.0, 2.0]
_B = [0.0, 0.0, 2.0, 1.0, np.inf, 0.0, np.nan, -np.inf]
CON_INF = {
    "atan2": lambda lib, a, b: lib.atan2(a, b), "hypot": lambda lib, a, b: lib.hypot(a, b),
    "fmod": lambda lib, a, b: lib.fmod(a, b), "fmax": lambda lib, a, b: lib.fmax(a, b),
    "fmin": lambda lib, a, b: lib.fmin(a, b), "xlogy": lambda lib, a, b: lib.xlogy(a, b),
    "lerp": lambda lib, a, b: lib.lerp(a, b, 0.3),
    "lerp_tensor": lambda lib, a, b: lib.lerp(a, b, b),
    **{n: (lambda lib, a, b, n=n: getattr(lib, n)(a)) for n in (
        "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "expm1", "exp2",
        "log2", "log10", "rsqrt", "reciprocal", "trunc", "frac", "logit", "nan_to_num",
        "deg2rad", "rad2deg")},
}


@pytest.mark.parametrize("nombre", sorted(CON_INF))
def test_inf_y_nan_sin_avisos(requiere_torch, nombre):
    torch = requiere_torch
    res = []
    for lib in (torch, tg):
        a = lib.tensor(_A, dtype=lib.float64, requires_grad=True)
        b = lib.tensor(_B, dtype=lib.float64, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            out = CON_INF[nombre](lib, a, b)
            out.backward(lib.ones_like(out))
        res.append((out, a.grad, b.grad))
    _mismo(res[0][0], res[1][0], rtol=1e-12)
    for gt, gg in zip(res[0][1:], res[1][1:]):
        if gt is None:
            assert gg is None or not np.any(gg.numpy())
        else:
            np.testing.assert_allclose(gg.numpy(), gt.numpy(), rtol=1e-12, equal_nan=True)
