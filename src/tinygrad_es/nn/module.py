"""``nn.Module``: la base de todas las capas y modelos (con la semántica de PyTorch).

Al asignar un atributo, un ``Module`` registra automáticamente los ``Parameter`` (en
``_parameters``), los submódulos (en ``_modules``) y, con ``register_buffer``, los
tensores que no se entrenan (en ``_buffers``). Los tres son diccionarios ordenados y se
recorren en orden de asignación, como en PyTorch.

``Module.__call__`` deja una referencia débil al módulo en ``grad_mode.module`` (el del hilo) mientras se
ejecuta ``forward`` (y al terminar restaura la del módulo que lo llamó): cada nodo del grafo
anota el módulo más interno que lo creó (sirve para dibujar el grafo agrupado por capas).
"""
from __future__ import annotations

import weakref
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from ..autograd.graph import per_thread
from .._capture import macro, structure_changed
from ..tensor import Tensor
from . import _state
from ._repr import module_repr
from ._convert import ConversionMixin
from .hooks import RemovableHandle, call_with_hooks
from .parameter import Buffer, Parameter

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from typing import TypeVar

    _M = TypeVar("_M", bound="Module")


def _type_name(value):
    return type(value).__name__


class Module(ConversionMixin):
    """Clase base de las redes: define ``forward`` y asigna capas y parámetros como atributos.

    Ejemplo::

        class Red(nn.Module):
            def __init__(self):
                super().__init__()
                self.capa = nn.Linear(784, 10)

            def forward(self, x):
                return self.capa(x)
    """

    training: bool

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            raise TypeError(
                f"Module.__init__() no admite argumentos, pero recibió {args or ''}"
                f"{kwargs or ''}. Llama a super().__init__() sin argumentos.")
        setattr_ = object.__setattr__
        setattr_(self, "training", True)
        setattr_(self, "_parameters", OrderedDict())
        setattr_(self, "_buffers", OrderedDict())
        setattr_(self, "_non_persistent_buffers_set", set())
        setattr_(self, "_modules", OrderedDict())
        setattr_(self, "_forward_hooks", OrderedDict())
        setattr_(self, "_forward_pre_hooks", OrderedDict())
        setattr_(self, "_backward_hooks", OrderedDict())
        setattr_(self, "_backward_pre_hooks", OrderedDict())
        setattr_(self, "_ref", weakref.ref(self))

    # --- ejecución ----------------------------------------------------------------
    def forward(self, *args, **kwargs):
        raise NotImplementedError(
            f'Al módulo [{type(self).__name__}] le falta el método "forward": defínelo en tu '
            "clase (def forward(self, x): ...) con el cálculo que hace el módulo.")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        mode = per_thread.mode   # estado del hilo actual
        outer = mode.module      # el módulo que llama a este (None en el nivel superior)
        mode.module = self._ref
        try:
            if (self._forward_pre_hooks or self._forward_hooks or self._backward_hooks
                    or self._backward_pre_hooks):
                return call_with_hooks(self, args, kwargs)
            return self.forward(*args, **kwargs)
        finally:
            mode.module = outer

    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """``hook(módulo, args)`` antes de ``forward``; si devuelve algo, sustituye la entrada."""
        return self._add_hook(self._forward_pre_hooks, hook, prepend, with_kwargs)

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False):
        """``hook(módulo, args, salida)`` tras ``forward``; si devuelve algo, sustituye la salida."""
        return self._add_hook(self._forward_hooks, hook, prepend, with_kwargs)

    def register_full_backward_hook(self, hook, prepend=False):
        """``hook(módulo, grad_input, grad_output)`` al calcular los gradientes de las entradas.

        ``grad_input`` tiene un elemento por argumento posicional y ``grad_output`` uno por
        salida (``None`` si no es un tensor). Si devuelve una tupla, sustituye a ``grad_input``.
        """
        return self._add_hook(self._backward_hooks, hook, prepend, False)

    def register_full_backward_pre_hook(self, hook, prepend=False):
        """``hook(módulo, grad_output)`` antes de calcular los gradientes del módulo; si
        devuelve una tupla, sustituye a ``grad_output``."""
        return self._add_hook(self._backward_pre_hooks, hook, prepend, False)

    @staticmethod
    def _add_hook(hooks, hook, prepend, with_kwargs):
        handle = RemovableHandle(hooks)
        hooks[handle.id] = (hook, with_kwargs)
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    # --- registro de atributos --------------------------------------------------------
    def __setattr__(self, name, value):
        if isinstance(value, (Tensor, Module)) or name == "training" or value is None:
            structure_changed()   # las capturas de tinygrad_es.compile miran esto
        params = self.__dict__.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError(
                    "No se pueden asignar parámetros antes de llamar a Module.__init__(): "
                    "escribe super().__init__() al principio de tu __init__.")
            self._forget(name, self.__dict__, self._buffers, self._modules,
                         self._non_persistent_buffers_set)
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"No se puede asignar un objeto de tipo '{_type_name(value)}' al parámetro "
                    f"'{name}': se esperaba nn.Parameter o None. Para cambiar sus valores usa "
                    f"with torch.no_grad(): self.{name}.copy_(valor), o envuélvelo en "
                    "nn.Parameter(valor).")
            self.register_parameter(name, None)
        else:
            modules = self.__dict__.get("_modules")
            if isinstance(value, Module):
                if modules is None:
                    raise AttributeError(
                        "No se pueden asignar submódulos antes de llamar a Module.__init__(): "
                        "escribe super().__init__() al principio de tu __init__.")
                self._forget(name, self.__dict__, self._parameters, self._buffers,
                             self._non_persistent_buffers_set)
                modules[name] = value
            elif modules is not None and name in modules:
                if value is not None:
                    raise TypeError(
                        f"No se puede asignar un objeto de tipo '{_type_name(value)}' al "
                        f"submódulo '{name}': se esperaba un nn.Module o None.")
                modules[name] = None
            else:
                buffers = self.__dict__.get("_buffers")
                if isinstance(value, Buffer):   # nn.Buffer: se registra solo, como PyTorch
                    if buffers is None:
                        raise AttributeError(
                            "No se pueden asignar buffers antes de llamar a Module.__init__(): "
                            "escribe super().__init__() al principio de tu __init__.")
                    self.register_buffer(name, value, value.persistent)
                elif buffers is not None and name in buffers:
                    if value is not None and not isinstance(value, Tensor):
                        raise TypeError(
                            f"No se puede asignar un objeto de tipo '{_type_name(value)}' al "
                            f"buffer '{name}': se esperaba un tensor o None.")
                    buffers[name] = value
                else:
                    object.__setattr__(self, name, value)

    @staticmethod
    def _forget(name, *containers):
        for container in containers:
            if name in container:
                if isinstance(container, set):
                    container.discard(name)
                else:
                    del container[name]

    def __getattr__(self, name):
        # Solo se llega aquí si el atributo no está en __dict__ ni en la clase.
        state = self.__dict__
        for key in ("_parameters", "_buffers", "_modules"):
            container = state.get(key)
            if container is not None and name in container:
                return container[name]
        hint = ("" if "_parameters" in state else
                f" ¿Falta llamar a super().__init__() al principio del __init__ de "
                f"{type(self).__name__}?")
        raise AttributeError(
            f"El módulo '{type(self).__name__}' no tiene el atributo '{name}'.{hint}")

    def __delattr__(self, name):
        for key in ("_parameters", "_buffers", "_modules"):
            container = self.__dict__.get(key)
            if container is not None and name in container:
                del container[name]
                self._non_persistent_buffers_set.discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self):
        keys = (list(dir(type(self))) + list(self.__dict__) + list(self._parameters)
                + list(self._modules) + list(self._buffers))
        return sorted(k for k in set(keys) if not k[0].isdigit())

    def register_parameter(self, name, param):
        """Registra ``param`` (un ``Parameter`` o None) con el nombre ``name``."""
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                "No se pueden registrar parámetros antes de llamar a Module.__init__().")
        self._check_name(name, "parámetro", self._parameters)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"No se puede registrar un objeto de tipo '{_type_name(param)}' como el "
                f"parámetro '{name}': se esperaba nn.Parameter o None. Envuélvelo con "
                "nn.Parameter(tensor).")
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        """Registra un tensor que no se entrena pero forma parte del estado (``state_dict``)."""
        if "_buffers" not in self.__dict__:
            raise AttributeError(
                "No se pueden registrar buffers antes de llamar a Module.__init__().")
        self._check_name(name, "buffer", self._buffers)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"No se puede registrar un objeto de tipo '{_type_name(tensor)}' como el buffer "
                f"'{name}': se esperaba un tensor o None.")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name, module):
        """Registra ``module`` como submódulo con el nombre ``name``."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{_type_name(module)} no es una subclase de nn.Module.")
        self._check_name(name, "módulo", self._modules)
        self._modules[name] = module

    register_module = add_module

    def _check_name(self, name, kind, own):
        if not isinstance(name, str):
            raise TypeError(f"El nombre del {kind} debe ser un str, pero es {_type_name(name)}.")
        if "." in name or name == "":
            raise KeyError(f"El nombre del {kind} no puede estar vacío ni contener '.': {name!r}.")
        if name not in own and hasattr(self, name):
            raise KeyError(f"El atributo '{name}' ya existe: elige otro nombre para el {kind}.")

    # --- recorridos --------------------------------------------------------------------
    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """Este módulo y todos sus submódulos, con nombres como ``stack.0``."""
        if memo is None:
            memo = set()
        if remove_duplicate:
            if self in memo:
                return
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            sub = prefix + ("." if prefix else "") + name
            yield from module.named_modules(memo, sub, remove_duplicate)

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        seen = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self) -> Iterator[Module]:
        for _, module in self.named_children():
            yield module

    def _named_members(self, attribute, prefix, recurse, remove_duplicate):
        seen = set()
        modules = (self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
                   if recurse else [(prefix, self)])
        for module_prefix, module in modules:
            for name, value in getattr(module, attribute).items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield module_prefix + ("." if module_prefix else "") + name, value

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """Pares (nombre, parámetro): ``stack.0.weight``... Un parámetro compartido sale una vez."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buf in self.named_buffers(recurse=recurse):
            yield buf

    def get_submodule(self, target):
        """El submódulo con ese nombre con puntos (``"stack.0"``); ``""`` es el propio módulo."""
        module = self
        for part in target.split(".") if target else []:
            child = module._modules.get(part) if isinstance(module, Module) else None
            if child is None:
                raise AttributeError(
                    f"{type(module).__name__} no tiene ningún submódulo llamado '{part}' "
                    f"(buscando '{target}').")
            module = child
        return module

    def get_parameter(self, target):
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if name not in module._parameters:
            raise AttributeError(f"{type(module).__name__} no tiene el parámetro '{name}'.")
        return module._parameters[name]

    # --- modos y utilidades --------------------------------------------------------------
    def train(self: _M, mode: bool = True) -> _M:
        """Modo entrenamiento (Dropout activo); ``train(False)`` equivale a ``eval()``."""
        if not isinstance(mode, bool):
            raise ValueError(f"train() espera un booleano (True o False), pero recibió {mode!r}.")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        structure_changed()
        return self

    def eval(self: _M) -> _M:
        """Modo evaluación: Dropout deja pasar la entrada sin cambios."""
        return self.train(False)

    def requires_grad_(self: _M, requires_grad: bool = True) -> _M:
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    @macro
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Borra los gradientes (``None`` por defecto, o a cero con ``set_to_none=False``)."""
        for param in self.parameters():
            grad = param._grad
            if grad is None:
                continue
            if set_to_none:
                param._grad = None
            else:
                grad._data[...] = 0

    def apply(self, fn):
        """Llama a ``fn`` en cada submódulo (primero los hijos) y luego en este módulo."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # --- estado ---------------------------------------------------------------------------
    def state_dict(self, destination: Any = None, prefix: str = "",
                   keep_vars: bool = False) -> dict[str, Any]:
        """``OrderedDict`` nombre -> tensor (parámetros y buffers) que comparte memoria."""
        return _state.state_dict(self, destination, prefix, keep_vars)

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True,
                        assign: bool = False) -> Any:
        """Copia los valores de ``state_dict`` en el modelo, todo o nada.

        Primero se comprueban todas las claves y formas; si algo no cuadra se lanza un
        RuntimeError que lo enumera y el modelo queda exactamente como estaba.
        """
        return _state.load_state_dict(self, state_dict, strict, assign)

    __getstate__ = _state.pickle_state     # pickle y copy.deepcopy (ver _state.py)
    __setstate__ = _state.unpickle_state

    # --- representación -------------------------------------------------------------------
    def extra_repr(self):
        """Texto entre paréntesis en el repr (p. ej. ``in_features=784, ...``)."""
        return ""

    def _get_name(self):
        return type(self).__name__

    def __repr__(self):
        return module_repr(self)
