"""Casos de gradiente de las operaciones de la familia norm (los ejecuta test_ops_gradients.py
con gradcheck y gradgradcheck en float64): batch/layer/group norm fusionadas y embedding.
Las composiciones (atención, interpolación, bilineal) tienen su gradcheck en
test_composiciones_norm.py.

Cada caso devuelve ``(fn, entradas)``.
"""
import numpy as np
from hypothesis import strategies as st

import tinygrad_es as tg
import tinygrad_es.nn.functional as F
from tinygrad_es.ops import normalization as nz
from tinygrad_es.ops import sparse as sp
from tinygrad_es.testing import tensors

CASOS = {}


def caso(f):
    CASOS[f.__name__] = st.composite(f)()
    return f


def _opcional(draw, forma):
    """Un peso o sesgo: ausente, constante o con gradiente."""
    tipo = draw(st.sampled_from(["no", "const", "grad", "grad"]))
    if tipo == "no":
        return None
    return draw(tensors(shape=forma, requires_grad=tipo == "grad"))


def _partes(args):
    """Las entradas que requieren gradiente, y una función que rehace la lista completa."""
    entradas = tuple(a for a in args if a is not None and a.requires_grad)

    def rehacer(*valores):
        it = iter(valores)
        return [next(it) if (a is not None and a.requires_grad) else a for a in args]
    return entradas, rehacer


@caso
def batch_norm_entrenamiento(draw):
    c = draw(st.integers(1, 3))
    forma = draw(st.sampled_from([(3, c), (2, c, 3), (2, c, 2, 2)]))
    x = draw(tensors(shape=forma, distinct=True))
    w, b = _opcional(draw, (c,)), _opcional(draw, (c,))
    entradas, rehacer = _partes([x, w, b])

    def fn(*valores):
        x, w, b = rehacer(*valores)
        return F.batch_norm(x, None, None, w, b, training=True, eps=1e-3)
    return fn, entradas


@caso
def batch_norm_evaluacion(draw):
    c = draw(st.integers(1, 3))
    forma = draw(st.sampled_from([(3, c), (2, c, 3), (1, c, 2, 2)]))
    x = draw(tensors(shape=forma))
    media = tg.tensor(np.linspace(-1, 1, c))
    var = tg.tensor(np.linspace(0.5, 2, c))
    w, b = _opcional(draw, (c,)), _opcional(draw, (c,))
    entradas, rehacer = _partes([x, w, b])

    def fn(*valores):
        x, w, b = rehacer(*valores)
        return F.batch_norm(x, media, var, w, b, training=False, eps=1e-3)
    return fn, entradas


@caso
def layer_norm(draw):
    forma = draw(st.sampled_from([(3, 4), (2, 3, 2), (4,)]))
    k = draw(st.integers(1, len(forma)))
    nforma = forma[len(forma) - k:]
    x = draw(tensors(shape=forma, distinct=True))
    w, b = _opcional(draw, nforma), _opcional(draw, nforma)
    entradas, rehacer = _partes([x, w, b])

    def fn(*valores):
        x, w, b = rehacer(*valores)
        return F.layer_norm(x, nforma, w, b, eps=1e-3)
    return fn, entradas


@caso
def group_norm(draw):
    g = draw(st.integers(1, 2))
    c = g * draw(st.integers(1, 2))
    forma = draw(st.sampled_from([(2, c), (2, c, 3), (1, c, 2, 2)]))
    if forma[1] == g and len(forma) == 2:
        forma = (2, c, 2)   # un grupo de un solo valor no tiene varianza
    x = draw(tensors(shape=forma, distinct=True))
    w, b = _opcional(draw, (c,)), _opcional(draw, (c,))
    entradas, rehacer = _partes([x, w, b])

    def fn(*valores):
        x, w, b = rehacer(*valores)
        return F.group_norm(x, g, w, b, eps=1e-3)
    return fn, entradas


@caso
def embedding(draw):
    v, d = draw(st.integers(2, 5)), draw(st.integers(1, 3))
    forma = draw(st.sampled_from([(3,), (2, 3), (4, 1)]))
    total = int(np.prod(forma))
    idx = tg.tensor(np.array(draw(st.lists(st.integers(0, v - 1), min_size=total,
                                           max_size=total))).reshape(forma))
    padding = draw(st.one_of(st.none(), st.integers(-v, v - 1)))
    # scale_grad_by_freq divide el gradiente entre la frecuencia de cada índice (no es la
    # derivada): con índices sin repetir coincide con ella y aquí se comprueba que no cambia
    # nada; los números con repeticiones se comparan con PyTorch.
    frecuencia = len(set(idx.numpy().ravel().tolist())) == total and draw(st.booleans())
    w = draw(tensors(shape=(v, d)))
    # La fila padding_idx no recibe gradiente aunque se use (como PyTorch): para que las
    # diferencias centrales lo vean igual, la salida en sus posiciones se multiplica por 0.
    fuera = np.ones(forma + (1,))
    if padding is not None:
        fuera[idx.numpy() == padding % v] = 0
    fuera = tg.tensor(fuera)
    return (lambda w: F.embedding(idx, w, padding_idx=padding,
                                  scale_grad_by_freq=frecuencia) * fuera), (w,)


TABLA = {
    sp.Embedding: ["embedding"],
    nz.BatchNorm: ["batch_norm_entrenamiento", "batch_norm_evaluacion"],
    nz.LayerNorm: ["layer_norm"],
    nz.GroupNorm: ["group_norm"],
}
