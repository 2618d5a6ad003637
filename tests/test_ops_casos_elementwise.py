"""Casos de gradiente de las operaciones elemento a elemento (los ejecuta test_ops_gradients.py).

Cada caso es una estrategia de hypothesis que devuelve ``(fn, entradas)`` o
``(fn, entradas, opciones_de_gradcheck)``; la tabla de test_ops_gradients.py dice qué
operación (clase Op) ejercita cada caso y el test lo comprueba en el grafo.
Todo en float64, con operandos difundidos (también 0-d) y escalares de Python.
"""
import numpy as np
from hypothesis import strategies as st

import tinygrad_es as tg
import tinygrad_es.nn.functional as F
from tinygrad_es.testing import broadcastable_shapes, shapes, tensors

CASOS = {}


def caso(f):
    """Registra ``f`` (una función ``draw -> (fn, entradas)``) como estrategia con su nombre."""
    CASOS[f.__name__] = st.composite(f)()
    return f


@st.composite
def formas_difundibles(draw, n=2):
    """``n`` formas que se difunden juntas: ambos lados pueden tener unos, menos dims o ser 0-d."""
    base = draw(shapes(min_dims=0, max_dims=3))
    return [draw(broadcastable_shapes(base)) for _ in range(n)]


def par(draw, izq=None, der=None):
    sa, sb = draw(formas_difundibles())
    return draw(tensors(shape=sa, **(izq or {}))), draw(tensors(shape=sb, **(der or {})))


# --- binarias tensor-tensor con difusión --------------------------------------------------
@caso
def add_difusion(draw):
    return (lambda a, b: (a + b, tg.add(a, b))), par(draw)


@caso
def sub_difusion(draw):
    return (lambda a, b: (a - b, tg.sub(a, b))), par(draw)


@caso
def mul_difusion(draw):
    return (lambda a, b: (a * b, tg.mul(a, b))), par(draw)


@caso
def div_difusion(draw):
    return (lambda a, b: (a / b, tg.div(a, b))), par(draw)


@caso
def difusion_ambos_lados(draw):
    """Formas fijas en las que los dos operandos se difunden: (3,1)+(1,4), 0-d con 2-D..."""
    sa, sb = draw(st.sampled_from([((3, 1), (1, 4)), ((), (2, 3)), ((2, 3), ()),
                                   ((4,), (3, 1)), ((2, 1, 3), (4, 1)), ((1,), ())]))
    a, b = draw(tensors(shape=sa)), draw(tensors(shape=sb))
    return (lambda a, b: (a + b, a - b, a * b, a / b, b - a)), (a, b)


# --- con escalares de Python (y de NumPy) -----------------------------------------------
ESCALARES = {
    "x + 2.5": lambda x: x + 2.5, "2.5 + x": lambda x: 2.5 + x,
    "x - 2.5": lambda x: x - 2.5, "2.5 - x": lambda x: 2.5 - x,
    "x * 2.5": lambda x: x * 2.5, "2.5 * x": lambda x: 2.5 * x,
    "x * np.float64(-3)": lambda x: x * np.float64(-3), "x / 2.5": lambda x: x / 2.5,
    "1 / x": lambda x: 1 / x, "-3.0 / x": lambda x: -3.0 / x, "x - 1": lambda x: x - 1,
    "x * 2 + 1": lambda x: x * 2 + 1,
}


@caso
def escalares_python(draw):
    """x + 2.5, 2.5 - x, x * 2.5, 1 / x...: el escalar no es una entrada del grafo."""
    return (lambda x: tuple(f(x) for f in ESCALARES.values())), (draw(tensors()),)


@caso
def neg(draw):
    return (lambda x: (-x, x.neg(), tg.neg(x))), (draw(tensors()),)


# --- potencias -------------------------------------------------------------------------
@caso
def pow_exponente_entero(draw):
    k = draw(st.sampled_from([0, 1, 2, 3, -1, -2]))
    return (lambda x: x ** k), (draw(tensors()),)


@caso
def pow_exponente_real(draw):
    k = draw(st.sampled_from([0.5, 2.5, -0.5, 1.5]))
    return (lambda x: (x ** k, x.pow(k))), (draw(tensors(positive=True)),)


@caso
def pow_base_escalar(draw):
    base = draw(st.sampled_from([2, 2.5, 0.5, np.e]))
    return (lambda x: base ** x), (draw(tensors()),)


@caso
def pow_tensor_tensor(draw):
    return (lambda a, b: a ** b), par(draw, izq={"positive": True})


# --- unarias ---------------------------------------------------------------------------
@caso
def exp(draw):
    return (lambda x: (x.exp(), tg.exp(x))), (draw(tensors()),)


@caso
def log(draw):
    return (lambda x: (x.log(), tg.log(x))), (draw(tensors(positive=True)),)


@caso
def sqrt(draw):
    return (lambda x: (x.sqrt(), tg.sqrt(x))), (draw(tensors(positive=True)),)


@caso
def abs_(draw):
    return (lambda x: (x.abs(), tg.abs(x))), (draw(tensors(away_from=0)),)


@caso
def sin_cos(draw):
    return (lambda x: (x.sin(), x.cos(), tg.sin(x) * tg.cos(x))), (draw(tensors(high=4.0)),)


@caso
def tanh_sigmoid(draw):
    return (lambda x: (x.tanh(), x.sigmoid(), tg.sigmoid(x))), (draw(tensors(high=5.0)),)


@caso
def relu(draw):
    return (lambda x: (x.relu(), tg.relu(x))), (draw(tensors(away_from=0)),)


@caso
def leaky_relu(draw):
    pendiente = draw(st.sampled_from([0.01, 0.2, 1.5, -0.3]))
    fn = (lambda x: (F.leaky_relu(x, pendiente), F.leaky_relu(x)))
    return fn, (draw(tensors(away_from=0)),)


# Valores a más de 0.01 de los límites -1 y 1 (lejos de las esquinas de clamp).
LEJOS_DE_LIMITES = st.one_of(st.floats(-2, -1.01), st.floats(-0.99, 0.99), st.floats(1.01, 2))


@caso
def clamp(draw):
    limites = draw(st.sampled_from([{"min": -1.0}, {"max": 1.0}, {"min": -1.0, "max": 1.0},
                                    {"min": -1, "max": 1}]))
    x = draw(tensors(elements=LEJOS_DE_LIMITES))
    return (lambda x: (x.clamp(**limites), tg.clamp(x, **limites), x.clip(**limites))), (x,)


def _sin_empates(desplazamiento):
    """Valores k/10 + desplazamiento: dos tensores con desplazamientos distintos nunca empatan."""
    return st.integers(-20, 20).map(lambda k: k / 10 + desplazamiento)


@caso
def maximum_minimum(draw):
    sa, sb = draw(formas_difundibles())
    a = draw(tensors(shape=sa, elements=_sin_empates(0.03)))
    b = draw(tensors(shape=sb, elements=_sin_empates(0.07)))
    return (lambda a, b: (a.maximum(b), tg.minimum(a, b), b.maximum(a), tg.max(a, b))), (a, b)


@caso
def maximum_escalar(draw):
    x = draw(tensors(elements=_sin_empates(0.03)))
    return (lambda x: (x.maximum(tg.tensor(0.5, dtype=tg.float64)), x.minimum(0.5))), (x,)


@caso
def where(draw):
    sc, sa, sb = draw(formas_difundibles(3))
    cond = tg.tensor(np.array(draw(st.lists(st.booleans(), min_size=int(np.prod(sc)),
                                            max_size=int(np.prod(sc))))).reshape(sc))
    a, b = draw(tensors(shape=sa)), draw(tensors(shape=sb))
    return (lambda a, b: (tg.where(cond, a, b), a.where(cond, b), tg.where(cond, a, 0.0))), (a, b)


# --- dtype y copia ---------------------------------------------------------------------
@caso
def cast_ida_y_vuelta(draw):
    """f64 -> f32 -> f64: las diferencias finitas necesitan un eps mayor y más tolerancia."""
    fn = (lambda x: (x.float().double() * 3, x.to(tg.float32).type(tg.float64)))
    return fn, (draw(tensors()),), {"eps": 1e-3, "atol": 1e-3}


@caso
def clone(draw):
    return (lambda x: (x.clone() * x, tg.clone(x))), (draw(tensors()),)


# --- reutilización de un mismo tensor ---------------------------------------------------
@caso
def reuso_a_mas_a(draw):
    return (lambda a: a + a), (draw(tensors()),)


@caso
def reuso_cadena(draw):
    def fn(a):
        b = a * a
        return b + b
    return fn, (draw(tensors()),)


@caso
def reuso_dos_ramas(draw):
    return (lambda a: a.exp() * a.sin() + a * 2), (draw(tensors()),)


@caso
def reuso_dos_entradas(draw):
    return (lambda a, b: (a * b) + (a - b) * b - a / b), par(draw)


@caso
def log1p(draw):
    return (lambda x: (x.log1p(),)), (draw(tensors(positive=True)),)
