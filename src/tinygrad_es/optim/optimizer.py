"""``Optimizer``: la base común de SGD, Adam, AdamW y RMSprop (como ``torch.optim.Optimizer``).

Guarda los grupos de parámetros (``param_groups``: diccionarios con ``'params'`` y todos los
hiperparámetros), el estado de cada parámetro (``state``, indexado por el propio tensor) y sabe
poner a cero los gradientes, exportar e importar su estado con el formato de PyTorch.

Cada optimizador concreto define ``_update(p, data, grad, group, state)``: recibe los
ndarrays del parámetro y de su gradiente y actualiza ``data`` en el sitio (con ``out=`` de
NumPy, sin crear arrays nuevos en cada paso y en el dtype del parámetro).
"""
from __future__ import annotations

import copy
import warnings
from collections import defaultdict
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _dtypes
from ..autograd.grad_mode import enable_grad
from ..tensor import Tensor, _make
from ..errors import user_stacklevel
from .._capture import macro

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from ..tensor import Tensor

# Hiperparámetros que deben ser >= 0 (como comprueba PyTorch en cada constructor).
_NO_NEGATIVOS = {
    "lr": "la tasa de aprendizaje (lr)",
    "momentum": "el momento (momentum)",
    "weight_decay": "el decaimiento de pesos (weight_decay)",
    "eps": "epsilon (eps)",
    "alpha": "alpha",
}


def _grad_array(grad):
    """El ndarray de ``p.grad`` (normalmente un Tensor; se admite también un array)."""
    return grad._data if isinstance(grad, Tensor) else np.asarray(grad)


class Optimizer:
    """Base de los optimizadores.

    ``params`` puede ser un generador (``model.parameters()``, se consume una sola vez), una
    lista de tensores, una lista de pares ``(nombre, tensor)`` o una lista de diccionarios
    (grupos de parámetros con sus propios hiperparámetros).
    """

    def __init__(self, params, defaults):
        self.defaults = defaults
        self.state = defaultdict(dict)
        self.param_groups = []
        self._leaf_nodes = []
        if hasattr(params, "_data"):
            raise TypeError(
                "Los parámetros del optimizador deben ser un iterable de tensores o de "
                "diccionarios, pero se recibió un único tensor. Pásalo en una lista: "
                "optim.SGD([w], lr=0.1), o usa model.parameters().")
        if isinstance(params, (set, frozenset)):
            raise TypeError(_SET_ERROR)
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError(
                "El optimizador recibió una lista de parámetros vacía. ¿Llamaste dos veces a "
                "model.parameters() sobre el mismo generador, o el modelo no tiene capas con "
                "parámetros? Pasa, por ejemplo, model.parameters() o [w, b].")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    # --- nodos hoja de los parámetros -------------------------------------------------
    def _keep_leaf_nodes(self, params):
        """Retiene el nodo hoja (AccumulateGrad) de cada parámetro entre un paso y el siguiente.

        Sin esto, cada forward crea de nuevo los nodos hoja de todos los parámetros (el grafo
        anterior, que los retenía, ya se liberó). No cambia nada visible: el nodo solo guarda
        el parámetro, que el optimizador ya retiene.
        """
        self._leaf_nodes.extend(p._grad_accumulator() for p in params)

    def __getstate__(self):   # los nodos no se copian ni se guardan: se rehacen
        state = self.__dict__.copy()
        state.pop("_leaf_nodes", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._leaf_nodes = []
        for group in self.param_groups:
            self._keep_leaf_nodes(group["params"])

    # --- grupos de parámetros ---------------------------------------------------------
    def add_param_group(self, param_group):
        """Añade un grupo de parámetros (útil para descongelar capas durante el ajuste fino)."""
        if not isinstance(param_group, dict):
            raise TypeError(
                f"Un grupo de parámetros debe ser un diccionario, pero se recibió "
                f"{type(param_group).__name__}.")
        group = dict(param_group)
        params = group.get("params")
        if params is None:
            raise ValueError("El grupo de parámetros no tiene la clave 'params'.")
        if hasattr(params, "_data"):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError(_SET_ERROR)
        params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        params = [p[1] if isinstance(p, tuple) else p for p in params]
        if names:
            if len(names) != len(params):
                raise ValueError(
                    "O todos los parámetros del optimizador llevan nombre (pares (nombre, "
                    "tensor)) o ninguno: aquí faltan algunos nombres.")
            group["param_names"] = names
        for i, p in enumerate(params):
            if not hasattr(p, "_data"):
                raise TypeError(
                    f"El optimizador solo puede optimizar tensores, pero el parámetro {i} es "
                    f"de tipo {type(p).__name__}.")
            if getattr(p, "grad_fn", None) is not None and not getattr(p, "retains_grad", False):
                raise ValueError(
                    f"No se puede optimizar un tensor que no es hoja (el parámetro {i}, de "
                    f"forma {tuple(p._data.shape)}, es el resultado de una operación). Crea el "
                    "parámetro directamente (torch.randn(..., requires_grad=True)) o usa "
                    ".detach().requires_grad_().")
        group["params"] = params
        for name, default in self.defaults.items():
            group.setdefault(name, default)
        self._check_group(group)
        if len(params) != len(set(params)):
            warnings.warn(
                "El grupo de parámetros contiene parámetros repetidos: cada uno se actualizará "
                "varias veces en cada paso. Pasa cada parámetro una sola vez.", stacklevel=user_stacklevel())
        existing = set()
        for other in self.param_groups:
            existing.update(other["params"])
        if not existing.isdisjoint(params):
            raise ValueError(
                "Algunos parámetros aparecen en más de un grupo del optimizador; cada parámetro "
                "debe estar en un único grupo.")
        self.param_groups.append(group)
        self._keep_leaf_nodes(group["params"])

    def _check_group(self, group):
        """Valida los hiperparámetros de un grupo (ValueError en español, como PyTorch)."""
        for key, what in _NO_NEGATIVOS.items():
            if key in group and group[key] is not None and group[key] < 0:
                raise ValueError(
                    f"Valor no válido para {what}: {group[key]}. Debe ser mayor o igual que 0.")
        betas = group.get("betas")
        if betas is not None:
            if len(betas) != 2:
                raise ValueError(f"betas debe ser un par (beta1, beta2), pero es {betas!r}.")
            for i, beta in enumerate(betas):
                if not 0.0 <= beta < 1.0:
                    raise ValueError(
                        f"Valor no válido para betas[{i}]: {beta}. Debe estar en [0, 1), "
                        "por ejemplo betas=(0.9, 0.999).")
        if group.get("nesterov") and (group.get("momentum", 0) <= 0
                                      or group.get("dampening", 0) != 0):
            raise ValueError(
                "El momento de Nesterov necesita momentum > 0 y dampening = 0 (se recibió "
                f"momentum={group.get('momentum', 0)}, dampening={group.get('dampening', 0)}).")

    # --- gradientes y paso ------------------------------------------------------------
    @macro
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Borra los gradientes: a None (por defecto, como PyTorch) o a cero en el sitio."""
        for group in self.param_groups:
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    if getattr(grad, "grad_fn", None) is not None:
                        grad.detach_()
                    elif hasattr(grad, "_requires_grad"):
                        grad._requires_grad = False
                    data = grad._data if hasattr(grad, "_data") else grad
                    data[...] = 0

    @macro
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Un paso de optimización. ``closure`` (opcional) recalcula y devuelve la pérdida.

        Las actualizaciones trabajan sobre los ndarrays (nunca crean nodos del grafo).
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            self._step_group(group)
        return loss

    def _step_group(self, group):
        """Actualiza los parámetros de ``group`` que tienen gradiente, con ``_update``.

        Un optimizador puede redefinirlo para una configuración concreta (p. ej. SGD sin
        momento), con los hiperparámetros leídos una vez por paso.
        """
        update = self._update
        state = self.state if self._has_state(group) else None
        for p in group["params"]:
            grad = p._grad
            if grad is None:
                continue
            update(p, p._data, _grad_array(grad), group, None if state is None else state[p])
            p._bump_version()

    def _has_state(self, group):
        """¿Guarda este optimizador estado por parámetro con la configuración de ``group``?"""
        return True

    def _update(self, p, data, grad, group, state):
        raise TypeError(
            f"{type(self).__name__} no define cómo actualizar los parámetros: Optimizer es la "
            "clase base. Usa optim.SGD, optim.Adam, optim.AdamW u optim.RMSprop, o define "
            "step() en tu subclase.")

    # --- utilidades para los optimizadores concretos ------------------------------------
    @staticmethod
    def _scratch(data, count):
        """``count`` arrays de trabajo con la forma y el dtype de ``data``.

        Son nuevos en cada llamada: el asignador de memoria devuelve enseguida el bloque que
        acaba de liberar el parámetro anterior, que sigue en la caché; un búfer fijo por
        parámetro se enfría entre un paso y el siguiente y resultó más lento (medido).
        """
        return [np.empty(data.shape, dtype=data.dtype) for _ in range(count)]

    @staticmethod
    def _grad_with_decay(data, grad, weight_decay, maximize, bufs):
        """Gradiente efectivo: ``-grad`` si maximize y ``+ weight_decay * p`` (en ``bufs[1]``)."""
        if not maximize and weight_decay == 0:
            return grad
        g = bufs[1]
        if weight_decay != 0:
            np.multiply(data, data.dtype.type(weight_decay), out=g)
            if maximize:
                np.subtract(g, grad, out=g)
            else:
                np.add(grad, g, out=g)
        else:
            np.negative(grad, out=g)
        return g

    @staticmethod
    def _lerp_(start, end, weight, tmp):
        """``start.lerp_(end, weight)`` con la misma fórmula que el núcleo de PyTorch."""
        w = start.dtype.type(weight)
        np.subtract(end, start, out=tmp)
        if weight < 0.5:
            np.multiply(tmp, w, out=tmp)
            np.add(start, tmp, out=start)
        else:
            np.multiply(tmp, start.dtype.type(1 - weight), out=tmp)
            np.subtract(end, tmp, out=start)

    @staticmethod
    def _step_counter(state):
        """Incrementa ``state['step']`` (tensor 0-d, como PyTorch) y devuelve su valor."""
        step = state["step"]
        step._data += 1
        return float(step._data)

    @staticmethod
    def _zeros_like(data):
        return _make(np.zeros(data.shape, dtype=data.dtype))

    @staticmethod
    def _new_step():
        """Tensor 0-d del contador de pasos (float32, o float64 si es el tipo por defecto)."""
        return _make(np.zeros((), dtype=_dtypes.default_float))

    # --- estado ------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Estado con el formato de PyTorch: ``{'state': {indice: {...}}, 'param_groups': [...]}``.

        Los parámetros se identifican por su posición (0, 1, 2...) en el orden de los grupos.
        """
        mapping: dict[int, int] = {}
        start = 0
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                mapping.setdefault(id(p), i)
            packed["params"] = [mapping[id(p)] for p in group["params"]]
            start += len(packed["params"])
            groups.append(packed)
        state = {(mapping[id(k)] if id(k) in mapping else k): v for k, v in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Carga un estado de ``state_dict()``. Si no encaja, lanza ValueError y no cambia nada."""
        if not isinstance(state_dict, dict) or "state" not in state_dict \
                or "param_groups" not in state_dict:
            raise ValueError(
                "El estado del optimizador debe ser un diccionario con las claves 'state' y "
                "'param_groups' (el resultado de optimizer.state_dict()).")
        groups = self.param_groups
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError(
                f"El estado cargado tiene {len(saved_groups)} grupos de parámetros, pero este "
                f"optimizador tiene {len(groups)}. Crea el optimizador con los mismos grupos "
                "que el que guardó el estado.")
        for i, (group, saved) in enumerate(zip(groups, saved_groups)):
            if len(group["params"]) != len(saved.get("params", ())):
                raise ValueError(
                    f"El grupo de parámetros {i} del estado cargado tiene "
                    f"{len(saved.get('params', ()))} parámetros, pero el del optimizador tiene "
                    f"{len(group['params'])}. ¿Es el mismo modelo?")
        for i, saved in enumerate(saved_groups):
            for key, default in self.defaults.items():
                if key in saved:
                    continue
                if isinstance(default, bool) or default is None:
                    saved[key] = default
                else:
                    raise ValueError(
                        f"Al grupo {i} del estado cargado le falta el hiperparámetro {key!r} de "
                        f"{type(self).__name__}: ¿se guardó con otro optimizador?")
            self._check_group(saved)
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in id_map:
                param = id_map[key]
                state[param] = _copy_state(param, value, key)
            else:
                state[key] = copy.deepcopy(value)
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
        self.state = state
        self.param_groups = saved_groups

    def __repr__(self):
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nGrupo de parámetros {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"


_SET_ERROR = ("Los parámetros del optimizador deben ir en una colección ordenada (lista o "
              "generador), no en un conjunto: el orden de un set cambia entre ejecuciones. "
              "Usa una lista.")


def _copy_state(param, value, index):
    """Copia el estado de un parámetro al dtype del parámetro (salvo 'step') y valida formas."""
    if not isinstance(value, dict):
        raise ValueError(
            f"El estado del parámetro {index} debe ser un diccionario, pero es "
            f"{type(value).__name__}.")
    out = {}
    shape = param._data.shape
    for key, item in value.items():
        if key == "step":
            step = np.asarray(item._data if hasattr(item, "_data") else item)
            dtype = step.dtype if step.dtype.kind == "f" else np.float32
            out[key] = _make(np.array(step, dtype=dtype).reshape(()))
        elif hasattr(item, "_data") or isinstance(item, np.ndarray):
            array = item._data if hasattr(item, "_data") else item
            if array.shape != shape and array.ndim != 0:   # 0-d: p. ej. mu_product de NAdam
                raise ValueError(
                    f"El estado {key!r} del parámetro {index} tiene forma {tuple(array.shape)}, "
                    f"pero el parámetro tiene forma {tuple(shape)}. ¿Es el mismo modelo?")
            dtype = param._data.dtype if param._data.dtype.kind == "f" else array.dtype
            out[key] = _make(np.array(array, dtype=dtype, copy=True))
        else:
            out[key] = copy.deepcopy(item)
    return out
