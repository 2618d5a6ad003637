"""Textos cortos para las etiquetas: números, formas, tipos y resúmenes de valores.

Todo lo que se lee en el dibujo pasa por aquí, para que el grafo, el árbol de texto y la
traza digan lo mismo con las mismas palabras (``forma``, ``tipo``, ``valor``, ``gradiente``).
"""
import html
import math
import re

import numpy as np


def num(x):
    """Número compacto con 4 cifras significativas: ``2.0``, ``-0.1235``, ``3.2e-08``."""
    if isinstance(x, (bool, np.bool_)):
        return "True" if x else "False"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0.0"
    texto = f"{x:.4g}"
    if "e" in texto:
        mantisa, exponente = texto.split("e")
        return f"{mantisa}e{int(exponente)}"
    return texto if "." in texto else texto + ".0"


def contribucion(x):
    """Un sumando de la regla de la cadena: ``+2.0`` o ``-1.5``."""
    texto = num(x)
    return texto if texto.startswith("-") else "+" + texto


def forma(shape):
    """``(4, 3)``, ``(3,)`` o ``()`` para un escalar."""
    shape = tuple(int(d) for d in shape)
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(str(d) for d in shape) + ")"


def tipo(dtype):
    """``float32``, ``int64``... (sin el prefijo del paquete)."""
    return np.dtype(dtype).name


def forma_y_tipo(shape, dtype):
    return f"forma {forma(shape)} · tipo {tipo(dtype)}"


def norma(array):
    """Norma euclídea (en float64, para no desbordar con float32)."""
    array = np.asarray(array)
    if array.dtype.kind not in "fc":
        array = array.astype(np.float64)
    return float(np.sqrt(np.sum(np.square(array, dtype=np.float64))))


def _anidado(array):
    if array.ndim == 0:
        return num(array.item())
    return "[" + ", ".join(_anidado(fila) for fila in array) + "]"


def _no_finitos(array):
    if array.dtype.kind not in "fc":
        return ""
    nan = int(np.isnan(array).sum())
    inf = int(np.isinf(array).sum())
    partes = [f"{n} {nombre}" for n, nombre in ((nan, "nan"), (inf, "inf")) if n]
    return (" ¡" + ", ".join(partes) + "!") if partes else ""


def resumen(array, max_elements=6):
    """Resumen compacto: todos los valores si hay pocos, si no mínimo, media y máximo."""
    array = np.asarray(array)
    if array.size == 0:
        return "vacío"
    if array.size <= max_elements:
        return _anidado(array)
    datos = array if array.dtype.kind in "fc" else array.astype(np.float64)
    finitos = datos[np.isfinite(datos)]
    if finitos.size == 0:
        return f"{array.size} elementos" + _no_finitos(array)
    return (f"mín {num(finitos.min())} · media {num(finitos.mean(dtype=np.float64))} · "
            f"máx {num(finitos.max())}" + _no_finitos(array))


def resumen_gradiente(array, max_elements=6):
    """Como ``resumen`` y, si hay más de un elemento, también la norma ``‖g‖``."""
    array = np.asarray(array)
    if array.size <= 1:
        return resumen(array, max_elements)
    texto = resumen(array, max_elements)
    return f"‖g‖ = {num(norma(array))} · {texto}"


def magnitud(array):
    """Texto corto para una arista: ``g = -0.5`` si es un escalar, si no la norma ``‖g‖``."""
    array = np.asarray(array)
    if array.size == 1:
        return f"g = {num(array.reshape(()).item())}"
    return f"‖g‖ = {num(norma(array))}"


# --- etiquetas HTML de graphviz ------------------------------------------------
def esc(texto):
    return html.escape(str(texto), quote=True)


ANCHO = 46   # caracteres por línea en las etiquetas antes de partirlas


def partir(texto, ancho=ANCHO):
    """Parte una línea larga por ``, `` o `` · `` en trozos de ``ancho`` caracteres o menos."""
    if len(texto) <= ancho:
        return [texto]
    piezas = re.split(r"(?<=, )|(?<= · )", texto)
    lineas, actual = [], ""
    for pieza in piezas:
        if actual and len(actual) + len(pieza) > ancho:
            lineas.append(actual.rstrip())
            actual = "  " + pieza
        else:
            actual += pieza
    lineas.append(actual.rstrip())
    return lineas


def etiqueta(titulo, lineas=(), subtitulo=None):
    """Etiqueta HTML de graphviz: título en negrita y líneas pequeñas (partidas si son largas).

    ``lineas`` es una lista de textos o de pares ``(texto, color)``.
    """
    cabeza = f"<B>{esc(titulo)}</B>"
    if subtitulo:
        cabeza += f' <FONT COLOR="#6c757d">{esc(subtitulo)}</FONT>'
    partes = [cabeza]
    for linea in lineas:
        texto, color = (linea, None) if isinstance(linea, str) else linea
        atributo = f' COLOR="{color}"' if color else ""
        for trozo in partir(texto):
            partes.append(f'<FONT POINT-SIZE="10"{atributo}>{esc(trozo)}</FONT>')
    return "<" + "<BR/>".join(partes) + ">"
