"""``print_graph``: el grafo como árbol de texto (funciona sin Graphviz, en cualquier consola).

Empieza en la salida y baja hacia las entradas; un nodo usado por dos ramas se muestra una
vez y después se cita (``↑ Mul #3, ya mostrado``). Iterativo: sirve para cadenas largas.
"""
import sys

from .clusters import Agrupacion
from .labels import forma_y_tipo, resumen, resumen_gradiente
from .nodes import es_hoja
from .walk import Vista

_SANGRIA_MAXIMA = 120   # más allá, las ramas profundas dejan de desplazarse a la derecha


def print_graph(output, *, params=None, model=None, max_elements=6, max_lines=400, file=None):
    """Imprime el grafo de ``output`` como árbol de texto (ver ``graph_text``)."""
    texto = graph_text(output, params=params, model=model, max_elements=max_elements,
                       max_lines=max_lines)
    print(texto, file=file if file is not None else sys.stdout)


def graph_text(output, *, params=None, model=None, max_elements=6, max_lines=400):
    """El árbol de texto del grafo de ``output`` (lo que imprime ``print_graph``).

    Cada línea: la operación (``Linear #3``) o el tensor, su forma y tipo, el módulo que la
    creó entre corchetes y, si se conocen, su valor y su gradiente.
    """
    vista = output if isinstance(output, Vista) else Vista(output, params, model)
    return _Arbol(vista, int(max_elements), max_lines).texto()


class _Arbol:
    def __init__(self, vista, max_elements, max_lines):
        self.vista = vista
        self.max_elements = max_elements
        self.max_lines = max_lines
        self.cajas = Agrupacion(vista).de_nodo

    def texto(self):
        lineas = []
        recortado = False
        mostrados = set()
        for tensor, raiz in zip(self.vista.salidas, self.vista.raices):
            lineas.append(self._linea_salida(tensor, raiz))
            pila = [] if raiz is None else [(raiz, None, "", True)]
            while pila:
                nodo, constante, prefijo, ultimo = pila.pop()
                if self.max_lines is not None and len(lineas) >= self.max_lines:
                    recortado = True
                    break
                rama = "└── " if ultimo else "├── "
                if nodo is None:
                    lineas.append(prefijo + rama + self._linea_constante(constante))
                    continue
                if nodo in mostrados and not es_hoja(nodo):
                    lineas.append(f"{prefijo}{rama}↑ {self.vista.titulo(nodo)}, ya mostrado")
                    continue
                mostrados.add(nodo)
                lineas.append(prefijo + rama + self._linea_nodo(nodo))
                hijos = self._entradas(nodo)
                siguiente = prefijo if len(prefijo) >= _SANGRIA_MAXIMA else \
                    prefijo + ("    " if ultimo else "│   ")
                for k in range(len(hijos) - 1, -1, -1):
                    padre, cte = hijos[k]
                    pila.append((padre, cte, siguiente, k == len(hijos) - 1))
        if recortado:
            lineas.append(f"… (árbol recortado a {self.max_lines} líneas; usa max_lines=None "
                          "para verlo entero)")
        return "\n".join(lineas)

    def _entradas(self, nodo):
        if es_hoja(nodo):
            return []
        reg = self.vista.reg[nodo]
        entradas = reg.entradas if reg is not None and reg.entradas else None
        # Con registro, una entrada sin gradiente que no es numérica (p. ej. None) se omite.
        return [(padre, entradas[k] if entradas else None)
                for k, padre in enumerate(nodo.parents)
                if padre is not None or entradas is None or entradas[k] is not None]

    def _detalles(self, valor, gradiente):
        partes = []
        if valor is not None:
            partes.append(f"valor: {resumen(valor, self.max_elements)}")
        if gradiente is not None:
            partes.append(f"gradiente: {resumen_gradiente(gradiente, self.max_elements)}")
        return ("  " + " · ".join(partes)) if partes else ""

    def _linea_salida(self, tensor, raiz):
        nombre = self.vista.nombres.de_tensor(tensor) or (
            self.vista.nombres.de_nodo(raiz) if raiz is not None else None)
        cabeza = f"salida «{nombre}»" if nombre else "salida"
        grad = tensor.grad._data if tensor.grad is not None else None
        texto = (f"{cabeza}  {forma_y_tipo(tensor._data.shape, tensor._data.dtype)}"
                 + self._detalles(tensor._data, grad))
        if raiz is None:
            texto += "  (no requiere gradiente: no hay grafo)"
        return texto

    def _linea_nodo(self, nodo):
        vista = self.vista
        if es_hoja(nodo):
            tensor = nodo.variable
            nombre = vista.nombre_hoja(nodo) or "hoja"
            grad = tensor.grad._data if tensor.grad is not None else None
            return (f"{nombre}  {forma_y_tipo(tensor._data.shape, tensor._data.dtype)}"
                    f" · hoja que requiere gradiente{self._modulo(nodo)}"
                    + self._detalles(tensor._data, grad))
        reg = vista.reg[nodo]
        valor = reg.valor if reg is not None else None
        gradiente = reg.gradiente if reg is not None else None
        return (f"{vista.titulo(nodo)}  {forma_y_tipo(nodo.shape, nodo.dtype)}"
                f"{self._modulo(nodo)}" + self._detalles(valor, gradiente))

    def _modulo(self, nodo):
        caja = self.cajas.get(nodo)
        return f"  [{caja.etiqueta}]" if caja is not None else ""

    def _linea_constante(self, constante):
        if constante is None:
            return "(entrada sin gradiente)"
        if not constante.es_tensor:
            return f"constante {resumen(constante.valor, self.max_elements)}"
        tensor = constante.tensor()
        nombre = self.vista.nombres.de_tensor(tensor) if tensor is not None else None
        return (f"{nombre or 'entrada (sin gradiente)'}  "
                f"{forma_y_tipo(constante.valor.shape, constante.valor.dtype)}"
                + self._detalles(constante.valor, None))
