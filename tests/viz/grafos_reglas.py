"""Grafos pequeños para comparar la traza y los dibujos con los textos de antes.

Cada función construye un grafo con valores fijos (sin semillas: nada depende del generador
aleatorio), lo recorre hacia atrás con ``viz`` y devuelve sus textos: la traza (texto, Markdown
y LaTeX) y el DOT de los dibujos. ``esperados_reglas.py`` guarda los mismos textos producidos
por el código anterior (el de las tablas de ``viz/derivatives.py``).
"""
import tinygrad_es as torch
from tinygrad_es import nn, viz


def _textos(salida, params=None, model=None, dibujar_forward=False):
    traza = viz.trace_backward(salida, params=params, model=model, retain_graph=True,
                               imprimir=False)
    textos = {
        "texto": traza.como("texto"),
        "markdown": traza.como("markdown"),
        "latex": traza.como("latex"),
        "dot_atras": viz.draw_backward(salida, params=params, model=model).source,
    }
    if dibujar_forward:
        textos["dot_adelante"] = viz.draw_graph(salida, params=params, model=model).source
    return textos


def _escalar(valor):
    return torch.tensor(valor, requires_grad=True)


def grafo_mul():
    """El ejemplo de micrograd: L = (a·b + c)·f."""
    a, b, c, f = _escalar(2.0), _escalar(-3.0), _escalar(10.0), _escalar(-2.0)
    with viz.registrar():
        e = a * b
        d = e + c
        L = d * f
    return _textos(L, {"a": a, "b": b, "c": c, "f": f, "e": e, "d": d, "L": L})


def grafo_div():
    """y = x / (w·z): el divisor es un símbolo compuesto, con nombre (w·z) y sin él (Mul#1)."""
    x, w, z = _escalar(1.5), _escalar(2.0), _escalar(-0.5)
    with viz.registrar():
        wz = w * z
        y = x / wz
        L = y * 3.0
    con_nombre = _textos(L, {"x": x, "w": w, "z": z, "w·z": wz, "y": y, "L": L})
    x.grad = w.grad = z.grad = None
    with viz.registrar():
        y = x / (w * z)
        L = y - x
    sin_nombre = _textos(L, {"x": x, "w": w, "z": z})
    return {"con_nombre": con_nombre, "sin_nombre": sin_nombre}


def grafo_sigmoid():
    """s = σ(tanh(x)) y una rama que llega con gradiente 0 (r = σ(x)·0)."""
    x = _escalar(0.5)
    with viz.registrar():
        t = torch.tanh(x)
        s = torch.sigmoid(t)
        r = torch.sigmoid(x) * 0.0
        L = s + r
    return _textos(L, {"x": x, "t": t, "s": s, "r": r, "L": L})


def grafo_pow():
    """x³ (exponente constante), x^n (exponente tensor) y exp, log, sqrt de un escalar."""
    x, n = _escalar(1.5), _escalar(2.0)
    with viz.registrar():
        p = x ** 3
        q = x ** n
        e = torch.exp(q)
        l = torch.log(p)
        r = torch.sqrt(e)
        L = l + r
    return _textos(L, {"x": x, "n": n, "p": p, "q": q, "e": e, "l": l, "r": r, "L": L})


def grafo_sum():
    """Sumas: de un tensor de un elemento (arista escalar) y de un vector (normas)."""
    u = torch.tensor([2.0], requires_grad=True)
    v = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    with viz.registrar():
        s = (u * u).sum()
        m = (v * 2.0).mean()
        L = s - m
    return _textos(L, {"u": u, "v": v, "s": s, "m": m, "L": L}, dibujar_forward=True)


class RedXOR(nn.Module):
    """La red de examples/xor_grafos.py: 2 -> 3 (sigmoide) -> 1 (sigmoide)."""

    def __init__(self):
        super().__init__()
        self.stack = nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 1), nn.Sigmoid())

    def forward(self, x):
        return self.stack(x)


def grafo_xor():
    """Un paso registrado de la red XOR con pesos fijos, como en examples/xor_grafos.py."""
    modelo = RedXOR()
    pesos = {"stack.0.weight": [[5.5, -5.0], [-4.5, 5.0], [3.0, 3.5]],
             "stack.0.bias": [-2.5, -2.0, -1.0],
             "stack.2.weight": [[7.0, 6.5, -4.0]],
             "stack.2.bias": [-3.0]}
    with torch.no_grad():
        for nombre, p in modelo.named_parameters():
            p.copy_(torch.tensor(pesos[nombre]))
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    with viz.registrar():
        perdida = nn.MSELoss()(modelo(X), Y)
    return _textos(perdida, {"X": X, "Y": Y, "perdida": perdida}, modelo,
                   dibujar_forward=True)


GRAFOS = {"mul": grafo_mul, "div": grafo_div, "sigmoid": grafo_sigmoid, "pow": grafo_pow,
          "sum": grafo_sum, "xor": grafo_xor}
