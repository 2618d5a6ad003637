"""Embedding, dropout por canal / alpha dropout y scaled_dot_product_attention contra PyTorch
(oráculo): mismos pesos con la misma semilla, valores, gradientes, renormalización en su
sitio, dropout sembrado igual que torch y errores."""
import warnings

import numpy as np
import pytest

import tinygrad_es as tg
import tinygrad_es.nn as nn
import tinygrad_es.nn.functional as F

_rng = np.random.default_rng(5)


def _np(t):
    return t.detach().numpy()


# --- Embedding -------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [{}, {"padding_idx": 2}, {"padding_idx": -1},
                                    {"scale_grad_by_freq": True, "padding_idx": 0},
                                    {"max_norm": 1.5}, {"max_norm": 1.0, "norm_type": 1.0},
                                    {"max_norm": 0.7, "norm_type": 3.0}])
def test_embedding_igual_que_pytorch(requiere_torch, kwargs):
    torch = requiere_torch
    torch.manual_seed(3)
    tg.manual_seed(3)
    ours, ref = nn.Embedding(27, 10, **kwargs), torch.nn.Embedding(27, 10, **kwargs)
    np.testing.assert_array_equal(_np(ours.weight), _np(ref.weight))   # mismos N(0, 1)
    assert repr(ours) == repr(ref)
    idx = _rng.integers(0, 27, (6, 3))
    idx[0, :2] = [0, 2]
    idx[1, 0] = 26
    g = _rng.standard_normal((6, 3, 10)).astype(np.float32)
    ya, yt = ours(tg.tensor(idx)), ref(torch.tensor(idx))
    ya.backward(tg.tensor(g))
    yt.backward(torch.tensor(g))
    tol = 0 if "max_norm" not in kwargs else 3e-7
    np.testing.assert_allclose(_np(ya), _np(yt), atol=tol, rtol=tol)
    np.testing.assert_allclose(_np(ours.weight), _np(ref.weight), atol=tol, rtol=tol)
    np.testing.assert_allclose(_np(ours.weight.grad), _np(ref.weight.grad), atol=1e-6)
    assert ya.grad_fn.name() == "EmbeddingBackward0"


def test_embedding_indices_int32_y_escalar(requiere_torch):
    torch = requiere_torch
    w = _rng.standard_normal((5, 3))
    for idx in (np.array([[1, 4], [0, 0]], dtype=np.int32), np.array(3)):
        a = F.embedding(tg.tensor(idx), tg.tensor(w))
        b = torch.nn.functional.embedding(torch.tensor(idx), torch.tensor(w))
        np.testing.assert_array_equal(_np(a), _np(b))
        assert tuple(a.shape) == tuple(b.shape)


def test_from_pretrained(requiere_torch):
    torch = requiere_torch
    w = _rng.standard_normal((4, 2)).astype(np.float32)
    for freeze in (True, False):
        ours = nn.Embedding.from_pretrained(tg.tensor(w), freeze=freeze, padding_idx=1)
        ref = torch.nn.Embedding.from_pretrained(torch.tensor(w), freeze=freeze, padding_idx=1)
        assert ours.weight.requires_grad == ref.weight.requires_grad == (not freeze)
        assert repr(ours) == repr(ref)
        np.testing.assert_array_equal(_np(ours.weight), w)   # la fila padding no se pone a 0
    assert list(ours.state_dict()) == ["weight"]


def test_embedding_state_dict_en_los_dos_sentidos(requiere_torch):
    torch = requiere_torch
    ref = torch.nn.Embedding(6, 3)
    ours = nn.Embedding(6, 3)
    ours.load_state_dict({k: tg.tensor(v.numpy()) for k, v in ref.state_dict().items()})
    np.testing.assert_array_equal(_np(ours.weight), _np(ref.weight))
    otro = torch.nn.Embedding(6, 3)
    otro.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    np.testing.assert_array_equal(_np(otro.weight), _np(ours.weight))


@pytest.mark.parametrize("llamada,error", [
    (lambda: F.embedding(tg.tensor([5]), tg.randn(5, 3)), IndexError),
    (lambda: F.embedding(tg.tensor([-1]), tg.randn(5, 3)), IndexError),
    (lambda: F.embedding(tg.tensor([1.0]), tg.randn(5, 3)), RuntimeError),
    (lambda: F.embedding(tg.tensor([1]), tg.randn(5)), RuntimeError),
    (lambda: F.embedding(tg.tensor([1]), tg.randn(5, 3), padding_idx=5), AssertionError),
    (lambda: F.embedding(tg.tensor([1]), tg.randn(5, 3), padding_idx=-6), AssertionError),
    (lambda: nn.Embedding(5, 3, padding_idx=5), AssertionError),
    (lambda: nn.Embedding.from_pretrained(tg.randn(5)), AssertionError),
    (lambda: nn.Embedding(5, 3, sparse=True), NotImplementedError),
])
def test_errores_de_embedding(llamada, error):
    with pytest.raises(error):
        llamada()


# --- dropout por canal y alpha dropout --------------------------------------------------------
CASOS_DROPOUT = [("dropout1d", (4, 6, 5)), ("dropout1d", (6, 5)), ("dropout2d", (4, 6, 5, 3)),
                 ("dropout2d", (4, 6, 5)), ("dropout3d", (2, 4, 3, 2, 3)),
                 ("dropout3d", (4, 3, 2, 3)), ("alpha_dropout", (4, 6, 5)),
                 ("feature_alpha_dropout", (4, 6, 5, 3))]


@pytest.mark.parametrize("nombre,forma", CASOS_DROPOUT)
@pytest.mark.parametrize("p", [0.3, 0.5, 1.0])
def test_dropout_sembrado_igual_que_pytorch(requiere_torch, nombre, forma, p):
    torch = requiere_torch
    x = _rng.standard_normal(forma).astype(np.float32)
    g = _rng.standard_normal(forma).astype(np.float32)
    torch.manual_seed(7)
    tg.manual_seed(7)
    xa, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ya = getattr(F, nombre)(xa, p, True)
        yt = getattr(torch.nn.functional, nombre)(xt, p, True)
    ya.backward(tg.tensor(g))
    yt.backward(torch.tensor(g))
    np.testing.assert_array_equal(_np(ya), _np(yt))
    np.testing.assert_array_equal(_np(xa.grad), _np(xt.grad))
    # el siguiente número aleatorio también coincide (se consumió lo mismo)
    assert tg.rand(1).item() == torch.rand(1).item()


@pytest.mark.parametrize("clase", ["Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
                                   "FeatureAlphaDropout"])
def test_modulos_de_dropout(requiere_torch, clase):
    torch = requiere_torch
    forma = (2, 3, 4) if clase in ("Dropout1d", "AlphaDropout") else \
        (2, 3, 2, 2, 2) if clase == "Dropout3d" else (2, 3, 4, 2)
    x = _rng.standard_normal(forma).astype(np.float32)
    ours, ref = getattr(nn, clase)(0.4), getattr(torch.nn, clase)(0.4)
    assert repr(ours) == repr(ref)
    torch.manual_seed(1)
    tg.manual_seed(1)
    np.testing.assert_array_equal(_np(ours(tg.tensor(x))), _np(ref(torch.tensor(x))))
    ours.eval()
    np.testing.assert_array_equal(_np(ours(tg.tensor(x))), x)


def test_dropout_inplace_y_errores(requiere_torch):
    torch = requiere_torch
    x = _rng.standard_normal((3, 4, 2)).astype(np.float32)
    a, b = tg.tensor(x), torch.tensor(x)
    torch.manual_seed(2)
    tg.manual_seed(2)
    ra = F.dropout1d(a, 0.5, True, inplace=True)
    rb = torch.nn.functional.dropout1d(b, 0.5, True, inplace=True)
    assert ra is a and rb is b
    np.testing.assert_array_equal(_np(a), _np(b))
    with pytest.raises(ValueError):
        F.dropout2d(tg.randn(2, 3, 4, 4), 1.5)
    with pytest.raises(RuntimeError):
        F.dropout1d(tg.randn(2, 3, 4, 5))
    with pytest.raises(ValueError):
        nn.AlphaDropout(-0.1)
    with pytest.warns(UserWarning):
        F.dropout2d(tg.randn(2, 3, 4))


# --- atención -----------------------------------------------------------------------------
def _qkv(lib, formas, dtype=np.float32):
    datos = [_rng.standard_normal(f).astype(dtype) for f in formas]
    return datos, [lib.tensor(d, requires_grad=True) for d in datos]


@pytest.mark.parametrize("kwargs", [{}, {"is_causal": True}, {"scale": 0.3},
                                    {"attn_mask": "bool"}, {"attn_mask": "float"},
                                    {"attn_mask": "vacia"}, {"dropout_p": 0.3},
                                    {"enable_gqa": True}, {"is_causal": True, "dropout_p": 0.5}])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sdpa_igual_que_pytorch(requiere_torch, kwargs, dtype):
    torch = requiere_torch
    kv_heads = 1 if kwargs.get("enable_gqa") else 3
    formas = [(2, 3, 4, 8), (2, kv_heads, 5, 8), (2, kv_heads, 5, 6)]
    datos = [_rng.standard_normal(f).astype(dtype) for f in formas]
    opciones = [dict(kwargs), dict(kwargs)]
    mascara = kwargs.get("attn_mask")
    if mascara is not None:
        m = (_rng.random((4, 5)) > 0.4 if mascara != "float" else
             _rng.standard_normal((4, 5)).astype(dtype))
        if mascara == "vacia":   # una fila sin ninguna posición permitida: 0, no nan
            m[1] = False
        opciones[0]["attn_mask"], opciones[1]["attn_mask"] = tg.tensor(m), torch.tensor(m)
    g = _rng.standard_normal((2, 3, 4, 6)).astype(dtype)
    salidas = []
    for lib, fn, op in ((tg, F.scaled_dot_product_attention, opciones[0]),
                        (torch, torch.nn.functional.scaled_dot_product_attention, opciones[1])):
        lib.manual_seed(9)
        ts = [lib.tensor(d, requires_grad=True) for d in datos]
        y = fn(*ts, **op)
        y.backward(lib.tensor(g))
        salidas.append([_np(y)] + [_np(t.grad) for t in ts])
    tol = 2e-6 if dtype == np.float32 else 1e-12
    for a, b in zip(*salidas):
        np.testing.assert_allclose(a, b, rtol=tol * 10, atol=tol)


def test_sdpa_segundas_derivadas_y_2d(requiere_torch):
    torch = requiere_torch
    datos = [_rng.standard_normal(f) for f in [(4, 3), (5, 3), (5, 2)]]
    res = []
    for lib, fn in ((tg, F.scaled_dot_product_attention),
                    (torch, torch.nn.functional.scaled_dot_product_attention)):
        ts = [lib.tensor(d, requires_grad=True) for d in datos]
        y = (fn(*ts, is_causal=True) ** 2).sum()
        (gq,) = lib.autograd.grad(y, ts[0], create_graph=True)
        (gq * gq).sum().backward()
        res.append([_np(t.grad) for t in ts])
    for a, b in zip(*res):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("llamada", [
    lambda q, k, v: F.scaled_dot_product_attention(
        q, k, v, attn_mask=tg.ones(4, 5, dtype=tg.bool), is_causal=True),
    lambda q, k, v: F.scaled_dot_product_attention(q, k, v, attn_mask=tg.ones(4, 5,
                                                                              dtype=tg.int64)),
    lambda q, k, v: F.scaled_dot_product_attention(q.double(), k, v),
    lambda q, k, v: F.scaled_dot_product_attention(q, tg.randn(2, 3, 5, 7), v),
    lambda q, k, v: F.scaled_dot_product_attention(q, tg.randn(2, 2, 5, 8),
                                                   tg.randn(2, 2, 5, 6), enable_gqa=True),
])
def test_errores_de_sdpa(llamada):
    q, k, v = tg.randn(2, 3, 4, 8), tg.randn(2, 3, 5, 8), tg.randn(2, 3, 5, 6)
    with pytest.raises(RuntimeError):
        llamada(q, k, v)


# --- de punta a punta: los modelos de los cursos ---------------------------------------------
def _makemore(lib):
    nn_ = lib.nn
    return nn_.Sequential(nn_.Embedding(27, 10), nn_.Flatten(), nn_.Linear(30, 64, bias=False),
                          nn_.BatchNorm1d(64), nn_.Tanh(), nn_.Linear(64, 27))


def _bloque(lib):
    nn_, F_ = lib.nn, lib.nn.functional

    class Bloque(nn_.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn_.Embedding(11, 8)
            self.ln = nn_.LayerNorm(8)
            self.qkv = nn_.Linear(8, 24)
            self.salida = nn_.Linear(8, 11)
            self.drop = nn_.Dropout(0.2)

        def forward(self, idx):
            x = self.emb(idx)
            q, k, v = self.qkv(self.ln(x)).reshape(idx.shape[0], idx.shape[1], 3, 2, 4).permute(
                2, 0, 3, 1, 4)
            y = F_.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=0.1)
            x = x + self.drop(y.transpose(1, 2).reshape(idx.shape[0], idx.shape[1], 8))
            return self.salida(x)
    return Bloque()


@pytest.mark.parametrize("modelo", ["makemore", "bloque"])
def test_pasos_de_entrenamiento_iguales_que_pytorch(requiere_torch, modelo):
    """Misma semilla: mismos pesos iniciales, mismo dropout y mismas pérdidas paso a paso."""
    torch = requiere_torch
    rng = np.random.default_rng(0)
    if modelo == "makemore":
        x, y = rng.integers(0, 27, (32, 3)), rng.integers(0, 27, 32)
    else:
        x, y = rng.integers(0, 11, (4, 5)), rng.integers(0, 11, (4, 5))
    perdidas = []
    for lib in (tg, torch):
        lib.manual_seed(1234)
        red = _makemore(lib) if modelo == "makemore" else _bloque(lib)
        opt = lib.optim.SGD(red.parameters(), lr=0.1)
        xs, ys = lib.tensor(x), lib.tensor(y)
        lista = []
        for _ in range(5):
            logits = red(xs)
            perdida = lib.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                                                      ys.reshape(-1))
            opt.zero_grad()
            perdida.backward()
            opt.step()
            lista.append(perdida.item())
        red.eval()
        lista.append(red(xs).sum().item())
        perdidas.append(lista)
    np.testing.assert_allclose(perdidas[0], perdidas[1], rtol=2e-5, atol=1e-5)


# --- EmbeddingBag -------------------------------------------------------------------------------
BOLSAS = [(np.array([1, 2, 3, 4, 5, 1]), np.array([0, 2, 2, 5]), {}),
          (np.array([1, 2, 3, 4, 5, 1]), np.array([0, 3, 6]), {"include_last_offset": True}),
          (np.array([1, 2, 3, 4, 5, 1]), np.array([0, 2, 6]), {"include_last_offset": True}),
          (np.array([2, 2, 3, 4, 2, 1]), np.array([0, 2, 4]), {"padding_idx": 2}),
          (np.array([[1, 2, 3], [4, 5, 1]]), None, {}),
          (np.array([[1, 2, 3], [4, 5, 0]]), None, {"scale_grad_by_freq": True}),
          (np.array([1, 2, 3, 4, 5, 1]), np.array([0, 3]), {"max_norm": 1.0})]


@pytest.mark.parametrize("idx,offsets,kwargs", BOLSAS)
@pytest.mark.parametrize("modo", ["sum", "mean", "max"])
def test_embedding_bag_igual_que_pytorch(requiere_torch, idx, offsets, kwargs, modo):
    torch = requiere_torch
    if modo == "max" and kwargs.get("scale_grad_by_freq"):
        with pytest.raises(ValueError):
            F.embedding_bag(tg.tensor(idx), tg.randn(6, 3), mode=modo, **kwargs)
        return
    w = _rng.standard_normal((6, 3)).astype(np.float32)
    pesos = _rng.standard_normal(idx.shape).astype(np.float32) if modo == "sum" else None
    res = []
    for lib, fn in ((tg, F.embedding_bag), (torch, torch.nn.functional.embedding_bag)):
        wt = lib.tensor(w.copy(), requires_grad=True)
        pt = None if pesos is None else lib.tensor(pesos, requires_grad=True)
        y = fn(lib.tensor(idx), wt, None if offsets is None else lib.tensor(offsets), mode=modo,
               per_sample_weights=pt, **kwargs)
        g = np.random.default_rng(0).standard_normal(tuple(y.shape)).astype(np.float32)
        y.backward(lib.tensor(g))
        res.append([_np(y), _np(wt), _np(wt.grad)] + ([] if pt is None else [_np(pt.grad)]))
    for a, b in zip(*res):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=3e-7)


def test_embedding_bag_scale_grad_by_freq_con_repetidos():
    """Cada fila se divide entre cuántas veces aparece su índice, como en F.embedding.

    (PyTorch 2.13 da aquí otros números: con [[1, 2], [3, 1]] divide también la fila 2 entre 2,
    aunque el índice 2 aparece una vez; no se copia ese error.)"""
    w = tg.zeros(6, 1, requires_grad=True)
    F.embedding_bag(tg.tensor([[1, 2], [3, 1]]), w, mode="sum",
                    scale_grad_by_freq=True).sum().backward()
    assert w.grad.numpy().ravel().tolist() == [0, 1, 1, 1, 0, 0]


def test_embedding_bag_modulo(requiere_torch):
    torch = requiere_torch
    torch.manual_seed(5)
    tg.manual_seed(5)
    ours, ref = nn.EmbeddingBag(10, 4, mode="max", padding_idx=1), torch.nn.EmbeddingBag(
        10, 4, mode="max", padding_idx=1)
    assert repr(ours) == repr(ref)
    np.testing.assert_array_equal(_np(ours.weight), _np(ref.weight))
    idx, off = np.array([3, 1, 4, 1, 5, 9, 2, 6]), np.array([0, 3, 3, 6])
    np.testing.assert_array_equal(_np(ours(tg.tensor(idx), tg.tensor(off))),
                                  _np(ref(torch.tensor(idx), torch.tensor(off))))
    w = tg.randn(5, 2)
    bolsa = nn.EmbeddingBag.from_pretrained(w, mode="sum")
    assert not bolsa.weight.requires_grad and list(bolsa.state_dict()) == ["weight"]


@pytest.mark.parametrize("llamada,error", [
    (lambda: F.embedding_bag(tg.tensor([1, 2]), tg.randn(5, 3), tg.tensor([1])), RuntimeError),
    (lambda: F.embedding_bag(tg.tensor([1, 2]), tg.randn(5, 3), tg.tensor([0, 3])),
     RuntimeError),
    (lambda: F.embedding_bag(tg.tensor([[1, 2]]), tg.randn(5, 3), tg.tensor([0])), ValueError),
    (lambda: F.embedding_bag(tg.tensor([1, 2]), tg.randn(5, 3)), ValueError),
    (lambda: F.embedding_bag(tg.tensor([1, 2]), tg.randn(5, 3), tg.tensor([0]), mode="foo"),
     ValueError),
    (lambda: F.embedding_bag(tg.tensor([1, 2]), tg.randn(5, 3), tg.tensor([0]),
                             per_sample_weights=tg.ones(2)), NotImplementedError),
    (lambda: F.embedding_bag(tg.tensor([1, 2]), tg.randn(5, 3), tg.tensor([0, 1]),
                             include_last_offset=True), RuntimeError),
    (lambda: nn.EmbeddingBag(5, 3, sparse=True), NotImplementedError),
])
def test_errores_de_embedding_bag(llamada, error):
    with pytest.raises(error):
        llamada()
