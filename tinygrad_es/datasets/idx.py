"""Lectura y escritura del formato IDX (el de los archivos originales de MNIST).

Formato (LeCun et al.): 2 bytes a cero, 1 byte con el tipo de dato, 1 byte con el número de
dimensiones ``d``; después ``d`` enteros de 32 bits big-endian con los tamaños, y los datos en
orden C y big-endian. Tipos: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32,
0x0E float64. Los archivos pueden venir comprimidos con gzip (``.gz``): se detecta por sus
primeros bytes, no por la extensión.
"""
import gzip
import os

import numpy as np

_CODES = {0x08: np.dtype(np.uint8), 0x09: np.dtype(np.int8), 0x0B: np.dtype(">i2"),
          0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
_BY_KIND = {(dt.kind, dt.itemsize): code for code, dt in _CODES.items()}
_GZIP_MAGIC = b"\x1f\x8b"


def decompress(raw):
    """El contenido descomprimido si ``raw`` es gzip; si no, ``raw`` tal cual."""
    return gzip.decompress(raw) if raw[:2] == _GZIP_MAGIC else raw


def parse_idx(content, name="datos IDX"):
    """Convierte el contenido (sin comprimir) de un archivo IDX en un ``ndarray``.

    Devuelve los datos en el orden de bytes nativo. Un contenido mal formado (cabecera
    desconocida o tamaño que no cuadra) da ``ValueError`` con el nombre del archivo.
    """
    if len(content) < 4 or content[0] != 0 or content[1] != 0 or content[2] not in _CODES:
        raise ValueError(
            f"{name} no es un archivo IDX válido: la cabecera debe empezar con dos bytes a "
            f"cero, un código de tipo conocido y el número de dimensiones, pero empieza por "
            f"{content[:4].hex(' ')!r}. ¿Está dañado o es otro tipo de archivo?")
    dtype, ndim = _CODES[content[2]], content[3]
    header = 4 + 4 * ndim
    if len(content) < header:
        raise ValueError(f"{name}: la cabecera IDX está incompleta (archivo cortado).")
    shape = tuple(int(s) for s in np.frombuffer(content, dtype=">u4", count=ndim, offset=4))
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(content) != expected:
        raise ValueError(
            f"{name}: la cabecera IDX anuncia la forma {shape} ({expected} bytes en total), "
            f"pero el archivo tiene {len(content)} bytes. Probablemente está incompleto o "
            "dañado: bórralo y vuelve a obtenerlo.")
    data = np.frombuffer(content, dtype=dtype, offset=header).reshape(shape)
    return data.astype(dtype.newbyteorder("="))


def read_idx(path):
    """Lee un archivo IDX (comprimido con gzip o no) y devuelve un ``ndarray``."""
    with open(path, "rb") as f:
        raw = f.read()
    return parse_idx(decompress(raw), name=os.fspath(path))


def to_idx_bytes(array):
    """El contenido IDX (sin comprimir) de ``array``."""
    array = np.asarray(array)
    code = _BY_KIND.get((array.dtype.kind, array.dtype.itemsize))
    if code is None:
        raise TypeError(
            f"El formato IDX no admite el tipo {array.dtype}; usa uint8, int8, int16, int32, "
            "float32 o float64.")
    if array.ndim > 255:
        raise ValueError("El formato IDX admite como mucho 255 dimensiones.")
    header = bytes([0, 0, code, array.ndim]) + np.asarray(array.shape, dtype=">u4").tobytes()
    return header + np.ascontiguousarray(array, dtype=_CODES[code]).tobytes()


def write_idx(path, array):
    """Escribe ``array`` en formato IDX; si ``path`` termina en ``.gz`` lo comprime con gzip."""
    content = to_idx_bytes(array)
    if os.fspath(path).endswith(".gz"):
        content = gzip.compress(content, mtime=0)
    with open(path, "wb") as f:
        f.write(content)
