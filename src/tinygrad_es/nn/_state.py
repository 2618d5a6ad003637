"""El estado de un ``Module``: ``state_dict``, ``load_state_dict`` (la carga es atómica: todo o
nada) y lo que guarda ``pickle``."""
import weakref
from collections import OrderedDict, namedtuple
from collections.abc import Mapping

import numpy as np

from ..tensor import Tensor
from .parameter import UninitializedParameter


class IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """Lo que devuelve ``load_state_dict``: claves que faltaban y claves que sobraban."""

    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def state_dict(module, destination=None, prefix="", keep_vars=False):
    """Parámetros y buffers persistentes, en orden, como tensores separados que comparten memoria."""
    if destination is None:
        destination = OrderedDict()
    for name, param in module._parameters.items():
        if param is not None:
            keep = keep_vars or isinstance(param, UninitializedParameter)   # como PyTorch
            destination[prefix + name] = param if keep else param.detach()
    skip = module._non_persistent_buffers_set
    for name, buf in module._buffers.items():
        if buf is not None and name not in skip:
            destination[prefix + name] = buf if keep_vars else buf.detach()
    for name, child in module._modules.items():
        if child is not None:
            state_dict(child, destination, prefix + name + ".", keep_vars)
    return destination


def _entries(module, prefix="", out=None):
    """nombre completo -> (módulo dueño, "_parameters"/"_buffers", nombre local, tensor)."""
    if out is None:
        out = OrderedDict()
    for name, param in module._parameters.items():
        if param is not None:
            out[prefix + name] = (module, "_parameters", name, param)
    for name, buf in module._buffers.items():
        if buf is not None and name not in module._non_persistent_buffers_set:
            out[prefix + name] = (module, "_buffers", name, buf)
    for name, child in module._modules.items():
        if child is not None:
            _entries(child, prefix + name + ".", out)
    return out


def _as_array(value):
    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, (np.ndarray, np.generic)):
        return np.asarray(value)
    return None


def _keys_text(keys):
    return ", ".join(f'"{k}"' for k in keys)


def load_state_dict(module, state, strict=True, assign=False):
    if not isinstance(state, Mapping):
        raise TypeError(
            f"load_state_dict espera un diccionario (p. ej. el de model.state_dict()), pero "
            f"recibió {type(state).__name__}.")
    own = _entries(module)
    missing = [key for key in own if key not in state]
    unexpected = [key for key in state if key not in own]
    problems = []
    if strict and missing:
        problems.append(f"Faltan claves en el state_dict: {_keys_text(missing)}.")
    if strict and unexpected:
        problems.append(f"Claves inesperadas en el state_dict: {_keys_text(unexpected)}.")
    arrays = {}
    for key, (_, _, _, target) in own.items():
        if key not in state:
            continue
        array = _as_array(state[key])
        if array is None or array.dtype.kind not in "biuf":
            kind = type(state[key]).__name__ if array is None else str(array.dtype)
            problems.append(f"El valor de {key} no es un tensor numérico (es {kind}).")
        elif array.shape != target._data.shape and not isinstance(target,
                                                                   UninitializedParameter):
            problems.append(
                f"Forma distinta en {key}: el state_dict trae {tuple(array.shape)} y el modelo "
                f"espera {tuple(target._data.shape)}.")
        elif assign and own[key][1] == "_parameters" and array.dtype.kind != "f":
            problems.append(f"Con assign=True, {key} debe ser de punto flotante (es "
                            f"{array.dtype}).")
        else:
            arrays[key] = array
    if problems:
        raise RuntimeError(
            f"Error(es) al cargar el state_dict en {module._get_name()} (el modelo no se ha "
            "modificado):\n\t" + "\n\t".join(problems) + "\nComprueba que el modelo se creó con "
            "la misma arquitectura que el que guardó el state_dict"
            + ("" if not strict else ", o usa strict=False para ignorar las claves que faltan "
               "o sobran") + ".")
    # Todo validado: ahora se copia (sin pasos que puedan fallar a medias).
    for key, array in arrays.items():
        owner, kind, local, target = own[key]
        if assign:
            _assign(owner, kind, local, target, state[key], array)
        else:
            if isinstance(target, UninitializedParameter):   # módulo «lazy»: toma la forma
                target.materialize(array.shape)
            np.copyto(target._data, array, casting="unsafe")
            target._bump_version()
    return IncompatibleKeys(missing, unexpected)


def _assign(owner, kind, local, target, value, array):
    """``assign=True``: el modelo pasa a usar los tensores del state_dict (sin copiarlos)."""
    from .parameter import Parameter
    tensor = value if isinstance(value, Tensor) else Tensor._wrap(array)
    if kind == "_parameters":
        tensor = Parameter(tensor, requires_grad=target.requires_grad)
    getattr(owner, kind)[local] = tensor


def pickle_state(module):
    """``Module.__getstate__``: el ``__dict__`` sin la referencia débil al propio módulo."""
    state = module.__dict__.copy()
    state.pop("_ref", None)   # la referencia débil apunta a este objeto, no a la copia
    return state


def unpickle_state(module, state):
    """``Module.__setstate__``: el ``__dict__`` guardado y una referencia débil nueva."""
    module.__dict__.update(state)
    for name in ("_backward_hooks", "_backward_pre_hooks"):   # módulos guardados antes
        module.__dict__.setdefault(name, OrderedDict())
    object.__setattr__(module, "_ref", weakref.ref(module))
