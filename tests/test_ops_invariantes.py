"""Propiedades que deben cumplir forward y backward además de dar los números correctos.

- forward y backward no modifican las entradas ni el gradiente de salida que se les pasa;
- ``a.grad`` y ``b.grad`` nunca son vistas uno del otro (ni del gradiente de salida) y se
  pueden modificar in situ (los optimizadores lo hacen);
- el gradiente de una entrada tiene siempre su dtype y su forma, aunque la operación se haya
  hecho en float64 por promoción de tipos;
- tras backward los arrays guardados se liberan.
"""
import numpy as np
import pytest

import tinygrad_es as tg
from tinygrad_es.ops import nnops


def _f32(*forma, seed=0, positivo=False):
    valores = np.random.default_rng(seed).standard_normal(forma).astype(np.float32)
    return tg.tensor(np.abs(valores) + 0.5 if positivo else valores, requires_grad=True)


REPRESENTATIVAS = {
    "add": (lambda a, b: a + b, [(3, 1), (4,)]),
    "mul": (lambda a, b: a * b, [(2, 3), (2, 3)]),
    "div": (lambda a, b: a / b, [(2, 3), ("pos", (3,))]),
    "pow": (lambda a, b: a ** b, [("pos", (2, 3)), (2, 3)]),
    "exp_sigmoid_tanh": (lambda a: a.exp() + a.sigmoid() + a.tanh(), [(2, 3)]),
    "relu_clamp": (lambda a: a.relu() + a.clamp(-0.5, 0.5), [(2, 3)]),
    "maximum_where": (lambda a, b: a.maximum(b) + tg.where(a > b, a, b), [(2, 3), (3,)]),
    "sum_mean": (lambda a: a.sum(0) + a.mean(0), [(2, 3)]),
    "amax_max_dim": (lambda a: a.amax(1) + a.max(1).values, [(2, 3)]),
    "getitem": (lambda a: a[[0, 0, 1], 1:], [(2, 3)]),
    "movement": (lambda a: a.reshape(3, 2).T.expand(4, 2, 3).sum(0), [(2, 3)]),
    "cat_stack": (lambda a, b: tg.cat([a, b]).sum(0) + tg.stack([a, b]).sum(0), [(2, 3), (2, 3)]),
    "matmul": (lambda a, b: a @ b, [(2, 3, 4), (4, 2)]),
    "softmax": (lambda a: a.softmax(-1) + a.log_softmax(0), [(2, 3)]),
    "linear": (lambda x, w, b: tg.Tensor._apply(nnops.Linear, x, w, b), [(5, 3), (2, 3), (2,)]),
}


def _entradas(formas):
    salida = []
    for i, forma in enumerate(formas):
        if forma and forma[0] == "pos":   # ("pos", forma): positivos (divisor, base de pow)
            salida.append(_f32(*forma[1], seed=i, positivo=True))
        else:
            salida.append(_f32(*forma, seed=i))
    return salida


@pytest.mark.parametrize("nombre", sorted(REPRESENTATIVAS))
def test_forward_y_backward_no_modifican_las_entradas(nombre):
    fn, formas = REPRESENTATIVAS[nombre]
    entradas = _entradas(formas)
    antes = [t.detach().numpy().copy() for t in entradas]
    y = fn(*entradas)
    g = np.random.default_rng(7).standard_normal(y.shape).astype(np.float32)
    g_antes = g.copy()
    y.backward(tg.tensor(g))
    for t, a in zip(entradas, antes):
        np.testing.assert_array_equal(t.detach().numpy(), a)
        assert t.grad is not None and t.grad.dtype == np.float32 and t.grad.shape == t.shape
        assert t.grad.numpy().flags.writeable
    np.testing.assert_array_equal(g, g_antes)   # el gradiente de salida tampoco cambia


def _nodos(salida):
    vistos, pendientes = {}, [salida.grad_fn]
    while pendientes:
        nodo = pendientes.pop()
        if nodo is not None and id(nodo) not in vistos and hasattr(nodo, "op"):
            vistos[id(nodo)] = nodo
            pendientes.extend(nodo.parents)
    return list(vistos.values())


@pytest.mark.parametrize("nombre", sorted(REPRESENTATIVAS))
def test_backward_libera_lo_guardado(nombre):
    fn, formas = REPRESENTATIVAS[nombre]
    y = fn(*_entradas(formas)).sum()
    con_guardado = [n for n in _nodos(y) if n.saved]
    if not con_guardado:   # nada guardado (Add, Sum, GetItem...): como PyTorch, se puede repetir
        y.backward()
        y.backward()
        return
    y.backward(retain_graph=True)
    assert all(n.saved for n in con_guardado)          # retain_graph los conserva
    y.backward()
    assert all(n.saved is None for n in con_guardado)   # sin retain_graph se liberan
    with pytest.raises(RuntimeError, match="retain_graph"):
        y.backward()


def test_gradientes_de_a_mas_b_no_comparten_memoria():
    a, b = _f32(2, 3), _f32(2, 3, seed=1)
    (a + b).sum().backward()
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())
    a.grad.numpy()[...] = 5.0          # modificar uno no toca el otro
    np.testing.assert_array_equal(b.grad.numpy(), np.ones((2, 3), np.float32))


def test_gradiente_pasado_tal_cual_no_se_comparte():
    """Add deja pasar el mismo array a sus dos entradas y al gradiente de salida del usuario."""
    a, b = _f32(2, 3), _f32(3, seed=1)
    g = tg.tensor(np.random.default_rng(3).standard_normal((2, 3)).astype(np.float32))
    (a + b).backward(g)
    for grad in (a.grad.numpy(), b.grad.numpy()):
        assert not np.shares_memory(grad, g.numpy())
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())
    np.testing.assert_allclose(a.grad.numpy(), g.numpy())
    np.testing.assert_allclose(b.grad.numpy(), g.numpy().sum(0), rtol=1e-6)


def test_a_mas_a_acumula_sin_vistas():
    a = _f32(2, 3)
    g = tg.tensor(np.full((2, 3), 1.5, np.float32))
    (a + a).backward(g)
    np.testing.assert_array_equal(a.grad.numpy(), np.full((2, 3), 3.0, np.float32))
    assert not np.shares_memory(a.grad.numpy(), g.numpy())
    b = a * 1.0
    c = b + b
    c.sum().backward()   # se acumula sobre el gradiente anterior
    np.testing.assert_array_equal(a.grad.numpy(), np.full((2, 3), 5.0, np.float32))


@pytest.mark.parametrize("fn", [lambda a, b: (a.expand(2, 3) + b).sum(),
                                lambda a, b: (a.reshape(3) * 1 + b[0]).sum(),
                                lambda a, b: tg.cat([a.reshape(1, 3), b]).sum()],
                         ids=["expand", "reshape_getitem", "cat"])
def test_gradientes_propios_tras_vistas(fn):
    """Sum, Expand y Cat devuelven vistas de NumPy: cada .grad tiene su propia memoria."""
    a, b = _f32(1, 3), _f32(2, 3, seed=1)
    fn(a, b).backward()
    assert a.grad.numpy().flags.writeable and b.grad.numpy().flags.writeable
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())


OTROS_F64 = {
    "1-D float64": lambda: tg.tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True),
    "0-d float64": lambda: tg.tensor(np.float64(1.5), requires_grad=True),
    "2-D float64": lambda: tg.tensor(np.ones((2, 3)), requires_grad=True),
}


@pytest.mark.parametrize("otro", sorted(OTROS_F64))
@pytest.mark.parametrize("op", ["add", "mul", "sub", "div", "maximum", "where"])
def test_gradiente_tiene_dtype_y_forma_de_la_entrada(op, otro):
    a = _f32(2, 3)
    b = OTROS_F64[otro]()
    fns = {"add": lambda: a + b, "mul": lambda: a * b, "sub": lambda: b - a,
           "div": lambda: a / b, "maximum": lambda: a.maximum(b),
           "where": lambda: tg.where(a > 0, a, b)}
    y = fns[op]()
    esperado = np.float32 if otro == "0-d float64" else np.float64
    assert y.dtype == esperado       # promoción de PyTorch
    y.sum().backward()
    assert a.grad.dtype == np.float32 and a.grad.shape == (2, 3)
    assert b.grad.dtype == np.float64 and b.grad.shape == b.shape


def test_gradiente_float32_de_una_operacion_en_float64_vale_lo_mismo():
    a = _f32(2, 3)
    b = tg.tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    (a * b).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), np.broadcast_to(np.float32([0.5, -1, 2]), (2, 3)))
    np.testing.assert_allclose(b.grad.numpy(), a.detach().numpy().sum(0), rtol=1e-6)


def test_gradientes_difundidos_con_forma_de_la_entrada():
    a, b = _f32(3, 1), _f32(1, 4, seed=1)
    s = tg.tensor(np.float32(2.0), requires_grad=True)
    (a * b + s).sum().backward()
    assert a.grad.shape == (3, 1) and b.grad.shape == (1, 4) and s.grad.shape == ()
    np.testing.assert_allclose(a.grad.numpy(), np.full((3, 1), b.detach().numpy().sum()), rtol=1e-6)
    np.testing.assert_allclose(s.grad.numpy(), 12.0)
    assert {a.grad.dtype, b.grad.dtype, s.grad.dtype} == {np.dtype(np.float32)}
