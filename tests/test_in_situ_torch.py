"""Las versiones in situ que usa el código de los cursos (``x.relu_()``, ``v.mul_(b2).addcmul_(g,
g, value=1 - b2)``, ``p.addcdiv_(m, d, value=-lr)``...) y ``torch.addcmul``/``torch.addcdiv``,
frente a PyTorch: valores, dtype, que devuelven el mismo tensor y el gradiente cuando se
aplican a un tensor intermedio del grafo."""
import numpy as np
import pytest

import tinygrad_es as tg

RNG = np.random.default_rng(7)
A = (RNG.standard_normal((3, 4)) * 2).astype(np.float32)
B = (RNG.standard_normal((3, 4)) + 3).astype(np.float32)

# nombre: (argumentos (arrays -> tensores), opciones, ¿derivable?)
CASOS = {
    "relu_": ((), {}, True),
    "sigmoid_": ((), {}, True),
    "tanh_": ((), {}, True),
    "square_": ((), {}, True),
    "pow_": ((2.5,), {}, False),
    "pow_-tensor": ((B,), {}, False),
    "floor_": ((), {}, True),
    "ceil_": ((), {}, True),
    "round_": ((), {"decimals": 1}, False),
    "clip_": ((-0.5, 0.7), {}, True),
    "floor_divide_": ((B,), {}, False),
    "remainder_": ((1.5,), {}, False),
    "eq_": ((A,), {}, False),
    "ne_": ((0.0,), {}, False),
    "lt_": ((B,), {}, False),
    "le_": ((0.5,), {}, False),
    "gt_": ((0.0,), {}, False),
    "ge_": ((B,), {}, False),
    "addcmul_": ((A, B), {"value": 0.5}, True),
    "addcdiv_": ((A, B), {"value": -0.1}, True),
}


def _args(lib, args):
    return [lib.tensor(a) if isinstance(a, np.ndarray) else a for a in args]


@pytest.mark.parametrize("caso", list(CASOS))
def test_igual_que_pytorch(caso, requiere_torch):
    torch = requiere_torch
    nombre = caso.split("-")[0]
    args, opciones, derivable = CASOS[caso]
    resultados = []
    for lib in (tg, torch):
        x = lib.tensor(A.copy())
        out = getattr(x, nombre)(*_args(lib, args), **opciones)
        assert out is x   # el mismo tensor, modificado
        resultados.append(x)
    ours, theirs = resultados
    assert str(ours.dtype).replace("torch.", "") == str(theirs.dtype).replace("torch.", "")
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("caso", [c for c, (_, _, d) in CASOS.items() if d])
def test_gradiente_sobre_un_intermedio(caso, requiere_torch):
    torch = requiere_torch
    nombre = caso.split("-")[0]
    args, opciones, _ = CASOS[caso]
    gradientes = []
    for lib in (tg, torch):
        x = lib.tensor(A.copy(), requires_grad=True)
        y = x * 1.5
        getattr(y, nombre)(*_args(lib, args), **opciones)
        (y * lib.tensor(B)).sum().backward()
        gradientes.append(x.grad.numpy())
    np.testing.assert_allclose(gradientes[0], gradientes[1], rtol=1e-5, atol=1e-6)


def test_en_una_hoja_que_requiere_gradiente_es_un_error(requiere_torch):
    torch = requiere_torch
    for lib in (tg, torch):
        with pytest.raises(RuntimeError):
            lib.tensor(A.copy(), requires_grad=True).sigmoid_()


@pytest.mark.parametrize("funcion", ["addcmul", "addcdiv"])
def test_funciones_de_torch(funcion, requiere_torch):
    torch = requiere_torch
    x, t1, t2 = A, B - 3, B
    ours = getattr(tg, funcion)(tg.tensor(x), tg.tensor(t1), tg.tensor(t2), value=0.25)
    theirs = getattr(torch, funcion)(torch.tensor(x), torch.tensor(t1), torch.tensor(t2),
                                     value=0.25)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-6)
    sin_valor = getattr(tg, funcion)(tg.tensor(x), tg.tensor(t1), tg.tensor(t2))
    np.testing.assert_allclose(sin_valor.numpy(), getattr(torch, funcion)(
        torch.tensor(x), torch.tensor(t1), torch.tensor(t2)).numpy(), rtol=1e-6, atol=1e-6)


def test_addcdiv_con_enteros_dice_como_arreglarlo(requiere_torch):
    torch = requiere_torch
    enteros = tg.tensor([1, 2, 3])
    with pytest.raises(RuntimeError, match=r"\.float\(\)"):
        tg.tensor([1.0, 2.0, 3.0]).addcdiv(enteros, enteros)
    with pytest.raises(RuntimeError):
        torch.tensor([1.0, 2.0, 3.0]).addcdiv(torch.tensor([1, 2, 3]), torch.tensor([1, 2, 3]))


def test_adam_escrito_a_mano_como_en_los_cursos(requiere_torch):
    torch = requiere_torch
    """El paso de Adam de los cursos que lo escriben a mano, con tensores de los dos."""
    resultados = []
    for lib in (tg, torch):
        p, m, v = lib.tensor(A.copy()), lib.zeros(3, 4), lib.zeros(3, 4)
        g = lib.tensor(B)
        for t in range(1, 4):
            m.mul_(0.9).add_(g, alpha=0.1)
            v.mul_(0.999).addcmul_(g, g, value=0.001)
            denominador = (v / (1 - 0.999 ** t)).sqrt_().add_(1e-8)
            p.addcdiv_(m, denominador, value=-0.01 / (1 - 0.9 ** t))
        resultados.append(p.numpy())
    np.testing.assert_allclose(resultados[0], resultados[1], rtol=1e-6, atol=1e-7)
