"""Argumentos que una función no admite: un ``TypeError`` en español que dice cuáles admite.

Python explica en inglés una llamada que no encaja con la firma (``got an unexpected keyword
argument 'bais'``) y no dice qué parámetros hay. Aquí cada función pública de los espacios de
nombres (``tinygrad_es``, ``nn.functional``, ``nn.init``...) y cada constructor de sus clases
(``nn.Linear``, ``optim.SGD``, ``DataLoader``...) se envuelve en ``spanish_arguments``: si la
llamada no encaja con la firma, el error (la misma clase, ``TypeError``) dice qué argumento
sobra o falta, sugiere el nombre parecido y lista los parámetros, con sus valores por defecto.

Solo se traducen los errores de la propia llamada (los que Python lanza antes de entrar en la
función): un ``TypeError`` que nace dentro de la función sale tal cual.

Coste: la envoltura añade 0,12-0,24 µs por llamada (medido en CPython 3.11: 61 → 177 ns sin
argumentos por nombre, 70 → 305 ns con uno). También se envuelven los métodos de ``Tensor``
(``x.sum(dims=1)``, ver el final de ``tensor.py``) y las funciones de ``torch.`` que son esos
métodos (``torch.exp``, ``torch.sigmoid``..., hechas por ``_torch_functions.from_method``):
medido con cachegrind, +1,1 % de instrucciones en una operación diminuta, +0,2 % en una época
de la red XOR y 0 % en el paso del MLP.
"""
import difflib
import functools
import inspect
import types
from ._capture import WRAPPER_CODES

_KEYWORD = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_wrapped = {}     # (función original, cómo se nombra) -> su envoltura


def _parameters(func, args):
    """Los parámetros de ``func`` sin ``self`` (si es un método) y los ``args`` sin él."""
    params = list(inspect.signature(func).parameters.values())
    if params and params[0].name == "self":
        return params[1:], args[1:]
    return params, args


def _listing(shown, params):
    partes, keyword_only = [], False
    for p in params:
        if p.kind == p.KEYWORD_ONLY and not keyword_only:
            partes.append("*")
            keyword_only = True
        if p.kind == p.VAR_POSITIONAL:
            keyword_only = True
        partes.append(str(p.replace(annotation=p.empty)))
    return f"{shown}({', '.join(partes)})"


def explain(func, args, kwargs, shown):
    """El texto en español de por qué ``shown(*args, **kwargs)`` no encaja con la firma."""
    params, args = _parameters(func, args)
    names = {p.name: p for p in params}
    var_kw = any(p.kind == p.VAR_KEYWORD for p in params)
    positional = [p for p in params if p.kind in _POSITIONAL]
    var_pos = any(p.kind == p.VAR_POSITIONAL for p in params)
    problems = []
    for key in kwargs:
        p = names.get(key)
        if p is not None and p.kind in _KEYWORD or var_kw:
            continue
        if p is not None:   # solo por posición
            problems.append(f"el parámetro '{key}' solo se puede pasar por posición, no por "
                            "nombre")
            continue
        close = difflib.get_close_matches(key, [p.name for p in params if p.kind in _KEYWORD],
                                          n=1, cutoff=0.6)
        hint = f" (¿querías decir '{close[0]}'?)" if close else ""
        problems.append(f"no tiene ningún parámetro llamado '{key}'{hint}")
    if not var_pos and len(args) > len(positional):
        problems.append(f"admite como mucho {len(positional)} argumento(s) por posición y "
                        f"recibió {len(args)}: pasa los demás por nombre (nombre=valor)")
    for p in positional[:len(args)]:
        if p.name in kwargs:
            problems.append(f"recibió dos valores para '{p.name}': uno por posición y otro por "
                            "nombre")
    given = {p.name for p in positional[:len(args)]} | set(kwargs)
    missing = [p.name for p in params if p.default is p.empty and p.name not in given
               and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if missing:
        problems.append("le falta " + ", ".join(f"'{m}'" for m in missing))
    if not problems:
        problems.append("los argumentos no encajan con su firma")
    return (f"{shown}: " + "; ".join(problems) + f". Parámetros que admite: "
            f"{_listing(shown.removesuffix('()'), params)}")


def spanish_arguments(func, shown=None):
    """``func`` envuelta: si una llamada no encaja con su firma, el ``TypeError`` en español.

    ``shown``: cómo se nombra en el mensaje (``"nn.functional.relu()"``); ``None`` para un
    ``__init__`` (se nombra la clase del objeto que se construye)."""
    if (func, shown) in _wrapped:   # el mismo objeto con dos nombres (view = reshape): dos
        return _wrapped[func, shown]  # envolturas, cada una con su nombre en el mensaje
    if getattr(func, "_spanish_arguments", False):   # ya es una envoltura (de otro módulo)
        return func

    @functools.wraps(func)
    def call(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except TypeError as error:
            if not _from_binding(error):   # nació dentro de la función
                raise
            name = shown or (f"{type(args[0]).__name__}()" if args else func.__qualname__)
            raise TypeError(explain(func, args, kwargs, name)) from None

    call._spanish_arguments = True
    _wrapped[func, shown] = call
    return call


def _from_binding(error):
    """¿El TypeError es de pasar mal los argumentos (nació en esta llamada, o en una envoltura
    transparente como las de ``_capture.py``, antes de entrar en la función)?"""
    tb = error.__traceback__.tb_next
    while tb is not None:
        if tb.tb_frame.f_code not in WRAPPER_CODES:
            return False
        tb = tb.tb_next
    return True


def _ours(obj):
    return getattr(obj, "__module__", "").startswith("tinygrad_es")


def wrap_namespace(namespace, prefix, skip=(), classes=True):
    """Envuelve, en el ``globals()`` de un módulo, sus funciones públicas y, con ``classes``,
    los constructores de sus clases (y de las clases base de tinygrad_es de las que heredan el
    constructor), salvo los nombres de ``skip``. Nunca el de ``Tensor``: se construye en cada
    operación."""
    for name, value in list(namespace.items()):
        if name.startswith("_") or name in skip or not _ours(value) or \
                value.__module__ == "tinygrad_es.errors":   # ayudantes importados, no API
            continue
        if isinstance(value, types.FunctionType):
            namespace[name] = spanish_arguments(value, f"{prefix}{name}()")
        elif classes and isinstance(value, type):
            for cls in value.__mro__:
                init = cls.__dict__.get("__init__")
                if cls.__name__ == "Tensor":
                    break
                if _ours(cls) and isinstance(init, types.FunctionType) and \
                        not hasattr(init, "__wrapped__"):
                    cls.__init__ = spanish_arguments(init)
