"""Alias de tipos de la API pública (los de PyTorch), solo para los comprobadores y editores.

Los módulos los importan dentro de ``if TYPE_CHECKING:`` con ``from __future__ import
annotations``: al ejecutar, las anotaciones no se evalúan y este módulo ni se carga.
"""
from collections.abc import Sequence
from typing import Any, Union

import numpy as np

Number = Union[int, float, bool]
DType = np.dtype   # torch.float32 y compañía son np.dtype
ShapeLike = Union[int, Sequence[int]]   # zeros(2, 3) o zeros((2, 3)): cada argumento
SizeLike = Sequence[int]
Device = Any   # "cpu", torch.device("cpu") o None
