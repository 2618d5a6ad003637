"""``python -m tinygrad_es``: versión, NumPy y su BLAS, partes opcionales y datos que hay.

También dice por dónde empezar (las dos órdenes del README, ``examples/`` y ``docs/``).

No importa PyTorch ni matplotlib (tardan segundos): solo mira si están instalados y su versión
(``importlib.util.find_spec`` e ``importlib.metadata``). Nada de lo que falte es un error: sale
siempre con código 0.
"""
import argparse
import importlib.metadata
import importlib.util
import os
import pathlib
import platform
import shutil
import subprocess
import sys

import numpy as np

from . import _allocator, _threads
from .datasets.mnist import ENV_VAR, FILES, mnist_cache_dir
from .datasets.subsets import load_mnist_5k_arrays

RAIZ = pathlib.Path(__file__).resolve().parents[2]          # la carpeta del proyecto (src/..)
COMPARTIDA = RAIZ.parent / "shared" / "data" / "mnist"      # la que usan los ejemplos
ORACULO = "2.13.0"                                          # la versión de PyTorch de los tests
ANCHO = 15


def _version_de(distribucion):
    try:
        return importlib.metadata.version(distribucion)
    except importlib.metadata.PackageNotFoundError:
        return None


def _version_propia():
    # python -m importa el paquete antes de ejecutar este archivo: su __version__ ya está ahí
    paquete = sys.modules.get(__package__ or "tinygrad_es")
    return getattr(paquete, "__version__", None) or _version_de("tinygrad_es") or "?"


def _fila(nombre, texto):
    return f"  {nombre:<{ANCHO}}{texto}"


def _marca(presente):
    return "[sí]" if presente else "[no]"


# --- NumPy y su BLAS ---------------------------------------------------------------
def _blas():
    """Líneas sobre la BLAS de NumPy: con threadpoolctl, la que está cargada; si no, la de la
    compilación de NumPy."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        construida = _blas_de_compilacion()
        return [construida + " (de la compilación de NumPy)" if construida else
                "no se sabe cuál es",
                "instala threadpoolctl (pip install threadpoolctl) para ver la BLAS cargada, "
                "sus hilos y su arquitectura"]
    try:
        bibliotecas = [b for b in threadpool_info() if b.get("user_api") == "blas"]
    except Exception as exc:   # threadpoolctl inspecciona bibliotecas nativas: nunca fallar aquí
        return [f"threadpoolctl no pudo inspeccionarla ({type(exc).__name__}: {exc})"]
    if not bibliotecas:
        return ["threadpoolctl no encontró ninguna BLAS cargada por NumPy"]
    lineas = []
    for b in bibliotecas:
        n = b.get('num_threads', '?')
        hilos = f"{n} hilo{'' if n == 1 else 's'}"
        if b.get("threading_layer"):
            hilos += f" ({b['threading_layer']})"
        partes = [f"{b.get('internal_api', '?')} {b.get('version') or ''}".strip(), hilos]
        if b.get("architecture"):
            partes.append(f"arquitectura {b['architecture']}")
        lineas.append(" · ".join(partes))
        if b.get("filepath"):
            lineas.append(f"({pathlib.Path(b['filepath']).name})")
    return lineas


def _blas_de_compilacion():
    config = getattr(getattr(np, "__config__", None), "CONFIG", None)   # NumPy >= 1.26
    try:
        blas = config["Build Dependencies"]["blas"]
    except (TypeError, KeyError):
        return None
    return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()


# --- partes opcionales --------------------------------------------------------------
def _dot():
    ruta = shutil.which("dot")
    if ruta is None:
        return [_fila("Graphviz", "[no] falta el programa dot: los grafos se pueden construir y "
                      "leer (grafo.source, viz.print_graph) pero no convertir en imagen"),
                _fila("", "     Debian/Ubuntu: sudo apt-get install graphviz · macOS: brew "
                      "install graphviz · conda: conda install -c conda-forge graphviz")]
    version = ""
    try:
        salida = subprocess.run([ruta, "-V"], capture_output=True, text=True, timeout=5)
        texto = (salida.stderr or salida.stdout).strip()
        if "version" in texto:
            version = " " + texto.split("version", 1)[1].split()[0]
    except (OSError, subprocess.SubprocessError):
        pass
    return [_fila("Graphviz", f"[sí] programa dot{version} en {ruta}: viz.draw_graph y "
                  "viz.make_dot dibujan SVG y PNG")]


def _paquete(nombre, modulo, uso, como):
    presente = importlib.util.find_spec(modulo) is not None
    version = _version_de(nombre) if presente else None
    if presente:
        return _fila(nombre, f"[sí] {version or 'versión desconocida'}: {uso}")
    return _fila(nombre, f"[no] {uso} ({como})")


def _torch():
    if importlib.util.find_spec("torch") is None:
        return _fila("PyTorch", f"[no] el oráculo de los tests: sin él se saltan los que "
                     f"comparan con PyTorch (pip install torch=={ORACULO})")
    version = _version_de("torch") or "versión desconocida"
    aviso = "" if version.split("+")[0] == ORACULO else (
        f"; los tests comparan con {ORACULO} (pip install torch=={ORACULO})")
    return _fila("PyTorch", f"[sí] {version}: el oráculo de los tests{aviso}")


def _partes():
    return [*_dot(),
            _paquete("graphviz", "graphviz", "el paquete de Python que escribe los grafos",
                     "pip install graphviz"),
            _torch(),
            _paquete("matplotlib", "matplotlib", "las gráficas de los ejemplos y cuadernos",
                     'pip install -e ".[ejemplos]"'),
            _paquete("pooch", "pooch", "descarga MNIST, FashionMNIST y KMNIST (download=True)",
                     "pip install pooch"),
            _paquete("threadpoolctl", "threadpoolctl", "ver la BLAS y sus hilos",
                     "pip install threadpoolctl")]


# --- datos ---------------------------------------------------------------------------
def _hay(carpeta, nombres):
    return all((carpeta / (n + ".gz")).is_file() or (carpeta / n).is_file() for n in nombres)


def _estado_mnist(carpeta):
    entrenamiento, prueba = _hay(carpeta, FILES[True]), _hay(carpeta, FILES[False])
    if entrenamiento and prueba:
        return "[sí] MNIST completo (60 000 de entrenamiento y 10 000 de prueba)"
    if prueba:
        return "[sí] solo el conjunto de prueba (t10k, 10 000 imágenes)"
    if entrenamiento:
        return "[sí] solo el conjunto de entrenamiento (60 000 imágenes)"
    return "[no] no están los archivos IDX de MNIST"


def _datos():
    cache = mnist_cache_dir()
    variable = os.environ.get(ENV_VAR)
    origen = f"${ENV_VAR}={variable}" if variable else f"cámbiala con ${ENV_VAR}"
    lineas = [_fila("caché", f"{cache} ({origen})"),
              _fila("", _estado_mnist(cache))]
    if not _hay(cache, FILES[True] + FILES[False]):
        lineas.append(_fila("", "     descarga: python -c \"import tinygrad_es as t; "
                            "t.datasets.load_mnist(download=True); "
                            "t.datasets.load_mnist(train=False, download=True)\""))
    if (RAIZ / "examples").is_dir():   # en la carpeta del proyecto: la de los ejemplos
        lineas += [_fila("compartida", f"{COMPARTIDA} (../shared/data/mnist, la que buscan "
                         "los ejemplos)"),
                   _fila("", _estado_mnist(COMPARTIDA))]
    try:
        load_mnist_5k_arrays()
        lineas.append(_fila("subconjunto", "[sí] las 5 000 imágenes sin conexión (vienen con el "
                                           "paquete: load_mnist_5k())"))
    except (OSError, RuntimeError) as exc:
        lineas.append(_fila("subconjunto", f"[no] las 5 000 imágenes sin conexión: {exc}"))
    return lineas


# --- por dónde empezar ---------------------------------------------------------------
def _empezar():
    lineas = ["  Desde la carpeta del proyecto (las dos órdenes del README):",
              "    entrenar la red MNIST del curso:",
              '      python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[ejemplos]"'
              " && python examples/03_mnist_mlp.py",
              "    los tests:",
              '      python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[dev]"'
              " && python -m pytest"]
    ejemplos, docs = RAIZ / "examples", RAIZ / "docs"
    if ejemplos.is_dir():
        lineas.append(f"  Ejemplos (python examples/NOMBRE.py --help): {ejemplos}")
    else:
        lineas.append("  Ejemplos: la carpeta examples/ del repositorio del proyecto")
    if docs.is_dir():
        lineas.append(f"  Documentación: {RAIZ / 'README.md'} y {docs}")
    else:
        lineas.append("  Documentación: README.md y la carpeta docs/ del repositorio del proyecto")
    return lineas


def informe():
    """El texto que imprime ``python -m tinygrad_es``."""
    blas = _blas()
    lineas = [f"tinygrad_es {_version_propia()}  ({pathlib.Path(__file__).resolve().parent})",
              "",
              "Entorno",
              _fila("Python", f"{platform.python_version()} ({platform.python_implementation()}, "
                    f"{platform.system()} {platform.machine()})"),
              _fila("NumPy", np.__version__),
              _fila("BLAS", blas[0]),
              *(_fila("", linea) for linea in blas[1:]),
              _fila("hilos", _threads.status),
              _fila("malloc", _allocator.status),
              "",
              "Partes opcionales",
              *_partes(),
              "",
              "Datos de MNIST que encuentra tinygrad_es.datasets (la suma MD5 se comprueba "
              "al cargarlos)",
              *_datos(),
              "",
              "Por dónde empezar",
              *_empezar()]
    return "\n".join(lineas)


def main(argv=None):
    argparse.ArgumentParser(
        prog="python -m tinygrad_es",
        description="Muestra la versión de tinygrad_es, NumPy y su BLAS, las partes opcionales "
                    "instaladas (Graphviz, PyTorch, matplotlib), los datos de MNIST que "
                    "encuentra y por dónde empezar.").parse_args(argv)
    print(informe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
