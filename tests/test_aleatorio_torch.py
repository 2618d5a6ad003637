"""Números aleatorios contra PyTorch 2.13 (el oráculo): misma semilla, mismos bits.

Cada test siembra los dos con la misma semilla, hace lo mismo en los dos y compara con
``np.testing.assert_array_equal`` (igualdad exacta, bit a bit en los floats). Hypothesis elige
semillas (incluidas las de más de 32 bits y las negativas), formas (con tamaños alrededor de
16, donde PyTorch cambia de camino en la normal), dtypes y parámetros.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_es as tg
from tinygrad_es.utils import data as tgdata

# el fixture solo devuelve el módulo torch (sin estado): se puede compartir entre ejemplos
oraculo = settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])
SEMILLAS = st.one_of(st.integers(0, 2 ** 32 - 1), st.integers(-(2 ** 63), 2 ** 64 - 1))
DTYPES = st.sampled_from(["float32", "float64"])
TAMANOS = st.one_of(st.integers(0, 40), st.sampled_from([47, 64, 100, 257, 1000]))
FORMAS = st.one_of(TAMANOS.map(lambda n: (n,)),
                   st.tuples(st.integers(1, 9), st.integers(1, 9)),
                   st.tuples(st.integers(1, 4), st.integers(1, 5), st.integers(1, 6)))
NUMEROS = st.floats(-5, 5, allow_nan=False, width=32)
POSITIVOS = st.floats(0.0009765625, 5, allow_nan=False, width=32)


@pytest.fixture
def torch(requiere_torch):
    return requiere_torch


def igual(nuestro, suyo):
    a = nuestro.detach().numpy() if hasattr(nuestro, "detach") else np.asarray(nuestro)
    b = suyo.detach().numpy() if hasattr(suyo, "detach") else np.asarray(suyo)
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    np.testing.assert_array_equal(a, b)


def sembrar(torch, semilla):
    tg.manual_seed(semilla)
    torch.manual_seed(semilla)


def dt(torch, nombre):
    return getattr(tg, nombre), getattr(torch, nombre)


# --- semillas y estado ------------------------------------------------------------------
@oraculo
@given(semilla=SEMILLAS)
def test_semilla_y_estado_como_pytorch(torch, semilla):
    sembrar(torch, semilla)
    assert tg.initial_seed() == torch.initial_seed()
    igual(tg.get_rng_state(), torch.get_rng_state())
    igual(tg.rand(5), torch.rand(5))
    igual(tg.randn(3), torch.randn(3))          # deja una normal guardada en el estado
    igual(tg.get_rng_state(), torch.get_rng_state())


@oraculo
@given(semilla=SEMILLAS, n=TAMANOS)
def test_set_rng_state_entre_librerias(torch, semilla, n):
    torch.manual_seed(semilla)
    torch.randn(3)
    torch.rand(n)
    tg.set_rng_state(tg.tensor(torch.get_rng_state().numpy()))
    igual(tg.randn(n + 1), torch.randn(n + 1))
    guardado = tg.get_rng_state()
    a = tg.rand(7)
    tg.set_rng_state(guardado)
    igual(tg.rand(7), a)


def test_generator_por_defecto_y_seed(torch):
    assert tg.Generator().initial_seed() == torch.Generator().initial_seed()
    igual(tg.rand(4, generator=tg.Generator()), torch.rand(4, generator=torch.Generator()))
    s = tg.seed()
    assert isinstance(s, int) and 0 <= s < 2 ** 64 and tg.initial_seed() == s
    assert tg.manual_seed(3) is tg.default_generator
    assert tg.Generator().manual_seed(3).initial_seed() == 3
    with pytest.raises(ValueError):
        tg.manual_seed(2 ** 64)
    with pytest.raises(TypeError):
        tg.Generator().manual_seed(1.5)
    with pytest.raises(RuntimeError, match="5056"):
        tg.set_rng_state(tg.zeros(10, dtype=tg.uint8))


@oraculo
@given(semilla=SEMILLAS, n=TAMANOS, tipo=DTYPES)
def test_generator_propio_no_toca_el_global(torch, semilla, n, tipo):
    sembrar(torch, 1)
    ours, theirs = tg.Generator().manual_seed(semilla), torch.Generator().manual_seed(semilla)
    a, b = dt(torch, tipo)
    igual(tg.randn(n, generator=ours, dtype=a), torch.randn(n, generator=theirs, dtype=b))
    igual(ours.get_state(), theirs.get_state())
    igual(tg.rand(3), torch.rand(3))


# --- creación -----------------------------------------------------------------------------
@oraculo
@given(semilla=SEMILLAS, forma=FORMAS, tipo=DTYPES)
def test_rand_randn(torch, semilla, forma, tipo):
    sembrar(torch, semilla)
    a, b = dt(torch, tipo)
    igual(tg.rand(*forma, dtype=a), torch.rand(*forma, dtype=b))
    igual(tg.randn(forma, dtype=a), torch.randn(forma, dtype=b))
    igual(tg.randn(1, dtype=a), torch.randn(1, dtype=b))


@oraculo
@given(semilla=SEMILLAS, tamanos=st.lists(st.integers(0, 20), min_size=1, max_size=6),
       tipo=DTYPES)
def test_randn_seguidos_usan_la_normal_guardada(torch, semilla, tamanos, tipo):
    sembrar(torch, semilla)
    a, b = dt(torch, tipo)
    for n in tamanos:
        igual(tg.randn(n, dtype=a), torch.randn(n, dtype=b))


@oraculo
@given(semilla=SEMILLAS, n=TAMANOS, media=NUMEROS, desv=POSITIVOS, tipo=DTYPES)
def test_normal_todas_las_sobrecargas(torch, semilla, n, media, desv, tipo):
    sembrar(torch, semilla)
    a, b = dt(torch, tipo)
    igual(tg.normal(media, desv, size=(n,), dtype=a), torch.normal(media, desv, size=(n,), dtype=b))
    medias = np.linspace(-media, media, n).astype(tipo)
    desvs = np.linspace(desv / 4, desv, n).astype(tipo)
    igual(tg.normal(tg.tensor(medias), tg.tensor(desvs)),
          torch.normal(torch.tensor(medias), torch.tensor(desvs)))
    igual(tg.normal(tg.tensor(medias), desv), torch.normal(torch.tensor(medias), desv))
    igual(tg.normal(media, tg.tensor(desvs)), torch.normal(media, torch.tensor(desvs)))


@oraculo
@given(semilla=SEMILLAS, forma=FORMAS,
       limites=st.tuples(st.integers(-2 ** 40, 2 ** 40), st.integers(1, 2 ** 41)),
       tipo=st.sampled_from(["int64", "float64"]))
def test_randint(torch, semilla, forma, limites, tipo):
    sembrar(torch, semilla)
    bajo, ancho = limites
    a, b = dt(torch, tipo)
    igual(tg.randint(bajo, bajo + ancho, forma, dtype=a),
          torch.randint(bajo, bajo + ancho, forma, dtype=b))
    igual(tg.randint(ancho % 1000 + 1, forma), torch.randint(ancho % 1000 + 1, forma))
    igual(tg.randint(0, 7, forma, dtype=tg.int32), torch.randint(0, 7, forma, dtype=torch.int32))


@oraculo
@given(semilla=SEMILLAS, n=st.one_of(st.integers(0, 40), st.integers(41, 5000)))
def test_randperm(torch, semilla, n):
    sembrar(torch, semilla)
    igual(tg.randperm(n), torch.randperm(n))
    igual(tg.randperm(n, dtype=tg.int32), torch.randperm(n, dtype=torch.int32))
    ours, theirs = tg.Generator().manual_seed(semilla), torch.Generator().manual_seed(semilla)
    igual(tg.randperm(n, generator=ours), torch.randperm(n, generator=theirs))


@oraculo
@given(semilla=SEMILLAS, forma=FORMAS, tipo=DTYPES)
def test_like(torch, semilla, forma, tipo):
    sembrar(torch, semilla)
    a, b = dt(torch, tipo)
    x, y = tg.zeros(forma, dtype=a), torch.zeros(forma, dtype=b)
    igual(tg.rand_like(x), torch.rand_like(y))
    igual(tg.randn_like(x), torch.randn_like(y))
    igual(tg.randint_like(x, 10), torch.randint_like(y, 10))
    igual(tg.randint_like(x, -3, 3), torch.randint_like(y, -3, 3))


# --- métodos in situ ------------------------------------------------------------------
@oraculo
@given(semilla=SEMILLAS, forma=FORMAS, tipo=DTYPES, bajo=NUMEROS, ancho=POSITIVOS,
       media=NUMEROS, desv=POSITIVOS)
def test_uniform_normal_exponential(torch, semilla, forma, tipo, bajo, ancho, media, desv):
    sembrar(torch, semilla)
    a, b = dt(torch, tipo)
    x, y = tg.empty(forma, dtype=a), torch.empty(forma, dtype=b)
    igual(x.uniform_(bajo, bajo + ancho), y.uniform_(bajo, bajo + ancho))
    igual(x.normal_(media, desv), y.normal_(media, desv))
    igual(x.exponential_(desv), y.exponential_(desv))
    igual(x.uniform_(), y.uniform_())


@oraculo
@given(semilla=SEMILLAS, filas=st.integers(2, 9), columnas=st.integers(2, 9), tipo=DTYPES)
def test_in_situ_sobre_vistas_no_contiguas(torch, semilla, filas, columnas, tipo):
    sembrar(torch, semilla)
    a, b = dt(torch, tipo)
    x, y = tg.zeros(filas, columnas, dtype=a), torch.zeros(filas, columnas, dtype=b)
    x.t().normal_(1.0, 2.0)
    y.t().normal_(1.0, 2.0)
    igual(x, y)
    x[:, ::2].uniform_(-1, 1)
    y[:, ::2].uniform_(-1, 1)
    igual(x, y)
    x.t().bernoulli_(0.3)
    y.t().bernoulli_(0.3)
    igual(x, y)


@oraculo
@given(semilla=SEMILLAS, forma=FORMAS,
       tipo=st.sampled_from(["float32", "float64", "int64", "int32", "int16", "uint8", "bool"]),
       desde=st.integers(-50, 50), ancho=st.integers(1, 60))
def test_random_(torch, semilla, forma, tipo, desde, ancho):
    sembrar(torch, semilla)
    a, b = dt(torch, tipo)
    x, y = tg.empty(forma, dtype=a), torch.empty(forma, dtype=b)
    igual(x.random_(), y.random_())
    if tipo != "bool":
        desde = abs(desde) if tipo == "uint8" else desde
        igual(x.random_(ancho), y.random_(ancho))
        igual(x.random_(desde, desde + ancho), y.random_(desde, desde + ancho))


@oraculo
@given(semilla=SEMILLAS, forma=FORMAS, p=st.floats(0, 1), tipo=DTYPES)
def test_bernoulli(torch, semilla, forma, p, tipo):
    sembrar(torch, semilla)
    a, b = dt(torch, tipo)
    x, y = tg.empty(forma, dtype=a), torch.empty(forma, dtype=b)
    igual(x.bernoulli_(p), y.bernoulli_(p))
    probs = np.random.default_rng(abs(semilla) % 1000).random(forma).astype(tipo)
    igual(tg.bernoulli(tg.tensor(probs)), torch.bernoulli(torch.tensor(probs)))
    igual(tg.tensor(probs).bernoulli(p), torch.tensor(probs).bernoulli(p))
    igual(x.bernoulli_(tg.tensor(probs)), y.bernoulli_(torch.tensor(probs)))


@oraculo
@given(semilla=SEMILLAS, filas=st.integers(1, 4), categorias=st.integers(1, 30),
       muestras=st.integers(1, 40), con_reemplazo=st.booleans(), tipo=DTYPES,
       dos_d=st.booleans())
def test_multinomial(torch, semilla, filas, categorias, muestras, con_reemplazo, tipo, dos_d):
    pesos = np.random.default_rng(abs(semilla) % 997).random((filas, categorias)).astype(tipo)
    pesos += 0.01
    if not dos_d:
        pesos = pesos[0]
    if not con_reemplazo:
        muestras = min(muestras, categorias)
    sembrar(torch, semilla)
    igual(tg.multinomial(tg.tensor(pesos), muestras, con_reemplazo),
          torch.multinomial(torch.tensor(pesos), muestras, con_reemplazo))
    igual(tg.tensor(pesos).multinomial(1), torch.tensor(pesos).multinomial(1))


# --- nn ---------------------------------------------------------------------------------
@oraculo
@given(semilla=SEMILLAS, entrada=st.integers(1, 40), salida=st.integers(1, 40))
def test_linear_igual_que_pytorch(torch, semilla, entrada, salida):
    sembrar(torch, semilla)
    ours, theirs = tg.nn.Linear(entrada, salida), torch.nn.Linear(entrada, salida)
    igual(ours.weight, theirs.weight)
    igual(ours.bias, theirs.bias)
    ours = tg.nn.Sequential(tg.nn.Linear(entrada, 8), tg.nn.ReLU(), tg.nn.Linear(8, salida,
                                                                                  bias=False))
    theirs = torch.nn.Sequential(torch.nn.Linear(entrada, 8), torch.nn.ReLU(),
                                 torch.nn.Linear(8, salida, bias=False))
    for p, q in zip(ours.parameters(), theirs.parameters()):
        igual(p, q)


@oraculo
@given(semilla=SEMILLAS, forma=st.tuples(st.integers(1, 30), st.integers(1, 30)),
       tipo=DTYPES, ganancia=POSITIVOS)
def test_nn_init(torch, semilla, forma, tipo, ganancia):
    sembrar(torch, semilla)
    a, b = dt(torch, tipo)
    x, y = tg.empty(forma, dtype=a), torch.empty(forma, dtype=b)
    igual(tg.nn.init.uniform_(x, -ganancia, ganancia),
          torch.nn.init.uniform_(y, -ganancia, ganancia))
    igual(tg.nn.init.normal_(x, 0.5, ganancia), torch.nn.init.normal_(y, 0.5, ganancia))
    igual(tg.nn.init.xavier_uniform_(x, ganancia), torch.nn.init.xavier_uniform_(y, ganancia))
    igual(tg.nn.init.xavier_normal_(x, ganancia), torch.nn.init.xavier_normal_(y, ganancia))
    igual(tg.nn.init.kaiming_uniform_(x), torch.nn.init.kaiming_uniform_(y))
    igual(tg.nn.init.kaiming_normal_(x, mode="fan_out", nonlinearity="relu"),
          torch.nn.init.kaiming_normal_(y, mode="fan_out", nonlinearity="relu"))
    igual(tg.nn.init.trunc_normal_(x, 0.0, ganancia), torch.nn.init.trunc_normal_(y, 0.0, ganancia))


@oraculo
@given(semilla=SEMILLAS, n=st.integers(1, 200), tipo=DTYPES)
def test_trunc_normal_intervalo_estrecho(torch, semilla, n, tipo):
    sembrar(torch, semilla)
    a, b = dt(torch, tipo)
    igual(tg.nn.init.trunc_normal_(tg.empty(n, dtype=a), 0.0, 1.0, 1.0, 1.5),
          torch.nn.init.trunc_normal_(torch.empty(n, dtype=b), 0.0, 1.0, 1.0, 1.5))


@oraculo
@given(semilla=SEMILLAS, forma=FORMAS, p=st.floats(0, 1), tipo=DTYPES)
def test_dropout(torch, semilla, forma, p, tipo):
    sembrar(torch, semilla)
    a, b = dt(torch, tipo)
    datos = np.random.default_rng(3).standard_normal(forma).astype(tipo)
    x, y = tg.tensor(datos), torch.tensor(datos)
    igual(tg.nn.functional.dropout(x, p), torch.nn.functional.dropout(y, p))
    capa_a, capa_b = tg.nn.Dropout(p), torch.nn.Dropout(p)
    igual(capa_a(x), capa_b(y))
    igual(capa_a.eval()(x), capa_b.eval()(y))


def test_dropout_en_un_mlp_igual_que_pytorch(torch):
    sembrar(torch, 0)
    capas = lambda m: m.Sequential(m.Linear(6, 16), m.ReLU(), m.Dropout(0.25),  # noqa: E731
                                   m.Linear(16, 3))
    ours, theirs = capas(tg.nn), capas(torch.nn)
    datos = np.random.default_rng(0).standard_normal((5, 6)).astype(np.float32)
    for _ in range(3):
        np.testing.assert_allclose(ours(tg.tensor(datos)).detach().numpy(),
                                   theirs(torch.tensor(datos)).detach().numpy(), rtol=1e-5,
                                   atol=1e-6)   # las matmul redondean distinto; el ruido no
    igual(tg.get_rng_state(), torch.get_rng_state())


# --- datos ------------------------------------------------------------------------------
def _orden(cargador):
    return np.concatenate([lote[0].numpy() for lote in cargador])


@oraculo
@given(semilla=SEMILLAS, n=st.integers(1, 120), lote=st.integers(1, 17),
       propio=st.booleans(), descarta=st.booleans())
def test_dataloader_barajado(torch, semilla, n, lote, propio, descarta):
    datos = np.arange(n, dtype=np.float32)
    sembrar(torch, semilla)
    extra_a = {"generator": tg.Generator().manual_seed(semilla // 2)} if propio else {}
    extra_b = {"generator": torch.Generator().manual_seed(semilla // 2)} if propio else {}
    ours = tgdata.DataLoader(tgdata.TensorDataset(tg.tensor(datos)), batch_size=lote,
                             shuffle=True, drop_last=descarta, **extra_a)
    theirs = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.tensor(datos)),
                                         batch_size=lote, shuffle=True, drop_last=descarta,
                                         **extra_b)
    for _ in range(2):                          # dos épocas: cada una baraja de nuevo
        if n // lote or not descarta:
            igual(_orden(ours), _orden(theirs))
    igual(tg.get_rng_state(), torch.get_rng_state())


@oraculo
@given(semilla=SEMILLAS, n=st.integers(1, 60), muestras=st.integers(1, 150))
def test_muestreadores(torch, semilla, n, muestras):
    td = torch.utils.data
    sembrar(torch, semilla)
    assert list(tgdata.RandomSampler(range(n))) == list(td.RandomSampler(range(n)))
    assert list(tgdata.RandomSampler(range(n), num_samples=muestras)) == \
        list(td.RandomSampler(range(n), num_samples=muestras))
    assert list(tgdata.RandomSampler(range(n), replacement=True, num_samples=muestras)) == \
        list(td.RandomSampler(range(n), replacement=True, num_samples=muestras))
    indices = list(range(0, 3 * n, 3))
    assert list(tgdata.SubsetRandomSampler(indices)) == list(td.SubsetRandomSampler(indices))
    pesos = (np.random.default_rng(n).random(n) + 0.05).tolist()
    assert list(tgdata.WeightedRandomSampler(pesos, muestras)) == \
        list(td.WeightedRandomSampler(pesos, muestras))
    k = min(muestras, n)
    assert list(tgdata.WeightedRandomSampler(pesos, k, replacement=False)) == \
        list(td.WeightedRandomSampler(pesos, k, replacement=False))
    igual(tg.get_rng_state(), torch.get_rng_state())


@pytest.mark.filterwarnings("ignore::UserWarning")   # particiones vacías: avisan los dos
@oraculo
@given(semilla=SEMILLAS, n=st.integers(1, 200), partes=st.integers(1, 4), fracciones=st.booleans())
def test_random_split(torch, semilla, n, partes, fracciones):
    if fracciones:
        tamanos = [1.0 / partes] * partes
    else:
        cortes = np.linspace(0, n, partes + 1).astype(int)
        tamanos = np.diff(cortes).tolist()
    sembrar(torch, semilla)
    ours = tgdata.random_split(range(n), tamanos)
    theirs = torch.utils.data.random_split(range(n), tamanos)
    assert [list(s) for s in ours] == [list(s) for s in theirs]
    g_a, g_b = tg.Generator().manual_seed(semilla), torch.Generator().manual_seed(semilla)
    ours = tgdata.random_split(range(n), tamanos, generator=g_a)
    theirs = torch.utils.data.random_split(range(n), tamanos, generator=g_b)
    assert [s.indices for s in ours] == [s.indices for s in theirs]


# --- reglas de PyTorch de los in situ ---------------------------------------------------
def test_in_situ_en_hoja_con_gradiente_y_versiones(torch):
    w = tg.ones(3, requires_grad=True)
    for metodo in ("uniform_", "normal_", "bernoulli_", "exponential_", "random_"):
        with pytest.raises(RuntimeError, match="hoja"):
            getattr(w, metodo)()
    estado = tg.get_rng_state()
    with pytest.raises(RuntimeError):
        w.normal_()
    igual(tg.get_rng_state(), estado)           # el error llega antes de sortear
    version = w._version_counter().value
    with tg.no_grad():
        w.normal_()
    assert w._version_counter().value == version + 1
    x = w * 2
    x.normal_()                                 # intermedio: queda en el grafo
    x.sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), np.zeros(3, np.float32))


def test_errores_como_pytorch(torch):
    with pytest.raises(RuntimeError, match="std"):
        tg.empty(3).normal_(0, -1)
    with pytest.raises(RuntimeError, match="from"):
        tg.empty(3).uniform_(1, 0)
    with pytest.raises(NotImplementedError):
        tg.empty(3, dtype=tg.int64).uniform_()
    for lib in (tg, torch):   # la misma clase que PyTorch: no hay uniformes enteros
        with pytest.raises(NotImplementedError):
            lib.rand(3, dtype=lib.int64)
        with pytest.raises(NotImplementedError):
            lib.zeros(3, dtype=lib.int64).normal_()
    with pytest.raises(RuntimeError, match="low < high"):
        tg.randint(5, 5, (3,))
    with pytest.raises(RuntimeError, match=r"\[0, 1\]"):
        tg.empty(3).bernoulli_(1.5)
    with pytest.raises(RuntimeError, match="lambd"):
        tg.empty(3).exponential_(0)
    with pytest.raises(RuntimeError, match="sin reemplazo"):
        tg.multinomial(tg.tensor([0.5, 0.5]), 3)
    with pytest.raises(RuntimeError, match="suman 0"):
        tg.multinomial(tg.tensor([0.0, 0.0]), 1)
    with pytest.raises(TypeError, match="tamaño"):
        tg.normal(0.0, 1.0)


def test_uniform_nunca_devuelve_el_extremo_superior(requiere_torch):
    """Con un intervalo estrecho frente a ``from`` el redondeo puede dar ``to``: PyTorch
    devuelve entonces ``from`` (el intervalo es [from, to)). Semillas en las que ocurre."""
    torch = requiere_torch
    for semilla, (lo, hi) in [(-595, (1.0, 1.001953125)), (-628, (1.0, 1.001953125))]:
        for dtype in ("float32", "float64"):
            torch.manual_seed(semilla)
            suyo = torch.empty(47, dtype=getattr(torch, dtype)).uniform_(lo, hi).numpy()
            tg.manual_seed(semilla)
            nuestro = tg.empty(47, dtype=getattr(tg, dtype)).uniform_(lo, hi).numpy()
            np.testing.assert_array_equal(nuestro, suyo)
            assert (nuestro < np.array(hi, dtype)).all()
