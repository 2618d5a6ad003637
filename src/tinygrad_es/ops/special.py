"""Funciones de error: ``erf``, ``erfc`` y ``erfinv`` (las necesita GELU), en NumPy puro.

NumPy no trae la función de error (``math.erf`` es escalar: aplicarla elemento a elemento sería
un bucle de Python). Aquí se calcula con las aproximaciones racionales de W. J. Cody
(«Rational Chebyshev approximation for the error function», Math. Comp. 1969; la rutina
CALERF de SPECFUN), evaluadas con ufuncs de NumPy en el tipo de la entrada:

- |x| <= 0.46875: erf(x) = x · P(x²)/Q(x²);
- 0.46875 < |x| <= 4: erfc(|x|) = exp(-x²) · P(|x|)/Q(|x|);
- |x| > 4: erfc(|x|) = exp(-x²)/|x| · (1/√π + P(1/x²)/(x² Q(1/x²))).

``exp(-x²)`` se calcula como ``exp(-s²)·exp(-(x - s)(x + s))`` con ``s`` = x redondeado a 1/16:
así el error de redondeo de x² no se multiplica por x². Error medido frente a PyTorch: menos de
1e-15 relativo en float64 y 1 ulp en float32 (``tests/test_activaciones_torch.py``).

Excepción medida a la regla de no subir float32 a float64: evaluadas en float32, estas
fracciones acumulan hasta 6 ulp (tres redondeos de exp y del cociente); en float64, redondeando
una sola vez al final, el error es de 1 ulp (PyTorch: 0,5) por un 30 % más de tiempo
(erf de 10⁶ float32: 44 ms en float32, 58 ms así). El resultado conserva el tipo de la entrada.

``erfinv`` parte de la aproximación de M. Giles («Approximating the erfinv function», 2010) y
la refina con pasos de Halley sobre ``erf`` (o sobre ``erfc`` cerca de ±1, donde 1 - x es exacto).
"""
import functools

import numpy as np

from .base import Op, value

_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
      3.20937758913846947e03, 1.85777706184603153e-1)
_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
      2.84423683343917062e03)
_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
      2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
      2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)
_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
      1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
      3.43936767414372164e03, 1.23033935480374942e03)
_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
      1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
      6.05183413124413191e-2, 2.33520497626869185e-3)
_SQRPI = 5.6418958354775628695e-1   # 1/√π
_TWO_OVER_SQRT_PI = 1.1283791670955126
_THRESH = 0.46875
# A partir de aquí erfc(x) es 0 en el tipo (Cody: XBIG)
_XBIG = 27.3   # erfc(27.3) < 2^-1074: desde aquí erfc(x) es 0 en float64

# Giles: erfinv(x) ≈ x · p(w), w = -log((1 - x)(1 + x))
_GILES_CENTRAL = (1.50140941, 0.246640727, -0.00417768164, -0.00125372503, 0.00021858087,
                  -4.39150654e-06, -3.5233877e-06, 3.43273939e-07, 2.81022636e-08)
_GILES_TAIL = (2.83297682, 1.00167406, 0.00943887047, -0.0076224613, 0.00573950773,
               -0.00367342844, 0.00134934322, 0.000100950558, -0.000200214257)


def _quiet(fn):
    """Sin avisos de NumPy con inf o nan en la entrada (dan lo mismo que en PyTorch, sin avisar)."""
    @functools.wraps(fn)
    def call(*args, **kwargs):
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            return fn(*args, **kwargs)
    return call


def _working(a):
    """El array en el tipo en que se calcula: float64 (ver arriba)."""
    return np.asarray(a, dtype=np.float64)


def _ratio(v, lead, ps, qs):
    """Numerador y denominador de Horner de Cody (en su sitio: sin arrays intermedios)."""
    num = v * lead
    den = v.copy()
    for p, q in zip(ps, qs):
        num += p
        num *= v
        den += q
        den *= v
    return num, den


def _erf_small(x):
    """erf(x) para |x| <= 0.46875."""
    z = x * x
    num, den = _ratio(z, _A[4], _A[:3], _B[:3])
    num += _A[3]
    den += _B[3]
    num *= x
    num /= den
    return num


def _exp_minus_square(y):
    """exp(-y²) sin el error de redondeo de y² (el truco de Cody)."""
    s = y * 16.0
    np.trunc(s, out=s)
    s /= 16.0
    d = y - s
    d *= y + s
    np.negative(d, out=d)
    np.exp(d, out=d)
    s *= s
    np.negative(s, out=s)
    np.exp(s, out=s)
    s *= d
    return s


def _erfc_large(y):
    """erfc(y) para y > 0.46875 (y sin signo)."""
    out = np.zeros_like(y)
    mid = y <= 4
    big = ~mid & (y < _XBIG)
    if mid.any():
        v = y[mid]
        num, den = _ratio(v, _C[8], _C[:7], _D[:7])
        num += _C[7]
        den += _D[7]
        num /= den
        num *= _exp_minus_square(v)
        out[mid] = num
    if big.any():
        v = y[big]
        z = 1.0 / (v * v)
        num, den = _ratio(z, _P[5], _P[:4], _Q[:4])
        num += _P[4]
        den += _Q[4]
        num *= z
        num /= den
        np.subtract(_SQRPI, num, out=num)
        num /= v
        num *= _exp_minus_square(v)
        out[big] = num
    out[np.isnan(y)] = np.nan
    return out


@_quiet
def erf(a):
    """erf elemento a elemento (ndarray de punto flotante)."""
    x = _working(a)
    y = np.abs(x)
    small = y <= _THRESH
    if small.all():
        return _erf_small(x).astype(a.dtype, copy=False)
    out = np.empty_like(x)
    out[small] = _erf_small(x[small])
    large = ~small
    xl = x[large]
    one = x.dtype.type(1)
    out[large] = np.copysign(one - _erfc_large(np.abs(xl)), xl)
    return out.astype(a.dtype, copy=False)


@_quiet
def erfc(a):
    """erfc = 1 - erf sin perder precisión cuando erf(x) está cerca de 1."""
    x = _working(a)
    y = np.abs(x)
    small = y <= _THRESH
    out = np.empty_like(x)
    one = x.dtype.type(1)
    out[small] = one - _erf_small(x[small])
    large = ~small
    xl = x[large]
    r = _erfc_large(np.abs(xl))
    out[large] = np.where(xl < 0, x.dtype.type(2) - r, r)
    return out.astype(a.dtype, copy=False)


def _horner(coeffs, w):
    t = w.dtype.type
    p = np.full_like(w, t(coeffs[-1]))
    for c in reversed(coeffs[:-1]):
        p = p * w + t(c)
    return p


@_quiet
def erfinv(a):
    """Inversa de erf en (-1, 1); ±inf en ±1 y nan fuera, como PyTorch."""
    x = _working(a)
    t = x.dtype.type
    ax = np.abs(x)
    inside = ax < 1
    v = ax[inside]
    one = t(1)
    w = -np.log((one - v) * (one + v))
    central = w < 5
    y = np.empty_like(v)
    y[central] = _horner(_GILES_CENTRAL, w[central] - t(2.5))
    y[~central] = _horner(_GILES_TAIL, np.sqrt(w[~central]) - t(3))
    y *= v
    near_one = v > t(0.5)
    c, yc = y[~near_one], v[~near_one]
    precise = np.asarray(a).dtype == np.float64
    for _ in range(2 if precise else 1):   # Halley sobre erf: error³ por paso
        step = (erf(c) - yc) / (t(_TWO_OVER_SQRT_PI) * _exp_minus_square(c))
        c = c - step / (one + c * step)
    y[~near_one] = c
    # Cerca de ±1, Halley sobre log(erfc(y)) = log(1 - x): casi lineal aunque la primera
    # aproximación (la de Giles, pensada para float32) se aleje en la cola de float64
    c, log_target = y[near_one], np.log(one - v[near_one])   # 1 - x es exacto en [0.5, 1)
    for _ in range(3 if precise else 1):
        e = erfc(c)
        q = t(_TWO_OVER_SQRT_PI) * _exp_minus_square(c) / e
        g = (np.log(e) - log_target) / q
        c = c + g / (one + g * (q - t(2) * c) / t(2))
    y[near_one] = c
    out = np.where(ax == 1, t(np.inf), t(np.nan)).astype(x.dtype)
    out[inside] = y
    return np.copysign(out, x).astype(a.dtype, copy=False)


def _apply(fn, x):
    """``fn`` diferenciable si ``x`` es un Tensor (backward con create_graph=True)."""
    if hasattr(x, "_data"):
        return x._apply(fn, x)
    return {Erf: erf, Erfc: erfc, Erfinv: erfinv}[fn](x)


class Erf(Op):
    rule = "∂/∂a = 2/√π · exp(-a²)"
    rule_latex = r"\frac{\partial}{\partial a} = \frac{2}{\sqrt{\pi}}\, e^{-a^2}"
    local = ("2/√π·exp(-{a}²)",)

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return erf(a)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.saved[0]
        return grad * (np.exp(-(a * a)) * value(grad).dtype.type(_TWO_OVER_SQRT_PI))


class Erfc(Op):
    rule = "∂/∂a = -2/√π · exp(-a²)"
    rule_latex = r"\frac{\partial}{\partial a} = -\frac{2}{\sqrt{\pi}}\, e^{-a^2}"
    local = ("-2/√π·exp(-{a}²)",)

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return erfc(a)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.saved[0]
        return grad * (np.exp(-(a * a)) * value(grad).dtype.type(-_TWO_OVER_SQRT_PI))


class Erfinv(Op):
    """En ±1 el gradiente es inf y fuera de [-1, 1] nan, como PyTorch."""

    rule = "∂/∂a = √π/2 · exp(erfinv(a)²)"
    rule_latex = r"\frac{\partial}{\partial a} = \frac{\sqrt{\pi}}{2}\, e^{\mathrm{erfinv}(a)^2}"
    local = ("√π/2·exp({c}²)",)

    @staticmethod
    def forward(ctx, a):
        out = erfinv(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        out = ctx.saved[0]
        with np.errstate(over="ignore", invalid="ignore"):   # ±1: inf; fuera: nan (PyTorch)
            return grad * (np.exp(out * out) * value(grad).dtype.type(1 / _TWO_OVER_SQRT_PI))
