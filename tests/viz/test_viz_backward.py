"""Vista hacia atrás y registro: el gradiente de cada arista, grosores, resaltados, escalares."""
import re

import numpy as np
import pytest

import tinygrad_es as torch
import tinygrad_es.viz as viz
from tinygrad_es import nn
from tinygrad_es.viz.recorder import registro
from viz_dot import aristas, ids, nodos


def _grosor(atributos):
    return float(re.search(r"penwidth=([\d.]+)", atributos).group(1))


def _etiqueta(atributos):
    """El texto de la etiqueta sin el margen que la separa de la arista (ver test_margen_...)."""
    texto = re.search(r'label="([^"]*)"', atributos).group(1)
    lineas = [linea.lstrip(" ") for linea in texto.split("\\n")]
    return "\\n".join(lineas[:-1] if len(lineas) > 1 and not lineas[-1] else lineas)


def test_aristas_llevan_la_norma_del_gradiente():
    a = torch.tensor([3.0, 4.0], requires_grad=True)
    with viz.registrar():
        L = (a * 2).sum()
        L.backward()
    fuente = viz.draw_backward(L).source
    por_arista = {(c, h): at for c, h, at in aristas(fuente)}
    assert _etiqueta(por_arista[("p1", "op1")]) == f"‖g‖ = {np.hypot(2, 2):.4g}"   # [2, 2]
    assert _etiqueta(por_arista[("op1", "op2")]) == f"‖g‖ = {np.hypot(1, 1):.4g}"  # [1, 1]
    assert _etiqueta(por_arista[("op2", "salida1")]) == "inicio: ∂salida/∂salida = 1.0"
    assert all("dir=back" in at for at in por_arista.values())
    assert _grosor(por_arista[("p1", "op1")]) > _grosor(por_arista[("op1", "op2")]) > \
        _grosor(por_arista[("op2", "salida1")])
    assert viz.draw_graph(L, direction="backward").source == fuente


def test_derivada_local_y_contribucion_en_grafos_de_escalares():
    a = torch.tensor(3.0, requires_grad=True)
    b = torch.tensor(2.0, requires_grad=True)
    with viz.registrar():
        c = a * b
        L = c * 4
        L.backward()
    nombres = {"a": a, "b": b, "c": c, "L": L}
    fuente = viz.draw_backward(c, params=nombres).source
    por_arista = {(c_, h): _etiqueta(at) for c_, h, at in aristas(fuente)}
    # c es la salida dibujada; su gradiente (4.0) llegó desde L
    assert por_arista[("p1", "op1")] == "∂c/∂a = b = 2.0\\n→ 4.0·2.0 = +8.0"
    assert por_arista[("p2", "op1")] == "∂c/∂b = a = 3.0\\n→ 4.0·3.0 = +12.0"
    fuente = viz.draw_backward(L, params=nombres).source
    por_arista = {(c_, h): _etiqueta(at) for c_, h, at in aristas(fuente)}
    assert por_arista[("op1", "op2")] == "∂L/∂c = 4.0\\n→ +4.0"
    assert por_arista[("op2", "salida1")] == "inicio: ∂L/∂L = 1.0"
    # el ejemplo del enunciado: ∂c/∂a = b = 2.0 → +2.0
    with viz.registrar():
        c2 = a * b
        c2.backward()
    fuente = viz.draw_backward(c2, params={"a": a, "b": b, "c": c2}).source
    por_arista = {(c_, h): _etiqueta(at) for c_, h, at in aristas(fuente)}
    assert por_arista[("p1", "op1")] == "∂c/∂a = b = 2.0\\n→ +2.0"


def test_margen_entre_la_arista_gruesa_y_su_etiqueta():
    """dot pega la etiqueta al lado de la arista sin contar su grosor: una arista gruesa tapaba
    el primer carácter («‖g‖ = 0.02» se leía «g‖ = 0.02»). Cada línea lleva delante 2 espacios,
    3 si la arista es gruesa (penwidth ≥ 3.5)."""
    a = torch.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    with viz.registrar():
        L = ((a * 1e-3).sigmoid() * 50).sum() * b     # normas de 1e-2 a 1e2: grosores 1 a 6
        L.backward()
    fuente = viz.draw_backward(L, params={"a": a, "b": b, "L": L}).source
    vistas = 0
    for _, _, at in aristas(fuente):
        if "penwidth=" not in at:
            continue
        grosor = float(re.search(r"penwidth=([\d.]+)", at).group(1))
        texto = re.search(r'label="([^"]*)"', at).group(1)
        margen = "   " if grosor >= 3.5 else "  "
        for linea in texto.split("\\n"):
            assert linea.startswith(margen) and linea[len(margen)] != " ", (grosor, texto)
        vistas += 1
    grosores = [float(g) for g in re.findall(r"penwidth=([\d.]+)", fuente)]
    assert vistas >= 5 and min(grosores) < 3.5 <= max(grosores)
    # y con derivadas de dos líneas (grafos de escalares), en las dos
    with viz.registrar():
        c = b * b
        c.backward()
    fuente = viz.draw_backward(c, params={"b": b, "c": c}).source
    assert 'label="   ∂c/∂b = b = 3.0\\n   → +3.0"' in fuente


def test_derivadas_locales_de_operaciones_elementales():
    x = torch.tensor(0.5, requires_grad=True)
    with viz.registrar():
        t = torch.tanh(x)
        s = torch.sigmoid(t)
        s.backward()
    fuente = viz.draw_backward(s, params={"x": x, "t": t, "s": s}).source
    por_arista = {(c, h): _etiqueta(at) for c, h, at in aristas(fuente)}
    tv = np.tanh(0.5)
    sv = 1 / (1 + np.exp(-tv))
    ds = sv * (1 - sv)
    assert por_arista[("op1", "op2")] == f"∂s/∂t = s·(1 - s) = {ds:.4g}\\n→ +{ds:.4g}"
    dt = 1 - tv ** 2
    assert por_arista[("p1", "op1")] == \
        f"∂t/∂x = 1 - t² = {dt:.4g}\\n→ {ds:.4g}·{dt:.4g} = +{ds * dt:.4g}"


def test_gradientes_que_se_desvanecen_y_que_explotan():
    x = torch.ones(3, requires_grad=True)
    z = torch.ones(3, requires_grad=True)
    with viz.registrar():
        L = (x * 1e-8).sum() + (z * 1e6).sum()
        L.backward()
    fuente = viz.draw_backward(L, params={"x": x, "z": z}).source
    por_arista = {(c, h): at for c, h, at in aristas(fuente)}
    hoja = por_arista[("p1", "op1")]          # x recibe [1e-8, 1e-8, 1e-8]
    assert "(se desvanece)" in hoja and "#d62728" in hoja and "dashed" in hoja
    explota = por_arista[("p2", "op3")]       # z recibe [1e6, 1e6, 1e6]
    assert "¡explota!" in explota and "#e8590c" in explota
    assert 'COLOR="#d62728">gradiente:' in nodos(fuente)["p1"]
    assert 'COLOR="#e8590c">gradiente:' in nodos(fuente)["p2"]


def test_la_leccion_de_la_sigmoide_el_gradiente_se_desvanece_en_profundidad():
    x = torch.tensor([2.0], requires_grad=True)
    with viz.registrar():
        h = x
        for _ in range(15):
            h = torch.sigmoid(h)
        h.sum().backward()
    por_arista = {(c, h_): at for c, h_, at in aristas(viz.draw_backward(h.sum()).source)}
    assert "(se desvanece)" in por_arista[("p1", "op1")]       # cerca de la entrada
    assert "(se desvanece)" not in por_arista[("op15", "op16")]  # cerca de la salida
    assert float(x.grad) < 1e-7


def test_la_leccion_de_la_relu_muerta_gradiente_cero():
    torch.manual_seed(0)
    capa = nn.Linear(3, 2)
    with torch.no_grad():
        capa.bias.fill_(-100.0)
    with viz.registrar():
        perdida = torch.relu(capa(torch.randn(4, 3))).sum()
        perdida.backward()
    fuente = viz.draw_backward(perdida, model=capa).source
    por_arista = {(c, h): at for c, h, at in aristas(fuente)}
    assert "‖g‖ = 0.0  (se desvanece)" in _etiqueta(por_arista[("op1", "op2")])
    assert 'COLOR="#d62728">gradiente: ‖g‖ = 0.0 ·' in nodos(fuente)["p1"]


def test_sin_registro_la_vista_hacia_atras_no_inventa_gradientes():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    L = (a * a).sum()
    L.backward()
    fuente = viz.draw_backward(L).source
    assert all("label=" not in at for _, _, at in aristas(fuente))
    assert "viz.registrar()" in nodos(fuente)["leyenda"]
    # las hojas sí tienen su .grad
    assert "gradiente: ‖g‖ = 4.472 · [2.0, 4.0]" in nodos(fuente)["p1"]


def test_registro_de_aristas_coincide_con_el_motor_y_muestra_la_acumulacion():
    a = torch.tensor([1.0, -2.0], requires_grad=True)
    with viz.registrar() as reg:
        b = a * 3
        L = (b.exp() + b * 2).sum()
        L.backward()
    rb = registro(b.grad_fn)
    assert len(rb.recibidos) == 2        # de Exp y de Mul: dos ramas
    suma = rb.recibidos[0][2] + rb.recibidos[1][2]
    np.testing.assert_allclose(rb.gradiente, suma, rtol=1e-6)
    np.testing.assert_allclose(rb.gradiente, np.exp([3.0, -6.0]) + 2, rtol=1e-6)
    ra = registro(a.grad_fn) if a.grad_fn else registro(a._grad_accumulator())
    np.testing.assert_allclose(ra.gradiente, a.grad.numpy(), rtol=1e-6)
    assert reg.pasos[0] is L.grad_fn and reg.pasos[-1] is a._grad_accumulator()
    # las copias registradas no cambian aunque el motor siga sumando en sus arrays
    antes = [g.copy() for _, _, g in rb.recibidos]
    a.grad = None
    assert all(np.array_equal(x, y) for x, y in zip(antes, [g for _, _, g in rb.recibidos]))


def test_reutilizar_un_tensor_suma_dos_contribuciones():
    a = torch.tensor(3.0, requires_grad=True)
    with viz.registrar():
        b = a * a
        c = b + b
        c.backward()
    fuente = viz.draw_backward(c, params={"a": a, "b": b, "c": c}).source
    etiquetas = [_etiqueta(at) for c_, h, at in aristas(fuente) if (c_, h) == ("p1", "op1")]
    assert etiquetas == ["∂b/∂a = a = 3.0\\n→ 2.0·3.0 = +6.0"] * 2
    assert float(a.grad) == 12.0


def test_coincide_con_pytorch_el_gradiente_de_un_intermedio(requiere_torch):
    pt = requiere_torch
    rng = np.random.default_rng(0)
    W = rng.standard_normal((3, 4)).astype(np.float32)
    X = rng.standard_normal((5, 4)).astype(np.float32)
    w = torch.tensor(W, requires_grad=True)
    with viz.registrar():
        h = torch.relu(torch.tensor(X) @ w.T)
        L = (h * h).mean()
        L.backward()
    wt = pt.tensor(W, requires_grad=True)
    ht = pt.relu(pt.tensor(X) @ wt.T)
    ht.retain_grad()
    (ht * ht).mean().backward()
    np.testing.assert_allclose(registro(h.grad_fn).gradiente, ht.grad.numpy(), rtol=1e-5)
    fuente = viz.draw_backward(L, params={"h": h}).source
    norma = np.linalg.norm(ht.grad.numpy())
    assert f"‖g‖ = {norma:.4g}" in fuente


def test_aristas_de_modulos_colapsados_combinan_normas():
    torch.manual_seed(0)
    capas = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    with viz.registrar():
        L = capas(torch.randn(4, 2)).sum()
        L.backward()
    fuente = viz.draw_backward(L, model=capas, collapse=True).source
    assert len(ids(fuente, "m")) == 3
    etiquetas = [_etiqueta(at) for c, h, at in aristas(fuente) if c.startswith("m")]
    assert len(etiquetas) == 3 and all(e.startswith("‖g‖ = ") for e in etiquetas)


@pytest.mark.parametrize("rankdir", ["TB", "LR"])
def test_rankdir(rankdir):
    a = torch.ones(1, requires_grad=True)
    assert f"rankdir={rankdir}" in viz.draw_backward(a * 2, rankdir=rankdir).source
