"""Métodos pequeños de ``torch.Tensor`` (tamaños, signos, trozos, ``ravel``, ``diagflat``,
``matrix_power``) frente a PyTorch: valores, formas, dtypes, gradientes y clase del error."""
import numpy as np
import pytest

import tinygrad_es as tg

RNG = np.random.default_rng(3)
M = RNG.standard_normal((3, 7)).astype(np.float32)


def _ambos(requiere_torch, fn, datos=M, grad=True):
    """``fn(lib, x)`` con las dos bibliotecas: salidas (lista de arrays) y gradiente de x."""
    torch = requiere_torch
    resultados = []
    for lib in (tg, torch):
        x = lib.tensor(datos.copy(), requires_grad=grad)
        salida = fn(lib, x)
        piezas = list(salida) if isinstance(salida, tuple) else [salida]
        if grad:
            total = sum((p * (k + 1)).sum() for k, p in enumerate(piezas))
            total.backward()
        resultados.append(([p.detach().numpy() for p in piezas],
                           x.grad.numpy() if grad else None))
    (ours, g_ours), (theirs, g_theirs) = resultados
    assert [a.shape for a in ours] == [b.shape for b in theirs]
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    if grad:
        np.testing.assert_allclose(g_ours, g_theirs, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("corte", [3, 7, 10, [2, 5], [0, 9], [-2], (1, 1, 4)])
@pytest.mark.parametrize("dim", [1, -1])
def test_tensor_split(corte, dim, requiere_torch):
    _ambos(requiere_torch, lambda lib, x: lib.tensor_split(x, corte, dim))
    _ambos(requiere_torch, lambda lib, x: x.tensor_split(corte, dim=dim))


@pytest.mark.parametrize("nombre, forma, corte", [
    ("hsplit", (3, 8), 2), ("hsplit", (8,), 4), ("hsplit", (3, 8), [3, 5]),
    ("vsplit", (6, 2), 3), ("vsplit", (6, 2), [1]), ("dsplit", (2, 2, 6), 3)])
def test_hsplit_vsplit_dsplit(nombre, forma, corte, requiere_torch):
    datos = RNG.standard_normal(forma).astype(np.float32)
    _ambos(requiere_torch, lambda lib, x: getattr(lib, nombre)(x, corte), datos)


@pytest.mark.parametrize("llamada", [lambda lib: lib.hsplit(lib.ones(3, 7), 2),
                                     lambda lib: lib.vsplit(lib.ones(5), 5),
                                     lambda lib: lib.dsplit(lib.ones(2, 4), 2),
                                     lambda lib: lib.tensor_split(lib.ones(4), 0),
                                     lambda lib: lib.tensor([True]).positive()])
def test_errores_como_pytorch(llamada, requiere_torch):
    for lib in (tg, requiere_torch):
        with pytest.raises(RuntimeError):
            llamada(lib)


def test_ravel_diagflat_signbit_positive(requiere_torch):
    _ambos(requiere_torch, lambda lib, x: lib.ravel(x.t()))
    _ambos(requiere_torch, lambda lib, x: (lib.diagflat(x[0]), x[1, :3].diagflat(2),
                                           x[2, :2].diagflat(-1)))
    _ambos(requiere_torch, lambda lib, x: +x.positive())
    for datos in (np.array([-0.0, 0.0, -np.inf, 3.0, -2.0], np.float32),
                  np.array([0, -3, 5], np.int64)):
        ours = tg.signbit(tg.tensor(datos))
        theirs = requiere_torch.signbit(requiere_torch.tensor(datos))
        assert ours.dtype == tg.bool and ours.tolist() == theirs.tolist()


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, -1, -2])
def test_matrix_power(n, requiere_torch):
    cuadradas = (RNG.standard_normal((2, 3, 3)) * 0.5 + 2 * np.eye(3)).astype(np.float64)
    _ambos(requiere_torch, lambda lib, x: lib.matrix_power(x, n), cuadradas, grad=n != 0)
    _ambos(requiere_torch, lambda lib, x: lib.linalg.matrix_power(x[0], n), cuadradas,
           grad=n != 0)
    uno = tg.tensor(cuadradas[0])
    assert uno.matrix_power(1) is not uno


def test_matrix_power_de_algo_que_no_es_cuadrado(requiere_torch):
    for lib in (tg, requiere_torch):
        with pytest.raises(RuntimeError):
            lib.matrix_power(lib.ones(2, 3), 2)


def test_tamanos_y_tipos(requiere_torch):
    torch = requiere_torch
    for datos in (M, M.astype(np.float64), np.arange(6, dtype=np.int64), np.array([True]),
                  np.arange(4, dtype=np.uint8)):
        ours, theirs = tg.tensor(datos), torch.tensor(datos)
        for nombre in ("nbytes", "itemsize", "is_cpu"):
            assert getattr(ours, nombre) == getattr(theirs, nombre), nombre
        for nombre in ("is_signed", "is_complex", "get_device", "ndimension"):
            assert getattr(ours, nombre)() == getattr(theirs, nombre)(), nombre
    assert tg.tensor(M).is_same_size(tg.zeros(3, 7)) and not tg.is_same_size(tg.tensor(M),
                                                                              tg.zeros(7, 3))
