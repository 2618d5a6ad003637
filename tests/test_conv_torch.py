"""Convoluciones, F.pad, unfold/fold y sus módulos contra PyTorch (el oráculo): valores,
gradientes, dtypes y formas en float32 y float64, clases de error, inicialización con la
misma semilla, ``state_dict`` y ``repr``; y una LeNet-5 entrenada 20 pasos con las pérdidas
de PyTorch."""
import itertools
import warnings

import numpy as np
import pytest

import tinygrad_es as tg
import tinygrad_es.nn as nn
import tinygrad_es.nn.functional as F

TOL = {np.float32: dict(rtol=1e-4, atol=1e-5), np.float64: dict(rtol=1e-10, atol=1e-12)}


def comparar(torch, fn_tg, fn_torch, formas, dtype=np.float64, semilla=0, grad=True):
    """Misma llamada en las dos bibliotecas: salida, dtype, forma y gradiente de cada entrada."""
    rng = np.random.default_rng(semilla)
    datos = [rng.standard_normal(f).astype(dtype) for f in formas]
    a = [tg.tensor(d, requires_grad=grad) for d in datos]
    b = [torch.tensor(d, requires_grad=grad) for d in datos]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # el aviso de torch con padding='same' y kernel par
        sa, sb = fn_tg(*a), fn_torch(*b)
    assert tuple(sa.shape) == tuple(sb.shape)
    assert str(sa.dtype).split(".")[-1] == str(sb.dtype).split(".")[-1]
    np.testing.assert_allclose(sa.detach().numpy(), sb.detach().numpy(), **TOL[dtype])
    if not grad:
        return
    g = rng.standard_normal(tuple(sb.shape)).astype(dtype)
    sa.backward(tg.tensor(g))
    sb.backward(torch.tensor(g))
    for ta, tb in zip(a, b):
        np.testing.assert_allclose(ta.grad.numpy(), tb.grad.numpy(), **TOL[dtype])


COMBINACIONES_CONV2D = [c for c in itertools.product(
    [1, 2, (2, 1)],                   # stride
    [0, 1, (2, 0), "same", "valid"],  # padding
    [1, 2],                           # dilation
    [1, 2],                           # groups
) if c[1] != "same" or c[0] == 1]     # 'same' con stride > 1 es un error (ver ERRORES)


@pytest.mark.parametrize("stride,padding,dilation,groups", COMBINACIONES_CONV2D)
def test_conv2d_argumentos(requiere_torch, stride, padding, dilation, groups):
    torch = requiere_torch
    kw = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    for dtype in (np.float32, np.float64):
        comparar(torch, lambda x, w, b: F.conv2d(x, w, b, **kw),
                 lambda x, w, b: torch.nn.functional.conv2d(x, w, b, **kw),
                 [(2, 4, 9, 8), (6, 4 // groups, 3, 2), (6,)], dtype)


@pytest.mark.parametrize("stride,padding,dilation,groups", [
    c for c in itertools.product([1, 3], [0, 2, "same"], [1, 2], [1, 3])
    if c[1] != "same" or c[0] == 1])
def test_conv1d_argumentos(requiere_torch, stride, padding, dilation, groups):
    torch = requiere_torch
    kw = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    for dtype in (np.float32, np.float64):
        comparar(torch, lambda x, w: F.conv1d(x, w, **kw),
                 lambda x, w: torch.nn.functional.conv1d(x, w, **kw),
                 [(2, 3, 11), (6, 3 // groups, 4)], dtype)


@pytest.mark.parametrize("stride,padding,output_padding,groups,dilation", [
    (1, 0, 0, 1, 1), (2, 1, 1, 1, 1), (2, 0, 1, 2, 1), ((2, 3), (1, 0), (1, 2), 1, 1),
    (1, 1, 1, 2, 2), (3, 2, 0, 1, 2), (2, (0, 1), 0, 2, (1, 2))])
def test_conv_transpose2d_argumentos(requiere_torch, stride, padding, output_padding, groups,
                                     dilation):
    torch = requiere_torch
    kw = dict(stride=stride, padding=padding, output_padding=output_padding, groups=groups,
              dilation=dilation)
    for dtype in (np.float32, np.float64):
        comparar(torch, lambda x, w, b: F.conv_transpose2d(x, w, b, **kw),
                 lambda x, w, b: torch.nn.functional.conv_transpose2d(x, w, b, **kw),
                 [(2, 4, 4, 5), (4, 3, 3, 2), (3 * groups,)], dtype)


def test_conv_transpose1d_y_sin_lote(requiere_torch):
    torch = requiere_torch
    comparar(torch, lambda x, w: F.conv_transpose1d(x, w, stride=2, output_padding=1),
             lambda x, w: torch.nn.functional.conv_transpose1d(x, w, stride=2, output_padding=1),
             [(3, 5), (3, 2, 3)])
    comparar(torch, lambda x, w: F.conv2d(x, w, padding=1),
             lambda x, w: torch.nn.functional.conv2d(x, w, padding=1), [(3, 5, 5), (2, 3, 3, 3)])


def test_conv_sin_gradiente_de_la_entrada_y_doble_backward(requiere_torch):
    torch = requiere_torch
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((2, 3, 6, 6)), rng.standard_normal((4, 3, 3, 3))
    xa, wa = tg.tensor(x), tg.tensor(w, requires_grad=True)
    xb, wb = torch.tensor(x), torch.tensor(w, requires_grad=True)
    (ga,) = tg.autograd.grad((F.conv2d(xa, wa, stride=2) ** 2).sum(), wa, create_graph=True)
    (gb,) = torch.autograd.grad((torch.nn.functional.conv2d(xb, wb, stride=2) ** 2).sum(), wb,
                                create_graph=True)
    np.testing.assert_allclose(ga.detach().numpy(), gb.detach().numpy(), rtol=1e-10)
    (ga ** 2).sum().backward()
    (gb ** 2).sum().backward()
    np.testing.assert_allclose(wa.grad.numpy(), wb.grad.numpy(), rtol=1e-10)


@pytest.mark.parametrize("modo", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("padding", [1, (2, 1), "same"])
def test_conv2d_modulo_padding_mode(requiere_torch, modo, padding):
    torch = requiere_torch
    tg.manual_seed(7)
    torch.manual_seed(7)
    a = nn.Conv2d(2, 3, (3, 4), padding=padding, padding_mode=modo).double()
    b = torch.nn.Conv2d(2, 3, (3, 4), padding=padding, padding_mode=modo).double()
    comparar(torch, a, b, [(2, 2, 6, 7)])
    for pa, pb in zip(a.parameters(), b.parameters()):
        np.testing.assert_allclose(pa.grad.numpy(), pb.grad.numpy(), rtol=1e-10)


@pytest.mark.parametrize("nombre,args,kw", [
    ("Conv2d", (3, 6, 5), {}), ("Conv2d", (4, 6, (3, 2)), dict(stride=2, groups=2, bias=False)),
    ("Conv1d", (3, 8, 3), dict(padding="same", dilation=2)),
    ("ConvTranspose2d", (4, 6, 3), dict(stride=2, output_padding=1, groups=2)),
    ("ConvTranspose1d", (3, 2, 4), {})])
def test_modulos_misma_inicializacion_state_dict_y_repr(requiere_torch, nombre, args, kw):
    torch = requiere_torch
    tg.manual_seed(123)
    torch.manual_seed(123)
    a, b = getattr(nn, nombre)(*args, **kw), getattr(torch.nn, nombre)(*args, **kw)
    assert repr(a) == repr(b)
    sa, sb = a.state_dict(), b.state_dict()
    assert list(sa) == list(sb)
    for k in sb:
        assert sa[k].dtype == tg.float32
        np.testing.assert_array_equal(sa[k].numpy(), sb[k].numpy())
    for atributo in ("in_channels", "out_channels", "kernel_size", "stride", "padding",
                     "dilation", "groups", "output_padding", "padding_mode", "transposed"):
        assert getattr(a, atributo) == getattr(b, atributo), atributo


def test_conv_transpose2d_output_size(requiere_torch):
    torch = requiere_torch
    tg.manual_seed(0)
    torch.manual_seed(0)
    a, b = nn.ConvTranspose2d(2, 3, 3, stride=2), torch.nn.ConvTranspose2d(2, 3, 3, stride=2)
    x = np.random.default_rng(0).standard_normal((1, 2, 4, 4)).astype(np.float32)
    sa, sb = a(tg.tensor(x), output_size=(10, 10)), b(torch.tensor(x), output_size=(10, 10))
    np.testing.assert_allclose(sa.detach().numpy(), sb.detach().numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("modo", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("forma,relleno", [((2, 3, 7), (2, 1)), ((2, 3, 6, 5), (1, 2, 3, 0)),
                                           ((3, 6, 5), (0, 2, 1, 1)),
                                           ((1, 2, 4, 4, 5), (1, 1, 2, 0, 1, 3))])
def test_pad_modos(requiere_torch, modo, forma, relleno):
    torch = requiere_torch
    for dtype in (np.float32, np.float64):
        comparar(torch, lambda x: F.pad(x, relleno, mode=modo),
                 lambda x: torch.nn.functional.pad(x, relleno, mode=modo), [forma], dtype)


def test_pad_constante_con_valor_y_recorte(requiere_torch):
    torch = requiere_torch
    for relleno in [(1, -2), (-1, 0, 2, -3), (1, 1, 1, 1, 1, 1, 0, 1)]:
        comparar(torch, lambda x: F.pad(x, relleno, value=2.5),
                 lambda x: torch.nn.functional.pad(x, relleno, value=2.5), [(2, 3, 5, 6)])


@pytest.mark.parametrize("llamada", [
    lambda F, x: F.pad(x, (1, 2, 3)), lambda F, x: F.pad(x, (9, 9), mode="reflect"),
    lambda F, x: F.pad(x, (1, 1), mode="foo"), lambda F, x: F.pad(x, (1, 1, 1, 1, 1, 1, 1, 1),
                                                                 mode="reflect"),
    lambda F, x: F.pad(x, (1, 1), mode="reflect", value=2.0)])
def test_pad_errores(requiere_torch, llamada):
    torch = requiere_torch
    datos = np.zeros((2, 3, 4, 4), dtype=np.float32)
    with pytest.raises(Exception) as esperado:
        llamada(torch.nn.functional, torch.tensor(datos))
    with pytest.raises(esperado.type):
        llamada(F, tg.tensor(datos))


def test_modulos_de_relleno(requiere_torch):
    torch = requiere_torch
    for nombre, args in [("ZeroPad2d", (1,)), ("ConstantPad2d", ((1, 2, 0, 3), 2.0)),
                         ("ZeroPad1d", ((2, 1),)), ("ConstantPad1d", (2, -1.0)),
                         ("ReflectionPad2d", (2,)), ("ReplicationPad1d", ((1, 3),)),
                         ("ReflectionPad1d", (1,)), ("ReplicationPad2d", ((1, 0, 2, 1),)),
                         ("CircularPad2d", (1,)), ("CircularPad1d", (2,))]:
        a, b = getattr(nn, nombre)(*args), getattr(torch.nn, nombre)(*args)
        assert repr(a) == repr(b)
        forma = (2, 3, 5) if "1d" in nombre else (2, 3, 5, 4)
        comparar(torch, a, b, [forma])


@pytest.mark.parametrize("kernel,dilation,padding,stride", [
    (2, 1, 0, 1), ((2, 3), (1, 2), 1, 2), (3, 2, (1, 0), (2, 1)), (1, 1, 0, 3)])
def test_unfold_fold(requiere_torch, kernel, dilation, padding, stride):
    torch = requiere_torch
    kw = dict(kernel_size=kernel, dilation=dilation, padding=padding, stride=stride)
    for dtype in (np.float32, np.float64):
        comparar(torch, lambda x: F.unfold(x, **kw),
                 lambda x: torch.nn.functional.unfold(x, **kw), [(2, 3, 9, 8)], dtype)
    cols = torch.nn.functional.unfold(torch.zeros(2, 3, 9, 8), **kw)
    comparar(torch, lambda c: F.fold(c, (9, 8), **kw),
             lambda c: torch.nn.functional.fold(c, (9, 8), **kw), [tuple(cols.shape)])
    assert repr(nn.Unfold(**kw)) == repr(torch.nn.Unfold(**kw))
    assert repr(nn.Fold((9, 8), **kw)) == repr(torch.nn.Fold((9, 8), **kw))
    comparar(torch, nn.Fold((9, 8), **kw), torch.nn.Fold((9, 8), **kw), [tuple(cols.shape)[1:]])


ERRORES = [
    ("canales", lambda F, T: F.conv2d(T(2, 3, 8, 8), T(4, 2, 3, 3))),
    ("kernel grande", lambda F, T: F.conv2d(T(2, 3, 8, 8), T(4, 3, 9, 9))),
    ("dimensiones", lambda F, T: F.conv2d(T(8, 8), T(4, 3, 3, 3))),
    ("stride 0", lambda F, T: F.conv2d(T(2, 3, 8, 8), T(4, 3, 3, 3), stride=0)),
    ("padding negativo", lambda F, T: F.conv2d(T(2, 3, 8, 8), T(4, 3, 3, 3), padding=-1)),
    ("same con stride", lambda F, T: F.conv2d(T(2, 3, 8, 8), T(4, 3, 3, 3), padding="same",
                                              stride=2)),
    ("padding texto", lambda F, T: F.conv2d(T(2, 3, 8, 8), T(4, 3, 3, 3), padding="foo")),
    ("grupos", lambda F, T: F.conv2d(T(2, 3, 8, 8), T(4, 1, 3, 3), groups=3)),
    ("dtype", lambda F, T: F.conv2d(T(2, 3, 8, 8), T(4, 3, 3, 3).double())),
    ("sesgo", lambda F, T: F.conv2d(T(2, 3, 8, 8), T(4, 3, 3, 3), T(3))),
    ("stride largo", lambda F, T: F.conv2d(T(2, 3, 8, 8), T(4, 3, 3, 3), stride=(1, 2, 3))),
    ("output_padding", lambda F, T: F.conv_transpose2d(T(2, 3, 8, 8), T(3, 4, 3, 3), stride=2,
                                                       output_padding=2)),
    ("traspuesta same", lambda F, T: F.conv_transpose2d(T(2, 3, 8, 8), T(3, 4, 3, 3),
                                                        padding="same")),
    ("fold columnas", lambda F, T: F.fold(T(2, 12, 5), (4, 4), 2)),
]


@pytest.mark.parametrize("nombre,llamada", ERRORES, ids=[e[0] for e in ERRORES])
def test_errores_como_pytorch(requiere_torch, nombre, llamada):
    torch = requiere_torch

    def hacer(lib):
        return lambda *forma: lib.tensor(np.zeros(forma, dtype=np.float32))
    with pytest.raises(Exception) as esperado:
        llamada(torch.nn.functional, hacer(torch))
    with pytest.raises(esperado.type):
        llamada(F, hacer(tg))


@pytest.mark.parametrize("llamada", [
    lambda nn: nn.Conv2d(3, 4, 3, groups=2), lambda nn: nn.Conv2d(4, 3, 3, groups=2),
    lambda nn: nn.Conv2d(3, 4, 3, padding_mode="foo"),
    lambda nn: nn.Conv2d(3, 4, 3, padding="same", stride=2),
    lambda nn: nn.Conv2d(3, 4, 3, padding="foo"),
    lambda nn: nn.ConvTranspose2d(3, 4, 3, padding_mode="reflect")])
def test_errores_de_los_modulos(requiere_torch, llamada):
    torch = requiere_torch
    with pytest.raises(Exception) as esperado:
        llamada(torch.nn)
    with pytest.raises(esperado.type):
        llamada(nn)


# --- LeNet-5 entrenada paso a paso -------------------------------------------------------------
def _lenet(lib, activacion, pool):
    m = lib.nn
    act = getattr(m, activacion)
    return m.Sequential(
        m.Conv2d(1, 6, 5, padding=2), act(), getattr(m, pool)(2),
        m.Conv2d(6, 16, 5), act(), getattr(m, pool)(2), m.Flatten(),
        m.Linear(400, 120), act(), m.Linear(120, 84), act(), m.Linear(84, 10))


@pytest.mark.parametrize("activacion,pool", [("Tanh", "AvgPool2d"), ("ReLU", "MaxPool2d")])
def test_lenet5_entrena_con_las_perdidas_de_pytorch(requiere_torch, activacion, pool):
    torch = requiere_torch
    torch.manual_seed(0)
    ref = _lenet(torch, activacion, pool)
    modelo = _lenet(tg, activacion, pool)
    modelo.load_state_dict({k: tg.tensor(v.detach().numpy().copy())
                            for k, v in ref.state_dict().items()})
    opt_a = tg.optim.SGD(modelo.parameters(), lr=0.05, momentum=0.9)
    opt_b = torch.optim.SGD(ref.parameters(), lr=0.05, momentum=0.9)
    rng = np.random.default_rng(0)
    lotes = [(rng.random((8, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, 8))
             for _ in range(20)]
    perdidas_a, perdidas_b = [], []
    # primero una biblioteca y luego la otra: alternarlas paso a paso hace que los hilos de
    # OpenBLAS y los de OpenMP se estorben y el test tarda decenas de veces más
    for lib, m, opt, perdidas in ((torch, ref, opt_b, perdidas_b),
                                  (tg, modelo, opt_a, perdidas_a)):
        for x, y in lotes:
            opt.zero_grad()
            perdida = lib.nn.functional.cross_entropy(m(lib.tensor(x)), lib.tensor(y))
            perdida.backward()
            opt.step()
            perdidas.append(perdida.item())
    np.testing.assert_allclose(perdidas_a, perdidas_b, rtol=1e-4)
    for (k, a), b in zip(modelo.state_dict().items(), ref.state_dict().values()):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-3, atol=1e-5, err_msg=k)


def test_conv_de_enteros(requiere_torch):
    torch = requiere_torch
    x, w = np.arange(-20, 30).reshape(1, 2, 5, 5), np.arange(18).reshape(1, 2, 3, 3) - 5
    a = F.conv2d(tg.tensor(x), tg.tensor(w), padding=1, stride=2)
    b = torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(w), padding=1, stride=2)
    assert a.dtype == tg.int64
    np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_lote_vacio_y_entrada_no_contigua(requiere_torch):
    torch = requiere_torch
    comparar(torch, lambda x, w: F.conv2d(x, w, padding=1),
             lambda x, w: torch.nn.functional.conv2d(x, w, padding=1), [(0, 3, 8, 7), (4, 3, 3, 3)])
    comparar(torch, lambda x, w: F.conv_transpose2d(x, w, stride=2),
             lambda x, w: torch.nn.functional.conv_transpose2d(x, w, stride=2),
             [(0, 3, 4, 4), (3, 2, 3, 3)])
    comparar(torch, lambda x, w: F.conv2d(x.transpose(2, 3), w, stride=2),
             lambda x, w: torch.nn.functional.conv2d(x.transpose(2, 3), w, stride=2),
             [(2, 3, 8, 7), (4, 3, 3, 3)])
