"""El cuaderno «Modelos neuronales II» (y = x²) en modo rápido: la lección se cumple con números.

Se ejecuta ``examples/cuadernos/modelos_neuronales_ii.ipynb`` con ``TINYGRAD_ES_RAPIDO=1``
(2 000 pasos en lugar de 50 000; unos 6 s) y se comprueba lo que enseña:

- la red ReLU profunda (8 capas de 8, semilla 39, x en [0, 10], Adam con lr 1e-3) muere: los
  8 ReLU de la quinta capa oculta dan 0 para todos los datos, los gradientes de todas las capas
  anteriores (y los pesos que multiplican esa capa) son **exactamente** 0, la salida es la misma
  constante para todo x y la pérdida se queda en la varianza de y (908);
- con x/10 muere igual (la primera capa con gradiente exactamente 0);
- los dos arreglos (x estandarizada, LeakyReLU) bajan la pérdida de 1. Umbral: una red muerta
  se queda en 908 (predice la media de y); un error cuadrático medio de 1 es un error típico
  de una unidad en y ∈ [0, 100] y 900 veces menos que la red muerta. En modo rápido se miden
  0.027 y 0.025 (2.5e-3 y 0.015 con los 50 000 pasos), así que el margen es de 40 veces.
"""
import re

# nucleo y rapido_nuevo son fixtures
from test_cuadernos import _pngs, PNG, ejecutar, nucleo, rapido_nuevo  # noqa: F401



def test_cuaderno_modelos_neuronales_ii(nucleo, rapido_nuevo):
    texto, datos, _ = ejecutar("modelos_neuronales_ii.ipynb", nucleo)
    assert "modo rápido: 2000 pasos, lr = 0.001, semilla 39" in texto

    # La red ReLU que muere: gradientes exactamente 0 hasta la capa muerta, salida constante.
    nulos = re.search(r"con gradiente exactamente 0 \((\d+) de 18 tensores\): ([^\n]+)", texto)
    esperados = [f"{i}.{p}" for i in (0, 2, 4, 6, 8) for p in ("weight", "bias")] + ["10.weight"]
    assert nulos.group(2).split(", ") == esperados and int(nulos.group(1)) == 11
    assert "8 → 9 (ReLU): 8/8 muertas (100.0%)" in texto
    assert "la red da la misma salida para todos los x: desviación 0.00e+00" in texto
    perdida = {nombre: float(v) for nombre, v in re.findall(
        r"^(ReLU, x sin normalizar|ReLU, x normalizada|LeakyReLU, x sin normalizar)\s+"
        r"pérdida final\s+(\d+\.\d+)", texto, flags=re.M)}
    assert 907.0 < perdida["ReLU, x sin normalizar"] < 909.0      # varianza de y: 908.0
    assert "varianza de y: 908.0" in texto

    # x/10 no basta: muere igual.
    assert re.search(r"x/10: pérdida 907\.\d+ tras 3000 pasos; gradiente de 0\.weight "
                     r"exactamente 0: True", texto)

    # Los arreglos: por debajo de 1 (ver el umbral arriba); LeakyReLU sin ningún gradiente 0.
    assert perdida["ReLU, x normalizada"] < 1.0
    assert perdida["LeakyReLU, x sin normalizar"] < 1.0
    assert "LeakyReLU, x sin normalizar: 0 de 529 gradientes exactamente 0" in texto

    # Las dos figuras (las tres curvas de ajuste y las pérdidas) y la tabla final.
    pngs = _pngs(datos)
    assert len(pngs) == 2 and all(p[:8] == PNG for p in pngs)
    assert "x en [0, 10], lr 1e-3, 50 000 pasos" in texto
