"""Ganchos (hooks) de ``Module``: funciones que se ejecutan antes o después de ``forward``."""
import itertools
import weakref

from . import _backward_hooks

_next_id = itertools.count()


class RemovableHandle:
    """Lo devuelve ``register_forward_hook``: ``handle.remove()`` quita el gancho.

    También sirve como gestor de contexto: el gancho se quita al salir del ``with``.
    """

    def __init__(self, hooks_dict):
        self.id = next(_next_id)
        self._hooks_ref = weakref.ref(hooks_dict)   # el gancho no mantiene vivo al módulo

    def remove(self):
        hooks = self._hooks_ref()
        if hooks is not None:
            hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
        return False

    def __repr__(self):
        return f"<RemovableHandle id={self.id}>"


def call_with_hooks(module, args, kwargs):
    """Camino lento de ``Module.__call__``: ganchos previos, ``forward`` y ganchos posteriores."""
    for hook, with_kwargs in list(module._forward_pre_hooks.values()):
        if with_kwargs:
            result = hook(module, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(
                        "Un gancho previo registrado con with_kwargs=True debe devolver None o "
                        f"una tupla (args, kwargs), pero devolvió {result!r}.")
                args, kwargs = result
        else:
            result = hook(module, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
    backward_hook = _backward_hooks.setup(module)   # register_full_backward_hook
    if backward_hook is not None:
        args = backward_hook.setup_input_hook(args)
    output = module.forward(*args, **kwargs)
    for hook, with_kwargs in list(module._forward_hooks.values()):
        result = hook(module, args, kwargs, output) if with_kwargs else hook(module, args, output)
        if result is not None:
            output = result
    if backward_hook is not None:
        output = backward_hook.setup_output_hook(output)
    return output
