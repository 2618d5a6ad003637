"""``grad_fn`` como el de PyTorch (``name()``, ``next_functions``), ganchos de gradiente
(``Tensor.register_hook``, ganchos de nodo) y la asignación validada de ``.grad``."""
import numpy as np
import pytest

import tinygrad_es as tg

# Expresiones que se escriben igual en las dos bibliotecas, con el nombre de nodo de PyTorch.
NOMBRES = {
    "mul": lambda x: x * 2,
    "add": lambda x: x + x,
    "sub": lambda x: x - 1,
    "div": lambda x: x / 2,
    "neg": lambda x: -x,
    "exp": lambda x: x.exp(),
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "sum": lambda x: x.sum(),
    "mean": lambda x: x.mean(),
    "slice": lambda x: x[1:],
    "select": lambda x: x[0],
    "index": lambda x: x[[0, 1]],
    "view": lambda x: x.view(-1),
    "reshape": lambda x: x.reshape(3, 4),
    "flatten": lambda x: x.flatten(),
    "unsqueeze": lambda x: x.unsqueeze(0),
    "squeeze": lambda x: x.unsqueeze(0).squeeze(),
    "squeeze_dim": lambda x: x.unsqueeze(0).squeeze(0),
    "t": lambda x: x.t(),
    "T": lambda x: x.T,
    "transpose": lambda x: x.transpose(0, 1),
    "permute": lambda x: x.permute(1, 0),
    "expand": lambda x: x[:1].expand(3, 3),
    "narrow": lambda x: x.narrow(0, 1, 2),
    "select_m": lambda x: x.select(1, 0),
    "diagonal": lambda x: x.diagonal(),
    "clone": lambda x: x.clone(),
    "pow": lambda x: x ** 2,
    "relu": lambda x: x.relu(),
    "clamp": lambda x: x.clamp(0, 1),
    "sum_dim": lambda x: x.sum(1),
    "mean_dim": lambda x: x.mean(0),
    "max": lambda x: x.max(),
    "max_dim": lambda x: x.max(1)[0],
    "min_dim": lambda x: x.min(0)[0],
    "amax": lambda x: x.amax(1),
    "sort": lambda x: x.sort(1)[0],
    "topk": lambda x: x.topk(1)[0],
    "mm": lambda x: x @ x.t(),
    "mv": lambda x: x @ x[0],
    "dot": lambda x: x[0] @ x[0],
    "double": lambda x: x.double(),
    "std": lambda x: x.std(),
    "var": lambda x: x.var(),
    "norm": lambda x: x.norm(),
}


def _linear(lib, x, bias):
    capa = lib.nn.Linear(3, 2, bias=bias)
    return capa(x).grad_fn.name()


@pytest.mark.parametrize("forma, bias", [((4, 3), True), ((4, 3), False), ((2, 4, 3), True)])
def test_nombre_de_linear_como_pytorch(requiere_torch, forma, bias):
    torch = requiere_torch
    assert _linear(tg, tg.ones(*forma), bias) == _linear(torch, torch.ones(*forma), bias)


@pytest.mark.parametrize("nombre", sorted(NOMBRES))
def test_nombre_del_nodo_como_pytorch(requiere_torch, nombre):
    torch = requiere_torch
    f = NOMBRES[nombre]
    esperado = f(torch.ones(4, 3, requires_grad=True)).grad_fn.name()
    obtenido = f(tg.ones(4, 3, requires_grad=True)).grad_fn.name()
    assert obtenido == esperado


def test_next_functions_y_hojas(requiere_torch):
    torch = requiere_torch
    for lib in (torch, tg):
        x = lib.ones(3, requires_grad=True)
        y = x * lib.ones(3)
        (hoja, k), (nada, j) = y.grad_fn.next_functions
        assert type(hoja).__name__ == "AccumulateGrad" and hoja.variable is x and k == 0
        assert nada is None and j == 0
        assert hoja.name() == "torch::autograd::AccumulateGrad"
    assert repr(tg.ones(2, requires_grad=True).mul(2).grad_fn) == "<MulBackward0 object>"


def test_copy_slices_al_modificar_una_vista():
    x = tg.ones(3, requires_grad=True)
    a = x * 1
    a[1:].mul_(2)
    assert a.grad_fn.name() == "CopySlices"
    assert a.grad_fn.next_functions[0][0].name() == "MulBackward0"


def _con_ganchos(lib):
    vistos = []
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    mano = x.register_hook(lambda g: g * 2)        # hoja: cambia lo que se acumula
    y = x * x
    y.register_hook(lambda g: vistos.append(g.tolist()))   # intermedio: solo mira
    z = y * lib.tensor([1.0, 10.0, 100.0])
    z.register_hook(lambda g: g + 1)               # intermedio: cambia lo que sigue
    z.sum().backward()
    primero = x.grad.tolist()
    mano.remove()
    x.grad = None
    (x * x).sum().backward()
    return primero, vistos, x.grad.tolist()


def test_register_hook_como_pytorch(requiere_torch):
    assert _con_ganchos(tg) == _con_ganchos(requiere_torch)


def test_ganchos_de_nodo():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    llamadas = []
    y.grad_fn.register_prehook(lambda g: llamadas.append(("pre", g.tolist())))
    y.grad_fn.register_hook(lambda gi, go: llamadas.append(("post", gi[0].tolist(), go[0].tolist())))
    y.sum().backward()
    assert llamadas == [("pre", [1.0, 1.0]), ("post", [3.0, 3.0], [1.0, 1.0])]
    assert x.grad.tolist() == [3.0, 3.0]


def test_gancho_en_tensor_sin_gradiente(requiere_torch):
    with pytest.raises(RuntimeError) as ours:
        tg.ones(2).register_hook(lambda g: g)
    with pytest.raises(RuntimeError):
        requiere_torch.ones(2).register_hook(lambda g: g)
    assert "requiere gradiente" in str(ours.value)


@pytest.mark.parametrize("valor, clase", [
    (lambda lib: lib.zeros(2), RuntimeError),                          # forma
    (lambda lib: lib.zeros(3, dtype=lib.float64), RuntimeError),       # dtype
    (lambda lib: [0.0, 0.0, 0.0], TypeError),                          # no es un tensor
])
def test_asignar_grad_valida_como_pytorch(requiere_torch, valor, clase):
    for lib in (requiere_torch, tg):
        w = lib.ones(3, requires_grad=True)
        with pytest.raises(clase):
            w.grad = valor(lib)
    w = tg.ones(3, requires_grad=True)
    w.grad = tg.full((3,), 2.0)
    np.testing.assert_array_equal(w.grad.numpy(), [2.0, 2.0, 2.0])
    w.grad = None
    assert w.grad is None


def test_ganchos_tambien_con_create_graph(requiere_torch):
    torch = requiere_torch
    salida = []
    for lib in (tg, torch):
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        x.register_hook(lambda g: g * 2)          # hoja
        y = x ** 3
        y.register_hook(lambda g: g + 1)          # intermedio
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        (h,) = lib.autograd.grad(g.sum(), x)
        salida.append((g.detach().numpy().copy(), h.numpy().copy()))
    for a, b in zip(*salida):
        np.testing.assert_allclose(a, b)
