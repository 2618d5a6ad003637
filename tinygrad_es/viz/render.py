"""El ``Digraph`` que devuelve ``draw_graph``: igual que el de ``graphviz``, con errores en español.

Construir el grafo y leer su texto DOT (``grafo.source``) no necesita el programa ``dot``;
``render()``, ``pipe()``, ``view()`` y la vista en Jupyter sí. Si falta, se lanza
``GraphvizNoEncontrado`` (subclase de ``graphviz.ExecutableNotFound``) con las instrucciones de
instalación, y Jupyter muestra en su lugar el árbol de texto de ``print_graph``.
"""
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


class Grafo(graphviz.Digraph):
    """``graphviz.Digraph`` con errores en español y texto alternativo si falta ``dot``.

    ``texto`` es el árbol de ``print_graph`` para este mismo grafo (lo que Jupyter muestra
    cuando no puede dibujar).
    """

    texto = ""

    def pipe(self, *args, **kwargs):
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as exc:
            if isinstance(exc, GraphvizNoEncontrado):
                raise
            raise GraphvizNoEncontrado() from None

    def render(self, *args, **kwargs):
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as exc:
            if isinstance(exc, GraphvizNoEncontrado):
                raise
            raise GraphvizNoEncontrado() from None

    def view(self, *args, **kwargs):
        try:
            return super().view(*args, **kwargs)
        except graphviz.ExecutableNotFound as exc:
            if isinstance(exc, GraphvizNoEncontrado):
                raise
            raise GraphvizNoEncontrado() from None

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except GraphvizNoEncontrado as exc:
            return {"text/plain": f"{self.texto}\n\n{exc}"}
