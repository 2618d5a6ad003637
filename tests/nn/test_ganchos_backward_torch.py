"""``Module.register_full_backward_hook`` y ``register_full_backward_pre_hook`` contra PyTorch."""
import copy
import pickle
import warnings

import numpy as np
import pytest

import tinygrad_es as tg
import tinygrad_es.nn as nn


def _np(x):
    return None if x is None else x.detach().numpy().copy()


def _red(lib, registro, pre=False, cambia=None):
    """MLP pequeño (pesos fijos) con ganchos en cada capa que anotan lo que reciben."""
    rng = np.random.default_rng(0)
    modelo = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Linear(4, 2))
    with lib.no_grad():
        for p in modelo.parameters():
            p.copy_(lib.tensor(rng.normal(size=tuple(p.shape)).astype(np.float32)))
    for nombre, capa in modelo.named_children():
        def gancho(m, gi, go, nombre=nombre):
            registro.append(("h", nombre, [_np(g) for g in gi], [_np(g) for g in go]))
            return cambia(gi) if cambia else None

        def previo(m, go, nombre=nombre):
            registro.append(("p", nombre, [_np(g) for g in go]))
            return tuple(g * 3 for g in go) if pre else None
        capa.register_full_backward_hook(gancho)
        capa.register_full_backward_pre_hook(previo)
    return modelo


def _ejecutar(lib, **kw):
    registro = []
    modelo = _red(lib, registro, **kw)
    x = lib.tensor(np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3), requires_grad=True)
    modelo(x).pow(2).sum().backward()
    return registro, _np(x.grad), [_np(p.grad) for p in modelo.parameters()]


def _comparar(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        if isinstance(x, (list, tuple)):
            _comparar(x, y)
        elif isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)
        else:
            assert x == y


@pytest.mark.parametrize("kw", [{}, {"pre": True}, {"cambia": lambda gi: (gi[0] * -2,)}],
                         ids=["observa", "previo_cambia", "cambia_grad_input"])
def test_ganchos_como_torch(requiere_torch, kw):
    esperado = _ejecutar(requiere_torch, **kw)
    obtenido = _ejecutar(tg, **kw)
    _comparar(list(obtenido[0]), list(esperado[0]))
    _comparar([obtenido[1]], [esperado[1]])
    _comparar(obtenido[2], esperado[2])


class _Varias(object):
    @staticmethod
    def crear(lib):
        class Varias(lib.nn.Module):
            def forward(self, a, b, k=3, c=None):
                return a * b * k, b.sum() * 0 + 1.0, lib.ones(2)
        return Varias()


def test_argumentos_no_tensores_y_salidas_sin_gradiente(requiere_torch):
    resultados = []
    for lib in (requiere_torch, tg):
        registro = []
        m = _Varias.crear(lib)
        m.register_full_backward_hook(lambda mod, gi, go: registro.append((gi, go)))
        a = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = lib.tensor([0.5, -1.0, 2.0])          # no requiere gradiente: ceros en grad_input
        salidas = m(a, b, 2.0, c=lib.ones(1))
        assert [s.grad_fn.name() if s.grad_fn is not None else None for s in salidas] == \
            ["BackwardHookFunctionBackward", None, None]
        salidas[0].sum().backward()
        (gi, go), = registro
        assert len(gi) == 3 and gi[2] is None and len(go) == 3 and go[2] is None
        resultados.append((_np(gi[0]), _np(gi[1]), _np(go[0]), _np(a.grad)))
    for x, y in zip(*resultados):
        np.testing.assert_allclose(x, y)


def test_sin_entradas_con_gradiente_avisa_y_llama_con_none(requiere_torch):
    for lib in (requiere_torch, tg):
        capa, registro = lib.nn.Linear(2, 2), []
        capa.register_full_backward_hook(lambda m, gi, go: registro.append((gi, go)))
        with pytest.warns(UserWarning):
            capa(lib.ones(1, 2)).sum().backward()
        (gi, go), = registro
        assert gi == (None,) and tuple(go[0].shape) == (1, 2)
        capa2 = lib.nn.Linear(2, 2)
        capa2.register_full_backward_hook(lambda m, gi, go: (lib.ones(1, 2),))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(RuntimeError):
                capa2(lib.ones(1, 2)).sum().backward()


def test_orden_prepend_remove_y_with(requiere_torch):
    ordenes = []
    for lib in (requiere_torch, tg):
        capa, llamadas = lib.nn.Linear(2, 2), []
        capa.register_full_backward_hook(lambda *a: llamadas.append("h1"))
        capa.register_full_backward_hook(lambda *a: llamadas.append("h0"), prepend=True)
        capa.register_full_backward_pre_hook(lambda *a: llamadas.append("p1"))
        capa.register_full_backward_pre_hook(lambda *a: llamadas.append("p0"), prepend=True)
        capa.register_forward_hook(lambda *a: llamadas.append("f"))
        quitado = capa.register_full_backward_hook(lambda *a: llamadas.append("quitado"))
        quitado.remove()
        x = lib.ones(1, 2, requires_grad=True)
        capa(x).sum().backward()
        ordenes.append(llamadas)
    assert ordenes[1] == ordenes[0] == ["f", "p0", "p1", "h0", "h1"]
    capa, llamadas = nn.Linear(2, 2), []
    with capa.register_full_backward_hook(lambda *a: llamadas.append(1)):
        capa(tg.ones(1, 2, requires_grad=True)).sum().backward()
    capa(tg.ones(1, 2, requires_grad=True)).sum().backward()
    assert llamadas == [1]


def test_numero_equivocado_de_gradientes_da_error():
    capa = nn.Linear(2, 2)
    capa.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
    with pytest.raises(RuntimeError, match="2 elementos en grad_input, pero se esperaban 1"):
        capa(tg.ones(1, 2, requires_grad=True)).sum().backward()
    capa = nn.Linear(2, 2)
    capa.register_full_backward_pre_hook(lambda m, go: (go[0], go[0]))
    with pytest.raises(RuntimeError, match="grad_output"):
        capa(tg.ones(1, 2, requires_grad=True)).sum().backward()


def test_create_graph_y_segunda_derivada(requiere_torch):
    resultados = []
    for lib in (requiere_torch, tg):
        lib.manual_seed(0)
        capa, llamadas = lib.nn.Linear(2, 2), []
        capa.register_full_backward_hook(lambda m, gi, go: llamadas.append(len(gi)))
        x = lib.tensor([[0.3, -0.7]], requires_grad=True)
        g, = lib.autograd.grad(capa(x).pow(2).sum(), x, create_graph=True)
        antes = len(llamadas)
        g.sum().backward()
        resultados.append((antes, _np(g), _np(x.grad)))
    assert resultados[1][0] == resultados[0][0] == 1
    np.testing.assert_allclose(resultados[1][1], resultados[0][1], rtol=1e-6)
    np.testing.assert_allclose(resultados[1][2], resultados[0][2], rtol=1e-6)


def test_sin_gradiente_no_se_envuelve_y_el_modulo_se_copia():
    capa, llamadas = nn.Linear(2, 2), []
    capa.register_full_backward_hook(lambda *a: llamadas.append(1))
    with tg.no_grad():
        y = capa(tg.ones(1, 2, requires_grad=True))
    assert y.grad_fn is None and llamadas == []
    copia = copy.deepcopy(nn.Linear(2, 2))
    copia(tg.ones(1, 2)).sum().backward()
    restaurada = pickle.loads(pickle.dumps(nn.Linear(2, 2)))
    restaurada.register_full_backward_pre_hook(lambda *a: None)
    restaurada(tg.ones(1, 2, requires_grad=True)).sum().backward()
    assert list(capa.state_dict()) == ["weight", "bias"]


def test_varias_entradas_y_salidas_con_gradiente(requiere_torch):
    resultados = []
    for lib in (requiere_torch, tg):
        class Dos(lib.nn.Module):
            def forward(self, a, b):
                return a * 2, a * b

        m, registro = Dos(), []
        m.register_full_backward_pre_hook(lambda mod, go: (go[0], go[1] * 10))
        m.register_full_backward_hook(lambda mod, gi, go: registro.append((gi, go)))
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([3.0, -1.0], requires_grad=True)
        x, y = m(a, b)
        assert x.grad_fn.name() == y.grad_fn.name() == "BackwardHookFunctionBackward"
        (x.sum() + (y * y).sum()).backward()
        (gi, go), = registro
        resultados.append([_np(g) for g in gi + go] + [_np(a.grad), _np(b.grad)])
    for x, y in zip(*resultados):
        np.testing.assert_allclose(x, y)


def test_create_graph_con_varias_entradas_y_salidas(requiere_torch):
    resultados = []
    for lib in (requiere_torch, tg):
        class Dos(lib.nn.Module):
            def forward(self, a, b):
                return a * b, a.sin() * b

        m, registro = Dos(), []
        m.register_full_backward_hook(lambda mod, gi, go: registro.append(
            [_np(g) for g in gi + go]))
        m.register_full_backward_pre_hook(lambda mod, go: (go[0] * 2, go[1]))
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([3.0, 4.0], requires_grad=True)
        x, y = m(a, b)
        ga, gb = lib.autograd.grad((x ** 2).sum() + (y ** 3).sum(), (a, b), create_graph=True)
        (ga.sum() + (gb * gb).sum()).backward()
        resultados.append(registro[0] + [_np(ga), _np(gb), _np(a.grad), _np(b.grad),
                                         np.array(len(registro))])
    for x, y in zip(*resultados):
        np.testing.assert_allclose(x, y, rtol=1e-5)
