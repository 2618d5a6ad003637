"""Descargas de MNIST, Fashion-MNIST y KMNIST con pooch, y la caché donde se guardan.

``pooch`` (el descargador de SciPy, scikit-image, MNE...) hace el trabajo: descarga a un archivo
temporal de la carpeta de destino, comprueba la suma conocida y solo entonces le da su nombre
definitivo (una descarga interrumpida o dañada no deja nada), reintenta si la conexión falla
(``RETRIES``) y muestra una barra de progreso con tqdm. Aquí solo queda lo nuestro: el registro
de archivos con sus sumas, los espejos de cada conjunto y los mensajes en español.

- ``REGISTRY``: ``"carpeta/archivo.gz" -> "md5:..."``, la suma MD5 de cada archivo ``.gz``
  publicado (las mismas que usa torchvision). Las 12 entradas: 4 archivos de cada conjunto.
- ``MIRRORS``: las direcciones (https) donde está cada conjunto, por orden de preferencia.
- La caché: ``~/.cache/tinygrad_es/<carpeta>``, o ``$TINYGRAD_ES_DATOS/<carpeta>`` si esa
  variable de entorno está definida.

pooch se importa solo al descargar: leer archivos que ya están no lo necesita.
"""
import contextlib
import logging
import os
import pathlib
import sys

ENV_VAR = "TINYGRAD_ES_DATOS"
ENV_VAR_ALIAS = "TINYGRAD_ES_DATA"   # el mismo significado, con el nombre en inglés
MIRRORS = {
    "mnist": ["https://ossci-datasets.s3.amazonaws.com/mnist/",           # torchvision
              "https://storage.googleapis.com/cvdf-datasets/mnist/"],     # TensorFlow
    "fashion_mnist": ["https://storage.googleapis.com/tensorflow/tf-keras-datasets/",   # Keras
                      "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/"
                      "data/fashion/"],                                   # el repositorio oficial
    "kmnist": ["https://codh.rois.ac.jp/kmnist/dataset/kmnist/"],        # la web oficial
}
REGISTRY = {
    "mnist/train-images-idx3-ubyte.gz": "md5:f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "mnist/train-labels-idx1-ubyte.gz": "md5:d53e105ee54ea40749a09fcbcd1e9432",
    "mnist/t10k-images-idx3-ubyte.gz": "md5:9fb629c4189551a2d022fa330f9573f3",
    "mnist/t10k-labels-idx1-ubyte.gz": "md5:ec29112dd5afa0611ce80d1b7f02629c",
    "fashion_mnist/train-images-idx3-ubyte.gz": "md5:8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    "fashion_mnist/train-labels-idx1-ubyte.gz": "md5:25c81989df183df01b3e8a0aad5dffbe",
    "fashion_mnist/t10k-images-idx3-ubyte.gz": "md5:bef4ecab320f06d8554ea6380940ec79",
    "fashion_mnist/t10k-labels-idx1-ubyte.gz": "md5:bb300cfdad3c16e7a12a480ee83cd310",
    "kmnist/train-images-idx3-ubyte.gz": "md5:bdb82020997e1d708af4cf47b453dcf7",
    "kmnist/train-labels-idx1-ubyte.gz": "md5:e144d726b3acfaa3e44228e80efcd344",
    "kmnist/t10k-images-idx3-ubyte.gz": "md5:5c965bf0a639b31b8f53240b1b52f4d7",
    "kmnist/t10k-labels-idx1-ubyte.gz": "md5:7320c461ea6c1c855c0b718fb2a4b134",
}
RETRIES = 1          # reintentos de pooch en cada espejo (espera 1 s antes de reintentar)
TIMEOUT = 60         # segundos sin respuesta del servidor
CHUNK = 1 << 16


class ChecksumError(RuntimeError):
    """El contenido de un archivo no tiene la suma esperada (dañado o incompleto)."""


class DatasetNotFoundError(RuntimeError, FileNotFoundError):
    """No están los archivos y no se pidió descargarlos."""


class DownloadError(RuntimeError):
    """No se pudo descargar un archivo de ningún espejo (sin conexión, error del servidor...)."""


def cache_dir():
    """Carpeta de la caché de datos: ``$TINYGRAD_ES_DATOS`` (o ``$TINYGRAD_ES_DATA``) o
    ``~/.cache/tinygrad_es``."""
    env = os.environ.get(ENV_VAR) or os.environ.get(ENV_VAR_ALIAS)
    return pathlib.Path(env).expanduser() if env else pathlib.Path.home() / ".cache" / "tinygrad_es"


def known_md5(folder, fname):
    """La suma MD5 publicada de ``folder/fname`` (sin el prefijo ``md5:``)."""
    return REGISTRY[f"{folder}/{fname}"].split(":", 1)[1]


class _ProgressBar:
    """La barra de tqdm que pooch rellena; aparece cuando el servidor responde y dice el tamaño
    (sin red no se dibujan barras vacías). Sin tqdm, no hay barra."""

    def __init__(self, desc):
        self.desc, self.bar = desc, None

    @property
    def total(self):
        return None if self.bar is None else self.bar.total

    @total.setter
    def total(self, value):
        from tqdm.auto import tqdm
        self.bar = tqdm(total=value or None, desc=self.desc, unit="B", unit_scale=True,
                        unit_divisor=1024, leave=False)

    def update(self, n):
        self.bar.update(n)

    def reset(self):
        self.bar.reset()

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _download(url, output_file, pooch_obj):
    """El descargador de pooch (HTTP) con la barra de tqdm y un User-Agent propio."""
    import importlib.util

    import pooch
    bar = _ProgressBar(url.rsplit("/", 1)[-1]) if importlib.util.find_spec("tqdm") else False
    try:
        pooch.HTTPDownloader(progressbar=bar, chunk_size=CHUNK, timeout=TIMEOUT,
                             headers={"User-Agent": "tinygrad_es"})(url, output_file, pooch_obj)
    finally:
        if bar:
            bar.close()


@contextlib.contextmanager
def _pooch_quiet(pooch):
    """Sin los avisos de pooch en inglés: los nuestros, en español, dicen lo mismo."""
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _reason(exc, requests):
    """Qué pasó, en pocas palabras y en español."""
    if isinstance(exc, requests.exceptions.HTTPError) and exc.response is not None:
        return f"el servidor respondió {exc.response.status_code} {exc.response.reason}"
    if isinstance(exc, requests.exceptions.Timeout):
        return f"el servidor no respondió en {TIMEOUT} s"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "sin conexión: no se pudo contactar con el servidor"
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def fetch(folder, name, title, destination, offline_hint=""):
    """Descarga ``name.gz`` del conjunto ``folder`` a la carpeta ``destination``.

    Prueba cada espejo de ``MIRRORS[folder]`` por orden y devuelve la ruta del archivo, ya con
    su suma MD5 comprobada. Si ninguno responde, ``DownloadError`` con un mensaje que dice qué
    hacer (``offline_hint`` se añade al final); si lo descargado no tiene la suma esperada,
    ``ChecksumError``. En los dos casos no queda nada en ``destination``.
    """
    fname = name + ".gz"
    known = REGISTRY[f"{folder}/{fname}"]
    destination = pathlib.Path(destination)
    try:
        import pooch
        import requests
    except ImportError:
        raise DownloadError(
            f"Para descargar {fname} de {title} hace falta el paquete pooch, que no está "
            'instalado (es una dependencia de tinygrad_es): pip install pooch, o pip install -e '
            f'"." en la carpeta del proyecto. También puedes copiar los archivos a mano a '
            f"{destination}.{offline_hint}") from None
    created = not destination.exists()
    errors, corrupted = [], False
    for mirror in MIRRORS[folder]:
        url = mirror + fname
        store = pooch.create(path=destination, base_url=mirror, registry={fname: known},
                             retry_if_failed=RETRIES)
        print(f"Descargando {url} en {destination}", file=sys.stderr)
        try:
            with _pooch_quiet(pooch):
                return pathlib.Path(store.fetch(fname, downloader=_download))
        except ValueError as exc:      # pooch: la suma del archivo descargado no es la conocida
            corrupted = True
            errors.append(f"{url}: lo descargado no tiene la suma MD5 esperada ({known}) ({exc})")
        except (requests.exceptions.RequestException, OSError) as exc:
            errors.append(f"{url}: {_reason(exc, requests)}")
    if created and destination.is_dir() and not any(destination.iterdir()):
        destination.rmdir()          # no dejar una carpeta vacía en la caché
    detail = "\n  ".join(errors)
    if corrupted:
        raise ChecksumError(
            f"Se descargó {fname} de {title}, pero el contenido no es el esperado, así que no se "
            f"ha guardado nada en {destination}. Vuelve a intentarlo más tarde o copia los "
            f"archivos a mano.{offline_hint}\nDetalle:\n  {detail}")
    raise DownloadError(
        f"No se pudo descargar {fname} de {title}: ningún espejo responde (¿no hay conexión a "
        f"internet?). Comprueba la conexión y vuelve a intentarlo, o copia los archivos IDX "
        f"(.gz) a mano a {destination}.{offline_hint}\nDetalle:\n  {detail}")
