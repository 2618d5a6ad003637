"""Forward de las operaciones de forma, indexado, cat/stack/split y matmul frente a NumPy.

Son operaciones exactas: se exige igualdad de valores, de forma y de dtype (float32 y float64).
"""
import numpy as np
import pytest

import tinygrad_es as tg

IDX = np.array([0, 0, 2, 1, 0])
MASCARA = np.array([[True, False, True, True], [False, False, True, False],
                    [True, True, False, False]])

# nombre: (expresión sobre tinygrad_es, expresión sobre NumPy o None si es la misma, formas)
FILAS = {
    "reshape_menos_uno": (lambda x: x.reshape(4, -1), lambda x: x.reshape(4, -1), [(2, 3, 2)]),
    "view_menos_uno": (lambda x: x.view(-1), lambda x: x.reshape(-1), [(2, 3, 2)]),
    "view_tupla": (lambda x: x.view((3, 4)), lambda x: x.reshape(3, 4), [(2, 3, 2)]),
    "flatten": (lambda x: x.flatten(), lambda x: x.reshape(-1), [(2, 3, 2)]),
    "flatten_rango": (lambda x: x.flatten(1, 2), lambda x: x.reshape(2, 6), [(2, 3, 2)]),
    "flatten_0d": (lambda x: x.flatten(), lambda x: x.reshape(1), [()]),
    "squeeze": (lambda x: x.squeeze(), np.squeeze, [(1, 3, 1, 2)]),
    "squeeze_dim": (lambda x: x.squeeze(-2), lambda x: x.squeeze(-2), [(1, 3, 1, 2)]),
    "squeeze_dim_no_1": (lambda x: x.squeeze(1), lambda x: x, [(1, 3, 1, 2)]),
    "unsqueeze": (lambda x: x.unsqueeze(1), lambda x: np.expand_dims(x, 1), [(2, 3)]),
    "unsqueeze_neg": (lambda x: x.unsqueeze(-1), lambda x: np.expand_dims(x, -1), [(2, 3)]),
    "transpose": (lambda x: x.transpose(0, 2), lambda x: np.swapaxes(x, 0, 2), [(2, 3, 4)]),
    "transpose_neg": (lambda x: x.transpose(-1, -2), lambda x: np.swapaxes(x, -1, -2),
                      [(2, 3, 4)]),
    "permute": (lambda x: x.permute(2, 0, 1), lambda x: x.transpose(2, 0, 1), [(2, 3, 4)]),
    "T": (lambda x: x.T, lambda x: x.T, [(2, 3)]),
    "t": (lambda x: x.t(), lambda x: x.T, [(2, 3)]),
    "t_1d": (lambda x: x.t(), lambda x: x, [(3,)]),
    "expand": (lambda x: x.expand(2, 3, 4), lambda x: np.broadcast_to(x, (2, 3, 4)), [(3, 1)]),
    "expand_menos_uno": (lambda x: x.expand(-1, 4), lambda x: np.broadcast_to(x, (3, 4)),
                         [(3, 1)]),
    "repeat": (lambda x: x.repeat(2, 3), lambda x: np.tile(x, (2, 3)), [(2, 3)]),
    "repeat_mas_dims": (lambda x: x.repeat(2, 1, 2), lambda x: np.tile(x, (2, 1, 2)), [(3,)]),
    "getitem_entero": (lambda x: x[1], lambda x: x[1], [(3, 4)]),
    "getitem_enteros": (lambda x: x[-1, 2], lambda x: x[-1, 2], [(3, 4)]),
    "getitem_cortes": (lambda x: x[1:, ::2], lambda x: x[1:, ::2], [(3, 4)]),
    "getitem_cortes_neg": (lambda x: x[-2:, -3:-1], lambda x: x[-2:, -3:-1], [(3, 4)]),
    "getitem_none": (lambda x: x[None, :, None], lambda x: x[None, :, None], [(3, 4)]),
    "getitem_ellipsis": (lambda x: x[..., 1], lambda x: x[..., 1], [(2, 3, 4)]),
    "getitem_lista": (lambda x: x[[0, 0, 2, 1, 0]], lambda x: x[IDX], [(3, 4)]),
    "getitem_tensor": (lambda x: x[tg.tensor(IDX)], lambda x: x[IDX], [(3, 4)]),
    "getitem_pareado": (lambda x: x[tg.tensor(IDX), tg.tensor(IDX + 1)],
                        lambda x: x[IDX, IDX + 1], [(3, 4)]),
    "getitem_corte_y_lista": (lambda x: x[:, [3, 3, 0]], lambda x: x[:, [3, 3, 0]], [(3, 4)]),
    "getitem_mascara": (lambda x: x[tg.tensor(MASCARA)], lambda x: x[MASCARA], [(3, 4)]),
    "getitem_mascara_filas": (lambda x: x[tg.tensor([True, False, True])],
                              lambda x: x[[0, 2]], [(3, 4)]),
    "cat_0": (lambda a, b: tg.cat([a, b]), lambda a, b: np.concatenate([a, b]), [(2, 3), (1, 3)]),
    "cat_neg": (lambda a, b, c: tg.cat((a, b, c), dim=-1),
                lambda a, b, c: np.concatenate([a, b, c], -1), [(2, 1), (2, 3), (2, 2)]),
    "stack": (lambda a, b: tg.stack([a, b]), lambda a, b: np.stack([a, b]), [(2, 3), (2, 3)]),
    "stack_neg": (lambda a, b: tg.stack([a, b], dim=-1), lambda a, b: np.stack([a, b], -1),
                  [(2, 3), (2, 3)]),
    "stack_0d": (lambda a, b: tg.stack([a, b]), lambda a, b: np.stack([a, b]), [(), ()]),
    "mm": (lambda a, b: a.mm(b), lambda a, b: a @ b, [(2, 3), (3, 4)]),
    "bmm": (lambda a, b: tg.bmm(a, b), lambda a, b: a @ b, [(2, 2, 3), (2, 3, 4)]),
    "dot": (lambda a, b: a.dot(b), np.dot, [(3,), (3,)]),
}

MATMUL = [[(3,), (3,)], [(2, 3), (3,)], [(3,), (3, 4)], [(2, 3), (3, 4)],
          [(5, 2, 3), (5, 3, 4)], [(2, 1, 3, 4), (5, 4, 2)], [(3,), (5, 3, 2)],
          [(5, 2, 3), (3,)], [(5, 2, 3), (3, 4)], [(1, 2, 3), (5, 3, 4)]]


def _arrays(formas, dtype):
    rng = np.random.default_rng(len(formas))
    return [rng.standard_normal(f).astype(dtype) for f in formas]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("nombre", sorted(FILAS))
def test_forward_como_numpy(nombre, dtype):
    fn, ref, formas = FILAS[nombre]
    arrays = _arrays(formas, dtype)
    salida = fn(*[tg.tensor(a) for a in arrays])
    esperado = np.asarray((ref or fn)(*arrays))
    assert salida.dtype == np.dtype(dtype)
    assert salida.shape == esperado.shape
    if nombre in ("mm", "bmm", "dot"):
        np.testing.assert_allclose(salida.numpy(), esperado, rtol=1e-6, atol=1e-6)
    else:
        np.testing.assert_array_equal(salida.numpy(), esperado)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("formas", MATMUL, ids=[f"{a}@{b}" for a, b in MATMUL])
def test_matmul_todos_los_casos(formas, dtype):
    a, b = _arrays(formas, dtype)
    salida = tg.tensor(a) @ tg.tensor(b)
    esperado = np.matmul(a.astype(np.float64), b.astype(np.float64))
    assert salida.dtype == np.dtype(dtype) and salida.shape == esperado.shape
    tol = {"rtol": 1e-5, "atol": 1e-6} if dtype == "float32" else {"rtol": 1e-12, "atol": 1e-14}
    np.testing.assert_allclose(salida.numpy(), esperado, **tol)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_split_chunk_unbind(dim):
    x = _arrays([(4, 5)], "float32")[0]
    t = tg.tensor(x)
    n = x.shape[dim]
    for piezas, cortes in [(t.split(2, dim), range(2, n, 2)),
                           (t.split([1, n - 1], dim), [1]),
                           (t.chunk(3, dim), range(-(-n // 3), n, -(-n // 3)))]:
        esperado = np.split(x, list(cortes), axis=dim)
        assert len(piezas) == len(esperado)
        for p, e in zip(piezas, esperado):
            np.testing.assert_array_equal(p.numpy(), e)
    separadas = t.unbind(dim)
    assert len(separadas) == n
    for i, p in enumerate(separadas):
        np.testing.assert_array_equal(p.numpy(), np.take(x, i, axis=dim))


def test_cat_y_stack_promocionan_dtype_como_torch():
    a = tg.tensor(np.ones((2, 2), np.float32))
    b = tg.tensor(np.zeros((1, 2), np.float64))
    assert tg.cat([a, b]).dtype == np.float64
    assert tg.stack([a, a]).dtype == np.float32
