"""Un ``nn.Module`` compilado que se entrena: el forward y su backward, capturados aparte.

``compile(modelo)`` y después ``perdida = criterio(modelo(x), y); perdida.backward()`` fuera: el
backward del modelo ocurre después de la llamada, con el gradiente que llegue. Por eso aquí se
generan dos funciones:

- ``adelante(a0, ...)``: el forward, con un ``ctx`` nuevo por operación en cada llamada (dos
  forwards seguidos antes de un backward no se pisan lo que guardan);
- ``atras(g0, n3, n4, ...)``: el backward desde el gradiente de la salida ``g0`` con esos ``ctx``;
  devuelve el gradiente de cada parámetro (lo que el motor sumaría en ``.grad``).

La salida de cada llamada es un Tensor cuyo ``grad_fn`` es un solo nodo,
``CompiledFunctionBackward`` (el nombre de PyTorch), con los parámetros como padres: el motor
normal lo recorre y suma los gradientes en ``.grad`` como siempre. Para capturar ``atras``, la
primera llamada hace un backward de prueba (con ``retain_graph``: el grafo de esa llamada sigue
sirviendo) que no escribe en ningún ``.grad``. La segunda llamada hace la segunda pasada de las
dos funciones (``lower_module.py``): desde la tercera, solo llamadas de NumPy.
"""
import numpy as np

from ..autograd.engine import run_backward
from ..autograd.graph import Node
from ..tensor import _make
from .lower_module import ModuleLowering
from .tracer import CaptureFailed, Tracer


class ModuleTracer(Tracer):
    """Como ``Tracer``, con nodos nuevos en cada forward y el backward aparte."""

    def __init__(self):
        super().__init__()
        self._nodes = {}          # id(nodo del forward capturado) -> nombre (nK)
        self.leaves = {}          # id(hoja) -> [hoja, nombre de su gradiente (lK)]

    def const(self, obj):
        name = self._nodes.get(id(obj))
        return name if name is not None else super().const(obj)

    def forward(self, node, inputs, arrays, kwargs, raw, out):
        if not self._inside and self.failure is None and self.forward_lines is None:
            name = f"n{len(self._keep)}"   # (el nodo lo guarda Tracer.forward)
            self.lines.append(f"{name} = {super().const(Node)}({super().const(node.op)}, "
                              f"{node.needs_input_grad!r}, None)")
            self._nodes[id(node)] = name
        super().forward(node, inputs, arrays, kwargs, raw, out)

    def record_backward(self, output):
        """El backward de prueba desde ``output`` (gradiente de unos, que no es «propio»: la
        repetición nunca escribe en el gradiente que le llega)."""
        self.forward_lines, self.lines = self.lines, []
        seed = np.ones(output._data.shape, output._data.dtype)
        self._keep.append(seed)
        self._slots[id(seed)] = "g0"
        self.collect_leaves = True
        try:
            run_backward(output.grad_fn, seed, retain_graph=True, owned=False)
        finally:
            self.collect_leaves = False

    def leaf_gradient(self, tensor, grad):
        if id(tensor) not in self._before:
            raise CaptureFailed("el gradiente llega a un tensor creado dentro de la llamada")
        value = self.value_expr(grad)
        entry = self.leaves.get(id(tensor))
        if entry is None:
            entry = self.leaves[id(tensor)] = [tensor, f"l{len(self._keep)}"]
            self._keep.append(tensor)
            self.lines.append(f"{entry[1]} = {value}")
        else:   # como array_grads.accumulate: lo que ya había más lo nuevo
            self.lines.append(f"{entry[1]} = {entry[1]} + {value}")


class CompiledFunction:
    """El nodo de la salida: su backward es ``atras`` con los ``ctx`` de su forward."""

    torch_name = "CompiledFunctionBackward"
    rule = "el backward capturado del módulo compilado"
    rule_latex = r"\text{el backward capturado del módulo compilado}"

    @staticmethod
    def backward(ctx, grad):
        return ctx.backward_tape(grad, *ctx.saved)


class ModuleEntry:
    """Una captura de un módulo que se entrena: ``adelante``, ``atras`` y sus parámetros."""

    def __init__(self, tracer, result, namespace_of):
        if not result._requires_grad or result.grad_fn is None:
            raise CaptureFailed("la salida no necesita gradiente")
        nodes = list(tracer._nodes.values())
        forward_body = "\n".join("    " + line for line in tracer.forward_lines)
        out = tracer.value_expr(result)
        self.leaves = [tensor for tensor, _ in tracer.leaves.values()]
        grads = "".join(f"{name}, " for _, name in tracer.leaves.values())
        backward_body = "\n".join("    " + line for line in tracer.lines) or "    pass"
        self.source = (f"def adelante({', '.join(tracer.inputs)}):\n{forward_body}\n"
                       f"    return {out}, ({''.join(n + ', ' for n in nodes)})\n\n"
                       f"def atras(g0, {', '.join(nodes)}):\n{backward_body}\n"
                       f"    return ({grads})\n")
        self.namespace = namespace_of(self.source)
        self.forward, self.backward_tape = self.namespace["adelante"], self.namespace["atras"]
        self.needs = tuple(True for _ in self.leaves)
        self.opaque, self.tracked = tracer.opaque, tracer.external_names()
        self.lowering, self.lowering_failure = None, None   # ver lower_module.py

    def install(self, forward, backward, code):
        """Las funciones de NumPy de la segunda pasada: las usan las llamadas siguientes."""
        self.forward, self.backward_tape, self.source = forward, backward, code
        self.lowering, self.namespace = "hecha", None

    def run(self, tensors):
        tape = self.backward_tape
        if self.lowering is None:   # la segunda llamada: la pasada (su backward, al llegar)
            self.lowering = ModuleLowering(self, tensors)
            out, contexts, tape = (self.lowering.output(), self.lowering.contexts,
                                   self.lowering.backward)
        else:
            out, contexts = self.forward(*tensors)
        node = Node(CompiledFunction, self.needs, None)
        node.parents = tuple(t.grad_fn if t.grad_fn is not None else t._grad_accumulator()
                             for t in self.leaves)
        node.saved = contexts
        node.backward_tape = tape
        node.shape, node.dtype = out.shape, out.dtype
        return _make(out, True, node)
