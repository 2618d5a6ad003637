"""Derivadas de orden superior contra PyTorch: hessiano de la pérdida de un MLP, producto
hessiano-vector, un paso de entrenamiento con penalización de gradiente, el método de Newton y
``autograd.functional``."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_es as tg

# PyTorch avisa de un ciclo parámetro-gradiente con backward(create_graph=True): aquí es a propósito
pytestmark = pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph")
from tinygrad_es.autograd import Function, gradgradcheck

RNG = np.random.default_rng(0)
X = RNG.standard_normal((5, 3))
Y = RNG.standard_normal((5, 1))
W1, B1 = RNG.standard_normal((4, 3)) * 0.5, RNG.standard_normal(4) * 0.1
W2, B2 = RNG.standard_normal((1, 4)) * 0.5, RNG.standard_normal(1) * 0.1


def _np(t):
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)


def _perdida_mlp(lib, w1, b1, w2, b2):
    F = lib.nn.functional
    x, y = lib.tensor(X), lib.tensor(Y)
    return F.mse_loss(F.linear(F.linear(x, w1, b1).tanh(), w2, b2), y)


def _params(lib):
    return tuple(lib.tensor(a, requires_grad=True) for a in (W1, B1, W2, B2))


def test_hessiano_de_la_perdida_de_un_mlp(requiere_torch):
    torch = requiere_torch
    ours = tg.autograd.functional.hessian(lambda *p: _perdida_mlp(tg, *p), _params(tg))
    theirs = torch.autograd.functional.hessian(lambda *p: _perdida_mlp(torch, *p), _params(torch))
    for fila_o, fila_t in zip(ours, theirs):
        for a, b in zip(fila_o, fila_t):
            assert tuple(a.shape) == tuple(b.shape)
            np.testing.assert_allclose(_np(a), _np(b), rtol=1e-9, atol=1e-12)


def test_producto_hessiano_vector_con_grad_dos_veces(requiere_torch):
    torch = requiere_torch
    resultados = []
    for lib in (tg, torch):
        params = _params(lib)
        v = [lib.tensor(np.linspace(-1, 1, int(np.prod(tuple(p.shape)))).reshape(tuple(p.shape)))
             for p in params]
        grads = lib.autograd.grad(_perdida_mlp(lib, *params), params, create_graph=True)
        punto = sum((g * w).sum() for g, w in zip(grads, v))
        resultados.append([_np(h) for h in lib.autograd.grad(punto, params)])
        _, hv = lib.autograd.functional.hvp(lambda *p: _perdida_mlp(lib, *p), params, tuple(v))
        resultados.append([_np(h) for h in hv])
    for a, b in zip(resultados[0] + resultados[1], resultados[2] + resultados[3]):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def _penalizacion_de_gradiente(lib, pasos=3):
    """Un crítico lineal-tanh con penalización (‖∇ₓD(x)‖ - 1)², como en WGAN-GP, y SGD."""
    capa = lib.nn.Linear(3, 4).double()
    salida = lib.nn.Linear(4, 1).double()
    with lib.no_grad():
        capa.weight.copy_(lib.tensor(W1))
        capa.bias.copy_(lib.tensor(B1))
        salida.weight.copy_(lib.tensor(W2))
        salida.bias.copy_(lib.tensor(B2))
    params = list(capa.parameters()) + list(salida.parameters())
    opt = lib.optim.SGD(params, lr=0.1)
    perdidas = []
    for _ in range(pasos):
        x = lib.tensor(X, requires_grad=True)
        critica = salida(capa(x).tanh())
        (gx,) = lib.autograd.grad(critica.sum(), x, create_graph=True)
        penal = ((gx.norm(2, dim=1) - 1) ** 2).mean()
        perdida = critica.mean() + 10 * penal
        opt.zero_grad()
        perdida.backward()
        opt.step()
        perdidas.append(perdida.item())
    return perdidas, [_np(p).copy() for p in params]


def test_paso_con_penalizacion_de_gradiente_como_pytorch(requiere_torch):
    nuestras, pesos = _penalizacion_de_gradiente(tg)
    suyas, pesos_t = _penalizacion_de_gradiente(requiere_torch)
    np.testing.assert_allclose(nuestras, suyas, rtol=1e-9)
    for a, b in zip(pesos, pesos_t):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def _newton(lib, x0, pasos=6):
    """Raíz de f'(x) para f(x) = x⁴/4 - x² + sin(x): x ← x - f'(x)/f''(x)."""
    x = lib.tensor(x0, dtype=lib.float64, requires_grad=True)
    camino = []
    for _ in range(pasos):
        f = x ** 4 / 4 - x ** 2 + x.sin()
        (d1,) = lib.autograd.grad(f, x, create_graph=True)
        (d2,) = lib.autograd.grad(d1, x)
        with lib.no_grad():
            x -= d1 / d2
        camino.append(x.item())
    return camino


def test_metodo_de_newton_como_pytorch(requiere_torch):
    np.testing.assert_allclose(_newton(tg, 2.0), _newton(requiere_torch, 2.0), rtol=1e-12)


def test_backward_create_graph_deja_un_grad_derivable(requiere_torch):
    torch = requiere_torch
    salida = []
    for lib in (tg, torch):
        x = lib.tensor([0.5, -1.5, 2.0], dtype=lib.float64, requires_grad=True)
        (x.sin() * x ** 2).sum().backward(create_graph=True)
        primera = _np(x.grad).copy()
        g = x.grad
        x.grad = None
        g.sum().backward()
        salida.append((primera, _np(x.grad).copy()))
    for a, b in zip(salida[0], salida[1]):
        np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize("nombre", ["jacobian", "jvp", "vjp", "hvp", "vhp"])
def test_autograd_functional_como_pytorch(requiere_torch, nombre):
    torch = requiere_torch
    v = np.array([1.0, -2.0, 0.5])

    def llamar(lib):
        F = lib.autograd.functional
        x = lib.tensor([0.3, -0.7, 1.1], dtype=lib.float64)
        escalar = (lambda x: (x ** 3).sum() * x.cos().sum())
        vector = (lambda x: x.exp() * x.sum())
        vv = lib.tensor(v)
        casos = {"jacobian": lambda: F.jacobian(vector, x),
                 "jvp": lambda: F.jvp(vector, x, vv), "vjp": lambda: F.vjp(vector, x, vv),
                 "hvp": lambda: F.hvp(escalar, x, vv), "vhp": lambda: F.vhp(escalar, x, vv)}
        out = casos[nombre]()
        return [_np(o) for o in (out if isinstance(out, tuple) else (out,))]
    for a, b in zip(llamar(tg), llamar(torch)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


class Cubo(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x ** 2


class MiSigmoide(Function):
    @staticmethod
    def forward(ctx, x):
        y = 1 / (1 + (-x).exp())
        ctx.save_for_backward(y)   # guarda la salida
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y * (1 - y)


@settings(max_examples=10)
@given(st.lists(st.floats(-2, 2), min_size=1, max_size=4))
def test_funciones_propias_se_derivan_dos_veces(valores):
    x = tg.tensor(valores, dtype=tg.float64, requires_grad=True)
    assert gradgradcheck(Cubo.apply, (x,))
    assert gradgradcheck(MiSigmoide.apply, (x,))


def test_gradgradcheck_detecta_una_segunda_derivada_mal():
    class MalDosVeces(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad):   # bien en primer orden, pero x.detach() corta la segunda
            (x,) = ctx.saved_tensors
            return grad * 3 * x.detach() ** 2
    x = tg.tensor([0.5, 1.5], dtype=tg.float64, requires_grad=True)
    assert tg.autograd.gradcheck(MalDosVeces.apply, (x,))
    assert not gradgradcheck(MalDosVeces.apply, (x,), raise_exception=False)


def test_grad_con_lotes_de_grad_outputs_como_pytorch(requiere_torch):
    """is_grads_batched=True: un vector por fila de grad_outputs, como el vmap de PyTorch."""
    torch = requiere_torch
    resultados = []
    for lib in (tg, torch):
        x = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
        w = lib.tensor([0.5, -1.0], dtype=lib.float64, requires_grad=True)
        y, z = x.sin() * x, (w ** 3).sum() * x.sum()
        filas = lib.tensor(np.arange(12.0).reshape(4, 3))
        escalares = lib.tensor([1.0, -2.0, 0.5, 3.0], dtype=lib.float64)
        (jac,) = lib.autograd.grad(y, x, lib.eye(3, dtype=lib.float64), is_grads_batched=True,
                                   retain_graph=True)
        gx, gw = lib.autograd.grad((y, z), (x, w), (filas, escalares), is_grads_batched=True)
        resultados.append([_np(jac), _np(gx), _np(gw)])
        with pytest.raises(RuntimeError):
            lib.autograd.grad(x * 2, x, lib.ones(3), is_grads_batched=True)
    for a, b in zip(*resultados):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-12)
