"""``draw_graph``: el grafo de cómputo como ``graphviz.Digraph``.

Un nodo por operación (``Linear #3``: nombre, número en orden de forward, forma y tipo de su
salida) y uno por tensor: hojas que requieren gradiente (los parámetros, con su nombre
``stack.0.weight``), entradas sin gradiente (si se registró el forward) y la salida. Las
operaciones hechas dentro de un ``nn.Module`` se agrupan en cajas anidadas como los módulos.

``max_nodes`` es un límite de verdad: primero se colapsan módulos y, si aun así no cabe, se
dibujan solo los nodos más cercanos a la salida y un nodo «recortado» que dice cuántos y cuáles
faltan (lo mismo queda en ``grafo.recorte`` y en un aviso ``UserWarning``).
"""
import math
import warnings

import numpy as np

from .backward_view import (SIN_DATO, SIN_GRADIENTE, Escala, estilo, etiqueta_arista,
                            etiqueta_semilla, gradientes_de_aristas)
from .clusters import Agrupacion, miembros
from .labels import etiqueta, norma, num
from .nodes import (COLORES_CAJA, ESTILO, Opciones, es_hoja, etiqueta_caja,
                    etiqueta_constante, etiqueta_hoja, etiqueta_op, etiqueta_salida, leyenda)
from .recorte import recortar
from .render import Grafo
from .text import graph_text
from .walk import Vista
from ..errors import user_stacklevel

_RANKDIRS = ("TB", "LR", "BT", "RL")
ESTILO_RECORTE = {"shape": "note", "style": "filled,dashed", "fillcolor": "#f8f9fa",
                  "color": "#868e96"}


def draw_graph(output, *, params=None, model=None, show_values=True, show_grads=True,
               rankdir="TB", max_elements=6, direction="forward", max_nodes=300,
               collapse=None, legend=True, vanishing=1e-7, exploding=1e3, title=None):
    """Dibuja el grafo que construyó autograd para llegar a ``output``.

    - ``params``: el modelo (``nn.Module``), un diccionario ``{nombre: tensor}`` (vale
      ``locals()``) o pares ``(nombre, tensor)``; da nombre a parámetros y tensores y rutas a
      los módulos. ``model`` es lo mismo (se pueden dar los dos).
    - ``show_values``/``show_grads``: resumen del valor y del gradiente de cada tensor
      (las hojas y la salida siempre; los intermedios si se registró con ``viz.registrar()``).
    - ``max_elements``: hasta cuántos elementos se muestran; con más, mínimo/media/máximo.
    - ``direction="backward"``: la vista hacia atrás (ver ``draw_backward``).
    - ``max_nodes``: si el dibujo tendría más nodos, los módulos se colapsan en un nodo cada
      uno (primero los más internos). ``collapse`` lo fuerza: ``True`` colapsa los módulos
      más internos; un entero ``d`` colapsa los módulos de profundidad ``d`` (raíz = 0). Si
      ni colapsando cabe, se dibujan los ``max_nodes - 1`` nodos más cercanos a la salida y
      un nodo «recortado» que dice lo que falta (también en ``grafo.recorte`` y en un aviso).
      Cuentan operaciones, tensores y módulos colapsados, no la leyenda. ``None``: sin límite.
    - ``vanishing``/``exploding``: umbrales de la norma para resaltar gradientes.

    Devuelve un ``graphviz.Digraph``: ``.render("grafo", format="svg")``, ``.pipe(format="png")``,
    ``.source`` (texto DOT) o, en Jupyter, se muestra solo. Su atributo ``recorte`` es ``None``
    o el texto que explica qué se dejó sin dibujar por ``max_nodes``.
    """
    if direction not in ("forward", "backward"):
        raise ValueError(f"direction debe ser 'forward' o 'backward', no {direction!r}.")
    if rankdir not in _RANKDIRS:
        raise ValueError(f"rankdir debe ser uno de {', '.join(_RANKDIRS)}, no {rankdir!r}.")
    if int(max_elements) < 1:
        raise ValueError(f"max_elements debe ser al menos 1, no {max_elements}.")
    if max_nodes is not None and (not isinstance(max_nodes, (int, np.integer))
                                  or isinstance(max_nodes, bool) or max_nodes < 1):
        raise ValueError(f"max_nodes debe ser un entero mayor o igual que 1 (o None, sin "
                         f"límite), no {max_nodes!r}.")
    vista = Vista(output, params, model)
    op_ = Opciones(show_values, show_grads, int(max_elements), direction == "backward",
                   float(vanishing), float(exploding))
    return _Dibujo(vista, op_, rankdir, max_nodes, collapse, legend, title).grafo


def draw_backward(output, **kwargs):
    """La vista hacia atrás: ``draw_graph(output, direction="backward", ...)``.

    Cada arista lleva el gradiente que viajó por ella (valor o norma), con grosor según su
    magnitud; los que se desvanecen (``< 1e-7``) o explotan se resaltan. Necesita que el
    backward se haya ejecutado dentro de ``viz.registrar()`` (o usa ``trace_backward``).
    """
    kwargs["direction"] = "backward"
    return draw_graph(output, **kwargs)


class _Dibujo:
    def __init__(self, vista, op_, rankdir, max_nodes, collapse, legend, title):
        self.vista = vista
        self.op_ = op_
        self.agrupacion = Agrupacion(vista)
        otros = len(vista.constantes) + len(vista.salidas)
        if collapse is None:
            self.mapa = self.agrupacion.elegir(max_nodes, otros)
        else:
            self.mapa = self.agrupacion.colapso(collapse)
        # salidas que son hojas (sin grad_fn): se dibujan una vez, con el estilo de salida
        self.hojas_salida = {id(t) for t in vista.salidas if t.grad_fn is None and t._requires_grad}
        self.colapsadas = set(self.mapa.values())
        self.visibles = None    # None: se dibuja todo; si no, las unidades que caben
        self.recorte = None
        if max_nodes is not None and self._cota() > max_nodes:
            recortar(self, int(max_nodes))
        self.ids = {}
        self.contenido = {}     # caja (o None: fuera de módulos) -> [(id, etiqueta, estilo)]
        g = self.grafo = Grafo(name="grafo_de_computo")
        g.texto = graph_text(vista)   # lo que Jupyter muestra si falta el programa dot
        g.attr(rankdir=rankdir, fontname="Helvetica", fontsize="12", labelloc="t",
               nodesep="0.3", ranksep="0.35", newrank="true")
        g.attr("node", fontname="Helvetica", fontsize="11", margin="0.12,0.06")
        g.attr("edge", fontname="Helvetica", fontsize="10", arrowsize="0.7", color="#495057")
        if title is None:
            title = ("Retropropagación: el gradiente viaja desde la salida hacia las hojas"
                     if op_.backward else "Grafo de cómputo (forward)")
        if title and self.recorte:
            title += f" (recortado a {max_nodes} nodos: ver el nodo «… sin dibujar»)"
        if title:
            g.attr(label=title)
        g.recorte = self.recorte and self.recorte["nota"]
        self._nodos()
        self.principal = self._camino_principal()
        self.al_lado = set()   # (id del parámetro, id de su operación): aristas horizontales
        self._cajas()
        self._aristas()
        if legend:
            hay_registro = any(r is not None and (r.valor is not None or r.gradiente is not None)
                               for r in vista.reg.values())
            with g.subgraph(name="leyenda_rango") as s:
                s.attr(rank="sink")
                s.node("leyenda", leyenda(op_, hay_registro), shape="plain")
        if self.recorte:
            warnings.warn(self.recorte["nota"], UserWarning, stacklevel=user_stacklevel())

    # --- recorte por max_nodes -------------------------------------------------
    def unidad(self, nodo):
        """Lo que se dibuja por ``nodo``: él mismo o la caja colapsada que lo contiene."""
        return self.mapa.get(nodo, nodo)

    def visible(self, unidad):
        return self.visibles is None or unidad in self.visibles

    def _cota(self):
        """Nodos que tendría el dibujo (cota superior barata, sin recorrer el grafo)."""
        vista = self.vista
        return (len(vista.ops) + len(vista.hojas) + len(vista.constantes) + len(vista.salidas)
                - len(self.mapa) + len(self.colapsadas))

    # --- nodos ---------------------------------------------------------------
    def _agregar(self, caja, id_, etiqueta, clase):
        """Un nodo dentro de ``caja`` (None: fuera de los módulos).

        ``clase`` es una clave de ``ESTILO`` (y la leyenda la apunta) o un estilo propio.
        """
        if isinstance(clase, str):
            self.op_.vistos.add(clase)
            clase = ESTILO[clase]
        self.contenido.setdefault(caja, []).append((id_, etiqueta, clase))

    def _nodos(self):
        vista, op_ = self.vista, self.op_
        raices = set(vista.raices)
        if self.recorte:
            self._agregar(None, "recorte", etiqueta("… sin dibujar", self.recorte["lineas"]),
                          ESTILO_RECORTE)
        for k, hoja in enumerate(vista.hojas, 1):
            self.ids[hoja] = f"p{k}"
            if hoja in self.mapa or not self.visible(hoja):
                continue
            clase = "salida" if id(hoja.variable) in self.hojas_salida else "param"
            self._agregar(self.agrupacion.de_nodo.get(hoja), f"p{k}",
                          etiqueta_hoja(vista, hoja, op_), clase)
        for op in vista.ops:
            self.ids[op] = f"op{vista.numero[op]}"
            if op in self.mapa or not self.visible(op):
                continue
            self._agregar(self.agrupacion.de_nodo.get(op), self.ids[op],
                          etiqueta_op(vista, op, op_, mostrar_valor=op not in raices), "op")
        for k, constante in enumerate(vista.constantes, 1):
            self.ids[id(constante)] = f"x{k}"
            if not self.visible(("x", id(constante))):
                continue
            self._agregar(None, f"x{k}", etiqueta_constante(vista, constante, op_), "entrada")
        for k, (tensor, raiz) in enumerate(zip(vista.salidas, vista.raices), 1):
            if id(tensor) in self.hojas_salida or not self.visible(("salida", k)):
                continue
            self._agregar(None, f"salida{k}", etiqueta_salida(vista, tensor, raiz, op_), "salida")
        for k, caja in enumerate(self.agrupacion.cajas.values(), 1):
            if caja in self.colapsadas:
                self.ids[caja] = f"m{k}"
                if not self.visible(caja):
                    continue
                ops, hojas = miembros(self.mapa, caja)
                self._agregar(caja.padre, f"m{k}", etiqueta_caja(vista, caja, ops, hojas, op_),
                              "modulo")

    def _camino_principal(self):
        """Ids del camino de los datos hasta la (primera) salida.

        Desde la salida hacia atrás, por la primera entrada de cada operación que es otra
        operación (no un parámetro): X → Linear → Sigmoid → ... → pérdida. Con el mismo
        ``group``, dot los pone en una columna recta: las flechas de ese camino van verticales
        y no cruzan en diagonal el título de las cajas de los módulos.
        """
        vista = self.vista
        if not vista.raices or vista.raices[0] is None:
            return set()
        ids = set()
        if id(vista.salidas[0]) not in self.hojas_salida and self.visible(("salida", 1)):
            ids.add("salida1")
        nodo, vistos = vista.raices[0], set()
        while nodo is not None and not es_hoja(nodo) and nodo not in vistos:
            vistos.add(nodo)
            if not self.visible(self.unidad(nodo)):
                break
            ids.add(self._destino(nodo))
            nodo = next((p for p in nodo.parents if p is not None and not es_hoja(p)), None)
        return ids

    def _con_grupo(self, id_, estilo_):
        return dict(estilo_, group="principal") if id_ in self.principal else estilo_

    def _cajas(self):
        g = self.grafo
        for id_, texto, estilo_ in self.contenido.get(None, ()):
            g.node(id_, texto, **self._con_grupo(id_, estilo_))
        for caja in self.agrupacion.raices:
            self._emitir_caja(caja, g)

    def _con_algo(self, caja):
        """¿Queda algo que dibujar dentro de ``caja`` (tras el recorte)?"""
        return bool(self.contenido.get(caja)) or any(self._con_algo(h) for h in caja.hijos)

    def _emitir_caja(self, caja, contenedor):
        if caja in self.colapsadas or (self.recorte and not self._con_algo(caja)):
            return
        self.op_.vistos.add("caja")
        with contenedor.subgraph(name=caja.id) as sub:
            sub.attr(label=caja.etiqueta, style="rounded,filled",
                     fillcolor=COLORES_CAJA[caja.profundidad % 2], color="#adb5bd",
                     fontname="Helvetica", fontsize="11", labeljust="l")
            for id_, texto, estilo_ in self.contenido.get(caja, ()):
                sub.node(id_, texto, **self._con_grupo(id_, estilo_))
            self._parametros_al_lado(caja, sub)
            for hija in caja.hijos:
                self._emitir_caja(hija, sub)

    def _parametros_al_lado(self, caja, sub):
        """Los parámetros de un módulo, a la altura de la operación que los usa.

        Así el camino de los datos (X → Linear → Sigmoid → ...) queda en una columna recta y
        los pesos entran por el lado, en lugar de empujar las capas siguientes en zigzag.
        """
        colocadas = set()
        for op in self.vista.ops:
            if op in self.mapa or self.agrupacion.de_nodo.get(op) is not caja \
                    or not self.visible(op):
                continue
            hojas = [p for p in op.parents if p is not None and es_hoja(p) and p not in colocadas
                     and p not in self.mapa and self.agrupacion.de_nodo.get(p) is caja
                     and self.visible(p)]
            if not hojas:
                continue
            colocadas.update(hojas)
            self.al_lado.update((self.ids[hoja], self.ids[op]) for hoja in hojas)
            with sub.subgraph() as fila:
                fila.attr(rank="same")
                for nodo in [op] + hojas:
                    fila.node(self.ids[nodo])

    # --- aristas -------------------------------------------------------------
    def _destino(self, nodo):
        caja = self.mapa.get(nodo)
        return self.ids[caja] if caja is not None else self.ids[nodo]

    def _aristas(self):
        vista, op_ = self.vista, self.op_
        gradientes = {}
        if op_.backward:
            for op, posicion, padre, g in gradientes_de_aristas(vista):
                gradientes[(op, posicion)] = g
            semillas = [etiqueta_semilla(vista, r) for r in vista.raices]
            normas = [norma(g) for g in gradientes.values()]
            normas += [norma(s[0]) for s in semillas if s is not None]
            escala = Escala(normas, op_.vanishing)
        vistas = {}   # aristas ya dibujadas entre módulos colapsados: (a, b) -> [gradientes]
        self._constantes_dibujadas = set()
        self._desde_recorte = set()
        for op in vista.ops:
            reg = vista.reg[op]
            if not self.visible(self.unidad(op)):
                continue
            for posicion, padre in enumerate(op.parents):
                if padre is None:
                    constante = reg.entradas[posicion] if reg and reg.entradas else None
                    if constante is not None and constante.es_tensor:
                        if self.visible(("x", id(constante))):
                            self._arista_constante(self.ids[id(constante)], self._destino(op))
                        else:
                            self._arista_recorte(self._destino(op))
                    continue
                if not self.visible(self.unidad(padre)):
                    self._arista_recorte(self._destino(op))
                    continue
                cola = self._destino(padre)
                cabeza = self._destino(op)
                if cola == cabeza:
                    continue
                g = gradientes.get((op, posicion))
                if padre in self.mapa or op in self.mapa:
                    vistas.setdefault((cola, cabeza), []).append(g)
                    continue
                self._arista(cola, cabeza, g, op, posicion, escala if op_.backward else None)
        for (cola, cabeza), gs in vistas.items():
            self._arista_colapsada(cola, cabeza, gs, escala if op_.backward else None)
        for k, (tensor, raiz) in enumerate(zip(vista.salidas, vista.raices), 1):
            if raiz is None or id(tensor) in self.hojas_salida:
                continue
            if not self.visible(("salida", k)):
                continue
            if not self.visible(self.unidad(raiz)):
                self._arista_recorte(f"salida{k}")
                continue
            cola = self._destino(raiz)
            if not op_.backward:
                self._flecha(cola, f"salida{k}")
                continue
            semilla = semillas[k - 1]
            if semilla:
                self.grafo.edge(cola, f"salida{k}", **estilo(semilla[0], escala, op_, semilla[1]))
            else:
                self._sin_dato(cola, f"salida{k}")

    def _flecha(self, cola, cabeza):
        """Arista del forward: el dato va de ``cola`` a la operación ``cabeza``."""
        self.op_.vistos.add("flecha")
        self.grafo.edge(cola, cabeza)

    def _sin_dato(self, cola, cabeza):
        """Arista hacia atrás cuyo gradiente no se registró."""
        self.op_.vistos.add("sin_dato")
        self.grafo.edge(cola, cabeza, **SIN_DATO)

    def _arista_recorte(self, cabeza):
        """Del nodo «recortado» a un nodo dibujado que recibe algo de lo que no se dibujó."""
        if cabeza in self._desde_recorte:
            return
        self._desde_recorte.add(cabeza)
        self.grafo.edge("recorte", cabeza, style="dashed", color="#adb5bd", arrowhead="none")

    def _arista_constante(self, cola, cabeza):
        """Entrada sin gradiente: en la vista hacia atrás, punteada y sin flecha."""
        if (cola, cabeza) in self._constantes_dibujadas:
            return
        self._constantes_dibujadas.add((cola, cabeza))
        if self.op_.backward:
            self.op_.vistos.add("sin_gradiente")
            self.grafo.edge(cola, cabeza, **SIN_GRADIENTE)
        else:
            self._flecha(cola, cabeza)

    def _arista(self, cola, cabeza, g, op, posicion, escala):
        if escala is None:
            self._flecha(cola, cabeza)
        elif g is None:
            self._sin_dato(cola, cabeza)
        else:
            texto = etiqueta_arista(self.vista, op, posicion, g)
            atributos = estilo(g, escala, self.op_, texto)
            if (cola, cabeza) in self.al_lado:
                # arista horizontal: dot pone la etiqueta encima y la arista, si salta por
                # encima de otro nodo, hace un arco que pasa por la mitad de abajo del texto;
                # una línea en blanco debajo lo separa del arco
                atributos["label"] += "\\n "
            self.grafo.edge(cola, cabeza, **atributos)

    def _arista_colapsada(self, cola, cabeza, gs, escala):
        if escala is None:
            self._flecha(cola, cabeza)
            return
        conocidos = [g for g in gs if g is not None]
        if not conocidos:
            self._sin_dato(cola, cabeza)
            return
        total = math.sqrt(sum(norma(g) ** 2 for g in conocidos))
        self.grafo.edge(cola, cabeza, **estilo(np.array([total]), escala, self.op_,
                                               f"‖g‖ = {num(total)}"))
