"""Valores del forward frente a referencias de NumPy (float32 y float64) y estabilidad numérica.

Cada fila: la expresión de tinygrad_es, la de NumPy (``None`` si es la misma escrita sobre
arrays) y las entradas. El resultado debe tener el dtype de la entrada (float32 sigue en
float32) y los valores de NumPy. Las operaciones de forma están en test_ops_forward_forma.py.
"""
import numpy as np
import pytest

import tinygrad_es as tg
import tinygrad_es.nn.functional as F
from tinygrad_es.ops import nnops


def entrada(spec, dtype, semilla):
    """``(3, 1)``: normal; ``("pos", forma)``: positivos; ``("int", forma)``: enteros pequeños."""
    rng = np.random.default_rng(semilla)
    tipo, forma = spec if isinstance(spec[0] if spec else None, str) else ("normal", spec)
    if tipo == "pos":
        return (rng.random(forma) + 0.2).astype(dtype)
    if tipo == "int":   # valores con empates para max/min
        return rng.integers(-2, 3, forma).astype(dtype)
    return rng.standard_normal(forma).astype(dtype)


def _softmax(x, d):
    e = np.exp(x - x.max(axis=d, keepdims=True))
    return e / e.sum(axis=d, keepdims=True)


def _log_softmax(x, d):
    s = x - x.max(axis=d, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=d, keepdims=True))


MISMA = None
BIN = [(3, 1), (1, 4)]
FILAS = {
    # --- binarias con difusión y escalares -------------------------------------------------
    "add": (lambda a, b: a + b, MISMA, BIN),
    "sub": (lambda a, b: a - b, MISMA, [(), (2, 3)]),
    "mul": (lambda a, b: a * b, MISMA, [(2, 1, 3), (4, 1)]),
    "div": (lambda a, b: a / b, MISMA, [(2, 3), ("pos", (3,))]),
    "pow_tensor": (lambda a, b: a ** b, MISMA, [("pos", (2, 3)), (3,)]),
    "escalares": (lambda x: (x + 2.5) * (2.5 - x) / 1.5 - 1 / (x * x + 1), MISMA, [(2, 3)]),
    "pow_escalares": (lambda x: x ** 3 + x ** 0 + 2 ** x, MISMA, [(4,)]),
    "pow_real": (lambda x: x ** 0.5 + x ** -1.5, MISMA, [("pos", (4,))]),
    "neg": (lambda x: -x, MISMA, [(2, 3)]),
    # --- unarias --------------------------------------------------------------------------
    "exp": (lambda x: x.exp(), np.exp, [(2, 3)]),
    "log": (lambda x: x.log(), np.log, [("pos", (2, 3))]),
    "sqrt": (lambda x: x.sqrt(), np.sqrt, [("pos", (5,))]),
    "abs": (lambda x: x.abs(), np.abs, [(2, 3)]),
    "sin": (lambda x: tg.sin(x), np.sin, [(2, 3)]),
    "cos": (lambda x: tg.cos(x), np.cos, [(2, 3)]),
    "tanh": (lambda x: x.tanh(), np.tanh, [(2, 3)]),
    "sigmoid": (lambda x: x.sigmoid(), lambda x: 1 / (1 + np.exp(-x)), [(2, 3)]),
    "relu": (lambda x: x.relu(), lambda x: np.maximum(x, 0), [(2, 3)]),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.2), lambda x: np.where(x > 0, x, 0.2 * x), [(6,)]),
    "clamp_min": (lambda x: x.clamp(min=-0.5), lambda x: np.maximum(x, -0.5), [(2, 3)]),
    "clamp_max": (lambda x: x.clamp(max=0.5), lambda x: np.minimum(x, 0.5), [(2, 3)]),
    "clamp_ambos": (lambda x: x.clamp(-0.5, 0.5), lambda x: np.clip(x, -0.5, 0.5), [(2, 3)]),
    "maximum": (lambda a, b: a.maximum(b), np.maximum, BIN),
    "minimum": (lambda a, b: tg.minimum(a, b), np.minimum, BIN),
    "where": (lambda a, b: tg.where(a > b, a, b), lambda a, b: np.where(a > b, a, b), BIN),
    # --- reducciones ----------------------------------------------------------------------
    "sum_todo": (lambda x: x.sum(), np.sum, [(2, 3, 4)]),
    "sum_dim": (lambda x: x.sum(1), lambda x: x.sum(1), [(2, 3, 4)]),
    "sum_tupla_neg_keepdim": (lambda x: x.sum((0, -1), keepdim=True),
                              lambda x: x.sum((0, 2), keepdims=True), [(2, 3, 4)]),
    "mean_todo": (lambda x: x.mean(), np.mean, [(2, 3, 4)]),
    "mean_neg": (lambda x: x.mean(-1), lambda x: x.mean(-1), [(2, 3, 4)]),
    "mean_tupla_keepdim": (lambda x: x.mean((0, 1), keepdim=True),
                           lambda x: x.mean((0, 1), keepdims=True), [(2, 3, 4)]),
    "amax": (lambda x: x.amax(1), lambda x: x.max(1), [("int", (3, 4))]),
    "amax_tupla": (lambda x: x.amax((0, -1), keepdim=True),
                   lambda x: x.max((0, 2), keepdims=True), [(2, 3, 4)]),
    "amin": (lambda x: x.amin(-1), lambda x: x.min(-1), [("int", (3, 4))]),
    "max_total": (lambda x: x.max(), np.max, [(2, 3)]),
    "min_total": (lambda x: tg.min(x), np.min, [(2, 3)]),
    "max_dim": (lambda x: x.max(1).values, lambda x: x.max(1), [("int", (3, 4))]),
    "min_dim_keepdim": (lambda x: x.min(0, keepdim=True)[0], lambda x: x.min(0, keepdims=True),
                        [("int", (3, 4))]),
    "var": (lambda x: x.var(), lambda x: x.var(ddof=1), [(3, 4)]),
    "var_dim_sesgada": (lambda x: x.var(0, unbiased=False), lambda x: x.var(0), [(3, 4)]),
    "std": (lambda x: x.std(1, keepdim=True), lambda x: x.std(1, ddof=1, keepdims=True), [(3, 4)]),
    "std_correction": (lambda x: tg.std(x, (0, 1), correction=0), lambda x: x.std((0, 1)),
                       [(3, 4)]),
    "norm": (lambda x: x.norm(), np.linalg.norm, [(3, 4)]),
    "norm_dim": (lambda x: x.norm(dim=1), lambda x: np.linalg.norm(x, axis=1), [(3, 4)]),
    "norm_1": (lambda x: x.norm(p=1), lambda x: np.abs(x).sum(), [(3, 4)]),
    # --- redes ------------------------------------------------------------------------------
    "softmax_0": (lambda x: x.softmax(0), lambda x: _softmax(x, 0), [(3, 4)]),
    "softmax_1": (lambda x: x.softmax(1), lambda x: _softmax(x, 1), [(3, 4)]),
    "softmax_neg": (lambda x: tg.softmax(x, -2), lambda x: _softmax(x, -2), [(2, 3, 4)]),
    "log_softmax_0": (lambda x: x.log_softmax(0), lambda x: _log_softmax(x, 0), [(3, 4)]),
    "log_softmax_neg": (lambda x: x.log_softmax(-1), lambda x: _log_softmax(x, -1), [(2, 3, 4)]),
    "linear_con_sesgo": (lambda x, w, b: tg.Tensor._apply(nnops.Linear, x, w, b),
                         lambda x, w, b: x @ w.T + b, [(5, 3), (2, 3), (2,)]),
    "linear_sin_sesgo_1d": (lambda x, w: tg.Tensor._apply(nnops.Linear, x, w),
                            lambda x, w: x @ w.T, [(3,), (2, 3)]),
    "linear_3d": (lambda x, w, b: F.linear(x, w, b), lambda x, w, b: x @ w.T + b,
                  [(2, 4, 3), (5, 3), (5,)]),
    "clone": (lambda x: x.clone(), lambda x: x.copy(), [(2, 3)]),
}


def _tolerancia(dtype):
    return {"rtol": 2e-6, "atol": 1e-6} if dtype == "float32" else {"rtol": 1e-12, "atol": 1e-12}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("nombre", sorted(FILAS))
def test_forward_como_numpy(nombre, dtype):
    fn, ref, specs = FILAS[nombre]
    arrays = [entrada(s, dtype, i) for i, s in enumerate(specs)]
    salida = fn(*[tg.tensor(a) for a in arrays])
    esperado = (ref or fn)(*[a.astype(np.float64) for a in arrays])
    assert salida.dtype == np.dtype(dtype), f"{nombre}: {salida.dtype} en vez de {dtype}"
    assert salida.shape == np.shape(esperado)
    np.testing.assert_allclose(salida.numpy(), esperado, **_tolerancia(dtype))


def test_max_dim_devuelve_indices_como_numpy():
    x = entrada(("int", (3, 4)), "float32", 0)
    valores, indices = tg.tensor(x).max(1)
    np.testing.assert_array_equal(indices.numpy(), x.argmax(1))
    assert indices.dtype == np.int64 and valores.dtype == np.float32
    np.testing.assert_array_equal(tg.tensor(x).min(0).indices.numpy(), x.argmin(0))


@pytest.mark.parametrize("origen, destino", [("float32", "float64"), ("float64", "float32")])
def test_cast_valores_y_dtype(origen, destino):
    x = entrada((2, 3), origen, 0)
    y = tg.tensor(x, requires_grad=True)
    z = y.double() if destino == "float64" else y.float()
    assert z.dtype == np.dtype(destino)
    np.testing.assert_array_equal(z.detach().numpy(), x.astype(destino))
    g = entrada((2, 3), destino, 1)
    z.backward(tg.tensor(g))
    assert y.grad.dtype == np.dtype(origen)
    np.testing.assert_array_equal(y.grad.numpy(), g.astype(origen))


def test_clone_no_comparte_memoria():
    x = tg.tensor(entrada((2, 3), "float32", 0))
    assert not np.shares_memory(x.clone().numpy(), x.numpy())


# --- estabilidad numérica -----------------------------------------------------------------
LOGITS_EXTREMOS = [
    [[1000., -1000., 0.], [-1000., -1000., -1000.], [999., 1000., 998.]],
    [[-1e3, 1e3], [500., -500.]],
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("logits", LOGITS_EXTREMOS, ids=["3x3", "2x2"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_y_log_softmax_estables(logits, dim, dtype):
    x64 = np.array(logits, dtype=np.float64)
    x = tg.tensor(x64.astype(dtype), requires_grad=True)
    tol = _tolerancia(dtype)
    sm, lsm = x.softmax(dim), x.log_softmax(dim)
    assert np.isfinite(sm.detach().numpy()).all() and np.isfinite(lsm.detach().numpy()).all()
    np.testing.assert_allclose(sm.detach().numpy(), _softmax(x64, dim), **tol)
    np.testing.assert_allclose(lsm.detach().numpy(), _log_softmax(x64, dim), rtol=tol["rtol"],
                               atol=1e-4 if dtype == "float32" else 1e-9)
    # normalización exponencial escrita a mano, como en clase: también finita
    e = (x - x.amax(dim, keepdim=True)).exp()
    manual = e / e.sum(dim, keepdim=True)
    np.testing.assert_allclose(manual.detach().numpy(), _softmax(x64, dim), **tol)
    (sm * tg.tensor(np.ones_like(x64, dtype=dtype))).sum().backward()
    lsm.sum().backward()
    assert np.isfinite(x.grad.numpy()).all()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sigmoid_y_tanh_finitas_en_extremos(dtype):
    x = tg.tensor(np.array([-1e3, -50., 0., 50., 1e3], dtype=dtype), requires_grad=True)
    s, t = x.sigmoid(), x.tanh()
    np.testing.assert_allclose(s.detach().numpy(), [0., 1 / (1 + np.exp(50.)), .5,
                                                     1 / (1 + np.exp(-50.)), 1.],
                               rtol=1e-6, atol=1e-30)
    np.testing.assert_array_equal(t.detach().numpy(), np.tanh(x.detach().numpy()))
    (s + t).sum().backward()
    g = x.grad.numpy()
    assert np.isfinite(g).all() and g[0] == 0 and g[-1] == 0 and g[2] == 1.25
