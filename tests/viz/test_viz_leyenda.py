"""La leyenda de los dibujos explica lo que el dibujo muestra, y nada más.

Cada fila de la leyenda (colores de nodo, trazos de arista, la línea del gradiente) tiene que
corresponder a algo dibujado, y todo lo dibujado tiene su fila. Se afirma sobre el texto DOT.
También, que los dibujos del ejemplo de XOR escriben «pérdida» con tilde y que el camino de los
datos va en una columna recta.
"""
import importlib.util
import pathlib
import re
import sys

import pytest

import tinygrad_es as torch
import tinygrad_es.viz as viz
from tinygrad_es import nn
from viz_dot import aristas, ids, nodos

RAIZ = pathlib.Path(__file__).resolve().parents[2]

OP = "operación #n (n: orden en el forward; forma y tipo de su salida)"
PARAM = "tensor hoja que requiere gradiente (parámetro)"
ENTRADA = "entrada sin gradiente (datos, constantes)"
SALIDA = "salida (el tensor dibujado)"
CAJA = "módulo: caja «ruta: tipo»"
COLAPSADO = "módulo colapsado en un solo nodo"
GRADIENTE = "gradiente: ∂salida/∂(ese tensor), tras backward()"
FLECHA = "el dato fluye hacia la operación que lo usa"
FLUJO = "gradiente hacia atrás (grosor según su magnitud)"
DESVANECE = "se desvanece: ‖g‖ &lt; 1e-7"
EXPLOTA = "explota: ‖g‖ &gt; 1000.0"
PUNTEADA = "entrada sin gradiente: no recibe nada"
SIN_DATO = "hubo gradiente, pero no se registró (backward fuera de viz.registrar())"


def filas(fuente):
    """Los textos de las filas de la leyenda, en orden (sin el título ni la nota final)."""
    html = nodos(fuente)["leyenda"]
    celdas = re.findall(r'<TD (?:COLSPAN="2" )?ALIGN="LEFT">(.*?)</TD>', html)
    return [c for c in celdas if not c.startswith("<FONT POINT-SIZE")]


def colores_de_muestra(fuente):
    return set(re.findall(r'<TD BGCOLOR="(#[0-9a-f]{6})" WIDTH="24">', nodos(fuente)["leyenda"]))


def colores_dibujados(fuente):
    """Relleno de cada nodo dibujado (sin la leyenda) y de cada caja de módulo."""
    nodo = {re.search(r'fillcolor="(#[0-9a-f]{6})"', linea).group(1)
            for id_, linea in nodos(fuente).items() if id_ != "leyenda"}
    caja = set(re.findall(r'^\t+color="#adb5bd" fillcolor="(#[0-9a-f]{6})" fontname=', fuente,
                          flags=re.M))
    return nodo, caja


def _xor_de_ejemplo(capsys):
    """El paso registrado de examples/xor_grafos.py (60 épocas) y sus dos dibujos."""
    if str(RAIZ / "examples") not in sys.path:
        sys.path.insert(0, str(RAIZ / "examples"))
    spec = importlib.util.spec_from_file_location("xor_grafos", RAIZ / "examples" / "xor_grafos.py")
    xor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(xor)
    modelo, criterio = xor.entrenar(epocas=60, informar_cada=0)
    perdida, nombres = xor.paso_registrado(modelo, criterio)
    capsys.readouterr()
    return xor.dibujos(perdida, modelo, nombres)


def test_leyenda_del_forward_de_xor_lista_lo_que_muestra(capsys):
    adelante, _ = _xor_de_ejemplo(capsys)
    fuente = adelante.source
    assert filas(fuente) == [OP, PARAM, ENTRADA, SALIDA, CAJA, GRADIENTE, FLECHA]
    # cada muestra de color tiene su nodo o su caja, y cada relleno dibujado está en la leyenda
    nodo, caja = colores_dibujados(fuente)
    assert colores_de_muestra(fuente) == nodo | {"#f8f9fa"}
    assert "#f8f9fa" in caja
    assert len(aristas(fuente)) > 0 and "dir=back" not in fuente


def test_leyenda_del_backward_de_xor_lista_lo_que_muestra(capsys):
    _, atras = _xor_de_ejemplo(capsys)
    fuente = atras.source
    assert filas(fuente) == [OP, PARAM, ENTRADA, SALIDA, CAJA, GRADIENTE, FLUJO, PUNTEADA]
    # nada se desvanece ni explota en este dibujo: ni trazos rojos ni naranjas, ni sus filas
    assert "#d62728" not in fuente.replace(nodos(fuente)["leyenda"], "")
    assert "#e8590c" not in fuente.replace(nodos(fuente)["leyenda"], "")
    assert sum("style=dotted" in at for _, _, at in aristas(fuente)) == 2   # X e Y


def test_sin_registro_no_hay_entradas_ni_su_fila():
    torch.manual_seed(0)
    modelo = nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 1))
    perdida = modelo(torch.ones(4, 2)).pow(2).mean()
    perdida.backward()
    fuente = viz.draw_graph(perdida, model=modelo).source
    assert ids(fuente, "x") == []                 # sin registro no se conoce la entrada
    assert filas(fuente) == [OP, PARAM, SALIDA, CAJA, GRADIENTE, FLECHA]
    assert "viz.registrar()" in nodos(fuente)["leyenda"]   # y dice cómo verla


def test_sin_gradientes_no_hay_fila_de_gradiente():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (a * 3).sum()                             # sin backward: ningún gradiente que mostrar
    assert filas(viz.draw_graph(y).source) == [OP, PARAM, SALIDA, FLECHA]
    y.backward()
    assert GRADIENTE not in filas(viz.draw_graph(y, show_grads=False).source)
    assert GRADIENTE in filas(viz.draw_graph(y).source)


@pytest.mark.parametrize("direccion", ["forward", "backward"])
def test_fila_de_desvanece_y_explota_solo_si_los_hay(direccion):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([1.0, 2.0], requires_grad=True)
    with viz.registrar():
        L = (a * 1e-9).sum() + (b * 1e5).sum()    # a.grad = 1e-9 (desvanece), b.grad = 1e5
        L.backward()
    fuente = viz.draw_graph(L, direction=direccion).source
    leyenda = nodos(fuente)["leyenda"]
    assert DESVANECE in filas(fuente) and EXPLOTA in filas(fuente)
    # hacia delante se colorea el texto del gradiente (muestra «‖g‖»); hacia atrás, la arista
    muestra = "<B>━━</B>" if direccion == "backward" else "<B>‖g‖</B>"
    assert f'<FONT COLOR="#d62728">{muestra}</FONT>' in leyenda
    with viz.registrar():
        M = (a * 1e-9).sum()
        a.grad = None
        M.backward()
    assert EXPLOTA not in filas(viz.draw_graph(M, direction=direccion).source)
    assert DESVANECE in filas(viz.draw_graph(M, direction=direccion).source)


def test_modulos_colapsados_y_gradiente_sin_registrar():
    torch.manual_seed(0)
    modelo = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    perdida = modelo(torch.ones(4, 2)).sum()
    perdida.backward()                            # fuera de viz.registrar()
    fuente = viz.draw_backward(perdida, model=modelo, collapse=1).source
    assert len(ids(fuente, "m")) == 3             # las tres capas, dentro de la caja Sequential
    assert COLAPSADO in filas(fuente) and CAJA in filas(fuente)
    assert SIN_DATO in filas(fuente) and FLUJO not in filas(fuente)
    assert all("#adb5bd" in at for _, _, at in aristas(fuente))
    fuente = viz.draw_backward(perdida, model=modelo, collapse=0).source
    assert len(ids(fuente, "m")) == 1             # todo el modelo en un nodo: no hay cajas
    assert "subgraph cluster" not in fuente
    assert COLAPSADO in filas(fuente) and CAJA not in filas(fuente) and PARAM not in filas(fuente)


def test_los_dibujos_del_ejemplo_escriben_perdida_con_tilde(capsys):
    for grafo in _xor_de_ejemplo(capsys):
        fuente = grafo.source
        assert "<B>salida: pérdida</B>" in fuente
        assert "perdida" not in fuente            # ni en la salida ni en ∂pérdida/∂pérdida
    atras = grafo.source
    assert "inicio: ∂pérdida/∂pérdida = 1.0" in atras
    assert "la pérdida viaja hacia los pesos" in atras


def test_el_camino_de_los_datos_va_en_una_columna(capsys):
    """Los nodos de X → Linear → Sigmoid → ... → pérdida llevan el mismo ``group``: dot los pone
    en línea recta y sus flechas no cruzan en diagonal el título de las cajas («MSELoss»)."""
    for grafo in _xor_de_ejemplo(capsys):
        fuente = grafo.source
        en_grupo = sorted(i for i, linea in nodos(fuente).items() if "group=principal" in linea)
        assert en_grupo == ["op1", "op2", "op3", "op4", "op5", "salida1"]
    # con los módulos colapsados, el camino pasa por sus nodos
    torch.manual_seed(0)
    modelo = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    y = modelo(torch.ones(4, 2)).sum()
    fuente = viz.draw_graph(y, model=modelo, collapse=1).source
    en_grupo = sorted(i for i, linea in nodos(fuente).items() if "group=principal" in linea)
    assert en_grupo == ["m2", "m3", "m4", "op4", "salida1"]


def test_aristas_horizontales_dejan_sitio_bajo_la_etiqueta(capsys):
    """Un parámetro va a la altura de su operación (rank=same): su arista es horizontal y dot
    pone la etiqueta encima; si la arista salta sobre otro nodo (el sesgo, detrás del peso),
    el arco pasaba por el texto. La etiqueta lleva una línea en blanco debajo."""
    _, atras = _xor_de_ejemplo(capsys)
    etiquetas = {(c, h): re.search(r'label="([^"]*)"', at).group(1)
                 for c, h, at in aristas(atras.source) if "label=" in at}
    for parametro in ("p1", "p2", "p3", "p4"):            # pesos y sesgos, al lado de su Linear
        (texto,) = [t for (c, _), t in etiquetas.items() if c == parametro]
        assert texto.endswith("\\n ") and texto.lstrip().startswith(("‖g‖ = ", "g = ")), texto
    for (cola, _), texto in etiquetas.items():             # las del camino de los datos, no
        if cola.startswith("op"):
            assert "\\n" not in texto, texto
