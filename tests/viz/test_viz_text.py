"""print_graph / graph_text: el árbol de texto (funciona sin Graphviz)."""
import io

import tinygrad_es as torch
import tinygrad_es.viz as viz
from tinygrad_es import nn

ESPERADO = """\
salida  forma () · tipo float32  valor: 3012.0
└── Sum #4  forma () · tipo float32
    └── Add #3  forma (2,) · tipo float32
        ├── Mul #1  forma (2,) · tipo float32
        │   ├── a  forma (2,) · tipo float32 · hoja que requiere gradiente  valor: [1.0, 2.0]
        │   └── b  forma (2,) · tipo float32 · hoja que requiere gradiente  valor: [3.0, 4.0]
        └── Exp #2  forma (2,) · tipo float32
            └── ↑ Mul #1, ya mostrado"""


def test_arbol_de_una_expresion_conocida():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    h = a * b
    L = (h + h.exp()).sum()
    assert viz.graph_text(L, params={"a": a, "b": b}) == ESPERADO
    salida = io.StringIO()
    viz.print_graph(L, params={"a": a, "b": b}, file=salida)
    assert salida.getvalue() == ESPERADO + "\n"


def test_con_registro_modulos_entradas_y_gradientes():
    torch.manual_seed(0)
    modelo = nn.Sequential(nn.Linear(2, 1))
    X = torch.tensor([[1.0, 2.0]])
    with viz.registrar():
        y = modelo(X) * 3
        y.backward()
    lineas = viz.graph_text(y, model=modelo, params={"X": X, "y": y}).splitlines()
    assert lineas[0] == f"salida «y»  forma (1, 1) · tipo float32  valor: [[{y.item():.4g}]]"
    assert lineas[1].startswith("└── Mul #2  forma (1, 1) · tipo float32  valor:")
    assert lineas[1].endswith("gradiente: [[1.0]]")
    assert lineas[2].startswith("    ├── Linear #1  forma (1, 1) · tipo float32  [0: Linear]")
    assert lineas[2].endswith("gradiente: [[3.0]]")
    assert lineas[3] == "    │   ├── X  forma (1, 2) · tipo float32  valor: [[1.0, 2.0]]"
    w = modelo[0].weight
    assert lineas[4].startswith("    │   ├── 0.weight  forma (1, 2) · tipo float32 · hoja que "
                                "requiere gradiente  [0: Linear]")
    assert lineas[4].endswith(f"gradiente: ‖g‖ = {3 * 5 ** 0.5:.4g} · [[3.0, 6.0]]")
    assert lineas[5].startswith("    │   └── 0.bias")
    assert lineas[6] == "    └── constante 3.0"
    assert len(lineas) == 7
    assert w.grad.tolist() == [[3.0, 6.0]]


def test_entradas_sin_gradiente_sin_registro():
    x = torch.ones(2, requires_grad=True)
    texto = viz.graph_text(x * torch.ones(2))
    assert texto.splitlines()[-1] == "    └── (entrada sin gradiente)"


def test_cadena_larga_sin_recursion_y_recortada():
    a = torch.ones(1, requires_grad=True)
    z = a
    for _ in range(3000):
        z = z * 1.0
    texto = viz.graph_text(z, max_lines=50)
    lineas = texto.splitlines()
    assert len(lineas) == 51
    assert lineas[-1].startswith("… (árbol recortado a 50 líneas")
    completo = viz.graph_text(z, max_lines=None).splitlines()
    assert len(completo) == 1 + 3000 * 2 + 1     # salida, 3000 Mul + 3000 constantes, la hoja
    assert max(len(linea) for linea in completo) < 250    # la sangría deja de crecer


def test_salida_sin_grafo():
    assert viz.graph_text(torch.ones(2)).endswith("(no requiere gradiente: no hay grafo)")
