"""``viz.make_dot``: los argumentos de torchviz sobre el dibujo de ``draw_graph``.

La red es la de ``examples/xor_grafos.py`` (2 -> 3 -> 1 con sigmoides y MSELoss) y la llamada,
la que se escribe con torchviz: ``make_dot(y, params=dict(model.named_parameters()))``.
"""
import importlib.util
import pathlib
import sys

import graphviz
import numpy as np
import pytest

import tinygrad_es as torch
import tinygrad_es.viz as viz
from tinygrad_es import nn
from tinygrad_es.autograd import Function
from tinygrad_es.viz import make_dot

from viz_dot import aristas, ids, nodos

RAIZ = pathlib.Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n"
PARAMETROS = ("stack.0.weight", "stack.0.bias", "stack.2.weight", "stack.2.bias")


def _xor():
    if str(RAIZ / "examples") not in sys.path:   # el ejemplo importa _comun, a su lado
        sys.path.insert(0, str(RAIZ / "examples"))
    spec = importlib.util.spec_from_file_location("xor_grafos",
                                                  RAIZ / "examples" / "xor_grafos.py")
    modulo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modulo)
    return modulo


def _red_y_perdida():
    xor = _xor()
    torch.manual_seed(0)
    modelo = xor.RedXOR()
    X, Y = xor.datos()
    y = modelo(X)
    return modelo, X, Y, y, nn.MSELoss()(y, Y)


def test_make_dot_con_los_argumentos_de_torchviz():
    modelo, _, _, _, perdida = _red_y_perdida()
    grafo = make_dot(perdida, params=dict(modelo.named_parameters()))
    assert isinstance(grafo, graphviz.Digraph)
    fuente = grafo.source
    for nombre in PARAMETROS:                       # las hojas llevan el nombre de params
        assert f"<B>{nombre}</B>" in fuente
    for op in ("Linear", "Sigmoid", "MseLoss"):     # los nombres de las operaciones
        assert f"<B>{op}</B>" in fuente
    for grad_fn in ("AddmmBackward0", "SigmoidBackward0", "MseLossBackward0"):
        assert f"grad_fn: {grad_fn}" in fuente      # y los de sus nodos, como en PyTorch
    assert ids(fuente, "op") == ["op1", "op2", "op3", "op4", "op5"]
    assert ids(fuente, "p") == ["p1", "p2", "p3", "p4"]
    assert ids(fuente, "s") == []                   # sin show_saved no hay tensores guardados
    assert ("op5", "salida1", "") in aristas(fuente)
    # como torchviz: ni valores, ni título, ni leyenda
    assert "valor:" not in fuente and "Leyenda" not in fuente and "leyenda" not in nodos(fuente)
    assert "input_ndim" not in fuente               # los atributos solo con show_attrs


def test_show_attrs_y_max_attr_chars():
    modelo, _, _, _, perdida = _red_y_perdida()
    fuente = make_dot(perdida, params=dict(modelo.named_parameters()), show_attrs=True).source
    assert "reduction: mean" in fuente and "count: 4" in fuente
    assert "input_ndim: 2" in fuente and "with_bias: True" in fuente

    class Escala(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.motivo = "un texto de atributo larguísimo que no cabe entero en el nodo"
            ctx.factor = 3.0
            return x * 3.0

        @staticmethod
        def backward(ctx, grad):
            return grad * ctx.factor

    x = torch.ones(2, requires_grad=True)
    fuente = make_dot(Escala.apply(x).sum(), params={"x": x}, show_attrs=True,
                      max_attr_chars=12).source
    assert "motivo: un texto ..." in fuente          # 12 caracteres, con «...»
    assert "larguísimo" not in fuente
    assert "factor: 3.0" in fuente
    # como en torchviz, un valor de menos de 3 caracteres no deja de verse
    assert "factor: 3.0" in make_dot(Escala.apply(x), show_attrs=True, max_attr_chars=0).source


def test_show_saved_dibuja_la_forma_de_cada_tensor_guardado():
    modelo, X, Y, _, perdida = _red_y_perdida()
    params = dict(modelo.named_parameters())
    fuente = make_dot(perdida, params={**params, "X": X, "Y": Y}, show_saved=True).source
    guardados = nodos(fuente)
    etiquetas = [guardados[i] for i in ids(fuente, "s")]
    assert etiquetas and all("tensor guardado" in e for e in etiquetas)
    formas = sorted(e.split("forma ")[1].split(" ·")[0] for e in etiquetas)
    # X (Linear #1), la salida de cada Sigmoid, stack.2.weight (Linear #3) e Y (MseLoss)
    assert formas == ["(1, 3)", "(4, 1)", "(4, 1)", "(4, 2)", "(4, 3)"]
    assert any("son los datos de X" in e for e in etiquetas)
    assert any("son los datos de stack.2.weight" in e for e in etiquetas)
    unidas = [(a, b) for a, b, atributos in aristas(fuente)
              if a.startswith("s") and "dir=none" in atributos]
    assert {b for _, b in unidas} == {"op1", "op2", "op3", "op4", "op5"}
    perdida.backward()                              # backward libera lo guardado
    despues = make_dot(perdida, params=params, show_saved=True).source
    assert ids(despues, "s") == [] and "liberados por backward()" in despues


def test_function_propia_muestra_siempre_lo_guardado():
    class MiSigmoide(Function):
        @staticmethod
        def forward(ctx, x):
            y = 1 / (1 + torch.exp(-x))
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad):
            (y,) = ctx.saved_tensors
            return grad * y * (1 - y)

    x = torch.randn(3, 4, requires_grad=True)
    fuente = make_dot(MiSigmoide.apply(x).sum(), params={"x": x}).source
    assert "forma (3, 4) · tipo float32" in nodos(fuente)["s1"]


def test_varias_salidas_en_una_tupla_y_errores():
    modelo, _, _, y, perdida = _red_y_perdida()
    fuente = make_dot((y, perdida), params=dict(modelo.named_parameters())).source
    assert ids(fuente, "salida") == ["salida1", "salida2"]
    assert ids(fuente, "op") == ["op1", "op2", "op3", "op4", "op5"]
    assert ids(make_dot([y, perdida]).source, "salida") == ["salida1", "salida2"]
    with pytest.raises(TypeError, match="make_dot espera un tensor"):
        make_dot(np.ones(3))
    with pytest.raises(TypeError, match="no un tensor suelto"):
        make_dot(perdida, params=perdida)


def test_los_nombres_son_los_de_pytorch(requiere_torch):
    """Cada ``grad_fn`` dibujado es un nodo del grafo de PyTorch para la misma red."""
    torch_ = requiere_torch
    red = torch_.nn.Sequential(torch_.nn.Linear(2, 3), torch_.nn.Sigmoid(),
                               torch_.nn.Linear(3, 1), torch_.nn.Sigmoid())
    X = torch_.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    pendientes, de_pytorch = [torch_.nn.MSELoss()(red(X), X[:, :1]).grad_fn], set()
    while pendientes:
        nodo = pendientes.pop()
        de_pytorch.add(type(nodo).__name__)
        pendientes += [n for n, _ in nodo.next_functions if n is not None]
    modelo, _, _, _, perdida = _red_y_perdida()
    fuente = make_dot(perdida, params=dict(modelo.named_parameters())).source
    dibujados = {linea.split("grad_fn: ")[1].split("<")[0]
                 for linea in nodos(fuente).values() if "grad_fn: " in linea}
    assert dibujados == {"AddmmBackward0", "SigmoidBackward0", "MseLossBackward0"}
    assert dibujados <= de_pytorch


def test_make_dot_dibuja_el_png_de_xor(requiere_dot, tmp_path):
    modelo, _, _, _, perdida = _red_y_perdida()
    grafo = make_dot(perdida, params=dict(modelo.named_parameters()), show_attrs=True,
                     show_saved=True)
    ruta = pathlib.Path(grafo.render(tmp_path / "xor", format="png", cleanup=True))
    datos = ruta.read_bytes()
    assert datos.startswith(PNG)
    assert len(datos) > 20_000                      # un dibujo de verdad, no un lienzo vacío
    ancho, alto = int.from_bytes(datos[16:20], "big"), int.from_bytes(datos[20:24], "big")
    assert ancho > 600 and alto > 400
    assert isinstance(viz.make_dot(perdida).pipe(format="svg"), bytes)
