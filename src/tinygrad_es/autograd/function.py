"""``autograd.Function``: operaciones propias escritas con Tensores, como en PyTorch.

Ejemplo::

    class MiSigmoide(Function):
        @staticmethod
        def forward(ctx, x):
            y = 1 / (1 + torch.exp(-x))
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad):
            (y,) = ctx.saved_tensors
            return grad * y * (1 - y)

    y = MiSigmoide.apply(x)

Es el mismo mecanismo que el de las operaciones internas: cada subclase tiene una pequeña
operación adaptadora (creada una sola vez, al definir la clase) con el nombre de la clase.
``apply`` crea un ``Node`` del grafo que la usa; el motor llama a su ``backward`` con arrays
y el adaptador los convierte en Tensores para llamar al ``backward`` del usuario (dentro de
``no_grad``), y de vuelta a arrays.
"""
import inspect

import numpy as np

from ..errors import OverlappingWriteError
from ..tensor import Tensor, _make
from .graph import RELEASED, Node, connected, grad_mode, per_thread, raise_released
from .grad_mode import no_grad

_WHOLE = -1   # la salida es la única diferenciable: el gradiente del nodo es el suyo


class FunctionCtx(Node):
    """El ``ctx`` que reciben ``forward`` y ``backward`` (y el nodo del grafo).

    - ``ctx.save_for_backward(*tensores)`` y ``ctx.saved_tensors``: se guarda el array y la
      versión del tensor, no el Tensor (guardar la salida no crea un ciclo de referencias).
    - ``ctx.needs_input_grad``: una tupla de booleanos, uno por argumento de ``forward``.
    - ``ctx.mark_non_differentiable(*salidas)``: salidas sin gradiente (índices, máscaras).
    - Cualquier otro atributo (``ctx.k = 3``) se conserva hasta ``backward``.
    """

    __slots__ = ("_layout", "_tensor_inputs", "_non_differentiable", "_saved_nodes")

    def save_for_backward(self, *tensors):
        arrays = []
        versions = []
        nodes = []   # de qué nodo viene cada tensor guardado (para create_graph=True)
        for position, t in enumerate(tensors):
            if t is None:
                arrays.append(None)
                continue
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"save_for_backward solo guarda tensores (o None), pero el argumento "
                    f"{position} es de tipo {type(t).__name__}. Guarda los demás valores como "
                    "atributos: ctx.mi_valor = ...")
            arrays.append(t._data)
            nodes.append(None if not t._requires_grad else
                         t.grad_fn if t.grad_fn is not None else t._grad_accumulator())
            counter = t._version_counter()
            versions.append((counter, counter.value))
        self.saved = tuple(arrays)
        self.versions = versions
        self._saved_nodes = tuple(nodes)

    @property
    def saved_tensors(self):
        saved = self.saved
        if saved is RELEASED:
            raise_released(self)
        if per_thread.mode.graph_backward:   # create_graph: unidos al grafo
            return tuple(_graph_saved(self, k, a) for k, a in enumerate(saved))
        return tuple(None if a is None else _make(a) for a in saved)

    def mark_non_differentiable(self, *tensors):
        self._non_differentiable = tensors


class Function:
    """Base de las operaciones propias: define ``forward`` y ``backward`` estáticos.

    ``forward(ctx, *args, **kwargs)`` recibe y devuelve Tensores (o una tupla de Tensores);
    los argumentos que no son tensores se pasan tal cual. ``backward(ctx, *grad_outputs)``
    recibe un gradiente por salida y devuelve uno por argumento de ``forward`` (None para los
    que no son tensores o no necesitan gradiente). Ambos se ejecutan dentro de ``no_grad``.
    Se usa con ``MiFuncion.apply(x, ...)``.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._op = type(cls.__name__, (_FunctionOp,), {
            "function": cls, "__module__": cls.__module__, "__qualname__": cls.__qualname__,
            "_selectors": [], "torch_name": cls.__name__ + "Backward"})
        cls._signature = None

    def __init__(self, *args, **kwargs):
        name = type(self).__name__
        raise RuntimeError(
            f"{name} no se instancia: sus métodos son estáticos. Llama a {name}.apply(...) "
            f"(por ejemplo y = {name}.apply(x)) en lugar de {name}(...).")

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise RuntimeError(
            "Una subclase de Function debe definir forward como @staticmethod: "
            "def forward(ctx, x): ...")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise RuntimeError(
            "Esta Function no define backward: añade @staticmethod def backward(ctx, grad) "
            "que devuelva un gradiente por cada argumento de forward.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        """Estilo alternativo de PyTorch 2: forward sin ctx y aquí se prepara el ctx."""

    @classmethod
    def apply(cls, *args, **kwargs):
        if kwargs:
            args, kwargs = _bind(cls, args, kwargs)
        needs = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        track = grad_mode.enabled and any(needs)
        ctx = FunctionCtx(cls._op, needs if track else (False,) * len(args))
        ctx._non_differentiable = ()
        with no_grad():
            if cls.setup_context is Function.setup_context:
                outputs = cls.forward(ctx, *args, **kwargs)
            else:
                outputs = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, outputs)
        if not track:
            return outputs
        return _connect(ctx, args, outputs)


class _FunctionOp:
    """Adaptador (una subclase por Function) entre el motor, que usa arrays, y el usuario."""

    function = Function

    @classmethod
    def backward(cls, ctx, grad):
        fn = cls.function
        if isinstance(grad, Tensor):   # create_graph=True: backward se registra en el grafo
            return _graph_backward(fn, ctx, grad)
        grad_outputs = _split_gradient(ctx, grad)
        with no_grad():
            try:
                result = fn.backward(ctx, *grad_outputs)
            except (ValueError, OverlappingWriteError) as exc:
                if isinstance(exc, ValueError) and "read-only" not in str(exc):
                    raise
                raise RuntimeError(
                    f"{fn.__name__}.backward intentó modificar in situ el gradiente que recibe: "
                    "ese array puede ser compartido con otras partes del grafo. Cópialo antes "
                    "de modificarlo: grad = grad_output.clone()") from exc
        return _to_arrays(fn, ctx, result)


def _graph_saved(ctx, k, array):
    """El tensor guardado ``k`` unido al grafo: la hoja, la historia de la entrada o la salida."""
    if array is None:
        return None
    nodes = getattr(ctx, "_saved_nodes", None) or ()
    node = nodes[k] if k < len(nodes) else None
    if node is None and ctx._layout is None and getattr(ctx, "_out_array", None) is array:
        node = ctx   # la salida de forward
    if node is None:   # una constante, pero como Tensor
        return _make(array)
    return connected(array, node, _make)


def _graph_backward(fn, ctx, grad):
    """``backward`` del usuario con create_graph=True: con el gradiente activado y Tensores."""
    if ctx._layout is not None:
        raise RuntimeError(
            f"{fn.__name__} devuelve varias salidas: create_graph=True (segundas derivadas) "
            "solo está disponible para Functions de una salida en tinygrad_es.")
    result = fn.backward(ctx, grad)
    result = result if isinstance(result, tuple) else (result,)
    arrays = _to_arrays(fn, ctx, tuple(r.detach() if isinstance(r, Tensor) else r
                                       for r in result))   # valida como siempre
    return tuple(None if a is None else r for a, r in zip(arrays, result))


class _SelectOutput:
    """Nodo de una salida cuando una Function tiene varias salidas diferenciables.

    El nodo de la Function recibe como gradiente un vector con los de todas sus salidas
    uno tras otro; cada salida coloca el suyo en su tramo (los demás quedan a cero, que es
    lo que PyTorch pasa a backward para una salida que no se usó).
    """

    @staticmethod
    def backward(ctx, grad):
        packed = np.zeros(ctx.total, dtype=ctx.pack_dtype)
        packed[ctx.start:ctx.start + grad.size] = grad.ravel()
        return packed


def _bind(cls, args, kwargs):
    """Con argumentos por nombre, como PyTorch: se ligan a la firma de forward (con defectos)."""
    signature = cls._signature
    if signature is None:
        if cls.setup_context is Function.setup_context:
            signature = inspect.signature(cls.forward)
        else:
            signature = _with_ctx(cls.forward)
        cls._signature = signature
    bound = signature.bind(None, *args, **kwargs)
    bound.apply_defaults()
    return bound.args[1:], bound.kwargs


def _with_ctx(forward):
    """Firma de un forward sin ctx (estilo setup_context) con un ctx delante, para ligarla."""
    params = list(inspect.signature(forward).parameters.values())
    ctx = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_ONLY)
    return inspect.Signature([ctx] + params)


def _connect(ctx, args, outputs):
    """Enlaza el nodo: padres, salidas diferenciables y su grad_fn."""
    ctx.parents = tuple(
        None if not need else (a.grad_fn if a.grad_fn is not None else a._grad_accumulator())
        for a, need in zip(args, ctx.needs_input_grad))
    ctx._tensor_inputs = tuple(isinstance(a, Tensor) for a in args)
    is_tuple = isinstance(outputs, tuple)
    outs = list(outputs) if is_tuple else [outputs]
    non_diff, ctx._non_differentiable = ctx._non_differentiable, ()
    diff = []
    for i, out in enumerate(outs):
        if not isinstance(out, Tensor):
            if not is_tuple:
                raise TypeError(
                    f"{ctx.op_name}.forward debe devolver un Tensor o una tupla de Tensores, pero "
                    f"devolvió {type(out).__name__}.")
            continue
        differentiable = out._data.dtype.kind in "fc" and not any(out is t for t in non_diff)
        if (out._requires_grad or out.grad_fn is not None or any(out is a for a in args)
                or any(out is o for o in outs[:i])):
            outs[i] = out = _alias(out)   # p. ej. forward devolvió su entrada tal cual
        if differentiable:
            diff.append(i)
    if diff:
        _link_outputs(ctx, outs, diff, is_tuple)
    if grad_mode.anomaly:
        from .anomaly import record_trace
        record_trace(ctx)
    if grad_mode.recorder is not None and len(diff) == 1:   # viz.registrar()
        grad_mode.recorder.on_forward(ctx, args, outs[diff[0]]._data)
    return tuple(outs) if is_tuple else outs[0]


def _alias(out):
    """Un Tensor nuevo con los mismos datos (y el mismo contador de versión)."""
    alias = _make(out._data)
    alias._version = out._version_counter()
    return alias


def _link_outputs(ctx, outs, diff, is_tuple):
    if len(diff) == 1:
        out = outs[diff[0]]
        ctx.shape, ctx.dtype = out._data.shape, out._data.dtype
        out.grad_fn, out._requires_grad = ctx, True
        ctx._out_array = out._data   # por si forward la guardó (create_graph la une al grafo)
        if is_tuple:
            ctx._layout = tuple(_layout_entry(o, _WHOLE if i == diff[0] else None)
                                for i, o in enumerate(outs))
        else:
            ctx._layout = None
        return
    pack_dtype = np.result_type(*(outs[i]._data.dtype for i in diff))
    layout, start = [], 0
    for i, out in enumerate(outs):
        if i in diff:
            layout.append(_layout_entry(out, start))
            start += out._data.size
        else:
            layout.append(_layout_entry(out, None))
    ctx._layout = tuple(layout)
    ctx.shape, ctx.dtype = (start,), pack_dtype
    op = ctx.op
    for k, i in enumerate(diff):
        out = outs[i]
        node = Node(_selector(op, k), (True,))
        node.parents = (ctx,)
        node.shape, node.dtype = out._data.shape, out._data.dtype
        node.start, node.total, node.pack_dtype = layout[i][2], start, pack_dtype
        out.grad_fn, out._requires_grad = node, True
        if grad_mode.anomaly:
            from .anomaly import record_trace
            record_trace(node)


def _layout_entry(out, start):
    if not isinstance(out, Tensor):
        return None
    return (out._data.shape, out._data.dtype, start)


def _selector(op, k):
    """Operación (en caché) de la salida ``k`` de una Function: se llama ``MiFuncion[k]``."""
    selectors = op._selectors
    while len(selectors) <= k:
        selectors.append(type(f"{op.__name__}[{len(selectors)}]", (_SelectOutput,), {}))
    return selectors[k]


def _readonly(array):
    view = array.view()
    view.flags.writeable = False
    return view


def _split_gradient(ctx, grad):
    """De array del motor a un Tensor de gradiente por salida de forward."""
    layout = ctx._layout
    if layout is None:
        return (_make(_readonly(grad)),)
    grads = []
    for entry in layout:
        if entry is None:
            grads.append(None)
            continue
        shape, dtype, start = entry
        if start is None:   # salida no diferenciable: gradiente cero, como PyTorch
            piece = np.zeros(shape, dtype=dtype)
        elif start == _WHOLE:
            piece = grad
        else:
            piece = grad[start:start + int(np.prod(shape, dtype=np.int64))].reshape(shape)
            if piece.dtype != dtype:
                piece = piece.astype(dtype)
        grads.append(_make(_readonly(piece)))
    return tuple(grads)


def _to_arrays(fn, ctx, result):
    """Valida lo que devolvió backward y lo pasa a arrays (uno por argumento de forward)."""
    name = fn.__name__
    if type(result) is not tuple:
        result = tuple(result) if isinstance(result, list) else (result,)
    expected = len(ctx.parents)
    if len(result) > expected and all(g is None for g in result[expected:]):
        result = result[:expected]   # PyTorch admite Nones de sobra al final
    if len(result) != expected:
        raise RuntimeError(
            f"{name}.backward devolvió {len(result)} gradiente(s), pero forward recibió "
            f"{expected} argumento(s): debe devolver uno por argumento de forward, en el mismo "
            "orden (None para los que no son tensores o no necesitan gradiente).")
    arrays = []
    for position, (g, parent) in enumerate(zip(result, ctx.parents)):
        if g is None:
            arrays.append(None)
            continue
        if not isinstance(g, Tensor):
            raise RuntimeError(
                f"{name}.backward devolvió para su entrada {position} un objeto de tipo "
                f"{type(g).__name__}: cada gradiente debe ser un Tensor o None.")
        if not ctx._tensor_inputs[position]:
            raise RuntimeError(
                f"{name}.backward devolvió un gradiente distinto de None para su entrada "
                f"{position}, pero ese argumento de forward no era un tensor: devuelve None "
                "en esa posición.")
        if parent is None:
            arrays.append(None)
            continue
        a = g._data
        # El motor no debe guardar ni sumar in situ en un array que el usuario conserve
        # (un tensor guardado, un atributo de ctx): una vista lo marca como ajeno.
        arrays.append(a.copy() if not a.flags.writeable else a.view())
    return tuple(arrays)
