"""El ``Digraph`` que devuelve ``draw_graph``: igual que el de ``graphviz``, con errores en español.

Construir el grafo y leer su texto DOT (``grafo.source``) no necesita el programa ``dot``;
``render()``, ``pipe()``, ``view()`` y la vista en Jupyter sí. Si falta, se lanza
``GraphvizNoEncontrado`` (subclase de ``graphviz.ExecutableNotFound``) con las instrucciones de
instalación, y Jupyter muestra en su lugar el árbol de texto de ``print_graph``.
"""
import functools

import graphviz

INSTRUCCIONES = (
    "No se encontró el programa `dot` de Graphviz, que hace falta para convertir el grafo en "
    "imagen (SVG, PNG, PDF). El paquete de Python `graphviz` solo escribe el texto DOT; el "
    "programa se instala aparte:\n"
    "  - Debian/Ubuntu:   sudo apt-get install graphviz\n"
    "  - macOS (Homebrew): brew install graphviz\n"
    "  - conda:           conda install -c conda-forge graphviz\n"
    "  - Windows:         winget install graphviz  (y añade su carpeta bin al PATH)\n"
    "Comprueba la instalación con `dot -V`. Mientras tanto puedes ver el grafo como texto con "
    "viz.print_graph(salida) o leer su DOT en grafo.source.")


class GraphvizNoEncontrado(graphviz.ExecutableNotFound):
    """Falta el programa ``dot`` de Graphviz (el mensaje explica cómo instalarlo)."""

    def __init__(self):
        RuntimeError.__init__(self, INSTRUCCIONES)


def _con_error_en_espanol(metodo):
    """Envuelve un método de ``Digraph`` para que la falta de ``dot`` se explique en español."""
    @functools.wraps(metodo)
    def envoltura(self, *args, **kwargs):
        try:
            return metodo(self, *args, **kwargs)
        except GraphvizNoEncontrado:
            raise
        except graphviz.ExecutableNotFound:
            raise GraphvizNoEncontrado() from None
    return envoltura


class Grafo(graphviz.Digraph):
    """``graphviz.Digraph`` con errores en español y texto alternativo si falta ``dot``.

    ``texto`` es el árbol de ``print_graph`` para este mismo grafo (lo que Jupyter muestra
    cuando no puede dibujar); ``recorte``, lo que ``max_nodes`` dejó fuera del dibujo o None.
    """

    texto = ""
    recorte = None   # texto de lo que ``max_nodes`` dejó sin dibujar (o None)

    pipe = _con_error_en_espanol(graphviz.Digraph.pipe)
    render = _con_error_en_espanol(graphviz.Digraph.render)
    view = _con_error_en_espanol(graphviz.Digraph.view)

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except GraphvizNoEncontrado as exc:
            return {"text/plain": f"{self.texto}\n\n{exc}"}
