"""El formato safetensors: ``save`` con ruta ``.safetensors`` y ``load`` de esos archivos.

- Los tensores se guardan como tensores de safetensors. Un ``state_dict`` plano (claves de texto y
  valores tensor) queda con un tensor por clave y el mismo nombre, así que PyTorch lo lee con
  ``safetensors.torch.load_file(ruta)`` y ``modelo.load_state_dict(...)``.
- Todo lo demás (diccionarios anidados, números, textos, listas, tuplas, None, booleanos: por
  ejemplo el ``state_dict()`` de un optimizador o ``{'modelo': sd, 'optim': sd_opt, 'epoca': 3}``)
  va en los metadatos como UN valor JSON con etiquetas de tipo, para que las claves enteras
  vuelvan como enteros, las tuplas como tuplas y cada tensor con su dtype. Aquí sí se conservan
  los arrays y escalares de NumPy.
- ``load`` lee también archivos safetensors con tensores bfloat16 (p. ej. pesos guardados en
  PyTorch con ``.bfloat16()``): NumPy no tiene ese tipo, así que llegan como float32 (sin
  pérdida: un bfloat16 son los 16 bits altos de un float32).
"""
import collections
import json
import math

import numpy as np
import safetensors.numpy

from ..tensor import Tensor
from ._common import too_deep_to_load, unsupported, where

_CLAVE = "tinygrad_es"
_VERSION = 1
_TIPO = "__tipo__"
_MAX_CABECERA = 100 * 1024 * 1024


def encode(obj):
    """``(tensores, metadatos)`` para safetensors; RecursionError si está anidado sin fin."""
    tensors = {}
    tree = _encode(obj, (), tensors)
    metadata = {"format": "pt",
                _CLAVE: json.dumps({"version": _VERSION, "objeto": tree},
                                   ensure_ascii=False, allow_nan=False, separators=(",", ":"))}
    return tensors, metadata


def write(fileobj, tensors, metadata):
    fileobj.write(safetensors.numpy.save(tensors, metadata=metadata))


def save_file(tensors, metadata, path):
    safetensors.numpy.save_file(tensors, path, metadata=metadata)


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
                    f"{where(path)}: las claves deben ser textos, números, booleanos, None o "
                    "tuplas de ellos.")
            items.append([_encode(key, path, {}), _encode(value, path + (key,), tensors)])
        return {_TIPO: kind, "items": items}
    if isinstance(obj, (set, frozenset)):
        return {_TIPO: type(obj).__name__,
                "items": [_encode(v, path, {}) for v in obj]}
    raise unsupported(obj, path, numpy_ok=True)


def load(raw, name):
    """Lo guardado en los bytes ``raw`` de un archivo safetensors (``name`` para mensajes)."""
    header = _read_header(raw, name)
    arrays = _load_arrays(raw, header, name)
    meta = header.get("__metadata__") or {}
    if _CLAVE not in meta:
        keys = [k for k in header if k != "__metadata__"]
        return {k: Tensor._wrap(arrays[k]) for k in keys}
    try:
        payload = json.loads(meta[_CLAVE])
        return _decode(payload["objeto"], arrays)
    except RecursionError:
        raise too_deep_to_load(name, "sus metadatos (el objeto guardado)") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise RuntimeError(
            f"Los metadatos de {name!r} están dañados ({exc}): vuelve a guardar el archivo.") \
            from None


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


class NotSafetensorsError(RuntimeError):
    """Los bytes no tienen la cabecera de un archivo safetensors."""


def looks_like(head):
    """¿Empiezan estos bytes como un safetensors? (tamaño de cabecera razonable y ``{``)."""
    size = int.from_bytes(head[:8], "little")
    return len(head) >= 9 and head[8:9] == b"{" and 2 <= size <= _MAX_CABECERA


def _read_header(raw, name):
    """Valida la cabecera de safetensors y explica en español lo que no encaja."""
    not_safetensors = NotSafetensorsError(
        f"{name!r} no es un archivo guardado con torch.save, tinygrad_es.save ni safetensors "
        f"({len(raw)} bytes que no empiezan como ninguno de esos formatos). Comprueba la "
        "ruta: ¿es el archivo que guardaste?")
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
        raise too_deep_to_load(name, "su cabecera") from None
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
        t = Tensor._wrap(arrays[node["nombre"]])
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
