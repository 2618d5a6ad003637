"""``save`` y ``load`` en formato safetensors: sin pickle, así que cargar no ejecuta código.

- Los tensores se guardan como tensores de safetensors. Un ``state_dict`` plano (claves de texto y
  valores tensor) queda con un tensor por clave y el mismo nombre, así que PyTorch lo lee con
  ``safetensors.torch.load_file(ruta)`` y ``modelo.load_state_dict(...)``.
- Todo lo demás (diccionarios anidados, números, textos, listas, tuplas, None, booleanos: por
  ejemplo el ``state_dict()`` de un optimizador o ``{'modelo': sd, 'optim': sd_opt, 'epoca': 3}``)
  va en los metadatos como UN valor JSON con etiquetas de tipo, para que las claves enteras
  vuelvan como enteros, las tuplas como tuplas y cada tensor con su dtype.
- Se escribe en un archivo temporal de la misma carpeta y luego se renombra: un corte a mitad
  nunca deja un archivo a medias.
- ``load`` lee también archivos safetensors con tensores bfloat16 (p. ej. pesos guardados en
  PyTorch con ``.bfloat16()``): NumPy no tiene ese tipo, así que llegan como float32 (sin
  pérdida: un bfloat16 son los 16 bits altos de un float32).
"""
import collections
import json
import math
import os
import sys
import tempfile

import numpy as np
import safetensors.numpy

from .tensor import Tensor, _check_device, _make

_CLAVE = "tinygrad_es"
_VERSION = 1
_TIPO = "__tipo__"
_MAX_CABECERA = 100 * 1024 * 1024


# --- guardar ------------------------------------------------------------------------------
def save(obj, f):
    """Guarda ``obj`` (tensor, state_dict, estado de optimizador, números, listas...) en ``f``.

    ``f`` es una ruta (la extensión da igual: ``.pt``, ``.pth``, ``.safetensors``) o un archivo
    abierto en modo binario.
    """
    tensors = {}
    try:
        tree = _encode(obj, (), tensors)
        metadata = {"format": "pt",
                    _CLAVE: json.dumps({"version": _VERSION, "objeto": tree},
                                       ensure_ascii=False, allow_nan=False,
                                       separators=(",", ":"))}
    except RecursionError:
        raise RuntimeError(
            "No se puede guardar el objeto: está anidado demasiado hondo (listas o "
            f"diccionarios unos dentro de otros, más de ~{sys.getrecursionlimit()} niveles), o "
            "se contiene a sí mismo. Guarda una estructura más plana (p. ej. un diccionario "
            "de tensores).") from None
    if hasattr(f, "write"):
        f.write(safetensors.numpy.save(tensors, metadata=metadata))
        return
    _atomic_save(tensors, metadata, os.fspath(f))


class _SaveDirError(RuntimeError, IsADirectoryError):
    """La ruta de ``save`` es una carpeta (RuntimeError como PyTorch, y IsADirectoryError)."""


class _SaveFolderError(RuntimeError, FileNotFoundError):
    """La carpeta de ``save`` no existe (RuntimeError como PyTorch; también FileNotFoundError)."""


class _SavePermissionError(RuntimeError, PermissionError):
    """Sin permiso para escribir (RuntimeError como PyTorch; también PermissionError)."""


def _atomic_save(tensors, metadata, path):
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".",
                                   suffix=".tmp")
    except OSError as exc:
        raise _save_error(path, folder, exc) from None
    os.close(fd)
    try:
        safetensors.numpy.save_file(tensors, tmp, metadata=metadata)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.remove(tmp)
        if isinstance(exc, OSError):   # el error original nombraría el archivo temporal
            raise _save_error(path, folder, exc) from None
        raise


def _save_error(path, folder, exc):
    """El error de escribir en ``path``, con la ruta del usuario (no la del temporal).

    Para otros fallos del sistema (disco lleno...) se conserva el error original con una nota
    que nombra la ruta del usuario."""
    if os.path.isdir(path):
        return _SaveDirError(
            f"No se puede guardar en {path!r}: es una carpeta, no un archivo. Añade un nombre "
            f"de archivo, p. ej. torch.save(obj, os.path.join({path!r}, 'modelo.pt')).")
    if not os.path.isdir(folder):
        return _SaveFolderError(
            f"No se puede guardar en {path!r}: la carpeta {folder!r} no existe. Créala antes "
            "con os.makedirs(carpeta, exist_ok=True).")
    if isinstance(exc, PermissionError):
        return _SavePermissionError(
            f"No se puede guardar en {path!r}: no hay permiso para escribir en esa carpeta o "
            "en ese archivo. Elige otra ruta (p. ej. dentro de tu carpeta personal).")
    exc.add_note(f"(al guardar en {path!r}; no se ha modificado ese archivo)")
    return exc


def _tensor_name(path, tensors):
    name = ".".join(str(k) for k in path) or "tensor"
    unique, n = name, 1
    while unique in tensors or unique == "__metadata__":
        unique = f"{name}#{n}"
        n += 1
    return unique


def _store(array, path, tensors):
    if not array.flags.c_contiguous:
        array = array.copy(order="C")
    name = _tensor_name(path, tensors)
    tensors[name] = array
    return name


def _where(path):
    return "".join(f"[{k!r}]" for k in path) or "el objeto"


def _encode(obj, path, tensors):
    if isinstance(obj, np.generic):
        return {_TIPO: "numpy", "dtype": obj.dtype.str, "valor": _encode(obj.item(), path, tensors)}
    if obj is None or isinstance(obj, (bool, str, int)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else {_TIPO: "float", "valor": repr(obj)}
    if isinstance(obj, Tensor):
        return {_TIPO: "tensor", "nombre": _store(obj._data, path, tensors),
                "requires_grad": bool(obj._requires_grad)}
    if isinstance(obj, np.ndarray):
        return {_TIPO: "ndarray", "nombre": _store(obj, path, tensors)}
    if isinstance(obj, list):
        return [_encode(v, path + (i,), tensors) for i, v in enumerate(obj)]
    if isinstance(obj, tuple):
        return {_TIPO: "tuple", "items": [_encode(v, path + (i,), tensors)
                                          for i, v in enumerate(obj)]}
    if isinstance(obj, dict):
        kind = ("OrderedDict" if isinstance(obj, collections.OrderedDict)
                else "Counter" if isinstance(obj, collections.Counter) else "dict")
        items = []
        for key, value in obj.items():
            if not isinstance(key, (str, int, float, bool, tuple, type(None))):
                raise TypeError(
                    f"No se puede guardar la clave {key!r} (de tipo {type(key).__name__}) en "
                    f"{_where(path)}: las claves deben ser textos, números, booleanos, None o "
                    "tuplas de ellos.")
            items.append([_encode(key, path, {}), _encode(value, path + (key,), tensors)])
        return {_TIPO: kind, "items": items}
    if isinstance(obj, (set, frozenset)):
        return {_TIPO: type(obj).__name__,
                "items": [_encode(v, path, {}) for v in obj]}
    raise _unsupported(obj, path)


def _unsupported(obj, path):
    kind = type(obj).__name__
    if callable(getattr(obj, "state_dict", None)):
        if hasattr(obj, "parameters"):
            return TypeError(
                f"No se puede guardar el modelo completo ({kind}) en {_where(path)}: "
                "tinygrad_es guarda en safetensors, que solo admite tensores y datos simples "
                "(guardar el objeto entero obligaría a usar pickle, que puede ejecutar código "
                "al cargar). Guarda sus pesos: torch.save(model.state_dict(), ruta), y para "
                "recuperarlo crea el modelo y llama a model.load_state_dict(torch.load(ruta)).")
        return TypeError(
            f"No se puede guardar el objeto {kind} completo en {_where(path)}: guarda su "
            f"estado con .state_dict() (por ejemplo torch.save(optimizer.state_dict(), ruta)) "
            "y recupéralo con .load_state_dict(torch.load(ruta)).")
    return TypeError(
        f"No se puede guardar un objeto de tipo {kind} en {_where(path)}: solo se admiten "
        "tensores, arrays de NumPy, números, textos, booleanos, None, y listas, tuplas y "
        "diccionarios de ellos. Conviértelo a uno de esos tipos o guarda su state_dict().")


# --- cargar -------------------------------------------------------------------------------
def load(f, map_location=None, weights_only=None, **kwargs):
    """Carga lo que guardó ``save`` (o cualquier archivo safetensors) sin ejecutar código.

    ``map_location`` solo admite la CPU; ``weights_only`` se acepta por compatibilidad (aquí
    siempre se cargan solo datos: nunca se usa pickle).
    """
    if map_location is not None and not callable(map_location) \
            and not isinstance(map_location, dict):
        _check_device(map_location)
    if hasattr(f, "read"):
        raw, name = f.read(), getattr(f, "name", "el archivo")
    else:
        name = os.fspath(f)
        if not os.path.exists(name):
            raise FileNotFoundError(
                f"No existe el archivo {name!r}. Comprueba la ruta (la carpeta actual es "
                f"{os.getcwd()!r}) o guárdalo antes con torch.save(obj, ruta).")
        if os.path.isdir(name):
            raise IsADirectoryError(f"{name!r} es una carpeta, no un archivo guardado.")
        with open(name, "rb") as fh:
            raw = fh.read()
    header = _read_header(raw, name)
    arrays = _load_arrays(raw, header, name)
    meta = header.get("__metadata__") or {}
    if _CLAVE not in meta:
        keys = [k for k in header if k != "__metadata__"]
        return {k: _make(arrays[k]) for k in keys}
    try:
        payload = json.loads(meta[_CLAVE])
        return _decode(payload["objeto"], arrays)
    except RecursionError:
        raise _too_deep(name, "sus metadatos (el objeto guardado)") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise RuntimeError(
            f"Los metadatos de {name!r} están dañados ({exc}): vuelve a guardar el archivo.") \
            from None


def _too_deep(name, what):
    return RuntimeError(
        f"No se puede cargar {name!r}: en {what} hay listas o diccionarios anidados a más de "
        f"~{sys.getrecursionlimit()} niveles. tinygrad_es.save nunca escribe algo así, así que "
        "el archivo está dañado o manipulado: no lo uses y vuelve a guardarlo desde su origen.")


# dtype de safetensors -> dtype de NumPy (little-endian, como el formato)
_ST_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4",
              "I16": "<i2", "I8": "i1", "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1",
              "BOOL": "?", "BF16": "<u2"}


def _load_arrays(raw, header, name):
    """Los tensores del archivo. Lo normal va por ``safetensors.numpy``; solo si falla (p. ej.
    bfloat16, que NumPy no tiene) se leen a mano con la cabecera ya validada."""
    if len(header) <= ("__metadata__" in header):
        return {}
    try:
        return safetensors.numpy.load(raw)
    except Exception as exc:
        error = exc
    entries = {k: v for k, v in header.items() if k != "__metadata__"}
    unknown = {k: v.get("dtype") for k, v in entries.items()
               if not isinstance(v, dict) or v.get("dtype") not in _ST_DTYPES}
    if unknown:
        key, dtype = next(iter(unknown.items()))
        raise RuntimeError(
            f"{name!r} tiene el tensor {key!r} de tipo {dtype!r}, que tinygrad_es no sabe leer "
            f"(admite {', '.join(sorted(_ST_DTYPES))}). Conviértelo antes en PyTorch, p. ej. "
            "con .float(), y vuelve a guardarlo.")
    if not any(v["dtype"] == "BF16" for v in entries.values()):
        raise RuntimeError(
            f"No se pudo leer {name!r} como safetensors ({error}). El archivo está dañado: "
            "vuelve a guardarlo.") from None
    return _load_by_hand(raw, entries, name)


def _load_by_hand(raw, entries, name):
    start = 8 + int.from_bytes(raw[:8], "little")
    arrays = {}
    for key, info in entries.items():
        dtype = np.dtype(_ST_DTYPES[info["dtype"]])
        try:
            shape = tuple(int(d) for d in info["shape"])
            begin, end = (int(x) for x in info["data_offsets"])
        except (KeyError, TypeError, ValueError):
            raise RuntimeError(f"La cabecera de {name!r} está dañada en el tensor {key!r}: "
                               "vuelve a guardar el archivo.") from None
        count = math.prod(shape)
        if min(shape, default=0) < 0 or begin < 0 or end - begin != count * dtype.itemsize:
            raise RuntimeError(
                f"La cabecera de {name!r} está dañada: el tensor {key!r} de forma {shape} y "
                f"tipo {info['dtype']} debería ocupar {count * dtype.itemsize} bytes, pero "
                f"ocupa {end - begin}. Vuelve a guardar el archivo.")
        array = np.frombuffer(raw, dtype=dtype, count=count, offset=start + begin)
        if info["dtype"] == "BF16":   # los 16 bits altos de un float32
            array = (array.astype(np.uint32) << 16).view(np.float32)
        arrays[key] = array.astype(dtype.newbyteorder("="), copy=True).reshape(shape) \
            if info["dtype"] != "BF16" else array.reshape(shape)
    return arrays


def _read_header(raw, name):
    """Valida la cabecera de safetensors y explica en español lo que no encaja."""
    if raw[:1] == b"\x80" and raw[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        raise RuntimeError(
            f"{name!r} es un archivo pickle (formato de torch.save antiguo o de pickle.dump). "
            "tinygrad_es no lo abre: cargar pickle puede ejecutar código arbitrario. Si es de "
            "confianza, conviértelo en PyTorch: safetensors.torch.save_file(torch.load(ruta), "
            "'pesos.safetensors'), y carga ese archivo.")
    if raw[:4] == b"PK\x03\x04":
        raise RuntimeError(
            f"{name!r} es un archivo de torch.save (un zip con pickle dentro). tinygrad_es no "
            "lo abre: cargar pickle puede ejecutar código arbitrario. Si es de confianza, "
            "conviértelo en PyTorch: safetensors.torch.save_file(torch.load(ruta), "
            "'pesos.safetensors'), y carga ese archivo.")
    not_safetensors = RuntimeError(
        f"{name!r} no es un archivo guardado con tinygrad_es.save ni un archivo safetensors "
        f"({len(raw)} bytes sin una cabecera válida). Comprueba la ruta; si viene de PyTorch, "
        "guárdalo allí con safetensors.torch.save_file.")
    if len(raw) < 8:
        raise not_safetensors
    size = int.from_bytes(raw[:8], "little")
    body = raw[8:9]
    if size < 2 or size > _MAX_CABECERA or body != b"{":
        raise not_safetensors
    if size > len(raw) - 8:
        raise _truncated(name, len(raw), 8 + size)
    try:
        header = json.loads(raw[8:8 + size].decode("utf-8"))
    except RecursionError:
        raise _too_deep(name, "su cabecera") from None
    except (UnicodeDecodeError, ValueError):
        raise not_safetensors from None
    if not isinstance(header, dict):
        raise not_safetensors
    end = 0
    for key, info in header.items():
        if key == "__metadata__":
            continue
        try:
            end = max(end, int(info["data_offsets"][1]))
        except (TypeError, KeyError, IndexError, ValueError):
            raise not_safetensors from None
    if end > len(raw) - 8 - size:
        raise _truncated(name, len(raw), 8 + size + end)
    return header


def _truncated(name, have, need):
    return RuntimeError(
        f"{name!r} está truncado: tiene {have} bytes pero su cabecera indica al menos {need}. "
        "Probablemente se cortó al copiarlo o descargarlo; vuelve a guardarlo o copiarlo.")


def _decode(node, arrays):
    if isinstance(node, list):
        return [_decode(v, arrays) for v in node]
    if not isinstance(node, dict):
        return node
    kind = node[_TIPO]
    if kind == "tensor":
        t = _make(arrays[node["nombre"]])
        t._requires_grad = bool(node.get("requires_grad", False)) and t._data.dtype.kind == "f"
        return t
    if kind == "ndarray":
        return arrays[node["nombre"]]
    if kind == "float":
        return float(node["valor"])
    if kind == "numpy":
        return np.dtype(node["dtype"]).type(_decode(node["valor"], arrays))
    if kind == "tuple":
        return tuple(_decode(v, arrays) for v in node["items"])
    if kind in ("set", "frozenset"):
        values = (_decode(v, arrays) for v in node["items"])
        return set(values) if kind == "set" else frozenset(values)
    containers = {"dict": dict, "OrderedDict": collections.OrderedDict,
                  "Counter": collections.Counter}
    if kind in containers:
        out = containers[kind]()
        for key, value in node["items"]:
            out[_decode(key, arrays)] = _decode(value, arrays)
        return out
    raise ValueError(f"etiqueta de tipo desconocida {kind!r}")
