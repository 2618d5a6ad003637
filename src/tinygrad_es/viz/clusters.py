"""Agrupación por módulos: cajas anidadas ``stack: Sequential`` > ``stack.0: Linear``.

Cada nodo guarda (débilmente) el módulo más interno activo cuando se creó; aquí se traduce a
rutas (``stack.0``) con ``model.named_modules()`` y se construye el árbol de cajas, con sus
antepasados. Para grafos grandes, ``colapso`` decide qué cajas se dibujan como un solo nodo.
"""
from ..autograd.graph import AccumulateGrad


class Caja:
    """Un módulo dibujado como cluster de graphviz (o, colapsado, como un solo nodo)."""

    __slots__ = ("clave", "etiqueta", "padre", "hijos", "profundidad", "id")

    def __init__(self, clave, etiqueta, padre, profundidad, numero):
        self.clave = clave
        self.etiqueta = etiqueta
        self.padre = padre
        self.hijos = []
        self.profundidad = profundidad
        self.id = f"cluster_m{numero}"

    def antepasado(self, profundidad):
        caja = self
        while caja.profundidad > profundidad:
            caja = caja.padre
        return caja


class Agrupacion:
    """Cajas de módulos del grafo y la caja más interna de cada nodo (o ``None``)."""

    def __init__(self, vista):
        self.vista = vista
        self.cajas = {}       # clave -> Caja
        self.raices = []      # cajas sin padre, en orden de aparición
        self.de_nodo = {}     # nodo (op o hoja) -> Caja más interna
        self._por_ruta = {}
        nombres = vista.nombres
        for ruta, modulo in nombres.rutas():
            self._por_ruta[ruta] = modulo
        for op in vista.ops:
            modulo = vista.modulo(op)
            if modulo is not None:
                self.de_nodo[op] = self._caja_de_modulo(modulo)
        for hoja in vista.hojas:
            ruta = nombres.ruta_de_param(hoja.variable)
            if ruta is not None and ruta in self._por_ruta:
                self.de_nodo[hoja] = self._caja_de_ruta(ruta)
            elif vista.modulo_de_hoja(hoja) is not None:
                self.de_nodo[hoja] = self._caja_de_modulo(vista.modulo_de_hoja(hoja))

    def _caja_de_modulo(self, modulo):
        ruta = self.vista.nombres.ruta_de_modulo(modulo)
        if ruta is not None:
            return self._caja_de_ruta(ruta)
        clave = ("?", id(modulo))   # módulo fuera del modelo (p. ej. la función de pérdida)
        caja = self.cajas.get(clave)
        if caja is None:
            caja = self._nueva(clave, type(modulo).__name__, None, 1)
        return caja

    def _caja_de_ruta(self, ruta):
        caja = self.cajas.get(ruta)
        if caja is not None:
            return caja
        tipo = type(self._por_ruta[ruta]).__name__
        if ruta == "":
            return self._nueva("", tipo, None, 0)
        padre_ruta = ruta.rpartition(".")[0]
        while padre_ruta and padre_ruta not in self._por_ruta:   # el antepasado conocido
            padre_ruta = padre_ruta.rpartition(".")[0]
        padre = self._caja_de_ruta(padre_ruta) if padre_ruta in self._por_ruta else None
        profundidad = ruta.count(".") + 1
        return self._nueva(ruta, f"{ruta}: {tipo}", padre, profundidad)

    def _nueva(self, clave, etiqueta, padre, profundidad):
        caja = Caja(clave, etiqueta, padre, profundidad, len(self.cajas))
        self.cajas[clave] = caja
        if padre is None:
            self.raices.append(caja)
        else:
            padre.hijos.append(caja)
        return caja

    # --- colapso ----------------------------------------------------------
    def colapso(self, modo):
        """``{nodo: caja colapsada}`` según ``modo``.

        - ``None``/``False``: nada colapsado;
        - ``True``: cada módulo más interno (sin submódulos dibujados) es un solo nodo;
        - un entero ``d``: cada módulo de profundidad ``d`` (la raíz es 0) es un solo nodo, con
          todo lo que contiene.
        """
        if modo is None or modo is False:
            return {}
        if modo is True:
            return {n: c for n, c in self.de_nodo.items() if not c.hijos}
        d = int(modo)
        return {n: c.antepasado(d) for n, c in self.de_nodo.items() if c.profundidad >= d}

    def modos_posibles(self):
        """Colapsos de menos a más agresivo: primero los módulos internos, luego por niveles."""
        if not self.cajas:
            return []
        maxima = max(c.profundidad for c in self.cajas.values())
        return [True] + list(range(maxima - 1, 0, -1))

    def elegir(self, max_nodes, n_otros):
        """El colapso más suave con el que el dibujo queda en ``max_nodes`` nodos o menos."""
        total = len(self.vista.ops) + len(self.vista.hojas) + n_otros
        if max_nodes is None or total <= max_nodes:
            return {}
        mapa = {}
        for modo in self.modos_posibles():
            mapa = self.colapso(modo)
            if total - len(mapa) + len(set(mapa.values())) <= max_nodes:
                break
        return mapa


def miembros(mapa, caja):
    """Operaciones y hojas que quedan dentro de una caja colapsada."""
    ops = [n for n, c in mapa.items() if c is caja and type(n) is not AccumulateGrad]
    hojas = [n for n, c in mapa.items() if c is caja and type(n) is AccumulateGrad]
    return ops, hojas
