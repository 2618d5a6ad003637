"""La derivada local de cada nodo, para la traza y para los grafos de escalares.

Aquí no se deriva nada: cada operación lleva su derivada escrita junto a su ``backward``
(``ops/``), y viz solo la lee y la rellena con lo que el registro vio pasar:

- la regla general (``op.rule``, ``op.rule_latex``), la que un profesor escribe en la pizarra:
  ``∂/∂a = b, ∂/∂b = a``;
- si es elemento a elemento, la derivada de la salida respecto a la entrada ``i`` con los
  nombres del grafo (la plantilla ``op.local[i]``: ``∂c/∂a = b``);
- su valor numérico, que es el cociente de los gradientes registrados: el que se envió a la
  entrada ``i`` entre el que llegó al nodo (``∂c/∂a = b = 2.0 → +2.0``).
"""
import math
import re

from .labels import contribucion, num


def regla(nodo):
    """Regla local del nodo: la de su operación (o la de una ``Function`` del usuario)."""
    rule = getattr(nodo.op, "rule", None)
    return rule or f"el backward propio de {nodo.op_name}"


def regla_latex(nodo):
    """La regla en LaTeX (modo matemático, sin ``$``), o ``None`` si la operación no la tiene."""
    return getattr(nodo.op, "rule_latex", None) or None


_HUECO = re.compile(r"\{([abc])\}(²?)")


def _simple(simbolo):
    """¿Es un nombre de una pieza (``x``, ``w1``)? ``w·z``, ``hoja#1`` o ``-2.0`` no lo son."""
    return simbolo.isidentifier() and all(c.isalnum() or c == "_" for c in simbolo)


def simbolica(plantilla, simbolos, salida):
    """Rellena una plantilla de ``op.local``: ``{a}``/``{b}`` entradas, ``{c}`` la salida.

    Un símbolo compuesto elevado al cuadrado va entre paréntesis: ``-{a}/{b}²`` con ``b = w·z``
    da ``-x/(w·z)²``.
    """
    nombres = {"a": simbolos[0], "b": simbolos[1] if len(simbolos) > 1 else "?", "c": salida}

    def poner(m):
        simbolo, cuadrado = nombres[m.group(1)], m.group(2)
        if cuadrado and not _simple(simbolo):
            simbolo = f"({simbolo})"
        return simbolo + cuadrado
    return _HUECO.sub(poner, plantilla)


def _plantilla(op, i):
    local = getattr(op, "local", None)
    return local[i] if local is not None and i < len(local) else None


def derivada_escalar(op, i, simbolos, salida, g_entrante, g_arista, fmt=num):
    """Texto ``∂c/∂a = b = 2.0 → +2.0`` para una arista entre escalares.

    ``op``: la clase de la operación; ``simbolos``: nombres de sus entradas; ``salida``: el de
    su salida; ``g_entrante``: gradiente que llegó a la salida; ``g_arista``: el que se envió a
    la entrada ``i``; ``fmt``: cómo se escriben los números (la traza los puede dejar en blanco).
    La derivada local vale ``g_arista / g_entrante``; si no llegó gradiente (0) solo se escribe
    su forma simbólica.
    """
    derivada = f"∂{salida}/∂{simbolos[i]}"
    plantilla = _plantilla(op, i)
    formula = simbolica(plantilla, simbolos, salida) if plantilla is not None else None
    local = None
    if g_entrante is not None and g_entrante != 0 and math.isfinite(g_entrante):
        local = g_arista / g_entrante
    partes = [derivada]
    if formula is not None and not _es_numero(formula, local):
        partes.append(formula)
    if local is not None:
        partes.append(fmt(local))
    texto = " = ".join(partes)
    final = contribucion(g_arista) if fmt is num else fmt(g_arista)
    if g_entrante is not None and g_entrante != 1 and local is not None:
        # el gradiente que llegó por la derivada local: (-2.0)·(-3.0) = +6.0
        return f"{texto} → {_factor(g_entrante, fmt)}·{_factor(local, fmt)} = {final}"
    return f"{texto} → {final}"


def _es_numero(formula, valor):
    try:
        return valor is not None and float(formula) == valor
    except ValueError:
        return False


def _factor(x, fmt):
    texto = fmt(x)
    return f"({texto})" if texto.startswith("-") else texto
