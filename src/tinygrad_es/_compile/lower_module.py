"""La segunda pasada de un módulo compilado que se entrena (``modelo = torch.compile(modelo)``,
ver ``module_tape.py``).

Su forward y su backward son dos funciones que se llaman en momentos distintos: la segunda
llamada ejecuta ``adelante`` con arrays ``Traced`` y, cuando el motor llega a su nodo, ``atras``
con el gradiente que llega. Con lo apuntado en las dos se escriben dos funciones de NumPy:
``adelante`` devuelve la salida y los arrays del forward que usa el backward (en vez de un
``ctx`` por operación) y ``atras`` recibe el gradiente y esos arrays y devuelve el de cada
parámetro. Esos arrays, la salida y los gradientes no usan buffers (dos forwards seguidos antes
de un backward no se pisan); los intermedios de cada parte, sí. Si algo no se puede apuntar, el
módulo sigue con las funciones por operaciones.
"""
import ast

from .lower import define, environment, escaping, run, session
from .lowering import Lowering
from .traced import Traced, real


class ModuleLowering:
    """La pasada de una llamada: el forward al crearla, el backward cuando llegue."""

    def __init__(self, entry, tensors):
        forward, backward = ast.parse(entry.source).body
        self.entry, self.backward_body = entry, backward.body
        self.params = [a.arg for a in forward.args.args]
        self.tensors = list(entry.tracked) + list(zip(self.params, tensors))
        self.rec = Lowering(dict(entry.namespace))
        self.env = environment(entry.namespace, self.params, tensors)
        with session(self.rec, self.tensors):
            self.out, self.contexts = run(self.rec, forward.body, self.env, entry.opaque,
                                          self.tensors)
        self.split = len(self.rec.lines) - 1   # la última línea es el return
        self.done = False

    def output(self):
        return real(self.out) if type(self.out) is Traced else self.out

    def backward(self, grad, *contexts):
        """El backward de la llamada de la pasada (una vez); después, el de siempre."""
        rec = self.rec
        if self.done or rec.failure is not None:
            _plain_contexts(contexts)
            return self.entry.backward_tape(grad, *contexts)
        self.done = True
        rec.phase = "atras"
        self.env["g0"] = rec.wrap(grad, "g0")
        tracked = list(self.entry.tracked)
        with session(rec, tracked):
            grads = run(rec, self.backward_body, self.env, self.entry.opaque, tracked)
        _plain_contexts(contexts)
        if rec.failure is None and not all(type(g) is Traced for g in grads):
            rec.fail("un gradiente de un parámetro no sale de una cuenta apuntada")
        if rec.failure is None:
            try:
                self._install(grads)
            except Exception as exc:   # nunca romper el backward por la pasada
                rec.fail(f"error al escribir las funciones: {type(exc).__name__}: {exc}")
        if rec.failure is not None:
            self.entry.lowering_failure = rec.failure
        return tuple(real(g) if type(g) is Traced else g for g in grads)

    def _install(self, grads):
        rec, end = self.rec, len(self.rec.lines) - 1
        escaping(rec)
        saved = {}   # los arrays del forward que usa el backward (no los de los parámetros)
        for line in rec.lines[self.split + 1:end]:
            for part in (line[1] if line is not None else ()):
                array = getattr(part, "array", None)
                if (array is not None and array._phase == "adelante"
                        and not array._name.startswith("e")):
                    saved[id(array)] = array
        for index, _, reads in rec.copied:   # (las copiadas del backward, con su return)
            for value in (reads if index > self.split else ()):
                if type(value) is Traced and value._phase == "adelante":
                    saved.setdefault(id(value), value)
        saved = list(saved.values())
        rec.mark_escaping(saved)
        lines = rec.source_lines(0, self.split)
        names = "".join(f"{a._name}, " for a in saved)
        forward = (f"def adelante({', '.join(self.params)}):\n"
                   + "".join(f"    {line}\n" for line in lines)
                   + f"    return {self.out._name}, ({names})\n")
        for i, array in enumerate(saved):   # en atras se llaman p0, p1...
            array._name = f"p{i}"
        lines = rec.source_lines(self.split + 1, end)
        backward = (f"def atras(g0, {''.join(f'p{i}, ' for i in range(len(saved)))}):\n"
                    + "".join(f"    {line}\n" for line in lines)
                    + f"    return ({''.join(g._name + ', ' for g in grads)})\n")
        code = forward + "\n" + backward
        namespace = define(rec, code)
        self.entry.install(namespace["adelante"], namespace["atras"], code)


def _plain_contexts(contexts):
    """Los ctx de la pasada vuelven a tener arrays normales (para el backward de siempre)."""
    for node in contexts:
        node.saved = tuple(real(a) if type(a) is Traced else a for a in node.saved)
        for name, value in vars(node).items():
            if type(value) is Traced:
                setattr(node, name, real(value))
