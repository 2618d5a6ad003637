"""Base de las operaciones internas y utilidades de formas compartidas."""
import functools
import math

import numpy as np


class Op:
    """Una operación diferenciable sobre ndarrays.

    Cada subclase define, una junto a la otra::

        forward(ctx, *arrays, **opciones) -> ndarray
        backward(ctx, grad) -> un gradiente por entrada (None donde no hace falta)

    ``backward`` puede devolver un gradiente con la forma difundida (broadcast) de la
    entrada: el motor lo suma hasta la forma de la entrada, como PyTorch.

    Junto a ellos, la derivada como texto (la leen la traza y los dibujos de ``viz``, que
    no derivan nada por su cuenta)::

        rule = "∂/∂a = σ(a)·(1 - σ(a))"                  # la regla general, en la pizarra
        rule_latex = r"\\frac{\\partial}{\\partial a} = \\sigma(a)\\,(1 - \\sigma(a))"
        local = ("{c}·(1 - {c})",)                       # elemento a elemento: una por entrada

    ``local`` es la derivada de la salida respecto a cada entrada escrita con los nombres
    del grafo: ``{a}`` y ``{b}`` son las entradas, ``{c}`` la salida, y ``{b}²`` se escribe
    ``(w·z)²`` si el nombre es compuesto; ``None`` para una entrada que no es derivable.
    Opcional: ``shape_hint(*arrays)``, el mensaje en español cuando las formas no encajan.

    ``tinygrad_es.compile`` apunta las llamadas de NumPy que hacen ``forward`` y ``backward``
    (ver ``_compile/lowering.py``): un valor calculado no se convierte en escalar con
    ``a.dtype.type(x)`` o ``np.float32(x)`` (usa ``x.astype(a.dtype)``); los números de Python
    que lea (``float(a)``) se detectan y esa captura sigue por operaciones.
    """


def inplace_suffix(node):
    """``"1"`` si el nodo es de la versión in situ (``elu_``, ``leaky_relu_``, ``threshold_``):
    PyTorch les da otro nombre (``EluBackward1``); ``"0"`` si no (ver ``_special.unary_``)."""
    return "1" if node.__dict__.get("inplace") else "0"


def value(x):
    """El ndarray de ``x``, también si es un Tensor (``create_graph=True``).

    Para lo que un backward no deriva: máscaras, signos, recuentos, índices.
    """
    return getattr(x, "_data", x)


def broadcast_compatible(src, dst):
    """¿Se puede sumar un gradiente de forma ``src`` hasta la forma ``dst``?"""
    extra = len(src) - len(dst)
    if extra < 0:
        return False
    return all(d == 1 or d == s for s, d in zip(src[extra:], dst))


def sum_to_shape(grad, shape):
    """Suma ``grad`` sobre los ejes difundidos hasta obtener ``shape``.

    Cada suma crea un array nuevo (no una vista), así el motor puede quedárselo sin copiarlo.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra:   # np.add.reduce es lo que hace grad.sum(), sin su capa de Python
        grad = np.add.reduce(grad, axis=tuple(range(extra)))
    ones = tuple(i for i, d in enumerate(shape) if d == 1 and grad.shape[i] != 1)
    if ones:
        grad = np.add.reduce(grad, axis=ones, keepdims=True)
    return grad


def normalize_axis(axis, ndim):
    """Convierte ``dim`` (int, tupla o None) en una tupla de ejes no negativos."""
    if axis is None or (isinstance(axis, (tuple, list)) and not axis):   # dim=() reduce todo
        return tuple(range(ndim))
    bound = max(ndim, 1)
    for a in (axis if isinstance(axis, (tuple, list)) else (axis,)):
        if not -bound <= a < bound:   # NumPy aceptaría algunos en silencio (a % ndim)
            raise IndexError(
                f"Dimensión fuera de rango: se pidió dim={a} en un tensor de {ndim} "
                f"dimensiones (se esperaba un valor entre {-bound} y {bound - 1}).")
    if ndim == 0:   # como PyTorch: un tensor 0-d admite dim=0 o dim=-1
        return ()
    if isinstance(axis, (tuple, list)):
        return tuple(sorted(a % max(ndim, 1) for a in axis))
    return (axis % max(ndim, 1),)


def expand_reduced(grad, in_shape, axes, keepdim):
    """Vuelve a insertar los ejes reducidos (tamaño 1) en ``grad`` para difundirlo."""
    if not keepdim and len(in_shape):
        grad = grad.reshape(tuple(1 if i in axes else d for i, d in enumerate(in_shape)))
    return grad


SMALL = 4096   # elementos: por debajo, un array nuevo cuesta menos que la vista difundida


def spread(grad, shape):
    """``grad`` (con los ejes reducidos de tamaño 1) difundido a ``shape``.

    Una vista de solo lectura (``np.broadcast_to``) si es grande; si es pequeño, un array
    nuevo: crear la vista cuesta más que copiar unos pocos números, y el motor puede
    quedarse el array sin copiarlo."""
    if grad.size == 1 and math.prod(shape) <= SMALL:
        out = np.empty(shape, grad.dtype)
        out[...] = grad
        return out
    return np.broadcast_to(grad, shape)


def quiet(method):
    """forward/backward sin avisos de NumPy: inf y nan salen en silencio, como en PyTorch."""
    @functools.wraps(method)
    def call(*args, **kwargs):
        with np.errstate(all="ignore"):
            return method(*args, **kwargs)
    return call


def const_like(x, c):
    """La constante ``c`` con el dtype de ``x`` (float32 sigue en float32)."""
    return value(x).dtype.type(c)
