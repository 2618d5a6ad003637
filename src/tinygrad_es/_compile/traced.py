"""``Traced``: un array de NumPy que apunta cada cálculo que se hace con él.

Es la segunda pasada de compile (ver ``lowering.py``): la función de repetición por operaciones
se ejecuta una vez con sus arrays envueltos en ``Traced`` y cada llamada de NumPy que los toca
(ufuncs y operadores, funciones ``np.*``, métodos como ``reshape`` o ``sum``, ``a[i]`` y
``a[i] = v``) se apunta y se calcula sobre los arrays normales de dentro. Lo que lee un valor
desde Python (``float(a)``, ``bool(a)``, ``a.item()``) o crea un array por un camino que no se
ve no se puede apuntar: se calcula igual y la pasada se descarta (queda la función por
operaciones, con los mismos resultados).

Un escalar de NumPy (lo que da una reducción completa o una ufunc sobre arrays 0-d) viaja como
un ``Traced`` 0-d: así el código de las operaciones sigue el
mismo camino que con el escalar (``type(x) is np.ndarray`` es falso para los dos). Cada
``Traced`` guarda en ``_real`` el objeto real al que representa (array o escalar).
"""
import numpy as np

# La pasada activa (una a la vez: ver lowering._LOCK); la pone y la quita lowering.py.
active = None


class Traced(np.ndarray):
    """Un array con nombre en el código generado (``_name``; None si nació por un camino que
    no se apuntó: usarlo descarta la pasada)."""

    def __array_finalize__(self, obj):
        self._name = None
        self._real = None   # el array o el escalar de NumPy que representa
        self._phase = None  # la parte de la pasada en que nació (lower_module.py)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if active is None:   # un Traced que quedó en algún sitio tras la pasada: sin apuntar
            return getattr(ufunc, method)(*plain(inputs), **plain(kwargs))
        return active.ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        if active is None:
            return func(*plain(args), **plain(kwargs))
        return active.function(func, args, kwargs)

    @property
    def T(self):
        return _method("transpose")(self)

    @property
    def shape(self):
        return np.ndarray.shape.__get__(self)

    @shape.setter
    def shape(self, value):   # cambiar la forma en su sitio no se apunta
        if active is not None:
            active.fail("se cambió .shape de un array en su sitio")
        np.ndarray.shape.__set__(self, value)

    def __repr__(self):
        return f"Traced({self._name}, {real(self)!r})"


def real(value):
    """El objeto real (array o escalar de NumPy) de un ``Traced``."""
    return value._real if value._real is not None else np.ndarray.view(value, np.ndarray)


def plain(value):
    """``value`` sin ``Traced`` (también dentro de tuplas, listas y diccionarios)."""
    kind = type(value)
    if kind is Traced:
        return real(value)
    if kind is tuple or kind is list:
        return kind(plain(v) for v in value)
    if kind is dict:
        return {k: plain(v) for k, v in value.items()}
    return value


def _method(name):
    def call(self, *args, **kwargs):
        if active is None:
            return getattr(real(self), name)(*plain(args), **plain(kwargs))
        return active.method(self, name, args, kwargs)
    call.__name__ = name
    return call


def _reading(name):
    def call(self, *args, **kwargs):
        if active is not None:
            active.fail(f"se leyó el valor de un array desde Python ({name})")
        return getattr(real(self), name)(*args, **kwargs)
    call.__name__ = name
    return call


def _rows(self):
    """Recorrer un array: ``a[0]``, ``a[1]``... (cada fila se apunta como un índice)."""
    if self.ndim == 0:
        raise TypeError("iteration over a 0-d array")
    return iter([self[i] for i in range(len(self))])


# Los métodos que dan arrays (vistas o copias) o escriben en el array: se apuntan tal cual.
RECORDED_METHODS = (
    "reshape", "transpose", "swapaxes", "astype", "copy", "ravel", "flatten", "squeeze", "view",
    "sum", "mean", "max", "min", "prod", "all", "any", "argmax", "argmin", "var", "std",
    "cumsum", "cumprod", "clip", "fill", "repeat", "take", "dot", "nonzero", "round", "conj",
    "__getitem__", "__setitem__", "__copy__", "__deepcopy__", "sort", "argsort", "put",
    "diagonal", "trace", "partition", "argpartition", "searchsorted", "compress", "choose")
# Los que leen valores desde Python: no se pueden repetir sin volver a ejecutar la función.
READING_METHODS = ("__float__", "__int__", "__index__", "__bool__", "__complex__", "item",
                   "tolist", "tobytes", "__reduce__", "__reduce_ex__", "__format__")

for _name in RECORDED_METHODS:
    setattr(Traced, _name, _method(_name))
for _name in READING_METHODS:
    setattr(Traced, _name, _reading(_name))
Traced.__iter__ = _rows   # type: ignore[method-assign]
del _name
