"""Modos de gradiente: no_grad, enable_grad, set_grad_enabled e inference_mode (como PyTorch)."""
import pytest

import tinygrad_es as tg


def _w():
    return tg.ones(2, requires_grad=True)


def test_no_grad_como_contexto():
    w = _w()
    assert tg.is_grad_enabled()
    with tg.no_grad():
        assert not tg.is_grad_enabled()
        y = w * 2
    assert tg.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None
    assert (w * 2).requires_grad


def test_no_grad_como_decorador_con_y_sin_parentesis():
    w = _w()

    @tg.no_grad()
    def con_parentesis(x):
        return x * 2

    @tg.no_grad
    def sin_parentesis(x):
        return x * 3

    assert not con_parentesis(w).requires_grad and not sin_parentesis(w).requires_grad
    assert sin_parentesis(w).tolist() == [3.0, 3.0]
    assert sin_parentesis.__name__ == "sin_parentesis"
    assert tg.is_grad_enabled()


def test_enable_grad_dentro_de_no_grad():
    w = _w()

    @tg.enable_grad()
    def con_grad(x):
        return x * 2

    @tg.enable_grad
    def con_grad_sin_parentesis(x):
        return x * 2

    with tg.no_grad():
        with tg.enable_grad():
            assert tg.is_grad_enabled()
            y = w * 2
        assert not tg.is_grad_enabled()
        assert con_grad(w).requires_grad and con_grad_sin_parentesis(w).requires_grad
    assert y.requires_grad and y.grad_fn is not None


def test_set_grad_enabled_como_llamada_contexto_y_decorador():
    w = _w()
    try:
        tg.set_grad_enabled(False)
        assert not tg.is_grad_enabled() and not (w * 2).requires_grad
    finally:
        tg.set_grad_enabled(True)
    assert tg.is_grad_enabled()
    with tg.set_grad_enabled(False):
        assert not (w * 2).requires_grad
    assert tg.is_grad_enabled()
    with tg.no_grad():
        with tg.set_grad_enabled(True):
            assert (w * 2).requires_grad
        assert not tg.is_grad_enabled()

    @tg.set_grad_enabled(False)
    def sin_grad(x):
        return x * 2

    assert tg.is_grad_enabled()   # decorar no cambia el modo
    assert not sin_grad(w).requires_grad and tg.is_grad_enabled()


def test_el_modo_se_restaura_aunque_haya_una_excepcion():
    with pytest.raises(ZeroDivisionError):
        with tg.no_grad():
            1 / 0
    assert tg.is_grad_enabled()

    @tg.no_grad()
    def falla():
        raise KeyError("x")

    with pytest.raises(KeyError):
        falla()
    assert tg.is_grad_enabled()


def test_inference_mode():
    w = _w()
    with tg.inference_mode():
        assert not tg.is_grad_enabled()
        assert not (w * 2).requires_grad
    assert tg.is_grad_enabled()
    with tg.inference_mode(False):
        assert (w * 2).requires_grad

    @tg.inference_mode()
    def predecir(x):
        return x * 2

    @tg.inference_mode
    def predecir_sin_parentesis(x):
        return x * 2

    assert not predecir(w).requires_grad and not predecir_sin_parentesis(w).requires_grad
    assert predecir_sin_parentesis(w).tolist() == [2.0, 2.0]
    assert tg.is_grad_enabled()


def test_autograd_expone_los_modos():
    assert tg.autograd.no_grad is tg.no_grad
    with tg.autograd.set_grad_enabled(False):
        assert not tg.is_grad_enabled()
    assert tg.is_grad_enabled()
