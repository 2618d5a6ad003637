"""La captura: apunta, mientras la primera llamada corre de forma normal, cada cálculo de NumPy.

Cada paso apuntado es una línea de Python que se repetirá tal cual (las mismas funciones, con
los mismos argumentos, en el mismo orden; por eso el resultado es idéntico bit a bit):

- ``s7 = f3(n3, s2, e0._data)``: el forward de una operación (``f3`` es ``op.forward`` y ``n3``
  su nodo de la captura, que hace de ``ctx``: guarda lo que necesita su backward);
- ``s9, s10 = b3(n3, s8)``: su backward; ``s11 = fit(...)``, ``s12 = add(...)``,
  ``acc(e0, s12, True)``: lo que hace el motor con cada gradiente (ver ``autograd/engine.py``);
- ``m4()``: una función entera (``optimizer.step()``, ``zero_grad()``...: ver ``_capture.py``);
- ``u5(e0._data, s12, out=e0._data, casting='same_kind')``: una escritura in situ.

Los nombres: ``sK`` son los arrays que se calculan dentro de la llamada (se rehacen en cada
repetición), ``eK`` los tensores que ya existían (parámetros, datos globales: se leen en cada
repetición, así se ven sus valores nuevos) y ``cK`` las constantes (escalares de Python,
nodos, funciones). Lo que no se puede apuntar (leer un valor con ``.item()``, un tensor creado
por un camino que nadie apunta, un gancho...) hace que la captura falle con un motivo en
español; la llamada termina igual, sin compilar.
"""
import gc

import numpy as np

from ..autograd import array_grads
from ..ops.base import sum_to_shape
from ..tensor import Tensor, _make


class CaptureFailed(Exception):
    """Lo que no se pudo apuntar (el motivo, en español, va en el mensaje)."""


class Tracer:
    """Los pasos de una llamada, como líneas de Python, y los objetos a los que se refieren."""

    def __init__(self):
        # los tensores que ya existían (y siguen vivos mientras dure la captura: así ningún
        # tensor nuevo puede tomar el id de uno de ellos)
        self._alive = [o for o in gc.get_objects() if issubclass(type(o), Tensor)]
        self._before = {id(t) for t in self._alive}
        self._grad_none = {id(t): t._grad is None for t in self._alive if t._requires_grad}
        self.backwarded = set()   # nodos por los que pasó un backward durante la captura
        self._slots = {}        # id(array) -> nombre del array calculado dentro (sK)
        self._keep = []         # los arrays apuntados, vivos mientras dure la captura
        self._external = {}     # id(tensor) -> nombre (eK)
        self._consts = {}       # id(objeto) -> nombre (cK)
        self._grad_of = {}      # id(tensor .grad creado dentro) -> nombre del dueño (eK)
        self._alias = {}        # id(t.data o t.detach()) -> t (comparten memoria)
        self._args = {}         # id(tensor argumento) -> nombre (tK)
        self._created = set()   # id de los nodos creados durante la captura
        self.namespace = {}     # nombre -> objeto, para exec
        self.lines = []
        self.inputs = []        # nombres de los arrays de los tensores argumento (aK)
        self.failure = None
        self._inside = 0        # >0 dentro de un paso entero (macro): no se apunta lo de dentro
        self._expected = None   # el tensor cuya escritura in situ ya se apuntó
        self.collect_leaves = False   # ver module_tape.py: el backward de un módulo aparte
        self.forward_lines = None
        self.opaque = set()     # los nombres de las funciones que se repiten enteras (macros)

    # --- nombres -----------------------------------------------------------------------
    def _name(self, prefix, obj, table):
        name = table.get(id(obj))
        if name is None:
            name = f"{prefix}{len(self.namespace)}"
            table[id(obj)] = name
            self.namespace[name] = obj
            self._keep.append(obj)
        return name

    def const(self, obj):
        return self._name("c", obj, self._consts)

    def new_slot(self, array):
        name = f"s{len(self._keep)}"
        self._keep.append(array)
        self._slots[id(array)] = name
        return name

    def argument(self, tensor):
        """Un tensor argumento: ``tK`` es el objeto de cada llamada y ``aK`` sus datos."""
        k = len(self.inputs)
        self.inputs.append(f"t{k}")
        self._args[id(tensor)] = f"t{k}"
        self._keep += [tensor, tensor._data]
        self._slots[id(tensor._data)] = f"a{k}"
        self.lines.append(f"a{k} = t{k}._data")

    def external(self, tensor):
        """El nombre de un tensor que ya existía: ``tK`` si es un argumento (el de cada
        llamada), ``eK`` si no (el mismo objeto siempre: un parámetro, un dato global)."""
        return self._args.get(id(tensor)) or self._name("e", tensor, self._external)

    def grad_was_none(self, tensor):
        """¿No tenía ``.grad`` el tensor al empezar la llamada?"""
        return self._grad_none.get(id(tensor), tensor._grad is None)

    def external_names(self):
        return [(name, self.namespace[name]) for name in self._external.values()]

    # --- de objeto a expresión ---------------------------------------------------------
    def tensor_expr(self, t):
        """La expresión que da, en cada repetición, los datos del tensor ``t``."""
        name = self._slots.get(id(t._data))
        if name is not None:
            return name
        owner = self._grad_of.get(id(t))
        if owner is not None:
            return f"{owner}._grad._data"
        source = self._alias.get(id(t))
        if source is not None:
            return self.tensor_expr(source)
        if id(t) in self._before:
            return f"{self.external(t)}._data"
        raise CaptureFailed(
            f"un tensor de forma {tuple(t.shape)} se creó dentro de la llamada por un camino "
            "que compile no sabe repetir (una función de creación como torch.zeros o "
            "torch.randn, o torch.tensor(...) de datos de NumPy). Créalo fuera de la función "
            "compilada y pásalo como argumento")

    def value_expr(self, value, objects=False):
        """Un argumento: array, tensor, escalar, tupla... Con ``objects`` los tensores se pasan
        como objetos (a una función entera); si no, sus datos (a una operación)."""
        if isinstance(value, Tensor):
            if not objects:
                return self.tensor_expr(value)
            if id(value) in self._before:
                return self.external(value)
            return f"{self.const(_make)}({self.tensor_expr(value)})"
        if isinstance(value, np.ndarray):
            name = self._slots.get(id(value))
            if name is not None:
                return name
            if value.ndim == 0:
                return self.const(value)
            raise CaptureFailed(
                f"un array de NumPy de forma {value.shape} se calculó fuera de una operación "
                "de tinygrad_es y compile no sabe de dónde sale")
        if isinstance(value, (tuple, list)):
            inner = "".join(self.value_expr(v, objects) + ", " for v in value)
            return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
        if isinstance(value, dict):
            return "{" + "".join(f"{k!r}: {self.value_expr(v, objects)}, "
                                 for k, v in value.items()) + "}"
        if value is None or isinstance(value, (bool, int, str)):
            return repr(value)
        return self.const(value)

    def call_expr(self, function, args, kwargs, objects=False):
        parts = [self.value_expr(a, objects) for a in args]
        parts += [f"{k}={self.value_expr(v, objects)}" for k, v in kwargs.items()]
        return f"{self.const(function)}({', '.join(parts)})"

    def emit(self, expression, result=None):
        """Una línea ``destinos = expresión``; los destinos son nombres nuevos para lo que
        devolvió el paso (arrays, tensores o tuplas de ellos; ``_`` lo que no se sigue)."""
        after = []

        def target(value):
            if isinstance(value, (np.ndarray, np.generic)):
                return self.new_slot(value)
            if isinstance(value, Tensor):
                name = self.new_slot(value._data)
                after.append(f"{name} = {name}_t._data")
                return f"{name}_t"
            if isinstance(value, tuple):
                return "(" + "".join(target(v) + ", " for v in value) + ")"
            return "_"
        targets = target(result)
        self.lines.append(expression if targets == "_" else f"{targets} = {expression}")
        self.lines.extend(after)

    def fail(self, reason):
        if self.failure is None:
            self.failure = reason

    def _guarded(self, record):
        """Ejecuta ``record()`` y convierte lo que no se pudo apuntar en un fallo con motivo."""
        if self._inside or self.failure is not None:
            return
        try:
            record()
        except CaptureFailed as exc:
            self.fail(str(exc))

    # --- lo que llaman los ganchos -----------------------------------------------------
    def forward(self, node, inputs, arrays, kwargs, raw, out):
        self._created.add(id(node))
        self._keep.append(node)

        def record():
            args = [x if isinstance(x, Tensor) else a for x, a in zip(inputs, arrays)]
            call = self.call_expr(node.op.forward, [node] + args, kwargs)
            if out is raw:
                self.emit(call, out)
            else:   # NumPy dio un escalar: como _apply, a array 0-d
                self.emit(f"{self.const(np.asarray)}({call})", out)
        self._guarded(record)

    def macro(self, fn, args, kwargs):
        """``fn`` entera, como un paso (lo que hace por dentro no se apunta)."""
        args = tuple(list(a) if hasattr(a, "__next__") else a for a in args)   # generadores
        if self._inside or self.failure is not None:
            return fn(*args, **kwargs)
        self._inside += 1
        try:
            result = fn(*args, **kwargs)
        finally:
            self._inside -= 1
        followed = result if isinstance(result, (Tensor, np.ndarray, tuple)) else None
        self.opaque.add(self.const(fn))
        self._guarded(lambda: self.emit(self.call_expr(fn, args, kwargs, objects=True), followed))
        return result

    def inplace(self, tensor, ufunc, value):
        def record():
            target = self.tensor_expr(tensor)
            value_data = value._data if isinstance(value, Tensor) else value
            if ufunc is None:
                self.lines.append(f"{target}[...] = {self.value_expr(value_data)}")
            else:
                self.lines.append(f"{self.const(ufunc)}({target}, {self.value_expr(value)}, "
                                  f"out={target}, casting='same_kind')")
            self._expected = tensor
        self._guarded(record)

    def mutation(self, tensor):
        if self._inside or self._expected is tensor:
            self._expected = None
            return
        self.fail("un tensor se modificó en su memoria por un camino que compile no sabe "
                  "repetir (una operación in situ sobre una vista o sobre algo que requiere "
                  "gradiente, una asignación t[i] = ...)")

    def set_grad(self, tensor, value):
        def record():
            if id(tensor) not in self._before or value is not None:
                raise CaptureFailed("dentro de la función solo se puede borrar (p.grad = None) "
                                    "el gradiente de un tensor que ya existía antes")
            self.lines.append(f"{self.external(tensor)}._grad = None")
        self._guarded(record)

    def constant(self, array):
        self._slots[id(array)] = self.const(array)

    def alias(self, new, tensor):
        self._alias[id(new)] = tensor
        self._keep.append(new)

    def read(self, tensor, how):
        if not self._inside:
            self.fail(f"se leyó el valor de un tensor desde Python ({how}): lo que haga la "
                      "función con ese valor no se puede repetir sin volver a ejecutarla. "
                      "Haz esa lectura fuera de la función compilada, con lo que devuelve")

    def fresh(self, array):
        """Un array nuevo de valor fijo (los unos con que empieza backward())."""
        self._guarded(lambda: self.emit(f"{self.const(array.copy())}.copy()", array))

    def backward_grads(self, grads, observer):
        """Las funciones de gradientes del motor, apuntando. Si hay observador solo porque hay
        ganchos registrados en algún tensor, se sigue: fallará si alguno se ejecuta aquí."""
        if grads is not array_grads or (observer is not None and (
                observer.capture is not None or observer.recorder is not None
                or observer.anomaly)):
            self.fail("un backward con create_graph, inputs=, autograd.grad, detect_anomaly o "
                      "viz no se puede capturar")
            return grads
        return _RecordingGrads(self)


class _RecordingGrads:
    """Las cuatro funciones de ``array_grads`` que usa el motor: cada llamada se hace y se
    apunta ya resuelta para las formas de esta captura (las mismas llamadas de NumPy que haría
    el motor, sin sus comprobaciones)."""

    def __init__(self, tracer):
        self.tracer = tracer

    def call(self, node, grad, owned, retain_graph):
        tracer = self.tracer
        raw = node.op.backward(node, grad)
        in_grads, owners = array_grads.call(node, grad, owned, True, raw)
        tracer.backwarded.add(node)
        if id(node) not in tracer._created:
            tracer.fail(f"el backward sigue por {node.name()}, una operación de antes de la "
                        "llamada (un argumento con grafo): compila también lo de antes, o "
                        "pásale el argumento con .detach()")
        tracer._guarded(lambda: tracer.emit(
            tracer.call_expr(node.op.backward, (node, grad), {}),
            raw if type(raw) is tuple else raw))
        if not retain_graph:
            array_grads.release(node)
        return in_grads, owners

    def fit(self, node, position, parent, g, owned):
        tracer = self.tracer
        result = array_grads.fit(node, position, parent, g, owned)

        def record():
            expression = tracer.value_expr(g)
            if type(g) is not np.ndarray:
                expression = f"{tracer.const(np.asarray)}({expression})"
            if np.shape(g) != parent.shape:
                expression = f"{tracer.const(sum_to_shape)}({expression}, {parent.shape!r})"
            if np.asarray(g).dtype != parent.dtype:
                expression = f"{expression}.astype({tracer.const(parent.dtype)})"
            tracer.emit(expression, result[0])
        tracer._guarded(record)
        return result

    def add(self, previous, g, g_owned):
        tracer = self.tracer
        (prev, prev_owned), result = previous, array_grads.add(previous, g, g_owned)

        def record():
            if prev_owned and prev is not g:   # array_grads.add: en su sitio
                tracer.lines.append(f"{tracer.value_expr(prev)} += {tracer.value_expr(g)}")
                tracer.emit(tracer.value_expr(prev), result[0])
            else:
                tracer.emit(f"{tracer.value_expr(prev)} + {tracer.value_expr(g)}", result[0])
        tracer._guarded(record)
        return result

    def to_user(self, grad):   # un gancho del usuario va a recibir este gradiente
        self.tracer.fail("un gancho de gradiente (register_hook o retain_grad) se ejecuta "
                         "dentro del backward: lo que hace no se puede repetir")
        return array_grads.to_user(grad)

    unwrap, from_user = staticmethod(array_grads.unwrap), staticmethod(array_grads.from_user)

    def accumulate(self, tensor, grad, owned):
        tracer = self.tracer
        if tracer.collect_leaves:   # el backward de un módulo compilado: se devuelve, no se suma
            tracer._guarded(lambda: tracer.leaf_gradient(tensor, grad))
            return
        current = tensor._grad
        array_grads.accumulate(tensor, grad, owned)

        def record():
            if id(tensor) not in tracer._before:
                raise CaptureFailed("el gradiente se guarda en un tensor creado dentro de la "
                                    "llamada (retain_grad(), o parámetros creados dentro): "
                                    "crea los parámetros fuera de la función")
            name, value = tracer.external(tensor), tracer.value_expr(grad)
            if current is not None:   # array_grads.accumulate, escrito para esta captura
                tracer.lines.append(f"{name}._grad._data += {value}")
            elif owned and grad.flags.writeable:
                tracer.lines.append(f"{name}._grad = {tracer.const(_make)}({value})")
            else:
                tracer.lines.append(f"{name}._grad = {tracer.const(_make)}({value}.copy())")
            tracer._grad_of[id(tensor._grad)] = name
        tracer._guarded(record)
