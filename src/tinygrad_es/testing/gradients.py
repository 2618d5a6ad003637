"""``assert_gradients_match`` y ``assert_second_derivatives_match``: gradcheck y gradgradcheck
pensados para usarse dentro de un test ``@given``."""
from ..autograd.gradcheck import GradcheckError, gradcheck, gradgradcheck


def assert_gradients_match(fn, *tensors, eps=1e-6, atol=1e-5, rtol=1e-3):
    """Falla (AssertionError) si backward no coincide con las diferencias centrales.

    Las entradas deben ser float64 con ``requires_grad=True`` (las que no lo tengan se
    tratan como constantes). También se comprueba backward con un gradiente de salida
    aleatorio, así que un backward que no multiplique por él no pasa.
    """
    try:
        gradcheck(fn, tensors, eps=eps, atol=atol, rtol=rtol)
    except GradcheckError as exc:
        raise AssertionError(str(exc)) from None


def assert_second_derivatives_match(fn, *tensors, eps=1e-6, atol=1e-5, rtol=1e-3):
    """Como ``assert_gradients_match``, pero para las segundas derivadas (``gradgradcheck``).

    Comprueba que el backward de ``fn``, registrado con ``create_graph=True``, también se deriva
    bien: respecto de las entradas y de un gradiente de salida aleatorio.
    """
    try:
        gradgradcheck(fn, tensors, eps=eps, atol=atol, rtol=rtol)
    except GradcheckError as exc:
        raise AssertionError(str(exc)) from None
