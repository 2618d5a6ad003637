"""Vista hacia atrás: cada arista lleva el gradiente que viajó por ella.

Las aristas se dibujan con la punta hacia la entrada (``dir=back``): el dibujo conserva la
misma disposición que el forward, pero las flechas van de la salida a las hojas. La etiqueta
es el valor (escalares) o la norma ``‖g‖``; el grosor crece con la magnitud (en escala
logarítmica entre la menor y la mayor del grafo); los gradientes que se desvanecen
(``< vanishing``) van en rojo discontinuo y los que explotan (``> exploding``) en naranja.
En grafos de escalares la etiqueta es el paso de la regla de la cadena:
``∂c/∂a = b = 2.0 → +2.0``.
"""
import math

import numpy as np

from .derivatives import derivada_escalar
from .labels import magnitud, norma, num
from .nodes import COLOR_DESVANECE, COLOR_EXPLOTA, COLOR_GRAD


class Escala:
    """Grosor de arista según la magnitud del gradiente (logarítmica, entre 1 y 6)."""

    def __init__(self, normas, vanishing):
        utiles = [n for n in normas if n >= vanishing and math.isfinite(n)]
        self.bajo = math.log(min(utiles)) if utiles else 0.0
        self.alto = math.log(max(utiles)) if utiles else 0.0

    def grosor(self, n):
        if self.alto - self.bajo < 1e-9:
            return 2.5
        t = (math.log(n) - self.bajo) / (self.alto - self.bajo)
        return 1.0 + 5.0 * min(max(t, 0.0), 1.0)


def con_margen(texto, grosor):
    """``texto`` con unos espacios delante de cada línea, según el grosor de la arista.

    dot coloca la etiqueta de una arista pegada a su lado derecho, sin contar el grosor: una
    arista gruesa taparía el primer carácter (``‖g‖`` se leía ``g‖``).
    """
    margen = " " * (2 if grosor < 3.5 else 3)
    return margen + texto.replace("\\n", "\\n" + margen)


def estilo(g, escala, op_, texto):
    """Atributos de graphviz para una arista que lleva el gradiente ``g``.

    Apunta en ``op_.vistos`` la clase de arista dibujada (para que la leyenda la explique).
    """
    n = norma(g)
    if not math.isfinite(n) or n > op_.exploding:
        op_.vistos.add("explota")
        return {"label": con_margen(f"{texto}  ¡explota!", 6), "color": COLOR_EXPLOTA,
                "fontcolor": COLOR_EXPLOTA, "penwidth": "6", "dir": "back"}
    if n < op_.vanishing:
        op_.vistos.add("desvanece")
        return {"label": con_margen(f"{texto}  (se desvanece)", 1.5), "color": COLOR_DESVANECE,
                "fontcolor": COLOR_DESVANECE, "penwidth": "1.5", "style": "dashed",
                "dir": "back"}
    op_.vistos.add("flujo_gradiente")
    grosor = escala.grosor(n)
    return {"label": con_margen(texto, grosor), "color": COLOR_GRAD, "fontcolor": COLOR_GRAD,
            "penwidth": f"{grosor:.2f}", "dir": "back"}


SIN_DATO = {"dir": "back", "color": "#adb5bd"}   # hubo gradiente, pero no se registró
SIN_GRADIENTE = {"style": "dotted", "arrowhead": "none", "color": "#adb5bd"}   # datos X, Y


def _escalar(array):
    if array is None:
        return None
    array = np.asarray(array)
    return float(array.reshape(()).item()) if array.size == 1 else None


def etiqueta_arista(vista, op, posicion, g):
    """Texto de la arista ``op → entrada posicion``: derivada local en grafos de escalares.

    La derivada y la contribución van en dos líneas para que las etiquetas no se pisen.
    """
    texto = derivada_de_arista(vista, op, posicion, g)
    if texto is None:
        return magnitud(g)
    derivada, _, contribucion = texto.partition(" → ")
    return f"{derivada}\\n→ {contribucion}" if contribucion else derivada


def derivada_de_arista(vista, op, posicion, g, fmt=num):
    """``∂c/∂a = b = 2.0 → +2.0`` si la salida de ``op`` y la entrada son escalares; si no, None.

    La fórmula es la de la operación (``op.op.local``); el número, el cociente de los
    gradientes registrados (el enviado a la entrada entre el que llegó al nodo).
    """
    reg = vista.reg[op]
    g_arista = _escalar(g)
    g_entrante = _escalar(reg.gradiente) if reg is not None else None
    if g_arista is None or g_entrante is None:
        return None
    entradas = reg.entradas or (None,) * len(op.parents)
    simbolos = [vista.simbolo(padre) if padre is not None else
                vista.simbolo_constante(constante) if constante is not None else "?"
                for padre, constante in zip(op.parents, entradas)]
    return derivada_escalar(op.op, posicion, simbolos, vista.simbolo(op), g_entrante, g_arista,
                            fmt)


def gradientes_de_aristas(vista):
    """``[(op, posición, padre, gradiente)]`` registrados en el último backward."""
    aristas = []
    for op in vista.ops:
        reg = vista.reg[op]
        if reg is None or not reg.aristas:
            continue
        for posicion, padre in enumerate(op.parents):
            if padre is not None and posicion in reg.aristas:
                aristas.append((op, posicion, padre, reg.aristas[posicion]))
    return aristas


def etiqueta_semilla(vista, raiz):
    """Arista salida → última operación: el gradiente con el que empieza el backward."""
    reg = vista.reg.get(raiz) if raiz is not None else None
    if reg is None or reg.gradiente is None:
        return None
    g = reg.gradiente
    valor = _escalar(g)
    if valor is not None:
        s = vista.simbolo(raiz)
        return g, f"inicio: ∂{s}/∂{s} = {num(valor)}"
    return g, f"gradiente inicial: {magnitud(g)}"
