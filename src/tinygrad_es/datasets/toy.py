"""Conjuntos de juguete de los cursos: compuertas lógicas y el color de fuente sobre un fondo RGB."""
import numpy as np

from .._random import distributions as _dist
from .._random import get_generator
from ..tensor import _make

_GATES = {
    "AND": lambda ones, n: ones == n,
    "OR": lambda ones, n: ones >= 1,
    "XOR": lambda ones, n: ones % 2 == 1,
    "NAND": lambda ones, n: ones != n,
    "NOR": lambda ones, n: ones == 0,
}


def compuerta_logica(nombre, entradas=2):
    """Tabla de verdad de una compuerta lógica: ``(X float32 (2**n, n), y float32 (2**n, 1))``.

    ``nombre`` es 'AND', 'OR', 'XOR', 'NAND' o 'NOR' (da igual mayúsculas o minúsculas) y
    ``entradas`` el número de entradas (2 o 3 en los cursos). Las filas de X recorren todas las
    combinaciones de 0 y 1 en orden binario (00, 01, 10, 11). Con más de dos entradas, AND exige
    todas a 1, OR alguna, y XOR es la paridad: 1 si hay un número impar de unos.
    """
    key = str(nombre).upper()
    if key not in _GATES:
        raise ValueError(f"Compuerta desconocida {nombre!r}: usa una de {', '.join(_GATES)}.")
    if isinstance(entradas, bool) or not isinstance(entradas, (int, np.integer)) \
            or not 2 <= entradas <= 16:
        raise ValueError(f"entradas debe ser un entero entre 2 y 16 (2 o 3 en los cursos), "
                         f"pero vale {entradas!r}.")
    n = int(entradas)
    rows = np.arange(2 ** n)[:, None]
    X = ((rows >> np.arange(n - 1, -1, -1)) & 1).astype(np.float32)
    y = _GATES[key](X.sum(axis=1, dtype=np.int64), n).astype(np.float32)[:, None]
    return _make(X), _make(y)


def luminancia(rgb):
    """Luma de ITU-R BT.601: ``0.299 R + 0.587 G + 0.114 B`` (misma escala que ``rgb``)."""
    rgb = np.asarray(getattr(rgb, "_data", rgb), dtype=np.float64)
    return rgb @ np.array([0.299, 0.587, 0.114])


def fuente_clara(rgb):
    """1 si sobre el fondo ``rgb`` (enteros 0-255) se lee mejor una fuente clara, si no 0.

    Es la regla de ``colores_fuente``; se calcula con enteros (299 R + 587 G + 114 B < 128000)
    para que no haya redondeos justo en el umbral.
    """
    rgb = np.asarray(getattr(rgb, "_data", rgb))
    if rgb.dtype.kind == "f" or (rgb.size and (rgb.min() < 0 or rgb.max() > 255)):
        raise ValueError("fuente_clara espera colores RGB enteros de 0 a 255.")
    rgb = rgb.astype(np.int64)
    return (rgb @ np.array([299, 587, 114]) < 128_000).astype(np.float32)


def colores_fuente(n, generator=None):
    """Colores de fondo al azar y si la fuente debe ser clara: ``(X (n, 3), y (n, 1))`` float32.

    Cada color RGB tiene componentes enteras al azar de 0 a 255 (uniformes; con
    ``manual_seed`` o ``generator`` se repiten; son los de ``torch.randint(0, 256, (n, 3))``). ``X`` son esos colores divididos por 255
    (en [0, 1]). La etiqueta es 1 = **fuente clara** (para fondos oscuros) y 0 = fuente oscura.

    Regla (elección nuestra, documentada): fondo oscuro si su luma de ITU-R BT.601,
    ``0.299 R + 0.587 G + 0.114 B``, es menor que 128 (la mitad de la escala 0-255); la luma
    exactamente 128 cuenta como claro (fuente oscura). Se calcula con enteros, sin redondeos.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n debe ser un entero positivo (el número de colores), pero vale {n!r}.")
    gen = get_generator(generator)
    with gen._lock:   # como torch.randint(0, 256, (n, 3), generator=generator)
        rgb = _dist.integers(gen, int(n) * 3, 0, 256).reshape(int(n), 3)
    X = (rgb.astype(np.float32) / np.float32(255))
    y = fuente_clara(rgb)[:, None]
    return _make(X), _make(y)
