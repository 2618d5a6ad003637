"""Pooling contra PyTorch (el oráculo): valores, gradientes e índices en float32 y float64
sobre combinaciones de kernel/stride/padding/dilation/ceil_mode, empates (el gradiente va al
mismo elemento que en PyTorch), NaN, entradas sin lote, módulos y errores."""
import itertools

import numpy as np
import pytest

import tinygrad_es as tg
import tinygrad_es.nn as nn
import tinygrad_es.nn.functional as F

TOL = {np.float32: dict(rtol=1e-5, atol=1e-6), np.float64: dict(rtol=1e-12, atol=1e-12)}


def comparar(torch, fn_tg, fn_torch, datos, indices=False):
    """Salida (e índices), dtype, forma y gradiente con un gradiente de salida aleatorio."""
    dtype = datos.dtype.type
    a, b = tg.tensor(datos, requires_grad=True), torch.tensor(datos, requires_grad=True)
    sa, sb = fn_tg(a), fn_torch(b)
    if indices:
        (sa, ia), (sb, ib) = sa, sb
        assert ia.dtype == tg.int64
        np.testing.assert_array_equal(ia.numpy(), ib.numpy())
    assert tuple(sa.shape) == tuple(sb.shape)
    assert str(sa.dtype).split(".")[-1] == str(sb.dtype).split(".")[-1]
    np.testing.assert_allclose(sa.detach().numpy(), sb.detach().numpy(), **TOL[dtype])
    g = np.random.default_rng(1).standard_normal(tuple(sb.shape)).astype(dtype)
    sa.backward(tg.tensor(g))
    sb.backward(torch.tensor(g))
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **TOL[dtype])


def aleatorio(forma, dtype=np.float64, semilla=0):
    return np.random.default_rng(semilla).standard_normal(forma).astype(dtype)


def con_empates(forma, dtype=np.float64, semilla=0):
    """Enteros pequeños: muchas ventanas con el máximo repetido."""
    return np.random.default_rng(semilla).integers(0, 3, forma).astype(dtype)


MAX2D = [c for c in itertools.product([2, 3, (3, 2)], [None, 1, 2, (1, 2)], [0, 1],
                                      [1, 2], [False, True])]


@pytest.mark.parametrize("kernel,stride,padding,dilation,ceil_mode", MAX2D)
def test_max_pool2d(requiere_torch, kernel, stride, padding, dilation, ceil_mode):
    torch = requiere_torch
    kw = dict(kernel_size=kernel, stride=stride, padding=padding, dilation=dilation,
              ceil_mode=ceil_mode, return_indices=True)
    for datos in (aleatorio((2, 3, 9, 8), np.float32), con_empates((2, 3, 9, 8))):
        comparar(torch, lambda x: F.max_pool2d(x, **kw),
                 lambda x: torch.nn.functional.max_pool2d(x, **kw), datos, indices=True)


@pytest.mark.parametrize("kernel,stride,padding,dilation,ceil_mode",
                         list(itertools.product([2, 3], [None, 2], [0, 1], [1, 3],
                                                [False, True])))
def test_max_pool1d(requiere_torch, kernel, stride, padding, dilation, ceil_mode):
    torch = requiere_torch
    kw = dict(kernel_size=kernel, stride=stride, padding=padding, dilation=dilation,
              ceil_mode=ceil_mode, return_indices=True)
    for datos in (aleatorio((2, 3, 13)), con_empates((2, 3, 13), np.float32)):
        comparar(torch, lambda x: F.max_pool1d(x, **kw),
                 lambda x: torch.nn.functional.max_pool1d(x, **kw), datos, indices=True)


def test_max_pool_nan_menos_infinito_y_sin_lote(requiere_torch):
    torch = requiere_torch
    x = con_empates((3, 6, 6))
    x[0, 0, 1] = x[1, 2, 2] = x[1, 2, 3] = np.nan
    x[2] = -np.inf
    comparar(torch, lambda t: F.max_pool2d(t, 3, 2, 1, return_indices=True),
             lambda t: torch.nn.functional.max_pool2d(t, 3, 2, 1, return_indices=True), x,
             indices=True)


AVG2D = list(itertools.product([2, 3, (3, 2)], [None, 1, 2], [0, 1], [False, True],
                               [True, False], [None, 4]))


@pytest.mark.parametrize("kernel,stride,padding,ceil_mode,incluye,divisor", AVG2D)
def test_avg_pool2d(requiere_torch, kernel, stride, padding, ceil_mode, incluye, divisor):
    torch = requiere_torch
    kw = dict(kernel_size=kernel, stride=stride, padding=padding, ceil_mode=ceil_mode,
              count_include_pad=incluye, divisor_override=divisor)
    for dtype in (np.float32, np.float64):
        comparar(torch, lambda x: F.avg_pool2d(x, **kw),
                 lambda x: torch.nn.functional.avg_pool2d(x, **kw), aleatorio((2, 3, 9, 8),
                                                                              dtype))


@pytest.mark.parametrize("kernel,stride,padding,ceil_mode,incluye",
                         list(itertools.product([2, 3], [None, 2], [0, 1], [False, True],
                                                [True, False])))
def test_avg_pool1d(requiere_torch, kernel, stride, padding, ceil_mode, incluye):
    torch = requiere_torch
    kw = dict(kernel_size=kernel, stride=stride, padding=padding, ceil_mode=ceil_mode,
              count_include_pad=incluye)
    for dtype in (np.float32, np.float64):
        comparar(torch, lambda x: F.avg_pool1d(x, **kw),
                 lambda x: torch.nn.functional.avg_pool1d(x, **kw), aleatorio((2, 3, 10), dtype))


@pytest.mark.parametrize("salida", [1, 3, (2, 5), (4, None), (7, 9), (10, 1)])
def test_adaptativos_2d(requiere_torch, salida):
    torch = requiere_torch
    for dtype in (np.float32, np.float64):
        comparar(torch, lambda x: F.adaptive_avg_pool2d(x, salida),
                 lambda x: torch.nn.functional.adaptive_avg_pool2d(x, salida),
                 aleatorio((2, 3, 7, 9), dtype))
    for datos in (aleatorio((2, 3, 7, 9)), con_empates((2, 3, 7, 9), np.float32)):
        comparar(torch, lambda x: F.adaptive_max_pool2d(x, salida, return_indices=True),
                 lambda x: torch.nn.functional.adaptive_max_pool2d(x, salida,
                                                                   return_indices=True),
                 datos, indices=True)


@pytest.mark.parametrize("salida", [1, 3, 4, 10, 13])
def test_adaptativos_1d_y_sin_lote(requiere_torch, salida):
    torch = requiere_torch
    comparar(torch, lambda x: F.adaptive_avg_pool1d(x, salida),
             lambda x: torch.nn.functional.adaptive_avg_pool1d(x, salida), aleatorio((2, 3, 10)))
    comparar(torch, lambda x: F.adaptive_max_pool1d(x, salida, return_indices=True),
             lambda x: torch.nn.functional.adaptive_max_pool1d(x, salida, return_indices=True),
             con_empates((3, 10)), indices=True)
    comparar(torch, lambda x: F.adaptive_avg_pool2d(x, salida),
             lambda x: torch.nn.functional.adaptive_avg_pool2d(x, salida),
             aleatorio((3, 10, 5)))


@pytest.mark.parametrize("nombre,args,kw", [
    ("MaxPool2d", (2,), {}), ("MaxPool2d", (3, 2, 1), dict(ceil_mode=True, dilation=2)),
    ("MaxPool1d", (3,), dict(stride=1, padding=1)), ("AvgPool2d", ((3, 2),), dict(padding=1)),
    ("AvgPool1d", (3, 2), dict(count_include_pad=False)),
    ("AdaptiveAvgPool2d", ((2, None),), {}), ("AdaptiveAvgPool1d", (3,), {}),
    ("AdaptiveMaxPool2d", (3,), {}), ("AdaptiveMaxPool1d", (2,), {})])
def test_modulos(requiere_torch, nombre, args, kw):
    torch = requiere_torch
    a, b = getattr(nn, nombre)(*args, **kw), getattr(torch.nn, nombre)(*args, **kw)
    assert repr(a) == repr(b)
    assert a.state_dict() == {} and len(b.state_dict()) == 0
    forma = (2, 3, 9) if "1d" in nombre else (2, 3, 9, 8)
    comparar(torch, a, b, aleatorio(forma, np.float32))


def test_modulos_con_indices(requiere_torch):
    torch = requiere_torch
    comparar(torch, nn.MaxPool2d(2, return_indices=True),
             torch.nn.MaxPool2d(2, return_indices=True), con_empates((1, 2, 6, 6)), indices=True)
    comparar(torch, nn.AdaptiveMaxPool2d(3, return_indices=True),
             torch.nn.AdaptiveMaxPool2d(3, return_indices=True), con_empates((1, 2, 7, 7)),
             indices=True)


ERRORES = [
    ("relleno grande", lambda F, x: F.max_pool2d(x, 3, padding=2)),
    ("relleno grande avg", lambda F, x: F.avg_pool2d(x, 3, padding=2)),
    ("salida vacía", lambda F, x: F.max_pool2d(x, 9)),
    ("stride 0", lambda F, x: F.max_pool2d(x, 2, stride=0)),
    ("dimensiones", lambda F, x: F.max_pool2d(x[0, 0], 2)),
    ("dimensiones 1d", lambda F, x: F.avg_pool1d(x, 2)),
]


@pytest.mark.parametrize("nombre,llamada", ERRORES, ids=[e[0] for e in ERRORES])
def test_errores_como_pytorch(requiere_torch, nombre, llamada):
    torch = requiere_torch
    datos = np.zeros((2, 3, 8, 8), dtype=np.float32)
    with pytest.raises(Exception) as esperado:
        llamada(torch.nn.functional, torch.tensor(datos))
    with pytest.raises(esperado.type):
        llamada(F, tg.tensor(datos))


def test_enteros_como_pytorch(requiere_torch):
    """max/avg pool de int64: el mismo tipo, y la media con división truncada hacia cero."""
    torch = requiere_torch
    x = np.arange(-20, 30).reshape(1, 2, 5, 5)
    for kw in [dict(padding=1, count_include_pad=False), {}, dict(divisor_override=3, padding=1),
               dict(ceil_mode=True)]:
        a = F.avg_pool2d(tg.tensor(x), 2, **kw)
        b = torch.nn.functional.avg_pool2d(torch.tensor(x), 2, **kw)
        assert a.dtype == tg.int64
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    a, ia = F.max_pool2d(tg.tensor(x), 2, padding=1, return_indices=True)
    b, ib = torch.nn.functional.max_pool2d(torch.tensor(x), 2, padding=1, return_indices=True)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    np.testing.assert_array_equal(ia.numpy(), ib.numpy())
