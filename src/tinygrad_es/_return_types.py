"""Tuplas con nombre de los resultados (``torch.return_types``), ``out=`` y variantes in situ.

Lo comparten las familias de reducciones y de álgebra lineal (``_reduce_extra.py``,
``_order_stats.py``, ``_linalg_extra.py``...). Este módulo no importa ``tensor.py``.
"""

from . import _dtypes, _views
from ._torch_functions import write_out  # noqa: F401 (la única regla de out=)

_CLASSES = {}


def return_type(name, fields=("values", "indices")):
    """La clase de ``torch.return_types.<name>``: una tupla con campos por nombre."""
    key = (name, fields)
    if key not in _CLASSES:
        def __repr__(self):
            inner = ",\n".join(f"{f}={v!r}" for f, v in zip(fields, self))
            return f"tinygrad_es.return_types.{name}(\n{inner})"

        def __new__(cls, items):
            items = tuple(items)
            if len(items) != len(fields):
                raise TypeError(f"{name} tiene {len(fields)} campos ({', '.join(fields)}).")
            return tuple.__new__(cls, items)

        attrs = {f: property(lambda self, i=i: self[i]) for i, f in enumerate(fields)}
        attrs.update(__repr__=__repr__, __str__=__repr__, __new__=__new__, __slots__=(),
                     _fields=fields, __module__="tinygrad_es.return_types")
        _CLASSES[key] = type(name, (tuple,), attrs)
    return _CLASSES[key]


def result(name, values, fields=("values", "indices")):
    return return_type(name, fields)(values)


def inplace(self, compute, name):
    """Variante in situ ``x.f_(...)``: ``compute(src)`` da el valor nuevo como Tensor."""
    if _views.is_tracked(self):
        return _views.modify(self, compute)
    value = compute(self)._data
    if _dtypes.category(value.dtype) > _dtypes.category(self._data.dtype):
        raise RuntimeError(
            f"{name}(): el resultado es {_dtypes.dtype_name(value.dtype)} y no cabe en este "
            f"tensor {_dtypes.dtype_name(self._data.dtype)}. Usa la versión sin _.")
    _views.check_writable(self)
    _views.store(self, value.astype(self._data.dtype, copy=False))
    self._bump_version()
    return self
