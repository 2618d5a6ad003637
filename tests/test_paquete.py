"""El paquete como lo ve quien lo instala: ``python -m tinygrad_es`` y los metadatos de pip."""
import importlib.metadata
import os
import pathlib
import subprocess
import sys

import tinygrad_es

RAIZ = pathlib.Path(__file__).resolve().parents[1]
REINSTALA = ('los metadatos instalados no son los de pyproject.toml: reinstala con '
             'pip install -e ".[dev]"')


def _ejecutar(*args, codigo=None, env=None):
    orden = [sys.executable, "-c", codigo] if codigo else [sys.executable, "-m", "tinygrad_es"]
    return subprocess.run(orden + list(args), cwd=RAIZ, capture_output=True, text=True,
                          timeout=120, env=env)


def test_python_m_tinygrad_es_informa_en_espanol():
    resultado = _ejecutar()
    assert resultado.returncode == 0, resultado.stderr
    salida = resultado.stdout
    assert f"tinygrad_es {tinygrad_es.__version__}" in salida.splitlines()[0]
    for texto in ("Graphviz", "NumPy", "BLAS", "PyTorch", "matplotlib", "Datos de MNIST",
                  "Por dónde empezar", 'pip install -e ".[dev]" && python -m pytest',
                  "python examples/03_mnist_mlp.py"):
        assert texto in salida, texto


def test_sin_dot_ni_threadpoolctl_no_falla_y_no_importa_torch(tmp_path):
    # threadpoolctl «desinstalado» y un PATH sin el programa dot; al final, ni PyTorch ni
    # matplotlib deben haberse importado (solo se mira si están: importarlos tarda segundos)
    codigo = ("import runpy, sys\n"
              "sys.modules['threadpoolctl'] = None\n"
              "sys.argv = ['tinygrad_es']\n"
              "try:\n"
              "    runpy.run_module('tinygrad_es', run_name='__main__', alter_sys=True)\n"
              "except SystemExit as fin:\n"
              "    assert fin.code == 0, fin.code\n"
              "pesados = [m for m in ('torch', 'matplotlib') if m in sys.modules]\n"
              "assert not pesados, pesados\n")
    env = dict(os.environ, PATH=str(tmp_path))
    resultado = _ejecutar(codigo=codigo, env=env)
    assert resultado.returncode == 0, resultado.stderr
    assert "Graphviz       [no] falta el programa dot" in resultado.stdout
    assert "instala threadpoolctl" in resultado.stdout


def test_metadatos_instalados_licencia_y_clasificadores():
    metadatos = importlib.metadata.metadata("tinygrad_es")
    assert metadatos["Version"] == tinygrad_es.__version__, REINSTALA
    assert metadatos.get("License-Expression") == "MIT", REINSTALA
    assert "LICENSE" in (metadatos.get_all("License-File") or []), REINSTALA
    assert metadatos["Author"] == "Mantenedores de tinygrad_es", REINSTALA
    clasificadores = set(metadatos.get_all("Classifier") or [])
    for clasificador in ("Intended Audience :: Education",
                         "Intended Audience :: Science/Research",
                         "Natural Language :: Spanish",
                         "Programming Language :: Python :: 3",
                         "Topic :: Scientific/Engineering :: Artificial Intelligence"):
        assert clasificador in clasificadores, REINSTALA
    palabras = metadatos["Keywords"].split(",")
    assert "redes neuronales" in palabras and "neural networks" in palabras, REINSTALA
    texto = (RAIZ / "LICENSE").read_text(encoding="utf-8")
    assert texto.startswith("MIT License") and "Mantenedores de tinygrad_es" in texto


def test_un_archivo_junto_al_clon_importa_el_paquete_y_no_la_carpeta(tmp_path):
    """#19: un estudiante clona el proyecto en una carpeta ``tinygrad_es`` y escribe
    ``mi_red.py`` al lado. Con el paquete en la raíz del clon, ``import tinygrad_es`` encontraba
    la carpeta del clon (sin ``__init__.py``) como un paquete de espacio de nombres vacío y
    fallaba con AttributeError; con ``src/``, el paquete instalado gana."""
    clon = tmp_path / "tinygrad_es"
    (clon / "src").mkdir(parents=True)
    (clon / "README.md").write_text("el clon\n", encoding="utf-8")
    (tmp_path / "mi_red.py").write_text(
        "import tinygrad_es as torch\n"
        "print(torch.__file__)\n"
        "print((torch.tensor([1.0, 2.0]) * 2).tolist())\n", encoding="utf-8")
    resultado = subprocess.run([sys.executable, "mi_red.py"], cwd=tmp_path, capture_output=True,
                               text=True, timeout=120)
    assert resultado.returncode == 0, resultado.stderr
    ruta, valores = resultado.stdout.splitlines()[:2]
    assert pathlib.Path(ruta).parent == pathlib.Path(tinygrad_es.__file__).parent
    assert valores == "[2.0, 4.0]"
    assert (RAIZ / "src" / "tinygrad_es" / "__init__.py").is_file()
    assert not (RAIZ / "tinygrad_es").exists()
