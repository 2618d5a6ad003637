"""``tinygrad_es.compile``: captura un paso y lo repite sin Tensores ni nodos (ver ``api.py``)."""
from .api import CompiledFunction, OptimizedModule, compile

__all__ = ["compile", "CompiledFunction", "OptimizedModule"]
