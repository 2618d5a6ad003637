"""Los cuadernos de ``examples/cuadernos`` se ejecutan enteros, sin pantalla, para que no se estropeen.

Se usan ``nbclient`` + ``ipykernel`` (extra ``dev``). El núcleo ``python3`` se define en una
carpeta temporal (``JUPYTER_PATH``) para que arranque con **este** intérprete
(``sys.executable``) y vea ``tinygrad_es`` aunque no esté instalado (``PYTHONPATH``), sin
depender de los núcleos que haya en la máquina. Se comprueba que ninguna celda falla y que
aparecen las salidas esperadas: la exactitud, las gráficas y el grafo (SVG si está ``dot``; si
no, el grafo como texto con las instrucciones para instalar Graphviz).
"""
import base64
import importlib.util
import json
import os
import pathlib
import re
import shutil
import sys

import pytest

RAIZ = pathlib.Path(__file__).resolve().parents[1]
CUADERNOS = RAIZ / "examples" / "cuadernos"
EN_CI = os.environ.get("CI", "").lower() == "true"
PNG = b"\x89PNG\r\n\x1a\n"


def _requiere_jupyter():
    faltan = [m for m in ("nbclient", "nbformat", "ipykernel")
              if importlib.util.find_spec(m) is None]
    if not faltan:
        return
    motivo = f"faltan {', '.join(faltan)} (pip install -e \".[dev]\")"
    if EN_CI:
        pytest.fail(f"En CI los cuadernos deben ejecutarse: {motivo}")
    pytest.skip(motivo)


@pytest.fixture
def nucleo(tmp_path, monkeypatch):
    """Un núcleo ``python3`` que usa ``sys.executable``, en una carpeta temporal."""
    _requiere_jupyter()
    carpeta = tmp_path / "jupyter" / "kernels" / "python3"
    carpeta.mkdir(parents=True)
    ruta_python = os.pathsep.join(filter(None, [str(RAIZ / "src"), os.environ.get("PYTHONPATH")]))
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (tests de tinygrad_es)", "language": "python",
            "env": {"PYTHONPATH": ruta_python,
                    "MPLBACKEND": "module://matplotlib_inline.backend_inline"}}
    (carpeta / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    from jupyter_client.kernelspec import KernelSpecManager
    assert KernelSpecManager().get_kernel_spec("python3").argv[0] == sys.executable
    return "python3"


def ejecutar(nombre, nucleo):
    import nbclient
    import nbformat
    nb = nbformat.read(CUADERNOS / nombre, as_version=4)
    nbformat.validate(nb)
    nbclient.NotebookClient(nb, kernel_name=nucleo, timeout=180,
                            resources={"metadata": {"path": str(CUADERNOS)}}).execute()
    salidas = [s for celda in nb.cells if celda.cell_type == "code" for s in celda.outputs]
    assert not [s for s in salidas if s.output_type == "error"]
    texto = "".join(s.text for s in salidas if s.output_type == "stream")
    datos = [s.data for s in salidas if s.output_type in ("display_data", "execute_result")]
    return texto, datos, nb


@pytest.fixture
def rapido_nuevo(monkeypatch):
    """Los cuadernos de los textos del curso leen TINYGRAD_ES_RAPIDO (y no el nombre antiguo)."""
    monkeypatch.setenv("TINYGRAD_ES_RAPIDO", "1")
    monkeypatch.delenv("TINYGRAD_ES_CUADERNO_RAPIDO", raising=False)


def numero(patron, texto):
    """El primer número que ``patron`` (con un grupo) encuentra en la salida del cuaderno."""
    return float(re.search(patron, texto).group(1))


def _pngs(datos):
    return [base64.b64decode(d["image/png"]) for d in datos if "image/png" in d]


def test_cuaderno_xor(nucleo):
    texto, datos, nb = ejecutar("xor.ipynb", nucleo)
    assert "exactitud: 100%" in texto
    perdidas = [float(p) for p in re.findall(r"pérdida = (\d+\.\d+)", texto)]
    assert perdidas[0] > 0.2 and perdidas[-1] < 0.01
    pngs = _pngs(datos)
    assert len(pngs) == 1 and pngs[0][:8] == PNG            # la curva de la pérdida
    traza = [d["text/markdown"] for d in datos if "text/markdown" in d]
    assert len(traza) == 1
    assert "| Paso |" in traza[0] and "stack.0.weight" in traza[0] and "Sigmoid" in traza[0]
    grafos = [s.data for celda in nb.cells
              if celda.cell_type == "code" and "viz.draw_" in celda.source
              for s in celda.outputs if s.output_type == "execute_result"]
    assert len(grafos) == 2                                 # forward y backward
    if shutil.which("dot"):
        for d in grafos:
            assert "stack.0.weight" in d["image/svg+xml"] and "<svg" in d["image/svg+xml"]
        assert "‖g‖" in grafos[1]["image/svg+xml"]          # la vista hacia atrás
    else:
        assert all("Graphviz" in d["text/plain"] for d in grafos)


def test_cuaderno_mnist_mlp(nucleo):
    texto, datos, _ = ejecutar("mnist_mlp.ipynb", nucleo)
    assert "4000 imágenes para entrenar y 1000 para medir" in texto
    assert "109386 parámetros" in texto
    assert len(re.findall(r"época \d: pérdida", texto)) == 5
    exactitud = float(re.search(r"exactitud en el conjunto de prueba: (\d+\.\d)%", texto)
                      .group(1))
    assert exactitud > 90.0
    pngs = _pngs(datos)                # ejemplos de imágenes, curvas y matriz de confusión
    assert len(pngs) == 3 and all(p[:8] == PNG for p in pngs)


# --- cuadernos de LeNet-5 y del modelo de lenguaje (familia ejemplos, h_ejemplos) ---------------
@pytest.fixture
def rapido(monkeypatch):
    """Los cuadernos nuevos leen TINYGRAD_ES_CUADERNO_RAPIDO (el núcleo hereda el entorno)."""
    monkeypatch.setenv("TINYGRAD_ES_CUADERNO_RAPIDO", "1")


def test_cuaderno_mnist_cnn(nucleo, rapido):
    texto, datos, _ = ejecutar("mnist_cnn.ipynb", nucleo)
    assert "1500 imágenes para entrenar y 1000 para medir" in texto
    assert "forma de un lote: (64, 1, 28, 28)" in texto
    assert "61706 parámetros" in texto and "salida para un lote: (64, 10)" in texto
    assert len(re.findall(r"época \d: pérdida media", texto)) == 1      # modo rápido: 1 época
    exactitud = float(re.search(r"exactitud en el conjunto de prueba: (\d+\.\d)%", texto)
                      .group(1))
    assert exactitud > 75.0                # 84 % con 1.500 imágenes y una época
    pngs = _pngs(datos)                    # la pérdida, los filtros y los mapas
    assert len(pngs) == 3 and all(p[:8] == PNG for p in pngs)


def test_cuaderno_modelo_de_lenguaje(nucleo, rapido):
    texto, datos, _ = ejecutar("modelo_de_lenguaje.ipynb", nucleo)
    assert "388 nombres" in texto and "ln(33) = 3.497" in texto
    assert "... → a\n..a → n\n.an → a\nana → ." in texto
    for modelo in ("MLP", "Autoatención"):
        entrenamiento, validacion = map(float, re.search(
            modelo + r": pérdida de entrenamiento (\d\.\d+), validación (\d\.\d+)", texto)
            .groups())
        assert entrenamiento < 2.7 and validacion < 2.9, texto     # ln(33) = 3,50
        nombres = [n for n in re.findall(r"^" + modelo + r": ([^\n]+)$", texto, flags=re.M)
                   if "pérdida" not in n][0].split(", ")          # los nombres inventados
        assert len(nombres) == 12 and sum(bool(n.rstrip("*")) for n in nombres) >= 10
    assert "[0.5000, 0.5000, 0.0000" in texto                       # la máscara causal
    pngs = _pngs(datos)
    assert len(pngs) == 1 and pngs[0][:8] == PNG
