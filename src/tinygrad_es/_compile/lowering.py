"""La segunda pasada de compile: de una llamada por operación a las llamadas de NumPy.

La captura (``tracer.py``) da una función que llama al forward y al backward de cada operación
con su ``ctx``. La segunda llamada la ejecuta una vez con los arrays envueltos en ``Traced``
(ver ``traced.py``), que apuntan cada llamada de NumPy que hacen por dentro esas funciones. El
resultado es el mismo programa sin capas de Python: solo las llamadas de NumPy, en el mismo
orden y con los mismos argumentos (los resultados son idénticos bit a bit), y con memoria
reservada de antemano: cada array nuevo que no sale de la llamada (no se devuelve ni pasa a un
``.grad`` o a una macro) se escribe en un array propio que se reutiliza (``out=``).

Las líneas de la captura que no son operaciones (crear un ``.grad``, borrarlo, una macro como
``optimizer.step()``, el ``return``) se copian tal cual y se ejecutan sin apuntar. Si algo no se
puede apuntar (ver ``traced.py``) la llamada termina igual y se sigue con la función por
operaciones. Mientras dura la pasada, ``np.asarray``, ``np.zeros``... del módulo ``numpy`` se
sustituyen (solo para este hilo) para ver los arrays que crean las operaciones.
"""
import threading

import numpy as np
from numpy.lib.array_utils import byte_bounds

from .. import _threads
from . import traced as _traced
from .traced import Traced, plain

_LOCK = threading.Lock()   # una pasada a la vez: las sustituciones de numpy son globales
COERCE = ("asarray", "asanyarray", "ascontiguousarray", "asfortranarray", "array", "require")
CREATE = ("zeros", "ones", "empty", "full", "arange", "eye", "identity")
ORIGINAL = {name: getattr(np, name) for name in COERCE + CREATE}
STATIC = {np.ndim, np.shape, np.size, np.result_type, np.may_share_memory, np.shares_memory,
          np.iscomplexobj, np.isrealobj}   # dan números de la forma, no de los valores
WRITES_FIRST = {np.copyto, np.put, np.place, np.putmask, np.fill_diagonal, np.put_along_axis}
# Dan arrays cuya forma depende de los valores (cuántos cumplen algo): la función de NumPy
# tendría formas fijas (buffers, vistas, reshape) y no valdría en la llamada siguiente.
VALUE_SHAPED = {np.nonzero, np.flatnonzero, np.argwhere, np.unique, np.extract, np.compress,
                np.trim_zeros, np.setdiff1d, np.intersect1d, np.union1d, np.setxor1d,
                np.bincount}
VALUE_SHAPED_METHODS = {"nonzero", "compress"}   # (y repeat con un array de repeticiones)


class _Ref:
    """Un array en el código generado: su nombre se escribe al final (se puede renombrar)."""
    __slots__ = ("array",)

    def __init__(self, array):
        self.array = array


class Lowering:
    """Las llamadas de NumPy apuntadas y los nombres de lo que usan."""

    def __init__(self, namespace):
        self.namespace = namespace   # el de la función por operaciones (se amplía)
        self.thread = threading.get_ident()
        self.lines = []      # [destino (_Ref/None), partes, buffer (nombre) o None]
        self.paused = 0      # >0: líneas copiadas o dentro de una llamada real
        self.failure = None
        self._consts = {}   # id(objeto) -> nombre (los nuevos, con nombres que se leen)
        self._count = 0
        self._plains = []    # la memoria de cada array con nombre (para ver los que la comparten)
        self._sources = {}   # id(Traced) -> arrays con los que puede compartir memoria
        self._fresh = []     # (línea, Traced, entera): arrays nuevos que pueden tener buffer
                             # (entera: la llamada es np.empty..., el buffer la sustituye)
        self.escaping = set()
        self.copied = []     # (línea, tipo, valores que lee): las sentencias copiadas tal cual
        self._whole = None   # índice de línea -> ¿el buffer sustituye a la llamada? (al final)
        self.phase = "adelante"   # o "atras": el backward de un módulo (lower_module.py)

    def live(self):
        return not self.paused and threading.get_ident() == self.thread

    def fail(self, reason):
        if self.failure is None:
            self.failure = reason

    # --- nombres ---------------------------------------------------------------------
    def wrap(self, real, name=None):
        """``real`` (array o escalar de NumPy) como ``Traced`` con nombre."""
        if isinstance(real, np.ndarray):
            out = np.ndarray.view(real, Traced)
            self._plains.append((real, out))
        elif isinstance(real, np.generic):
            out = np.ndarray.view(ORIGINAL["asarray"](real), Traced)
        else:
            return real
        out._real, out._phase = real, self.phase
        if name is None:
            self._count += 1
            name = f"l{self._count}"
        out._name = name
        return out

    def const(self, value, base=None):
        """El nombre de un objeto fijo en el código generado, que se lea: ``np_matmul``,
        ``np_add.reduce``, ``dt_float32``, ``buf3`` (un buffer), ``cte5`` (una constante)."""
        name = self._consts.get(id(value))
        if name is None:
            name = base or _readable(value)
            if name in self.namespace:   # buf, buf2, buf3...; dt_float32, dt_float32_2...
                count = sum(k == name or k.startswith(name) and k[len(name):].lstrip("_")
                            .isdigit() for k in self.namespace)
                name += ("_" if name[-1].isdigit() else "") + str(count + 1)
            self._consts[id(value)] = name
            self.namespace[name] = value
        return name

    def parts(self, value):
        """La expresión de un argumento, como lista de textos y ``_Ref``."""
        kind = type(value)
        if kind is Traced:
            if value._name is None:   # p. ej. as_strided de un Traced (conserva la subclase)
                plain = np.ndarray.view(value, np.ndarray)
                shared = [t for p, t in self._plains if np.may_share_memory(plain, p)]
                if not shared:
                    self.fail("un array nació por un camino que no se apuntó")
                    return ["None"]
                value._name, value._real = self._strided(plain, shared)._name, plain
            return [_Ref(value)]
        if kind is np.ndarray:
            shared = [t for p, t in self._plains if np.may_share_memory(value, p)]
            if shared:   # una vista hecha con as_strided o np.ndarray(buffer=...)
                return [_Ref(self._strided(value, shared))]
            return [self.const(value)]
        if value is None or kind in (bool, int, str):
            return [repr(value)]
        if kind is tuple or kind is list:
            inner = [p for v in value for p in self.parts(v) + [", "]]
            return ["(" if kind is tuple else "["] + inner + [")" if kind is tuple else "]"]
        if kind is dict:
            return ["{"] + [p for k, v in value.items()
                            for p in [repr(k) + ": "] + self.parts(v) + [", "]] + ["}"]
        return [self.const(value)]

    def _strided(self, view, candidates):
        """``view`` (un array normal) es una vista de la memoria de un array con nombre: una
        línea que la rehace con sus pasos y su desplazamiento (las guardas fijan los pasos de
        las entradas, así que los de cada array de la repetición son los de esta pasada)."""
        low, high = byte_bounds(view)
        for base in candidates:
            base_low, base_high = byte_bounds(base._real)
            if base_low <= low and high <= base_high:
                offset = view.__array_interface__["data"][0] - base._real.__array_interface__[
                    "data"][0]
                parts = ([self.const(strided_view), "(", _Ref(base)] + [
                    ", " + repr(v) for v in (offset, view.shape, view.strides)]
                    + [", ", self.const(view.dtype), f", {bool(view.flags.writeable)})"])
                return self.emit(view, parts, sources=[base])
        self.fail("un array comparte memoria con otro por un camino que no se apuntó")
        return self.wrap(view)

    def call_parts(self, head, args, kwargs):
        parts = [head, "("]
        for a in args:
            parts += self.parts(a) + [", "]
        for k, v in kwargs.items():
            parts += [f"{k}="] + self.parts(v) + [", "]
        return parts + [")"]

    def emit(self, result, parts, fresh=None, sources=()):
        """Una línea ``resultado = partes``; devuelve el resultado envuelto. ``fresh``: el
        resultado es un array nuevo que puede escribirse en un buffer (``"out"``: con
        ``out=``; ``"entera"``: el buffer sustituye a la llamada, np.empty...)."""
        wrapped = self._result(result)
        target = wrapped if type(wrapped) is Traced else None
        if type(wrapped) is tuple:
            target = tuple(wrapped)
        self.lines.append([target, parts, None])
        if fresh and type(wrapped) is Traced:
            self._fresh.append((len(self.lines) - 1, wrapped, fresh == "entera"))
        for out in (wrapped if type(wrapped) is tuple else (wrapped,)):
            if type(out) is Traced:
                self._sources[id(out)] = [s for s in sources if type(s) is Traced]
        return wrapped

    def _result(self, real):
        if isinstance(real, (np.ndarray, np.generic)):
            return self.wrap(real)
        if type(real) in (tuple, list) and all(isinstance(r, np.ndarray) for r in real):
            return tuple(self.wrap(r) for r in real)
        if real is not None:
            self.fail(f"una función de NumPy dio {type(real).__name__} a partir de los valores")
        return real

    def _real(self, fn, args, kwargs):
        self.paused += 1
        try:
            return fn(*plain(args), **plain(kwargs))
        finally:
            self.paused -= 1

    def _written(self, target):
        if type(target) is not Traced:
            self.fail("se escribe en un array constante")

    # --- lo que llaman los Traced y las funciones sustituidas -------------------------
    # Cada una calcula primero con los arrays normales (lo mismo que sin compilar) y después
    # apunta; un fallo al apuntar descarta la pasada, nunca la llamada.
    def ufunc(self, ufunc, method, inputs, kwargs):
        real = self._real(getattr(ufunc, method), inputs, kwargs)
        return self._recording(real, self._ufunc, ufunc, method, inputs, kwargs)

    def function(self, func, args, kwargs, coerce=False):
        real = self._real(func, args, kwargs)
        return self._recording(real, self._function, func, args, kwargs, coerce)

    def method(self, array, name, args, kwargs):
        real = self._real(getattr(plain(array), name), args, kwargs)
        return self._recording(real, self._method, array, name, args, kwargs)

    def created(self, name, args, kwargs):
        """``np.zeros(...)``, ``np.empty(...)``... dentro de una operación: un array con nombre."""
        real = self._real(ORIGINAL[name], args, kwargs)
        return self._recording(real, self._created, name, args, kwargs)

    def _recording(self, real, record, *args):
        if not self.live() or self.failure is not None:
            return real
        try:
            return record(real, *args)
        except Exception as exc:   # (p. ej. un argumento que no se sabe escribir)
            self.fail(f"error al apuntar: {type(exc).__name__}: {exc}")
            return real

    def _ufunc(self, real, ufunc, method, inputs, kwargs):
        head = self.const(ufunc) + ("" if method == "__call__" else "." + method)
        out = kwargs.get("out")
        if method == "at":
            self._written(inputs[0])
            self.lines.append([None, self.call_parts(head, inputs, kwargs), None])
            return real
        if out is not None:
            for o in out:
                self._written(o)
            self.lines.append([None, self.call_parts(head, inputs, kwargs), None])
            return out[0] if len(out) == 1 else out
        if (ufunc is np.matmul and not kwargs and real.ndim and
                inputs[0].size * inputs[1].shape[-1] >= _threads.BIG_PRODUCT):
            head = self.const(_threads.matmul)   # con los hilos de su tamaño, como sin compilar
        fresh = (method in ("__call__", "reduce", "accumulate") and ufunc.nout == 1
                 and "where" not in kwargs and head != self.const(_threads.matmul))
        return self.emit(real, self.call_parts(head, inputs, kwargs), "out" if fresh else None)

    def _function(self, real, func, args, kwargs, coerce):
        if func in STATIC:
            return real
        if (func in VALUE_SHAPED or (func is np.where and len(args) + len(kwargs) == 1)
                or (func is np.repeat and _counts_array(args, kwargs))):
            self.fail(f"la forma de np.{func.__name__}(...) depende de los valores")
        if kwargs.get("out") is not None:
            self._written(kwargs["out"])
        if func in WRITES_FIRST:
            self._written(args[0])
        if coerce and type(args[0]) is Traced and real is args[0]._real:
            return args[0]   # np.asarray(a) de un array: el mismo objeto, sin línea
        parts = self.call_parts(self.const(func), args, kwargs)
        if real is None:
            self.lines.append([None, parts, None])
            return None
        empty = func is np.empty_like and real.dtype != object
        return self.emit(real, parts, "entera" if empty else None,
                         sources=() if empty else list(args))

    def _method(self, real, array, name, args, kwargs):
        if array._name is None:
            self.fail("un array nació por un camino que no se apuntó")
        if (name in VALUE_SHAPED_METHODS or (name == "__getitem__" and _boolean_index(args[0]))
                or (name == "repeat" and _counts_array((array,) + args, kwargs))):
            self.fail(f"la forma de {name} depende de los valores (índice booleano, nonzero)")
        if name in ("__setitem__", "fill", "sort", "put", "partition"):   # en su sitio
            if name == "__setitem__":
                parts = [_Ref(array), "["] + self.parts(args[0]) + ["] = "] + self.parts(args[1])
            else:
                parts = [_Ref(array)] + self.call_parts(f".{name}", args, kwargs)
            self.lines.append([None, parts, None])
            return None
        if name == "__getitem__":
            parts = [_Ref(array), "["] + self.parts(args[0]) + ["]"]
        else:
            parts = [_Ref(array)] + self.call_parts(f".{name}", args, kwargs)
        return self.emit(real, parts, sources=[array] + list(args))

    def _created(self, real, name, args, kwargs):
        fresh = "entera" if name == "empty" and real.dtype != object else None
        return self.emit(real, self.call_parts(self.const(ORIGINAL[name]), args, kwargs), fresh)

    # --- la salida ---------------------------------------------------------------------
    def mark_escaping(self, value):
        """``value`` sale de la llamada: ni él ni aquello cuya memoria puede compartir tienen
        buffer propio."""
        stack = [value]
        while stack:
            v = stack.pop()
            if type(v) is Traced and id(v) not in self.escaping:
                self.escaping.add(id(v))
                stack.extend(self._sources.get(id(v), ()))
            elif type(v) in (tuple, list):
                stack.extend(v)

    def source_lines(self, start=0, end=None):
        """Las líneas de código de ``lines[start:end]``, con un buffer (``out=``) para cada
        array nuevo que no sale de la llamada."""
        if self._whole is None:
            self._whole = {}
            for index, result, entera in self._fresh:
                if id(result) in self.escaping:
                    continue
                value = result._real   # mismo orden en memoria que el resultado de la pasada
                buffer = (np.empty_like(value) if isinstance(value, np.ndarray) else
                          ORIGINAL["empty"]((), value.dtype))
                self.lines[index][2] = self.const(buffer, "buf")
                self._whole[index] = entera
        text = []
        for index, line in enumerate(self.lines[start:end], start):
            if line is None:   # quitada (ver lower.escaping)
                continue
            target, parts, buffer = line
            code = "".join(p.array._name if type(p) is _Ref else p for p in parts)
            if buffer is not None:
                code = buffer if self._whole[index] else code[:-1] + f"out={buffer})"
            if target is None:
                text.append(code)
            elif type(target) is tuple:
                text.append("(" + "".join(t._name + ", " for t in target) + f") = {code}")
            else:
                text.append(f"{target._name} = {code}")
        return text


def _boolean_index(index):
    """¿Tiene el índice una máscara booleana (el resultado tiene tantos elementos como Trues)?"""
    parts = index if type(index) is tuple else (index,)
    return any(isinstance(p, np.ndarray) and p.dtype == bool and p.ndim > 0 for p in parts)


def _counts_array(args, kwargs):
    """¿Es un array el número de repeticiones de ``np.repeat(a, repeats)``?"""
    counts = args[1] if len(args) > 1 else kwargs.get("repeats")
    return isinstance(counts, np.ndarray) and counts.ndim > 0


def _readable(value):
    if isinstance(value, np.ufunc) or getattr(value, "__module__", "").startswith("numpy"):
        return f"np_{getattr(value, '__name__', 'funcion')}"
    if value is _threads.matmul:
        return "matmul_con_hilos"
    if value is strided_view:
        return "vista_con_pasos"
    if isinstance(value, np.dtype):
        return f"dt_{value.name}"
    return "cte"


class _Interface:
    """Lo mínimo que ``np.asarray`` necesita para ver memoria ajena como array."""

    def __init__(self, interface, base):
        self.__array_interface__, self.base = interface, base


def strided_view(base, offset, shape, strides, dtype, writeable):
    """La vista de ``base`` que empieza ``offset`` bytes después de su primer elemento, con
    ``shape`` y ``strides`` (lo que hace ``as_strided``, con desplazamiento)."""
    interface = dict(base.__array_interface__)
    interface.update(data=(interface["data"][0] + offset, not writeable), shape=shape,
                     strides=strides, typestr=dtype.str, descr=[("", dtype.str)])
    return ORIGINAL["asarray"](_Interface(interface, base))


def _substitute(name):
    original = ORIGINAL[name]

    def call(*args, **kwargs):
        rec = _traced.active
        if rec is None or not rec.live():
            return original(*args, **kwargs)
        if name in CREATE:
            return rec.created(name, args, kwargs)
        if any(type(a) is Traced for a in args) or any(
                type(v) is Traced for v in kwargs.values()):
            return rec.function(original, args, kwargs, coerce=True)
        return original(*args, **kwargs)
    return call


SUBSTITUTES = {name: _substitute(name) for name in COERCE + CREATE}
