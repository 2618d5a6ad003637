"""Escritor del ``data.pkl`` de ``torch.save`` (pickle, protocolo 2) sin usar PyTorch.

El módulo ``pickle`` de Python solo sabe escribir un global (``torch._utils._rebuild_tensor_v2``)
si puede importarlo, y aquí PyTorch no tiene por qué estar instalado. Así que las instrucciones
se escriben a mano, las mismas que escribe ``torch.save``, y solo para lo que
``torch.load(weights_only=True)`` abre: tensores, ``nn.Parameter``, números, textos, bytes,
``None``, booleanos, listas, tuplas, diccionarios (``dict``, ``OrderedDict``, ``Counter``),
conjuntos, complejos, ``torch.Size``, dtypes y ``torch.device``.

Almacenamientos: los tensores que comparten memoria (vistas de un mismo array, p. ej. ``x`` y
``x[1:]`` o ``w.t()``) comparten almacenamiento en el archivo, como en PyTorch; cada
almacenamiento guarda solo el tramo de memoria que usan sus tensores. Los escalares de NumPy
(``np.float64(0.5)``) se guardan como números de Python (PyTorch no abriría los de NumPy).
"""
import collections
import pickle
import struct

import numpy as np

from .._device import Size, device
from ..tensor import Tensor
from . import _torch_types as tt
from ._common import unsupported, where
from ._unpickler import Global

_BATCH = 1000                      # como pickle: SETITEMS/APPENDS de 1000 en 1000


def _collect(obj, found):
    """Todos los tensores de ``obj``, en el orden en que se escribirán."""
    if isinstance(obj, Tensor):
        found.append(obj)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            _collect(key, found)
            _collect(value, found)
        for value in (getattr(obj, "__dict__", None) or {}).values():
            _collect(value, found)
    elif isinstance(obj, (list, tuple, set, frozenset)):
        for value in obj:
            _collect(value, found)


def _contiguous_strides(shape):
    strides, step = [], 1
    for n in reversed(shape):
        strides.append(step)
        step *= max(n, 1)
    return strides[::-1]


class _Group:
    """Un almacenamiento del archivo: un tramo [lo, hi) de los bytes de un array raíz."""

    def __init__(self, key, root, dtype_name):
        self.key, self.root, self.dtype_name = key, root, dtype_name
        self.lo, self.hi = None, None

    def extend(self, lo, hi):
        self.lo = lo if self.lo is None else min(self.lo, lo)
        self.hi = hi if self.hi is None else max(self.hi, hi)

    def data(self):
        if self.hi is None or self.hi == self.lo:
            return memoryview(b"")
        root = self.root if self.root.flags.c_contiguous else self.root.T
        return memoryview(root.reshape(-1).view(np.uint8)[self.lo:self.hi])


def _steps(array):
    """Pasos en bytes; ``None`` en las dimensiones de tamaño 1 (ahí el paso no importa)."""
    return [s if n > 1 else None for n, s in zip(array.shape, array.strides)]


def _plan(tensors):
    """Coloca cada array en un almacenamiento: ``({id(tensor): colocación}, [grupos])``."""
    groups, placed = {}, {}
    for t in tensors:
        if id(t) in placed:
            continue
        array = t._data
        name = tt.torch_name(array.dtype)
        if name is None:                     # dtype sin equivalente: el error sale al escribir
            continue
        if array.dtype.byteorder not in "=|":
            array = array.astype(array.dtype.newbyteorder("="))
        size, shape = array.itemsize, array.shape
        steps = _steps(array)
        if array.size == 0 or any(s is not None and (s < 0 or s % size) for s in steps):
            array = np.ascontiguousarray(array)     # pasos negativos o raros: una copia
            steps = _steps(array)
        root = array
        while isinstance(root.base, np.ndarray):
            root = root.base
        start = array.__array_interface__["data"][0] - root.__array_interface__["data"][0]
        end = start + sum((n - 1) * s for n, s in zip(shape, steps) if s is not None) + size
        if not (root.flags.c_contiguous or root.flags.f_contiguous) or start < 0 \
                or end > root.nbytes or array.size == 0:
            array = root = array.copy()
            steps = _steps(array)
            start, end = 0, array.nbytes
        key = (id(root), name, start % size)      # la raíz sigue viva en el grupo: id único
        if key not in groups:
            groups[key] = _Group(str(len(groups)), root, name)
        group = groups[key]
        group.extend(start, end)
        placed[id(t)] = (group, start, shape, steps, size)
    return placed, list(groups.values())


class _Writer:
    def __init__(self, placed, parameter_type):
        self.parts = [b"\x80\x02"]          # PROTO 2, como torch.save
        self.memo = {}
        self.placed = placed
        self.parameter_type = parameter_type

    # --- piezas básicas --------------------------------------------------------------
    def w(self, data):
        self.parts.append(data)

    def put(self, key):
        index = self.memo[key] = len(self.memo)
        self.w(b"q" + bytes([index]) if index < 256 else b"r" + struct.pack("<I", index))

    def get(self, key):
        index = self.memo.get(key)
        if index is None:
            return False
        self.w(b"h" + bytes([index]) if index < 256 else b"j" + struct.pack("<I", index))
        return True

    def glob(self, module, name):
        if not self.get(("global", module, name)):
            self.w(b"c" + f"{module}\n{name}\n".encode("ascii"))
            self.put(("global", module, name))

    def int(self, x):
        if 0 <= x < 256:
            self.w(b"K" + bytes([x]))
        elif 0 <= x < 65536:
            self.w(b"M" + struct.pack("<H", x))
        elif -2 ** 31 <= x < 2 ** 31:
            self.w(b"J" + struct.pack("<i", x))
        else:
            data = pickle.encode_long(x)
            self.w((b"\x8a" + bytes([len(data)]) if len(data) < 256
                    else b"\x8b" + struct.pack("<i", len(data))) + data)

    def str(self, text):
        data = text.encode("utf-8", "surrogatepass")
        self.w(b"X" + struct.pack("<I", len(data)) + data)

    def tuple(self, items, path):
        if len(items) > 3:
            self.w(b"(")
        for i, item in enumerate(items):
            self.save(item, path + (i,))
        self.w({0: b")", 1: b"\x85", 2: b"\x86", 3: b"\x87"}.get(len(items), b"t"))

    def items(self, pairs, path):
        """SETITEMS en lotes sobre el diccionario que está en la pila."""
        for i in range(0, len(pairs), _BATCH):
            batch = pairs[i:i + _BATCH]
            if len(batch) > 1:
                self.w(b"(")
            for key, value in batch:
                self.save(key, path)
                self.save(value, path + (key,))
            self.w(b"u" if len(batch) > 1 else b"s")

    def call(self, module, name, args, path):
        self.glob(module, name)
        self.tuple(args, path)
        self.w(b"R")

    def ordered_dict(self):
        self.glob("collections", "OrderedDict")
        self.w(b")R")

    # --- un objeto cualquiera ----------------------------------------------------------
    def save(self, obj, path):
        if obj is None:
            self.w(b"N")
        elif isinstance(obj, (bool, np.bool_)):
            self.w(b"\x88" if obj else b"\x89")
        elif isinstance(obj, Tensor):
            self.tensor(obj, path)
        elif isinstance(obj, (int, np.integer)):
            self.int(int(obj))
        elif isinstance(obj, (float, np.floating)):
            self.w(b"G" + struct.pack(">d", float(obj)))
        elif isinstance(obj, (complex, np.complexfloating)):
            self.call("__builtin__", "complex", (float(obj.real), float(obj.imag)), path)
        elif isinstance(obj, str):
            self.str(obj)
        elif isinstance(obj, bytes):
            self.bytes(obj)
        elif isinstance(obj, bytearray):                  # bytearray(bytes)
            self.glob("__builtin__", "bytearray")
            self.bytes(bytes(obj))
            self.w(b"\x85R")
        elif isinstance(obj, Size):
            self.call("torch", "Size", (tuple(int(d) for d in obj),), path)
        elif isinstance(obj, tuple):
            self.tuple(tuple(obj), path)
        elif isinstance(obj, list):
            self.list(obj, path)
        elif isinstance(obj, collections.Counter):
            self.call("collections", "Counter", (dict(obj),), path)
        elif isinstance(obj, collections.OrderedDict):
            self.ordered_dict()
            self.items(list(obj.items()), path)
            attributes = getattr(obj, "__dict__", None)
            if attributes:                    # p. ej. el _metadata de un state_dict de PyTorch
                self.w(b"}")
                self.items(list(attributes.items()), path)
                self.w(b"b")
        elif isinstance(obj, dict):
            self.w(b"}")
            self.items(list(obj.items()), path)
        elif isinstance(obj, set):
            self.call("__builtin__", "set", (list(obj),), path)
        elif isinstance(obj, np.dtype) and tt.torch_name(obj):
            self.glob("torch", tt.torch_name(obj))
        elif isinstance(obj, device):
            self.call("torch", "device", ("cpu",), path)
        elif isinstance(obj, Global):         # un global cargado tal cual (torch.bfloat16...)
            self.glob(*obj.name.rsplit(".", 1))
        else:
            raise _not_for_torch(obj, path)

    def bytes(self, data):
        """Como pickle con protocolo 2: ``_codecs.encode(texto_latin1, 'latin1')``."""
        self.glob("_codecs", "encode")
        self.str(data.decode("latin1"))
        self.str("latin1")
        self.w(b"\x86R")

    def list(self, obj, path):
        self.w(b"]")
        for i in range(0, len(obj), _BATCH):
            batch = obj[i:i + _BATCH]
            if len(batch) > 1:
                self.w(b"(")
            for j, item in enumerate(batch, i):
                self.save(item, path + (j,))
            self.w(b"e" if len(batch) > 1 else b"a")

    # --- tensores ----------------------------------------------------------------------
    def tensor(self, t, path):
        key = ("tensor", id(t))
        if self.get(key):
            return
        if isinstance(t, self.parameter_type):     # como torch: _rebuild_parameter(datos, rg, {})
            self.glob("torch._utils", "_rebuild_parameter")
            self.w(b"(")
            self.plain_tensor(t, False, path)
            self.w(b"\x88" if t._requires_grad else b"\x89")
            self.ordered_dict()
            self.w(b"tR")
        else:
            self.plain_tensor(t, t._requires_grad, path)
        self.put(key)

    def plain_tensor(self, t, requires_grad, path):
        found = self.placed.get(id(t))
        if found is None:
            raise TypeError(
                f"No se puede guardar el tensor de {where(path)}: su tipo {t._data.dtype} no "
                "existe en PyTorch. Conviértelo antes, p. ej. con .float() o .long().")
        group, start, shape, strides, size = found
        typed = group.dtype_name in tt.STORAGE_FOR
        self.glob("torch._utils", "_rebuild_tensor_v2" if typed else "_rebuild_tensor_v3")
        self.w(b"(")
        self.w(b"(")                                       # ('storage', clase, clave, 'cpu', n)
        self.str("storage")
        if typed:
            self.glob("torch", tt.STORAGE_FOR[group.dtype_name])
        else:
            self.glob("torch.storage", "UntypedStorage")
        self.str(group.key)
        self.str("cpu")
        numel = (group.hi - group.lo) // (size if typed else 1)
        self.int(numel)
        self.w(b"tQ")
        self.int((start - group.lo) // size)
        default = _contiguous_strides(shape)
        self.tuple(tuple(int(n) for n in shape), ())
        self.tuple(tuple(d if s is None else s // size for s, d in zip(strides, default)), ())
        self.w(b"\x88" if requires_grad else b"\x89")
        self.ordered_dict()
        if not typed:
            self.glob("torch", group.dtype_name)
        self.w(b"tR")


def _not_for_torch(obj, path):
    if isinstance(obj, np.ndarray):
        return TypeError(
            f"No se puede guardar el array de NumPy de {where(path)} en el formato de "
            "torch.save: torch.load(weights_only=True) no abre arrays de NumPy. Conviértelo "
            "en tensor con torch.from_numpy(a) (o en lista con a.tolist()), o guarda en un "
            "archivo .safetensors, que sí conserva los arrays.")
    if isinstance(obj, frozenset):
        return TypeError(
            f"No se puede guardar el frozenset de {where(path)} en el formato de torch.save: "
            "torch.load(weights_only=True) no lo abre. Usa un set o una tupla.")
    if isinstance(obj, np.dtype):
        return TypeError(f"El dtype {obj} de {where(path)} no existe en PyTorch.")
    return unsupported(obj, path)


def dumps(obj):
    """``(bytes de data.pkl, [(clave, memoryview de los datos), ...])`` para ``obj``."""
    from ..nn.parameter import Parameter
    tensors = []
    _collect(obj, tensors)
    placed, groups = _plan(tensors)
    writer = _Writer(placed, Parameter)
    writer.save(obj, ())
    writer.w(b".")
    return b"".join(writer.parts), [(g.key, g.data()) for g in groups]
