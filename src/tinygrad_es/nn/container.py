"""Contenedores de módulos: ``Sequential``, ``ModuleList`` y ``ModuleDict`` (como PyTorch)."""
import operator
from collections import OrderedDict
from collections.abc import Mapping

from ._repr import addindent
from .module import Module


def _abs_index(idx, size, kind):
    idx = operator.index(idx)
    if not -size <= idx < size:
        raise IndexError(
            f"Índice {idx} fuera de rango en un {kind} de {size} módulos (los índices válidos "
            f"van de {-size} a {size - 1}).")
    return idx % size


class _NumberedModules(Module):
    """Base de Sequential y ModuleList: submódulos con nombres 0, 1, 2... y renumerados."""

    _kind = "Sequential"

    def __delitem__(self, idx):
        keys = list(self._modules)
        if isinstance(idx, slice):
            for key in keys[idx]:
                del self._modules[key]
        else:
            del self._modules[keys[_abs_index(idx, len(keys), self._kind)]]
        self._renumber(list(self._modules.values()))

    def _renumber(self, values):
        # Como PyTorch: tras borrar o insertar, los nombres vuelven a ser 0, 1, 2...
        self._modules.clear()
        for i, module in enumerate(values):
            self.add_module(str(i), module)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self

    def pop(self, key):
        module = self[key]
        del self[key]
        return module


class Sequential(_NumberedModules):
    """Aplica sus módulos uno tras otro: la salida de cada uno es la entrada del siguiente.

    ``Sequential(capa1, capa2, ...)`` los numera 0, 1, ...; ``Sequential(OrderedDict(...))``
    usa los nombres del diccionario.
    """

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for key, module in args[0].items():
                self.add_module(key, module)
        else:
            for idx, module in enumerate(args):
                self.add_module(str(idx), module)

    def forward(self, input):
        for module in self._modules.values():
            input = module(input)
        return input

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(OrderedDict(list(self._modules.items())[idx]))
        keys = list(self._modules)
        return self._modules[keys[_abs_index(idx, len(keys), "Sequential")]]

    def __setitem__(self, idx, module):
        keys = list(self._modules)
        setattr(self, keys[_abs_index(idx, len(keys), "Sequential")], module)

    def __add__(self, other):
        if not isinstance(other, Sequential):
            raise TypeError("Solo se puede sumar un Sequential con otro Sequential.")
        return Sequential(*self, *other)

    def extend(self, modules):
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        if not isinstance(module, Module):
            raise AssertionError(f"Sequential.insert espera un nn.Module, no {type(module).__name__}.")
        n = len(self._modules)
        if not -n <= index <= n:
            raise IndexError(f"Índice {index} fuera de rango para insertar en un Sequential de {n}.")
        index = index % (n + 1) if index < 0 else index
        values = list(self._modules.values())
        values.insert(index, module)
        self._renumber(values)
        return self


class ModuleList(_NumberedModules):
    """Lista de módulos registrados (sus parámetros cuentan en ``parameters()``).

    No tiene ``forward``: recórrela tú en el ``forward`` de tu modelo.
    """

    _kind = "ModuleList"

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(list(self._modules.values())[idx])
        return self._modules[str(_abs_index(idx, len(self), "ModuleList"))]

    def __setitem__(self, idx, module):
        setattr(self, str(_abs_index(idx, len(self), "ModuleList")), module)

    def __iadd__(self, modules):
        return self.extend(modules)

    def __add__(self, other):
        return ModuleList(list(self) + list(other))

    def extend(self, modules):
        if isinstance(modules, Module) and not isinstance(modules, (ModuleList, Sequential)):
            raise TypeError("ModuleList.extend espera un iterable de módulos, no un módulo.")
        offset = len(self)
        for i, module in enumerate(modules):
            self.add_module(str(offset + i), module)
        return self

    def insert(self, index, module):
        values = list(self._modules.values())
        values.insert(index, module)
        self._renumber(values)

    def __repr__(self):
        """Como PyTorch: los bloques repetidos seguidos se resumen (``(0-2): 3 x Linear(...)``)."""
        reprs = [repr(item) for item in self]
        if not reprs:
            return self._get_name() + "()"
        blocks = [[0, 0, reprs[0]]]
        for i, text in enumerate(reprs[1:], 1):
            if text == blocks[-1][2]:
                blocks[-1][1] = i
            else:
                blocks.append([i, i, text])
        lines = []
        for start, end, text in blocks:
            line = (f"({start}): {text}" if start == end
                    else f"({start}-{end}): {end - start + 1} x {text}")
            lines.append(addindent(line, 2))
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"


class ModuleDict(Module):
    """Diccionario ordenado de módulos registrados (``capas["salida"]``)."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __delitem__(self, key):
        del self._modules[key]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def clear(self):
        self._modules.clear()

    def pop(self, key):
        module = self[key]
        del self[key]
        return module

    def keys(self):
        return self._modules.keys()

    def items(self):
        return self._modules.items()

    def values(self):
        return self._modules.values()

    def update(self, modules):
        items = modules.items() if isinstance(modules, (Mapping, ModuleDict)) else modules
        for j, pair in enumerate(items):
            if len(pair) != 2:
                raise ValueError(
                    f"ModuleDict.update: el elemento {j} debe ser un par (nombre, módulo), pero "
                    f"tiene {len(pair)} elementos.")
            self[pair[0]] = pair[1]
