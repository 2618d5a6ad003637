"""Funciones de ``torch`` a partir de métodos de ``Tensor`` (``torch.exp(input, *, out=None)``
a partir de ``Tensor.exp``) y la única regla de ``out=`` del paquete (``write_out``).

``from_method`` genera (con ``exec``, una sola vez al importar) una función de Python con la
firma de PyTorch: ``input`` como primer parámetro (``torch.sum(input=x)``) y ``out=`` donde
PyTorch lo tiene. Por eso ``inspect.signature(torch.exp)`` es la de PyTorch y ``torch.exp(x)``
cuesta una sola llamada de Python más que ``x.exp()``.

Semántica de ``out=`` (la de PyTorch): el resultado se escribe en ``out`` y se devuelve ``out``;
si ``out`` tenía otra forma cambia a la del resultado (con un aviso si tenía elementos); es un
error si algo requiere gradiente con el gradiente activado o si el tipo del resultado no se
puede guardar en el de ``out`` (float en un tensor entero). Con resultados de varios tensores
(``torch.max(x, 0, out=(v, i))``) ``out`` es una tupla.

Este módulo no importa ``tensor.py``: la clase ``Tensor`` se la da ``tensor.py`` al definirla.
"""
import inspect
import linecache
import os
import warnings

import numpy as np

from . import _dtypes, _views
from .autograd.graph import grad_mode
from .errors import user_stacklevel

Tensor = None   # la clase Tensor: la pone tensor.py al definirla


def write_out(result, out, name, inputs=(), strict=False):
    """Copia ``result`` (Tensor o tupla de Tensores) en ``out`` y devuelve ``out``.

    ``strict``: ``out`` debe tener exactamente el dtype del resultado (trunc, heaviside...
    en PyTorch); si no, basta con que el resultado se pueda convertir a él sin cambiar de
    categoría (entero en float sí, float en entero no).
    """
    if out is None:
        return result
    if isinstance(result, tuple):
        if not isinstance(out, (tuple, list)) or len(out) != len(result):
            raise TypeError(
                f"{name}(): out debe ser una tupla de {len(result)} tensores, como el resultado.")
        for r, o in zip(result, out):
            write_out(r, o, name, inputs, strict)
        return type(result)(out) if hasattr(result, "_fields") else tuple(out)
    if not hasattr(out, "_data"):
        raise TypeError(f"{name}(): out debe ser un Tensor, no {type(out).__name__}.")
    if grad_mode.enabled and (out._requires_grad or result._requires_grad or any(
            getattr(x, "_requires_grad", False) for x in inputs)):
        raise RuntimeError(
            f"{name}(): las funciones con out=... no admiten diferenciación automática, y uno "
            "de los argumentos requiere gradiente. Quita out= (y = f(x)) o calcula dentro de "
            "torch.no_grad().")
    src, dst = result._data, out._data
    if strict and src.dtype != dst.dtype:
        raise RuntimeError(
            f"{name}(): out debe ser {_dtypes.dtype_name(src.dtype)} (el tipo del resultado), "
            f"pero es {_dtypes.dtype_name(dst.dtype)}. Crea out con ese dtype o quita out=.")
    if not np.can_cast(src.dtype, dst.dtype, "same_kind"):
        raise RuntimeError(
            f"{name}(): el resultado es {_dtypes.dtype_name(src.dtype)} y no se puede guardar "
            f"en out, que es {_dtypes.dtype_name(dst.dtype)}. Usa un out de tipo "
            f"{_dtypes.dtype_name(src.dtype)} o quita out=.")
    if dst.shape != src.shape:
        if dst.size:
            warnings.warn(
                f"{name}(): out tenía forma {tuple(dst.shape)} y se ha cambiado a "
                f"{tuple(src.shape)}, la del resultado. Para reutilizar un tensor como out "
                "dale antes la forma correcta.", UserWarning, stacklevel=user_stacklevel())
        out._data = np.empty(src.shape, dst.dtype)
    else:
        _views.check_writable(out)
    np.copyto(out._data, src, casting="unsafe")
    out._bump_version()
    return out


def not_a_tensor(value, name, arg="input"):
    raise TypeError(f"{name}(): el argumento '{arg}' (posición 1) debe ser un Tensor, no "
                    f"{type(value).__name__}. Conviértelo con torch.tensor(...).")


def _parameters(method):
    """Los parámetros del método con ``self`` renombrado a ``input``, como texto de firma."""
    params = list(inspect.signature(method).parameters.values())
    return [params[0].replace(name="input")] + params[1:]


def from_method(method, name, signature=None, out=False, strict=False, check=True):
    """``torch.<name>`` a partir de ``method`` (un método de ``Tensor`` u otra función).

    ``signature``: la firma de PyTorch como texto (``"input, shape"``) si no es la del método
    con ``self`` → ``input``; los argumentos se pasan al método en el mismo orden (los que van
    tras ``*`` por nombre). ``out``: añade ``*, out=None`` (``strict`` como en ``write_out``).
    ``check``: el primer argumento debe ser un Tensor (TypeError en español si no).
    """
    if signature is None:
        signature = str(inspect.Signature(_parameters(method)))[1:-1]
    sig = inspect.signature(eval(f"lambda {signature}: None"))   # noqa: S307 (texto fijo)
    first = next(iter(sig.parameters))
    call, star = [], False
    for p in sig.parameters.values():
        if p.kind == p.VAR_POSITIONAL:
            star = True
            call.append(f"*{p.name}")
        elif p.kind == p.VAR_KEYWORD:
            call.append(f"**{p.name}")
        elif p.kind == p.KEYWORD_ONLY:
            star = True
            call.append(f"{p.name}={p.name}")
        else:
            call.append(p.name)
    header = signature + ((", out=None" if star else ", *, out=None") if out else "")
    body = f"_method({', '.join(call)})"
    if out:
        body = (f"_r = {body}\n    return _r if out is None else "
                f"_write(_r, out, {name!r}, ({first},), {strict})")
    else:
        body = f"return {body}"
    test = (f"    if not isinstance({first}, _Tensor):\n"
            f"        _bad({first}, {name!r}, {first!r})\n") if check else ""
    source = f"def {name}({header}):\n{test}    {body}\n"
    method = getattr(method, "__wrapped__", method)   # sin la envoltura de argumentos del
    namespace = {"_method": method, "_write": write_out, "_Tensor": Tensor,   # método
                 "_bad": not_a_tensor}
    # el «archivo» está dentro del paquete: los avisos y el modo anomalía señalan la línea del
    # usuario, no esta función; y linecache guarda el texto para que las trazas lo muestren
    filename = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"<torch.{name}>")
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)   # noqa: S102 (texto fijo)
    function = namespace[name]
    function.__module__ = "tinygrad_es"
    function.__doc__ = method.__doc__
    return function


def concatenate(tensors, dim=0, *, axis=None, out=None):
    """``torch.concatenate``: como ``torch.cat``; acepta ``axis=`` (como NumPy) o ``dim=``."""
    from ._shape import cat
    return write_out(cat(tensors, dim if axis is None else axis), out, "concatenate", tensors)


def pow(input, exponent, *, out=None):
    """``torch.pow``: ``input`` puede ser un número si ``exponent`` es un Tensor."""
    if isinstance(input, Tensor):
        result = input.pow(exponent)
    elif isinstance(exponent, Tensor):
        result = exponent.__rpow__(input)
    else:
        not_a_tensor(input, "pow")
    return write_out(result, out, "pow", (input, exponent))
