"""``erf``, ``erfc``, ``erfinv`` como métodos de ``Tensor`` (con ``erf_``...) y la aplicación in
situ de una operación de una entrada, que usan también las activaciones (``F.elu_``...).

``tensor.py`` enlaza estas funciones como métodos (reciben el tensor como primer argumento). Este
módulo está por debajo de ``tensor.py`` en las capas (no lo importa).
"""
from . import _views
from ._dtypes import dtype_name
from ._math import float_input
from .ops import special


def unary_(self, op, **options):
    """``op`` aplicada a ``self`` escribiendo el resultado en su memoria (las reglas de ``_views``).

    Con el gradiente activado y ``self`` en el grafo, la operación queda registrada (también si
    ``self`` es una vista); en una hoja que requiere gradiente es un error, como en PyTorch.
    """
    if _views.is_tracked(self):
        _views.modify(self, lambda src: src._apply(op, src, **options))
        node = self.grad_fn
        if getattr(node, "op", None) is op:   # (en una vista, el nodo es CopySlices)
            node.inplace = True   # el nombre de PyTorch de algunas: EluBackward1...
        return self
    _views.check_writable(self)
    _views.store(self, self._apply(op, self, **options)._data)
    self._bump_version()
    return self


def erf(self):
    """Función de error: 2/√π ∫₀ˣ exp(-t²) dt (los enteros dan float32, como PyTorch)."""
    return self._apply(special.Erf, float_input(self))


def erfc(self):
    """1 - erf(x), precisa también donde erf(x) está cerca de 1."""
    return self._apply(special.Erfc, float_input(self))


def erfinv(self):
    """Inversa de erf: definida en [-1, 1] (±inf en ±1, nan fuera)."""
    return self._apply(special.Erfinv, float_input(self))


def erf_(self):
    return _store_float(self, special.Erf)


def erfc_(self):
    return _store_float(self, special.Erfc)


def erfinv_(self):
    return _store_float(self, special.Erfinv)


def _store_float(self, op):
    if self._data.dtype.kind != "f":
        raise RuntimeError(
            f"{op.__name__.lower()}_ da un resultado float, que no se puede guardar in situ en "
            f"un tensor {dtype_name(self._data.dtype)}. Usa la versión sin _ "
            f"(x = x.{op.__name__.lower()}()) o convierte antes el tensor con .float().")
    return unary_(self, op)
