"""Ver la retropropagación: el grafo de cómputo, el gradiente de cada arista y diagnósticos.

- ``draw_graph(salida, params=modelo)``: el grafo como ``graphviz.Digraph`` (``.render()``,
  ``.pipe(format="svg")``; en Jupyter se muestra solo). ``direction="backward"`` o
  ``draw_backward`` dibujan el gradiente que viaja por cada arista.
- ``registrar()``: ``with viz.registrar():`` alrededor del forward y del backward guarda los
  valores intermedios y los gradientes de cada arista (fuera de él no cuesta nada).
- ``trace_backward(salida)``: la regla de la cadena paso a paso (texto, Markdown o LaTeX).
- ``gradient_report(modelo)``: normas, razones y ReLU muertas, con avisos en español.
- ``print_graph(salida)``: el grafo como árbol de texto (no necesita Graphviz).
- ``make_dot(salida, params=dict(modelo.named_parameters()))``: el ``make_dot`` de torchviz,
  con sus mismos argumentos (``show_attrs``, ``show_saved``, ``max_attr_chars``).
"""
from .draw import draw_backward, draw_graph
from .make_dot import make_dot
from .recorder import Registrador, registrar
from .render import GraphvizNoEncontrado
from .report import GradientReport, gradient_report, watch_relus
from .text import graph_text, print_graph
from .trace import Traza, trace_backward

__all__ = ["GradientReport", "GraphvizNoEncontrado", "Registrador", "Traza", "draw_backward",
           "draw_graph", "gradient_report", "graph_text", "make_dot", "print_graph", "registrar",
           "trace_backward", "watch_relus"]
