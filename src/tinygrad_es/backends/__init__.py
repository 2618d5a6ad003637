"""``torch.backends``: las opciones de los motores de PyTorch, con las respuestas de una CPU.

- ``backends.mps.is_available()`` / ``is_built()``: False (no hay GPU de Apple).
- ``backends.cuda.is_built()``: False.
- ``backends.cudnn``: ``enabled``, ``deterministic`` y ``benchmark`` se pueden leer y escribir
  (el código de los cursos los fija para la reproducibilidad); aquí no cambian nada porque
  todo se calcula en la CPU con NumPy, que ya es determinista.
"""
from . import cuda, cudnn, mps

__all__ = ["cuda", "cudnn", "mps"]


def __getattr__(name):
    raise AttributeError(
        f"torch.backends.{name} no está disponible en tinygrad_es (solo hay CPU); existen "
        "torch.backends.mps, torch.backends.cuda y torch.backends.cudnn.")
