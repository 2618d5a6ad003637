"""Genera ``tinygrad_es/tensor.pyi`` y ``tinygrad_es/functions.pyi``: los tipos de ``Tensor`` y de
las funciones de ``torch.`` (``torch.exp``, ``torch.sum``...) para mypy, Pylance y PyCharm.

``tensor.py`` es una tabla de métodos (``sum = _reduce.sum``) cuya lógica vive en módulos que no
pueden importar la clase; por eso los tipos de ``Tensor`` están en un archivo de stub aparte
(como PyTorch, que escribe los de ``torch.Tensor`` en ``torch/_C/__init__.pyi``) y no cuestan
nada al ejecutar. Este script recorre la clase real y escribe, para cada atributo:

* la firma tipada de ``TIPADOS`` (a mano, fiel a la de PyTorch), si la tiene;
* si no, la firma real con los mismos nombres de parámetros y tipo ``Any``: el editor completa
  el nombre y los parámetros, y el comprobador sabe que el método existe.

Las funciones de ``torch.`` que genera ``_torch_functions.from_method`` con ``exec`` no tienen
anotaciones (mypy solo ve un ``Any``): ``functions.pyi`` les da las del método (``input`` en vez
de ``self`` y ``out=`` si lo admiten) y reexporta de su módulo las demás.

Uso: ``python tools/tensor_pyi.py`` (reescribe los dos). ``tests/test_tipos.py`` comprueba que
los archivos guardados son los que genera este script, es decir, que siguen al código.
"""
import ast
import inspect
import sys
import types
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
DESTINO = RAIZ / "src" / "tinygrad_es" / "tensor.pyi"
DESTINO_F = RAIZ / "src" / "tinygrad_es" / "functions.pyi"

CABECERA = '''\
# Generado por tools/tensor_pyi.py a partir de la clase Tensor: no lo edites a mano.
# Los tipos de Tensor para los comprobadores (mypy, Pylance/pyright) y los editores.
import builtins
from collections.abc import Iterator, Sequence
from types import EllipsisType
from typing import Any, NamedTuple, overload

import numpy as np
from numpy.typing import NDArray

from ._device import Size as Size
from ._device import _check_device as _check_device
from ._device import device as device

_int = builtins.int
_float = builtins.float
_bool = builtins.bool
_DType = np.dtype[Any]
Number = _int | _float | _bool
_Operand = Tensor | Number
_Dims = _int | Sequence[_int]
_Shape = _int | Sequence[_int]
_Index = (_int | slice | None | EllipsisType | Tensor | Sequence[Any] | NDArray[Any]
          | tuple[Any, ...])


class _ValuesIndices(NamedTuple):
    """Lo que devuelven ``max(dim)``, ``min(dim)``, ``sort``, ``topk``...: valores e índices."""
    values: Tensor
    indices: Tensor


def _apply(op: Any, *inputs: Any, **kwargs: Any) -> Tensor: ...
def _make(array: NDArray[Any], requires_grad: _bool = False, grad_fn: Any = None) -> Tensor: ...
def __getattr__(name: str) -> Any: ...   # el resto del módulo (privado): sin tipos


class Tensor:
'''

# Las firmas tipadas: mismo nombre y orden de parámetros que el método real (lo comprueba
# tests/test_tipos.py) y los tipos de PyTorch (torch/_C/__init__.pyi).
T = "Tensor"
_A = "other: _Operand"
TIPADOS = {
    "__init__": ["def __init__(self, *args: Any, dtype: _DType | None = None, "
                 "requires_grad: _bool = False, device: Any = None) -> None: ..."],
    # datos, gradiente y grafo
    "data": ["@property", "def data(self) -> Tensor: ...",
             "@data.setter", "def data(self, value: Tensor) -> None: ..."],
    "grad": ["@property", "def grad(self) -> Tensor | None: ...",
             "@grad.setter", "def grad(self, value: Tensor | None) -> None: ..."],
    "requires_grad": ["@property", "def requires_grad(self) -> _bool: ...",
                      "@requires_grad.setter",
                      "def requires_grad(self, value: _bool) -> None: ..."],
    "requires_grad_": ["def requires_grad_(self, requires_grad: _bool = True) -> Tensor: ..."],
    "is_leaf": ["@property", "def is_leaf(self) -> _bool: ..."],
    "grad_fn": ["grad_fn: Any"],
    "backward": ["def backward(self, gradient: Tensor | None = None, retain_graph: _bool | None "
                 "= None, create_graph: _bool = False, inputs: Tensor | Sequence[Tensor] | None "
                 "= None) -> None: ..."],
    "retain_grad": ["def retain_grad(self) -> None: ..."],
    "detach": ["def detach(self) -> Tensor: ..."],
    "detach_": ["def detach_(self) -> Tensor: ..."],
    "clone": ["def clone(self) -> Tensor: ..."],
    "contiguous": ["def contiguous(self, memory_format: Any = None) -> Tensor: ..."],
    # forma y tipo
    "shape": ["@property", "def shape(self) -> Size: ..."],
    "size": ["@overload", "def size(self, dim: None = None) -> Size: ...",
             "@overload", "def size(self, dim: _int) -> _int: ..."],
    "dtype": ["@property", "def dtype(self) -> _DType: ..."],
    "device": ["@property", "def device(self) -> device: ..."],
    "ndim": ["@property", "def ndim(self) -> _int: ..."],
    "dim": ["def dim(self) -> _int: ..."],
    "numel": ["def numel(self) -> _int: ..."],
    "nelement": ["def nelement(self) -> _int: ..."],
    "element_size": ["def element_size(self) -> _int: ..."],
    "is_floating_point": ["def is_floating_point(self) -> _bool: ..."],
    "T": ["@property", "def T(self) -> Tensor: ..."],
    "mT": ["@property", "def mT(self) -> Tensor: ..."],
    "t": ["def t(self) -> Tensor: ..."],
    "view": ["def view(self, *shape: _Shape) -> Tensor: ..."],
    "reshape": ["def reshape(self, *shape: _Shape) -> Tensor: ..."],
    "view_as": ["def view_as(self, other: Tensor) -> Tensor: ..."],
    "reshape_as": ["def reshape_as(self, other: Tensor) -> Tensor: ..."],
    "expand": ["def expand(self, *sizes: _Shape) -> Tensor: ..."],
    "expand_as": ["def expand_as(self, other: Tensor) -> Tensor: ..."],
    "repeat": ["def repeat(self, *sizes: _Shape) -> Tensor: ..."],
    "permute": ["def permute(self, *dims: _Dims) -> Tensor: ..."],
    "transpose": ["def transpose(self, dim0: _int, dim1: _int) -> Tensor: ..."],
    "squeeze": ["def squeeze(self, dim: _Dims | None = None) -> Tensor: ..."],
    "unsqueeze": ["def unsqueeze(self, dim: _int) -> Tensor: ..."],
    "flatten": ["def flatten(self, start_dim: _int = 0, end_dim: _int = -1) -> Tensor: ..."],
    # conversión
    "item": ["def item(self) -> Number: ..."],
    "tolist": ["def tolist(self) -> Any: ..."],
    "numpy": ["def numpy(self, force: _bool = False) -> NDArray[Any]: ..."],
    "to": ["def to(self, *args: Any, dtype: _DType | None = None, **kwargs: Any) "
           "-> Tensor: ..."],
    "type": ["def type(self, dtype: Any = None) -> Any: ..."],
    "cpu": ["def cpu(self) -> Tensor: ..."],
    "float": ["def float(self) -> Tensor: ..."],
    "double": ["def double(self) -> Tensor: ..."],
    "long": ["def long(self) -> Tensor: ..."],
    "int": ["def int(self) -> Tensor: ..."],
    "bool": ["def bool(self) -> Tensor: ..."],
    "half": ["def half(self) -> Tensor: ..."],
    "__len__": ["def __len__(self) -> _int: ..."],
    "__iter__": ["def __iter__(self) -> Iterator[Tensor]: ..."],
    "__bool__": ["def __bool__(self) -> _bool: ..."],
    "__float__": ["def __float__(self) -> _float: ..."],
    "__int__": ["def __int__(self) -> _int: ..."],
    "__index__": ["def __index__(self) -> _int: ..."],
    "__hash__": ["def __hash__(self) -> _int: ..."],
    "__format__": ["def __format__(self, spec: str) -> str: ..."],
    # indexado
    "__getitem__": ["def __getitem__(self, index: _Index) -> Tensor: ..."],
    "__setitem__": ["def __setitem__(self, index: _Index, value: _Operand) -> None: ..."],
    # reducciones
    "sum": ["def sum(self, dim: _Dims | None = None, keepdim: _bool = False, dtype: _DType | "
            "None = None, axis: _Dims | None = None, keepdims: _bool | None = None) "
            "-> Tensor: ..."],
    "mean": ["def mean(self, dim: _Dims | None = None, keepdim: _bool = False, dtype: _DType | "
             "None = None, axis: _Dims | None = None) -> Tensor: ..."],
    "std": ["def std(self, dim: _Dims | None = None, unbiased: _bool = True, keepdim: _bool = "
            "False, correction: Number | None = None) -> Tensor: ..."],
    "var": ["def var(self, dim: _Dims | None = None, unbiased: _bool = True, keepdim: _bool = "
            "False, correction: Number | None = None) -> Tensor: ..."],
    "argmax": ["def argmax(self, dim: _int | None = None, keepdim: _bool = False) -> Tensor: ..."],
    "argmin": ["def argmin(self, dim: _int | None = None, keepdim: _bool = False) -> Tensor: ..."],
    "softmax": ["def softmax(self, dim: _int = -1, dtype: _DType | None = None) -> Tensor: ..."],
    "log_softmax": ["def log_softmax(self, dim: _int = -1, dtype: _DType | None = None) "
                    "-> Tensor: ..."],
    # aritmética
    "matmul": ["def matmul(self, other: Tensor) -> Tensor: ..."],
    "__matmul__": ["def __matmul__(self, other: Tensor) -> Tensor: ..."],
    "__rmatmul__": ["def __rmatmul__(self, other: Tensor) -> Tensor: ..."],
    "pow": ["def pow(self, exponent: _Operand) -> Tensor: ..."],
    "clamp": ["def clamp(self, min: _Operand | None = None, max: _Operand | None = None) "
              "-> Tensor: ..."],
    "fill_": ["def fill_(self, value: _Operand) -> Tensor: ..."],
    "copy_": ["def copy_(self, other: Tensor, non_blocking: _bool = False) -> Tensor: ..."],
    "add_": ["def add_(self, other: _Operand, alpha: Number = 1) -> Tensor: ..."],
    "sub_": ["def sub_(self, other: _Operand, alpha: Number = 1) -> Tensor: ..."],
    "mul_": ["def mul_(self, other: _Operand) -> Tensor: ..."],
    "div_": ["def div_(self, other: _Operand, *, rounding_mode: str | None = None) "
             "-> Tensor: ..."],
    "__iadd__": ["def __iadd__(self, other: _Operand, alpha: Number = 1) -> Tensor: ..."],
    "__isub__": ["def __isub__(self, other: _Operand, alpha: Number = 1) -> Tensor: ..."],
    "__imul__": ["def __imul__(self, other: _Operand) -> Tensor: ..."],
    "__itruediv__": ["def __itruediv__(self, other: _Operand) -> Tensor: ..."],
    # == y != devuelven un Tensor (como en PyTorch, que también lo anota así)
    "__eq__": ["def __eq__(self, other: Any) -> Tensor: ...  # type: ignore[override]"],
    "__ne__": ["def __ne__(self, other: Any) -> Tensor: ...  # type: ignore[override]"],
}
_D = "dim: _int | None = None"
_NEW = ("dtype: _DType | None = None, device: Any = None, requires_grad: _bool = False, "
        "layout: Any = None, pin_memory: _bool = False")
TIPADOS.update({
    "add": ["def add(self, other: _Operand, *, alpha: Number = 1) -> Tensor: ..."],
    "sub": ["def sub(self, other: _Operand, *, alpha: Number = 1) -> Tensor: ..."],
    "div": ["def div(self, other: _Operand, *, rounding_mode: str | None = None) -> Tensor: ..."],
    "mm": ["def mm(self, mat2: Tensor) -> Tensor: ..."],
    "bmm": ["def bmm(self, mat2: Tensor) -> Tensor: ..."],
    "dot": ["def dot(self, tensor: Tensor) -> Tensor: ..."],
    "outer": ["def outer(self, vec2: Tensor, *, out: Tensor | None = None) -> Tensor: ..."],
    "where": ["def where(self, condition: Tensor, other: _Operand) -> Tensor: ..."],
    "equal": ["def equal(self, other: Tensor) -> _bool: ..."],
    "allclose": ["def allclose(self, other: Tensor, rtol: _float = 1e-05, atol: _float = 1e-08, "
                 "equal_nan: _bool = False) -> _bool: ..."],
    "prod": ["def prod(self, dim: _int | None = None, keepdim: _bool = False, "
             "dtype: _DType | None = None) -> Tensor: ..."],
    "norm": ["def norm(self, p: Number | str | None = 'fro', dim: _Dims | None = None, "
             "keepdim: _bool = False, dtype: _DType | None = None) -> Tensor: ..."],
    "amax": ["def amax(self, dim: _Dims | None = None, keepdim: _bool = False) -> Tensor: ..."],
    "amin": ["def amin(self, dim: _Dims | None = None, keepdim: _bool = False) -> Tensor: ..."],
    "sort": ["def sort(self, dim: _int = -1, descending: _bool = False, "
             "stable: _bool | None = False) -> _ValuesIndices: ..."],
    "topk": ["def topk(self, k: _int, dim: _int = -1, largest: _bool = True, "
             "sorted: _bool = True) -> _ValuesIndices: ..."],
    "all": ["def all(self, dim: _Dims | None = None, keepdim: _bool = False) -> Tensor: ..."],
    "any": ["def any(self, dim: _Dims | None = None, keepdim: _bool = False) -> Tensor: ..."],
    "split": ["def split(self, split_size: _int | Sequence[_int], dim: _int = 0) "
              "-> tuple[Tensor, ...]: ..."],
    "chunk": ["def chunk(self, chunks: _int, dim: _int = 0) -> tuple[Tensor, ...]: ..."],
    "unbind": ["def unbind(self, dim: _int = 0) -> tuple[Tensor, ...]: ..."],
    "uniform_": ["def uniform_(self, from_: _float = 0.0, to: _float = 1.0, *, "
                 "generator: Any = None) -> Tensor: ..."],
    "normal_": ["def normal_(self, mean: _float = 0.0, std: _float = 1.0, *, "
                "generator: Any = None) -> Tensor: ..."],
    "__repr__": ["def __repr__(self) -> str: ..."],
    "__str__": ["def __str__(self) -> str: ..."],
    "gather": ["def gather(self, dim: _int, index: Tensor, *, sparse_grad: _bool = False, "
               "out: Tensor | None = None) -> Tensor: ..."],
    "masked_fill": ["def masked_fill(self, mask: Tensor, value: _Operand) -> Tensor: ..."],
    "masked_fill_": ["def masked_fill_(self, mask: Tensor, value: _Operand) -> Tensor: ..."],
    "new_zeros": [f"def new_zeros(self, *size: _Shape, {_NEW}) -> Tensor: ..."],
    "new_ones": [f"def new_ones(self, *size: _Shape, {_NEW}) -> Tensor: ..."],
    "new_empty": [f"def new_empty(self, *size: _Shape, {_NEW}) -> Tensor: ..."],
    "new_tensor": [f"def new_tensor(self, data: Any, *, {_NEW}) -> Tensor: ..."],
})
# max/min: sin dim, el máximo (Tensor); con dim, (values, indices); con un Tensor, el máximo
# elemento a elemento (como las sobrecargas de PyTorch)
for _n in ("max", "min"):
    TIPADOS[_n] = ["@overload", f"def {_n}(self, dim: None = None, keepdim: _bool = False) "
                   "-> Tensor: ...",
                   "@overload", f"def {_n}(self, dim: _int, keepdim: _bool = False) "
                   "-> _ValuesIndices: ...",
                   "@overload", f"def {_n}(self, dim: Tensor, keepdim: _bool = False) "
                   "-> Tensor: ..."]
# operadores binarios: un Tensor o un número, y devuelven un Tensor
for _n in ("add", "sub", "mul", "div", "truediv", "floordiv", "mod", "pow", "and", "or",
           "xor", "lt", "le", "gt", "ge", "lshift", "rshift"):
    for _p in ("__{}__", "__r{}__"):
        _name = _p.format(_n)
        TIPADOS.setdefault(_name, [f"def {_name}(self, other: _Operand) -> Tensor: ..."])
# add, eq...: si su firma real es (self, other), la de los operadores (ver _generic); si
# tienen más parámetros (add(other, alpha=1)), la firma con Any
for _n in ("add", "sub", "mul", "div", "maximum", "minimum", "eq", "ne", "lt", "le", "gt",
           "ge"):
    TIPADOS.setdefault(_n, None)
for _n in ("__neg__", "__pos__", "__abs__", "__invert__"):
    TIPADOS[_n] = [f"def {_n}(self) -> Tensor: ..."]
# métodos sin argumentos que devuelven un Tensor (puntuales, activaciones, in situ...)
UNARIOS = """abs absolute acos arccos acosh asin arcsin asinh atan arctan atanh ceil cos cosh
deg2rad digamma erf erfc erfinv exp exp2 expm1 floor frac lgamma log log10 log1p log2 logit
neg negative rad2deg reciprocal relu round rsqrt sigmoid sign signbit sin sinc sinh sqrt square
tan tanh trunc fix isnan isinf isfinite isneginf isposinf nan_to_num positive sgn
logical_not bitwise_not zero_ exp_ log_ sqrt_ relu_ sigmoid_ tanh_ abs_ neg_ clamp_ floor_
ceil_ round_ trunc_ sin_ cos_ square_ reciprocal_ sign_ zero_ uniform_ normal_""".split()


def _params(f):
    try:
        return list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        return None


def _generic(name, f):
    """La firma real con ``Any``: mismos nombres, clases de parámetro y valores por defecto."""
    params = _params(f)
    if params is None:
        return [f"def {name}(self, *args: Any, **kwargs: Any) -> Any: ..."]
    parts, star = [], False
    for i, p in enumerate(params):
        if i == 0:
            parts.append("self")
            continue
        default = "" if p.default is p.empty else " = ..."
        if p.kind == p.VAR_POSITIONAL:
            parts.append(f"*{p.name}: Any")
            star = True
        elif p.kind == p.VAR_KEYWORD:
            parts.append(f"**{p.name}: Any")
        elif p.kind == p.KEYWORD_ONLY:
            if not star:
                parts.append("*")
                star = True
            parts.append(f"{p.name}: Any{default}")
        elif p.kind == p.POSITIONAL_ONLY:
            parts.append(f"{p.name}: Any{default}")
        else:
            parts.append(f"{p.name}: Any{default}")
    if params and params[0].kind == params[0].POSITIONAL_ONLY:
        parts.insert(1, "/")
    if name in UNARIOS and len(parts) == 1:
        return [f"def {name}(self) -> Tensor: ..."]
    if name in TIPADOS and len(params) == 2 and params[1].name == "other":
        return [f"def {name}(self, other: _Operand) -> Tensor: ..."]
    return [f"def {name}({', '.join(parts)}) -> Any: ..."]


def class_lines(cls):
    """Nombre -> líneas del stub de cada atributo de la clase (en su orden)."""
    lineas = {}
    names = []
    for name in cls.__slots__:
        if name != "__weakref__":
            names.append(name)
    for name, value in cls.__dict__.items():
        if name in ("__slots__", "__module__", "__qualname__", "__doc__", "__dict__",
                    "__weakref__", "__annotations__", "__firstlineno__", "__static_attributes__",
                    "__getattr__"):   # para mypy, un atributo que no existe es un error
            continue
        if name in cls.__slots__:
            continue
        names.append(name)
    for name in names:
        value = cls.__dict__.get(name)
        lines = TIPADOS.get(name)
        if lines is None:
            if name in cls.__slots__ or value is None:
                lines = [f"{name}: Any"]
            elif isinstance(value, property):
                lines = ["@property", f"def {name}(self) -> Any: ..."]
                if value.fset is not None:
                    lines += [f"@{name}.setter", f"def {name}(self, value: Any) -> None: ..."]
            elif isinstance(value, staticmethod):
                lines = ["@staticmethod", f"def {name}(*args: Any, **kwargs: Any) -> Any: ..."]
            elif isinstance(value, classmethod):
                lines = ["@classmethod", f"def {name}(cls, *args: Any, **kwargs: Any) -> Any: ..."]
            elif callable(value):
                lines = _generic(name, value)
            else:
                lines = [f"{name}: Any"]
        lineas[name] = lines
    return lineas


def generate(cls):
    out = [CABECERA.rstrip("\n"), "    __slots__: tuple[str, ...]"]
    for lines in class_lines(cls).values():
        out.extend("    " + line for line in lines)
    return "\n".join(out) + "\n"


# --- functions.pyi: las funciones de torch. (torch.exp, torch.sum...) ----------------------------
CABECERA_F = '''\
# Generado por tools/tensor_pyi.py a partir de tinygrad_es/functions.py: no lo edites a mano.
# Las funciones de torch. que son métodos de Tensor llevan los tipos del método (input en vez de
# self, y out= si lo admiten); las que vienen de otro módulo se reexportan de él.
import builtins
from collections.abc import Sequence
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from .tensor import Tensor as Tensor
from .tensor import Number, _Operand, _Dims, _DType, _Shape, _Index, _ValuesIndices
from .tensor import _int, _float, _bool
'''
FUNCIONES = {   # funciones de torch. que no son métodos de Tensor
    name: [f"def {name}(tensors: Sequence[Tensor], dim: _int = 0, *, out: Tensor | None = None)"
           " -> Tensor: ..."] for name in ("cat", "concat", "stack")}


def _as_function(name, function, method_lines):
    """Las líneas tipadas del método ``name`` como función ``torch.name(input, ..., out=)``."""
    params = _params(function)
    if not params or params[0].name != "input" or not method_lines:
        return None
    if any(not (line.startswith(("def ", "@overload"))) for line in method_lines):
        return None
    reales = [p.name for p in params[1:] if p.name != "out"]
    with_out = any(p.name == "out" for p in params)
    out, nodes = [], []
    for line in method_lines:
        if line == "@overload":
            out.append(line)
            continue
        node = ast.parse(line.split("  # ")[0]).body[0]
        args = node.args
        if args.vararg or args.kwarg:
            return None
        nombres = [a.arg for a in args.args[1:] + args.kwonlyargs]
        if nombres != reales[:len(nombres)] or (nombres != reales and "@overload" not in
                                                 method_lines):
            return None
        args.args[0] = ast.arg("input", ast.Name("Tensor"))
        if with_out:
            tipo = ("Sequence[Tensor] | None" if ast.unparse(node.returns) == "_ValuesIndices"
                    else "Tensor | None")   # out=(valores, índices)
            args.kwonlyargs.append(ast.arg("out", ast.parse(tipo).body[0].value))
            args.kw_defaults.append(ast.Constant(None))
        node.name = name
        out.append(ast.unparse(node).replace("\n    ...", " ..."))
    return out


def _generic_function(name, function):
    params = _params(function)
    if params is None:
        return [f"def {name}(*args: Any, **kwargs: Any) -> Any: ..."]
    parts, star = [], False
    for p in params:
        default = "" if p.default is p.empty else " = ..."
        if p.kind == p.VAR_POSITIONAL:
            parts.append(f"*{p.name}: Any")
            star = True
        elif p.kind == p.VAR_KEYWORD:
            parts.append(f"**{p.name}: Any")
        else:
            if p.kind == p.KEYWORD_ONLY and not star:
                parts.append("*")
                star = True
            parts.append(f"{p.name}: Any{default}")
            if p.kind == p.POSITIONAL_ONLY and (len(parts) == len(params) or
                                                 params[len(parts)].kind != p.POSITIONAL_ONLY):
                parts.append("/")
    return [f"def {name}({', '.join(parts)}) -> Any: ..."]


def generate_functions(module, cls):
    metodos = class_lines(cls)
    out = [CABECERA_F.rstrip("\n")]
    for name, value in vars(module).items():
        if name.startswith("_") or isinstance(value, types.ModuleType) or name == "Tensor":
            continue
        origin = getattr(value, "__module__", None) or ""
        real = getattr(value, "__name__", None)
        if (origin.startswith("tinygrad_es.") and origin != module.__name__
                and getattr(sys.modules.get(origin), real or "", None) is value):
            source = origin.split(".", 1)[1]
            if real == name:
                out.append(f"from .{source} import {name} as {name}")
            else:   # en un stub, «import a as b» solo reexporta si a y b coinciden
                out.append(f"from .{source} import {real} as _{name}")
                out.append(f"{name} = _{name}")
        elif callable(value):
            lines = FUNCIONES.get(name) or _as_function(name, value, metodos.get(name))
            out.extend(lines or _generic_function(name, value))
        else:
            out.append(f"{name}: Any")
    return "\n".join(out) + "\n"


def main(argv=None):
    sys.path.insert(0, str(RAIZ / "src"))
    from tinygrad_es import functions
    from tinygrad_es.tensor import Tensor
    for destino, text in ((DESTINO, generate(Tensor)),
                          (DESTINO_F, generate_functions(functions, Tensor))):
        destino.write_text(text, encoding="utf-8")
        print(f"{destino.relative_to(RAIZ)}: {text.count(chr(10))} líneas")


if __name__ == "__main__":
    main()
