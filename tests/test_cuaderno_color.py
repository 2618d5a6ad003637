"""El cuaderno ``redes_neuronales_color.ipynb`` en modo rápido: la lección se cumple con números.

Se ejecuta con ``TINYGRAD_ES_RAPIDO=1`` (3000 iteraciones de una muestra y 20 épocas por lotes;
unos 3 s con el arranque del núcleo) y se leen las cifras que imprime:

- la red entrenada (una muestra cada vez, error cuadrático medio) acierta claramente más que sin
  entrenar: sin entrenar la red 3-3-1 da casi la misma salida para todos los colores (aquí, letra
  negra para todos) y acierta la proporción de esa clase (50,0 % en prueba, 1027 de 2000), y entrenada pasa del 90 % (97,5 % en
  modo rápido, 97,3 % en la ejecución completa). Pedimos más del 90 % y 30 puntos de mejora:
  margen de sobra frente al baile de la exactitud de una muestra cada vez (92-99 % en la
  ejecución completa);
- el balance de clases es el de la regla, no un 50/50: se recalcula aquí con
  ``colores_fuente`` y la misma semilla, y la proporción sobre los 256³ colores con una cuenta
  cerrada distinta de la del cuaderno;
- la versión por lotes acierta parecido (a 5 puntos como mucho; 99,0 % frente a 97,5 %) y ve
  más muestras por segundo.
"""
import re

import numpy as np

# nucleo y rapido_nuevo son fixtures
from test_cuadernos import PNG, _pngs, ejecutar, nucleo, rapido_nuevo  # noqa: F401



def _porcentaje(patron, texto):
    return float(re.search(patron + r" (\d+\.\d)%", texto).group(1))


def test_cuaderno_redes_neuronales_color(nucleo, rapido_nuevo):  # noqa: F811
    texto, datos, _ = ejecutar("redes_neuronales_color.ipynb", nucleo)
    assert "modo rápido (3000 iteraciones de una muestra, 20 épocas por lotes)" in texto

    # Balance de clases: el de la regla con la semilla 0, no 1000/1000.
    import tinygrad_es as torch
    from tinygrad_es.datasets import colores_fuente
    blancas, n = map(int, re.search(r"balance de clases: (\d+) de (\d+) colores", texto).groups())
    torch.manual_seed(0)
    X, y = colores_fuente(2000)
    rgb = np.rint(X.numpy() * 255).astype(np.int64)
    assert n == 2000 and blancas != n // 2
    assert blancas == int(y.sum().item()) == int(((rgb @ [299, 587, 114]) < 128_000).sum())
    # Sobre los 256³ colores: para cada (R, G), los B con 114 B < 128000 - 299 R - 587 G.
    r, g = np.meshgrid(np.arange(256), np.arange(256), indexing="ij")
    resto = 128_000 - 299 * r - 587 * g
    todos = int(np.clip(-(-resto // 114), 0, 256).sum())
    assert f"piden letra blanca {todos} " in texto and todos != 256 ** 3 // 2

    sin_entrenar = _porcentaje("exactitud sin entrenar:", texto)
    muestra = _porcentaje("una muestra cada vez: exactitud en prueba", texto)
    lotes = _porcentaje("por lotes: exactitud en prueba", texto)
    assert 40.0 <= sin_entrenar <= 60.0            # una clase entera: la proporción de esa clase
    # Sin entrenar todas las salidas quedan en 0,47-0,48 (lejos de 0,5): elige siempre letra
    # negra y acierta exactamente los colores que piden letra negra.
    eligen_blanca = int(re.search(r"elige letra blanca en (\d+) de los 2000", texto).group(1))
    aciertos = int(re.search(r"aciertos sin entrenar en los 2000 colores: (\d+)", texto).group(1))
    assert eligen_blanca == 0 and aciertos == n - blancas
    assert muestra > 90.0 and muestra - sin_entrenar > 30.0
    assert lotes > 90.0 and abs(lotes - muestra) <= 5.0
    veces = int(re.search(r"por lotes es (\d+) veces más rápida", texto).group(1))
    assert veces >= 3                              # 25-29 veces en la máquina de desarrollo

    tabla = [d["text/markdown"] for d in datos if "text/markdown" in d]
    assert len(tabla) == 1 and "3-3-1" in tabla[0] and "error cuadrático medio" in tabla[0]
    assert "una muestra cada vez" in tabla[0] and f"{lotes:.1f}%" in tabla[0]
    pngs = _pngs(datos)                            # balance, curvas y la rejilla de «Hola»
    assert len(pngs) == 3 and all(p[:8] == PNG for p in pngs)
