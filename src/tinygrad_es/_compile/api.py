"""``tinygrad_es.compile``: el nombre y el contrato de ``torch.compile``, hecho con una cinta.

La primera llamada con unas entradas dadas (formas, dtypes, requires_grad, modo gradiente) se
ejecuta de forma normal mientras ``tracer.py`` apunta cada cálculo de NumPy: el forward, el
backward que haga la función y el paso del optimizador. Con esos pasos se escribe una función
de Python (``CompiledFunction.code`` la enseña) que las llamadas siguientes ejecutan sin crear
Tensores ni nodos del grafo: las mismas funciones de NumPy en el mismo orden, así que los
resultados son idénticos bit a bit a los de la ejecución normal.

Un ``nn.Module`` compilado que se entrena se captura en dos funciones (forward y backward,
ver ``module_tape.py``). Se vuelve a capturar cuando cambian las entradas, el modo gradiente,
``train()``/``eval()``, los parámetros de un módulo (uno nuevo, o uno que cambia de forma o de ``requires_grad``), si
un parámetro pasa a tener o no ``.grad``, o si cambia un nombre global o de clausura que usa la
función. Si algo no se puede capturar (ver ``tracer.py``) se avisa en español y esa función
sigue sin compilar, con los mismos resultados.
"""
import builtins
import threading
import warnings

from ..autograd.graph import per_thread
from ..errors import user_stacklevel
from ..nn.module import Module
from ..tensor import Tensor
from .. import _capture
from .lower import lower
from .module_tape import ModuleEntry, ModuleTracer
from .tracer import CaptureFailed, Tracer

CACHE_SIZE_LIMIT = 8   # capturas por función, como torch._dynamo.config.cache_size_limit
_EAGER = "sin compilar"


def compile(model=None, *, fullgraph=False, dynamic=None, backend=None, mode=None, options=None,
            name=None, disable=False, recompile_limit=None, isolate_recompiles=False,
            shapes_spec=None):
    """Compila ``model`` (una función o un ``nn.Module``) como ``torch.compile``.

    Uso: ``paso = torch.compile(paso)``, ``@torch.compile`` o ``modelo = torch.compile(modelo)``.
    Compila sobre todo el paso de entrenamiento entero (forward, ``backward()`` y
    ``optimizer.step()`` dentro de la función): así las llamadas siguientes no crean ni un
    Tensor. Un módulo compilado que se entrena (``modelo = torch.compile(modelo)``) captura su
    forward y, aparte, su backward: la salida lleva un solo nodo (ver ``module_tape.py``).
    ``fullgraph=True`` convierte el aviso de «no se pudo capturar» en un error;
    ``disable=True`` devuelve ``model`` tal cual; ``recompile_limit`` (8 por defecto, como
    PyTorch) es cuántas capturas se hacen con unas mismas entradas antes de dejar de compilar;
    ``name`` es el nombre en los avisos. ``backend``, ``mode``, ``options``, ``dynamic`` y
    ``shapes_spec`` se aceptan por compatibilidad y no cambian nada (hay una sola forma de
    compilar: cada forma de entrada es una captura); cada llamada a ``compile`` tiene ya sus
    propias capturas (``isolate_recompiles``). Ver ``docs/compilar.md``.
    """
    if model is None:   # @torch.compile(fullgraph=True)
        return lambda fn: compile(fn, fullgraph=fullgraph, name=name, disable=disable,
                                  recompile_limit=recompile_limit)
    if disable:
        return model
    limit = CACHE_SIZE_LIMIT if recompile_limit is None else int(recompile_limit)
    if isinstance(model, Module):
        return OptimizedModule(model, fullgraph, limit, name)
    if not callable(model):
        raise TypeError(f"compile espera una función o un nn.Module, pero recibió "
                        f"{type(model).__name__}.")
    return CompiledFunction(model, fullgraph, limit, name)


class CompiledFunction:
    """Una función con sus capturas (una por firma de entradas); se llama como la original."""

    def __init__(self, fn, fullgraph=False, limit=CACHE_SIZE_LIMIT, name=None):
        self.fn = fn
        self.fullgraph = fullgraph
        self.limit = limit
        self._cache = {}   # firma -> [Captura] o _EAGER
        self._lock = threading.Lock()
        self.__wrapped__ = fn
        self.__name__ = name or getattr(fn, "__name__", type(fn).__name__)
        self.__doc__ = getattr(fn, "__doc__", None)

    def __call__(self, *args, **kwargs):
        mode = per_thread.mode
        if mode._capture is not None:   # dentro de otra captura: se apunta lo de dentro
            return self.fn(*args, **kwargs)
        if args or kwargs:
            key = _signature(args, kwargs, mode.enabled)
            tensors = _tensor_arguments(args, kwargs)
        else:   # sin argumentos (el paso que lee sus tensores de fuera): la firma es el modo
            key, tensors = mode.enabled, ()
        entries = self._cache.get(key)
        if entries is _EAGER:
            return self.fn(*args, **kwargs)
        if entries:
            for entry in entries:
                if entry.valid():
                    with self._lock:   # la primera repetición usa los ctx: un hilo cada vez
                        return entry.run(tensors)
        return self._capture(key, args, kwargs, entries or [])

    @property
    def code(self):
        """El código de Python de la última captura (lo que ejecuta cada llamada)."""
        entry = self._last_entry()
        return entry.source if entry is not None else None

    @property
    def lowering_failure(self):
        """Por qué la última captura no pasó a solo NumPy en su segunda llamada (None si pasó
        o si aún no se ha repetido)."""
        entry = self._last_entry()
        return getattr(entry, "lowering_failure", None)

    def _last_entry(self):
        for entries in reversed(list(self._cache.values())):
            if entries is not _EAGER and entries:
                return entries[-1]
        return None

    def _capture(self, key, args, kwargs, entries):
        if len(entries) >= self.limit:
            self._give_up(key, f"se capturó {self.limit} veces con estas entradas (algo "
                               "cambia en cada llamada: recompile_limit)")
            return self.fn(*args, **kwargs)
        mode = per_thread.mode
        training = isinstance(self.fn, Module) and mode.enabled   # ver module_tape.py
        tracer = ModuleTracer() if training else Tracer()
        guards = _Guards(self.fn)
        tensors = _tensor_arguments(args, kwargs)
        for t in tensors:
            tracer.argument(t)
            if training and t._requires_grad:
                tracer.fail("una entrada del módulo compilado requiere gradiente (su backward "
                            "seguiría fuera del módulo): compila la función entera")
        mode.capture = tracer
        try:
            result = self.fn(*args, **kwargs)
            if (training and tracer.failure is None and isinstance(result, Tensor)
                    and result._requires_grad and result.grad_fn is not None):
                tracer.record_backward(result)
        finally:
            mode.capture = None
        if tracer.failure is None:
            try:
                entry = (ModuleEntry(tracer, result, _namespace(tracer))
                         if tracer.forward_lines is not None else _Entry(tracer, guards, result))
                if tracer.forward_lines is not None:
                    guards.build(entry.tracked, tracer)
                    entry.valid = guards.hold
            except CaptureFailed as exc:
                tracer.fail(str(exc))
        if tracer.failure is not None:
            self._give_up(key, tracer.failure)
            return result
        entries.append(entry)
        self._cache[key] = entries
        return result

    def _give_up(self, key, reason):
        self._cache[key] = _EAGER
        message = (f"tinygrad_es.compile no pudo capturar {self.__name__}: {reason}. Se "
                   "ejecuta sin compilar (mismos resultados, sin la aceleración).")
        if self.fullgraph:
            raise RuntimeError(message + " (fullgraph=True no lo permite)")
        warnings.warn(message, UserWarning, stacklevel=user_stacklevel())


class OptimizedModule(Module):
    """Lo que devuelve ``compile(modulo)``: el módulo original en ``_orig_mod`` (como PyTorch,
    también en las claves de ``state_dict``) y su llamada compilada."""

    def __init__(self, mod, fullgraph=False, limit=CACHE_SIZE_LIMIT, name=None):
        super().__init__()
        self._orig_mod = mod
        object.__setattr__(self, "_compiled_call", CompiledFunction(
            mod, fullgraph, limit, name or type(mod).__name__))

    def forward(self, *args, **kwargs):
        return self._compiled_call(*args, **kwargs)

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self.__dict__["_modules"]["_orig_mod"], name)


class _Entry:
    """Una captura: la función de repetición generada y las condiciones en que vale.

    La primera repetición es la segunda pasada (``lower.py``): si se puede, las siguientes
    ejecutan solo las llamadas de NumPy (``source`` pasa a ser ese código; el de la captura
    por operaciones queda en ``op_source``); si no, la función por operaciones
    (``lowering_failure`` dice por qué)."""

    def __init__(self, tracer, guards, result):
        returned = tracer.value_expr(_check_result(result, tracer.backwarded), objects=True)
        body = "\n".join("    " + line for line in tracer.lines) or "    pass"
        self.source = self.op_source = (f"def repetir({', '.join(tracer.inputs)}):\n{body}\n"
                                        f"    return {returned}\n")
        self._namespace = _namespace(tracer)(self.source)
        self.replay = self._namespace["repetir"]
        self._opaque, self._tracked = tracer.opaque, tracer.external_names()
        self.lowering_failure = None
        self._lowered = False
        guards.build(self._tracked, tracer)
        self.valid = guards.hold

    def run(self, tensors):
        if self._lowered:
            return self.replay(*tensors)
        self._lowered = True
        result, replay, info = lower(self.op_source, self._namespace, self._opaque,
                                     self._tracked, tensors)
        if replay is None:
            self.lowering_failure = info
        else:   # (los ctx de la captura guardan arrays de la pasada: ya no hacen falta)
            self.replay, self.source, self._namespace = replay, info, None
        return result


def _namespace(tracer):
    """Ejecuta el código generado con los objetos de la captura y devuelve sus nombres."""
    def run(source):
        namespace = dict(tracer.namespace)
        exec(builtins.compile(source, "<tinygrad_es.compile>", "exec"), namespace)
        return namespace
    return run


class _Guards:
    """Lo que debe seguir igual para repetir una captura: una función generada, como la de
    repetición, que lo comprueba en cada llamada con comparaciones directas."""

    def __init__(self, fn):
        self.structure = _capture.Structure.version
        self.names = _names_used(fn)   # [(dict o celda, clave, objeto)]
        self.hold = None

    def build(self, externals, tracer):
        checks = [f"structure.version == {self.structure}"]
        namespace = {"structure": _capture.Structure}
        for i, (container, key, obj) in enumerate(self.names):
            namespace[f"d{i}"], namespace[f"o{i}"] = container, obj
            read = f"d{i}[{key!r}]" if key is not None else f"d{i}.cell_contents"
            checks.append(f"{read} is o{i}")
        for i, (_, t) in enumerate(externals):
            namespace[f"t{i}"], namespace[f"k{i}"] = t, t._data.dtype
            none = "is" if tracer.grad_was_none(t) else "is not"
            checks += [f"(a := t{i}._data).shape == {t._data.shape!r}", f"a.dtype is k{i}",
                       f"a.strides == {t._data.strides!r}",   # las vistas de lowering.py
                       f"t{i}._requires_grad is {t._requires_grad}", f"t{i}._grad {none} None"]
        self.source = ("def vale():\n    try:\n        return ("
                       + "\n                and ".join(checks)
                       + ")\n    except (KeyError, ValueError):   # un nombre borrado, una celda "
                       "vacía\n        return False\n")
        exec(builtins.compile(self.source, "<tinygrad_es.compile: guardas>", "exec"), namespace)
        self.hold = namespace["vale"]


def _names_used(fn):
    """Los nombres globales y de clausura que lee ``fn`` (si cambian, se vuelve a capturar)."""
    function = getattr(fn, "__func__", fn)
    code = getattr(function, "__code__", None)
    if code is None:
        return []
    names = []
    globals_ = function.__globals__
    for name in code.co_names:
        if name in globals_:
            names.append((globals_, name, globals_[name]))
    for cell in function.__closure__ or ():
        try:
            names.append((cell, None, cell.cell_contents))
        except ValueError:   # celda vacía todavía
            pass
    return names


def _signature(args, kwargs, grad_enabled):
    return (grad_enabled, tuple(_key(a) for a in args),
            tuple((k, _key(v)) for k, v in kwargs.items()))


def _key(value):
    if isinstance(value, Tensor):   # (si ya tiene .grad, la captura suma en él en vez de crearlo)
        data = value._data
        return (data.shape, data.strides, data.dtype, value._requires_grad,
                value.grad_fn is None, value._grad is None)
    if isinstance(value, (tuple, list)):
        return (type(value), tuple(_key(v) for v in value))
    try:
        hash(value)
    except TypeError:
        return (type(value), id(value))
    return (type(value), value) if not isinstance(value, (Module,)) else (type(value), id(value))


def _tensor_arguments(args, kwargs):
    found = []

    def walk(value):
        if isinstance(value, Tensor):
            found.append(value)
        elif isinstance(value, (tuple, list)):
            for v in value:
                walk(v)
    for a in args:
        walk(a)
    for v in kwargs.values():
        walk(v)
    return found


def _check_result(result, backwarded):
    """Lo que devuelve la función: tensores sin grafo pendiente, números fijos, tuplas..."""
    if isinstance(result, Tensor):
        if result._requires_grad and result.grad_fn not in backwarded:
            raise CaptureFailed(
                "devuelve un tensor que todavía necesita gradiente (su backward se haría "
                "fuera de la función). Compila el paso de entrenamiento entero: forward, "
                "loss.backward() y optimizer.step() dentro de la función")
        return result
    if isinstance(result, (tuple, list)):
        for r in result:
            _check_result(r, backwarded)
        return result
    if isinstance(result, dict):
        for r in result.values():
            _check_result(r, backwarded)
    return result
