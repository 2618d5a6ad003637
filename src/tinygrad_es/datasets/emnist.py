"""EMNIST (Cohen et al., 2017): letras y dígitos manuscritos de 28x28 en el formato IDX de MNIST,
con las seis particiones de ``torchvision.datasets.EMNIST``.

=========  ======================================  ==========================
partición  clases                                  muestras (entren. / prueba)
=========  ======================================  ==========================
byclass    62: 0-9, A-Z, a-z                       697.932 / 116.323
bymerge    47: como byclass, con las 15 minúsculas  697.932 / 116.323
           que se escriben como su mayúscula
           (c, i, j, k, l, m, o, p, s, u, v, w...)
balanced   47: las de bymerge, equilibradas          112.800 / 18.800
letters    26 letras (etiquetas 1-26; la 0 es N/A)  124.800 / 20.800
digits     10 dígitos                               240.000 / 40.000
mnist      10 dígitos                               60.000 / 10.000
=========  ======================================  ==========================

Archivos: ``emnist-<partición>-<train|test>-images-idx3-ubyte`` y ``...-labels-idx1-ubyte``
(los nombres que deja torchvision en ``root/EMNIST/raw`` al descomprimir; también valen con
``.gz``). Se buscan, por este orden, en ``root/EMNIST/raw``, en ``root`` y en la caché
(``~/.cache/tinygrad_es/emnist`` o ``$TINYGRAD_ES_DATOS/emnist``).

Como en torchvision, las imágenes se dan tal como están en los archivos: traspuestas (EMNIST
las guarda por columnas). Para verlas derechas: ``img.T`` (o ``x.transpose(-1, -2)``).

Descarga (solo con ``download=True``): el zip oficial del NIST que usa torchvision (535 MB,
suma MD5 comprobada por pooch); se extraen sus ``.gz`` a la caché y se borra el zip.
"""
import pathlib
import string
import sys
import zipfile

import numpy as np

from ._base import ImageArrayDataset
from ._descarga import (ChecksumError, DatasetNotFoundError, DownloadError, _download,
                        _pooch_quiet, _reason, cache_dir)
from .idx import read_idx

URL = "https://biometrics.nist.gov/cs_links/EMNIST/gzip.zip"     # el de torchvision
MD5 = "58c8d27c78d21e728a6bc7b3cc06412e"
SPLITS = ("byclass", "bymerge", "balanced", "letters", "digits", "mnist")
_MERGED = set("cijklmopsuvwxyz")
_ALL = set(string.digits + string.ascii_letters)
CLASSES = {
    "byclass": sorted(_ALL),
    "bymerge": sorted(_ALL - _MERGED),
    "balanced": sorted(_ALL - _MERGED),
    "letters": ["N/A"] + list(string.ascii_lowercase),
    "digits": list(string.digits),
    "mnist": list(string.digits),
}


def emnist_cache_dir():
    return cache_dir() / "emnist"


def file_names(split, train):
    """Los nombres (sin ``.gz``) de las imágenes y de las etiquetas de una partición."""
    prefix = f"emnist-{split}-{'train' if train else 'test'}"
    return prefix + "-images-idx3-ubyte", prefix + "-labels-idx1-ubyte"


def _search_dirs(root):
    dirs = []
    if root is not None:
        root = pathlib.Path(root).expanduser()
        dirs += [root / "EMNIST" / "raw", root]
    dirs.append(emnist_cache_dir())
    return dirs


def _find(name, dirs):
    for folder in dirs:
        for candidate in (folder / name, folder / (name + ".gz")):
            if candidate.is_file():
                return candidate
    return None


def _header_check(path, images):
    def check(shape, dtype):
        ok = dtype == np.uint8 and (len(shape) == 3 and tuple(shape[1:]) == (28, 28) if images
                                    else len(shape) == 1)
        if not ok:
            expected = "(N, 28, 28)" if images else "(N,)"
            raise ChecksumError(
                f"El archivo {path} no es de EMNIST: su cabecera IDX anuncia forma "
                f"{tuple(shape)} y tipo {dtype.name}, y se esperaba {expected} uint8. No se ha "
                "leído nada más. Bórralo y vuelve a obtenerlo.")
    return check


def _read(path, images):
    try:
        return read_idx(path, check_header=_header_check(path, images))
    except ValueError as exc:
        raise ChecksumError(f"{exc} Con download=True se descarga de nuevo.") from None


def _not_found(split, train, root, missing):
    where = "\n".join(f"  - {d}" for d in _search_dirs(root))
    names = " y ".join(missing)
    verb = "faltan" if len(missing) > 1 else "falta"
    return DatasetNotFoundError(
        f"No se encuentran los archivos de EMNIST (partición {split!r}, "
        f"{'entrenamiento' if train else 'prueba'}): {verb} {names} (también valen con .gz). "
        f"Se han buscado en:\n{where}\nOpciones:\n"
        f"  1. Descargarlos: EMNIST(root, split={split!r}, download=True) baja el zip oficial "
        f"(535 MB) de {URL} y deja los archivos en {emnist_cache_dir()}.\n"
        f"  2. Sin internet: descomprime gzip.zip (de ese enlace) y copia los archivos "
        f"emnist-*-ubyte(.gz) de su carpeta gzip/ a {emnist_cache_dir()} o a root/EMNIST/raw "
        "(como torchvision).")


def download_emnist(destination=None):
    """Descarga el zip oficial, extrae sus ``.gz`` a ``destination`` (la caché) y borra el zip.

    Sin conexión: ``DownloadError`` en español; un zip con otra suma MD5: ``ChecksumError``
    (pooch no deja nada en la carpeta en los dos casos)."""
    destination = pathlib.Path(emnist_cache_dir() if destination is None else destination)
    manual = (f"Sin internet, descarga {URL} en otro equipo, descomprímelo y copia los archivos "
              f"emnist-*-ubyte.gz de su carpeta gzip/ a {destination}.")
    try:
        import pooch
        import requests
    except ImportError:
        raise DownloadError(
            "Para descargar EMNIST hace falta el paquete pooch, que no está instalado (es una "
            f'dependencia de tinygrad_es): pip install pooch. {manual}') from None
    print(f"Descargando {URL} (535 MB) en {destination}", file=sys.stderr)
    try:
        with _pooch_quiet(pooch):
            archive = pathlib.Path(pooch.retrieve(URL, known_hash="md5:" + MD5, fname="gzip.zip",
                                                  path=destination, downloader=_download))
    except ValueError as exc:          # pooch: la suma del archivo descargado no es la conocida
        raise ChecksumError(
            f"Se descargó {URL}, pero no tiene la suma MD5 esperada ({MD5}), así que no se ha "
            f"guardado. Vuelve a intentarlo más tarde. {manual}\nDetalle: {exc}") from None
    except (requests.exceptions.RequestException, OSError) as exc:
        raise DownloadError(
            f"No se pudo descargar EMNIST de {URL}: {_reason(exc, requests)} (¿no hay "
            f"conexión a internet?). Comprueba la conexión y vuelve a intentarlo. {manual}"
        ) from None
    with zipfile.ZipFile(archive) as zf:
        for member in zf.namelist():
            name = member.rsplit("/", 1)[-1]
            if name.startswith("emnist-") and name.endswith(".gz"):
                target = destination / name
                with zf.open(member) as src, open(target.with_suffix(".gz.part"), "wb") as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
                target.with_suffix(".gz.part").replace(target)
    archive.unlink()
    return destination


def load_emnist_arrays(split, root=None, train=True, download=False):
    """``(imágenes uint8 (N, 28, 28), etiquetas int64 (N,))`` de una partición de EMNIST."""
    if split not in SPLITS:
        raise ValueError(
            f"split de EMNIST no válido: {split!r}. Debe ser uno de: {', '.join(SPLITS)}.")
    names = file_names(split, bool(train))
    paths = [_find(name, _search_dirs(root)) for name in names]
    if None in paths and download:
        download_emnist()
        paths = [_find(name, _search_dirs(root)) for name in names]
    missing = [n for n, p in zip(names, paths) if p is None]
    if missing:
        raise _not_found(split, bool(train), root, missing)
    images, labels = _read(paths[0], True), _read(paths[1], False)
    if len(images) != len(labels):
        raise ChecksumError(
            f"Los archivos de EMNIST no cuadran: {paths[0]} tiene {len(images)} imágenes y "
            f"{paths[1]} tiene {len(labels)} etiquetas. Bórralos y vuelve a obtenerlos.")
    if len(labels) and int(labels.max()) >= len(CLASSES[split]):
        raise ChecksumError(
            f"{paths[1]} tiene la etiqueta {int(labels.max())}, pero la partición {split!r} "
            f"solo tiene {len(CLASSES[split])} clases: ¿es el archivo de otra partición?")
    return images, labels.astype(np.int64)


class EMNIST(ImageArrayDataset):
    """EMNIST con los argumentos de ``torchvision.datasets.EMNIST``.

    ``EMNIST(root, split, train=True, transform=None, target_transform=None,
    download=False)``; ``split`` es una de ``EMNIST.splits`` (byclass, bymerge, balanced,
    letters, digits, mnist). La muestra ``i`` es ``(imagen, etiqueta)`` con la imagen como
    ndarray uint8 28x28 (en torchvision, PIL), traspuesta como en los archivos (y en
    torchvision). ``.data``, ``.targets``, ``.classes`` y ``.class_to_idx`` como allí.
    """

    name = "EMNIST"
    splits = SPLITS
    classes_split_dict = CLASSES

    def __init__(self, root, split, train=True, transform=None, target_transform=None,
                 download=False):
        images, labels = load_emnist_arrays(split, root, train, download)
        super().__init__(images, labels, transform, target_transform)
        self.root = root
        self.split = split
        self.train = bool(train)
        self.classes = CLASSES[split]

    @property
    def class_to_idx(self):
        return {c: i for i, c in enumerate(self.classes)}

    def _extra_repr(self):
        folder = self.root if self.root is not None else emnist_cache_dir()
        return [f"Carpeta: {folder}", f"Partición: {self.split}, "
                f"{'entrenamiento' if self.train else 'prueba'}"]
