"""La derivada local de cada operación, para la traza y para los grafos de escalares.

Para cada operación hay:

- una regla general (``REGLAS``), la que un profesor escribe en la pizarra:
  ``Mul: ∂/∂a = b, ∂/∂b = a``;
- si es elemento a elemento, la derivada de la salida respecto a la entrada ``i`` escrita con
  los nombres del grafo (``∂c/∂a = b``) y su valor numérico, que usan las aristas de los
  grafos de escalares: ``∂c/∂a = b = 2.0 → +2.0``.
"""
import math

from .labels import contribucion, num

REGLAS = {
    "Add": "∂/∂a = 1, ∂/∂b = 1 (copia el gradiente a las dos entradas)",
    "Sub": "∂/∂a = 1, ∂/∂b = -1",
    "Mul": "∂/∂a = b, ∂/∂b = a",
    "Div": "∂/∂a = 1/b, ∂/∂b = -a/b²",
    "Neg": "∂/∂a = -1",
    "Pow": "∂/∂a = n·a^(n-1), ∂/∂n = aⁿ·ln(a)",
    "Exp": "∂/∂a = exp(a) (la propia salida)",
    "Log": "∂/∂a = 1/a",
    "Sqrt": "∂/∂a = 1/(2·√a)",
    "Abs": "∂/∂a = signo(a)",
    "Sin": "∂/∂a = cos(a)",
    "Cos": "∂/∂a = -sin(a)",
    "Tanh": "∂/∂a = 1 - tanh²(a)",
    "Sigmoid": "∂/∂a = σ(a)·(1 - σ(a))",
    "ReLU": "∂/∂a = 1 donde a > 0, 0 en el resto",
    "LeakyReLU": "∂/∂a = 1 donde a > 0, la pendiente negativa en el resto",
    "Clamp": "∂/∂a = 1 dentro del intervalo, 0 fuera",
    "Maximum": "∂ = 1 para la entrada mayor, 0 para la otra (la mitad si empatan)",
    "Minimum": "∂ = 1 para la entrada menor, 0 para la otra (la mitad si empatan)",
    "Where": "∂ = 1 donde se eligió esa entrada, 0 en el resto",
    "Cast": "∂/∂a = 1 (solo cambia el tipo)",
    "Clone": "∂/∂a = 1",
    "Reshape": "devuelve el gradiente a la forma de la entrada",
    "Permute": "aplica al gradiente la permutación inversa",
    "Expand": "suma el gradiente sobre las dimensiones expandidas",
    "GetItem": "coloca el gradiente en las posiciones elegidas (ceros en el resto)",
    "Cat": "corta el gradiente en trozos, uno por entrada",
    "Stack": "separa el gradiente, un trozo por entrada",
    "Sum": "∂/∂aᵢ = 1: copia el gradiente a cada elemento sumado",
    "Mean": "∂/∂aᵢ = 1/n: reparte el gradiente entre los n elementos",
    "Amax": "∂ = 1 en la posición del máximo (repartido si hay empates)",
    "Amin": "∂ = 1 en la posición del mínimo (repartido si hay empates)",
    "TakeAlongDim": "coloca el gradiente en los índices tomados",
    "MatMul": "∂/∂A = G·Bᵀ, ∂/∂B = Aᵀ·G",
    "Linear": "∂/∂x = G·W, ∂/∂W = Gᵀ·x, ∂/∂b = Σ filas de G",
    "LogSoftmax": "∂/∂x = G - softmax(x)·ΣG (por fila)",
    "Softmax": "∂/∂x = s ⊙ (G - Σ(G ⊙ s)) (por fila)",
    "MseLoss": "∂/∂ŷ = 2(ŷ - y)/n",
    "NllLoss": "∂/∂logpᵢ = -1/n en la clase correcta de cada fila, 0 en el resto",
    "BinaryCrossEntropy": "∂/∂p = (p - y) / (p(1 - p)) / n",
    "BinaryCrossEntropyWithLogits": "∂/∂z = (σ(z) - y) / n",
}

def regla(nombre):
    """Regla local de la operación ``nombre`` (o la de una ``Function`` del usuario)."""
    return REGLAS.get(nombre, f"el backward propio de {nombre}")


def _cuadrado(s):
    return f"{s}²" if s.isidentifier() else f"({s})²"


def _simbolica(nombre, i, e, c):
    """Derivada de la salida ``c`` respecto a la entrada ``i`` con los símbolos ``e``."""
    a = e[0]
    b = e[1] if len(e) > 1 else None
    tabla = {
        "Add": lambda: "1",
        "Sub": lambda: "1" if i == 0 else "-1",
        "Mul": lambda: b if i == 0 else a,
        "Div": lambda: f"1/{b}" if i == 0 else f"-{a}/{_cuadrado(b)}",
        "Neg": lambda: "-1",
        "Pow": lambda: f"{b}·{a}^({b} - 1)" if i == 0 else f"{c}·ln({a})",
        "Exp": lambda: f"exp({a}) = {c}",
        "Log": lambda: f"1/{a}",
        "Sqrt": lambda: f"1/(2·{c})",
        "Abs": lambda: f"signo({a})",
        "Sin": lambda: f"cos({a})",
        "Cos": lambda: f"-sin({a})",
        "Tanh": lambda: f"1 - {_cuadrado(c)}",
        "Sigmoid": lambda: f"{c}·(1 - {c})",
        "ReLU": lambda: f"1 si {a} > 0, si no 0",
        "Cast": lambda: "1",
        "Clone": lambda: "1",
        "Reshape": lambda: "1",
        "Sum": lambda: "1",
        "Mean": lambda: "1",
        "Expand": lambda: "1",
    }
    f = tabla.get(nombre)
    return f() if f is not None else None


def _valor(nombre, i, v, y):
    """Valor numérico de la derivada local (``v``: valores de las entradas, ``y``: salida)."""
    a = v[0]
    b = v[1] if len(v) > 1 else None
    tabla = {
        "Add": lambda: 1.0,
        "Sub": lambda: 1.0 if i == 0 else -1.0,
        "Mul": lambda: b if i == 0 else a,
        "Div": lambda: 1.0 / b if i == 0 else -a / (b * b),
        "Neg": lambda: -1.0,
        "Pow": lambda: b * a ** (b - 1) if i == 0 else y * math.log(a),
        "Exp": lambda: y,
        "Log": lambda: 1.0 / a,
        "Sqrt": lambda: 0.5 / y,
        "Abs": lambda: float((a > 0) - (a < 0)),
        "Sin": lambda: math.cos(a),
        "Cos": lambda: -math.sin(a),
        "Tanh": lambda: 1.0 - y * y,
        "Sigmoid": lambda: y * (1.0 - y),
        "ReLU": lambda: 1.0 if a > 0 else 0.0,
        "Cast": lambda: 1.0, "Clone": lambda: 1.0, "Reshape": lambda: 1.0,
        "Sum": lambda: 1.0, "Mean": lambda: 1.0, "Expand": lambda: 1.0,
    }
    f = tabla.get(nombre)
    if f is None or any(x is None for x in v[:2]) or (y is None and nombre in (
            "Pow", "Exp", "Sqrt", "Tanh", "Sigmoid")):
        return None
    try:
        return float(f())
    except (ArithmeticError, ValueError, TypeError):
        return None


def derivada_escalar(nombre, i, simbolos, salida, valores, valor_salida, g_entrante, g_arista,
                     fmt=num):
    """Texto ``∂c/∂a = b = 2.0 → +2.0`` para una arista entre escalares.

    ``simbolos``/``valores``: nombres y valores (float o ``None``) de las entradas;
    ``g_entrante``: gradiente que llegó a la salida; ``g_arista``: el que se envía a ``i``;
    ``fmt``: cómo se escriben los números (la traza los puede dejar en blanco).
    """
    derivada = f"∂{salida}/∂{simbolos[i]}"
    simbolica = _simbolica(nombre, i, simbolos, salida)
    local = _valor(nombre, i, valores, valor_salida)
    if local is None and g_entrante not in (None, 0):
        local = g_arista / g_entrante
    partes = [derivada]
    if simbolica is not None and not _es_numero(simbolica, local):
        partes.append(simbolica)
    if local is not None:
        partes.append(fmt(local))
    texto = " = ".join(partes)
    final = contribucion(g_arista) if fmt is num else fmt(g_arista)
    if g_entrante is not None and g_entrante != 1 and local is not None:
        # el gradiente que llegó por la derivada local: (-2.0)·(-3.0) = +6.0
        return f"{texto} → {_factor(g_entrante, fmt)}·{_factor(local, fmt)} = {final}"
    return f"{texto} → {final}"


def _es_numero(simbolica, valor):
    try:
        return valor is not None and float(simbolica) == valor
    except ValueError:
        return False


def _factor(x, fmt):
    texto = fmt(x)
    return f"({texto})" if texto.startswith("-") else texto
