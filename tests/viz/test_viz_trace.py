"""trace_backward: la regla de la cadena paso a paso, en texto, Markdown y LaTeX."""
import numpy as np
import pytest

import tinygrad_es as torch
import tinygrad_es.viz as viz
from tinygrad_es import nn


def _micrograd():
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(-3.0, requires_grad=True)
    c = torch.tensor(10.0, requires_grad=True)
    f = torch.tensor(-2.0, requires_grad=True)
    with viz.registrar():
        e = a * b
        d = e + c
        L = d * f
    return L, {"a": a, "b": b, "c": c, "f": f, "e": e, "d": d, "L": L}


def test_traza_de_escalares_en_orden_de_ejecucion(capsys):
    L, nombres = _micrograd()
    traza = viz.trace_backward(L, params=nombres)
    impreso = capsys.readouterr().out
    assert impreso == str(traza) + "\n"
    assert [p.nodo for p in traza.pasos] == ["Mul #3", "f", "Add #2", "c", "Mul #1", "b", "a"]
    texto = str(traza)
    assert "Paso 1 · Mul #3\n  recibe:  semilla: 1.0\n  regla:   ∂/∂a = b, ∂/∂b = a\n" in texto
    assert "  envía →  Add #2: ∂L/∂d = f = -2.0 → -2.0\n" in texto
    assert "  envía →  f: ∂L/∂f = d = 4.0 → +4.0\n" in texto
    assert "  envía →  a: ∂e/∂a = b = -3.0 → (-2.0)·(-3.0) = +6.0\n" in texto
    assert "Paso 7 · a\n  recibe:  de Mul #1: 6.0\n  acumula: a.grad += 6.0\n" in texto
    assert [nombres[k].grad.item() for k in "abcf"] == [6.0, -4.0, -2.0, 4.0]


def test_dos_ramas_se_suman():
    a = torch.tensor(1.0, requires_grad=True)
    with viz.registrar():
        b = a * 3
        L = b.exp() + b * 2
    traza = viz.trace_backward(L, params={"a": a, "b": b, "L": L}, imprimir=False)
    paso_b = next(p for p in traza.pasos if p.nodo == "Mul #1")
    assert [o for o, _ in paso_b.recibidos] == ["Mul #3", "Exp #2"]
    total = np.exp(3.0) + 2.0
    assert f"suma de 2 ramas: de Mul #3: 2.0 + de Exp #2: {np.exp(3.0):.4g} = {total:.4g}" in \
        str(traza)
    assert float(a.grad) == pytest.approx(3 * total, rel=1e-6)


def test_reutilizar_un_tensor_en_la_misma_operacion():
    a = torch.tensor(3.0, requires_grad=True)
    traza = viz.trace_backward(a * a, params={"a": a}, imprimir=False)
    assert "suma de 2 ramas: de Mul #1: 3.0 + de Mul #1: 3.0 = 6.0" in str(traza)
    assert "a.grad += 6.0" in str(traza)


def test_traza_de_tensores_con_normas_y_modulos():
    torch.manual_seed(0)
    modelo = nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 1))
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    criterio = nn.MSELoss()
    traza = viz.trace_backward(criterio(modelo(X), Y), model=modelo, imprimir=False)
    texto = str(traza)
    assert [p.nodo for p in traza.pasos] == [
        "MseLoss #4", "Linear #3", "2.bias", "2.weight", "Sigmoid #2", "Linear #1", "0.bias",
        "0.weight"]
    assert "Paso 2 · Linear #3 [2: Linear]" in texto
    assert "regla:   ∂/∂x = G·W, ∂/∂W = Gᵀ·x, ∂/∂b = Σ filas de G" in texto
    g = modelo[0].weight.grad.numpy()
    assert f"0.weight.grad += ‖g‖ = {np.linalg.norm(g):.4g} · forma (3, 2)" in texto


def test_markdown_y_latex():
    L, nombres = _micrograd()
    traza = viz.trace_backward(L, "markdown", params=nombres, imprimir=False)
    md = str(traza).splitlines()
    assert md[0] == "| Paso | Nodo | Gradiente que recibe | Derivada local | Envía a |"
    assert len(md) == 2 + 7 and all(linea.count(" | ") >= 4 for linea in md[2:])
    assert "Add #2: ∂L/∂d = f = -2.0 → -2.0<br>f: ∂L/∂f = d = 4.0 → +4.0" in md[2]
    tex = traza.como("latex")
    assert tex.startswith(r"\begin{tabular}") and tex.rstrip().endswith(r"\end{tabular}")
    assert r"Mul \#3" in tex and r"$\partial$L/$\partial$d" in tex
    assert tex.count(r" \\") == 1 + 7


def test_version_de_ejercicio_sin_respuestas():
    L, nombres = _micrograd()
    traza = viz.trace_backward(L, "markdown", params=nombres, respuestas=False, imprimir=False)
    ejercicio = str(traza)
    assert "______" in ejercicio and "6.0" not in ejercicio and "-4.0" not in ejercicio
    assert "∂e/∂a = b" in ejercicio                # la fórmula queda, el número no
    clave = traza.como("markdown", respuestas=True)
    assert "+6.0" in clave


def test_los_gradientes_son_los_de_backward():
    def modelo():
        w = torch.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
        x = torch.tensor([1.0, 3.0])
        return w, torch.tanh(w @ x).sum()

    w1, L1 = modelo()
    L1.backward()
    w2, L2 = modelo()
    viz.trace_backward(L2, imprimir=False)
    np.testing.assert_array_equal(w1.grad.numpy(), w2.grad.numpy())


def test_retain_graph_permite_repetir():
    a = torch.tensor(2.0, requires_grad=True)
    y = a * a
    t1 = viz.trace_backward(y, retain_graph=True, imprimir=False)
    t2 = viz.trace_backward(y, imprimir=False)
    assert str(t1) == str(t2)
    assert float(a.grad) == 8.0       # se acumula como con backward()


def test_sin_registrar_el_forward_la_derivada_sale_del_cociente():
    a = torch.tensor(3.0, requires_grad=True)
    traza = viz.trace_backward(torch.exp(a), params={"a": a}, imprimir=False)
    assert f"∂salida/∂a = exp(a) = salida = {np.exp(3.0):.4g} → +{np.exp(3.0):.4g}" in str(traza)


def test_errores():
    a = torch.tensor(2.0, requires_grad=True)
    with pytest.raises(ValueError, match="formato debe ser"):
        viz.trace_backward(a * 2, "html")
    with pytest.raises(RuntimeError, match="trace_backward necesita"):
        viz.trace_backward(torch.tensor(1.0))
    assert "pasos" in repr(viz.trace_backward(a * 2, imprimir=False))
