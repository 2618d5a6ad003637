"""viz con las capas de los capítulos siguientes: grupos de módulo con sus formas y el informe
de gradientes de capas conv y BatchNorm."""
import tinygrad_es as tg
import tinygrad_es.nn as nn
import tinygrad_es.nn.functional as F
from tinygrad_es import viz


def _red_y_perdida():
    tg.manual_seed(0)
    red = nn.Sequential(nn.Conv2d(1, 6, 3, padding=1), nn.BatchNorm2d(6), nn.ReLU(),
                        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(6 * 4 * 4, 10))
    perdida = F.cross_entropy(red(tg.randn(4, 1, 8, 8)), tg.randint(0, 10, (4,)))
    perdida.backward()
    return red, perdida


def test_el_grafo_agrupa_las_capas_y_muestra_sus_formas():
    red, perdida = _red_y_perdida()
    fuente = viz.draw_graph(perdida, params=red).source
    for texto in ("0: Conv2d", "1: BatchNorm2d", "3: MaxPool2d", "5: Linear",
                  "(4, 6, 8, 8)", "(4, 6, 4, 4)", "(6, 1, 3, 3)"):
        assert texto in fuente, texto
    assert fuente.count("subgraph cluster") >= 6   # Sequential y una caja por capa


def test_el_informe_de_gradientes_cubre_conv_y_batchnorm():
    red, _ = _red_y_perdida()
    informe = viz.gradient_report(red)
    texto = str(informe)
    for nombre, forma in (("0.weight", "(6, 1, 3, 3)"), ("1.weight", "(6,)"),
                          ("1.bias", "(6,)"), ("5.weight", "(10, 96)")):
        assert nombre in texto and forma in texto
    # el sesgo de una convolución seguida de BatchNorm no influye en la salida: gradiente ~0
    assert "0.bias: el gradiente se desvanece" in texto
    assert red[0].bias.grad.abs().max().item() < 1e-6
