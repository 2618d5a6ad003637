"""``make_dot``: la función de torchviz, con sus argumentos, sobre el dibujo de ``draw_graph``.

Quien viene de PyTorch escribe::

    from tinygrad_es.viz import make_dot          # en lugar de: from torchviz import make_dot
    make_dot(y, params=dict(model.named_parameters())).render("grafo", format="png")

y obtiene, como con torchviz, un ``graphviz.Digraph``: los tensores hoja que requieren
gradiente en azul con el nombre que les da ``params`` y su forma, un nodo gris por operación
con el nombre de su nodo de backward (``grad_fn: AddmmBackward0``, el de PyTorch) y la salida
en verde. Es el dibujo de ``draw_graph`` (el mismo recorrido, los mismos colores y las cajas de
los módulos) sin valores, gradientes, título ni leyenda, como el de torchviz. Para ver valores,
gradientes y la leyenda, usa ``draw_graph``.

(torchviz no sirve con tensores de tinygrad_es: su ``make_dot`` comprueba con ``assert`` que
cada valor de ``params`` sea un ``torch.Tensor`` y falla con un ``AssertionError`` sin mensaje.)
"""
import numpy as np

from ..autograd.function import FunctionCtx
from ..autograd.graph import RELEASED
from ..tensor import Tensor
from .draw import _Dibujo
from .labels import esc, etiqueta, forma_y_tipo, partir
from .nodes import COLOR_EXPLOTA, Opciones
from .walk import Vista

COLOR_GUARDADO = "#ffd8a8"   # naranja claro: tensores guardados para backward (como en torchviz)
ESTILO_GUARDADO = {"shape": "box", "style": "filled", "fillcolor": COLOR_GUARDADO,
                   "color": COLOR_EXPLOTA}
ARISTA_GUARDADO = {"dir": "none", "style": "dashed", "color": COLOR_EXPLOTA}
_GANCHOS = ("pre_hooks", "post_hooks")   # los de register_hook: no son atributos de la op


def make_dot(var, params=None, show_attrs=False, show_saved=False, max_attr_chars=50):
    """El grafo de autograd de ``var`` como ``graphviz.Digraph``, como ``torchviz.make_dot``.

    - ``var``: el tensor de salida (la pérdida) o una tupla o lista de salidas.
    - ``params``: ``{nombre: tensor}`` para nombrar las hojas, como
      ``dict(model.named_parameters())``; también vale el modelo o ``locals()`` (se ignora lo
      que no sea un tensor).
    - ``show_attrs``: muestra en cada operación los atributos que guardó para backward
      (dimensiones, formas, ``reduction``...), cada valor cortado a ``max_attr_chars``
      caracteres (con ``...``).
    - ``show_saved``: dibuja en naranja cada tensor guardado para backward (forma y tipo),
      unido a la operación que lo guardó. Los de una ``autograd.Function`` propia se dibujan
      siempre, como en torchviz.

    Devuelve un ``graphviz.Digraph``: ``.render("grafo", format="png")``, ``.source`` (el texto
    DOT, no necesita Graphviz) o, en Jupyter, se muestra solo.
    """
    _comprobar_salidas(var)
    vista = Vista(var, params)
    op_ = Opciones(False, False, 6, False, 1e-7, 1e3)
    dibujo = _DibujoMakeDot(vista, op_, bool(show_attrs), bool(show_saved),
                            max(int(max_attr_chars), 3), params)
    return dibujo.grafo


def _comprobar_salidas(var):
    salidas = [var] if isinstance(var, Tensor) else (
        list(var) if isinstance(var, (tuple, list)) else None)
    if not salidas or not all(isinstance(t, Tensor) for t in salidas):
        raise TypeError(f"make_dot espera un tensor (por ejemplo la pérdida) o una tupla de "
                        f"tensores, no {type(var).__name__}.")


class _DibujoMakeDot(_Dibujo):
    """El dibujo de ``draw_graph`` (sin límite de nodos ni leyenda) con los extras de torchviz."""

    def __init__(self, vista, op_, show_attrs, show_saved, max_attr_chars, params):
        self.show_attrs = show_attrs
        self.show_saved = show_saved
        self.max_attr_chars = max_attr_chars
        self._op_de_id = {f"op{n}": op for op, n in vista.numero.items()}
        self._guardados = {}   # id(array) -> (id del nodo, array)
        self._nombre_datos = _nombres_de_datos(vista, params) if show_saved else {}
        super().__init__(vista, op_, rankdir="TB", max_nodes=None, collapse=None, legend=False,
                         title="")

    # --- etiquetas: el nombre del grad_fn y, si se piden, los atributos --------------
    def _agregar(self, caja, id_, etiqueta_, estilo_):
        op = self._op_de_id.get(id_)
        if op is not None:
            etiqueta_ = _con_lineas(etiqueta_, self._lineas_op(op))
        super()._agregar(caja, id_, etiqueta_, estilo_)

    def _lineas_op(self, op):
        lineas = [f"grad_fn: {op.name()}"]
        if self.show_attrs:
            lineas += [f"{nombre}: {self._cortar(valor)}" for nombre, valor in _atributos(op)]
        if self._dibuja_guardados(op) and op.saved is RELEASED:
            lineas.append("guardados: liberados por backward()")
        return lineas

    def _cortar(self, valor):
        texto = _texto_atributo(valor)
        n = self.max_attr_chars
        return texto if len(texto) <= n else texto[:n - 3] + "..."

    # --- tensores guardados ------------------------------------------------------
    def _dibuja_guardados(self, op):
        return self.show_saved or isinstance(op, FunctionCtx)

    def _nodos(self):
        super()._nodos()
        for op in self.vista.ops:
            if not self._dibuja_guardados(op) or op.saved is RELEASED:
                continue
            for array in op.saved:
                if array is None or id(array) in self._guardados:
                    continue
                id_ = f"s{len(self._guardados) + 1}"
                self._guardados[id(array)] = (id_, array)
                datos = np.asarray(array._data if isinstance(array, Tensor) else array)
                lineas = [forma_y_tipo(datos.shape, datos.dtype)]
                nombre = self._nombre_datos.get(id(array))
                if nombre is not None:
                    lineas.append(f"son los datos de {nombre}")
                self._agregar(self.agrupacion.de_nodo.get(op), id_,
                              etiqueta("tensor guardado", lineas), ESTILO_GUARDADO)

    def _aristas(self):
        super()._aristas()
        for op in self.vista.ops:
            if not self._dibuja_guardados(op) or op.saved is RELEASED:
                continue
            unidos = set()
            for array in op.saved:
                if array is not None and id(array) not in unidos:
                    unidos.add(id(array))
                    self.grafo.edge(self._guardados[id(array)][0], self.ids[op],
                                    **ARISTA_GUARDADO)


def _nombres_de_datos(vista, params):
    """``{id(array): nombre}`` de las hojas y de los tensores de ``params`` con nombre.

    Un tensor guardado que es el mismo array que un parámetro (o que ``X``, si se dio en
    ``params``) se rotula con ese nombre.
    """
    nombres = {}
    if params is not None and hasattr(params, "items"):
        for nombre, valor in params.items():
            if isinstance(nombre, str) and isinstance(valor, Tensor):
                nombres.setdefault(id(valor._data), nombre)
    for hoja in vista.hojas:
        nombre = vista.nombre_hoja(hoja)
        if nombre is not None:
            nombres.setdefault(id(hoja.variable._data), nombre)
    return nombres


def _atributos(op):
    """``[(nombre, valor)]`` que la operación guardó en su ``ctx`` (``ctx.dim = 1``...)."""
    # las ops internas guardan en ``ctx.label`` su nombre de PyTorch: ya está en ``grad_fn:``
    ocultos = _GANCHOS if isinstance(op, FunctionCtx) else _GANCHOS + ("label",)
    return [(nombre, valor) for nombre, valor in getattr(op, "__dict__", {}).items()
            if not nombre.startswith("_") and nombre not in ocultos]


def _es_tensor(valor):
    return isinstance(valor, (np.ndarray, Tensor))


def _texto_atributo(valor):
    if _es_tensor(valor):
        return "[tensor guardado]"
    if isinstance(valor, (tuple, list)) and any(_es_tensor(v) for v in valor):
        return "[tensores guardados]"
    return str(valor)


def _con_lineas(etiqueta_, lineas):
    """Añade líneas pequeñas al final de una etiqueta HTML de ``labels.etiqueta``."""
    extra = "".join(f'<BR/><FONT POINT-SIZE="10">{esc(trozo)}</FONT>'
                    for linea in lineas for trozo in partir(linea))
    return etiqueta_[:-1] + extra + ">"
