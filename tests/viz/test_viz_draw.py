"""draw_graph (vista hacia delante): nodos, nombres, formas, valores, cajas de módulos, colapso.

Todo se afirma sobre el texto DOT: no hace falta el programa ``dot``.
"""
import weakref

import numpy as np
import pytest

import tinygrad_es as torch
import tinygrad_es.viz as viz
from tinygrad_es import nn
from tinygrad_es.autograd.graph import grad_mode
from tinygrad_es.viz.recorder import registro
from viz_dot import aristas, cajas, ids, nodos


def _contar_grafo(salida):
    """Cuenta operaciones y hojas recorriendo grad_fn.parents a mano (independiente de viz)."""
    ops, hojas, vistos, pila = 0, 0, set(), [salida.grad_fn]
    while pila:
        n = pila.pop()
        if n is None or id(n) in vistos:
            continue
        vistos.add(id(n))
        if n.op_name == "AccumulateGrad":
            hojas += 1
        else:
            ops += 1
        pila.extend(n.parents)
    return ops, hojas


def test_cuenta_nodos_de_una_expresion_conocida():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    L = (a * b + a).sum()
    fuente = viz.draw_graph(L, legend=False).source
    assert len(ids(fuente, "op")) == 3 == _contar_grafo(L)[0]
    assert len(ids(fuente, "p")) == 2 == _contar_grafo(L)[1]
    assert ids(fuente, "salida") == ["salida1"]
    etiquetas = nodos(fuente)
    assert ["Mul" in etiquetas["op1"], "Add" in etiquetas["op2"], "Sum" in etiquetas["op3"]] == \
        [True, True, True]
    # a entra en Mul y en Add: dos aristas desde la misma hoja
    assert sorted((c, h) for c, h, _ in aristas(fuente)) == sorted([
        ("p1", "op1"), ("p2", "op1"), ("op1", "op2"), ("p1", "op2"), ("op2", "op3"),
        ("op3", "salida1")])


def test_cuenta_nodos_de_un_mlp_y_nombres_de_parametros():
    torch.manual_seed(0)
    modelo = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    perdida = modelo(torch.randn(5, 3)).pow(2).mean()
    fuente = viz.draw_graph(perdida, params=modelo, legend=False).source
    assert len(ids(fuente, "op")) == 5 == _contar_grafo(perdida)[0]   # Linear ReLU Linear Pow Mean
    assert len(ids(fuente, "p")) == 4 == _contar_grafo(perdida)[1]
    texto = "\n".join(nodos(fuente).values())
    for nombre in ("0.weight", "0.bias", "2.weight", "2.bias"):
        assert f"<B>{nombre}</B>" in texto
    # las formas y el tipo de cada parámetro y de las salidas de las operaciones
    assert "forma (4, 3) · tipo float32" in texto
    assert "forma (2,) · tipo float32" in texto
    assert "forma (5, 2) · tipo float32" in texto
    # lo mismo con un diccionario {nombre: tensor}
    fuente2 = viz.draw_graph(perdida, params=dict(modelo.named_parameters())).source
    assert "<B>2.weight</B>" in fuente2


def test_gradientes_solo_despues_de_backward():
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    c = a * b
    antes = viz.draw_graph(c, params={"a": a, "b": b}, legend=False).source
    assert "gradiente:" not in antes
    assert "valor: 2.0" in nodos(antes)["p1"]
    c.backward()
    despues = nodos(viz.draw_graph(c, params={"a": a, "b": b}).source)
    assert "gradiente: 3.0" in despues["p1"]     # ∂c/∂a = b
    assert "gradiente: 2.0" in despues["p2"]
    sin = nodos(viz.draw_graph(c, params={"a": a, "b": b}, show_grads=False).source)
    assert "gradiente" not in sin["p1"]


def test_valores_intermedios_solo_con_registro():
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = torch.relu(x) * 2
    sin_registro = nodos(viz.draw_graph(y.sum()).source)
    assert "valor" not in sin_registro["op1"]
    with viz.registrar():
        y = torch.relu(x) * 2
        s = y.sum()
    con = nodos(viz.draw_graph(s).source)
    assert "valor: [1.0, 0.0, 3.0]" in con["op1"]     # ReLU
    assert "valor: [2.0, 0.0, 6.0]" in con["op2"]     # Mul
    assert "constante: 2.0" in con["op2"]


def test_resumen_compacto_para_tensores_grandes():
    x = torch.arange(10.0, requires_grad=True)
    etiquetas = nodos(viz.draw_graph(x * 1.0).source)
    assert "valor: mín 0.0 · media 4.5 · máx 9.0" in etiquetas["p1"]
    etiquetas = nodos(viz.draw_graph(x * 1.0, max_elements=10).source)
    assert "valor: [0.0, 1.0, 2.0, 3.0, 4.0," in etiquetas["p1"]
    assert "9.0]" in etiquetas["p1"]


def test_entradas_sin_gradiente_registradas_con_nombre():
    torch.manual_seed(0)
    modelo = nn.Linear(2, 1)
    X = torch.randn(4, 2)
    with viz.registrar():
        salida = modelo(X)
    fuente = viz.draw_graph(salida, params={"X": X}, model=modelo).source
    (x_id,) = ids(fuente, "x")
    assert "<B>X</B>" in nodos(fuente)[x_id]
    assert "forma (4, 2)" in nodos(fuente)[x_id]
    assert "dashed" in nodos(fuente)[x_id]
    assert (x_id, "op1", "") in aristas(fuente)
    assert ids(viz.draw_graph(modelo(X)).source, "x") == []   # sin registro no se conoce X


def test_estilos_distintos_para_hojas_entradas_y_salida():
    w = torch.ones(2, requires_grad=True)
    with viz.registrar():
        y = w * torch.tensor([1.0, 2.0])
    n = nodos(viz.draw_graph(y).source)
    assert "#cfe2ff" in n["p1"] and "#d1e7dd" in n["salida1"] and "#e9ecef" in n["op1"]
    assert "filled,dashed" in n["x1"]
    assert "Leyenda" in n["leyenda"]


class Bloque(nn.Module):
    def __init__(self):
        super().__init__()
        self.stack = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))

    def forward(self, x):
        return self.stack(x) * 2


def test_cajas_anidadas_con_rutas_de_modulos():
    torch.manual_seed(0)
    modelo = Bloque()
    criterio = nn.MSELoss()   # vivo: el nodo guarda el módulo con una referencia débil
    perdida = criterio(modelo(torch.randn(4, 2)), torch.zeros(4, 1))
    fuente = viz.draw_graph(perdida, model=modelo).source
    dentro = cajas(fuente)
    assert dentro[None] == ["Bloque", "stack: Sequential", "stack.0: Linear", "stack.1: Tanh",
                            "stack.2: Linear", "MSELoss"]
    assert dentro["op1"] == ["Bloque", "stack: Sequential", "stack.0: Linear"]   # Linear
    assert dentro["op2"] == ["Bloque", "stack: Sequential", "stack.1: Tanh"]
    assert dentro["op4"] == ["Bloque"]                            # el * 2 del forward
    assert dentro["op5"] == ["MSELoss"]                           # la pérdida, fuera del modelo
    assert dentro["p1"] == ["Bloque", "stack: Sequential", "stack.0: Linear"]
    assert "<B>stack.0.weight</B>" in nodos(fuente)["p1"]
    assert dentro["salida1"] == []


def test_sin_modelo_las_cajas_llevan_el_tipo_y_los_parametros_su_nombre_local():
    torch.manual_seed(0)
    capa = nn.Linear(2, 2)
    fuente = viz.draw_graph(capa(torch.randn(1, 2)).sum()).source
    dentro = cajas(fuente)
    assert dentro[None] == ["Linear"]
    assert dentro["op1"] == ["Linear"]
    assert "<B>weight</B>" in fuente and "<B>bias</B>" in fuente


def test_el_registro_no_cuesta_fuera_del_modo_ni_retiene_el_grafo():
    assert grad_mode.recorder is None
    a = torch.ones(3, requires_grad=True)
    b = a * 2
    assert registro(b.grad_fn) is None
    with viz.registrar() as reg:
        assert grad_mode.recorder is reg
        c = a * 3
    assert grad_mode.recorder is None
    assert registro(c.grad_fn) is not None
    nodo = weakref.ref(c.grad_fn)
    del c
    assert nodo() is None          # el registro no mantiene vivo el grafo


def test_retain_grad_muestra_el_gradiente_de_un_intermedio():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    h = a * 3
    h.retain_grad()
    (h * h).sum().backward()
    assert "gradiente: ‖g‖ = 13.42 · [6.0, 12.0]" in nodos(viz.draw_graph(h).source)["salida1"]


def test_function_del_usuario_con_su_nombre():
    from tinygrad_es.autograd import Function

    class MiCubo(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x ** 2 * g

    a = torch.tensor(2.0, requires_grad=True)
    with viz.registrar():
        y = MiCubo.apply(a) + 1
    n = nodos(viz.draw_graph(y).source)
    assert "<B>MiCubo</B>" in n["op1"] and "valor: 8.0" in n["op1"]


def test_salida_hoja_y_salida_sin_grafo():
    w = torch.ones(2, requires_grad=True)
    fuente = viz.draw_graph(w).source
    assert ids(fuente, "op") == [] and len(ids(fuente, "p")) == 1
    assert "#d1e7dd" in nodos(fuente)["p1"]
    fuente = viz.draw_graph(torch.ones(2)).source
    assert "no requiere gradiente" in nodos(fuente)["salida1"]


def test_varias_salidas_comparten_el_grafo():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    h = a * 2
    fuente = viz.draw_graph([h.sum(), h.mean()]).source
    assert len(ids(fuente, "op")) == 3 and ids(fuente, "salida") == ["salida1", "salida2"]


def test_colapso_por_max_nodes_y_explicito():
    torch.manual_seed(0)
    x = torch.randn(3, 2)
    capas = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 2), nn.Tanh())
    perdida = capas(x).sum()
    completo = viz.draw_graph(perdida, model=capas).source
    assert len(ids(completo, "op")) == 5 and ids(completo, "m") == []
    colapsado = viz.draw_graph(perdida, model=capas, max_nodes=6).source
    modulos = ids(colapsado, "m")
    assert len(modulos) == 4 and len(ids(colapsado, "op")) == 1      # queda la suma
    assert ids(colapsado, "p") == []                                 # dentro de los módulos
    texto = "\n".join(nodos(colapsado)[m] for m in modulos)
    assert "0: Linear" in texto and "weight (2, 2)" in texto and "box3d" in texto
    assert len(aristas(colapsado)) == 5       # 0 → 1 → 2 → 3 → Sum → salida
    assert viz.draw_graph(perdida, model=capas, collapse=True).source == colapsado
    anidado = Bloque()
    p = anidado(x).sum()
    nivel1 = viz.draw_graph(p, model=anidado, collapse=1).source
    assert [nodos(nivel1)[m].split("<B>")[1].split("</B>")[0] for m in ids(nivel1, "m")] == \
        ["stack: Sequential"]


def test_dot_del_mlp_de_mnist():
    torch.manual_seed(0)
    modelo = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64),
                           nn.ReLU(), nn.Linear(64, 10), nn.LogSoftmax(dim=1))
    criterio = nn.NLLLoss()
    with viz.registrar():
        perdida = criterio(modelo(torch.randn(64, 1, 28, 28)), torch.randint(0, 10, (64,)))
        perdida.backward()
    fuente = viz.draw_graph(perdida, model=modelo).source
    assert len(ids(fuente, "op")) == 7 and len(ids(fuente, "p")) == 6
    assert cajas(fuente)["op7"] == ["NLLLoss"]
    assert "forma (128, 784)" in fuente and "1.weight" in fuente
    assert "mín" in nodos(fuente)["p1"]
    assert len(ids(viz.draw_graph(perdida, model=modelo, collapse=True).source, "m")) == 7


def test_errores_en_espanol():
    a = torch.ones(1, requires_grad=True)
    with pytest.raises(ValueError, match="direction debe ser"):
        viz.draw_graph(a * 2, direction="atras")
    with pytest.raises(ValueError, match="rankdir"):
        viz.draw_graph(a * 2, rankdir="XY")
    with pytest.raises(TypeError, match="params debe ser"):
        viz.draw_graph(a * 2, params=a)
    with pytest.raises(TypeError, match="espera un tensor"):
        viz.draw_graph([1, 2])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_valores_no_finitos_se_senalan():
    a = torch.tensor([1.0, 0.0, -1.0, 2.0, 3.0, 4.0, 5.0], requires_grad=True)
    with viz.registrar():
        y = torch.log(a)
    assert "¡1 nan, 1 inf!" in nodos(viz.draw_graph(y).source)["salida1"]
    assert np.isnan(y.detach().numpy()[2])


def test_grafo_de_cientos_de_nodos_se_colapsa_por_defecto():
    torch.manual_seed(0)
    capas = []
    for _ in range(100):
        capas += [nn.Linear(4, 4), nn.Tanh()]
    modelo = nn.Sequential(*capas)
    perdida = modelo(torch.randn(2, 4)).sum()
    fuente = viz.draw_graph(perdida, model=modelo).source     # 201 ops + 200 hojas > 300
    assert len(ids(fuente, "m")) == 200 and ids(fuente, "op") == ["op201"]
    assert len(aristas(fuente)) == 201
    completo = viz.draw_graph(perdida, model=modelo, max_nodes=None).source
    assert len(ids(completo, "op")) == 201 and len(ids(completo, "p")) == 200
