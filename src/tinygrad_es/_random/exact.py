"""Aritmética exacta que NumPy no trae: la multiplicación-suma fusionada (FMA).

PyTorch se compila con FMA: ``x * (b - a) + a`` o ``z * std + media`` se calculan con un solo
redondeo. Con NumPy hay que emularlo para obtener el mismo último bit:

- ``fma32(a, b, c)`` con a, b, c float32: el producto es exacto en float64; la suma en float64
  solo redondea de más cuando cae justo en la mitad de dos float32 (raro), y entonces se
  corrige con el redondeo «a impar» (Boldo y Melquiond).
- ``fma64(a, b, c)`` con float64: producto exacto en dos partes (Veltkamp/Dekker), suma
  exacta en dos partes y redondeo a impar del término pequeño (Boldo y Melquiond, 2008).

Ambas son exactas (el mismo resultado que la instrucción FMA del procesador).
"""
import numpy as np

_SPLIT = 134217729.0          # 2**27 + 1


def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a):
    c = a * _SPLIT
    hi = c - (c - a)
    return hi, a - hi


def _round_to_odd(v, err):
    """``v`` redondeado a impar sabiendo que el valor exacto es ``v + err``."""
    bits = v.view(np.int64)
    fix = (err != 0) & ((bits & 1) == 0)
    if fix.any():
        step = np.where((err > 0) == (v > 0), 1, -1)
        bits = bits + np.where(fix, step, 0)
        return bits.view(np.float64)
    return v


def fma64(a, b, c):
    """``a * b + c`` con un solo redondeo, para arrays (o escalares) float64."""
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    c = np.asarray(c, np.float64)
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl     # a*b = p + e exactamente
    th, tl = _two_sum(c, p)                               # c + p = th + tl exactamente
    v, ev = _two_sum(tl, e)
    v = _round_to_odd(np.asarray(v, np.float64), np.asarray(ev, np.float64))
    return th + v


def fma32(a, b, c):
    """``a * b + c`` con un solo redondeo a float32 (a, b, c float32)."""
    p = np.multiply(a, b, dtype=np.float64)               # exacto: 24 + 24 bits
    c64 = np.asarray(c, np.float64)
    s = p + c64
    out = s.astype(np.float32)
    tie = (s.view(np.int64) & 0x1FFFFFFF) == 0x10000000   # justo en la mitad de dos float32
    if tie.any():
        p_, c_ = np.broadcast_arrays(p, c64)
        ps, cs = p_[tie], c_[tie]
        v, err = _two_sum(ps, cs)
        out[tie] = _round_to_odd(np.asarray(v, np.float64), err).astype(np.float32)
    return out
