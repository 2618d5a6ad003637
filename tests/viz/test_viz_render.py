"""Dibujo con Graphviz: SVG y PNG válidos, error en español sin ``dot`` y el ejemplo de XOR."""
import importlib.util
import pathlib
import sys
import xml.etree.ElementTree as ET

import graphviz
import pytest

import tinygrad_es as torch
import tinygrad_es.viz as viz
from tinygrad_es import nn

RAIZ = pathlib.Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n"


def _grupos_de_nodos(svg):
    raiz = ET.fromstring(svg)
    return [g for g in raiz.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "node"]


def _modelo_y_perdida():
    torch.manual_seed(0)
    modelo = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    X = torch.randn(4, 2)
    with viz.registrar():
        perdida = modelo(X).pow(2).mean()
        perdida.backward()
    return modelo, X, perdida


def test_svg_y_png_validos(requiere_dot):
    modelo, X, perdida = _modelo_y_perdida()
    grafo = viz.draw_graph(perdida, model=modelo, params={"X": X})
    svg = grafo.pipe(format="svg")
    # 5 operaciones (Linear ReLU Linear Pow Mean) + 4 parámetros + X + salida + leyenda
    assert len(_grupos_de_nodos(svg)) == 5 + 4 + 1 + 1 + 1
    sin_leyenda = viz.draw_graph(perdida, legend=False).pipe(format="svg")
    assert len(_grupos_de_nodos(sin_leyenda)) == 11        # X sigue ahí, sin nombre
    assert grafo.pipe(format="png").startswith(PNG)
    atras = viz.draw_backward(perdida, model=modelo, params={"X": X}).pipe(format="svg")
    assert len(_grupos_de_nodos(atras)) == 12
    assert "‖g‖ =" in atras.decode("utf-8")
    colapsado = viz.draw_graph(perdida, model=modelo, collapse=True).pipe(format="svg")
    # 3 módulos, Pow, Mean, X, salida y leyenda
    assert len(_grupos_de_nodos(colapsado)) == 3 + 2 + 1 + 1 + 1


def test_render_escribe_el_archivo(requiere_dot, tmp_path):
    _, _, perdida = _modelo_y_perdida()
    ruta = viz.draw_graph(perdida).render(tmp_path / "grafo", format="svg", cleanup=True)
    assert pathlib.Path(ruta).read_bytes().startswith(b"<?xml")
    assert not (tmp_path / "grafo").exists()       # cleanup borró el DOT intermedio


def test_sin_dot_error_en_espanol_y_alternativas(monkeypatch, tmp_path):
    _, _, perdida = _modelo_y_perdida()
    grafo = viz.draw_graph(perdida)
    monkeypatch.setenv("PATH", str(tmp_path))      # una carpeta sin el programa dot
    with pytest.raises(viz.GraphvizNoEncontrado) as info:
        grafo.pipe(format="svg")
    mensaje = str(info.value)
    for texto in ("No se encontró el programa `dot`", "sudo apt-get install graphviz",
                  "brew install graphviz", "conda install -c conda-forge graphviz",
                  "viz.print_graph"):
        assert texto in mensaje
    assert isinstance(info.value, graphviz.ExecutableNotFound)
    assert isinstance(info.value, RuntimeError)
    with pytest.raises(viz.GraphvizNoEncontrado):
        grafo.render(tmp_path / "g", format="png")
    assert grafo.source.startswith("digraph")              # el DOT sigue disponible
    vista = grafo._repr_mimebundle_()                     # lo que mostraría Jupyter
    assert list(vista) == ["text/plain"]
    assert vista["text/plain"].startswith("salida  forma () · tipo float32")
    assert "apt-get install graphviz" in vista["text/plain"]
    assert "Mean #5" in viz.graph_text(perdida)


def _ejemplo():
    if str(RAIZ / "examples") not in sys.path:   # el ejemplo importa _comun, a su lado
        sys.path.insert(0, str(RAIZ / "examples"))
    spec = importlib.util.spec_from_file_location("xor_grafos",
                                                  RAIZ / "examples" / "xor_grafos.py")
    modulo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modulo)
    return modulo


def test_ejemplo_xor_escribe_los_grafos_e_imprime_la_traza(requiere_dot, tmp_path, capsys):
    _ejemplo().main(["--epocas", "300", "--salida", str(tmp_path), "--png"])
    impreso = capsys.readouterr().out
    assert "Paso 1 · MseLoss #5 [MSELoss]" in impreso
    assert "Informe de gradientes" in impreso
    for nombre in ("xor_forward", "xor_backward"):
        svg = (tmp_path / f"{nombre}.svg").read_bytes()
        # 5 operaciones, 4 parámetros, X e Y, la salida y la leyenda
        assert len(_grupos_de_nodos(svg)) == 5 + 4 + 2 + 1 + 1
        assert (tmp_path / f"{nombre}.png").read_bytes().startswith(PNG)
    assert "stack.0: Linear" in (tmp_path / "xor_forward.svg").read_text(encoding="utf-8")


def test_ejemplo_xor_sin_dot_escribe_el_dot(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    _ejemplo().main(["--epocas", "5", "--salida", str(tmp_path), "--formato", "markdown"])
    impreso = capsys.readouterr().out
    assert "| Paso | Nodo |" in impreso and "brew install graphviz" in impreso
    assert (tmp_path / "xor_backward.dot").read_text(encoding="utf-8").startswith("digraph")
