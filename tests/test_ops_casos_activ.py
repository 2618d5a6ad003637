"""Casos de gradiente de las activaciones y de las funciones de error (los ejecuta
test_ops_gradients.py: gradcheck y gradgradcheck en float64 con un gradiente de salida aleatorio).

Las diferencias centrales no pueden evaluar una derivada justo en un punto de quiebre (promedian
los dos tramos), así que los casos de ``CASOS`` toman valores a más de ``MARGEN`` de cada quiebre
y ``test_subgradiente_en_los_quiebres`` comprueba aparte, con hypothesis, que en el quiebre exacto
(x = 0, ±1, ±3, min_val, max_val, ±λ, el umbral...) el gradiente es el que da PyTorch 2.13 (los
valores de ``QUIEBRES`` se midieron con torch; test_activaciones_torch.py los vuelve a comparar).
Las composiciones (softsign, tanhshrink, normalize, cosine_similarity, pairwise_distance) no
tienen Op propia: sus gradientes se comprueban en ``test_composiciones``.
"""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_es as tg
import tinygrad_es.nn.functional as F
from tinygrad_es.autograd import gradgradcheck
from tinygrad_es.ops import activations as act
from tinygrad_es.ops import special
from tinygrad_es.testing import assert_gradients_match, shapes, tensors

CASOS = {}
MARGEN = 0.01


def caso(f):
    CASOS[f.__name__] = st.composite(f)()
    return f


def lejos_de(*quiebres, lo=-4.0, hi=4.0):
    """Valores en [lo, hi] a más de MARGEN de cada quiebre (se desplazan, no se filtran)."""
    def apartar(v):
        for k in quiebres:
            if abs(v - k) < MARGEN:
                return k + (MARGEN * 2 if v >= k else -MARGEN * 2)
        return v
    return st.floats(lo, hi).map(apartar)


def uno(draw, elementos):
    return (draw(tensors(elements=elementos)),)


# --- a trozos --------------------------------------------------------------------------------
@caso
def hardtanh_relu6(draw):
    fn = (lambda x: (F.hardtanh(x, -1.5, 2.0), F.hardtanh(x), F.relu6(x * 3)))
    return fn, uno(draw, lejos_de(-1.5, -1.0, 0.0, 1.0, 2.0))


@caso
def hardtanh_in_situ(draw):
    """``inplace=True`` y ``F.hardtanh_`` sobre un intermedio: el nodo in situ también deriva."""
    fn = (lambda x: (F.hardtanh(x * 1, -0.5, 0.5, inplace=True), F.hardtanh_(x + 0)))
    return fn, uno(draw, lejos_de(-1.0, -0.5, 0.5, 1.0, lo=-2, hi=2))


@caso
def hardsigmoid_hardswish(draw):
    fn = (lambda x: (F.hardsigmoid(x), F.hardswish(x), F.hardswish(x * 1, inplace=True)))
    return fn, uno(draw, lejos_de(-3.0, 3.0, lo=-5, hi=5))


@caso
def shrinks(draw):
    lambd = draw(st.sampled_from([0.5, 1.25]))
    fn = (lambda x: (F.softshrink(x, lambd), F.hardshrink(x, lambd), F.softshrink(x)))
    return fn, uno(draw, lejos_de(-lambd, lambd, -0.5, 0.5, lo=-3, hi=3))


@caso
def threshold_(draw):
    umbral = draw(st.sampled_from([0.0, 1.0, -0.75]))
    fn = (lambda x: (F.threshold(x, umbral, -2.0), F.threshold_(x * 1, umbral, 5.0)))
    return fn, uno(draw, lejos_de(umbral, lo=-3, hi=3))


@caso
def prelu(draw):
    forma = draw(st.sampled_from([(3, 2), (2, 3, 2), (4,), (), (2, 1, 3)]))
    canales = forma[1] if len(forma) >= 2 else 1
    n = draw(st.sampled_from(sorted({1, canales})))
    x = draw(tensors(shape=forma, elements=lejos_de(0.0, lo=-3, hi=3)))
    w = draw(tensors(shape=(n,), elements=st.floats(-1, 1)))
    return (lambda x, w: F.prelu(x, w)), (x, w)


# --- suaves ----------------------------------------------------------------------------------
@caso
def elu_selu_celu(draw):
    alpha = draw(st.sampled_from([1.0, 0.5, 2.0]))
    fn = (lambda x: (F.elu(x, alpha), F.selu(x), F.celu(x, alpha), F.elu_(x * 1, alpha),
                     F.celu(x * 1, alpha, inplace=True), F.selu_(x * 1)))
    return fn, uno(draw, lejos_de(0.0, lo=-5, hi=3))


@caso
def gelu(draw):
    aprox = draw(st.sampled_from(["none", "tanh"]))
    return (lambda x: F.gelu(x, approximate=aprox)), uno(draw, st.floats(-6, 6))


@caso
def softplus(draw):
    beta, umbral = draw(st.sampled_from([(1.0, 20.0), (2.0, 3.0), (0.5, 1.0), (-1.0, 2.0)]))
    quiebre = umbral / beta
    return (lambda x: F.softplus(x, beta, umbral)), uno(draw, lejos_de(quiebre, lo=-6, hi=6))


@caso
def logsigmoid_mish(draw):
    fn = (lambda x: (F.logsigmoid(x), F.mish(x), F.mish(x * 1, inplace=True)))
    return fn, uno(draw, st.floats(-8, 8))


@caso
def silu(draw):
    fn = (lambda x: (F.silu(x), F.silu(x * 1, inplace=True)))
    return fn, uno(draw, st.floats(-8, 8))


@caso
def glu(draw):
    forma, dim = draw(st.sampled_from([((4,), -1), ((2, 6), 1), ((4, 3), 0), ((2, 2, 4), -1),
                                       ((3, 2, 1), 1)]))
    return (lambda x: F.glu(x, dim)), (draw(tensors(shape=forma, elements=st.floats(-4, 4))),)


@caso
def erf_erfc(draw):
    fn = (lambda x: (x.erf(), tg.erfc(x), tg.erf(x * 1).erf_()))
    return fn, uno(draw, st.floats(-4, 4))


@caso
def erfinv(draw):
    # pocos elementos: cada erfinv refina con varios erf (y gradcheck hace 2 por elemento)
    x = draw(tensors(shape=shapes(max_dims=1, max_side=3), elements=st.floats(-0.95, 0.95)))
    return (lambda x: (x.erfinv(), tg.erfinv(x))), (x,)


TABLA = {
    act.Hardtanh: ["hardtanh_relu6", "hardtanh_in_situ"],
    act.Hardsigmoid: ["hardsigmoid_hardswish"],
    act.Hardswish: ["hardsigmoid_hardswish"],
    act.Softshrink: ["shrinks"],
    act.Hardshrink: ["shrinks"],
    act.Threshold: ["threshold_"],
    act.Prelu: ["prelu"],
    act.Elu: ["elu_selu_celu"],
    act.Gelu: ["gelu"],
    act.Softplus: ["softplus"],
    act.LogSigmoid: ["logsigmoid_mish"],
    act.Mish: ["logsigmoid_mish"],
    act.Silu: ["silu"],
    act.Glu: ["glu"],
    special.Erf: ["erf_erfc"],
    special.Erfc: ["erf_erfc"],
    special.Erfinv: ["erfinv"],
}


# --- el gradiente exacto en cada quiebre (PyTorch 2.13, gradiente de salida 1) ------------------
QUIEBRES = [
    ("hardtanh", lambda x: F.hardtanh(x, -1.0, 2.0), [-1.0, 2.0], [0.0, 0.0]),
    ("relu6", F.relu6, [0.0, 6.0], [0.0, 0.0]),
    ("hardsigmoid", F.hardsigmoid, [-3.0, 3.0], [0.0, 0.0]),
    ("hardswish", F.hardswish, [-3.0, 3.0], [0.0, 1.0]),
    ("softshrink", lambda x: F.softshrink(x, 0.5), [-0.5, 0.5], [0.0, 0.0]),
    ("hardshrink", lambda x: F.hardshrink(x, 0.5), [-0.5, 0.5], [0.0, 0.0]),
    ("threshold", lambda x: F.threshold(x, 1.0, 7.0), [1.0], [0.0]),
    ("elu_alpha_2", lambda x: F.elu(x, 2.0), [0.0], [2.0]),
    ("celu_alpha_2", lambda x: F.celu(x, 2.0), [0.0], [1.0]),
    ("selu", F.selu, [0.0], [1.0507009873554805 * 1.6732632423543772]),
    ("prelu", lambda x: F.prelu(x, tg.tensor([0.25], dtype=x.dtype)), [0.0], [0.25]),
    ("softplus_umbral", lambda x: F.softplus(x, 2.0, 4.0), [2.0], [0.9820137900379085]),
    ("leaky_relu_", lambda x: F.leaky_relu_(x * 1, 0.1), [0.0], [0.1]),
    ("relu_", lambda x: F.relu_(x * 1), [0.0], [0.0]),
]


@pytest.mark.parametrize("nombre, fn, puntos, esperado", QUIEBRES, ids=[f[0] for f in QUIEBRES])
@settings(max_examples=10)
@given(data=st.data())
def test_subgradiente_en_los_quiebres(nombre, fn, puntos, esperado, data):
    """El quiebre, en una posición al azar de un tensor con otros valores lejos de él."""
    dtype = data.draw(st.sampled_from(["float32", "float64"]))
    forma = data.draw(shapes(min_dims=1, max_dims=3))
    relleno = data.draw(tensors(shape=forma, dtype=dtype, requires_grad=False,
                                elements=st.floats(7.5, 9)))
    valores = relleno.numpy().copy().ravel()
    i = data.draw(st.integers(0, valores.size - 1))
    k = data.draw(st.integers(0, len(puntos) - 1))
    valores[i] = puntos[k]
    x = tg.tensor(valores.reshape(forma), requires_grad=True)
    fn(x).sum().backward()
    tolerancia = 1e-6 if dtype == "float32" else 1e-12
    obtenido = float(x.grad.numpy().ravel()[i])
    assert abs(obtenido - esperado[k]) <= tolerancia * max(1, abs(esperado[k]))


# --- composiciones: softsign, tanhshrink, normalize, cosine_similarity, pairwise_distance ---------
COMPOSICIONES = {
    "softsign_tanhshrink": lambda x, y: (F.softsign(x), F.tanhshrink(x)),
    "normalize": lambda x, y: (F.normalize(x, dim=-1), F.normalize(x, p=1.0, dim=0),
                               F.normalize(x, p=3, dim=-1, eps=0.5)),
    "cosine_similarity": lambda x, y: (F.cosine_similarity(x, y, dim=-1),
                                       F.cosine_similarity(x, y[:1], dim=0)),
    "pairwise_distance": lambda x, y: (F.pairwise_distance(x, y), F.pairwise_distance(
        x, y, p=1.5, keepdim=True), F.pairwise_distance(x, y, p=3.0, eps=0.1)),
}


@pytest.mark.parametrize("nombre", sorted(COMPOSICIONES))
@settings(max_examples=6)   # gradgradcheck de 3 salidas: pesado
@given(data=st.data())
def test_composiciones(nombre, data):
    forma = data.draw(st.sampled_from([(3, 2), (2, 3), (1, 3)]))
    x = data.draw(tensors(shape=forma, elements=lejos_de(0.0, lo=-3, hi=3)))
    y = data.draw(tensors(shape=forma, elements=lejos_de(0.0, lo=-3, hi=3)))
    if nombre == "pairwise_distance":   # |x - y| en [0.3, 1]: lejos de x - y + eps = 0, donde
        d = data.draw(tensors(shape=forma, low=0.3, high=1.0, requires_grad=False))   # |.|^p
        y = tg.tensor(x.detach().numpy() + d.numpy(), requires_grad=True)   # no es derivable
    fn = COMPOSICIONES[nombre]
    assert_gradients_match(fn, x, y)
    gradgradcheck(fn, (x, y))
