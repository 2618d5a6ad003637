"""sort, topk y argsort: valores e índices como PyTorch; el gradiente vuelve a su posición."""
import numpy as np
import pytest
from hypothesis import given

import tinygrad_es as torch
from tinygrad_es.autograd import gradcheck
from tinygrad_es.testing import tensors

CASOS = [
    ("topk k=2 dim=1", lambda m, x: m.topk(x, 2, dim=1)),
    ("topk menores", lambda m, x: m.topk(x, 3, dim=1, largest=False)),
    ("topk dim=0", lambda m, x: m.topk(x, 1, dim=0)),
    ("sort", lambda m, x: m.sort(x, dim=1)),
    ("sort descendente dim=0", lambda m, x: m.sort(x, dim=0, descending=True)),
]


@pytest.mark.parametrize("nombre,f", CASOS, ids=[c[0] for c in CASOS])
def test_valores_indices_y_gradiente_como_pytorch(nombre, f, requiere_torch):
    datos = np.random.default_rng(1).standard_normal((3, 5))   # sin empates
    ours = torch.tensor(datos, requires_grad=True)
    ref = requiere_torch.tensor(datos, requires_grad=True)
    (v1, i1), (v2, i2) = f(torch, ours), f(requiere_torch, ref)
    np.testing.assert_allclose(v1.detach().numpy(), v2.detach().numpy())
    np.testing.assert_array_equal(i1.numpy(), i2.numpy())
    assert i1.dtype == torch.int64
    arriba = np.random.default_rng(2).standard_normal(v1.shape)
    v1.backward(torch.tensor(arriba))
    v2.backward(requiere_torch.tensor(arriba))
    np.testing.assert_allclose(ours.grad.numpy(), ref.grad.numpy())


@given(tensors(shape=(3, 4), distinct=True))
def test_topk_pasa_gradcheck(x):
    assert gradcheck(lambda z: z.topk(2, dim=1).values, (x,))


def test_argsort_y_topk_de_course_code():
    ps = torch.tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
    top_p, top_class = ps.topk(1, dim=1)
    assert top_class.tolist() == [[1], [0]]
    np.testing.assert_allclose(top_p.numpy(), [[0.7], [0.5]])
    assert torch.argsort(ps, dim=1).tolist() == [[0, 2, 1], [2, 1, 0]]


def test_k_fuera_de_rango_da_error_en_espanol():
    with pytest.raises(RuntimeError, match="fuera de rango"):
        torch.tensor([1.0, 2.0]).topk(3)
