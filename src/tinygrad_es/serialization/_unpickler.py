"""Unpickler restringido para los ``data.pkl`` de ``torch.save``: nunca ejecuta código del archivo.

Un pickle es un pequeño programa: sus instrucciones GLOBAL importan cualquier función (por
ejemplo ``os.system``) y REDUCE la llama con los argumentos que quiera. Por eso este unpickler
(subclase de ``pickle.Unpickler``) no importa nada: ``find_class`` busca el nombre en una lista
cerrada y devuelve un objeto **nuestro** (``Global``) que hace el trabajo con código de
tinygrad_es; cualquier otro nombre se rechaza con un error en español antes de que nada se
ejecute. ``persistent_load`` solo acepta referencias a almacenamientos de tensores.

La lista (``ALLOWED_GLOBALS``) es un subconjunto de la de ``torch.load(weights_only=True)`` de
PyTorch 2.13; lo que PyTorch permite pero aquí no se sabe reconstruir (``TORCH_ONLY``: tensores
cuantizados, dispersos...) se rechaza con un mensaje distinto. ``weights_only=False`` no amplía
la lista: tinygrad_es nunca ejecuta código guardado en un archivo.
"""
import _compat_pickle
import collections
import pickle

from .._device import Size, device
from . import _torch_types as tt
from ._rebuild import CorruptCheckpointError, Rebuilder, Storage, UnsupportedCheckpointError, \
    explain_dtype


class CheckpointUnpicklingError(pickle.UnpicklingError, RuntimeError):
    """El archivo pide algo que tinygrad_es no carga (y no se ha ejecutado nada de él)."""


class Global:
    """Lo que ``find_class`` devuelve para un nombre permitido: inmutable y nuestro.

    Llamarlo (REDUCE) ejecuta nuestra función; modificarlo (BUILD) es un error. Así un archivo
    no puede alterar clases ni funciones del proceso.
    """

    __slots__ = ("name", "_fn", "dtype_name", "storage_dtype", "tensor_type")

    def __init__(self, name, fn=None, dtype_name=None, storage_dtype=None, tensor_type=None):
        for slot, value in (("name", name), ("_fn", fn), ("dtype_name", dtype_name),
                            ("storage_dtype", storage_dtype), ("tensor_type", tensor_type)):
            object.__setattr__(self, slot, value)

    def __call__(self, *args):
        if self._fn is None:
            raise CorruptCheckpointError(f"data.pkl llama a {self.name}, que no es una función")
        return self._fn(*args)

    def __setattr__(self, name, value):
        raise CorruptCheckpointError(f"data.pkl intenta modificar {self.name}")

    def __setstate__(self, state):
        raise CorruptCheckpointError(f"data.pkl intenta modificar {self.name} (BUILD)")

    def value(self):
        """Lo que ve el usuario si el global queda en el resultado (p. ej. ``torch.float32``)."""
        if self.dtype_name in tt.NUMPY_DTYPES and self.dtype_name != "bfloat16":
            return tt.NUMPY_DTYPES[self.dtype_name]
        return self

    def __repr__(self):
        return self.name if self.dtype_name else f"<global {self.name}>"


# --- funciones pequeñas con argumentos vigilados -----------------------------------------
_TEXT_CODECS = {"latin1", "latin-1", "iso-8859-1", "ascii", "utf-8", "utf8"}


def _encode(text, encoding="utf-8", errors="strict"):
    """``_codecs.encode``: así guarda pickle (protocolo 2) los ``bytes``."""
    if not isinstance(text, str) or encoding not in _TEXT_CODECS or errors != "strict":
        raise CorruptCheckpointError("_codecs.encode solo se admite para texto -> bytes")
    return text.encode(encoding)


def _bytearray(*args):
    if args and not (len(args) == 1 and isinstance(args[0], (bytes, bytearray))):
        raise CorruptCheckpointError("bytearray solo se admite a partir de bytes")
    return bytearray(*args)


def _size(dims=()):
    dims = tuple(dims)
    if not all(isinstance(d, int) and not isinstance(d, bool) for d in dims):
        raise CorruptCheckpointError(f"torch.Size con valores que no son enteros: {dims!r}")
    return Size(dims)


def _device(*args):
    return device("cpu")           # tinygrad_es solo tiene CPU: todo se carga en ella


def _layout(name):
    if name != "torch.strided":
        raise CheckpointUnpicklingError(
            f"el archivo usa la disposición {name!r} (tensores dispersos u otros), que "
            "tinygrad_es no tiene; en PyTorch pásalos a densos con t.to_dense().")
    return name


# --- la lista de permitidos ----------------------------------------------------------------
def _build_allowlist():
    calls = {
        "collections.OrderedDict": lambda r: collections.OrderedDict,
        "collections.Counter": lambda r: collections.Counter,
        "builtins.set": lambda r: set,
        "builtins.complex": lambda r: complex,
        "builtins.bytearray": lambda r: _bytearray,
        "_codecs.encode": lambda r: _encode,
        "torch.Size": lambda r: _size,
        "torch.device": lambda r: _device,
        "torch.serialization._get_layout": lambda r: _layout,
        "torch._utils._rebuild_tensor": lambda r: r.tensor_v1,
        "torch._utils._rebuild_tensor_v2": lambda r: r.tensor,
        "torch._utils._rebuild_tensor_v3": lambda r: r.tensor_v3,
        "torch._utils._rebuild_parameter": lambda r: r.parameter,
        "torch._utils._rebuild_parameter_with_state": lambda r: r.parameter,
        "torch._utils._rebuild_device_tensor_from_cpu_tensor": lambda r: r.device_tensor,
        "torch._tensor._rebuild_from_type_v2": lambda r: r.from_type,
    }
    spec = {name: {"fn": make} for name, make in calls.items()}
    spec["torch.Tensor"] = {"tensor_type": "Tensor"}
    spec["torch.nn.parameter.Parameter"] = {"tensor_type": "Parameter",
                                            "fn": lambda r: r.parameter}
    for cls in tt.TENSOR_CLASSES:
        spec[f"torch.{cls}"] = spec[f"torch.cuda.{cls}"] = {"tensor_type": "Tensor"}
    for name in (*tt.NUMPY_DTYPES, *tt.UNSUPPORTED_DTYPES):
        spec[f"torch.{name}"] = {"dtype_name": name}
    for storage, dtype in tt.STORAGE_DTYPES.items():
        spec[f"torch.{storage}"] = {"storage_dtype": dtype}
        if not dtype.startswith("q"):               # PyTorch no tiene versión CUDA de estos
            spec[f"torch.cuda.{storage}"] = {"storage_dtype": dtype}
    spec["torch.storage.UntypedStorage"] = {"storage_dtype": "uint8"}
    return spec


_SPEC = _build_allowlist()
ALLOWED_GLOBALS = frozenset(_SPEC)

# Lo que torch.load(weights_only=True) también permite pero tinygrad_es no reconstruye.
_SPARSE = ("BFloat16", "Byte", "Char", "Double", "Float", "Half", "Int", "Long", "Short")
TORCH_ONLY = {
    "torch._utils._rebuild_qtensor": ("un tensor cuantizado", "pásalo a float con "
                                                              "t.dequantize()"),
    "torch._utils._rebuild_sparse_tensor": ("un tensor disperso", "pásalo a denso con "
                                                                  "t.to_dense()"),
    "torch._utils._rebuild_meta_tensor_no_storage": ("un tensor 'meta' (sin datos)",
                                                     "crea el tensor con datos"),
    "torch._utils._rebuild_nested_tensor": ("un tensor anidado (nested)",
                                            "guarda sus piezas con t.unbind()"),
    "torch._utils._rebuild_wrapper_subclass": ("una subclase de tensor con envoltorio",
                                               "guarda un tensor normal"),
    "torch._utils._rebuild_device_tensor_from_numpy": (
        "un tensor de otro dispositivo guardado con NumPy", "pásalo antes a la CPU con t.cpu()"),
    "torch.storage.TypedStorage": ("un TypedStorage suelto", "guarda el tensor, no su "
                                                             "almacenamiento"),
    **{f"torch.{q}": ("un esquema de cuantización", "pasa el tensor a float con "
                                                    "t.dequantize()") for q in (
        "per_tensor_affine", "per_tensor_symmetric", "per_channel_affine",
        "per_channel_symmetric", "per_channel_affine_float_qparams")},
    **{f"{m}.{k}Tensor": ("un tensor disperso", "pásalo a denso con t.to_dense()")
       for m in ("torch.sparse", "torch.cuda.sparse") for k in _SPARSE},
}

_DANGEROUS_MODULES = {"os", "posix", "nt", "sys", "subprocess", "shutil", "socket", "pty",
                      "runpy", "importlib", "ctypes", "pickle", "marshal", "code", "codeop",
                      "webbrowser", "multiprocessing", "signal", "pathlib", "io", "tempfile"}
_DANGEROUS_BUILTINS = {"eval", "exec", "compile", "open", "getattr", "setattr", "delattr",
                       "__import__", "globals", "locals", "vars", "input", "breakpoint",
                       "type", "object", "print", "exit", "quit"}


def _why(full):
    module, _, name = full.rpartition(".")
    root = module.split(".")[0]
    if root in _DANGEROUS_MODULES or (module == "builtins" and name in _DANGEROUS_BUILTINS):
        return (f"{full} ejecutaría código o comandos del sistema al cargar: es justo lo que "
                "hacen los archivos maliciosos. No uses este archivo si no sabes de dónde viene.")
    if root == "torch" and (".nn." in full + "." or ".optim" in full or "jit" in full):
        return (f"El archivo guarda un objeto entero de PyTorch ({full}), no solo sus pesos, y "
                "reconstruirlo significaría ejecutar su código. Si es de confianza, guarda en "
                "PyTorch solo el estado: torch.save(model.state_dict(), ruta) (o "
                "optimizer.state_dict()).")
    if root == "numpy":
        return (f"El archivo contiene arrays o escalares de NumPy ({full}); PyTorch tampoco "
                "los abre con weights_only=True. En PyTorch conviértelos antes de guardar: "
                "torch.from_numpy(a) para arrays, float(x) o int(x) para escalares.")
    return (f"{full} es una clase o función de fuera de la lista (quizá propia del programa "
            "que guardó el archivo); reconstruirla significaría ejecutar su código. Guarda "
            "solo tensores, números, textos, listas, tuplas y diccionarios (p. ej. "
            "model.state_dict()).")


def refused_global(full, source, weights_only):
    if full in TORCH_ONLY:
        what, fix = TORCH_ONLY[full]
        text = (f"No se puede cargar {source!r}: contiene {what} (el global {full}), que "
                "PyTorch permite con weights_only=True pero tinygrad_es no sabe reconstruir. "
                f"En PyTorch {fix} y vuelve a guardar el archivo. No se ha ejecutado nada "
                "del archivo.")
    else:
        text = (f"tinygrad_es se niega a cargar {source!r}: su pickle pide el global {full}, "
                "que no está en la lista de permitidos (la de torch.load(weights_only=True): "
                "tensores, nn.Parameter, state_dicts, números, textos, listas, tuplas, "
                f"diccionarios, dtypes). {_why(full)} No se ha ejecutado nada del archivo.")
    if weights_only is False:
        text += (" Has pasado weights_only=False, pero eso no cambia nada aquí: tinygrad_es "
                 "nunca ejecuta código guardado en un archivo (se acepta el argumento solo por "
                 "compatibilidad).")
    return CheckpointUnpicklingError(text)


class RestrictedUnpickler(pickle.Unpickler):
    """``pickle.Unpickler`` con ``find_class`` cerrado y almacenamientos de ``storages``.

    ``storages(key, dtype_name, numel)`` devuelve el ``Storage`` de ``data/<key>`` (o uno
    vacío que se llenará después, en el formato antiguo). ``source`` nombra el archivo en los
    mensajes.
    """

    def __init__(self, file, source, storages=None, weights_only=None):
        super().__init__(file, encoding="utf-8")
        self._source, self._storages, self._weights_only = source, storages, weights_only
        self._globals = {}
        self._saw_dtype = False
        self.rebuilder = Rebuilder()

    def find_class(self, module, name):
        # nombres de Python 2 que escribe el protocolo 2 (__builtin__.set -> builtins.set),
        # como hacen pickle y torch.load
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.IMPORT_MAPPING:
            module = _compat_pickle.IMPORT_MAPPING[module]
        full = f"{module}.{name}"
        found = self._globals.get(full)
        if found is not None:
            return found
        spec = _SPEC.get(full)
        if spec is None:
            raise refused_global(full, self._source, self._weights_only)
        options = dict(spec)
        if "fn" in options:
            options["fn"] = options["fn"](self.rebuilder)
        self._saw_dtype |= "dtype_name" in options
        found = self._globals[full] = Global(full, **options)
        return found

    def persistent_load(self, pid):
        if not isinstance(pid, tuple) or not pid:
            raise CorruptCheckpointError(f"referencia persistente no válida: {pid!r}")
        kind = pid[0].decode("ascii") if isinstance(pid[0], bytes) else pid[0]
        if kind != "storage" or self._storages is None:
            raise CheckpointUnpicklingError(
                f"{self._source!r} pide una referencia persistente de tipo {kind!r}; solo se "
                "admiten almacenamientos de tensores ('storage'). No se ha ejecutado nada del "
                "archivo.")
        if len(pid) not in (5, 6):
            raise CorruptCheckpointError(f"referencia a almacenamiento no válida: {pid!r}")
        storage_type, key, _location, numel = pid[1:5]
        dtype = getattr(storage_type, "storage_dtype", None) \
            if isinstance(storage_type, Global) else None
        if dtype is None or not isinstance(key, (str, int)) or isinstance(key, bool) \
                or not isinstance(numel, int) or numel < 0:
            raise CorruptCheckpointError(f"referencia a almacenamiento no válida: {pid!r}")
        explain_dtype(dtype)
        storage = self._storages(str(key), dtype, numel)
        view = pid[5] if len(pid) == 6 else None
        if view is not None:           # formato antiguo: (clave, desplazamiento, tamaño)
            if not (isinstance(view, tuple) and len(view) == 3):
                raise CorruptCheckpointError(f"vista de almacenamiento no válida: {view!r}")
            return storage.view(view[1], view[2])
        return storage

    def load_checked(self):
        """``load()`` + comprobaciones; cualquier fallo es un error en español."""
        try:
            result = self.load()
            self.rebuilder.check_untouched()
            return _finish(result, {}) if self._saw_dtype else result
        except CheckpointUnpicklingError:
            raise
        except UnsupportedCheckpointError as exc:
            raise UnsupportedCheckpointError(
                f"No se puede cargar {self._source!r}. {exc}") from None
        except RecursionError:
            raise corrupt(self._source, "tiene listas o diccionarios anidados a demasiados "
                                        "niveles") from None
        except MemoryError:
            raise
        except CorruptCheckpointError as exc:
            raise corrupt(self._source, str(exc)) from None
        except Exception as exc:  # noqa: BLE001 (todo lo demás es un pickle malformado)
            raise corrupt(self._source, f"{type(exc).__name__}: {exc}") from None


def corrupt(source, detail):
    return CorruptCheckpointError(
        f"No se puede cargar {source!r}: el archivo está dañado o no lo escribió torch.save "
        f"({detail}). No se ha ejecutado nada de él; vuelve a guardarlo desde su origen.")


def _finish(obj, seen):
    """Cambia los dtypes del archivo (``torch.float32``) por los nuestros, en todo el árbol."""
    if isinstance(obj, Global):
        return obj.value()
    kind = type(obj)
    if kind not in (list, tuple, set, dict, collections.OrderedDict, collections.Counter):
        return obj
    if id(obj) in seen:
        return seen[id(obj)]
    if kind is list:
        seen[id(obj)] = obj
        obj[:] = [_finish(v, seen) for v in obj]
        return obj
    if kind in (tuple, set):
        out = seen[id(obj)] = kind(_finish(v, seen) for v in obj)
        return out
    seen[id(obj)] = obj
    items = [(_finish(k, seen), _finish(v, seen)) for k, v in obj.items()]
    obj.clear()
    for key, value in items:       # (no update(): en un Counter sumaría en vez de asignar)
        obj[key] = value
    return obj


__all__ = ["ALLOWED_GLOBALS", "TORCH_ONLY", "CheckpointUnpicklingError", "RestrictedUnpickler",
           "Storage", "corrupt"]
