"""Fashion-MNIST y Kuzushiji-MNIST (KMNIST): el mismo formato que MNIST (IDX, 28x28 en grises,
60.000 de entrenamiento y 10.000 de prueba, 10 clases) y los mismos nombres de archivo.

Los archivos se buscan, por este orden, en ``root``, en ``root/FashionMNIST/raw`` (o
``root/KMNIST/raw``, donde los deja torchvision) y en la caché
(``~/.cache/tinygrad_es/fashion_mnist`` o ``.../kmnist``; ``$TINYGRAD_ES_DATOS`` la cambia).

Comprobaciones: la cabecera IDX debe anunciar exactamente la forma esperada antes de leer
nada más; un ``.gz`` debe tener además la suma MD5 publicada (la que usa torchvision, que es
la del archivo comprimido; está en ``_descarga.REGISTRY``). Un archivo ya descomprimido solo se
comprueba por su cabecera y su tamaño (no hay una suma publicada de su contenido).

Solo se descarga con ``download=True``, con pooch (ver ``_descarga.py``): Fashion-MNIST del
espejo de Keras en Google Cloud Storage o del repositorio de Zalando; KMNIST de su web oficial.
"""
import hashlib
import pathlib

import numpy as np

from ._base import ImageArrayDataset
from ._descarga import ChecksumError, DatasetNotFoundError, cache_dir, fetch, known_md5
from .idx import read_idx
from .mnist import FILES

SAMPLES = {"train-images-idx3-ubyte": 60000, "train-labels-idx1-ubyte": 60000,
           "t10k-images-idx3-ubyte": 10000, "t10k-labels-idx1-ubyte": 10000}

SPECS = {
    "FashionMNIST": {
        "folder": "fashion_mnist",
        "title": "Fashion-MNIST",
        "classes": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                    "Sneaker", "Bag", "Ankle boot"],
    },
    "KMNIST": {
        "folder": "kmnist",
        "title": "Kuzushiji-MNIST (KMNIST)",
        "classes": ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"],
    },
}


def variant_cache_dir(variant):
    return cache_dir() / SPECS[variant]["folder"]


def _search_dirs(variant, root):
    dirs = []
    if root is not None:
        root = pathlib.Path(root).expanduser()
        dirs += [root, root / variant / "raw"]
    dirs.append(variant_cache_dir(variant))
    return dirs


def _header_check(name, origin, title):
    count = SAMPLES[name]
    images = "images" in name

    def check(shape, dtype):
        expected = (count, 28, 28) if images else (count,)
        if dtype == np.uint8 and tuple(shape) == expected:
            return
        raise ChecksumError(
            f"El archivo {origin} no es el {name} de {title}: su cabecera IDX anuncia forma "
            f"{tuple(shape)} y tipo {dtype.name}, y se esperaba {expected} uint8. No se ha "
            "leído nada más. Bórralo y vuelve a obtenerlo.")
    return check


def _read_checked(variant, path, name, origin=None):
    """Lee ``path``; si es ``.gz`` comprueba antes la suma MD5 publicada del archivo."""
    spec = SPECS[variant]
    origin = path if origin is None else origin
    with open(path, "rb") as f:
        raw_head = f.read(2)
    if raw_head == b"\x1f\x8b":
        md5 = hashlib.md5()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                md5.update(chunk)
        expected = known_md5(spec["folder"], name + ".gz")
        if md5.hexdigest() != expected:
            raise ChecksumError(
                f"El archivo {origin} está dañado o no es el de {spec['title']}: su suma MD5 es "
                f"{md5.hexdigest()} y la de {name}.gz debe ser {expected}. Bórralo y "
                "vuelve a obtenerlo (p. ej. con download=True).")
    try:
        return read_idx(path, check_header=_header_check(name, origin, spec["title"]),
                        name=str(origin))
    except ValueError as exc:
        raise ChecksumError(f"{exc} Con download=True se descarga de nuevo.") from None


def _download(variant, name):
    spec = SPECS[variant]
    path = fetch(spec["folder"], name, spec["title"], variant_cache_dir(variant))
    try:
        return _read_checked(variant, path, name)
    except ChecksumError:
        path.unlink()
        raise


def _not_found(variant, root, train, missing):
    spec = SPECS[variant]
    where = "\n".join(f"  - {d}" for d in _search_dirs(variant, root))
    split = "entrenamiento" if train else "prueba"
    names = " y ".join(f"{n}.gz" for n in missing)
    verb = "faltan" if len(missing) > 1 else "falta"
    return DatasetNotFoundError(
        f"No se encuentran los archivos de {spec['title']} ({split}): {verb} {names} (también "
        f"valen sin comprimir). Se han buscado en:\n{where}\nOpciones:\n"
        f"  1. Descargarlos: {variant}(root, train={train}, download=True); se guardan en "
        f"{variant_cache_dir(variant)}.\n"
        f"  2. Sin internet: copia los cuatro archivos IDX (.gz) a la carpeta "
        f"{variant_cache_dir(variant)}, o a root/{variant}/raw (como torchvision), o a la "
        "carpeta que pases como root.")


def load_variant_arrays(variant, root=None, train=True, download=False):
    """``(imágenes uint8 (N, 28, 28), etiquetas int64 (N,))`` de ``variant``."""
    names = FILES[bool(train)]
    arrays = []
    for name in names:
        path = None
        for folder in _search_dirs(variant, root):
            for candidate in (folder / (name + ".gz"), folder / name):
                if path is None and candidate.is_file():
                    path = candidate
        if path is not None:
            arrays.append(_read_checked(variant, path, name))
        elif download:
            arrays.append(_download(variant, name))
        else:
            arrays.append(None)
    missing = [n for n, a in zip(names, arrays) if a is None]
    if missing:
        raise _not_found(variant, root, bool(train), missing)
    images, labels = arrays
    return images, labels.astype(np.int64)


class _MnistVariant(ImageArrayDataset):
    def __init__(self, root=None, train=True, transform=None, target_transform=None,
                 download=False):
        images, labels = load_variant_arrays(type(self).__name__, root, train, download)
        super().__init__(images, labels, transform, target_transform)
        self.root = root
        self.train = bool(train)

    @property
    def class_to_idx(self):
        return {c: i for i, c in enumerate(self.classes)}

    def _extra_repr(self):
        folder = self.root if self.root is not None else variant_cache_dir(type(self).__name__)
        return [f"Carpeta: {folder}", f"Partición: {'entrenamiento' if self.train else 'prueba'}"]


class FashionMNIST(_MnistVariant):
    """Fashion-MNIST (Zalando): prendas de ropa de 28x28, con los argumentos de torchvision.

    ``FashionMNIST(root, train=True, transform=None, target_transform=None, download=False)``;
    la muestra ``i`` es ``(imagen, etiqueta)`` con la imagen como ndarray uint8 28x28 (en
    torchvision, PIL). ``.data``, ``.targets`` y ``.classes`` como en torchvision.
    """

    name = "FashionMNIST"
    classes = SPECS["FashionMNIST"]["classes"]


class KMNIST(_MnistVariant):
    """Kuzushiji-MNIST: caracteres japoneses cursivos (10 clases), como ``torchvision.datasets.KMNIST``."""

    name = "KMNIST"
    classes = SPECS["KMNIST"]["classes"]
