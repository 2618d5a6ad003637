"""Los ejemplos del curso (examples/01, 02, 05, 06, 07, xor_grafos) se ejecutan de verdad, en modo --rapido.

Cada ejemplo corre como un proceso aparte (``sys.executable``), con ``--rapido --salida <tmp>``
y MPLBACKEND=Agg; se comprueba que termina bien, que imprime las líneas en español que promete
con números por encima de un mínimo, y que las gráficas PNG (y los SVG del grafo, si hay
Graphviz) existen y son válidas.
"""
import os
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

RAIZ = pathlib.Path(__file__).resolve().parents[1]
EJEMPLOS = RAIZ / "examples"
FIRMA_PNG = b"\x89PNG\r\n\x1a\n"
TODOS = ["01_perceptron.py", "02_xor_mlp.py", "05_color_fuente.py", "06_ajuste_polinomio.py",
         "07_ecuacion_segundo_grado.py", "xor_grafos.py"]


def _entorno(**extra):
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONIOENCODING="utf-8")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(RAIZ / "src"), env.get("PYTHONPATH")) if p)
    env.update(extra)
    return env


def ejecutar(nombre, *args, salida=None, rapido=True, codigo=0, **entorno):
    """Ejecuta examples/<nombre> y devuelve su salida estándar (comprueba el código de salida)."""
    orden = [sys.executable, str(EJEMPLOS / nombre)]
    if rapido:
        orden.append("--rapido")
    if salida is not None:
        orden += ["--salida", str(salida)]
    proceso = subprocess.run(orden + list(args), capture_output=True, text=True, timeout=180,
                             env=_entorno(**entorno), cwd=salida or RAIZ, encoding="utf-8")
    assert proceso.returncode == codigo, (
        f"{nombre} terminó con código {proceso.returncode}\n--- stdout\n{proceso.stdout}"
        f"\n--- stderr\n{proceso.stderr}")
    return proceso.stdout if codigo == 0 else proceso.stderr


def numero(patron, texto):
    encontrado = re.search(patron, texto)
    assert encontrado, f"no aparece {patron!r} en la salida:\n{texto}"
    return float(encontrado.group(1))


def es_png(ruta):
    assert ruta.exists(), f"no se escribió {ruta.name}"
    assert ruta.read_bytes()[:8] == FIRMA_PNG, f"{ruta.name} no es un PNG"
    assert ruta.stat().st_size > 5000, f"{ruta.name} está casi vacío"


@pytest.mark.parametrize("nombre", TODOS)
def test_ayuda_en_espanol(nombre):
    texto = ejecutar(nombre, "--help", rapido=False)
    assert texto.startswith("uso:")
    for opcion in ("--rapido", "--salida", "--semilla", "muestra esta ayuda"):
        assert opcion in texto


def test_perceptron_and_or_convergen_xor_no(tmp_path):
    texto = ejecutar("01_perceptron.py", salida=tmp_path)
    assert re.search(r"AND: converge en la época \d+;.*exactitud: 100%", texto)
    assert re.search(r"OR: converge en la época \d+;.*exactitud: 100%", texto)
    assert "XOR: NO converge en 50 épocas" in texto
    assert "XOR no es linealmente separable" in texto
    autograd = texto.split("2) La misma neurona con autograd")[1]
    assert re.search(r"AND: pérdida final [\d.]+, exactitud: 100%", autograd)
    assert re.search(r"OR: pérdida final [\d.]+, exactitud: 100%", autograd)
    perdida_xor = numero(r"XOR: pérdida final ([\d.]+)", autograd)
    assert perdida_xor == pytest.approx(0.6931, abs=2e-3)     # ln 2: no aprende
    es_png(tmp_path / "perceptron_fronteras.png")


@pytest.fixture(scope="module")
def xor(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("xor")
    return carpeta, ejecutar("02_xor_mlp.py", salida=carpeta)


def test_xor_aprende_y_estudia_la_tasa(xor):
    carpeta, texto = xor
    assert "exactitud: 100%" in texto
    assert numero(r"pérdida final: ([\d.]+)", texto) < 0.01
    filas = dict(re.findall(r"^\s+([\d.]+)\s+[\d.]+\s+[\d.]+%\s+(\d+|no llega)$", texto,
                            flags=re.M))
    assert set(filas) == {"0.05", "0.5", "10"}, texto
    assert filas["0.05"] == "no llega"                       # lr pequeño: no le da tiempo
    # los apuntes: «hacia la época 1500»; con la semilla 0 (los números de PyTorch) es la 972
    assert 800 <= int(filas["0.5"]) <= 2000
    assert int(filas["10"]) < int(filas["0.5"])
    es_png(carpeta / "xor_perdida.png")
    es_png(carpeta / "xor_tasas_aprendizaje.png")
    traza = texto.split("Traza del backward")[1]
    for hoja in ("W1", "b1", "W2", "b2"):                     # la traza nombra los parámetros
        assert hoja in traza


def test_xor_dibuja_los_grafos(xor, requiere_dot):
    carpeta, texto = xor
    for nombre in ("xor_forward.svg", "xor_backward.svg"):
        ruta = carpeta / nombre
        assert f"grafo guardado en {ruta}" in texto
        raiz = ET.parse(ruta).getroot()
        assert raiz.tag.endswith("svg")
        assert "MatMul" in ruta.read_text(encoding="utf-8")


def test_xor_sin_graphviz_explica_y_termina_bien(tmp_path):
    sin_dot = tmp_path / "bin_vacio"
    sin_dot.mkdir()
    texto = ejecutar("02_xor_mlp.py", "--epocas", "300", salida=tmp_path, PATH=str(sin_dot))
    assert "No se pudo dibujar xor_forward.svg" in texto
    assert "apt-get install graphviz" in texto
    assert not (tmp_path / "xor_forward.svg").exists()
    es_png(tmp_path / "xor_tasas_aprendizaje.png")


def test_xor_grafos_rapido_aprende_traza_y_dibuja(tmp_path):
    texto = ejecutar("xor_grafos.py", "--png", salida=tmp_path)
    epocas = [int(e) for e in re.findall(r"^época +(\d+) ", texto, flags=re.M)]
    assert epocas[-1] == 1499                                 # --rapido: 1500 épocas, no 3000
    assert numero(r"época +1499 +pérdida \(ECM\) = ([\d.]+)", texto) < 0.01
    assert "Paso 1 · MseLoss #5 [MSELoss]" in texto
    assert "acumula: stack.0.weight.grad +=" in texto
    assert "Informe de gradientes" in texto or "Sin avisos" in texto
    for nombre in ("xor_forward", "xor_backward"):
        ruta = tmp_path / f"{nombre}.svg"
        if ruta.exists():                                     # con Graphviz: SVG y PNG
            assert f"grafo guardado en {ruta}" in texto
            assert ET.parse(ruta).getroot().tag.endswith("svg")
            es_png(tmp_path / f"{nombre}.png")
        else:                                                 # sin Graphviz: el texto DOT
            assert (tmp_path / f"{nombre}.dot").read_text(encoding="utf-8").startswith("digraph")
    # la salida lleva su nombre con tilde en los dos dibujos
    svg = (tmp_path / "xor_forward.svg")
    if svg.exists():
        assert "salida: pérdida" in svg.read_text(encoding="utf-8")


def test_xor_grafos_rechaza_una_opcion_en_espanol(tmp_path):
    error = ejecutar("xor_grafos.py", "--rapdo", salida=tmp_path, rapido=False, codigo=2)
    assert error.startswith("uso: xor_grafos.py")
    assert "argumentos no reconocidos: --rapdo" in error


def test_color_fuente_entrena_guarda_y_responde(tmp_path):
    texto = ejecutar("05_color_fuente.py", salida=tmp_path)
    assert numero(r"exactitud en prueba: ([\d.]+)%", texto) > 95
    es_png(tmp_path / "color_fuente.png")
    assert (tmp_path / "color_fuente.safetensors").exists()
    consulta = ejecutar("05_color_fuente.py", "--color", "255,140,0", "--color", "#141414",
                        salida=tmp_path, rapido=False)
    assert "modelo cargado de" in consulta                    # no vuelve a entrenar
    assert "exactitud en prueba" not in consulta
    assert "color (255, 140, 0): fuente OSCURA" in consulta
    assert "color (20, 20, 20): fuente CLARA" in consulta


def test_color_fuente_rechaza_un_color_mal_escrito(tmp_path):
    error = ejecutar("05_color_fuente.py", "--color", "300,1,1", salida=tmp_path, codigo=2)
    assert "color no válido '300,1,1'" in error
    assert "argumento --color" in error


def test_ajuste_polinomio_y_relu_muertas(tmp_path):
    texto = ejecutar("06_ajuste_polinomio.py", salida=tmp_path)
    mejor = numero(r"ECM final del mejor modelo: ([\d.]+)", texto)
    una_tanh = numero(r"ECM final con una sola Tanh: ([\d.]+)", texto)
    assert mejor < 0.01
    assert una_tanh > 5 * mejor                               # una Tanh no dibuja la parábola
    for variante in ("Tanh, 1 neurona", "Tanh, 2 neuronas", "Tanh, 3 neuronas",
                     "Tanh, 5 neuronas", "Tanh profunda", "ReLU, 10 neuronas",
                     "LeakyReLU, 10 neuronas"):
        assert variante in texto
    relu = texto.split("Neuronas ReLU muertas (red")[1]
    gradientes = re.search(r"0\.weight\.grad .*\n\s+\[(.*)\]", relu).group(1).split(", ")
    muertas = re.search(r"neuronas muertas: \[([\d, ]+)\]", relu).group(1).split(", ")
    assert all(gradientes[int(i)] == "0" for i in muertas)   # gradiente exactamente 0
    assert "Informe de gradientes" in relu
    assert re.search(r"capa 0: \d+% de neuronas ReLU muertas", relu)
    es_png(tmp_path / "ajuste_polinomio.png")


def test_ecuacion_segundo_grado(tmp_path):
    texto = ejecutar("07_ecuacion_segundo_grado.py", "--ecuacion", "1,-3,2", "--ecuacion",
                     "1,0,1", salida=tmp_path)
    error = numero(r"error absoluto medio en ecuaciones de prueba: ([\d.]+)", texto)
    referencia = numero(r"raíces medias da un error de ([\d.]+)", texto)
    assert error < 0.1
    assert error < referencia / 5
    x1 = numero(r"la red: x₁ = (-?[\d.]+)", texto)
    x2 = numero(r"la red: x₁ = -?[\d.]+, x₂ = (-?[\d.]+)", texto)
    assert x1 == pytest.approx(1.0, abs=0.3) and x2 == pytest.approx(2.0, abs=0.3)
    assert "no tiene raíces reales" in texto
    es_png(tmp_path / "ecuacion_segundo_grado.png")


# --- 09: modelo de lenguaje de caracteres (familia ejemplos, h_ejemplos) -------------------------
def test_modelo_de_lenguaje_aprende_y_muestrea(tmp_path):
    texto = ejecutar("09_modelo_de_lenguaje.py", "--palabras", "es", salida=tmp_path)
    assert "Palabras: los 388 nombres en español de tinygrad_es.datasets.palabras" in texto
    simbolos = re.search(r"\d+ símbolos: (\S+)", texto).group(1)
    assert simbolos.startswith(".") and "ñ" in simbolos and "á" in simbolos
    azar = numero(r"= ([\d.]+)\n", texto.split("Pérdida de referencia")[1])
    assert azar == pytest.approx(3.497, abs=1e-3)            # ln(33)
    for modelo in ("MLP", "Autoatención"):
        entrenamiento = numero(modelo + r": pérdida de entrenamiento ([\d.]+)", texto)
        validacion = numero(modelo + r": pérdida de entrenamiento [\d.]+ · validación ([\d.]+)",
                            texto)
        assert entrenamiento < azar - 0.9 and validacion < azar - 0.8, texto
    assert "BatchNorm1d" in texto and "4 cabezas" in texto and "GELU" in texto
    muestras = texto.split("Nombres inventados")[1]
    for modelo in ("MLP", "Autoatención"):
        nombres = re.search(r"^\s+" + modelo + r": (.*)$", muestras, flags=re.M).group(1)
        nombres = [n.rstrip("*") for n in nombres.split(", ")]
        assert len(nombres) == 12
        vacios = [n for n in nombres if n == "(vacío)"]
        assert len(vacios) <= 2, nombres
        assert all(set(n) <= set(simbolos[1:]) for n in nombres if n not in vacios), nombres
    es_png(tmp_path / "lenguaje_perdida.png")
    # la misma semilla da los mismos nombres (torch.Generator sembrado)
    otra = ejecutar("09_modelo_de_lenguaje.py", "--palabras", "es", "--pasos", "5",
                    salida=tmp_path)
    repetida = ejecutar("09_modelo_de_lenguaje.py", "--palabras", "es", "--pasos", "5",
                        salida=tmp_path)
    assert otra.split("Nombres inventados")[1].split("gráfica")[0] == \
        repetida.split("Nombres inventados")[1].split("gráfica")[0]


def test_modelo_de_lenguaje_elige_las_palabras(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(EJEMPLOS))
    import importlib
    modulo = importlib.import_module("09_modelo_de_lenguaje")
    lista, descripcion = modulo.leer_palabras("es")
    assert len(lista) == 388 and "tinygrad_es.datasets.palabras" in descripcion
    falso = tmp_path / "names.txt"
    falso.write_text("ana\nbea\n\ncarla\n", encoding="utf-8")
    monkeypatch.setattr(modulo, "NAMES", falso)
    lista, descripcion = modulo.leer_palabras("auto")
    assert lista == ["ana", "bea", "carla"] and "names.txt de makemore" in descripcion
    monkeypatch.setattr(modulo, "NAMES", tmp_path / "no_existe.txt")
    lista, descripcion = modulo.leer_palabras("auto")
    assert len(lista) == 388 and "no se encontró" in descripcion
    with pytest.raises(SystemExit, match="--palabras es"):
        modulo.leer_palabras("names")


def test_ayuda_cnn_y_lenguaje():
    for nombre in ("08_mnist_cnn.py", "09_modelo_de_lenguaje.py"):
        texto = ejecutar(nombre, "--help", rapido=False)
        assert texto.startswith("uso:")
        for opcion in ("--rapido", "--salida", "--semilla", "muestra esta ayuda"):
            assert opcion in texto
