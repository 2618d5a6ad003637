"""Nodos del grafo de cómputo.

Un ``Node`` es a la vez el ``ctx`` que ve la operación (``save_for_backward``,
``needs_input_grad``) y el nodo del grafo: guarda enlaces a los nodos padres
(nunca a los tensores de entrada), la forma y el dtype de su salida y el módulo
que lo creó. Este archivo no importa ``Tensor``.
"""

RELEASED = None  # valor de ``Node.saved`` cuando backward ya liberó lo guardado


class GradMode:
    """Estado global del modo gradiente (lo cambian ``no_grad`` y compañía).

    ``watching`` resume en un solo booleano si hay algún observador (``detect_anomaly()`` o
    ``viz.registrar()``): cada operación lo consulta una vez.
    """

    __slots__ = ("enabled", "module", "_anomaly", "_recorder", "watching")

    def __init__(self):
        self.enabled = True
        self.module = None       # referencia débil al módulo en ejecución más interno (o None)
        self._anomaly = False    # modo de detección de anomalías
        self._recorder = None    # registrador de viz (valores y gradientes) o None
        self.watching = False

    @property
    def anomaly(self):
        return self._anomaly

    @anomaly.setter
    def anomaly(self, mode):
        self._anomaly = mode
        self.watching = bool(mode) or self._recorder is not None

    @property
    def recorder(self):
        return self._recorder

    @recorder.setter
    def recorder(self, recorder):
        self._recorder = recorder
        self.watching = recorder is not None or bool(self._anomaly)


grad_mode = GradMode()


class VersionCounter:
    """Contador de versión compartido por los tensores que comparten memoria.

    Sin ``__init__``: ``value`` empieza en el 0 de la clase y solo se escribe en el objeto la
    primera vez que una operación in situ lo incrementa (crear uno en cada operación que guarda
    su salida sale así más barato; casi ninguno llega a cambiar).
    """

    value = 0


class Node:
    """Nodo del grafo y ``ctx`` de la operación que lo creó.

    - ``op``: la clase de la operación (con ``forward``/``backward``).
    - ``parents``: un nodo padre por entrada (``None`` si esa entrada no necesita gradiente).
    - ``needs_input_grad``: tupla de booleanos, una por entrada.
    - ``saved``: arrays guardados con ``save_for_backward``; ``None`` tras liberarlos.
    - ``shape``/``dtype``: los de la salida (bastan para reducir gradientes difundidos).
    - ``module``: referencia débil al módulo ``nn`` más interno activo al crearse.
    """

    __slots__ = ("op", "parents", "needs_input_grad", "saved", "versions", "shape",
                 "dtype", "module", "retained", "trace", "__dict__", "__weakref__")

    def __init__(self, op, needs_input_grad):
        self.op = op
        self.needs_input_grad = needs_input_grad
        self.saved = ()
        self.versions = None
        self.parents = ()
        self.retained = None
        self.trace = None
        self.module = grad_mode.module

    # --- la API de ``ctx`` -------------------------------------------------
    def save_for_backward(self, *arrays):
        self.saved = arrays

    @property
    def saved_tensors(self):
        if self.saved is RELEASED:
            raise_released(self)
        return self.saved

    @property
    def name(self):
        return self.op.__name__

    def __repr__(self):
        return f"<{self.name}Backward object>"

    def next_functions(self):
        return tuple((p, 0) for p in self.parents)


class AccumulateGrad:
    """Nodo hoja: escribe el gradiente en ``tensor.grad`` (como AccumulateGrad de PyTorch)."""

    __slots__ = ("variable", "shape", "dtype", "module", "__weakref__")
    parents = ()
    name = "AccumulateGrad"

    def __init__(self, variable):
        self.variable = variable
        self.shape = variable._data.shape
        self.dtype = variable._data.dtype
        self.module = None

    def __repr__(self):
        return "<AccumulateGrad object>"


def raise_released(node):
    raise RuntimeError(
        f"Se intentó recorrer el grafo hacia atrás por segunda vez (nodo {node.name}), "
        "pero sus valores intermedios ya se liberaron tras el primer backward(). "
        "Si necesitas llamar a backward() dos veces sobre el mismo grafo, usa "
        "backward(retain_graph=True) la primera vez.")
