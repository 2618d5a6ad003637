"""Oráculo contra PyTorch de las capas recurrentes (``nn.RNN``, ``nn.LSTM``, ``nn.GRU`` y sus
celdas) y de ``nn.utils.rnn``: con la misma semilla, los mismos pesos; las mismas salidas,
estados y gradientes (de la entrada, del estado inicial y de cada parámetro), en float32 y
float64; y los errores de forma con la misma clase de excepción."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_es as tg
import tinygrad_es.nn as nn
from tinygrad_es.nn.utils import rnn as rnn_utils
from tinygrad_es.testing import assert_gradients_match, assert_second_derivatives_match

TOL = {"float32": dict(rtol=2e-5, atol=2e-6), "float64": dict(rtol=1e-10, atol=1e-12)}


def _np(t):
    return t.detach().numpy()


def _pareja(torch, clase, *args, seed=0, dtype=None, **kwargs):
    """El mismo módulo en torch y aquí, cada uno tras ``manual_seed(seed)``.
    ``dtype``: el nombre del tipo ("float32" por defecto)."""
    torch.manual_seed(seed)
    suyo = getattr(torch.nn, clase)(*args, dtype=getattr(torch, dtype or "float32"), **kwargs)
    tg.manual_seed(seed)
    nuestro = getattr(nn, clase)(*args, dtype=getattr(tg, dtype or "float32"), **kwargs)
    return suyo, nuestro


def _mismos_parametros(suyo, nuestro):
    a, b = list(suyo.named_parameters()), list(nuestro.named_parameters())
    assert [n for n, _ in a] == [n for n, _ in b]
    for (nombre, p), (_, q) in zip(a, b):
        assert tuple(p.shape) == tuple(q.shape), nombre
        assert np.array_equal(_np(p), _np(q)), nombre   # el mismo sorteo, bit a bit


def _cerca(a, b, dtype, que):
    np.testing.assert_allclose(_np(b), _np(a), err_msg=que, **TOL[dtype])


def _pares(torch, forma, dtype, rng):
    x = rng.standard_normal(forma).astype(dtype)
    return torch.tensor(x, requires_grad=True), tg.tensor(x, requires_grad=True)


def _perdida(salida, estados):
    """Una pérdida que usa todas las salidas y estados con pesos distintos."""
    total = (salida * salida).sum() + salida.sin().sum()
    for k, h in enumerate(estados):
        total = total + (h.cos() * (k + 1)).sum()
    return total


CONFIGS = [
    dict(),
    dict(batch_first=True),
    dict(num_layers=2, bidirectional=True),
    dict(num_layers=3, bias=False, batch_first=True),
    dict(bidirectional=True, batch_first=True),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("config", CONFIGS,
                         ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "defecto")
@pytest.mark.parametrize("clase", ["RNN", "LSTM", "GRU"])
def test_red_recurrente_como_pytorch(requiere_torch, clase, config, dtype):
    torch = requiere_torch
    suyo, nuestro = _pareja(torch, clase, 3, 4, dtype=dtype, **config)
    _mismos_parametros(suyo, nuestro)
    rng = np.random.default_rng(1)
    capas = config.get("num_layers", 1) * (2 if config.get("bidirectional") else 1)
    forma = (2, 5, 3) if config.get("batch_first") else (5, 2, 3)
    xt, xg = _pares(torch, forma, dtype, rng)
    ht, hg = _pares(torch, (capas, 2, 4), dtype, rng)
    if clase == "LSTM":
        ct, cg = _pares(torch, (capas, 2, 4), dtype, rng)
        st_, (hn_t, cn_t) = suyo(xt, (ht, ct))
        sg, (hn_g, cn_g) = nuestro(xg, (hg, cg))
        estados_t, estados_g = [hn_t, cn_t], [hn_g, cn_g]
        entradas = [(xt, xg), (ht, hg), (ct, cg)]
    else:
        st_, hn_t = suyo(xt, ht)
        sg, hn_g = nuestro(xg, hg)
        estados_t, estados_g = [hn_t], [hn_g]
        entradas = [(xt, xg), (ht, hg)]
    assert tuple(sg.shape) == tuple(st_.shape) and sg.dtype == getattr(tg, dtype)
    _cerca(st_, sg, dtype, "salida")
    for a, b in zip(estados_t, estados_g):
        assert tuple(a.shape) == tuple(b.shape)
        _cerca(a, b, dtype, "estado final")
    _perdida(st_, estados_t).backward()
    _perdida(sg, estados_g).backward()
    for k, (a, b) in enumerate(entradas):
        _cerca(a.grad, b.grad, dtype, f"gradiente de la entrada {k}")
    for (nombre, p), (_, q) in zip(suyo.named_parameters(), nuestro.named_parameters()):
        _cerca(p.grad, q.grad, dtype, f"gradiente de {nombre}")


@pytest.mark.parametrize("clase", ["RNN", "LSTM", "GRU"])
def test_sin_lote_y_sin_estado_inicial(requiere_torch, clase):
    torch = requiere_torch
    suyo, nuestro = _pareja(torch, clase, 3, 4, num_layers=2)
    rng = np.random.default_rng(2)
    xt, xg = _pares(torch, (6, 3), "float32", rng)
    for args_t, args_g in [((xt,), (xg,)), ]:
        st_, ht = suyo(*args_t)
        sg, hg = nuestro(*args_g)
        assert tuple(sg.shape) == tuple(st_.shape) == (6, 4)
        ht = ht if clase != "LSTM" else ht[1]
        hg = hg if clase != "LSTM" else hg[1]
        assert tuple(hg.shape) == tuple(ht.shape) == (2, 4)
        _cerca(st_, sg, "float32", "salida")
        _cerca(ht, hg, "float32", "estado")
    # con estado inicial 2-D
    h0 = rng.standard_normal((2, 4)).astype("float32")
    hx_t = torch.tensor(h0) if clase != "LSTM" else (torch.tensor(h0), torch.tensor(h0 * 2))
    hx_g = tg.tensor(h0) if clase != "LSTM" else (tg.tensor(h0), tg.tensor(h0 * 2))
    _cerca(suyo(xt, hx_t)[0], nuestro(xg, hx_g)[0], "float32", "salida con h0")


def test_lstm_con_proyeccion(requiere_torch):
    torch = requiere_torch
    suyo, nuestro = _pareja(torch, "LSTM", 3, 5, num_layers=2, proj_size=2, bidirectional=True,
                            dtype="float64")
    _mismos_parametros(suyo, nuestro)
    assert tuple(nuestro.weight_hr_l1_reverse.shape) == (2, 5)
    rng = np.random.default_rng(3)
    xt, xg = _pares(torch, (4, 2, 3), "float64", rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # torch avisa de que oneDNN no tiene proyecciones
        st_, (ht, ct) = suyo(xt)
    sg, (hg, cg) = nuestro(xg)
    assert tuple(hg.shape) == (4, 2, 2) and tuple(cg.shape) == (4, 2, 5)
    for a, b in [(st_, sg), (ht, hg), (ct, cg)]:
        _cerca(a, b, "float64", "proyección")
    _perdida(st_, [ht, ct]).backward()
    _perdida(sg, [hg, cg]).backward()
    _cerca(xt.grad, xg.grad, "float64", "gradiente de x")
    for (nombre, p), (_, q) in zip(suyo.named_parameters(), nuestro.named_parameters()):
        _cerca(p.grad, q.grad, "float64", nombre)


def test_dropout_entre_capas_como_pytorch(requiere_torch):
    """En entrenamiento, el dropout entre capas sortea la misma máscara que PyTorch."""
    torch = requiere_torch
    suyo, nuestro = _pareja(torch, "GRU", 3, 6, num_layers=3, dropout=0.5, bidirectional=True)
    rng = np.random.default_rng(4)
    xt, xg = _pares(torch, (5, 2, 3), "float32", rng)
    torch.manual_seed(7)
    tg.manual_seed(7)
    st_, ht = suyo(xt)
    sg, hg = nuestro(xg)
    _cerca(st_, sg, "float32", "salida con dropout")
    _cerca(ht, hg, "float32", "estado con dropout")
    nuestro.eval()
    suyo.eval()
    _cerca(suyo(xt)[0], nuestro(xg)[0], "float32", "en eval no hay dropout")


def test_dropout_con_una_capa_avisa(requiere_torch):
    with pytest.warns(UserWarning, match="num_layers=1"):
        nn.LSTM(2, 3, dropout=0.2)


@pytest.mark.parametrize("clase", ["RNNCell", "LSTMCell", "GRUCell"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_celdas_como_pytorch(requiere_torch, clase, dtype):
    torch = requiere_torch
    suyo, nuestro = _pareja(torch, clase, 3, 4, dtype=dtype)
    _mismos_parametros(suyo, nuestro)
    rng = np.random.default_rng(5)
    xt, xg = _pares(torch, (2, 3), dtype, rng)
    ht, hg = _pares(torch, (2, 4), dtype, rng)
    if clase == "LSTMCell":
        ct, cg = _pares(torch, (2, 4), dtype, rng)
        rt, rg = list(suyo(xt, (ht, ct))), list(nuestro(xg, (hg, cg)))
        entradas = [(xt, xg), (ht, hg), (ct, cg)]
    else:
        rt, rg = [suyo(xt, ht)], [nuestro(xg, hg)]
        entradas = [(xt, xg), (ht, hg)]
    for a, b in zip(rt, rg):
        _cerca(a, b, dtype, "salida de la celda")
    _perdida(rt[0], rt[1:]).backward()
    _perdida(rg[0], rg[1:]).backward()
    for a, b in entradas:
        _cerca(a.grad, b.grad, dtype, "gradiente de la entrada")
    for (nombre, p), (_, q) in zip(suyo.named_parameters(), nuestro.named_parameters()):
        _cerca(p.grad, q.grad, dtype, nombre)
    # sin lote y sin estado
    x1 = rng.standard_normal(3).astype(dtype)
    a, b = suyo(torch.tensor(x1)), nuestro(tg.tensor(x1))
    a, b = (a, b) if clase != "LSTMCell" else (a[1], b[1])
    assert tuple(b.shape) == (4,)
    _cerca(a, b, dtype, "celda sin lote")


def test_rnncell_relu_y_sin_sesgo(requiere_torch):
    torch = requiere_torch
    suyo, nuestro = _pareja(torch, "RNNCell", 3, 4, bias=False, nonlinearity="relu")
    assert nuestro.bias_ih is None and [n for n, _ in nuestro.named_parameters()] == \
        ["weight_ih", "weight_hh"]
    x = np.random.default_rng(6).standard_normal((5, 3)).astype("float32")
    _cerca(suyo(torch.tensor(x)), nuestro(tg.tensor(x)), "float32", "relu")


def test_state_dict_y_repr_como_pytorch(requiere_torch):
    torch = requiere_torch
    for clase, args, kw in [("LSTM", (3, 5), dict(num_layers=2, bidirectional=True, proj_size=2,
                                                   batch_first=True, dropout=0.25)),
                            ("RNN", (3, 5), dict(nonlinearity="relu", bias=False)),
                            ("GRU", (2, 3), {}), ("GRUCell", (2, 3), {}),
                            ("RNNCell", (2, 3), dict(nonlinearity="relu", bias=False))]:
        suyo, nuestro = _pareja(torch, clase, *args, **kw)
        assert repr(nuestro) == repr(suyo)
        assert list(nuestro.state_dict()) == list(suyo.state_dict())
    # cargar los pesos de un modelo de torch sembrado con otra semilla
    suyo = torch.nn.LSTM(3, 4, batch_first=True)
    nuestro = nn.LSTM(3, 4, batch_first=True)
    nuestro.load_state_dict({k: tg.tensor(v.numpy()) for k, v in suyo.state_dict().items()})
    x = np.random.default_rng(8).standard_normal((2, 3, 3)).astype("float32")
    _cerca(suyo(torch.tensor(x))[0], nuestro(tg.tensor(x))[0], "float32", "tras load_state_dict")


# --- errores, con la clase de excepción de PyTorch ----------------------------------------
ERRORES_CONSTRUCCION = [
    ("LSTM", (3, 4), dict(dropout=1.5)),
    ("LSTM", (3, 4), dict(dropout=True)),
    ("GRU", (3, 4), dict(bias=1)),
    ("GRU", (3, 4), dict(batch_first="si")),
    ("RNN", (3.0, 4), {}),
    ("RNN", (0, 4), {}),
    ("RNN", (3, 4), dict(num_layers=0)),
    ("RNN", (3, 4), dict(nonlinearity="sigmoid")),
    ("RNN", (3, 4), dict(proj_size=2)),
    ("GRU", (3, 4), dict(proj_size=2)),
    ("LSTM", (3, 4), dict(proj_size=4)),
    ("LSTM", (3, 4), dict(proj_size=-1)),
]


@pytest.mark.parametrize("clase,args,kw", ERRORES_CONSTRUCCION)
def test_errores_al_construir_como_pytorch(requiere_torch, clase, args, kw):
    torch = requiere_torch
    with pytest.raises(Exception) as suyo:
        getattr(torch.nn, clase)(*args, **kw)
    with pytest.raises(type(suyo.value)) as nuestro:
        getattr(nn, clase)(*args, **kw)
    assert type(nuestro.value) is type(suyo.value)
    assert not any(p in str(nuestro.value) for p in ("must", "should", "Expected"))


def _formas_malas(clase):
    """(descripción, forma de la entrada, estado inicial o None) para una red de 3 -> 4."""
    casos = [
        ("entrada 1-D", (3,), None),
        ("entrada 4-D", (2, 2, 2, 3), None),
        ("input_size", (5, 2, 4), None),
        ("h0 con lote equivocado", (5, 2, 3), (1, 3, 4)),
        ("h0 de tamaño equivocado", (5, 2, 3), (1, 2, 5)),
        ("h0 2-D con entrada 3-D", (5, 2, 3), (2, 4)),
        ("h0 3-D con entrada 2-D", (5, 3), (1, 1, 4)),
    ]
    return [(clase,) + c for c in casos]


def _errores(torch, clase, forma, forma_h):
    """Los errores de torch y de tinygrad_es al llamar a la capa ``clase`` (3 -> 4) con una
    entrada de ``forma`` y un estado inicial de ``forma_h`` (un par de estados en las LSTM)."""
    suyo, nuestro = _pareja(torch, clase, 3, 4)
    errores = []
    for lib, capa in ((torch, suyo), (tg, nuestro)):
        h = None
        if forma_h is not None:
            estado = np.zeros(forma_h, "float32")
            h = lib.tensor(estado) if not clase.startswith("LSTM") else (
                lib.tensor(estado), lib.tensor(estado))
        with pytest.raises(Exception) as error:
            capa(lib.tensor(np.zeros(forma, "float32")), h)
        errores.append(error.value)
    return errores


@pytest.mark.parametrize("clase,que,forma,forma_h",
                         _formas_malas("RNN") + _formas_malas("LSTM") + _formas_malas("GRU"))
def test_errores_de_forma_como_pytorch(requiere_torch, clase, que, forma, forma_h):
    suyo, nuestro = _errores(requiere_torch, clase, forma, forma_h)
    assert type(nuestro) is type(suyo), (que, suyo, nuestro)


def test_error_de_tipo_de_la_entrada(requiere_torch):
    torch = requiere_torch
    with pytest.raises(ValueError):
        torch.nn.GRU(3, 4)(torch.zeros(2, 1, 3, dtype=torch.float64))
    with pytest.raises(ValueError, match="float64"):
        nn.GRU(3, 4)(tg.zeros(2, 1, 3, dtype=tg.float64))


@pytest.mark.parametrize("clase", ["RNNCell", "LSTMCell", "GRUCell"])
@pytest.mark.parametrize("forma,forma_h", [((2, 2, 3), None), ((2, 5), None), ((2, 3), (3, 4)),
                                           ((2, 3), (2, 5)), ((2, 3), (1, 2, 4))])
def test_errores_de_las_celdas_como_pytorch(requiere_torch, clase, forma, forma_h):
    suyo, nuestro = _errores(requiere_torch, clase, forma, forma_h)
    assert type(nuestro) is type(suyo)


# --- gradientes frente a diferencias finitas (hypothesis) ----------------------------------
@settings(max_examples=8, deadline=None)
@given(clase=st.sampled_from(["RNN", "LSTM", "GRU"]), pasos=st.integers(1, 3),
       lote=st.integers(1, 2), bidireccional=st.booleans(), semilla=st.integers(0, 2**16))
def test_gradiente_frente_a_diferencias_finitas(clase, pasos, lote, bidireccional, semilla):
    tg.manual_seed(semilla)
    red = getattr(nn, clase)(2, 3, bidirectional=bidireccional, dtype=tg.float64)
    x = tg.randn(pasos, lote, 2, dtype=tg.float64, requires_grad=True)
    h = tg.randn(2 if bidireccional else 1, lote, 3, dtype=tg.float64, requires_grad=True)
    w = red.weight_hh_l0

    def f(x, h, w):   # w es el propio parámetro: gradcheck lo perturba en su sitio
        estado = (h, h * 0.5) if clase == "LSTM" else h
        salida, final = red(x, estado)
        return salida.sum() + (final[0] if clase == "LSTM" else final).pow(2).sum()

    assert_gradients_match(f, x, h, w)


def test_segundas_derivadas_frente_a_diferencias_finitas():
    tg.manual_seed(3)
    for clase in ("LSTM", "GRU", "RNN"):
        red = getattr(nn, clase)(2, 2, dtype=tg.float64)
        x = tg.randn(2, 1, 2, dtype=tg.float64, requires_grad=True)
        assert_second_derivatives_match(lambda x: red(x)[0].pow(2).sum(), x)


# --- nn.utils.rnn -------------------------------------------------------------------------
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("lado", ["right", "left"])
def test_pad_sequence_como_pytorch(requiere_torch, batch_first, lado):
    torch = requiere_torch
    rng = np.random.default_rng(9)
    datos = [rng.standard_normal((n, 2)) for n in (3, 1, 4)]
    st_ = [torch.tensor(d, requires_grad=True) for d in datos]
    sg = [tg.tensor(d, requires_grad=True) for d in datos]
    a = torch.nn.utils.rnn.pad_sequence(st_, batch_first, -1.5, lado)
    b = rnn_utils.pad_sequence(sg, batch_first=batch_first, padding_value=-1.5,
                               padding_side=lado)
    assert tuple(b.shape) == tuple(a.shape)
    np.testing.assert_array_equal(_np(b), _np(a))
    (a * torch.arange(a.numel()).reshape(a.shape)).sum().backward()
    (b * tg.arange(b.numel()).reshape(b.shape)).sum().backward()
    for p, q in zip(st_, sg):
        np.testing.assert_array_equal(_np(q.grad), _np(p.grad))
    for d, v in zip(datos, rnn_utils.unpad_sequence(b, tg.tensor([3, 1, 4]), batch_first)
                    if lado == "right" else []):
        np.testing.assert_array_equal(_np(v), d)


def test_pad_sequence_errores(requiere_torch):
    torch = requiere_torch
    casos = [([], []), ([np.ones((2, 3)), np.ones((2, 4))], {})]
    for datos, _ in casos:
        with pytest.raises(RuntimeError):
            torch.nn.utils.rnn.pad_sequence([torch.tensor(d) for d in datos])
        with pytest.raises(RuntimeError):
            rnn_utils.pad_sequence([tg.tensor(d) for d in datos])
    with pytest.raises(RuntimeError, match="padding_side"):
        rnn_utils.pad_sequence([tg.ones(2)], padding_side="centro")


@pytest.mark.parametrize("clase", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_secuencias_empaquetadas_como_pytorch(requiere_torch, clase, batch_first):
    torch = requiere_torch
    U = torch.nn.utils.rnn
    suyo, nuestro = _pareja(torch, clase, 3, 4, num_layers=2, bidirectional=True,
                            batch_first=batch_first, dtype="float64")
    rng = np.random.default_rng(10)
    longitudes = [2, 5, 3, 5]   # desordenadas y con empates
    forma = (4, 5, 3) if batch_first else (5, 4, 3)
    xt, xg = _pares(torch, forma, "float64", rng)
    pt = U.pack_padded_sequence(xt, longitudes, batch_first, enforce_sorted=False)
    pg = rnn_utils.pack_padded_sequence(xg, tg.tensor(longitudes), batch_first,
                                        enforce_sorted=False)
    assert pg.batch_sizes.tolist() == pt.batch_sizes.tolist()
    assert pg.sorted_indices.tolist() == pt.sorted_indices.tolist()
    assert pg.unsorted_indices.tolist() == pt.unsorted_indices.tolist()
    _cerca(pt.data, pg.data, "float64", "datos empaquetados")
    h = rng.standard_normal((4, 4, 4))
    hx_t = torch.tensor(h, requires_grad=True)
    hx_g = tg.tensor(h, requires_grad=True)
    if clase == "LSTM":
        st_, (ht, ct) = suyo(pt, (hx_t, hx_t * 2))
        sg, (hg, cg) = nuestro(pg, (hx_g, hx_g * 2))
        estados_t, estados_g = [ht, ct], [hg, cg]
    else:
        st_, ht = suyo(pt, hx_t)
        sg, hg = nuestro(pg, hx_g)
        estados_t, estados_g = [ht], [hg]
    assert isinstance(sg, rnn_utils.PackedSequence)
    at, lt = U.pad_packed_sequence(st_, batch_first, padding_value=0.5, total_length=6)
    ag, lg = rnn_utils.pad_packed_sequence(sg, batch_first, padding_value=0.5, total_length=6)
    assert lg.tolist() == lt.tolist() == longitudes and lg.dtype == tg.int64
    assert tuple(ag.shape) == tuple(at.shape)
    _cerca(at, ag, "float64", "salida rellenada")
    for a, b in zip(estados_t, estados_g):
        _cerca(a, b, "float64", "estados finales")
    _perdida(at, estados_t).backward()
    _perdida(ag, estados_g).backward()
    _cerca(xt.grad, xg.grad, "float64", "gradiente de x")
    _cerca(hx_t.grad, hx_g.grad, "float64", "gradiente de h0")
    for (nombre, p), (_, q) in zip(suyo.named_parameters(), nuestro.named_parameters()):
        _cerca(p.grad, q.grad, "float64", nombre)


def test_pack_sequence_y_unpack_sequence(requiere_torch):
    torch = requiere_torch
    U = torch.nn.utils.rnn
    datos = [np.arange(n) for n in (2, 4, 1)]
    pt = U.pack_sequence([torch.tensor(d) for d in datos], enforce_sorted=False)
    pg = rnn_utils.pack_sequence([tg.tensor(d) for d in datos], enforce_sorted=False)
    assert pg.data.tolist() == pt.data.tolist()
    assert [v.tolist() for v in rnn_utils.unpack_sequence(pg)] == [d.tolist() for d in datos]
    with pytest.raises(RuntimeError, match="de mayor a menor"):
        rnn_utils.pack_sequence([tg.tensor(d) for d in datos])
    with pytest.raises(RuntimeError, match="mayores que 0"):
        rnn_utils.pack_padded_sequence(tg.zeros(3, 2), [3, 0])
    with pytest.raises(ValueError, match="total_length"):
        rnn_utils.pad_packed_sequence(pg, total_length=2)
