"""Números aleatorios idénticos a los de PyTorch en CPU (ver ``docs/aleatorio.md``).

- ``generator.py``: ``Generator`` (mt19937 de NumPy), el generador global, ``manual_seed``,
  ``seed``, ``initial_seed``, ``get_rng_state``/``set_rng_state``.
- ``distributions.py``: uniforme, normal, enteros, permutaciones, bernoulli, exponencial y
  multinomial con las mismas transformaciones que PyTorch.
- ``libm.py``, ``avx2.py``, ``exact.py``: las funciones matemáticas de la biblioteca C y del
  núcleo AVX2 de PyTorch, y la FMA, para que el último bit coincida.
"""
from .generator import (Generator, default_generator, get_generator, get_rng_state,
                        initial_seed, manual_seed, seed, set_rng_state)

__all__ = ["Generator", "default_generator", "get_generator", "get_rng_state", "initial_seed",
           "manual_seed", "seed", "set_rng_state"]
