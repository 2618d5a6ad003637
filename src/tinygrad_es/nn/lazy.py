"""Módulos «lazy»: ``nn.LazyLinear`` deduce ``in_features`` de la primera entrada.

Como en PyTorch: los pesos empiezan como ``UninitializedParameter``; un gancho previo a
``forward`` les da forma en la primera llamada, los inicializa como ``nn.Linear`` (los mismos
números con la misma semilla), quita el gancho y convierte el módulo en un ``nn.Linear``. Los
objetos ``Parameter`` no cambian, así que un optimizador creado antes de la primera llamada
los actualiza igual. ``load_state_dict`` en un módulo sin inicializar da a cada peso la forma
del que se carga.
"""
from .layers import Linear
from .parameter import UninitializedParameter


class LazyModuleMixin:
    """Lo común de los módulos «lazy»: ``has_uninitialized_params``, el gancho de la primera
    llamada y ``cls_to_become`` (la clase que pasa a ser el módulo una vez inicializado).

    Ejemplo::

        >>> capa = nn.LazyLinear(4)
        >>> capa.has_uninitialized_params()
        True
        >>> _ = capa(torch.ones(1, 3))
        >>> type(capa).__name__, capa.in_features
        ('Linear', 3)
    """

    cls_to_become: "type | None" = None

    def _register_lazy_hook(self):
        # se guarda el número del gancho, no su RemovableHandle (tiene una referencia débil:
        # el módulo no se podría copiar con pickle)
        self._initialize_hook = self.register_forward_pre_hook(
            LazyModuleMixin._infer_parameters, with_kwargs=True).id

    def has_uninitialized_params(self):
        """¿Le queda algún parámetro o buffer sin inicializar?"""
        tensors = list(self._parameters.values()) + list(self._buffers.values())
        return any(isinstance(t, UninitializedParameter) for t in tensors)

    def initialize_parameters(self, *args, **kwargs):
        raise NotImplementedError(
            f"{type(self).__name__} debe definir initialize_parameters(entrada).")

    @staticmethod
    def _infer_parameters(module, args, kwargs):
        module.initialize_parameters(*args, **kwargs)
        if module.has_uninitialized_params():
            raise RuntimeError(
                f"El módulo {module._get_name()} no ha terminado de inicializarse.")
        module._lazy_loaded()
        module._forward_pre_hooks.pop(module._initialize_hook, None)
        del module._initialize_hook
        if module.cls_to_become is not None:
            module.__class__ = module.cls_to_become

    def _lazy_loaded(self):
        """Tras cargar los pesos con ``load_state_dict``: completa lo que se deduce de ellos."""


class LazyLinear(LazyModuleMixin, Linear):
    """``nn.Linear`` cuyo ``in_features`` se deduce de la primera entrada (su última
    dimensión). Antes de esa llamada, ``weight`` y ``bias`` son ``UninitializedParameter``;
    después, el módulo es un ``nn.Linear`` normal.

    Ejemplo::

        >>> capa = nn.LazyLinear(10)
        >>> capa
        LazyLinear(in_features=0, out_features=10, bias=True)
        >>> capa(torch.randn(4, 784)).shape
        torch.Size([4, 10])
        >>> capa
        Linear(in_features=784, out_features=10, bias=True)
    """

    cls_to_become = Linear

    def __init__(self, out_features, bias=True, device=None, dtype=None):
        super().__init__(0, 0, False, device=device, dtype=dtype)
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        self.out_features = out_features
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)
        self._register_lazy_hook()

    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input, *args, **kwargs):
        if self.has_uninitialized_params():
            self.in_features = input.shape[-1]
            self.weight.materialize((self.out_features, self.in_features))
            if self.bias is not None:
                self.bias.materialize((self.out_features,))
            self.reset_parameters()

    def _lazy_loaded(self):
        # PyTorch deja in_features=0 si los pesos llegaron por load_state_dict; aquí se deduce
        # de ellos, para que el repr y el módulo digan la verdad.
        if self.in_features == 0 and self.weight._data.ndim == 2:
            self.in_features = self.weight._data.shape[1]
