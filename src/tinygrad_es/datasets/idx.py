"""Lectura y escritura del formato IDX (el de los archivos originales de MNIST).

Formato (LeCun et al.): 2 bytes a cero, 1 byte con el tipo de dato, 1 byte con el número de
dimensiones ``d``; después ``d`` enteros de 32 bits big-endian con los tamaños, y los datos en
orden C y big-endian. Tipos: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32,
0x0E float64. Los archivos pueden venir comprimidos con gzip (``.gz``): se detecta por sus
primeros bytes, no por la extensión.
"""
import gzip
import io
import os
import zlib

import numpy as np

_CODES = {0x08: np.dtype(np.uint8), 0x09: np.dtype(np.int8), 0x0B: np.dtype(">i2"),
          0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
_BY_KIND = {(dt.kind, dt.itemsize): code for code, dt in _CODES.items()}
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20            # se lee (y se descomprime) de 1 MiB en 1 MiB
_MAX_DEFLATE_RATIO = 1032   # lo máximo que puede crecer un bloque deflate al descomprimirse


def decompress(raw):
    """El contenido descomprimido si ``raw`` es gzip; si no, ``raw`` tal cual.

    Descomprime todo de golpe: para archivos de origen desconocido usa ``read_idx`` o
    ``read_idx_stream``, que nunca pasan del tamaño que anuncia la cabecera IDX.
    """
    return gzip.decompress(raw) if raw[:2] == _GZIP_MAGIC else raw


def _read_exact(stream, n):
    parts, got = [], 0
    while got < n:
        part = stream.read(n - got)
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


def read_idx_stream(stream, name="datos IDX", check_header=None, on_data=None,
                    max_bytes=None):
    """Lee un IDX de ``stream`` (ya descomprimido) sin leer nunca más de lo que anuncia.

    - ``check_header(shape, dtype)``: se llama con la forma de la cabecera antes de leer los
      datos; puede lanzar un error si no es la esperada (así un archivo con otra forma se
      rechaza sin descomprimirlo).
    - ``on_data(bytes)``: recibe cada trozo leído, cabecera incluida (p. ej. ``md5.update``).
    - ``max_bytes``: tamaño máximo admitido (cabecera incluida); si la cabecera anuncia más,
      ``ValueError`` antes de reservar memoria.

    Si tras los datos anunciados queda algo más, se para en el primer byte de más con
    ``ValueError`` (un archivo que "crece" al descomprimirse, como una bomba gzip, nunca se
    descomprime entero). Devuelve los datos en el orden de bytes nativo.
    """
    head = _read_exact(stream, 4)
    if len(head) < 4 or head[0] != 0 or head[1] != 0 or head[2] not in _CODES:
        raise ValueError(
            f"{name} no es un archivo IDX válido: la cabecera debe empezar con dos bytes a "
            f"cero, un código de tipo conocido y el número de dimensiones, pero empieza por "
            f"{head.hex(' ')!r}. ¿Está dañado o es otro tipo de archivo?")
    dtype, ndim = _CODES[head[2]], head[3]
    dims = _read_exact(stream, 4 * ndim)
    if len(dims) < 4 * ndim:
        raise ValueError(f"{name}: la cabecera IDX está incompleta (archivo cortado). Bórralo "
                         "y vuelve a obtenerlo.")
    shape = tuple(int(s) for s in np.frombuffer(dims, dtype=">u4"))
    header = 4 + 4 * ndim
    nbytes = int(np.prod(shape, dtype=object)) * dtype.itemsize
    expected = header + nbytes
    if check_header is not None:
        check_header(shape, dtype)
    if max_bytes is not None and expected > max_bytes:
        raise ValueError(
            f"{name}: la cabecera IDX anuncia la forma {shape} ({expected} bytes en total), "
            f"más de lo que puede contener este archivo (como mucho {max_bytes} bytes). "
            "Probablemente está incompleto o dañado: bórralo y vuelve a obtenerlo.")
    if on_data is not None:
        on_data(head + dims)
    out = np.empty(nbytes, dtype=np.uint8)
    view = memoryview(out)
    pos = 0
    while pos < nbytes:
        part = stream.read(min(_CHUNK, nbytes - pos))
        if not part:
            raise ValueError(
                f"{name}: la cabecera IDX anuncia la forma {shape} ({expected} bytes en total), "
                f"pero el archivo solo tiene {header + pos} bytes. Probablemente está "
                "incompleto o dañado: bórralo y vuelve a obtenerlo.")
        view[pos:pos + len(part)] = part
        if on_data is not None:
            on_data(part)
        pos += len(part)
    if stream.read(1):
        raise ValueError(
            f"{name}: la cabecera IDX anuncia la forma {shape} ({expected} bytes en total), "
            "pero el archivo sigue después: tiene más datos de los anunciados (¿dañado, o una "
            "«bomba» que se hincha al descomprimirse?). Se ha dejado de leer en el primer byte "
            "de más. Bórralo y vuelve a obtenerlo.")
    return out.view(dtype).reshape(shape).astype(dtype.newbyteorder("="), copy=False)


def parse_idx(content, name="datos IDX"):
    """Convierte el contenido (sin comprimir) de un archivo IDX en un ``ndarray``.

    Devuelve los datos en el orden de bytes nativo. Un contenido mal formado (cabecera
    desconocida o tamaño que no cuadra) da ``ValueError`` con el nombre del archivo.
    """
    return read_idx_stream(io.BytesIO(content), name=name, max_bytes=len(content))


def open_idx(path):
    """``(stream, límite)``: el archivo abierto (descomprimiéndolo al leer si es gzip) y lo
    máximo que puede ocupar su contenido (así una cabecera que promete más se rechaza antes de
    reservar memoria). Se detecta gzip por los primeros bytes, no por la extensión."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        gz = f.read(2) == _GZIP_MAGIC
    if not gz:
        return open(path, "rb"), size
    return gzip.GzipFile(path, mode="rb"), size * _MAX_DEFLATE_RATIO + 1024


def read_idx(path, check_header=None, on_data=None, name=None):
    """Lee un archivo IDX (comprimido con gzip o no) y devuelve un ``ndarray``.

    Lee por trozos y para en el primer problema: cabecera que no cuadra, archivo cortado
    (también un ``.gz`` cortado) o más datos de los anunciados. Los errores son ``ValueError``
    con el nombre del archivo (o ``name``, p. ej. la URL de la que se descargó).
    ``check_header`` y ``on_data`` como en ``read_idx_stream``.
    """
    name = os.fspath(path) if name is None else name
    stream, limit = open_idx(path)
    try:
        with stream:
            return read_idx_stream(stream, name, check_header, on_data, max_bytes=limit)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise ValueError(
            f"{name}: el archivo comprimido (gzip) está cortado o dañado ({exc}). Bórralo y "
            "vuelve a obtenerlo (si es de MNIST, con download=True).") from None


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
