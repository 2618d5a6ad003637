"""``fma(a, b, c) = a * b + c`` con un solo redondeo, elemento a elemento, con NumPy.

PyTorch usa la multiplicación-suma fusionada (FMA) de la CPU en varios núcleos: la suma escalada
``Tensor.add_(x, alpha=...)`` de los optimizadores y las cuentas de ``grid_sample`` (GCC
contrae ``a * b + c`` de los vectores AVX en una sola instrucción). NumPy no tiene FMA; aquí se
calcula con el mismo resultado:

- float32: en float64 (el producto de dos float32 es exacto en float64) y un solo redondeo
  final a float32 (medido contra PyTorch: los mismos bits en todos los casos probados).
- float64: el producto exacto se parte en dos float64 (``TwoProduct`` de Dekker) y se suma con
  ``TwoSum`` (Knuth): el resultado de la FMA salvo en casos límite de empate. Cuesta unas 20
  operaciones por elemento.
"""
import numpy as np

_SPLIT = 134217729.0     # 2**27 + 1: parte un float64 en dos mitades de 26 bits


def fma(a, b, c):
    """``a * b + c`` con un solo redondeo, en el dtype de punto flotante de ``c``."""
    c = np.asarray(c)
    dtype = np.result_type(np.asarray(a).dtype, np.asarray(b).dtype, c.dtype)
    if dtype == np.float32:
        wide = np.multiply(np.asarray(a, np.float64), np.asarray(b, np.float64))
        return np.add(wide, c, dtype=np.float64).astype(np.float32)
    if dtype != np.float64:
        return a * b + c
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    p = a * b
    t = _SPLIT * a
    ah = t - (t - a)
    al = a - ah
    t = _SPLIT * b
    bh = t - (t - b)
    bl = b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl      # p + e == a * b exactamente
    s = p + c
    bb = s - p
    err = (p - (s - bb)) + (c - bb)                         # s + err == p + c exactamente
    return s + (err + e)
