"""Aritmética elemento a elemento (+, -, *, /, //, potencia) y cambios de tipo: forward y
backward juntos. Las funciones de una entrada están en ``unary.py``; las que eligen por máscara
(relu, clamp, maximum, where), en ``selection.py``.

Las entradas pueden tener formas difundibles; los gradientes se devuelven con la
forma difundida y el motor los reduce a la de cada entrada.
"""
import numpy as np

from .base import Op

BOOL_SUB_BOTH = (
    "La resta (el operador -) de dos tensores bool no está definida. Usa el operador ^ o "
    "logical_xor() (o convierte antes con .int() o .float()).")
BOOL_SUB_ONE = (
    "La resta (el operador -) con un tensor bool no está definida. Si quieres invertir una "
    "máscara, usa el operador ~ o logical_not(); si quieres números, convierte antes con "
    ".int() o .float().")


class Add(Op):
    rule = "∂/∂a = 1, ∂/∂b = 1 (copia el gradiente a las dos entradas)"
    rule_latex = (r"\frac{\partial}{\partial a} = 1,\quad \frac{\partial}{\partial b} = 1 \text{ "
                  r"(copia el gradiente a las dos entradas)}")
    local = ("1", "1")

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class Sub(Op):
    rule = "∂/∂a = 1, ∂/∂b = -1"
    rule_latex = r"\frac{\partial}{\partial a} = 1,\quad \frac{\partial}{\partial b} = -1"
    local = ("1", "-1")

    @staticmethod
    def forward(ctx, a, b):
        try:
            return a - b
        except TypeError:   # bool - bool: NumPy tampoco lo admite
            if getattr(a, "dtype", None) == np.bool_ or getattr(b, "dtype", None) == np.bool_:
                raise RuntimeError(BOOL_SUB_BOTH) from None
            raise

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b = ctx.needs_input_grad
        return grad, (-grad if need_b else None)


class Mul(Op):
    rule = "∂/∂a = b, ∂/∂b = a"
    rule_latex = r"\frac{\partial}{\partial a} = b,\quad \frac{\partial}{\partial b} = a"
    local = ("{b}", "{a}")

    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(b if need_a else None, a if need_b else None)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        b, a = ctx.saved
        return (grad * b if b is not None else None), (grad * a if a is not None else None)


class Div(Op):
    rule = "∂/∂a = 1/b, ∂/∂b = -a/b²"
    rule_latex = (r"\frac{\partial}{\partial a} = \frac{1}{b},\quad \frac{\partial}{\partial b} = "
                  r"-\frac{a}{b^2}")
    local = ("1/{b}", "-{a}/{b}²")

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        return a / b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        ga = grad / b if need_a else None
        gb = -grad * a / (b * b) if need_b else None
        return ga, gb


def divide_checked(func, a, b, name):
    """``func(a, b)`` (división entera o resto); con enteros, dividir entre 0 es un error.

    Como PyTorch: con enteros lanza RuntimeError (NumPy devolvería 0 con un aviso); con
    números de punto flotante da inf o nan en silencio.
    """
    kind = np.result_type(a, b).kind
    if kind in "iub":
        try:
            with np.errstate(divide="raise"):
                return func(a, b)
        except FloatingPointError:
            raise RuntimeError(
                f"División entera entre cero en {name}: con tensores de enteros no hay "
                "resultado (PyTorch lanza ZeroDivisionError). Comprueba que el divisor no "
                "tenga ceros o convierte antes a punto flotante con .float() (da inf o nan)."
            ) from None
    with np.errstate(divide="ignore", invalid="ignore"):
        return func(a, b)


def _trunc_divide(a, b):
    if np.result_type(a, b).kind == "f":
        return np.trunc(a / b)
    quotient, remainder = np.divmod(a, b)   # floor; trunc = floor + 1 si es negativo e inexacto
    return quotient + ((remainder != 0) & ((np.asarray(a) < 0) != (np.asarray(b) < 0)))


class DivRounding(Op):
    """``div(a, b, rounding_mode='floor' | 'trunc')``: gradiente 0 (escalonada), como PyTorch."""

    torch_name = "DivBackward2"
    rule = "∂/∂a = 0, ∂/∂b = 0 (el redondeo da una función escalonada)"
    rule_latex = (r"\frac{\partial}{\partial a} = 0,\quad \frac{\partial}{\partial b} = 0 \text{ "
                  r"(el redondeo da una función escalonada)}")
    local = ("0", "0")

    @staticmethod
    def forward(ctx, a, b, rounding_mode="floor"):
        func = np.floor_divide if rounding_mode == "floor" else _trunc_divide
        return np.asarray(divide_checked(func, a, b, f"div(rounding_mode={rounding_mode!r})"))

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b = ctx.needs_input_grad
        zeros = np.zeros_like(grad)
        return (zeros if need_a else None), (zeros if need_b else None)


class Neg(Op):
    rule = "∂/∂a = -1"
    rule_latex = r"\frac{\partial}{\partial a} = -1"
    local = ("-1",)

    @staticmethod
    def forward(ctx, a):
        try:
            return -a
        except TypeError:
            if a.dtype == np.bool_:
                raise RuntimeError(
                    "La negación (el operador -) no está definida para tensores bool. Si "
                    "quieres invertir una máscara, usa el operador ~ o logical_not().") from None
            raise

    @staticmethod
    def backward(ctx, grad):
        return -grad


def _pow(a, b):
    """``a ** b`` con el atajo de PyTorch para el exponente escalar -0.5 (1/sqrt: -0.0 -> -inf)."""
    if not isinstance(b, np.ndarray) and b == -0.5:
        return 1 / np.sqrt(a)
    return a ** b


class Pow(Op):
    """``a ** b`` con los gradientes de PyTorch en los bordes.

    - Exponente 0: gradiente 0 en todas partes (también en a = 0, donde la fórmula da nan).
    - ``0 ** p``: p·0^(p-1), es decir 0 (p > 1), 1 (p = 1), inf (0 < p < 1), -inf (p < 0).
    - Respecto del exponente: 0 donde a = 0 y b >= 0; a ** b · log(a) en el resto (nan con
      base negativa, como PyTorch).
    """

    rule = "∂/∂a = n·a^(n-1), ∂/∂n = aⁿ·ln(a)"
    rule_latex = (r"\frac{\partial}{\partial a} = n\,a^{n-1},\quad \frac{\partial}{\partial n} = "
                  r"a^n \ln(a)")
    local = ("{b}·{a}^({b} - 1)", "{c}·ln({a})")

    @staticmethod
    def torch_name(node):   # x ** 2, x ** t, 2 ** x
        return "PowBackward" + str(node.kind)

    @staticmethod
    def forward(ctx, a, b):
        array = np.ndarray   # (isinstance: también los arrays que apunta compile)
        ctx.kind = 0 if not isinstance(b, array) else (2 if not isinstance(a, array) else 1)
        try:
            if not isinstance(b, np.ndarray) and b >= 0 and b % 1 == 0:   # 2, 3: sin avisos
                out = a ** b
            else:   # 0 ** -1 = inf y (-8) ** 0.5 = nan, en silencio como PyTorch
                with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                    out = _pow(a, b)
        except ValueError as exc:   # NumPy: "Integers to negative integer powers..."
            if "negative integer powers" in str(exc):
                raise RuntimeError(
                    "No se puede elevar un tensor de enteros a una potencia entera negativa "
                    "(el resultado no es entero). Convierte antes la base con .float().") from None
            raise
        ctx.save_for_backward(a, b, out if ctx.needs_input_grad[1] else None)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved
        need_a, need_b = ctx.needs_input_grad
        ga = gb = None
        scalar = not isinstance(b, np.ndarray) and not hasattr(b, "_data")   # exponente escalar
        if need_a and scalar and b == 2:   # x ** 2, el caso de la pizarra: a ** 1 = a, sin
            ga = grad * (b * a)            # avisos posibles (sin errstate)
        elif need_a:
            with np.errstate(divide="ignore", invalid="ignore"):   # 0 ** -0.5 = inf, como torch
                if scalar:
                    ga = np.zeros_like(a * grad) if b == 0 else grad * (b * _pow(a, b - 1))
                else:
                    ga = np.where(b == 0, 0, grad * (b * a ** (b - 1)))
        if need_b:
            with np.errstate(divide="ignore", invalid="ignore"):
                local = np.where((a == 0) & (b >= 0), 0, out * np.log(a))
            gb = grad * local
        return ga, gb


class Cast(Op):
    """Cambio de dtype: el motor devuelve el gradiente al dtype de la entrada."""

    torch_name = "ToCopyBackward0"
    rule = "∂/∂a = 1 (solo cambia el tipo)"
    rule_latex = r"\frac{\partial}{\partial a} = 1 \text{ (solo cambia el tipo)}"
    local = ("1",)

    @staticmethod
    def forward(ctx, a, dtype=None):
        return a.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad


class Clone(Op):
    rule = "∂/∂a = 1"
    rule_latex = r"\frac{\partial}{\partial a} = 1"
    local = ("1",)

    @staticmethod
    def forward(ctx, a):
        return a.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad
