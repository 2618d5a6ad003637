"""Lectura mínima del texto DOT que escribe ``viz`` (para afirmar sobre él sin Graphviz)."""
import re

_NODO = re.compile(r"^\s*(\w+) \[label=(.*)$")
_ARISTA = re.compile(r"^\s*(\w+) -> (\w+)(?: \[(.*)\])?$")
_ETIQUETA_CAJA = re.compile(r'\blabel=("([^"]*)"|\S+)')


def nodos(fuente):
    """``{id: línea}`` de cada nodo con etiqueta (sin los de ``rank=same``)."""
    encontrados = {}
    for linea in fuente.splitlines():
        m = _NODO.match(linea)
        if m:
            encontrados[m.group(1)] = linea
    return encontrados


def aristas(fuente):
    """``[(cola, cabeza, atributos)]`` en orden."""
    lista = []
    for linea in fuente.splitlines():
        m = _ARISTA.match(linea)
        if m:
            lista.append((m.group(1), m.group(2), m.group(3) or ""))
    return lista


def ids(fuente, prefijo):
    """Ids de nodos que empiezan por ``prefijo`` seguido de un número (``op``, ``p``, ``x``)."""
    patron = re.compile(rf"^{prefijo}\d+$")
    return sorted(i for i in nodos(fuente) if patron.match(i))


def cajas(fuente):
    """``{id de nodo: [etiquetas de las cajas que lo contienen, de fuera a dentro]}``.

    También devuelve, con la clave ``None``, la lista de etiquetas de todas las cajas.
    """
    pila = []            # etiqueta de cada bloque abierto (None si no es una caja)
    dentro = {}
    todas = []
    esperando = False
    for linea in fuente.splitlines():
        s = linea.strip()
        if s.startswith("subgraph cluster_") and s.endswith("{"):
            pila.append(None)
            esperando = True
            continue
        if s.endswith("{"):
            pila.append(None)
            esperando = False
            continue
        if s == "}":
            pila.pop()
            continue
        if esperando:
            m = _ETIQUETA_CAJA.search(s)
            if m and not _NODO.match(linea):
                etiqueta = m.group(2) if m.group(2) is not None else m.group(1)
                pila[-1] = etiqueta
                todas.append(etiqueta)
                esperando = False
                continue
        m = _NODO.match(linea)
        if m:
            dentro[m.group(1)] = [e for e in pila if e is not None]
    dentro[None] = todas
    return dentro
