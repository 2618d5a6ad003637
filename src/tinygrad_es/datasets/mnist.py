"""MNIST completo: 60.000 imágenes de entrenamiento y 10.000 de prueba, de 28x28 en grises.

Lee los archivos IDX originales (LeCun, Cortes y Burges), comprimidos con gzip o no, y
comprueba la suma MD5 de su contenido **descomprimido** (así vale igual para ``.gz`` y para
los archivos ya descomprimidos). Los archivos se buscan, por este orden, en:

1. ``root`` (una carpeta con los cuatro archivos, p. ej. ``../shared/data/mnist``);
2. ``root/MNIST/raw`` (donde los deja torchvision);
3. la caché ``~/.cache/tinygrad_es/mnist`` (o ``$TINYGRAD_ES_DATOS/mnist`` si esa variable de
   entorno está definida).

Solo se descarga algo con ``download=True``, con pooch (ver ``_descarga.py``): de los espejos
https habituales, comprobando la suma MD5 publicada de cada ``.gz`` antes de darle su nombre
definitivo en la caché, con barra de progreso (tqdm) y un reintento si falla la conexión. Sin
conexión, un error en español dice qué hacer (copiar los archivos a mano o usar las 5.000
imágenes que trae el paquete, ``load_mnist_5k()``).

Un archivo de origen desconocido (p. ej. una copia local recomprimida) se lee con cuidado: la
cabecera IDX debe tener la forma de MNIST (28x28, uint8, como mucho 60.000 o 10.000 muestras)
antes de descomprimir nada más, y la lectura se detiene en el primer byte que pase de lo que
anuncia la cabecera (una «bomba» gzip nunca se descomprime entera). La suma MD5 del contenido
se calcula mientras se lee, sin guardar una segunda copia.
"""
import hashlib
import pathlib

import numpy as np

from ..tensor import _make
from ._base import ImageArrayDataset
from ._descarga import (ENV_VAR, ChecksumError, DatasetNotFoundError, DownloadError,  # noqa: F401
                        cache_dir, fetch)
from .idx import read_idx

FILES = {True: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
         False: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}
# MD5 del contenido sin comprimir (los publicados para MNIST; coinciden con varias fuentes).
MD5 = {"train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
       "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
       "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
       "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637"}
# Número máximo de muestras de cada archivo (la cabecera no puede anunciar más).
SAMPLES = {"train-images-idx3-ubyte": 60000, "train-labels-idx1-ubyte": 60000,
           "t10k-images-idx3-ubyte": 10000, "t10k-labels-idx1-ubyte": 10000}
CLASSES = ["0 - cero", "1 - uno", "2 - dos", "3 - tres", "4 - cuatro", "5 - cinco", "6 - seis",
           "7 - siete", "8 - ocho", "9 - nueve"]


def mnist_cache_dir():
    return cache_dir() / "mnist"


def _search_dirs(root):
    dirs = []
    if root is not None:
        root = pathlib.Path(root).expanduser()
        dirs += [root, root / "MNIST" / "raw"]
    dirs.append(mnist_cache_dir())
    return dirs


def _find(name, dirs):
    for folder in dirs:
        for candidate in (folder / (name + ".gz"), folder / name):
            if candidate.is_file():
                return candidate
    return None


def _check_md5(digest, name, origin):
    if digest != MD5[name]:
        raise ChecksumError(
            f"El archivo {origin} está dañado o incompleto: la suma MD5 de su contenido "
            f"descomprimido es {digest}, pero la de {name} debe ser {MD5[name]}. Bórralo y "
            "vuelve a obtenerlo (p. ej. con download=True).")


def _header_check(name, origin):
    """Comprueba la forma que anuncia la cabecera antes de leer (ni descomprimir) los datos."""
    limit = SAMPLES.get(name)
    images = "images" in name

    def check(shape, dtype):
        ok = dtype == np.uint8 and (len(shape) == 3 and shape[1:] == (28, 28) if images
                                    else len(shape) == 1)
        if ok and (limit is None or shape[0] <= limit):
            return
        expected = "(N, 28, 28)" if images else "(N,)"
        raise ChecksumError(
            f"El archivo {origin} no es el {name} de MNIST: su cabecera IDX anuncia datos de "
            f"forma {shape} y tipo {dtype.name}, y se esperaba {expected} uint8 con N como "
            f"mucho {limit}. No se ha leído nada más. Bórralo y vuelve a obtenerlo (p. ej. "
            "con download=True).")
    return check


def _read_verified(path, name, origin=None):
    """Lee ``path`` por trozos comprobando la cabecera, el tamaño y la suma MD5.

    Todo problema (archivo cortado, gzip dañado, más datos de los anunciados, MD5 distinta)
    es un ``ChecksumError`` que nombra ``origin`` (la ruta, o la URL de una descarga).
    """
    origin = path if origin is None else origin
    md5 = hashlib.md5()
    try:
        array = read_idx(path, check_header=_header_check(name, origin), on_data=md5.update,
                         name=str(origin))
    except ValueError as exc:
        raise ChecksumError(f"{exc} Con download=True se descarga de nuevo.") \
            from None
    _check_md5(md5.hexdigest(), name, origin)
    return array


OFFLINE_HINT = (" Sin internet puedes usar las 5.000 imágenes de MNIST que vienen con "
                "tinygrad_es: tinygrad_es.datasets.load_mnist_5k() o MNIST5k().")


def download(name, folder=None):
    """Descarga ``name.gz`` a ``folder`` (la caché) con pooch, verificado; devuelve su ``ndarray``.

    pooch comprueba la suma MD5 publicada del ``.gz``; después se lee como cualquier archivo de
    origen desconocido (cabecera, tamaño y MD5 del contenido). Sin conexión: ``DownloadError``.
    """
    folder = pathlib.Path(folder) if folder is not None else mnist_cache_dir()
    path = fetch("mnist", name, "MNIST", folder, OFFLINE_HINT)
    try:
        return _read_verified(path, name)
    except ChecksumError:
        path.unlink()
        raise


def _not_found(root, train, missing):
    cache = mnist_cache_dir()
    where = "\n".join(f"  - {d}" for d in _search_dirs(root))
    split = "entrenamiento" if train else "prueba"
    names = " y ".join(f"{n}.gz" for n in missing)
    verb = "faltan" if len(missing) > 1 else "falta"
    return DatasetNotFoundError(
        f"No se encuentran los archivos de MNIST ({split}): {verb} {names} (también valen sin "
        f"comprimir). Se han buscado en:\n{where}\nOpciones:\n"
        f"  1. Descargarlos (unos 11 MB en total): MNIST(root, train={train}, download=True) o "
        f"load_mnist(train={train}, download=True). Se guardan en {cache}.\n"
        f"  2. Sin internet: copia los archivos IDX originales (.gz) a la carpeta {cache} (o a "
        "la carpeta que pases como root).\n"
        "  3. Sin archivos ni internet: usa el subconjunto de 5.000 imágenes que viene con "
        "tinygrad_es: tinygrad_es.datasets.load_mnist_5k() o MNIST5k().")


def _obtain(name, root, download_ok):
    """Contenido verificado del archivo ``name`` (o ``None`` si no está y no se descarga)."""
    path = _find(name, _search_dirs(root))
    if path is not None:
        try:
            return _read_verified(path, name)
        except ChecksumError:
            if not (download_ok and path.parent == mnist_cache_dir()):
                raise
            path.unlink()   # copia dañada en la caché: se sustituye por una buena
    if not download_ok:
        return None
    return download(name)


def load_mnist_arrays(root=None, train=True, download=False):
    """``(imágenes uint8 (N, 28, 28), etiquetas int64 (N,))`` como arrays de NumPy."""
    names = FILES[bool(train)]
    arrays = [_obtain(n, root, download) for n in names]
    missing = [n for n, a in zip(names, arrays) if a is None]
    if missing:
        raise _not_found(root, bool(train), missing)
    images, labels = arrays
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise ValueError(
            f"Los archivos de MNIST no encajan: imágenes de forma {images.shape} y etiquetas de "
            f"forma {labels.shape} (se esperan (N, 28, 28) y (N,)).")
    return images, labels.astype(np.int64)


def load_mnist(root=None, train=True, download=False):
    """MNIST como tensores: ``(imágenes uint8 (N, 28, 28), etiquetas int64 (N,))``.

    ``N`` es 60.000 con ``train=True`` y 10.000 con ``train=False``. Los píxeles van de 0 a
    255 (fondo 0); para entrenar, normalmente ``X.float() / 255``. Ver en el módulo dónde se
    buscan los archivos; sin ellos y sin ``download=True`` da un error que explica qué hacer.
    """
    images, labels = load_mnist_arrays(root, train, download)
    return _make(images), _make(labels)


class MNIST(ImageArrayDataset):
    """MNIST como Dataset, con los argumentos de ``torchvision.datasets.MNIST``.

    ``MNIST(root, train=True, transform=None, target_transform=None, download=False)``. La
    muestra ``i`` es ``(imagen, etiqueta)``: la imagen es un ndarray uint8 de 28x28 (en
    torchvision, una imagen PIL) después de ``transform``, y la etiqueta un ``int``.
    ``.data`` (N, 28, 28) uint8 y ``.targets`` (N,) int64 son tensores, como en torchvision.
    """

    name = "MNIST"
    classes = CLASSES

    def __init__(self, root=None, train=True, transform=None, target_transform=None,
                 download=False):
        images, labels = load_mnist_arrays(root, train, download)
        super().__init__(images, labels, transform, target_transform)
        self.root = root
        self.train = bool(train)

    @property
    def class_to_idx(self):
        return {c: i for i, c in enumerate(self.classes)}

    def _extra_repr(self):
        return [f"Carpeta: {self.root if self.root is not None else mnist_cache_dir()}",
                f"Partición: {'entrenamiento' if self.train else 'prueba'}"]
