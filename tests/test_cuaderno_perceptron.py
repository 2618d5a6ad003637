"""El cuaderno «Perceptrón simple y multicapa» en modo rápido: la lección se cumple con números.

Se ejecuta ``examples/cuadernos/perceptron_simple_y_multicapa.ipynb`` con ``TINYGRAD_ES_RAPIDO=1``
(XOR: 2 000 épocas y 4 semillas en lugar de 10 000 y 10; MNIST: 5 épocas en lugar de 50; unos
5 s con el arranque del núcleo) y se comprueba lo que enseña:

- la regla delta con columna de sesgo aprende el AND (de 2 entradas, con NumPy y con tensores,
  con los mismos pesos; y de 3 entradas): exactitud 100 %;
- el XOR con capas [2, 2, 2, 1] lo resuelve al menos una ejecución y al menos otra se queda
  atascada (en modo rápido llegan las semillas 0 y 3 y se quedan en RMSE 0,5 la 1 y la 2; con
  10 000 épocas llegan 7 de 10). Una ejecución atascada tiene RMSE ≥ 0,35: la red da 0,5 en dos
  casos o en los cuatro;
- los cuellos de botella 3-2 y 5-5 se quedan muy por debajo de la red ancha (128 sigmoides).
  Umbral: 10 puntos de exactitud de validación. En modo rápido se miden 37,5 % y 58,1 % frente a
  92,8 % (53,7 % y 79,5 % frente a 94,3 % con 50 épocas): la diferencia más pequeña, 15 puntos,
  es mucho mayor que lo que baila la exactitud de validación de 1 000 imágenes entre semillas
  (1-2 puntos).
"""
import re

# nucleo y rapido_nuevo son fixtures
from test_cuadernos import PNG, _pngs, ejecutar, nucleo, rapido_nuevo  # noqa: F401



def test_cuaderno_perceptron_simple_y_multicapa(nucleo, rapido_nuevo):  # noqa: F811
    texto, datos, _ = ejecutar("perceptron_simple_y_multicapa.ipynb", nucleo)
    assert "modo rápido (XOR: 2000 épocas × 4 ejecuciones; MNIST: 5 épocas)" in texto

    # La regla delta con la columna de sesgo aprende el AND.
    assert "NumPy: salidas [0 0 0 1], exactitud AND de 2 entradas: 100%" in texto
    assert "tinygrad_es: exactitud AND de 2 entradas: 100%" in texto
    assert "mismos pesos que NumPy: True" in texto
    assert "AND de 3 entradas: exactitud 100%" in texto
    assert "  (1, 1, 1) -> 1" in texto and "  (1, 1, 0) -> 0" in texto

    # XOR [2, 2, 2, 1]: unas ejecuciones llegan y otras se quedan atascadas.
    filas = re.findall(r"^\s+(\d+)\s+(\d\.\d{4})\s+\[[^\]]*\]\s+(llega|atascada)$", texto, flags=re.M)
    assert len(filas) == 4
    for _, rmse, resultado in filas:
        assert (float(rmse) < 0.1) if resultado == "llega" else (float(rmse) >= 0.35)
    llegan = sum(r == "llega" for _, _, r in filas)
    assert 1 <= llegan <= 3
    assert f"llegan {llegan} de 4 ejecuciones; atascadas {4 - llegan}" in texto

    # MNIST: validation_split como Keras (el final, tras barajar una vez) y los cuellos de botella.
    assert "4000 imágenes para entrenar y 1000 para validar" in texto
    val = {n: float(v) for n, v in re.findall(
        r"red\s+(3-2|5-5|ancha \(128\)): exactitud entrenamiento \d+\.\d%, validación (\d+\.\d)%", texto)}
    assert set(val) == {"3-2", "5-5", "ancha (128)"}
    assert val["ancha (128)"] > 85.0
    assert val["3-2"] < val["ancha (128)"] - 10.0 and val["5-5"] < val["ancha (128)"] - 10.0

    # Tabla final con las cifras del texto al lado de las nuestras, y las dos figuras.
    tabla = [d["text/markdown"] for d in datos if "text/markdown" in d]
    assert len(tabla) == 1 and "77 / 74 / 75%" in tabla[0]
    assert f"3-2: {val['3-2']:.1f}%" in tabla[0] and f"llegan {llegan} de 4" in tabla[0]
    pngs = _pngs(datos)                            # las curvas del XOR y la historia de MNIST
    assert len(pngs) == 2 and all(p[:8] == PNG for p in pngs)
