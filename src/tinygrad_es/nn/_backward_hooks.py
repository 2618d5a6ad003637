"""Ganchos de backward de ``Module``: ``register_full_backward_hook`` y ``..._pre_hook``.

Como en PyTorch: al llamar al módulo, sus entradas (las posicionales) que requieren gradiente
pasan por un nodo identidad (``BackwardHookFunctionBackward``) antes de ``forward``, y sus
salidas por otro después. En el backward, el nodo de las salidas reúne ``grad_output`` y llama a
los ganchos previos (``hook(módulo, grad_output)``, que pueden sustituirlo); el de las entradas
reúne ``grad_input`` y llama a ``hook(módulo, grad_input, grad_output)``, que puede devolver
otro ``grad_input``. Si ninguna entrada requiere gradiente, el gancho se llama al llegar el
gradiente a las salidas, con ``grad_input`` lleno de ``None`` (y un aviso, como PyTorch).

En ``grad_input`` hay un elemento por argumento posicional: ``None`` si no es un tensor, ceros
si es un tensor que no requiere gradiente o al que no llegó gradiente. En ``grad_output``, uno
por salida: ``None`` si no es un tensor o no requiere gradiente.
"""
import warnings

import numpy as np

from .._shape import cat
from ..autograd.function import Function, _SelectOutput
from ..autograd.graph import grad_mode
from ..tensor import Tensor
from ..errors import user_stacklevel


class BackwardHookFunction(Function):
    """Identidad sobre varios tensores; su backward llama a los ganchos del módulo."""

    @staticmethod
    def forward(ctx, state, role, *tensors):
        ctx.state, ctx.role = state, role
        return tensors[0] if len(tensors) == 1 else tensors

    @staticmethod
    def backward(ctx, *grads):
        if ctx.role == "output":
            grads = ctx.state.on_outputs(grads)
        else:
            grads = ctx.state.on_inputs(grads)
        return (None, None) + tuple(grads)


# --- varias salidas ---------------------------------------------------------------------------
# Con varios tensores, la Function tiene un nodo selector por salida que coloca su gradiente en
# un vector común. Aquí: los selectores se llaman como en PyTorch y, con create_graph=True (el
# gradiente llega como Tensor), tanto el selector como el nodo trabajan con Tensores del grafo.
def _select_backward(ctx, grad):
    if not isinstance(grad, Tensor):
        return _SelectOutput.backward(ctx, grad)
    flat = grad.reshape(-1).to(ctx.pack_dtype)
    rest = ctx.total - ctx.start - flat.numel()
    parts = [_zeros(ctx.start, ctx.pack_dtype)] if ctx.start else []
    parts.append(flat)
    if rest:
        parts.append(_zeros(rest, ctx.pack_dtype))
    return cat(parts) if len(parts) > 1 else flat


class _SameName(list):
    def append(self, selector):
        selector.torch_name = "BackwardHookFunctionBackward"
        selector.backward = staticmethod(_select_backward)
        super().append(selector)


_function_backward = BackwardHookFunction._op.backward


def _op_backward(cls, ctx, grad):
    if not isinstance(grad, Tensor) or ctx._layout is None:
        return _function_backward(ctx, grad)
    grads = []   # create_graph con varias salidas: el vector común, repartido con Tensores
    for shape, dtype, start in ctx._layout:
        size = int(np.prod(shape, dtype=np.int64))
        grads.append(grad[start:start + size].reshape(shape).to(dtype))
    return BackwardHookFunction.backward(ctx, *grads)


BackwardHookFunction._op._selectors = _SameName()
BackwardHookFunction._op.backward = classmethod(_op_backward)


def _zeros(n, dtype):
    return Tensor._wrap(np.zeros(n, dtype=dtype))


def _zeros_like(t):
    return Tensor._wrap(np.zeros(t._data.shape, dtype=t._data.dtype))


class BackwardHook:
    """Estado de una llamada al módulo: une los gradientes de sus salidas con los de sus entradas."""

    def __init__(self, module, hooks, pre_hooks):
        self.module = module
        self.hooks = hooks            # listas tomadas al llamar al módulo, como PyTorch
        self.pre_hooks = pre_hooks
        self.grad_outputs = None
        self.n_inputs = self.n_outputs = 0
        self.inputs = ()              # los argumentos posicionales (tensores y demás)
        self.input_index = None       # posiciones de las entradas que pasan por el nodo
        self.output_index = None

    @staticmethod
    def _wrap(state, role, values):
        """Pasa por el nodo los tensores de ``values`` que requieren gradiente."""
        if not grad_mode.enabled:
            return values, None
        index = [i for i, v in enumerate(values) if isinstance(v, Tensor) and v.requires_grad]
        if not index:
            return values, None
        out = BackwardHookFunction.apply(state, role, *(values[i] for i in index))
        out = out if isinstance(out, tuple) else (out,)
        values = list(values)
        for i, t in zip(index, out):
            values[i] = t
        return tuple(values), index

    def setup_input_hook(self, args):
        self.n_inputs = len(args)
        self.inputs = args
        args, self.input_index = self._wrap(self, "input", args)
        return args

    def setup_output_hook(self, output):
        is_tuple = isinstance(output, tuple)
        if not (is_tuple or isinstance(output, Tensor)):
            warnings.warn(
                "Para que se llamen los ganchos de backward, la salida del módulo debe ser un "
                f"tensor o una tupla de tensores, pero es {type(output).__name__}.",
                UserWarning, stacklevel=user_stacklevel())
            return output
        values = output if is_tuple else (output,)
        self.n_outputs = len(values)
        values, self.output_index = self._wrap(self, "output", values)
        return values if is_tuple else values[0]

    # --- backward ---------------------------------------------------------------------------
    def on_outputs(self, grads):
        grad_outputs = [None] * self.n_outputs
        for i, g in zip(self.output_index, grads):
            grad_outputs[i] = g
        grad_outputs = tuple(grad_outputs)
        for hook in self.pre_hooks:
            result = hook(self.module, grad_outputs)
            if result is None:
                continue
            grad_outputs = _checked(result, len(grad_outputs), "previo", "grad_output")
        if self.input_index is None:
            warnings.warn(
                "El gancho de backward del módulo se ejecuta al calcular los gradientes de sus "
                "salidas, porque ninguna de sus entradas requiere gradiente (grad_input será "
                "todo None).", UserWarning, stacklevel=user_stacklevel())
            grad_inputs = (None,) * self.n_inputs
            for hook in self.hooks:
                result = hook(self.module, grad_inputs, grad_outputs)
                if result is not None and not (isinstance(result, tuple) and
                                               all(r is None for r in result)):
                    raise RuntimeError(
                        "Un gancho de backward de un módulo cuyas entradas no requieren gradiente "
                        "debe devolver None (o una tupla de None): no hay grad_input que cambiar.")
        else:
            self.grad_outputs = grad_outputs
        return tuple(grad_outputs[i] for i in self.output_index)

    def on_inputs(self, grads):
        if self.grad_outputs is None:
            # el gradiente llega a las entradas sin pasar por las salidas (p. ej. un segundo
            # backward sobre el grafo del primero): PyTorch no llama al gancho
            return grads
        grad_inputs = [None] * self.n_inputs
        for i, value in enumerate(self.inputs):
            if isinstance(value, Tensor):
                grad_inputs[i] = _zeros_like(value)
        for i, g in zip(self.input_index, grads):
            grad_inputs[i] = g
        grad_inputs = tuple(grad_inputs)
        for hook in self.hooks:
            result = hook(self.module, grad_inputs, self.grad_outputs)
            if result is None:
                continue
            grad_inputs = _checked(result, len(grad_inputs), "", "grad_input")
        self.grad_outputs = None
        return tuple(grad_inputs[i] for i in self.input_index)


def _checked(result, expected, kind, what):
    if not isinstance(result, (tuple, list)):
        raise RuntimeError(
            f"Un gancho {kind + ' ' if kind else ''}de backward debe devolver None o una tupla "
            f"con un {what} por elemento ({expected}), pero devolvió {type(result).__name__}.")
    if len(result) != expected:
        raise RuntimeError(
            f"Un gancho {kind + ' ' if kind else ''}de backward devolvió {len(result)} "
            f"elementos en {what}, pero se esperaban {expected} (uno por "
            f"{'argumento posicional' if what == 'grad_input' else 'salida'} del módulo).")
    return tuple(result)


def setup(module):
    """El ``BackwardHook`` de esta llamada, o None si el módulo no tiene ganchos de backward."""
    hooks = [hook for hook, _ in module._backward_hooks.values()]
    pre_hooks = [hook for hook, _ in module._backward_pre_hooks.values()]
    if not (hooks or pre_hooks):
        return None
    return BackwardHook(module, hooks, pre_hooks)
