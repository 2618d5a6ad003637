"""El recorte de ``draw_graph(max_nodes=...)``: qué unidades se dibujan (las más cercanas a la
salida, por anchura) y la nota que dice qué queda sin dibujar y cómo verlo entero."""
import collections


def por_cercania(dibujo):
    """Las unidades del dibujo de la más cercana a la salida a la más lejana (anchura)."""
    vista = dibujo.vista
    orden = {}
    cola = collections.deque()
    vistos = set()
    for k, (tensor, raiz) in enumerate(zip(vista.salidas, vista.raices), 1):
        if id(tensor) not in dibujo.hojas_salida:
            orden.setdefault(("salida", k))
        if raiz is not None and raiz not in vistos:
            vistos.add(raiz)
            cola.append(raiz)
    while cola:
        nodo = cola.popleft()
        orden.setdefault(dibujo.unidad(nodo))
        reg = vista.reg.get(nodo)
        for constante in (reg.entradas or ()) if reg is not None else ():
            if constante is not None and constante.es_tensor:
                orden.setdefault(("x", id(constante)))
        for padre in nodo.parents:
            if padre is not None and padre not in vistos:
                vistos.add(padre)
                cola.append(padre)
    return list(orden)


def recortar(dibujo, max_nodes):
    """Deja en ``dibujo.visibles`` las ``max_nodes - 1`` unidades más cercanas a la salida y en
    ``dibujo.recorte`` la nota (aviso y nodo «… sin dibujar») de lo que queda fuera."""
    orden = por_cercania(dibujo)
    if len(orden) <= max_nodes:
        return
    dibujo.visibles = set(orden[:max_nodes - 1])   # uno queda para el nodo «recortado»
    vista = dibujo.vista
    ops = [op for op in vista.ops if not dibujo.visible(dibujo.unidad(op))]
    hojas = [h for h in vista.hojas if not dibujo.visible(dibujo.unidad(h))]
    entradas = [c for c in vista.constantes if not dibujo.visible(("x", id(c)))]
    salidas = [k for k in range(1, len(vista.salidas) + 1)
               if not dibujo.visible(("salida", k))
               and id(vista.salidas[k - 1]) not in dibujo.hojas_salida]
    partes = []
    if ops:
        numeros = [vista.numero[op] for op in ops]
        partes.append(f"{len(ops)} operaciones (entre la #{min(numeros)} y la "
                      f"#{max(numeros)})" if len(ops) > 1 else
                      f"1 operación (la #{numeros[0]})")
    for cantidad, uno, varios in ((len(hojas), "tensor hoja (parámetro)",
                                   "tensores hoja (parámetros)"),
                                  (len(entradas), "entrada sin gradiente",
                                   "entradas sin gradiente"),
                                  (len(salidas), "salida", "salidas")):
        if cantidad:
            partes.append(f"{cantidad} {uno if cantidad == 1 else varios}")
    faltan = len(orden) - len(dibujo.visibles)
    lista = ", ".join(partes[:-1]) + (" y " if len(partes) > 1 else "") + partes[-1]
    dentro = (f"{faltan} nodos, con {lista}" if dibujo.colapsadas else f"{faltan}: {lista}")
    consejo = "usa max_nodes=None (puede tardar con grafos grandes)"
    if dibujo.agrupacion.cajas and not dibujo.colapsadas:
        consejo += ", collapse=1 para agrupar por módulos"
    nota = (f"draw_graph: el dibujo tendría {len(orden)} nodos y max_nodes={max_nodes}; "
            f"se dibujan los {len(dibujo.visibles)} más cercanos a la salida y se dejan sin "
            f"dibujar {dentro}. Para verlo entero {consejo} o viz.print_graph(salida) para "
            "verlo como texto.")
    dibujo.recorte = {"nota": nota, "faltan": faltan, "lineas": [
        f"faltan {dentro}",
        f"max_nodes={max_nodes}; para verlo entero: max_nodes=None",
        "o como texto: viz.print_graph(salida)"]}
