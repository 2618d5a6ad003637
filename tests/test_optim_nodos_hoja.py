"""El optimizador retiene los nodos hoja (AccumulateGrad) de sus parámetros entre pasos.

Es una optimización invisible: estos tests comprueban que no cambia nada que se vea
(gradientes, dtype, forma, copias) y que de verdad evita rehacer los nodos.
"""
import copy
import pickle

import numpy as np

import tinygrad_es as tg
import tinygrad_es.optim as optim


def _paso(model, opt, x):
    opt.zero_grad()
    model(x).sum().backward()
    opt.step()


def test_el_nodo_hoja_se_reutiliza_entre_pasos():
    model = tg.nn.Linear(3, 2)
    opt = optim.SGD(model.parameters(), lr=0.1)
    x = tg.ones(4, 3)
    _paso(model, opt, x)
    nodo = model.weight._grad_accumulator()
    _paso(model, opt, x)
    out = model(x)
    assert out.grad_fn.parents[1] is nodo          # el mismo nodo, no uno nuevo
    assert nodo.variable is model.weight


def test_sin_optimizador_el_nodo_no_sobrevive_al_grafo():
    w = tg.zeros(3, requires_grad=True)
    (w * 2).sum().backward()
    assert w._accumulator() is None               # nadie lo retiene: se liberó con el grafo


def test_cambiar_dtype_despues_de_crear_el_optimizador():
    model = tg.nn.Linear(3, 2)
    opt = optim.SGD(model.parameters(), lr=0.1)
    model.double()
    _paso(model, opt, tg.ones(4, 3, dtype=tg.float64))
    assert model.weight.grad.dtype == tg.float64
    np.testing.assert_allclose(model.weight.grad.numpy(), np.full((2, 3), 4.0))


def test_cambiar_la_forma_de_data_despues_de_crear_el_optimizador():
    w = tg.zeros(3, requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    w.data = tg.zeros(5)
    (w * 2).sum().backward()
    assert tuple(w.grad.shape) == (5,)
    np.testing.assert_array_equal(w.grad.numpy(), np.full(5, 2.0, dtype=np.float32))
    assert opt._leaf_nodes[0].variable is w


def test_copiar_y_serializar_el_optimizador_rehace_los_nodos():
    model = tg.nn.Linear(3, 2)
    opt = optim.Adam(model.parameters(), lr=0.1)
    _paso(model, opt, tg.ones(4, 3))
    for copia in (copy.deepcopy(opt), pickle.loads(pickle.dumps(opt))):
        params = copia.param_groups[0]["params"]
        assert [n.variable for n in copia._leaf_nodes] == params
        assert all(n.variable is not model.weight for n in copia._leaf_nodes)
        assert set(copia.state_dict()["state"]) == {0, 1}


def test_add_param_group_retiene_tambien_sus_nodos():
    a = tg.zeros(2, requires_grad=True)
    b = tg.zeros(2, requires_grad=True)
    opt = optim.SGD([a], lr=0.1)
    opt.add_param_group({"params": [b]})
    assert [n.variable for n in opt._leaf_nodes] == [a, b]
