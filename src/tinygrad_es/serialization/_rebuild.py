"""Reconstrucción de tensores desde los almacenamientos de un archivo de ``torch.save``.

Estas funciones ocupan el lugar de ``torch._utils._rebuild_tensor_v2`` y compañía cuando
``_unpickler`` lee un ``data.pkl``: reciben los mismos argumentos, los validan (un archivo
manipulado no debe poder leer fuera de su almacenamiento) y devuelven tensores de tinygrad_es.

- Un tensor es una vista de su almacenamiento (desplazamiento y pasos en elementos), así que
  dos tensores que compartían almacenamiento en PyTorch comparten memoria también aquí.
- Si la vista se solapa consigo misma (pasos 0 de ``expand``), se copia: escribir en ella
  tendría efectos raros.
- bfloat16 no existe en NumPy: se convierte a float32 sin pérdida (un bfloat16 son los 16 bits
  altos de un float32). Al volver a guardar, queda como float32.
"""
import math
import warnings

import numpy as np

from ..tensor import Tensor
from . import _torch_types as tt
from ..errors import user_stacklevel


class CorruptCheckpointError(RuntimeError):
    """El archivo no es coherente (lo escribió otra cosa o se ha dañado/manipulado)."""


class Storage:
    """Un almacenamiento del archivo: un array 1-D escribible de su dtype (ya en orden nativo).

    ``dtype_name`` es el nombre de PyTorch (``'float32'``, ``'bfloat16'``...). ``array`` es
    el array que comparten todos los tensores que lo usan; para bfloat16 es float32.
    """

    __slots__ = ("key", "dtype_name", "array", "_raw", "_views")

    def __init__(self, key, dtype_name, numel):
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "dtype_name", dtype_name)
        raw = np.zeros(numel, dtype=tt.NUMPY_DTYPES[dtype_name])
        object.__setattr__(self, "_raw", raw)
        array = np.zeros(numel, np.float32) if dtype_name == "bfloat16" else raw
        object.__setattr__(self, "array", array)
        object.__setattr__(self, "_views", {})

    def raw_bytes(self):
        """Los bytes del almacenamiento, para leerlos del archivo directamente aquí."""
        return self._raw.view(np.uint8)

    def fill(self, data, byteorder):
        """Copia los bytes del archivo (``data``, de tamaño exacto) en el almacenamiento."""
        self.raw_bytes()[:] = np.frombuffer(data, dtype=np.uint8)
        self.finish(byteorder)

    def finish(self, byteorder):
        """Tras leer los bytes: orden de bytes, booleanos válidos y bfloat16 -> float32."""
        raw = self._raw
        if byteorder != _NATIVE and raw.itemsize > 1:
            raw.byteswap(inplace=True)
        if self.dtype_name == "bool":            # cualquier byte distinto de 0 es True
            np.minimum(raw.view(np.uint8), 1, out=raw.view(np.uint8))
        if self.dtype_name == "bfloat16":
            self.array.view(np.uint32)[:] = raw.astype(np.uint32) << 16

    @property
    def nbytes(self):
        return self._raw.nbytes

    def as_dtype(self, dtype_name):
        """El almacenamiento visto con otro dtype (``_rebuild_tensor_v3`` con bytes sin tipo)."""
        if dtype_name == self.dtype_name:
            return self.array
        if dtype_name not in self._views:
            size = tt.ITEMSIZE[dtype_name]
            raw = self._raw.view(np.uint8)
            if raw.size % size:
                raise CorruptCheckpointError(
                    f"el almacenamiento {self.key!r} tiene {raw.size} bytes, que no son un "
                    f"número entero de elementos {dtype_name} ({size} bytes cada uno)")
            if dtype_name == "bfloat16":
                view = (raw.view(np.uint16).astype(np.uint32) << 16).view(np.float32)
            else:
                view = raw.view(tt.NUMPY_DTYPES[dtype_name])
            self._views[dtype_name] = view
        return self._views[dtype_name]

    def view(self, offset, size):
        """Parte de este almacenamiento (vistas del formato antiguo de torch.save)."""
        return _StorageView(self, offset, size)

    def __setattr__(self, name, value):
        raise AttributeError("un almacenamiento cargado no se puede modificar")

    def __setstate__(self, state):    # BUILD de pickle sobre un almacenamiento: nunca legítimo
        raise CorruptCheckpointError("data.pkl intenta modificar un almacenamiento")

    def __repr__(self):
        return f"<almacenamiento {self.key} de {self.array.size} elementos {self.dtype_name}>"


class _StorageView:
    """Trozo de un almacenamiento (solo en archivos del formato antiguo)."""

    __slots__ = ("storage", "offset", "size")

    def __init__(self, storage, offset, size):
        if not (_is_int(offset) and _is_int(size) and 0 <= offset
                and offset + size <= storage.array.size):
            raise CorruptCheckpointError(
                f"vista ({offset}, {size}) fuera del almacenamiento {storage.key!r}")
        for name, value in (("storage", storage), ("offset", offset), ("size", size)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name, value):
        raise AttributeError("un almacenamiento cargado no se puede modificar")

    @property
    def dtype_name(self):
        return self.storage.dtype_name

    def as_dtype(self, dtype_name):
        if dtype_name != self.storage.dtype_name:
            raise CorruptCheckpointError("vista de almacenamiento con otro dtype")
        return self.storage.array[self.offset:self.offset + self.size]

    def __setstate__(self, state):
        raise CorruptCheckpointError("data.pkl intenta modificar un almacenamiento")


_NATIVE = "little" if np.little_endian else "big"
_MAX_EXPANDED = 2 ** 31       # bytes de la copia de una vista solapada (expand)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check_ints(values, what):
    if not isinstance(values, tuple) or not all(_is_int(v) and v >= 0 for v in values):
        raise CorruptCheckpointError(f"{what} debe ser una tupla de enteros >= 0: {values!r}")
    return values


class Rebuilder:
    """Las funciones de reconstrucción de un ``load``; anota los tensores que crea.

    Anotar permite comprobar al final que ningún BUILD de pickle los ha modificado después
    de crearlos (``check_untouched``).
    """

    _SLOTS = tuple(s for s in Tensor.__slots__ if s != "__weakref__")

    def __init__(self):
        self.created = {}
        self._copies = []        # vistas solapadas copiadas: se rehacen si llegan datos después

    def _register(self, t):
        self.created[id(t)] = (t, tuple(getattr(t, s) for s in self._SLOTS))
        return t

    def check_untouched(self):
        for t, slots in self.created.values():
            if any(getattr(t, s) is not v for s, v in zip(self._SLOTS, slots)):
                raise CorruptCheckpointError(
                    "data.pkl modifica un tensor después de crearlo (BUILD), cosa que "
                    "torch.save nunca escribe")

    # --- torch._utils._rebuild_tensor / _v2 / _v3 -----------------------------------------
    def tensor(self, storage, storage_offset, size, stride, requires_grad=False,
               backward_hooks=None, metadata=None, *, dtype_name=None):
        if not isinstance(storage, (Storage, _StorageView)):
            raise CorruptCheckpointError(
                f"se esperaba un almacenamiento y llegó {type(storage).__name__}")
        array = storage.as_dtype(dtype_name or storage.dtype_name)
        size = _check_ints(tuple(size) if isinstance(size, tuple) else size, "la forma")
        stride = _check_ints(stride, "los pasos (stride)")
        if not _is_int(storage_offset) or storage_offset < 0 or len(size) != len(stride):
            raise CorruptCheckpointError(
                f"desplazamiento {storage_offset!r}, forma {size} y pasos {stride} no encajan")
        if math.prod(size) == 0:
            data = np.zeros(size, array.dtype)
        else:
            last = storage_offset + sum((n - 1) * s for n, s in zip(size, stride))
            if last >= array.size:
                raise CorruptCheckpointError(
                    f"un tensor de forma {size}, pasos {stride} y desplazamiento "
                    f"{storage_offset} se sale de su almacenamiento de {array.size} elementos")
            # una vista cuya .base es el almacenamiento: al volver a guardar se comparte igual
            data = np.ndarray(size, dtype=array.dtype, buffer=array,
                              offset=storage_offset * array.itemsize,
                              strides=tuple(s * array.itemsize for s in stride))
            if _overlaps(size, stride):
                if data.nbytes > _MAX_EXPANDED:
                    raise UnsupportedCheckpointError(
                        f"El archivo contiene un tensor expandido (pasos {stride}) de forma "
                        f"{size}: aquí habría que copiarlo y ocuparía {data.nbytes} bytes. En "
                        "PyTorch guarda el tensor sin expandir y expándelo tras cargarlo.")
                view, data = data, data.copy()
                self._copies.append((data, view))
        t = Tensor._wrap(data)
        t._requires_grad = bool(requires_grad) and data.dtype.kind == "f"
        return self._register(t)

    def refresh_copies(self):
        """Formato antiguo: los datos llegan después del pickle; rehace las copias."""
        for data, view in self._copies:
            data[...] = view

    def tensor_v1(self, storage, storage_offset, size, stride):
        return self.tensor(storage, storage_offset, size, stride)

    def tensor_v3(self, storage, storage_offset, size, stride, requires_grad, backward_hooks,
                  dtype, metadata=None):
        return self.tensor(storage, storage_offset, size, stride, requires_grad,
                           dtype_name=dtype_name_of(dtype))

    # --- parámetros y subclases -----------------------------------------------------------
    def parameter(self, data, requires_grad=True, backward_hooks=None, state=None):
        from ..nn.parameter import Parameter
        if not isinstance(data, Tensor):
            raise CorruptCheckpointError(
                f"un nn.Parameter necesita un tensor y llegó {type(data).__name__}")
        if state:
            _warn_state("nn.Parameter", state)
        param = Parameter(data, requires_grad=bool(requires_grad)
                          and data._data.dtype.kind == "f")
        if id(data) in self.created:        # Parameter le da a data su contador de versión
            self._register(data)
        return self._register(param)

    def from_type(self, func, new_type, args, state):
        """``torch._tensor._rebuild_from_type_v2``: tensor con atributos o subclase."""
        if not callable(func) or not isinstance(args, tuple):
            raise CorruptCheckpointError("_rebuild_from_type_v2 con argumentos no válidos")
        kind = getattr(new_type, "tensor_type", None)
        if kind is None:
            raise CorruptCheckpointError(
                f"_rebuild_from_type_v2 con un tipo que no es de tensor: {new_type!r}")
        result = func(*args)
        if not isinstance(result, Tensor):
            raise CorruptCheckpointError("_rebuild_from_type_v2 no produjo un tensor")
        if state:
            _warn_state("tensor", state)
        if kind == "Parameter" and type(result) is Tensor:
            result = self.parameter(result, result._requires_grad)
        return result

    def device_tensor(self, data, dtype, device, requires_grad):
        """``_rebuild_device_tensor_from_cpu_tensor``: aquí todo vive en la CPU."""
        if not isinstance(data, Tensor):
            raise CorruptCheckpointError("se esperaba un tensor de CPU")
        data._requires_grad = bool(requires_grad) and data._data.dtype.kind == "f"
        return data


def dtype_name_of(dtype):
    name = getattr(dtype, "dtype_name", None)
    if name is None:
        raise CorruptCheckpointError(f"se esperaba un dtype de torch y llegó {dtype!r}")
    explain_dtype(name)
    return name


def explain_dtype(name):
    """Error en español si tinygrad_es no puede representar el dtype ``name``."""
    if name not in tt.NUMPY_DTYPES:
        reason = tt.UNSUPPORTED_DTYPES.get(name, "tinygrad_es no conoce ese tipo")
        raise UnsupportedCheckpointError(
            f"El archivo contiene un tensor de tipo torch.{name}: {reason}, y vuelve a "
            "guardar el archivo.")


class UnsupportedCheckpointError(RuntimeError):
    """El archivo es válido pero tiene algo que tinygrad_es no puede representar (un dtype
    complejo, un tensor expandido enorme)."""


def _overlaps(size, stride):
    """¿Hay dos índices distintos que caen en el mismo elemento? (criterio suficiente)."""
    reach = 0
    for n, s in sorted(((n, s) for n, s in zip(size, stride) if n > 1), key=lambda d: d[1]):
        if s <= reach:
            return True
        reach += (n - 1) * s
    return False


def _warn_state(what, state):
    names = ", ".join(repr(k) for k in (state if isinstance(state, dict) else {})) or "?"
    warnings.warn(
        f"El archivo guarda atributos de Python en un {what} ({names}); tinygrad_es carga el "
        "tensor pero no esos atributos.", stacklevel=user_stacklevel())
