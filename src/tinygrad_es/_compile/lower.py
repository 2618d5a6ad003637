"""La segunda llamada de una captura: ejecuta la función por operaciones con arrays ``Traced``
y escribe, con lo apuntado, la función de NumPy (ver ``lowering.py``).

Cada sentencia de la función por operaciones es de una de dos clases:
- un cálculo (el forward o el backward de una operación, ``sum_to_shape``, ``a + b``,
  ``g += h``, un método de un array): se ejecuta apuntando y se sustituye por lo apuntado;
- el resto (crear o borrar un ``.grad``, una macro como ``optimizer.step()``, ``return``): se
  ejecuta sin apuntar y se copia tal cual. Lo que lee sale de la llamada (no tiene buffer).
Durante una macro los tensores vuelven a tener sus arrays normales: su código no ve ``Traced``.
"""
import ast
import builtins
import contextlib
import types

import numpy as np

from ..nn.module import Module
from ..optim.optimizer import Optimizer
from ..tensor import Tensor, _make
from . import traced as _traced
from .lowering import _LOCK, ORIGINAL, SUBSTITUTES, Lowering
from .traced import Traced, real


def lower(source, namespace, opaque, tracked, arguments):
    """Ejecuta la llamada. Devuelve ``(resultado, función de NumPy o None, código o motivo)``.

    ``opaque``: los nombres de las funciones que se llaman enteras (macros); ``tracked``: los
    tensores que ya existían, ``[(nombre, tensor)]``; ``arguments``: los de esta llamada."""
    function = ast.parse(source).body[0]
    params = [a.arg for a in function.args.args]
    rec = Lowering(dict(namespace))
    env = environment(namespace, params, arguments)
    tensors = list(tracked) + list(zip(params, arguments))
    result = None
    try:
        with session(rec, tensors):
            result = run(rec, function.body, env, opaque, tensors)
    finally:
        _unwrap_result(result)
    if rec.failure is not None:
        return result, None, rec.failure
    escaping(rec)
    lines = rec.source_lines()
    code = f"def repetir({', '.join(params)}):\n" + "".join(f"    {line}\n" for line in lines)
    return result, define(rec, code)["repetir"], code


def environment(namespace, params, arguments):
    """Los nombres con que se ejecuta la función por operaciones en la pasada."""
    env = dict(namespace)
    for name, value in namespace.items():   # np.asarray de la captura: el que apunta
        for original_name, original in ORIGINAL.items():
            if value is original:
                env[name] = SUBSTITUTES[original_name]
    env.update(zip(params, arguments))
    return env


@contextlib.contextmanager
def session(rec, tensors):
    """Mientras dura: ``rec`` apunta, numpy tiene sus sustituciones y los tensores que ya
    existían tienen sus arrays como ``Traced``."""
    with _LOCK:
        for name, substitute in SUBSTITUTES.items():
            setattr(np, name, substitute)
        _traced.active = rec
        try:
            _wrap_tensors(rec, tensors)
            yield
        finally:
            _traced.active = None
            for name, original in ORIGINAL.items():
                setattr(np, name, original)
            _unwrap_tensors(tensors)


def define(rec, code):
    """Ejecuta el código generado con los objetos de la pasada y devuelve sus nombres."""
    namespace = dict(rec.namespace, __name__="tinygrad_es._compile.repeticion")
    exec(builtins.compile(code, "<tinygrad_es.compile>", "exec"), namespace)
    return namespace


def run(rec, body, env, opaque, tensors):
    """Ejecuta las sentencias de ``body`` (ver el docstring del módulo); da lo que devuelve."""
    result = None
    for statement in body:
        if isinstance(statement, ast.Return):
            rec.paused += 1
            try:
                result = eval(ast.unparse(statement.value), env)
            finally:
                rec.paused -= 1
            _copied(rec, statement, env)
            continue
        code = builtins.compile(ast.Module([statement], []), "<tinygrad_es.compile>", "exec")
        if _is_calculation(statement, env, opaque):
            exec(code, env)
            _bind(rec, statement, env)
            continue
        macro = _called(statement) in opaque
        if macro:   # el código de la macro ve los arrays normales
            _unwrap_tensors(tensors)
        rec.paused += 1
        try:
            exec(code, env)
        finally:
            rec.paused -= 1
            _wrap_tensors(rec, tensors)
        _copied(rec, statement, env)
        for name in _targets(statement):
            value = env[name]
            if isinstance(value, (np.ndarray, np.generic)) and type(value) is not Traced:
                env[name] = rec.wrap(value, name)
    return result


def _called(statement):
    value = getattr(statement, "value", None)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        return value.func.id
    return None


def _is_calculation(statement, env, opaque):
    if isinstance(statement, ast.AugAssign):
        return True
    value = getattr(statement, "value", None)
    if isinstance(value, (ast.BinOp, ast.UnaryOp)):
        return True
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    if isinstance(func, ast.Name):
        return func.id not in opaque and env.get(func.id) is not _make
    return (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            and type(env.get(func.value.id)) is Traced)   # un método de un array


def _targets(statement):
    targets = statement.targets if isinstance(statement, ast.Assign) else []
    return [node.id for t in targets for node in ast.walk(t)
            if isinstance(node, ast.Name) and node.id != "_"]


def _bind(rec, statement, env):
    """Los nombres de la captura (``s7``) para lo que dio un cálculo."""
    for name in _targets(statement):
        value = env[name]
        if type(value) is not Traced:
            if not isinstance(value, (np.ndarray, np.generic)):
                continue
            if any(type(env.get(node.id)) is Traced for node in ast.walk(statement)
                   if isinstance(node, ast.Name)):
                rec.fail("un cálculo con arrays apuntados dio un array que no se apuntó (p. ej. "
                         "dtype.type(a) o np.float32(a) sobre un valor calculado)")
            env[name] = rec.wrap(value, name)   # de constantes: una copia (se puede escribir)
            rec.lines.append([None, [f"{name} = ", rec.const(value.copy()), ".copy()"], None])
            continue
        if value._name is None:
            rec.fail("un array nació por un camino que no se apuntó")
        elif value._name.startswith("l"):
            value._name = name
        elif value._name != name:
            rec.lines.append([None, [f"{name} = {value._name}"], None])


def _copied(rec, statement, env):
    """Una sentencia que se copia tal cual (lo que lee sale de la llamada: ver escaping)."""
    rec.lines.append([None, [ast.unparse(_readable_calls(rec, statement, env))], None])
    reads = [env[node.id] for node in ast.walk(statement)
             if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in env]
    rec.copied.append((len(rec.lines) - 1, _grad_line(statement, env), reads))


def _readable_calls(rec, statement, env):
    """La sentencia con nombres que se leen: ``zero_grad(sgd)`` en vez de ``c0(c1)``;
    ``tensor_nuevo(s7)`` para el Tensor que envuelve un array."""
    statement = ast.parse(ast.unparse(statement)).body[0]   # una copia
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and isinstance(env.get(node.id), (Optimizer, Module)):
            node.id = rec.const(env[node.id], type(env[node.id]).__name__.lower())   # sgd(...)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            function = env.get(node.func.id)
            if function is _make:
                node.func.id = rec.const(function, "tensor_nuevo")
            elif isinstance(function, types.FunctionType):
                node.func.id = rec.const(function, function.__name__.lstrip("_") or "f")
    return statement


def _grad_line(statement, env):
    """``("crea", "e3")`` para ``e3._grad = _make(s7)``, ``("borra", "e3")`` para
    ``e3._grad = None``; None para el resto."""
    if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
        return None
    target, value = statement.targets[0], statement.value
    if not (isinstance(target, ast.Attribute) and target.attr == "_grad"
            and isinstance(target.value, ast.Name)):
        return None
    if isinstance(value, ast.Constant) and value.value is None:
        return ("borra", target.value.id)
    if (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and env.get(value.func.id) is _make):
        return ("crea", target.value.id)
    return None


def escaping(rec):
    """Un ``.grad`` que se crea y se borra dentro de la misma llamada sin que nada lo lea entre
    medias (la actualización a mano ``p -= lr * p.grad; p.grad = None``) no hace falta: sus dos
    líneas se quitan (el cálculo usa el array directamente) y ese array puede tener buffer. Lo
    que leen las demás líneas copiadas sale de la llamada."""
    created, dropped = {}, set()
    for index, kind, _ in rec.copied:
        if kind is None:
            created.clear()   # una macro, un return...: podría leer el .grad
        elif kind[0] == "crea":
            created[kind[1]] = index
        elif kind[1] in created:
            dropped |= {created.pop(kind[1]), index}
    for index, _, reads in rec.copied:
        if index in dropped:
            rec.lines[index] = None
        else:
            rec.mark_escaping(reads)


def _wrap_tensors(rec, tensors):
    """Los arrays de los tensores que ya existían (y de sus .grad), como ``Traced`` con la
    expresión que los lee en cada llamada (``e3._data``, ``e3._grad._data``)."""
    for name, t in tensors:
        for owner, expression in ((t, f"{name}._data"), (t._grad, f"{name}._grad._data")):
            if owner is not None and type(owner._data) is not Traced:
                owner._data = rec.wrap(owner._data, expression)


def _unwrap_tensors(tensors):
    """Cada tensor vuelve a tener su array de siempre (el mismo objeto: ``Traced._real``)."""
    for _, t in tensors:
        for owner in (t, t._grad):
            if owner is not None and type(owner._data) is Traced:
                owner._data = real(owner._data)


def _unwrap_result(result):
    if isinstance(result, Tensor) and type(result._data) is Traced:
        result._data = real(result._data)
    elif isinstance(result, (tuple, list)):
        for r in result:
            _unwrap_result(r)
    elif isinstance(result, dict):
        for r in result.values():
            _unwrap_result(r)
