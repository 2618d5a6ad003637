"""``autograd.functional``: jacobian, hessian, vjp, jvp, hvp y vhp, como en PyTorch.

Todas se construyen con ``autograd.grad`` (modo inverso); las de segundo orden y ``jvp`` (con
el truco de los dos vjp) usan ``create_graph=True``. Las entradas se copian separadas del grafo
del usuario, como hace PyTorch, así que sus ``.grad`` no cambian.
"""
import numpy as np

from ..tensor import Tensor
from .functional_grad import grad as _grad
from .grad_mode import enable_grad


def _as_tuple(x, name):
    is_tuple = isinstance(x, (tuple, list))
    items = tuple(x) if is_tuple else (x,)
    for i, t in enumerate(items):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"{name}: el elemento {i} es de tipo {type(t).__name__}, y debe ser un Tensor "
                "(las funciones de autograd.functional trabajan con tensores).")
    return is_tuple, items


def _prepare(inputs, create_graph):
    """Copias de las entradas que requieren gradiente (vistas si create_graph, como PyTorch)."""
    return tuple(t.view_as(t) if create_graph and t.requires_grad else
                 t.detach().requires_grad_(t.dtype.kind in "fc") for t in inputs)


def _outputs(func, inputs, name):
    with enable_grad():
        out = func(*inputs)
    return _as_tuple(out, f"{name} (salida de func)")


def _fill(grads, like):
    """None -> ceros (una entrada que no influye: su gradiente es 0, como PyTorch)."""
    return tuple(g if g is not None else Tensor._wrap(np.zeros(t.shape, dtype=t.dtype))
                 for g, t in zip(grads, like))


def _finish(values, create_graph):
    return tuple(v if create_graph else v.detach() for v in values)


def _pack(is_tuple, items):
    return tuple(items) if is_tuple else items[0]


def _check_v(v, outputs, name, what="salida"):
    if v is None:
        if any(o.numel() != 1 for o in outputs):
            raise RuntimeError(
                f"{name}: la {what} no es un escalar (formas "
                f"{[tuple(o.shape) for o in outputs]}), así que hay que pasar v.")
        return tuple(Tensor._wrap(np.ones(o.shape, dtype=o.dtype)) for o in outputs)
    _, vs = _as_tuple(v, f"{name} (v)")
    if len(vs) != len(outputs) or any(tuple(a.shape) != tuple(b.shape)
                                       for a, b in zip(vs, outputs)):
        raise RuntimeError(
            f"{name}: v debe tener la forma de la {what}: {[tuple(o.shape) for o in outputs]}, "
            f"y tiene {[tuple(a.shape) for a in vs]}.")
    return vs


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """``(salida, vᵀ·J)``: el producto vector-jacobiano."""
    in_tuple, ins = _as_tuple(inputs, "vjp")
    ins = _prepare(ins, create_graph)
    out_tuple, outs = _outputs(func, ins, "vjp")
    vs = _check_v(v, outs, "vjp")
    grads = _grad(outs, ins, vs, create_graph=create_graph, allow_unused=True)
    return (_pack(out_tuple, _finish(outs, create_graph)),
            _pack(in_tuple, _finish(_fill(grads, ins), create_graph)))


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(salida, J·v)``: el producto jacobiano-vector (con el truco de los dos vjp)."""
    in_tuple, ins = _as_tuple(inputs, "jvp")
    ins = _prepare(ins, create_graph)
    vs = _check_v(v, ins, "jvp", what="entrada")
    out_tuple, outs = _outputs(func, ins, "jvp")
    with enable_grad():
        us = tuple(Tensor._wrap(np.zeros(o.shape, dtype=o.dtype)).requires_grad_() for o in outs)
        g = _fill(_grad(outs, ins, us, create_graph=True, allow_unused=True), ins)
        g = [x for x in g if x.requires_grad]
        result = _grad(g, us, vs[:len(g)], create_graph=create_graph, allow_unused=True) \
            if g else (None,) * len(us)
    return (_pack(out_tuple, _finish(outs, create_graph)),
            _pack(out_tuple, _finish(_fill(result, outs), create_graph)))


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """Jacobiano: para cada salida y entrada, un tensor de forma ``salida.shape + entrada.shape``."""
    if strategy not in ("reverse-mode", "forward-mode"):
        raise ValueError(f"jacobian: strategy debe ser 'reverse-mode' o 'forward-mode', no {strategy!r}.")
    in_tuple, ins = _as_tuple(inputs, "jacobian")
    ins = _prepare(ins, create_graph)
    out_tuple, outs = _outputs(func, ins, "jacobian")
    blocks = []
    for out in outs:
        rows = [[] for _ in ins]
        flat = out.reshape(-1)
        for k in range(flat.numel()):
            with enable_grad():
                grads = _grad(flat[k], ins, retain_graph=True, create_graph=create_graph,
                              allow_unused=True)
            for i, g in enumerate(_fill(grads, ins)):
                rows[i].append(g.reshape(-1))
        row = []
        for i, t in enumerate(ins):
            if rows[i]:
                from ..functions import stack
                jac = stack(rows[i]).reshape(tuple(out.shape) + tuple(t.shape))
            else:   # salida vacía
                jac = Tensor._wrap(np.zeros(tuple(out.shape) + tuple(t.shape), dtype=t.dtype))
            row.append(jac if create_graph else jac.detach())
        blocks.append(_pack(in_tuple, row))
    return _pack(out_tuple, blocks)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """Hessiano de una función escalar: el jacobiano de su gradiente."""
    in_tuple, ins = _as_tuple(inputs, "hessian")

    def gradient(*args):
        out_tuple, outs = _outputs(func, args, "hessian")
        if out_tuple or outs[0].numel() != 1:
            raise RuntimeError(
                "hessian: func debe devolver un tensor de un solo elemento (un escalar), y "
                f"devolvió forma(s) {[tuple(o.shape) for o in outs]}.")
        with enable_grad():
            return _fill(_grad(outs[0], args, create_graph=True, allow_unused=True), args)
    return jacobian(lambda *args: _pack(in_tuple, gradient(*args)), _pack(in_tuple, ins),
                    create_graph=create_graph)


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(salida, H·v)`` de una función escalar."""
    return _second_order(func, inputs, v, create_graph, "hvp")


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """``(salida, vᵀ·H)`` de una función escalar (igual que hvp: el hessiano es simétrico)."""
    return _second_order(func, inputs, v, create_graph, "vhp")


def _second_order(func, inputs, v, create_graph, name):
    in_tuple, ins = _as_tuple(inputs, name)
    ins = _prepare(ins, create_graph)
    vs = _check_v(v, ins, name, what="entrada")
    out_tuple, outs = _outputs(func, ins, name)
    if out_tuple or outs[0].numel() != 1:
        raise RuntimeError(f"{name}: func debe devolver un escalar (un tensor de un elemento).")
    with enable_grad():
        g = _fill(_grad(outs[0], ins, create_graph=True, allow_unused=True), ins)
        pairs = [(x, w) for x, w in zip(g, vs) if x.requires_grad]
        result = _grad([x for x, _ in pairs], ins, [w for _, w in pairs],
                       create_graph=create_graph, allow_unused=True) if pairs else (None,) * len(ins)
    return (_finish(outs, create_graph)[0], _pack(in_tuple, _finish(_fill(result, ins), create_graph)))
