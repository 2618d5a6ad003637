"""Los muestreadores de PyTorch en CPU, vectorizados con NumPy (mismos bits que PyTorch 2.13).

Cada función recibe el generador y devuelve (o escribe) arrays de NumPy. Cómo transforma
PyTorch las palabras del mt19937 (ver ``docs/aleatorio.md``):

- uniforme float32: 24 bits de una palabra · 2**-24; float64: 53 bits de ``random64`` · 2**-53;
  luego ``x * (b - a) + a`` con FMA.
- normal, menos de 16 elementos (o tensor no contiguo): Box-Muller en float64 con ``log1p``,
  ``sin`` y ``cos`` de la biblioteca C; el seno sobrante se guarda en el generador para la
  siguiente llamada.
- normal, 16 o más elementos contiguos: todas las uniformes primero y luego bloques de 16
  (8 radios y 8 ángulos); si sobra un trozo, se vuelven a sortear los 16 últimos. En float32
  con el ``log``/``sincos`` de ``avx_mathfun`` (núcleo AVX2) o los de glibc (sin AVX2).
- enteros: ``palabra % rango + desde`` (``random64`` si el rango es 2**28 o más).
- bernoulli: uniforme < p (float64 con ``p`` número, la precisión de ``p`` con un tensor).
- exponencial: ``-1/lambda * log1p(-u)`` en float64.

Los valores se reparten en el orden en que PyTorch recorre el tensor (el de la memoria).
"""
import math
import os

import numpy as np

from . import avx2, libm
from .exact import fma32, fma64

_TWO_PI = 2.0 * math.pi
_TWO_PI_F32 = np.float32(_TWO_PI)


def _kernel():
    """Qué núcleo de la normal float32 usaría PyTorch en esta máquina: 'avx2' o 'default'."""
    forced = os.environ.get("ATEN_CPU_CAPABILITY", "").strip().lower()
    if forced == "default":
        return "default"
    if forced in ("avx2", "avx512"):
        return "avx2"
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as features
    except ImportError:   # NumPy < 2
        from numpy.core._multiarray_umath import __cpu_features__ as features
    return "avx2" if features.get("AVX2") and features.get("FMA3") else "default"


KERNEL = _kernel()


# --- orden de recorrido ----------------------------------------------------------------
def _axes(out):
    """Orden de los ejes en que PyTorch recorre ``out``: el de la memoria (paso decreciente)."""
    if out.flags.c_contiguous or out.ndim < 2:
        return None
    return sorted(range(out.ndim), key=lambda a: -abs(out.strides[a]))


def _walk(out, axes=None):
    """Vista de ``out`` cuyo orden C es el de recorrido de PyTorch."""
    return out if axes is None else out.transpose(axes)


def _store(out, values):
    walk = _walk(out, _axes(out))
    walk[...] = values.reshape(walk.shape)
    return out


# --- uniforme ---------------------------------------------------------------------------
def uniform_values(gen, n, dtype, low=0.0, high=1.0):
    """``n`` valores de ``uniform_(low, high)`` con el dtype dado."""
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        x = gen._uniform64(n)
        if low == 0 and high == 1:
            return x
        return _below(fma64(x, float(high) - float(low), float(low)), float(low), float(high))
    x = gen._uniform32(n)
    lo, hi = np.float32(low), np.float32(high)
    if not (lo == 0 and hi == 1):
        x = _below(fma32(x, hi - lo, lo), lo, hi)
    return x.astype(dtype, copy=False)


def _below(x, low, high):
    """Como PyTorch, un valor que al redondear llega a ``high`` vale ``low`` (el intervalo es
    [low, high)): pasa cuando ``high - low`` es pequeño frente a ``low``."""
    x[x == high] = low
    return x


def uniform_(gen, out, low, high):
    return _store(out, uniform_values(gen, out.size, out.dtype, low, high))


# --- normal -----------------------------------------------------------------------------
def _box_muller_scalar(gen, n):
    """``n`` normales estándar del camino escalar (float64), usando y dejando la guardada."""
    out = np.empty(n)
    start = 0
    if n and gen._normal is not None:
        out[0], gen._normal, start = gen._normal, None, 1
    m = n - start
    if m:
        pairs = (m + 1) // 2
        u = gen._uniform64(2 * pairs)
        r = np.sqrt(-2.0 * libm.log1p(-u[1::2]))
        theta = _TWO_PI * u[0::2]
        vals = np.empty(2 * pairs)
        vals[0::2] = r * np.cos(theta)
        vals[1::2] = r * np.sin(theta)
        out[start:] = vals[:m]
        if m % 2:
            gen._normal = float(vals[-1])
    return out


def _affine64(z, mean, std):
    return z if (mean == 0 and std == 1) else fma64(z, std, mean)


def _blocks64(d, mean, std):
    radius = np.sqrt(-2.0 * libm.log(1.0 - d[:, :8]))
    theta = _TWO_PI * d[:, 8:]
    out = np.empty_like(d)
    out[:, :8] = _affine64(radius * np.cos(theta), mean, std)
    out[:, 8:] = _affine64(radius * np.sin(theta), mean, std)
    return out


def _blocks32(d, mean, std):
    u1 = np.float32(1.0) - d[:, :8]
    if KERNEL == "avx2":
        radius = np.sqrt(np.float32(-2.0) * avx2.log256(u1))
        s, c = avx2.sincos256(_TWO_PI_F32 * d[:, 8:])
    else:
        radius = np.sqrt(np.float32(-2.0) * libm.logf(u1))
        s, c = libm.sincosf((_TWO_PI * d[:, 8:].astype(np.float64)).astype(np.float32))
    out = np.empty_like(d)
    a, b = radius * c, radius * s
    if mean == 0 and std == 1:
        out[:, :8], out[:, 8:] = a, b
    else:
        out[:, :8] = fma32(a, std, mean)
        out[:, 8:] = fma32(b, std, mean)
    return out


_CHUNK_ROWS = 2048      # 32768 valores por trozo


def _normal_fill(gen, n, dtype, mean, std):
    """El camino de 16 o más elementos contiguos (``normal_fill`` de PyTorch)."""
    if dtype == np.float32:
        draw, blocks = gen._uniform32, _blocks32
        mean, std = np.float32(mean), np.float32(std)
    else:
        draw, blocks = gen._uniform64, _blocks64
    data = draw(n)
    full = n - n % 16
    rows = data[:full].reshape(-1, 16)
    for start in range(0, rows.shape[0], _CHUNK_ROWS):   # por trozos: caben en la caché
        part = rows[start:start + _CHUNK_ROWS]
        part[...] = blocks(part, mean, std)
    if n % 16:   # PyTorch vuelve a sortear los 16 últimos y los transforma juntos
        data[n - 16:] = blocks(draw(16).reshape(1, 16), mean, std).reshape(-1)
    return data


def normal_values(gen, n, dtype, mean=0.0, std=1.0, contiguous=True):
    """``n`` valores de ``normal_(mean, std)`` con el dtype dado."""
    dtype = np.dtype(dtype)
    if n >= 16 and contiguous and dtype in (np.float32, np.float64):
        return _normal_fill(gen, n, dtype, mean, std)
    z = _affine64(_box_muller_scalar(gen, n), float(mean), float(std))
    return z.astype(dtype, copy=False)


def normal_(gen, out, mean, std):
    values = normal_values(gen, out.size, out.dtype, mean, std, out.flags.c_contiguous)
    return _store(out, values)


# --- enteros ----------------------------------------------------------------------------
def integers(gen, n, low, span):
    """``n`` enteros en [low, low + span) como int64 (``random64`` si span >= 2**28, como
    PyTorch: así el sesgo del módulo queda por debajo del 5 %)."""
    words = gen._words64(n) if span >= 1 << 28 else gen._words(n).astype(np.uint64)
    values = words % np.uint64(span)
    if low >= 0 and low + span <= 1 << 63:
        return values.astype(np.int64) + np.int64(low)
    return (values + np.uint64(low % (1 << 64))).view(np.int64)   # aritmética módulo 2**64


_DIGITS = {np.dtype(np.float16): 11, np.dtype(np.float32): 24, np.dtype(np.float64): 53}


def random_default(gen, n, dtype):
    """``random_()`` sin límites: [0, 2**mantisa] en floats, [0, máximo] en enteros."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return (gen._words(n) & np.uint32(1)).astype(np.bool_)
    if dtype in _DIGITS:
        span = (1 << _DIGITS[dtype]) + 1
        words = gen._words64(n) if dtype == np.float64 else gen._words(n).astype(np.uint64)
        return (words % np.uint64(span)).astype(dtype)
    top = int(np.iinfo(dtype).max) + 1
    words = gen._words64(n) if dtype == np.int64 else gen._words(n).astype(np.uint64)
    return (words % np.uint64(top)).astype(dtype)


def random_(gen, out, low=None, high=None):
    """``random_``, ``random_(to)`` y ``random_(from, to)`` escribiendo en ``out``."""
    n, dtype = out.size, out.dtype
    if low is None and high is None:
        return _store(out, random_default(gen, n, dtype))
    if high is None:   # random_(from, None): hasta el máximo del dtype (incluido)
        if dtype == np.int64 and low == -(1 << 63):
            return _store(out, gen._words64(n).view(np.int64))
        top = (1 << _DIGITS[dtype]) if dtype in _DIGITS else (
            1 if dtype == np.bool_ else int(np.iinfo(dtype).max))
        span = top - low + 1
    else:
        span = high - low
    return _store(out, integers(gen, n, low, span).astype(dtype))


def randperm(gen, n):
    """``randperm(n)``: Fisher-Yates hacia delante con ``random() % (n - i)``, vectorizado."""
    if n < 2:
        return np.arange(n, dtype=np.int64)
    i = np.arange(n - 1, dtype=np.int64)
    targets = i + (gen._words(n - 1).astype(np.int64) % (n - i))
    return _apply_swaps(targets)


def _stable_order(keys, n):
    """``argsort`` estable de enteros en [0, n), por radix de 16 bits (mucho más rápido)."""
    if n <= 1 << 16:
        return np.argsort(keys.astype(np.uint16), kind="stable")
    order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    return order[np.argsort((keys >> 16).astype(np.uint16)[order], kind="stable")]


def _apply_swaps(targets):
    """Resultado de intercambiar ``a[k]`` con ``a[targets[k]]`` (k = 0, 1, ...) en ``arange``.

    Sin bucle por elemento: el valor que queda en la posición ``k`` es el que había en
    ``targets[k]`` justo antes del paso ``k``; ese lo dejó allí el último paso anterior que
    apuntó a la misma posición (o es el original). Y lo que un paso ``k`` se lleva es lo que
    había en ``k``, que a su vez lo dejó el último paso anterior que apuntó a ``k``: una
    cadena de punteros que se resuelve saltando de dos en dos (``ptr = ptr[ptr]``).
    """
    n = targets.size + 1
    j = np.append(targets, n - 1)              # un último paso «quieto» en la posición n - 1
    order = _stable_order(j, n)                # pasos agrupados por destino, en orden
    js = j[order]
    same = np.zeros(n, dtype=bool)
    np.equal(js[1:], js[:-1], out=same[1:])
    prev_sorted = np.where(same, np.roll(order, 1), -1)
    prev = np.empty(n, dtype=np.int64)
    prev[order] = prev_sorted                  # paso anterior con el mismo destino (o -1)
    last = np.ones(n, dtype=bool)
    np.not_equal(js[1:], js[:-1], out=last[:-1])
    steps, dest = order[last], js[last]
    feeder = np.where(steps == dest, prev_sorted[last], steps)   # último paso < p que apuntó a p
    ptr = np.arange(n, dtype=np.int64)
    has = feeder >= 0
    ptr[dest[has]] = feeder[has]
    while True:
        nxt = ptr[ptr]
        if np.array_equal(nxt, ptr):
            break
        ptr = nxt
    return np.where(prev >= 0, ptr[np.maximum(prev, 0)], j)


# --- bernoulli, exponencial, multinomial ----------------------------------------------
def bernoulli_scalar(gen, n, p):
    """``n`` sorteos con probabilidad ``p`` (float64, como ``bernoulli_(p)``): booleanos.

    ``u < p`` con ``u = k * 2**-53`` es lo mismo que ``k < ceil(p * 2**53)``: se compara el
    entero sin pasar a float."""
    return gen._bits53(n) < np.uint64(math.ceil(float(p) * 2.0 ** 53))


def bernoulli_tensor_(gen, out, p):
    """Un sorteo por elemento de ``out`` con la probabilidad de ``p`` (que se expande a su
    forma): uniforme float64 si ``p`` es float64, float32 si no. Escribe 0/1 en ``out``."""
    axes = _axes(out)
    walk_p = _walk(np.broadcast_to(p, out.shape), axes)
    if p.dtype == np.float64:
        u = gen._uniform64(out.size)
    else:
        u = gen._uniform32(out.size)
        walk_p = walk_p.astype(np.float32)
    _walk(out, axes)[...] = u.reshape(walk_p.shape) < walk_p
    return out


def exponential_values(gen, n, lambd):
    """``n`` valores (float64) de ``exponential_(lambd)``: ``-1/lambd * log1p(-u)``."""
    z = libm.log1p(-gen._uniform64(n))
    return -z if lambd == 1 else (-1.0 / lambd) * z


def multinomial(gen, probs, num_samples, replacement):
    """Índices int64 con la forma ``probs.shape[:-1] + (num_samples,)`` (probs 1-D o 2-D)."""
    rows = probs.reshape(-1, probs.shape[-1])
    if not replacement or num_samples == 1:
        # PyTorch: argmax/topk de p / q con q ~ Exp(1) (el truco de Gumbel)
        q = (-libm.log1p(-gen._uniform64(rows.size))).astype(rows.dtype).reshape(rows.shape)
        ratio = rows / q
        picked = np.argsort(-ratio, axis=1, kind="stable")[:, :num_samples]
    else:
        cum = np.cumsum(rows, axis=1, dtype=rows.dtype)
        cum /= cum[:, -1:]
        cum[:, -1] = 1
        u = gen._uniform64(rows.shape[0] * num_samples).reshape(rows.shape[0], num_samples)
        # una búsqueda binaria por distribución (fila), no por muestra
        picked = np.stack([np.searchsorted(c.astype(np.float64), r, side="left")
                           for c, r in zip(cum, u)])
    return picked.astype(np.int64).reshape(probs.shape[:-1] + (num_samples,))
