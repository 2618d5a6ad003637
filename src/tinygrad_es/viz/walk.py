"""Recorrido del grafo: qué nodos hay, en qué orden, cómo se llaman y a qué módulo pertenecen.

Lo usan el dibujo, el árbol de texto y la traza, para que los tres numeren y nombren igual
(``Linear #3``, ``stack.0.weight``). El recorrido es iterativo: sirve para cadenas muy largas.
"""
from ..autograd.graph import AccumulateGrad
from ..tensor import Tensor
from .recorder import registro


def es_modulo(objeto):
    return hasattr(objeto, "named_parameters") and hasattr(objeto, "named_modules")


class Nombres:
    """Nombres para mostrar, a partir de ``params``/``model``.

    ``params`` puede ser un modelo (``nn.Module``), un diccionario ``{nombre: tensor}`` (como
    ``dict(model.named_parameters())`` o incluso ``locals()``: se ignora lo que no sea un
    tensor o un módulo) o una lista de pares ``(nombre, tensor)``.
    """

    def __init__(self, params=None, model=None):
        self._tensores = {}      # id(tensor) -> (nombre, tensor)
        self._nodos = {}         # id(grad_fn) -> (nombre, nodo): tensores intermedios con nombre
        self._modulos = {}       # id(módulo) -> (ruta, módulo)
        self._ruta_param = {}    # id(parámetro) -> ruta del módulo que lo contiene
        for fuente in (model, params):
            self._agregar(fuente)

    def _agregar(self, fuente):
        if fuente is None:
            return
        if es_modulo(fuente):
            self._agregar_modulo(fuente)
            return
        if isinstance(fuente, Tensor):
            raise TypeError("params debe ser un modelo, un diccionario {nombre: tensor} o una "
                            "lista de pares (nombre, tensor), no un tensor suelto. Prueba "
                            "params={'x': x}.")
        pares = fuente.items() if hasattr(fuente, "items") else fuente
        for nombre, valor in pares:
            if not isinstance(nombre, str) or nombre.startswith("_"):
                continue
            if isinstance(valor, Tensor):
                self._nombrar(nombre, valor)
            elif es_modulo(valor):
                self._agregar_modulo(valor)

    def _agregar_modulo(self, modelo):
        for ruta, modulo in modelo.named_modules():
            self._modulos.setdefault(id(modulo), (ruta, modulo))
        for nombre, param in modelo.named_parameters():
            if id(param) not in self._tensores:
                self._tensores[id(param)] = (nombre, param)
                self._ruta_param[id(param)] = nombre.rpartition(".")[0]

    def _nombrar(self, nombre, tensor):
        if tensor.grad_fn is not None:
            self._nodos.setdefault(id(tensor.grad_fn), (nombre, tensor.grad_fn))
        else:
            self._tensores.setdefault(id(tensor), (nombre, tensor))

    def de_tensor(self, tensor):
        visto = self._tensores.get(id(tensor))
        return visto[0] if visto is not None and visto[1] is tensor else None

    def de_nodo(self, nodo):
        visto = self._nodos.get(id(nodo))
        return visto[0] if visto is not None and visto[1] is nodo else None

    def ruta_de_param(self, tensor):
        return self._ruta_param.get(id(tensor)) if self.de_tensor(tensor) is not None else None

    def rutas(self):
        """``[(ruta, módulo)]`` de todos los módulos conocidos."""
        return list(self._modulos.values())

    def ruta_de_modulo(self, modulo):
        visto = self._modulos.get(id(modulo))
        return visto[0] if visto is not None and visto[1] is modulo else None


def orden_topologico(raices):
    """Nodos alcanzables desde ``raices``, cada uno después de sus padres (sin recursión)."""
    orden = []
    vistos = set()
    for raiz in raices:
        if raiz is None or raiz in vistos:
            continue
        vistos.add(raiz)
        pila = [(raiz, iter(raiz.parents))]
        while pila:
            nodo, padres = pila[-1]
            for padre in padres:
                if padre is not None and padre not in vistos:
                    vistos.add(padre)
                    pila.append((padre, iter(padre.parents)))
                    break
            else:
                pila.pop()
                orden.append(nodo)
    return orden


def como_lista(salida):
    if isinstance(salida, Tensor):
        return [salida]
    salidas = list(salida)
    if not salidas or not all(isinstance(t, Tensor) for t in salidas):
        raise TypeError("draw_graph espera un tensor (por ejemplo la pérdida) o una lista de "
                        "tensores.")
    return salidas


class Vista:
    """El grafo de una o varias salidas, listo para dibujar o imprimir.

    - ``ops``: nodos de operación en orden de forward (las entradas antes);
    - ``hojas``: nodos ``AccumulateGrad`` (tensores hoja que requieren gradiente);
    - ``numero[nodo]``: 1, 2, 3... en ese orden (``Linear #3``);
    - ``reg[nodo]``: lo registrado por ``viz.registrar()`` o ``None``.
    """

    def __init__(self, salida, params=None, model=None):
        self.salidas = como_lista(salida)
        self.nombres = Nombres(params, model)
        self.raices = [t.grad_fn if t.grad_fn is not None else _hoja_existente(t)
                       for t in self.salidas]
        orden = orden_topologico(self.raices)
        self.ops = [n for n in orden if type(n) is not AccumulateGrad]
        self.hojas = [n for n in orden if type(n) is AccumulateGrad]
        self.numero = {n: i for i, n in enumerate(self.ops, 1)}
        self._numero_hoja = {h: i for i, h in enumerate(self.hojas, 1)}
        self.reg = {n: registro(n) for n in orden}
        self._mod_hoja = {}   # id(hoja) -> módulo (sin modelo: el de la operación que la usa)
        self._nombre_hoja_modulo = self._nombres_por_modulo()
        self.constantes = self._constantes()

    # --- nombres ---------------------------------------------------------
    def titulo(self, nodo):
        """``Linear #3`` para una operación; el nombre del parámetro para una hoja."""
        if type(nodo) is AccumulateGrad:
            return self.nombre_hoja(nodo) or "hoja"
        return f"{nodo.op_name} #{self.numero[nodo]}"

    def nombre_hoja(self, hoja):
        return (self.nombres.de_tensor(hoja.variable)
                or self._nombre_hoja_modulo.get(id(hoja)))

    def simbolo(self, nodo):
        """Nombre corto para fórmulas: el del usuario, o ``Mul#3`` / ``hoja#1``."""
        if type(nodo) is AccumulateGrad:
            nombre = self.nombre_hoja(nodo)
            return nombre or f"hoja#{self._numero_hoja[nodo]}"
        nombre = self.nombres.de_nodo(nodo)
        if nombre is None and len(self.raices) == 1 and nodo is self.raices[0]:
            nombre = self.nombres.de_tensor(self.salidas[0]) or "salida"
        return nombre or f"{nodo.op_name}#{self.numero[nodo]}"

    def simbolo_constante(self, constante):
        tensor = constante.tensor() if constante.tensor is not None else None
        if tensor is not None:
            nombre = self.nombres.de_tensor(tensor)
            if nombre:
                return nombre
        if constante.valor.size == 1:
            from .labels import num
            return num(constante.valor.reshape(()).item())
        return "x"

    # --- módulos ---------------------------------------------------------
    def modulo(self, nodo):
        """El objeto ``nn.Module`` que creó ``nodo`` (o ``None``)."""
        ref = getattr(nodo, "module", None)
        return ref() if ref is not None else None

    def _nombres_por_modulo(self):
        """Sin modelo: nombra ``weight``/``bias`` por el módulo de la operación que los usa."""
        nombres = {}
        for op in self.ops:
            modulo = self.modulo(op)
            if modulo is None or self.nombres.ruta_de_modulo(modulo) is not None:
                continue
            directos = {id(p): n for n, p in _parametros_directos(modulo)}
            for padre in op.parents:
                if type(padre) is AccumulateGrad and id(padre.variable) in directos:
                    if self.nombres.de_tensor(padre.variable) is None:
                        nombres.setdefault(id(padre), directos[id(padre.variable)])
                        self._mod_hoja.setdefault(id(padre), modulo)
        return nombres

    def modulo_de_hoja(self, hoja):
        """Sin modelo: el módulo que usó la hoja como parámetro propio (o ``None``)."""
        return self._mod_hoja.get(id(hoja))

    # --- entradas sin gradiente -------------------------------------------
    def _constantes(self):
        """Tensores de entrada sin gradiente registrados (los datos ``X``), sin repetir."""
        vistas = {}
        for op in self.ops:
            reg = self.reg[op]
            if reg is None or reg.entradas is None:
                continue
            for constante in reg.entradas:
                if constante is not None and constante.es_tensor:
                    vistas.setdefault(id(constante), constante)
        return list(vistas.values())


def _hoja_existente(tensor):
    if tensor._requires_grad:
        return tensor._grad_accumulator()
    return None


def _parametros_directos(modulo):
    try:
        return list(modulo.named_parameters(recurse=False))
    except TypeError:
        return []
