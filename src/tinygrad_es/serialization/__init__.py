"""``save`` y ``load`` como los de PyTorch, sin ejecutar nunca código guardado en un archivo.

Formato al guardar (lo decide la extensión de la ruta):

- ``.safetensors``: safetensors (ver ``_safetensors.py``); PyTorch lo lee con
  ``safetensors.torch.load_file``.
- cualquier otra (``.pt``, ``.pth``, ``.bin``, ``.tar``, sin extensión) o un archivo abierto:
  el formato zip de ``torch.save`` (``_pickler.py`` + ``_torch_zip.py``), que PyTorch abre con
  ``torch.load(ruta, weights_only=True)``. Los tensores que comparten memoria comparten
  almacenamiento. Los escalares de NumPy se guardan como números de Python; los arrays de
  NumPy y los ``frozenset`` no se admiten (PyTorch no los abriría con ``weights_only=True``).

Al cargar, el formato se reconoce por los primeros bytes (da igual el nombre): el zip de
``torch.save``, su formato antiguo (``_use_new_zipfile_serialization=False``) y safetensors.
Los pickles se leen con una lista cerrada de globales (la de ``weights_only=True``) que
devuelven objetos de tinygrad_es: nunca se importa ni se ejecuta nada del archivo
(``_unpickler.py``), y un pickle que pida otra cosa se rechaza con un error que dice cuál y por
qué.

Diferencias con PyTorch: todo se carga en la CPU (también lo guardado en GPU); los bfloat16
llegan como float32 (sin pérdida); ``weights_only=False`` no permite ejecutar código (se acepta
por compatibilidad); ``mmap=True`` se acepta pero los datos se leen a memoria.
"""
import io
import os

from .._device import _check_device
from . import _pickler, _safetensors, _torch_zip
from ._common import too_deep_to_save
from ._files import atomic_write, open_for_reading
from ._unpickler import ALLOWED_GLOBALS, TORCH_ONLY, CheckpointUnpicklingError

__all__ = ["save", "load", "CheckpointUnpicklingError", "ALLOWED_GLOBALS", "TORCH_ONLY"]


def _format_for(f):
    name = getattr(f, "name", "") if hasattr(f, "write") else os.fspath(f)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    return "safetensors" if isinstance(name, str) and name.lower().endswith(".safetensors") \
        else "torch"


# --- guardar ------------------------------------------------------------------------------
def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """Guarda ``obj`` (tensor, ``state_dict``, estado de optimizador, números, listas...) en ``f``.

    ``f`` es una ruta o un archivo abierto en modo binario. Con extensión ``.safetensors`` se
    escribe safetensors; con cualquier otra, el formato de ``torch.save``, que PyTorch abre con
    ``torch.load(ruta, weights_only=True)``. Un modelo entero no se guarda: guarda
    ``model.state_dict()``. Los demás argumentos se aceptan por compatibilidad con PyTorch
    (siempre se escribe el zip con pickle de protocolo 2, lo que PyTorch escribe por defecto).
    """
    fmt = _format_for(f)
    try:
        if fmt == "safetensors":
            tensors, metadata = _safetensors.encode(obj)
        else:
            pickled, storages = _pickler.dumps(obj)
    except RecursionError:
        raise too_deep_to_save() from None

    def write_to(fileobj):
        if fmt == "safetensors":
            _safetensors.write(fileobj, tensors, metadata)
        else:
            _torch_zip.write(fileobj, pickled, storages)

    if hasattr(f, "write"):
        write_to(f)
        return
    path = os.fspath(f)
    if fmt == "safetensors":
        atomic_write(path, lambda tmp: _safetensors.save_file(tensors, metadata, tmp))
    else:
        def write_zip(tmp):
            with open(tmp, "wb") as fileobj:
                write_to(fileobj)
        atomic_write(path, write_zip)


# --- cargar -------------------------------------------------------------------------------
def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """Carga lo que guardó ``torch.save`` o ``tinygrad_es.save`` (o un safetensors), sin
    ejecutar código del archivo.

    ``map_location`` solo puede llevar a la CPU (donde se carga todo); ``weights_only`` se
    acepta pero no cambia nada: siempre se cargan solo datos, y con ``weights_only=False``
    tampoco se ejecuta código guardado. ``mmap`` y ``pickle_module`` se aceptan por
    compatibilidad.
    """
    _check_map_location(map_location)
    if hasattr(f, "read"):
        name = getattr(f, "name", None)
        name = name if isinstance(name, str) else "el archivo"
        try:
            seekable = f.seekable()
        except (AttributeError, OSError, ValueError):
            seekable = False
        return _load_from(f if seekable else io.BytesIO(f.read()), name, weights_only)
    name = os.fspath(f)
    with open_for_reading(name) as fileobj:
        return _load_from(fileobj, name, weights_only)


def _check_map_location(map_location):
    if map_location is None or callable(map_location):
        return                               # una función: los datos ya están en la CPU
    targets = map_location.values() if isinstance(map_location, dict) else [map_location]
    for target in targets:
        kind = getattr(target, "type", None)       # también un torch.device de PyTorch
        _check_device(kind if isinstance(kind, str) and not isinstance(target, str) else target)


def _load_from(fileobj, name, weights_only):
    start = fileobj.tell()
    head = fileobj.read(512)
    fileobj.seek(start)
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _torch_zip.read_zip(fileobj, name, weights_only)
    if _safetensors.looks_like(head):
        raw = fileobj.read()
        try:
            return _safetensors.load(raw, name)
        except _safetensors.NotSafetensorsError:
            if head[:1] != b"\x80":
                raise
        fileobj.seek(start)
    if head[:1] == b"\x80":
        return _torch_zip.read_legacy(fileobj, name, weights_only)
    if _torch_zip.is_legacy_tar(head):
        raise _torch_zip.legacy_tar_error(name)
    return _safetensors.load(fileobj.read(), name)
