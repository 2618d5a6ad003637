"""Gradientes y segundas derivadas (float64, diferencias centrales) de las composiciones de la
familia norm: scaled_dot_product_attention, interpolate, bilinear, rms_norm, instance_norm y
embedding_bag."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_es as tg
import tinygrad_es.nn.functional as F
from tinygrad_es.autograd import gradgradcheck
from tinygrad_es.testing import assert_gradients_match, tensors


def _comprobar(fn, entradas):
    assert_gradients_match(fn, *entradas)
    gradgradcheck(fn, entradas)


@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_sdpa(data):
    l, s, e = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3)), data.draw(
        st.integers(1, 3))
    q = data.draw(tensors(shape=(2, l, e)))
    k = data.draw(tensors(shape=(2, s, e)))
    v = data.draw(tensors(shape=(2, s, 2)))
    tipo = data.draw(st.sampled_from(["nada", "causal", "bool", "float"]))
    opciones = {"scale": data.draw(st.sampled_from([None, 0.7]))}
    if tipo == "causal":
        opciones["is_causal"] = True
    elif tipo == "bool":
        m = np.array(data.draw(st.lists(st.booleans(), min_size=l * s, max_size=l * s)))
        opciones["attn_mask"] = tg.tensor(m.reshape(l, s))
    elif tipo == "float":
        opciones["attn_mask"] = data.draw(tensors(shape=(l, s), requires_grad=False))
    _comprobar(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, **opciones), (q, k, v))


def test_sdpa_mascara_float_con_gradiente():
    rng = np.random.default_rng(0)
    q, k, v, m = (tg.tensor(rng.standard_normal(f), requires_grad=True)
                  for f in [(2, 3), (4, 3), (4, 2), (2, 4)])
    _comprobar(lambda q, k, v, m: F.scaled_dot_product_attention(q, k, v, attn_mask=m),
               (q, k, v, m))


@pytest.mark.parametrize("modo,forma,opciones", [
    ("nearest", (1, 2, 3), {"scale_factor": 2}),
    ("nearest", (1, 1, 3, 4), {"size": (5, 2)}),
    ("nearest-exact", (1, 2, 3, 2), {"scale_factor": 1.5}),
    ("linear", (2, 1, 4), {"size": 7}),
    ("linear", (2, 1, 4), {"size": 3, "align_corners": True}),
    ("bilinear", (1, 2, 3, 3), {"scale_factor": 1.7}),
    ("bilinear", (1, 1, 3, 4), {"size": (5, 2), "align_corners": True}),
    ("trilinear", (1, 1, 2, 3, 2), {"scale_factor": 2}),
])
def test_interpolate(modo, forma, opciones):
    x = tg.tensor(np.random.default_rng(1).standard_normal(forma), requires_grad=True)
    _comprobar(lambda x: F.interpolate(x, mode=modo, **opciones), (x,))


def test_bilinear():
    rng = np.random.default_rng(2)
    x1, x2, w, b = (tg.tensor(rng.standard_normal(f), requires_grad=True)
                    for f in [(2, 3, 2), (2, 3, 4), (5, 2, 4), (5,)])
    _comprobar(F.bilinear, (x1, x2, w, b))


def test_rms_norm():
    rng = np.random.default_rng(3)
    x, w = (tg.tensor(rng.standard_normal(f), requires_grad=True) for f in [(3, 2, 4), (2, 4)])
    _comprobar(lambda x, w: F.rms_norm(x, (2, 4), w, eps=1e-3), (x, w))


def test_instance_norm():
    rng = np.random.default_rng(4)
    x, w, b = (tg.tensor(rng.standard_normal(f), requires_grad=True)
               for f in [(2, 3, 4), (3,), (3,)])
    _comprobar(lambda x, w, b: F.instance_norm(x, weight=w, bias=b, eps=1e-3), (x, w, b))


@pytest.mark.parametrize("modo", ["sum", "mean", "max"])
def test_embedding_bag(modo):
    rng = np.random.default_rng(5)
    w = tg.tensor(rng.standard_normal((6, 3)), requires_grad=True)
    idx, off = tg.tensor([1, 2, 3, 4, 5, 0]), tg.tensor([0, 2, 2, 5])
    entradas = (w,)
    if modo == "sum":
        entradas = (w, tg.tensor(rng.standard_normal(6), requires_grad=True))
    _comprobar(lambda w, *p: F.embedding_bag(idx, w, off, mode=modo,
                                             per_sample_weights=p[0] if p else None), entradas)
