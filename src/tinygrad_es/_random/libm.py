"""Las funciones matemáticas de la biblioteca C (glibc) que usa PyTorch al muestrear, en NumPy.

PyTorch calcula ``log``, ``log1p``, ``sin`` y ``cos`` con la biblioteca C del sistema, y
NumPy usa sus propias versiones vectorizadas: el último bit no siempre coincide (``np.log1p``
difiere de glibc en ~7 % de los valores). Para dar los mismos bits, aquí están los mismos
algoritmos que glibc (mismos pasos, mismas constantes de ``libm_data.py`` y las mismas
multiplicaciones-sumas fusionadas que su compilación para procesadores con FMA), escritos con
operaciones de NumPy sobre arrays enteros.

Cada función cubre solo el dominio que necesitan los muestreadores: ``logf`` y ``log`` en
(0, 1], ``log1p`` en (-1, 0] y ``sincosf`` en [0, 2*pi). Comprobadas contra glibc: ``logf`` y
``sincosf`` en las 2**24 entradas posibles, ``log`` y ``log1p`` en decenas de millones.
(``np.sin``/``np.cos`` en float64 llaman a la biblioteca C, así que se usan tal cual.)
"""
import numpy as np

from . import libm_data as D
from .exact import fma64

_LOGF_TAB = np.array(D.LOGF_TABLE)
_LOG_TAB = np.array(D.LOG_TABLE)


def logf(x):
    """``logf`` de glibc para float32 en (0, 1] (sin subnormales)."""
    ix = x.view(np.uint32)
    tmp = ix - np.uint32(0x3f330000)
    i = (tmp >> np.uint32(19)) & np.uint32(15)
    k = (tmp.view(np.int32) >> 23).astype(np.float64)
    z = (ix - (tmp & np.uint32(0xff800000))).view(np.float32).astype(np.float64)
    invc, logc = _LOGF_TAB[i, 0], _LOGF_TAB[i, 1]
    a0, a1, a2 = D.LOGF_POLY
    r = z * invc - 1.0
    y0 = logc + k * D.LOGF_LN2
    r2 = r * r
    y = a1 * r + a2
    y = a0 * r2 + y
    y = y * r2 + (y0 + r)
    out = y.astype(np.float32)
    out[ix == 0x3f800000] = 0.0
    return out


def _top12(v):
    return (np.asarray(v, np.float32).view(np.uint32) >> np.uint32(20)) & np.uint32(0x7ff)


_TOP_PIO4 = int(_top12(D.SINCOSF_PIO4))
_TOP_TINY = int(_top12(2.0 ** -12))


def sincosf(y):
    """``(sinf(y), cosf(y))`` de glibc para float32 en [0, 120)."""
    x = y.astype(np.float64)
    top = _top12(y)
    small = top < _TOP_PIO4
    n = ((x * D.SINCOSF_HPI_INV).astype(np.int32) + 0x800000) >> 24
    n[small] = 0
    x = x - n * D.SINCOSF_HPI
    q = n & 3
    xs = np.where((q == 1) | (q == 2), -x, x)           # signo del seno por cuadrante
    neg = np.where(n & 2, -1.0, 1.0)                      # el coseno va negado en 2 y 3
    x2 = x * x
    s1, s2, s3 = D.SINCOSF_SIN
    x3 = xs * x2
    sin_p = (xs + x3 * s1) + (x3 * x2) * (s2 + x2 * s3)
    c0, c1, c2, c3, c4 = D.SINCOSF_COS
    x4 = x2 * x2
    cos_p = ((c0 + x2 * c1) * neg + x4 * (c2 * neg)) + (x4 * x2) * ((c3 + x2 * c4) * neg)
    odd = (n & 1) == 1
    s = np.where(odd, cos_p, sin_p).astype(np.float32)
    c = np.where(odd, sin_p, cos_p).astype(np.float32)
    tiny = top < _TOP_TINY
    if tiny.any():
        s[tiny] = y[tiny]
        c[tiny] = 1.0
    return s, c


def log1p(x):
    """``log1p`` de glibc (fdlibm, compilado con FMA) para float64 en (-1, 0]."""
    x = np.asarray(x, np.float64)
    hx = (x.view(np.int64) >> 32).astype(np.int32)
    ax = hx & 0x7fffffff
    out = np.empty_like(x)
    tiny = ax < 0x3e200000                               # |x| < 2**-29
    if tiny.any():
        xt = x[tiny]
        out[tiny] = np.where(ax[tiny] < 0x3c900000, xt, fma64(-(xt * xt), 0.5, xt))
    k_zero = ~tiny & (hx <= np.int32(-1076707645))        # -0.2929 < x (hx <= 0xbfd2bec3)
    k_rest = ~tiny & ~k_zero
    f = np.where(k_zero, x, 0.0)
    k = np.zeros(x.shape, np.int64)
    c = np.zeros_like(x)
    hu = np.ones(x.shape, np.int64)
    if k_rest.any():
        xk = x[k_rest]
        u = 1.0 + xk
        huk = u.view(np.int64) >> 32
        kk = (huk >> 20) - 1023
        ck = np.where(kk > 0, 1.0 - (u - xk), xk - (u - 1.0)) / u
        huk &= 0x000fffff
        big = huk >= 0x6a09e
        high = np.where(big, huk | 0x3fe00000, huk | 0x3ff00000)
        un = ((high << 32) | (u.view(np.int64) & 0xffffffff)).view(np.float64)
        f[k_rest] = un - 1.0
        k[k_rest] = kk + big
        c[k_rest] = ck
        hu[k_rest] = np.where(big, (0x00100000 - huk) >> 2, huk)
    hfsq = 0.5 * f * f
    kd = k.astype(np.float64)
    small = ~tiny & (hu == 0)                             # |f| < 2**-20
    if small.any():
        fs, ks, cs, hs = f[small], kd[small], c[small], hfsq[small]
        r = hs * fma64(-0.66666666666666666, fs, 1.0)
        res = np.where(ks == 0, fs - r,
                       fma64(ks, D.LOG1P_LN2_HI, -((r - fma64(ks, D.LOG1P_LN2_LO, cs)) - fs)))
        zero = fs == 0
        if zero.any():
            res = np.where(zero, np.where(ks == 0, 0.0,
                                          fma64(ks, D.LOG1P_LN2_HI, fma64(ks, D.LOG1P_LN2_LO, cs))),
                           res)
        out[small] = res
    g = ~tiny & (hu != 0)
    fg, kg, cg, hg = f[g], kd[g], c[g], hfsq[g]
    lp1, lp2, lp3, lp4, lp5, lp6, lp7 = D.LOG1P_LP
    s = fg / (2.0 + fg)
    z = s * s
    z2 = z * z
    z4 = z2 * z2
    r = fma64(z4 * z2, fma64(z, lp7, lp6),
              fma64(z4, fma64(z, lp5, lp4), fma64(z, lp1, z2 * fma64(z, lp3, lp2))))
    st = s * (hg + r)
    res = fg - (hg - st)
    rest = kg != 0
    if rest.any():
        t = (hg[rest] - (st[rest] + fma64(kg[rest], D.LOG1P_LN2_LO, cg[rest]))) - fg[rest]
        res[rest] = fma64(kg[rest], D.LOG1P_LN2_HI, -t)
    out[g] = res
    return out


_NEAR_LO = np.uint64(np.array(1.0 - 2.0 ** -4).view(np.uint64))
_NEAR_SPAN = np.uint64(np.array(1.0 + float.fromhex("0x1.09p-4")).view(np.uint64)) - _NEAR_LO


def log(x):
    """``log`` de glibc (variante con FMA) para float64 en (0, 1] (sin subnormales)."""
    x = np.asarray(x, np.float64)
    ix = x.view(np.uint64)
    out = np.empty_like(x)
    near = (ix - _NEAR_LO) < _NEAR_SPAN
    if near.any():
        out[near] = _log_near_one(x[near])
    far = ~near
    if far.any():
        out[far] = _log_table(ix[far])
    return out


def _log_near_one(x):
    b = D.LOG_POLY1
    r = x - 1.0
    r2 = r * r
    r3 = r2 * r
    q = fma64(r3, b[10], fma64(r2, b[9], fma64(r, b[8], b[7])))
    q = fma64(r3, q, fma64(r2, b[6], fma64(r, b[5], b[4])))
    q = fma64(r3, q, fma64(r2, b[3], fma64(r, b[2], b[1])))
    rw = r * 2.0 ** 27 + r                 # r*2**27 es exacto: da igual fusionarlo o no
    rhi = rw - r * 2.0 ** 27
    rlo = r - rhi
    rhi2 = rhi * rhi
    hi = fma64(rhi2, b[0], r)
    lo = fma64(rhi2, b[0], r - hi)
    lo = fma64(rhi + r, b[0] * rlo, lo)
    y = hi + fma64(r3, q, lo)
    y[x == 1.0] = 0.0
    return y


def _log_table(ix):
    a = D.LOG_POLY
    tmp = ix - np.uint64(0x3fe6000000000000)
    i = ((tmp >> np.uint64(45)) & np.uint64(127)).astype(np.intp)
    kd = (tmp.view(np.int64) >> 52).astype(np.float64)
    z = (ix - (tmp & np.uint64(0xfff << 52))).view(np.float64)
    r = fma64(z, _LOG_TAB[i, 0], -1.0)
    w = fma64(kd, D.LOG_LN2_HI, _LOG_TAB[i, 1])
    hi = w + r
    lo = fma64(kd, D.LOG_LN2_LO, (w - hi) + r)
    r2 = r * r
    p = fma64(r2, fma64(r, a[4], a[3]), fma64(r, a[2], a[1]))
    return fma64(r * r2, p, fma64(r2, a[0], lo)) + hi
