"""Generador de números aleatorios global (``manual_seed``) y la clase ``Generator``.

Los números son nuestros (NumPy PCG64): la misma semilla da los mismos números en
tinygrad_es, pero no los mismos que en PyTorch.
"""
import numpy as np


class Generator:
    """Como ``torch.Generator``: un flujo de números aleatorios con su propia semilla."""

    def __init__(self, device="cpu"):
        self._seed = 0
        self.rng = np.random.default_rng(0)

    def manual_seed(self, seed):
        self._seed = int(seed)
        self.rng = np.random.default_rng(self._seed)
        return self

    def initial_seed(self):
        return self._seed

    def seed(self):
        self._seed = int(np.random.SeedSequence().entropy % (2 ** 63))
        self.rng = np.random.default_rng(self._seed)
        return self._seed

    def get_state(self):
        return self.rng.bit_generator.state

    def set_state(self, state):
        self.rng.bit_generator.state = state


default_generator = Generator()
default_generator.seed()


def manual_seed(seed):
    """Fija la semilla global: el mismo programa da los mismos números."""
    return default_generator.manual_seed(seed)


def initial_seed():
    return default_generator.initial_seed()


def seed():
    return default_generator.seed()


def rng(generator=None):
    return (generator or default_generator).rng
