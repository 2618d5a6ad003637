"""La traza y los dibujos leen la derivada de cada operación (``op.rule``, ``op.local``).

Antes ``viz/derivatives.py`` tenía sus propias tablas por operación y volvía a derivar para
obtener el valor numérico. Ahora lee la regla de la operación y toma el número de los
gradientes registrados (``g_arista / g_entrante``). Estos tests comparan los textos de ahora
con los que producía aquel código (``esperados_reglas.ANTES``, generados en el commit 3ab4f6a).
"""
import importlib
import pathlib
import pkgutil
import re

import pytest

import tinygrad_es
import tinygrad_es.ops
from tinygrad_es.ops.base import Op
from tinygrad_es.viz.trace import _tex

from esperados_reglas import ANTES
from grafos_reglas import GRAFOS

# Diferencias legítimas con los textos de antes: (grafo, texto de antes, texto de ahora).
CAMBIOS = [
    # Un símbolo compuesto elevado al cuadrado va entre paréntesis. Antes «w·z» pasaba por un
    # nombre simple (para Python, «·» puede ir dentro de un identificador) y salía «-x/w·z²»,
    # que se lee como -x/w·(z²).
    ("div", "-x/w·z²", "-x/(w·z)²"),
    ("div", r"-x/w$\cdot$z$^2$", r"-x/(w$\cdot$z)$^2$"),
    # Si al nodo llega un gradiente 0, la derivada local ya no tiene número: es el cociente
    # g_arista / g_entrante, y 0/0 no dice nada. Se escribe solo su fórmula. (Antes viz volvía
    # a derivar la sigmoide con los valores y escribía 0.235 → 0.0·0.235 = +0.0.)
    ("sigmoid", "Sigmoid#3·(1 - Sigmoid#3) = 0.235 → 0.0·0.235 = +0.0",
     "Sigmoid#3·(1 - Sigmoid#3) → +0.0"),
    ("sigmoid", "Sigmoid#3·(1 - Sigmoid#3) = 0.235\\n→ 0.0·0.235 = +0.0",
     "Sigmoid#3·(1 - Sigmoid#3)\\n→ +0.0"),
    ("sigmoid", r"Sigmoid\#3$\cdot$(1 - Sigmoid\#3) = 0.235 $\to$ 0.0$\cdot$0.235 = +0.0",
     r"Sigmoid\#3$\cdot$(1 - Sigmoid\#3) $\to$ +0.0"),
]


# Cambios de presentación en los DOT, los mismos en todos los grafos: la etiqueta de cada arista
# lleva delante unos espacios (dot la pega a la arista y una arista gruesa tapaba su primer
# carácter) y, si la arista es horizontal (parámetro al lado de su operación), una línea en blanco
# debajo; la leyenda lista solo lo que hay en cada dibujo y los nodos del camino de los datos
# llevan group=principal (van en una columna recta). Se quitan de los dos lados antes de
# comparar; test_viz_backward.py y test_viz_leyenda.py comprueban el margen, la leyenda y el grupo.
_MARGEN = re.compile(r'(label="|\\n) +')
_LEYENDA = re.compile(r"^\t\tleyenda \[label=.*\n", flags=re.M)


def _sin_presentacion(texto):
    if not texto.startswith("digraph"):
        return texto
    texto = texto.replace(" group=principal", "").replace('\\n "', '"')
    return _LEYENDA.sub("", _MARGEN.sub(r"\1", texto))


def _subclases(clase):
    for sub in clase.__subclasses__():
        yield sub
        yield from _subclases(sub)


def _ops():
    """Las operaciones concretas (las bases abstractas empiezan por ``_``: ``_Extreme``)."""
    for modulo in pkgutil.iter_modules(tinygrad_es.ops.__path__):
        importlib.import_module(f"tinygrad_es.ops.{modulo.name}")
    return {c.__name__: c for c in _subclases(Op) if not c.__name__.startswith("_")}


def _esperado(grafo, antes):
    """Los textos de antes con los ``CAMBIOS`` de ese grafo aplicados."""
    if isinstance(antes, dict):
        return {k: _esperado(grafo, v) for k, v in antes.items()}
    for g, viejo, nuevo in CAMBIOS:
        if g == grafo:
            antes = antes.replace(viejo, nuevo)
    return antes


def _filas_latex(texto):
    return [linea.split(" & ") for linea in texto.splitlines() if linea.count(" & ") == 4]


def _comparar_latex(ahora, antes):
    """Igual que antes salvo la columna de la regla: ahora es ``$op.rule_latex$``.

    Antes se escapaba la regla de texto símbolo a símbolo (``$\\partial$/$\\partial$a = b``);
    ahora cada operación trae la suya en LaTeX. Se comprueba también que la de antes era la
    ``op.rule`` de ahora.
    """
    ops = _ops()
    filas_ahora, filas_antes = _filas_latex(ahora), _filas_latex(antes)
    assert len(filas_ahora) == len(filas_antes) > 1
    assert ahora.splitlines()[:4] == antes.splitlines()[:4]
    for nueva, vieja in zip(filas_ahora[1:], filas_antes[1:]):
        assert nueva[:3] + nueva[4:] == vieja[:3] + vieja[4:]
        if nueva[3] != vieja[3]:
            op = ops[nueva[1].split(" ")[0]]
            assert nueva[3] == f"${op.rule_latex}$"
            assert vieja[3] == _tex(op.rule)


@pytest.mark.parametrize("grafo", sorted(GRAFOS))
def test_mismos_textos_que_antes(grafo):
    ahora = GRAFOS[grafo]()
    esperado = _esperado(grafo, ANTES[grafo])
    if "texto" in esperado:   # grafos con una sola variante: un nivel menos
        ahora, esperado = {"": ahora}, {"": esperado}
    assert ahora.keys() == esperado.keys()
    for variante in esperado:
        a, e = ahora[variante], esperado[variante]
        assert a.keys() == e.keys()
        for clave in e:
            if clave == "latex":
                _comparar_latex(a[clave], e[clave])
            else:
                assert _sin_presentacion(a[clave]) == _sin_presentacion(e[clave]), (variante, clave)


def test_los_cambios_existen_en_los_textos_de_antes():
    """Cada diferencia declarada aparece en la salida de antes (si no, sobra en CAMBIOS)."""
    for grafo, viejo, _ in CAMBIOS:
        def textos(x):
            return [t for v in x.values() for t in textos(v)] if isinstance(x, dict) else [x]
        assert any(viejo in t for t in textos(ANTES[grafo])), viejo


def test_derivatives_no_tiene_tablas_por_operacion():
    """viz no deriva: ``viz/derivatives.py`` no nombra ninguna operación."""
    fuente = (pathlib.Path(tinygrad_es.__file__).parent / "viz" / "derivatives.py").read_text(
        encoding="utf-8")
    nombres = set(_ops()) | {"Sigmoid", "Mul", "Add", "MatMul", "Linear", "NllLoss"}
    citados = sorted(n for n in nombres if re.search(rf"\b{n}\b", fuente))
    assert citados == [], f"viz/derivatives.py vuelve a nombrar operaciones: {citados}"
    assert "REGLAS" not in fuente and "_valor" not in fuente


def test_function_del_usuario_y_operaciones_sin_tabla_antigua():
    """Una ``Function`` propia no trae regla: se dice que usa su backward. Las operaciones que
    la tabla antigua no tenía (``CopySlices``, de modificar una vista in situ) dan la suya."""
    import tinygrad_es as torch
    from tinygrad_es import viz

    class Doble(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with viz.registrar():
        y = Doble.apply(x).clone()
        y[0].mul_(3.0)
        L = y.sum()
    traza = viz.trace_backward(L, params={"x": x}, imprimir=False)
    reglas = {p.nodo.split(" ")[0]: p.regla for p in traza.pasos if not p.hoja}
    assert reglas["Doble"] == "el backward propio de Doble"
    assert reglas["CopySlices"] == ("∂base = ∂ fuera de la vista; dentro, el backward de la "
                                    "operación in situ")
    latex = traza.como("latex")
    assert "el backward propio de Doble" in latex
    assert r"$\partial\,\text{base} = \partial \text{ fuera de la vista" in latex
