"""Quien mira el backward, en un solo sitio: ganchos, ``retain_grad``, ``viz.registrar()``,
``autograd.grad`` (captura) y ``detect_anomaly``.

El motor pregunta una vez por ``backward()``: si nadie mira (``GradMode.watching`` resume
viz y anomalías; más ganchos y captura), el observador es ``None`` y el bucle no hace nada más. Si alguien mira, el motor lo avisa en tres momentos:
al llegar a un nodo con todo su gradiente (``on_node``), al llamar a su backward (``call``) y
al enviar un gradiente por una arista (``on_edge``).
"""
import numpy as np

from .anomaly import checked_backward
from .graph import AccumulateGrad, hooks_of


class Observer:
    def __init__(self, capture, recorder, anomaly, hooked):
        self.capture = capture     # autograd.grad: {nodo: gradiente}; no se escribe .grad
        self.recorder = recorder   # viz.registrar(): anota cada gradiente
        self.anomaly = anomaly     # detect_anomaly(): backward comprobado
        self.hooked = bool(hooked)  # hay ganchos (o retain_grad) registrados

    def on_backward_start(self, root, grad):
        if self.recorder is not None:
            self.recorder.on_backward_start(root, grad)

    def on_node(self, node, grad, owned, grads):
        """Un nodo con todo su gradiente, antes de su backward. Devuelve el gradiente que
        sigue (un gancho puede cambiarlo; ``None`` en una hoja si no hay que escribir .grad)."""
        if grad is None:
            return grad, owned
        if self.hooked:
            grad, owned = self._pre_hooks(node, grad, owned, grads)
            if node.__class__ is not AccumulateGrad and node.retained is not None \
                    and self.capture is None:   # retain_grad()
                tensor = node.retained()
                if tensor is not None:
                    grads.accumulate(tensor, grad, owned)
                    owned = False
        if self.recorder is not None:
            self.recorder.on_node(node, grad)
        if self.capture is not None:
            if node in self.capture:
                self.capture[node] = grads.keep(grad, owned)
                owned = False
            if type(node) is AccumulateGrad:   # autograd.grad no escribe .grad
                return None, False
        return grad, owned

    def call(self, node, grad, owned, retain_graph, grads):
        """El backward del nodo (comprobado en modo anomalía) y después sus ganchos de nodo."""
        if self.anomaly:
            in_grads, owners = checked_backward(
                node, grad, lambda n, g: grads.call(n, g, owned, retain_graph))
        else:
            in_grads, owners = grads.call(node, grad, owned, retain_graph)
        if self.hooked:
            for hook in list(node.__dict__.get("post_hooks") or ()):   # Node.register_hook
                result = hook(tuple(None if g is None else grads.to_user(g) for g in in_grads),
                              (grads.to_user(grad),))
                if result is not None:   # arrays del usuario: de nadie
                    in_grads = tuple(None if g is None else grads.unwrap(g) for g in result)
                    owners = [False] * len(in_grads)
        return in_grads, owners

    def on_edge(self, node, position, parent, g):
        if self.recorder is not None:
            self.recorder.on_edge(node, position, parent, g)

    @staticmethod
    def _pre_hooks(node, grad, owned, grads):
        """``Tensor.register_hook`` y ``Node.register_prehook``: pueden devolver otro gradiente."""
        for hook in list(hooks_of(node) or ()):
            result = hook(grads.to_user(grad))
            if result is not None:
                shape = tuple(getattr(result, "shape", None) or np.shape(result))
                if shape != tuple(grad.shape):
                    raise RuntimeError(
                        f"Un gancho de gradiente de {node.op_name} devolvió un gradiente de "
                        f"forma {shape}, pero debía tener la forma "
                        f"{tuple(grad.shape)}.")
                grad, owned = grads.from_user(result, grad)
        return grad, owned

