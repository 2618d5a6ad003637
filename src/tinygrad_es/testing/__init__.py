"""Herramientas para comprobar gradientes con hypothesis, también en operaciones propias.

``hypothesis`` es una dependencia opcional: se importa solo al usar las estrategias.

Ejemplo::

    from hypothesis import given
    from tinygrad_es.testing import tensors, assert_gradients_match

    @given(tensors(shape=(3, 4)))
    def test_mi_sigmoide(x):
        assert_gradients_match(MiSigmoide.apply, x)
"""
from .gradients import assert_gradients_match, assert_second_derivatives_match
from .strategies import broadcastable_shapes, shapes, tensors

__all__ = ["assert_gradients_match", "assert_second_derivatives_match", "broadcastable_shapes", "shapes", "tensors"]
