"""Utilidades compartidas por los ejemplos del curso (no forman parte de la biblioteca).

- ``crear_parser``: argparse con las opciones comunes ``--rapido``, ``--salida`` y ``--semilla``.
- ``carpeta``: crea y devuelve la carpeta de salida.
- ``pyplot``: matplotlib con el motor ``Agg`` (escribe archivos, no abre ventanas).
- ``guardar_figura``: guarda una figura como PNG y dice dónde.
- ``epocas``: ``range(n)`` con barra de progreso de tqdm cuando la salida es una terminal.
- ``imprimir``: ``print`` que no rompe la barra de progreso.
"""
import pathlib
import sys

from tinygrad_es.utils.cli import ParserEs

try:
    from tqdm import tqdm as _tqdm
except ImportError:   # tqdm es opcional: sin él no hay barras
    _tqdm = None


def crear_parser(descripcion, semilla=0):
    """Un ``ArgumentParser`` (en español) con las opciones que aceptan todos los ejemplos."""
    parser = ParserEs(description=descripcion)
    parser.add_argument("--rapido", action="store_true",
                        help="menos épocas y datos: termina en segundos (lo usan los tests)")
    parser.add_argument("--salida", default="salidas",
                        help="carpeta donde se guardan las gráficas y modelos (salidas)")
    parser.add_argument("--semilla", type=int, default=semilla,
                        help=f"semilla aleatoria para repetir los resultados ({semilla})")
    return parser


def carpeta(ruta):
    """Crea la carpeta ``ruta`` si no existe y la devuelve como ``pathlib.Path``."""
    ruta = pathlib.Path(ruta)
    ruta.mkdir(parents=True, exist_ok=True)
    return ruta


def pyplot():
    """``matplotlib.pyplot`` con el motor Agg, o None (con un aviso) si falta matplotlib."""
    try:
        import matplotlib
    except ImportError:
        print("(instala matplotlib para guardar las gráficas: pip install matplotlib)")
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def guardar_figura(fig, ruta):
    """Guarda ``fig`` como PNG en ``ruta``, la cierra e imprime dónde quedó."""
    import matplotlib.pyplot as plt
    fig.savefig(ruta, dpi=100)
    plt.close(fig)
    print(f"gráfica guardada en {ruta}")
    return ruta


def _hay_terminal():
    return sys.stderr.isatty()


def epocas(n, descripcion="entrenando", activa=True):
    """``range(n)`` con una barra de tqdm si ``activa``, hay terminal y tqdm está instalado."""
    if not activa or _tqdm is None or not _hay_terminal():
        return range(n)
    return _tqdm(range(n), desc=descripcion, unit="época", leave=False, dynamic_ncols=True)


def imprimir(texto=""):
    """Imprime una línea sin estropear la barra de progreso que esté en pantalla."""
    if _tqdm is None:
        print(texto)
    else:
        _tqdm.write(str(texto))


def porcentaje(fraccion):
    """0.987 -> '98.7%' (y 1.0 -> '100%'): el formato estable de las exactitudes."""
    valor = 100 * float(fraccion)
    return "100%" if valor == 100 else f"{valor:.1f}%"
