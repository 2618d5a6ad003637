"""Oráculo (continuación): indexado, cat/stack, forma, softmax y expresiones compuestas.

Usa el comparador de ``test_oracle_torch.py``: la misma lambda ``f(m, *entradas)`` corre en
torch y en tinygrad_es con las mismas entradas float64 y se comparan valores y gradientes.
"""
import numpy as np
import pytest

from test_oracle_torch import comparar


def _i(m, valores):
    return m.tensor(valores)   # índices int64 en los dos módulos


INDEXADO = [
    ("entero", lambda m, x: x[1], [(3, 4)]),
    ("entero_negativo", lambda m, x: x[-1, 2], [(3, 4)]),
    ("corte", lambda m, x: x[:, 1:3], [(3, 4)]),
    ("corte_con_paso", lambda m, x: x[::2, 1:], [(5, 4)]),
    ("none_y_elipsis", lambda m, x: x[None, ..., 0], [(2, 3, 4)]),
    ("indices_repetidos", lambda m, x: x[_i(m, [0, 2, 0, 0])], [(3, 4)]),
    ("indices_repetidos_columnas", lambda m, x: x[:, _i(m, [3, 0, 3])], [(3, 4)]),
    ("pares_de_indices", lambda m, x: x[_i(m, [0, 2, 0]), _i(m, [1, 1, 1])], [(3, 4)]),
    ("indices_2d", lambda m, x: x[_i(m, [[0, 1], [1, 0]])], [(2, 3)]),
    ("gather_de_clases", lambda m, x: x[m.arange(4), _i(m, [2, 0, 2, 1])], [(4, 3)]),
    ("lista_de_indices", lambda m, x: x[[0, 0, 1]], [(2, 3)]),
    ("mascara", lambda m, x: x[x > 0], [(3, 4)]),
    ("mascara_filas", lambda m, x: x[x.sum(dim=1) > 0], [(5, 3)]),
    ("mascara_fija", lambda m, x: x[m.tensor([True, False, True])], [(3, 2)]),
    ("mascara_por_valor", lambda m, x: x[x > 0] * x[x > 0], [(6,)]),
]

MOVIMIENTO = [
    ("cat_dim0", lambda m, x, y: m.cat([x, y]), [(2, 3), (4, 3)]),
    ("cat_dim1", lambda m, x, y: m.cat([x, y], dim=1), [(2, 3), (2, 1)]),
    ("cat_dim_negativa", lambda m, x, y: m.cat((x, y, x), dim=-1), [(2, 3), (2, 2)]),
    ("cat_reutiliza", lambda m, x: m.cat([x, x * 2]), [(3,)]),
    ("stack", lambda m, x, y: m.stack([x, y]), [(2, 3), (2, 3)]),
    ("stack_dim1", lambda m, x, y: m.stack([x, y], dim=1), [(2, 3), (2, 3)]),
    ("stack_dim_negativa", lambda m, x, y: m.stack([x, y, x], dim=-1), [(2, 3), (2, 3)]),
    ("reshape", lambda m, x: x.reshape(3, 4) * m.arange(4.0, dtype=m.float64), [(2, 6)]),
    ("view_menos_uno", lambda m, x: x.view(-1, 2), [(2, 3, 2)]),
    ("flatten", lambda m, x: x.flatten(1), [(2, 3, 2)]),
    ("permute", lambda m, x: x.permute(2, 0, 1), [(2, 3, 4)]),
    ("transpose", lambda m, x: x.transpose(0, 2), [(2, 3, 4)]),
    ("T", lambda m, x: x.T @ x, [(3, 2)]),
    ("squeeze_unsqueeze", lambda m, x: x.squeeze(1).unsqueeze(0), [(3, 1, 2)]),
    ("expand", lambda m, x: x.expand(4, 3) * m.arange(12.0, dtype=m.float64).reshape(4, 3),
     [(1, 3)]),
    ("repeat", lambda m, x: x.repeat(2, 3), [(2, 2)]),
    ("split", lambda m, x: x.split(2, dim=1), [(2, 5)]),
    ("chunk", lambda m, x: x.chunk(3), [(6, 2)]),
    ("unbind", lambda m, x: m.stack(x.unbind(1)[::-1]), [(2, 3)]),
]

SOFTMAX = [
    ("softmax", lambda m, x: x.softmax(dim=1), [(3, 4)]),
    ("softmax_dim0", lambda m, x: m.softmax(x, dim=0), [(3, 4)]),
    ("softmax_3d", lambda m, x: x.softmax(-1), [(2, 3, 4)]),
    ("log_softmax", lambda m, x: x.log_softmax(dim=1), [(3, 4)]),
    ("log_softmax_dim0", lambda m, x: m.log_softmax(x, 0), [(3, 4)]),
    ("log_softmax_grande", lambda m, x: (x * 500).log_softmax(dim=-1), [(2, 5)]),
    ("softmax_grande", lambda m, x: (x * 500).softmax(dim=-1), [(2, 5)]),
]


def _mlp(m, x, w1, b1, w2, b2):
    objetivos = m.tensor([0, 2, 1, 2, 0])
    h = (x @ w1.T + b1).relu()
    logits = h @ w2.T + b2
    logp = logits.log_softmax(dim=1)
    return -logp[m.arange(5), objetivos].mean()


def _mlp_tanh_mse(m, x, w1, b1, w2):
    y = m.tensor([[-1.0], [-0.6], [-0.2], [0.2], [0.6], [1.0]], dtype=m.float64)
    pred = (x @ w1 + b1).tanh() @ w2
    return ((pred - y) ** 2).mean()


def _entropia_cruzada_manual(m, logits):
    objetivos = m.tensor([1, 0, 3])
    maximo = logits.max(dim=1, keepdim=True).values
    lse = ((logits - maximo).exp().sum(dim=1, keepdim=True)).log() + maximo
    return (lse.squeeze(1) - logits[m.arange(3), objetivos]).mean()


def _bce_manual(m, z):
    y = m.tensor([1.0, 0.0, 1.0, 1.0], dtype=m.float64)
    p = z.sigmoid().clamp(1e-7, 1 - 1e-7)
    return -(y * p.log() + (1 - y) * (1 - p).log()).mean()


def _normalizar(m, x):
    media = x.mean(dim=0, keepdim=True)
    desv = x.std(dim=0, keepdim=True)
    return ((x - media) / (desv + 1e-5)).abs().sum()


def _atencion(m, q, k, v):
    pesos = (q @ k.transpose(-2, -1) / 2.0).softmax(dim=-1)
    return pesos @ v


def _regresion_logistica(m, x, w, b):
    y = m.tensor([0.0, 1.0, 1.0, 0.0, 1.0, 0.0], dtype=m.float64)
    p = m.sigmoid(x @ w + b)
    return ((p - y) ** 2).sum() / 6 + 0.01 * (w * w).sum()


def _max_pool_1d(m, x):
    return x.reshape(2, 3, 2).max(dim=2).values.sum(dim=1)


def _polinomio(m, x, c):
    potencias = m.stack([x ** 0, x, x ** 2, x ** 3], dim=1)
    return potencias @ c


COMPUESTAS = [
    ("mlp_relu_nll", _mlp, [(5, 4), (8, 4), (8,), (3, 8), (3,)]),
    ("mlp_tanh_mse", _mlp_tanh_mse, [(6, 3), (3, 5), (5,), (5, 1)]),
    ("entropia_cruzada_manual", _entropia_cruzada_manual, [(3, 4)]),
    ("bce_manual", _bce_manual, [(4,)]),
    ("normalizar", _normalizar, [(5, 3)]),
    ("atencion", _atencion, [(2, 3, 4), (2, 5, 4), (2, 5, 2)]),
    ("regresion_logistica", _regresion_logistica, [(6, 2), (2,), ()]),
    ("max_pool_1d", _max_pool_1d, [(2, 6)]),
    ("polinomio", _polinomio, [(5,), (4,)]),
    ("rama_doble", lambda m, x: (x.exp() + x.sin()) * (x.exp() - 1), [(4,)]),
    ("diamante", lambda m, x: (lambda b: b * b + b.sum())(x * 3), [(3,)]),
]


@pytest.mark.parametrize("nombre,f,formas", INDEXADO, ids=[c[0] for c in INDEXADO])
def test_indexado(requiere_torch, nombre, f, formas):
    comparar(requiere_torch, f, formas)


@pytest.mark.parametrize("nombre,f,formas", MOVIMIENTO, ids=[c[0] for c in MOVIMIENTO])
def test_movimiento(requiere_torch, nombre, f, formas):
    comparar(requiere_torch, f, formas)


@pytest.mark.parametrize("nombre,f,formas", SOFTMAX, ids=[c[0] for c in SOFTMAX])
def test_softmax(requiere_torch, nombre, f, formas):
    comparar(requiere_torch, f, formas)


@pytest.mark.parametrize("nombre,f,formas", COMPUESTAS, ids=[c[0] for c in COMPUESTAS])
@pytest.mark.parametrize("semilla", [0, 1])
def test_compuestas(requiere_torch, nombre, f, formas, semilla):
    comparar(requiere_torch, f, formas, semilla=semilla)


def test_varios_pasos_de_entrenamiento_igual_que_torch(requiere_torch):
    """Diez pasos de descenso de gradiente de una red de dos capas dan los mismos pesos."""
    torch = requiere_torch
    import tinygrad_es as tg
    rng = np.random.default_rng(5)
    datos = [rng.standard_normal(s) * 0.5 for s in ((8, 3), (6, 3), (6,), (2, 6), (2,))]
    objetivos = [0, 1, 1, 0, 1, 0, 0, 1]
    finales = []
    for m in (tg, torch):
        x, w1, b1, w2, b2 = [m.tensor(d.copy(), requires_grad=(i > 0)) for i, d in
                             enumerate(datos)]
        y = m.tensor(objetivos)
        for _ in range(10):
            logits = (x @ w1.T + b1).relu() @ w2.T + b2
            perdida = -logits.log_softmax(dim=1)[m.arange(8), y].mean()
            perdida.backward()
            with m.no_grad():
                for p in (w1, b1, w2, b2):
                    p -= 0.5 * p.grad
                    p.grad = None
        finales.append([p.detach().numpy().copy() for p in (w1, b1, w2, b2)] + [perdida.item()])
    for ours, theirs in zip(*finales):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
