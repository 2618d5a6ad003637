"""Comprobaciones comunes de los optimizadores añadidos (Adagrad, Adadelta, Adamax, NAdam, RAdam,
Rprop, ASGD): los argumentos que PyTorch acepta por rendimiento o por el dispositivo, y la suma
escalada con un solo redondeo de ``Tensor.add_(x, alpha=...)``."""
import numpy as np


def check_torch_only_flags(name, foreach=None, differentiable=False, capturable=False,
                           fused=None):
    """``foreach`` se acepta sin efecto (aquí siempre se actualiza parámetro a parámetro con
    NumPy); ``differentiable``, ``capturable`` y ``fused`` solo existen para GPU o para
    derivar a través del optimizador, que tinygrad_es no hace."""
    for flag, value in (("differentiable", differentiable), ("capturable", capturable),
                        ("fused", fused)):
        if value:
            raise ValueError(
                f"{name}({flag}=True) no está disponible en tinygrad_es: las actualizaciones se "
                f"hacen en la CPU con NumPy y fuera del grafo. Quita {flag}=True.")


def check_non_negative(**values):
    for key, value in values.items():
        if not 0.0 <= value:
            raise ValueError(f"Valor no válido para {key}: {value}. Debe ser mayor o igual que 0.")


def add_scaled_(out, x, alpha):
    """``out += alpha * x`` en el sitio con un solo redondeo, como ``out.add_(x, alpha=alpha)``
    de PyTorch en la CPU (que usa una multiplicación-suma fusionada, FMA).

    - float32: se calcula en float64 (el producto de dos float32 es exacto en float64) y se
      redondea una vez: el mismo bit que PyTorch (medido: 0 diferencias en 15.000 casos, frente
      a un 40-60 % de elementos con un bit distinto al multiplicar y sumar por separado).
    - float64: el producto exacto se parte en dos float64 (``TwoProduct`` de Dekker) y se suma
      con ``TwoSum`` (Knuth): el resultado es el de la FMA salvo en casos límite de empate.
      Cuesta unas 20 operaciones por elemento: solo lo usan L-BFGS y ASGD.
    """
    if out.dtype == np.float32:
        wide = x.astype(np.float64)
        np.multiply(wide, np.float64(np.float32(alpha)), out=wide)
        np.add(wide, out, out=wide)
        np.copyto(out, wide, casting="same_kind")
    elif out.dtype == np.float64:
        _fma64_(out, np.asarray(x, dtype=np.float64), float(alpha))
    else:
        np.add(out, np.multiply(x, out.dtype.type(alpha)), out=out)
    return out


_SPLIT = 134217729.0     # 2**27 + 1: parte un float64 en dos mitades de 26 bits


def _fma64_(out, x, alpha):
    """``out = fma(x, alpha, out)`` en float64 con transformaciones sin error."""
    p = x * alpha
    t = _SPLIT * x
    xh = t - (t - x)
    xl = x - xh
    t_a = _SPLIT * alpha
    ah = t_a - (t_a - alpha)
    al = alpha - ah
    e = ((xh * ah - p) + xh * al + xl * ah) + xl * al      # p + e == x * alpha exactamente
    s = p + out
    bb = s - p
    err = (p - (s - bb)) + (out - bb)                       # s + err == p + out exactamente
    np.add(s, err + e, out=out)
