"""``nn.ParameterList`` y ``nn.ParameterDict``: listas y diccionarios de parámetros registrados
(entran en ``parameters()`` y en ``state_dict`` con las claves ``0``, ``1``... o las del
diccionario), como en PyTorch. Un tensor que no es ``Parameter`` se convierte en uno."""
import operator
from collections import OrderedDict
from collections.abc import Iterable, Mapping

from .. import _dtypes
from ..tensor import Tensor
from .module import Module
from .parameter import Parameter

_TYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16",
               "int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
               "uint8": "Byte", "bool": "Bool"}


def _as_parameter(value):
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        return Parameter(value)
    return value


def _line(key, value, dtype_text):
    if isinstance(value, Tensor):
        kind = "Parameter" if isinstance(value, Parameter) else "Tensor"
        size = "x".join(str(s) for s in value.shape)
        return f"  ({key}): {kind} containing: [{dtype_text(value)} of size {size}]"
    return f"  ({key}): Object of type: {type(value).__name__}"


class ParameterList(Module):
    """Lista de parámetros: ``ParameterList([nn.Parameter(...), ...])``; se indexa y recorre
    como una lista. Los tensores se convierten en ``Parameter``; otros objetos se guardan tal
    cual (sin registrarse)."""

    def __init__(self, values=None):
        super().__init__()
        object.__setattr__(self, "_size", 0)
        if values is not None:
            self += values

    def _abs_index(self, idx):
        idx = operator.index(idx)
        if not -len(self) <= idx < len(self):
            raise IndexError(
                f"Índice {idx} fuera de rango en un ParameterList de {len(self)} elementos.")
        return idx % len(self) if len(self) else idx

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            out = type(self)()
            for i in range(*idx.indices(len(self))):
                out.append(self[i])
            return out
        return getattr(self, str(self._abs_index(idx)))

    def __setitem__(self, idx, param):
        setattr(self, str(self._abs_index(idx)), _as_parameter(param))

    def __len__(self):
        return self._size

    def __iter__(self):
        return iter(self[i] for i in range(len(self)))

    def __iadd__(self, parameters):
        return self.extend(parameters)

    def __dir__(self):
        return [k for k in super().__dir__() if not k.isdigit()]

    def append(self, value):
        """Añade ``value`` al final (un tensor pasa a ser ``Parameter``)."""
        new = self._size
        object.__setattr__(self, "_size", new + 1)
        setattr(self, str(new), _as_parameter(value))
        return self

    def extend(self, values):
        if not isinstance(values, Iterable) or isinstance(values, Tensor):
            raise TypeError(
                "ParameterList.extend espera un iterable de parámetros, pero recibió "
                f"{type(values).__name__}.")
        for value in values:
            self.append(value)
        return self

    def extra_repr(self):
        def dtype_text(t):
            return _dtypes.dtype_name(t._data.dtype)
        return "\n".join(_line(k, p, dtype_text) for k, p in enumerate(self))

    def __call__(self, *args, **kwargs):
        raise RuntimeError("Un ParameterList no se puede llamar: recorre sus parámetros en el "
                           "forward de tu módulo.")


class ParameterDict(Module):
    """Diccionario ordenado de parámetros con claves ``str``: ``pd["w"]``. Un ``dict`` normal
    se añade en orden de claves (como PyTorch); un ``OrderedDict`` o pares, en su orden."""

    def __init__(self, parameters=None):
        super().__init__()
        object.__setattr__(self, "_keys", {})
        if parameters is not None:
            self.update(parameters)

    @staticmethod
    def _key_to_attr(key):
        if not isinstance(key, str):
            raise TypeError(
                f"La clave {key!r} de ParameterDict no es un str (es {type(key).__name__}); "
                "usa claves de texto.")
        return key

    def __getitem__(self, key):
        return getattr(self, self._key_to_attr(key))

    def __setitem__(self, key, value):
        attr = self._key_to_attr(key)
        self._keys[key] = None
        setattr(self, attr, _as_parameter(value))

    def __delitem__(self, key):
        del self._keys[key]
        delattr(self, self._key_to_attr(key))

    def __len__(self):
        return len(self._keys)

    def __iter__(self):
        return iter(self._keys)

    def __reversed__(self):
        return reversed(list(self._keys))

    def __contains__(self, key):
        return key in self._keys

    def copy(self):
        return ParameterDict(OrderedDict((k, self[k]) for k in self._keys))

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def clear(self):
        for key in list(self._keys):
            del self[key]

    def pop(self, key):
        value = self[key]
        del self[key]
        return value

    def popitem(self):
        key = next(reversed(self._keys))
        return key, self.pop(key)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def fromkeys(self, keys, default=None):
        return ParameterDict((k, default) for k in keys)

    def keys(self):
        return self._keys.keys()

    def items(self):
        return ((k, self[k]) for k in self._keys)

    def values(self):
        return (self[k] for k in self._keys)

    def update(self, parameters):
        """Añade o sustituye parámetros desde un diccionario o una secuencia de pares."""
        if not isinstance(parameters, Iterable):
            raise TypeError(
                "ParameterDict.update espera un iterable de pares (clave, valor), pero recibió "
                f"{type(parameters).__name__}.")
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            pairs = list(parameters.items())
        elif isinstance(parameters, Mapping):
            pairs = sorted(parameters.items())
        else:
            pairs = []
            for j, p in enumerate(parameters):
                if not isinstance(p, Iterable):
                    raise TypeError(
                        f"ParameterDict.update: el elemento {j} debe ser un par (clave, valor), "
                        f"pero es {type(p).__name__}.")
                p = tuple(p)
                if len(p) != 2:
                    raise ValueError(
                        f"ParameterDict.update: el elemento {j} tiene {len(p)} elementos; hacen "
                        "falta 2 (clave, valor).")
                pairs.append(p)
        for key, value in pairs:
            self[key] = value

    def __or__(self, other):
        out = self.copy()
        out.update(other)
        return out

    def __ror__(self, other):
        out = other.copy()
        out.update(self)
        return out

    def __ior__(self, other):
        self.update(other)
        return self

    def extra_repr(self):
        def typename(t):
            name = _TYPE_NAMES.get(str(t._data.dtype), str(t._data.dtype))
            return f"tinygrad_es.{name}Tensor"
        return "\n".join(_line(k, p, typename) for k, p in self.items())

    def __call__(self, *args, **kwargs):
        raise RuntimeError("Un ParameterDict no se puede llamar: usa sus parámetros en el "
                           "forward de tu módulo.")
