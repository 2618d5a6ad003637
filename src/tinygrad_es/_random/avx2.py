"""El ``log`` y el ``sincos`` en float32 del núcleo AVX2 de PyTorch para la normal, en NumPy.

En los procesadores x86 con AVX2 (casi todos los portátiles desde 2013, y también los que tienen
AVX-512, porque PyTorch no compila ese núcleo para AVX-512) ``randn``/``normal_`` de float32
con 16 elementos o más transforma las uniformes con ``log256_ps`` y ``sincos256_ps`` de
``avx_mathfun.h`` (los polinomios de Cephes en float32). Aquí están los mismos pasos en float32,
con las multiplicaciones-sumas que el compilador fusiona en FMA (``fma32``). Comprobado contra
PyTorch 2.13 en decenas de millones de valores.
"""
import numpy as np

from . import libm_data as D
from .exact import fma32

_F = np.float32
_LOG_P = tuple(_F(v) for v in D.AVX_LOG_POLY)
_Q1, _Q2 = _F(D.AVX_LOG_Q1), _F(D.AVX_LOG_Q2)
_SQRTHF = _F(D.AVX_SQRTHF)
_DP1, _DP2, _DP3 = (_F(v) for v in D.AVX_DP)
_S0, _S1, _S2 = (_F(v) for v in D.AVX_SINCOF)
_C0, _C1, _C2 = (_F(v) for v in D.AVX_COSCOF)
_FOPI = _F(D.AVX_FOPI)
_ONE, _HALF = _F(1.0), _F(0.5)


def log256(x):
    """``log256_ps`` para float32 en (0, 1]."""
    bits = x.view(np.int32)
    e = ((bits >> 23) - 0x7f).astype(np.float32)
    e += _ONE
    m = ((bits & ~0x7f800000) | 0x3f000000).view(np.float32)     # mantisa en [0.5, 1)
    low = m < _SQRTHF
    m = (m - _ONE) + np.where(low, m, _F(0))
    e -= low
    z = m * m
    y = fma32(np.full_like(m, _LOG_P[0]), m, _LOG_P[1])
    for p in _LOG_P[2:]:
        y = fma32(y, m, p)
    y = y * m
    y = fma32(y, z, e * _Q1)
    y = y - z * _HALF
    return (m + y) + e * _Q2


def sincos256(x):
    """``sincos256_ps`` para float32 >= 0: devuelve ``(seno, coseno)``."""
    j = (x * _FOPI).astype(np.int32)
    j = (j + 1) & ~1
    y = j.astype(np.float32)
    x = fma32(y, _DP1, x)
    x = fma32(y, _DP2, x)
    x = fma32(y, _DP3, x)
    sin_neg = (j & 4) != 0
    cos_neg = (~(j - 2) & 4) != 0
    use_sin_poly = (j & 2) == 0
    z = x * x
    yc = fma32(fma32(np.full_like(z, _C0), z, _C1), z, _C2)
    yc = fma32(yc * z, z, -(z * _HALF)) + _ONE
    ys = fma32(fma32(np.full_like(z, _S0), z, _S1), z, _S2)
    ys = fma32(ys * z, x, x)
    s = np.where(use_sin_poly, ys, yc)
    c = np.where(use_sin_poly, yc, ys)
    np.negative(s, out=s, where=sin_neg)
    np.negative(c, out=c, where=cos_neg)
    return s, c
