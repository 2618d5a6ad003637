"""``tinygrad_es.testing``: las estrategias cumplen lo prometido; la documentación se ejecuta."""
import pathlib
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_es as torch
from tinygrad_es.autograd import Function
from tinygrad_es.testing import assert_gradients_match, broadcastable_shapes, shapes, tensors

DOC = pathlib.Path(__file__).resolve().parents[1] / "docs" / "verificacion.md"


def _valores(x):
    return x.detach().numpy()


# --- estrategias --------------------------------------------------------------------------
@given(shapes(min_dims=1, max_dims=3, min_side=2, max_side=5))
def test_shapes_respeta_los_limites(forma):
    assert isinstance(forma, tuple)
    assert 1 <= len(forma) <= 3
    assert all(isinstance(d, int) and 2 <= d <= 5 for d in forma)


@given(shapes())
def test_shapes_por_defecto(forma):
    assert 0 <= len(forma) <= 3 and all(1 <= d <= 4 for d in forma)


@given(st.data())
def test_broadcastable_shapes_se_difunden_con_la_base(data):
    base = data.draw(shapes(min_dims=0, max_dims=4))
    forma = data.draw(broadcastable_shapes(base))
    assert len(forma) <= len(base)
    assert np.broadcast_shapes(base, forma) == base


@given(st.data())
def test_broadcastable_shapes_min_y_max_dims(data):
    base = data.draw(shapes(min_dims=3, max_dims=3))
    forma = data.draw(broadcastable_shapes(base, min_dims=1, max_dims=2))
    assert 1 <= len(forma) <= 2
    assert np.broadcast_shapes(base, forma) == base


@given(tensors(shape=(4, 3)))
def test_tensors_por_defecto(x):
    assert isinstance(x, torch.Tensor)
    assert x.shape == (4, 3)
    assert x.dtype == torch.float64 and x.requires_grad and x.is_leaf
    magnitudes = np.abs(_valores(x))
    assert (magnitudes >= 0.1).all() and (magnitudes <= 2.0).all()


@given(tensors(shape=shapes(max_dims=3), low=0.5, high=3.0))
def test_tensors_con_forma_aleatoria_y_limites(x):
    assert len(x.shape) <= 3
    magnitudes = np.abs(_valores(x))
    assert (magnitudes >= 0.5).all() and (magnitudes <= 3.0).all()


@given(tensors(shape=(10,), away_from=1.5, low=0.2))
def test_tensors_away_from(x):
    distancia = np.abs(_valores(x) - 1.5)
    assert (distancia >= 0.2 - 1e-12).all()


@given(tensors(shape=shapes(min_dims=1, max_dims=2, max_side=6), distinct=True))
def test_tensors_distinct_sin_empates_y_separados(x):
    v = np.sort(_valores(x).ravel())
    assert len(np.unique(v)) == v.size
    if v.size > 1:
        assert np.diff(v).min() > 1e-3      # mucho más que eps = 1e-6
    magnitudes = np.abs(v)
    assert (magnitudes >= 0.1).all() and (magnitudes <= 2.0).all()


@given(tensors(shape=(3, 4), positive=True))
def test_tensors_positive(x):
    assert (_valores(x) > 0).all()


@given(tensors(shape=(8,), distinct=True, positive=True, low=1.0, high=2.0))
def test_tensors_distinct_y_positive(x):
    v = _valores(x)
    assert (v >= 1.0).all() and (v <= 2.0).all() and len(np.unique(v)) == 8


@given(tensors(shape=(2, 2), dtype="float32", requires_grad=False))
def test_tensors_dtype_y_requires_grad(x):
    assert x.dtype == torch.float32 and not x.requires_grad


@given(tensors(shape=(5,), elements=st.floats(-1.0, 1.0)))
def test_tensors_con_elements(x):
    v = _valores(x)
    assert ((v >= -1.0) & (v <= 1.0)).all()


# --- assert_gradients_match -------------------------------------------------------------------
@given(tensors(shape=shapes(max_dims=2), high=3.0))
def test_assert_gradients_match_con_operaciones_correctas(x):
    assert_gradients_match(lambda t: (t.sigmoid() * t).exp(), x)


@given(st.data())
def test_assert_gradients_match_con_varias_entradas(data):
    forma = data.draw(shapes(min_dims=1, max_dims=2))
    a = data.draw(tensors(shape=forma))
    b = data.draw(tensors(shape=broadcastable_shapes(forma), positive=True))
    assert_gradients_match(lambda a, b: a / b - a * b, a, b)


class DerivadaMal(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x       # debería ser 2x


def test_assert_gradients_match_falla_dentro_de_given():
    @settings(database=None, max_examples=5)
    @given(tensors(shape=shapes(max_dims=2)))
    def prueba(x):
        assert_gradients_match(DerivadaMal.apply, x)

    with pytest.raises(AssertionError, match="numérico.*\n.*analítico"):
        prueba()


# --- la documentación se ejecuta ------------------------------------------------------------
def test_los_ejemplos_de_la_documentacion_se_ejecutan(capsys):
    """Ejecuta en orden los bloques ```python de docs/verificacion.md y sus tests @given."""
    bloques = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(bloques) >= 6
    espacio = {"__name__": "verificacion"}
    with np.errstate(divide="ignore", invalid="ignore"):
        for i, bloque in enumerate(bloques):
            exec(compile(bloque, f"{DOC}:bloque{i}", "exec"), espacio)
        tests = {k: v for k, v in espacio.items() if k.startswith("test_") and callable(v)}
        assert "test_mi_sigmoide" in tests
        for test in tests.values():
            test()
    salida = capsys.readouterr().out
    assert "gradcheck falló" in salida and "La función Log" in salida
    assert "tensor([0.0000, 1.0000, 0.2500])" in salida


def test_el_ejemplo_del_readme_detecta_un_backward_equivocado():
    """El mismo test de la documentación, con el backward sin el factor (1 - y), falla."""
    texto = DOC.read_text(encoding="utf-8")
    ejemplo = re.findall(r"```python\n(.*?)```", texto, re.S)[0]
    assert "class MiSigmoide(Function)" in ejemplo and "@given" in ejemplo
    roto = ejemplo.replace("return grad * y * (1 - y)", "return grad * y")
    assert roto != ejemplo
    espacio = {"__name__": "verificacion"}
    exec(compile(roto, "ejemplo_roto", "exec"), espacio)
    prueba = settings(database=None, max_examples=5)(espacio["test_mi_sigmoide"])
    with pytest.raises(AssertionError, match="gradcheck falló"):
        prueba()
