"""El contenedor de ``torch.save``: un zip (formato actual) o pickles seguidos (formato antiguo).

Formato zip (PyTorch >= 1.6), todo sin comprimir dentro de una carpeta (``archive/``)::

    archive/data.pkl             el objeto, como pickle; los tensores apuntan a almacenamientos
    archive/.format_version      "1"
    archive/.storage_alignment   "64": los datos de cada almacenamiento empiezan en múltiplo de 64
    archive/byteorder            "little" o "big"
    archive/data/0, data/1...    los bytes de cada almacenamiento
    archive/version              "3"

Formato antiguo (``_use_new_zipfile_serialization=False``): cinco pickles seguidos (número
mágico, versión, información del sistema, el objeto y la lista de claves) y después, por cada
almacenamiento, su número de elementos (int64) y sus bytes.

Los pickles se leen siempre con ``RestrictedUnpickler``: nunca se ejecuta código del archivo.
"""
import io
import struct
import sys
import zipfile

from . import _torch_types as tt
from ._rebuild import CorruptCheckpointError, Storage
from ._unpickler import CheckpointUnpicklingError, RestrictedUnpickler, corrupt

MAGIC_NUMBER = 0x1950a86a20f9469cfc6c
PROTOCOL_VERSION = 1001
_ALIGNMENT = 64
_CHUNK = 64 * 1024 * 1024


# --- escribir ----------------------------------------------------------------------------
def write(fileobj, pickled, storages, folder="archive"):
    """Escribe el zip de ``torch.save`` en ``fileobj`` (binario, en la posición actual)."""
    with zipfile.ZipFile(fileobj, "w", zipfile.ZIP_STORED) as archive:
        def record(name, data, aligned=False):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            info.file_size = len(data)
            if aligned:                          # relleno en el campo "extra" (como PyTorch)
                zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT
                header = 30 + len(info.filename.encode("utf-8")) + (20 if zip64 else 0)
                pad = -(archive.start_dir + header + 4) % _ALIGNMENT
                info.extra = struct.pack("<HH", 0x4246, pad) + b"Z" * pad
            with archive.open(info, "w") as out:
                for i in range(0, len(data), _CHUNK):
                    out.write(data[i:i + _CHUNK])

        record("data.pkl", pickled)
        record(".format_version", b"1")
        record(".storage_alignment", str(_ALIGNMENT).encode())
        record("byteorder", sys.byteorder.encode())
        for key, data in storages:
            record(f"data/{key}", data, aligned=True)
        record("version", b"3\n")


# --- leer el zip --------------------------------------------------------------------------
def read_zip(fileobj, source, weights_only=None):
    """El objeto guardado en un zip de ``torch.save``."""
    try:
        archive = zipfile.ZipFile(fileobj)
        names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise RuntimeError(
            f"{source!r} parece un zip (como los de torch.save) pero no se puede abrir "
            f"({exc}): estará truncado o dañado. Vuelve a guardarlo o a copiarlo.") from None
    with archive:
        pickles = [n for n in names if n.endswith("/data.pkl") and n.count("/") == 1]
        if not pickles or _is_torchscript(names):
            raise _not_torch_zip(source, names)
        folder = pickles[0][:-len("data.pkl")]
        byteorder = _record(archive, folder + "byteorder", source, b"little").decode()
        if byteorder not in ("little", "big"):
            raise corrupt(source, f"orden de bytes desconocido {byteorder!r}")
        loaded = {}

        def storages(key, dtype_name, numel):
            if key in loaded:
                if loaded[key].dtype_name != dtype_name:
                    raise CorruptCheckpointError(f"el almacenamiento {key!r} con dos tipos")
                return loaded[key]
            name = f"{folder}data/{key}"
            try:
                info = archive.getinfo(name)
            except KeyError:
                raise CorruptCheckpointError(f"falta el bloque de datos {name!r}") from None
            nbytes = numel * tt.ITEMSIZE[dtype_name]
            if info.file_size < nbytes:              # antes de reservar memoria
                raise CorruptCheckpointError(
                    f"el bloque {name!r} tiene {info.file_size} bytes y harían falta {nbytes}")
            storage = Storage(key, dtype_name, numel)
            _read_into(archive, info, storage.raw_bytes())
            storage.finish(byteorder)
            loaded[key] = storage
            return storage

        pickled = _record(archive, folder + "data.pkl", source)
        unpickler = RestrictedUnpickler(io.BytesIO(pickled), source, storages, weights_only)
        try:
            return unpickler.load_checked()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise corrupt(source, f"{type(exc).__name__}: {exc}") from None


def _read_into(archive, info, buffer):
    """Lee el bloque ``info`` del zip directamente en ``buffer`` (sin copias intermedias)."""
    view = memoryview(buffer)
    with archive.open(info) as fh:
        got = 0
        while got < len(view):
            n = fh.readinto(view[got:got + _CHUNK])
            if not n:
                raise CorruptCheckpointError(f"el bloque {info.filename!r} está truncado")
            got += n


def _record(archive, name, source, default=None):
    try:
        return archive.read(name)
    except KeyError:
        if default is not None:
            return default
        raise corrupt(source, f"falta {name!r}") from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise corrupt(source, f"{name!r}: {exc}") from None


def _is_torchscript(names):
    return any(n.endswith("/constants.pkl") or "/code/" in n for n in names)


def _not_torch_zip(source, names):
    if _is_torchscript(names):
        return RuntimeError(
            f"{source!r} es un modelo de TorchScript (torch.jit.save): contiene código, y "
            "tinygrad_es no lo carga. En PyTorch carga el modelo y guarda sus pesos con "
            "torch.save(model.state_dict(), 'pesos.pt').")
    return RuntimeError(
        f"{source!r} es un zip, pero no uno de torch.save (no tiene data.pkl; contiene "
        f"{', '.join(names[:5]) or 'nada'}{'...' if len(names) > 5 else ''}). Comprueba la "
        "ruta.")


# --- formato antiguo ----------------------------------------------------------------------
def read_legacy(fileobj, source, weights_only=None):
    """Formato antiguo (pickles seguidos). Si no empieza por el número mágico de PyTorch, es
    un pickle cualquiera y se rechaza sin ejecutarlo."""
    first = _first_pickle(fileobj, source, weights_only)
    if not (isinstance(first, int) and first == MAGIC_NUMBER):
        raise CheckpointUnpicklingError(
            f"{source!r} es un archivo pickle, pero no de torch.save. tinygrad_es no lo abre: "
            "cargar un pickle cualquiera puede ejecutar código arbitrario (no se ha ejecutado "
            "nada). Si es de confianza, ábrelo con el programa que lo escribió y guarda solo "
            "tensores y datos simples con torch.save(obj, 'pesos.pt') o en un archivo "
            ".safetensors.")

    def simple():
        return RestrictedUnpickler(fileobj, source, None, weights_only).load_checked()

    version = simple()
    if version != PROTOCOL_VERSION:
        raise corrupt(source, f"versión de protocolo {version!r}")
    info = simple()
    byteorder = "little" if not isinstance(info, dict) or info.get("little_endian", True) \
        else "big"
    declared = {}
    start = fileobj.tell()
    total = fileobj.seek(0, io.SEEK_END)
    fileobj.seek(start)

    def storages(key, dtype_name, numel):
        if numel * tt.ITEMSIZE[dtype_name] > total:      # antes de reservar memoria
            raise CorruptCheckpointError(
                f"el almacenamiento {key!r} dice tener {numel} elementos y el archivo solo "
                f"tiene {total} bytes")
        if key not in declared:
            declared[key] = Storage(key, dtype_name, numel)
        elif declared[key].dtype_name != dtype_name:
            raise CorruptCheckpointError(f"el almacenamiento {key!r} con dos tipos")
        return declared[key]

    unpickler = RestrictedUnpickler(fileobj, source, storages, weights_only)
    result = unpickler.load_checked()
    keys = simple()
    if not isinstance(keys, list):
        raise corrupt(source, "la lista de almacenamientos no es una lista")
    order = "<q" if byteorder == "little" else ">q"
    for key in keys:
        storage = declared.get(str(key))
        count = fileobj.read(8)
        if storage is None or len(count) != 8:
            raise corrupt(source, f"almacenamiento {key!r} inesperado o truncado")
        numel = struct.unpack(order, count)[0]
        nbytes = numel * tt.ITEMSIZE[storage.dtype_name]
        data = fileobj.read(nbytes)
        if numel != storage.array.size or len(data) != nbytes:
            raise corrupt(source, f"el almacenamiento {key!r} no tiene el tamaño declarado")
        storage.fill(data, byteorder)
    unpickler.rebuilder.refresh_copies()
    return result


def _first_pickle(fileobj, source, weights_only):
    try:
        return RestrictedUnpickler(fileobj, source, None, weights_only).load_checked()
    except CheckpointUnpicklingError as exc:
        raise CheckpointUnpicklingError(
            f"{source!r} es un archivo pickle, pero no de torch.save, y pide código que "
            f"tinygrad_es no ejecuta nunca. {exc}") from None
    except RuntimeError:
        return None


def is_legacy_tar(head):
    return len(head) >= 262 and head[257:262] == b"ustar"


def legacy_tar_error(source):
    return RuntimeError(
        f"{source!r} está en el formato tar de PyTorch 0.3 o anterior, que tinygrad_es no "
        "lee. Ábrelo con una versión de PyTorch que lo lea y vuelve a guardarlo con "
        "torch.save(obj, ruta).")
