"""Pérdidas nuevas de la familia «perdidas» contra PyTorch (oráculo).

Para cada pérdida, hypothesis sortea formas, argumentos y reducción; se comparan valor,
dtype, forma y gradientes (con un gradiente de salida aleatorio) en float32 y float64.
Además: subgradientes en los quiebres, módulos = funciones, argumentos antiguos y errores.
"""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_es as tg
import tinygrad_es.nn as nn
import tinygrad_es.nn.functional as F

REDUCCIONES = ["mean", "sum", "none"]
DTYPES = ["float32", "float64"]


def _rng(draw):
    return np.random.default_rng(draw(st.integers(0, 2 ** 31)))


def _forma(draw, minimo=0):
    return tuple(draw(st.lists(st.integers(1, 4), min_size=minimo, max_size=3)))


def _signos(rng, shape):
    return np.where(rng.random(shape) < 0.5, -1.0, 1.0)


# Cada generador devuelve (nombre de la función, argumentos, kwargs). Un argumento es
# ("t", array, requires_grad) para un tensor, o el valor tal cual.
def _smooth_l1(draw, rng):
    s = _forma(draw)
    beta = draw(st.sampled_from([0.0, 0.5, 1.0, 2.0]))
    return "smooth_l1_loss", [("t", rng.normal(size=s) * 2, True), ("t", rng.normal(size=s), True)], \
        {"beta": beta, "reduction": draw(st.sampled_from(REDUCCIONES))}


def _huber(draw, rng):
    s = _forma(draw)
    kw = {"delta": draw(st.sampled_from([0.5, 1.0, 2.0])),
          "reduction": draw(st.sampled_from(REDUCCIONES))}
    args = [("t", rng.normal(size=s) * 2, True), ("t", rng.normal(size=s), True)]
    if draw(st.booleans()):
        kw["weight"] = ("t", rng.uniform(0.2, 2, size=s), False)
    return "huber_loss", args, kw


def _kl(draw, rng):
    s = _forma(draw, 1)
    log_target = draw(st.booleans())
    x = np.log(rng.uniform(0.05, 1, size=s))
    if log_target:
        t, t_grad = np.log(rng.uniform(0.05, 1, size=s)), True
    else:
        t = rng.uniform(0.05, 1, size=s)
        t_grad = not draw(st.booleans())
        if not t_grad:
            t[rng.random(s) < 0.3] = 0.0   # xlogy(0, 0) = 0
    return "kl_div", [("t", x, True), ("t", t, t_grad)], \
        {"log_target": log_target,
         "reduction": draw(st.sampled_from(REDUCCIONES + ["batchmean"]))}


def _hinge(draw, rng):
    s = _forma(draw)
    return "hinge_embedding_loss", [("t", rng.normal(size=s) * 2, True), ("t", _signos(rng, s), False)], \
        {"margin": draw(st.sampled_from([0.5, 1.0, 2.0])),
         "reduction": draw(st.sampled_from(REDUCCIONES))}


def _ranking(draw, rng):
    n = draw(st.integers(1, 5))
    return "margin_ranking_loss", [("t", rng.normal(size=n), True), ("t", rng.normal(size=n), True),
                                   ("t", _signos(rng, n), False)], \
        {"margin": draw(st.sampled_from([0.0, 0.3, 1.0])),
         "reduction": draw(st.sampled_from(REDUCCIONES))}


def _cosine(draw, rng):
    # d >= 2: con d = 1 el coseno es ±1 constante, su gradiente es 0 en teoría y las dos
    # bibliotecas devuelven ruido de redondeo de tamaño eps/|x| (hasta ±8e-6, de signo opuesto)
    n, d = draw(st.integers(1, 4)), draw(st.integers(2, 4))
    lote = draw(st.booleans())
    s, ts = ((n, d), (n,)) if lote else ((d,), ())
    return "cosine_embedding_loss", [("t", rng.normal(size=s), True), ("t", rng.normal(size=s), True),
                                     ("t", _signos(rng, ts), False)], \
        {"margin": draw(st.sampled_from([0.0, 0.2, 0.5])),
         "reduction": draw(st.sampled_from(REDUCCIONES))}


def _triplet(draw, rng):
    n, d = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    s = (n, d) if draw(st.booleans()) else (d,)
    args = [("t", rng.normal(size=s), True) for _ in range(3)]
    return "triplet_margin_loss", args, \
        {"margin": draw(st.sampled_from([0.5, 1.0, 3.0])), "p": draw(st.sampled_from([1, 2, 3.0])),
         "eps": draw(st.sampled_from([1e-6, 0.0, 0.1])), "swap": draw(st.booleans()),
         "reduction": draw(st.sampled_from(REDUCCIONES))}


def _poisson(draw, rng):
    s = _forma(draw)
    log_input, full = draw(st.booleans()), draw(st.booleans())
    x = rng.normal(size=s) if log_input else rng.uniform(0.1, 3, size=s)
    y = rng.integers(0, 5, size=s).astype(float)
    return "poisson_nll_loss", [("t", x, True), ("t", y, not full)], \
        {"log_input": log_input, "full": full, "eps": draw(st.sampled_from([1e-8, 0.1])),
         "reduction": draw(st.sampled_from(REDUCCIONES))}


def _gaussian(draw, rng):
    n, d = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    tipo = draw(st.sampled_from(["igual", "sin_ultima", "uno", "numero"]))
    vs = {"igual": (n, d), "sin_ultima": (n,), "uno": (n, 1), "numero": None}[tipo]
    var = draw(st.sampled_from([0.7, 2.0])) if vs is None else \
        ("t", np.maximum(rng.uniform(-0.2, 2, size=vs), 0.0), True)   # algún 0: se acota en eps
    return "gaussian_nll_loss", [("t", rng.normal(size=(n, d)), True),
                                 ("t", rng.normal(size=(n, d)), True), var], \
        {"full": draw(st.booleans()), "eps": draw(st.sampled_from([1e-6, 0.3])),
         "reduction": draw(st.sampled_from(REDUCCIONES))}


def _multi_margin(draw, rng):
    c = draw(st.integers(1, 4))
    lote = draw(st.booleans())
    n = draw(st.integers(1, 4))
    s, ts = ((n, c), (n,)) if lote else ((c,), draw(st.sampled_from([(), (1,)])))
    kw = {"p": draw(st.sampled_from([1, 2])), "margin": draw(st.sampled_from([0.5, 1.0, 2.0])),
          "reduction": draw(st.sampled_from(REDUCCIONES))}
    if draw(st.booleans()):
        kw["weight"] = ("t", rng.uniform(0.2, 2, size=c), False)
    return "multi_margin_loss", [("t", rng.normal(size=s), True),
                                 ("i", rng.integers(0, c, size=ts))], kw


def _soft_margin(draw, rng):
    s = _forma(draw)
    return "soft_margin_loss", [("t", rng.normal(size=s) * 2, True), ("t", _signos(rng, s), False)], \
        {"reduction": draw(st.sampled_from(REDUCCIONES))}


def _multilabel(draw, rng):
    n, c = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    s = (n, c) if draw(st.booleans()) else (c,)
    t = (rng.random(s) < 0.5).astype(float) if draw(st.booleans()) else rng.random(s)
    kw = {"reduction": draw(st.sampled_from(REDUCCIONES))}
    if draw(st.booleans()):
        kw["weight"] = ("t", rng.uniform(0.2, 2, size=c), False)
    return "multilabel_soft_margin_loss", [("t", rng.normal(size=s) * 3, True), ("t", t, True)], kw


GENERADORES = [_smooth_l1, _huber, _kl, _hinge, _ranking, _cosine, _triplet, _poisson,
               _gaussian, _multi_margin, _soft_margin, _multilabel]


def _construir(lib, valor, dtype):
    if isinstance(valor, tuple) and valor and valor[0] == "t":
        return lib.tensor(np.asarray(valor[1]).astype(dtype), requires_grad=valor[2])
    if isinstance(valor, tuple) and valor and valor[0] == "i":
        return lib.tensor(np.asarray(valor[1], dtype=np.int64))
    return valor


def _ejecutar(lib, funcional, nombre, args, kwargs, dtype, semilla):
    ts = [_construir(lib, a, dtype) for a in args]
    kw = {k: _construir(lib, v, dtype) for k, v in kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = getattr(funcional, nombre)(*ts, **kw)
    arriba = np.random.default_rng(semilla).normal(size=tuple(out.shape)).astype(dtype)
    out.backward(lib.tensor(arriba))
    grads = [t.grad.detach().numpy() if getattr(t, "requires_grad", False) else None for t in ts]
    return out.detach().numpy(), str(out.dtype).split(".")[-1], tuple(out.shape), grads


@pytest.mark.parametrize("generador", GENERADORES, ids=lambda g: g.__name__[1:])
@pytest.mark.parametrize("dtype", DTYPES)
def test_perdida_como_torch(requiere_torch, generador, dtype):
    torch = requiere_torch
    import torch.nn.functional as TF

    @settings(max_examples=25, deadline=None)
    @given(st.data())
    def comprobar(data):
        nombre, args, kwargs = generador(data.draw, _rng(data.draw))
        esperado = _ejecutar(torch, TF, nombre, args, kwargs, dtype, 1)
        obtenido = _ejecutar(tg, F, nombre, args, kwargs, dtype, 1)
        tol = dict(rtol=2e-5, atol=2e-6) if dtype == "float32" else dict(rtol=1e-10, atol=1e-12)
        assert obtenido[1] == esperado[1] == dtype
        assert obtenido[2] == esperado[2]
        np.testing.assert_allclose(obtenido[0], esperado[0], **tol)
        for g, e in zip(obtenido[3], esperado[3]):
            assert (g is None) == (e is None)
            if g is not None:
                assert g.dtype == e.dtype
                np.testing.assert_allclose(g, e, **tol)

    comprobar()


def _grads(lib, fn, *valores):
    xs = [lib.tensor(np.asarray(v, dtype=np.float64), requires_grad=True) for v in valores]
    out = fn(lib, *xs)
    out.sum().backward()
    return out.detach().numpy(), [x.grad.numpy() for x in xs]


QUIEBRES = {
    "smooth_l1_en_beta": (lambda L, a: L.nn.functional.smooth_l1_loss(
        a, L.zeros(4, dtype=L.float64), reduction="none", beta=1.0), [1.0, -1.0, 0.0, 0.5]),
    "huber_en_delta": (lambda L, a: L.nn.functional.huber_loss(
        a, L.zeros(3, dtype=L.float64), reduction="none", delta=2.0), [2.0, -2.0, 0.0]),
    "hinge_en_margen": (lambda L, a: L.nn.functional.hinge_embedding_loss(
        a, L.tensor([-1.0, -1.0, 1.0], dtype=L.float64), reduction="none"), [1.0, 0.5, 0.0]),
    "ranking_en_margen": (lambda L, a: L.nn.functional.margin_ranking_loss(
        a, L.tensor([1.0, 0.5], dtype=L.float64), L.tensor([1.0, -1.0], dtype=L.float64),
        margin=0.5, reduction="none"), [1.5, 0.0]),
    "triplet_en_margen": (lambda L, a: L.nn.functional.triplet_margin_loss(
        a, L.tensor([[1.0, 0.0]], dtype=L.float64), L.tensor([[2.0, 0.0]], dtype=L.float64),
        eps=0.0, reduction="none"), [[0.0, 0.0]]),
    "triplet_distancia_cero": (lambda L, a: L.nn.functional.triplet_margin_loss(
        a, L.tensor([[0.0, 0.0]], dtype=L.float64), L.tensor([[2.0, 0.0]], dtype=L.float64),
        eps=0.0, reduction="none"), [[0.0, 0.0]]),
    "multi_margin_en_margen": (lambda L, a: L.nn.functional.multi_margin_loss(
        a, L.tensor([0]), reduction="none"), [[1.0, 0.0, 0.5]]),
    "multilabel_en_cero": (lambda L, a: L.nn.functional.multilabel_soft_margin_loss(
        a, L.tensor([[1.0, 0.0]], dtype=L.float64)), [[0.0, 0.0]]),
    "soft_margin_en_cero": (lambda L, a: L.nn.functional.soft_margin_loss(
        a, L.tensor([1.0, -1.0], dtype=L.float64)), [0.0, 0.0]),
}


@pytest.mark.parametrize("caso", sorted(QUIEBRES))
def test_subgradientes_en_los_quiebres_como_torch(requiere_torch, caso):
    fn, valores = QUIEBRES[caso]
    esperado = _grads(requiere_torch, fn, valores)
    obtenido = _grads(tg, fn, valores)
    np.testing.assert_allclose(obtenido[0], esperado[0], rtol=1e-12)
    for g, e in zip(obtenido[1], esperado[1]):
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-15)


MODULOS = [
    ("SmoothL1Loss", {"beta": 0.5, "reduction": "sum"}, 2),
    ("HuberLoss", {"delta": 0.7, "reduction": "none"}, 2),
    ("KLDivLoss", {"reduction": "batchmean", "log_target": True}, 2),
    ("HingeEmbeddingLoss", {"margin": 0.8}, "hinge"),
    ("MarginRankingLoss", {"margin": 0.2, "reduction": "sum"}, "ranking"),
    ("CosineEmbeddingLoss", {"margin": 0.1}, "cos"),
    ("TripletMarginLoss", {"margin": 2.0, "p": 1.0, "swap": True}, 3),
    ("PoissonNLLLoss", {"log_input": False, "full": True, "eps": 0.01}, "poisson"),
    ("GaussianNLLLoss", {"full": True, "eps": 0.1, "reduction": "sum"}, "gauss"),
    ("MultiMarginLoss", {"p": 2, "margin": 0.5, "weight": "w"}, "multi"),
    ("SoftMarginLoss", {"reduction": "none"}, "hinge"),
    ("MultiLabelSoftMarginLoss", {"weight": "w", "reduction": "sum"}, 2),
]


def _entradas_modulo(lib, tipo):
    rng = np.random.default_rng(3)
    t = lambda a: lib.tensor(np.asarray(a, dtype=np.float32))  # noqa: E731
    if isinstance(tipo, int):
        return [t(rng.normal(size=(3, 4)) - 1.0) for _ in range(tipo)]
    if tipo in ("hinge", "ranking", "cos"):
        forma = (3, 4) if tipo == "cos" else (3,)
        n = 3 if tipo != "cos" else 3
        xs = [t(rng.normal(size=forma)) for _ in range(1 if tipo == "hinge" else 2)]
        return xs + [t(_signos(rng, (n,) if tipo != "hinge" else forma))]
    if tipo == "poisson":
        return [t(rng.uniform(0.1, 2, size=5)), t(rng.integers(0, 5, size=5))]
    if tipo == "gauss":
        return [t(rng.normal(size=(3, 2))), t(rng.normal(size=(3, 2))), t(rng.uniform(0, 1, (3,)))]
    return [t(rng.normal(size=(3, 4))), lib.tensor(np.array([0, 3, 1]))]


@pytest.mark.parametrize("nombre,kwargs,tipo", MODULOS, ids=[m[0] for m in MODULOS])
def test_modulos_como_torch(requiere_torch, nombre, kwargs, tipo):
    torch = requiere_torch
    resultados = []
    for lib in (torch, tg):
        kw = dict(kwargs)
        if kw.get("weight") == "w":
            kw["weight"] = lib.tensor([0.5, 1.0, 2.0, 1.5])
        modulo = getattr(lib.nn, nombre)(**kw)
        assert repr(modulo) == f"{nombre}()"
        resultados.append(modulo(*_entradas_modulo(lib, tipo)).numpy())
        for clave, valor in kwargs.items():
            if valor != "w":
                assert getattr(modulo, clave) == valor
    np.testing.assert_allclose(resultados[1], resultados[0], rtol=1e-5, atol=1e-6)


def test_pesos_de_modulo_son_buffers():
    w = tg.tensor([1.0, 2.0])
    for cls in (nn.MultiMarginLoss, nn.MultiLabelSoftMarginLoss):
        assert list(cls(weight=w).state_dict()) == ["weight"]
        assert list(cls().state_dict()) == []


def test_argumentos_antiguos_avisan_y_reducen(requiere_torch):
    x, t = tg.tensor([0.5, -2.0, 1.0]), tg.tensor([0.0, 0.0, 1.0])
    for fn in (F.smooth_l1_loss, F.soft_margin_loss, F.poisson_nll_loss, F.kl_div):
        for size_average, reduce, esperado in ((False, None, "sum"), (None, False, "none"),
                                               (True, True, "mean")):
            with pytest.warns(UserWarning, match="obsoletos"):
                obtenido = fn(x, t, size_average=size_average, reduce=reduce)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ref = fn(x, t, reduction=esperado)
            np.testing.assert_allclose(obtenido.numpy(), ref.numpy())
    with pytest.warns(UserWarning, match="obsoletos"):
        m = nn.HingeEmbeddingLoss(size_average=False)
    assert m.reduction == "sum"
    with pytest.warns(UserWarning, match="obsoletos"):
        assert nn.KLDivLoss(reduce=False).reduction == "none"


def test_kl_div_mean_avisa_en_espanol():
    with pytest.warns(UserWarning, match="batchmean"):
        F.kl_div(tg.tensor([-1.0]), tg.tensor([0.5]))


def _error(lib, fn):
    try:
        fn(lib)
    except Exception as exc:   # noqa: BLE001 - se compara la clase con la de PyTorch
        return type(exc)
    return None


ERRORES = {
    "reduction_mala": lambda L: L.nn.functional.smooth_l1_loss(
        L.ones(2), L.ones(2), reduction="media"),
    "beta_negativa": lambda L: L.nn.functional.smooth_l1_loss(L.ones(2), L.ones(2), beta=-1.0),
    "delta_cero": lambda L: L.nn.functional.huber_loss(L.ones(2), L.ones(2), delta=0.0),
    "huber_peso_forma": lambda L: L.nn.functional.huber_loss(
        L.ones(2), L.ones(2), weight=L.ones(3)),
    "kl_reduction_mala": lambda L: L.nn.functional.kl_div(L.ones(2), L.ones(2), reduction="x"),
    "ranking_dims": lambda L: L.nn.functional.margin_ranking_loss(
        L.ones(2, 1), L.ones(2), L.ones(2)),
    "coseno_objetivo_2d": lambda L: L.nn.functional.cosine_embedding_loss(
        L.ones(2, 3), L.ones(2, 3), L.ones(2, 1)),
    "coseno_dims": lambda L: L.nn.functional.cosine_embedding_loss(
        L.ones(3), L.ones(3), L.ones(1)),
    "triplet_margen": lambda L: L.nn.functional.triplet_margin_loss(
        L.ones(2, 3), L.ones(2, 3), L.ones(2, 3), margin=0.0),
    "triplet_modulo_margen": lambda L: L.nn.TripletMarginLoss(margin=-1.0),
    "triplet_dims": lambda L: L.nn.functional.triplet_margin_loss(
        L.ones(2, 3), L.ones(3), L.ones(2, 3)),
    "gauss_var_negativa": lambda L: L.nn.functional.gaussian_nll_loss(
        L.ones(2), L.ones(2), L.tensor([1.0, -1.0])),
    "gauss_var_numero_negativo": lambda L: L.nn.functional.gaussian_nll_loss(
        L.ones(2), L.ones(2), -1.0),
    "gauss_var_forma": lambda L: L.nn.functional.gaussian_nll_loss(
        L.ones(2, 3), L.ones(2, 3), L.ones(3, 2)),
    "gauss_reduction": lambda L: L.nn.functional.gaussian_nll_loss(
        L.ones(2), L.ones(2), L.ones(2), reduction="x"),
    "poisson_reduction": lambda L: L.nn.functional.poisson_nll_loss(
        L.ones(2), L.ones(2), reduction="x"),
    "multi_margin_p": lambda L: L.nn.functional.multi_margin_loss(
        L.ones(2, 3), L.tensor([0, 1]), p=3),
    "multi_margin_modulo_p": lambda L: L.nn.MultiMarginLoss(p=3),
    "multi_margin_rango": lambda L: L.nn.functional.multi_margin_loss(
        L.ones(2, 3), L.tensor([0, 5])),
    "multi_margin_lote": lambda L: L.nn.functional.multi_margin_loss(
        L.ones(2, 3), L.tensor([0, 1, 2])),
    "multi_margin_float": lambda L: L.nn.functional.multi_margin_loss(
        L.ones(2, 3), L.tensor([0.0, 1.0])),
    "multi_margin_peso_2d": lambda L: L.nn.functional.multi_margin_loss(
        L.ones(2, 3), L.tensor([0, 1]), weight=L.ones(3, 1)),
    "multi_margin_peso_tam": lambda L: L.nn.functional.multi_margin_loss(
        L.ones(2, 3), L.tensor([0, 1]), weight=L.ones(2)),
    "multi_margin_3d": lambda L: L.nn.functional.multi_margin_loss(
        L.ones(2, 3, 4), L.tensor([0, 1])),
}


@pytest.mark.parametrize("caso", sorted(ERRORES))
def test_errores_con_la_clase_de_torch_y_mensaje_en_espanol(requiere_torch, caso):
    esperado = _error(requiere_torch, ERRORES[caso])
    assert esperado is not None
    with pytest.raises(esperado) as info:
        ERRORES[caso](tg)
    mensaje = str(info.value)
    assert any(p in mensaje for p in (" debe", " no ", " espera", " solo ", " necesita")), mensaje


def test_avisa_si_las_formas_difieren():
    with pytest.warns(UserWarning, match="misma forma"):
        F.smooth_l1_loss(tg.ones(3, 1), tg.ones(3))
    with pytest.warns(UserWarning, match="misma forma"):
        F.huber_loss(tg.ones(3, 1), tg.ones(3))


def test_gaussian_nll_full_suma_la_constante():
    x, y, v = tg.zeros(2), tg.zeros(2), tg.ones(2)
    a = F.gaussian_nll_loss(x, y, v, full=True).item()
    assert a == pytest.approx(0.5 * math.log(2 * math.pi))


@pytest.mark.parametrize("reduction", REDUCCIONES)
def test_perdidas_existentes_aceptan_todos_los_argumentos_de_torch(requiere_torch, reduction):
    """mse/l1 con weight; nll y cross_entropy con weight, ignore_index y label_smoothing;
    bce con weight; bce_with_logits con weight y pos_weight: mismos números que PyTorch."""
    torch = requiere_torch
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    w = rng.uniform(0.5, 2, size=(4, 3))
    p = rng.uniform(0.1, 0.9, size=(4, 3))
    cls = np.array([0, 2, -100, 1])
    wc = rng.uniform(0.5, 2, size=3)
    res = []
    for L in (torch, tg):
        T = lambda a: L.tensor(np.asarray(a, dtype=np.float64))  # noqa: E731
        G = L.nn.functional
        res.append([
            G.mse_loss(T(x), T(y), reduction=reduction, weight=T(w)).numpy(),
            G.l1_loss(T(x), T(y), reduction=reduction, weight=T(w)).numpy(),
            G.cross_entropy(T(x), L.tensor(cls), weight=T(wc), ignore_index=-100,
                            reduction=reduction, label_smoothing=0.2).numpy(),
            G.cross_entropy(T(x), T(p / p.sum(1, keepdims=True)), weight=T(wc),
                            reduction=reduction, label_smoothing=0.1).numpy(),
            G.nll_loss(T(x), L.tensor(np.array([0, 2, 1, 1])), weight=T(wc), ignore_index=1,
                       reduction=reduction).numpy(),
            G.binary_cross_entropy(T(p), T(p[::-1].copy()), weight=T(w),
                                   reduction=reduction).numpy(),
            G.binary_cross_entropy_with_logits(T(x), T(p), weight=T(wc), pos_weight=T(wc * 2),
                                               reduction=reduction).numpy(),
        ])
    for a, b in zip(res[1], res[0]):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
