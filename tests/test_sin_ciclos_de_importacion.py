"""Ningún módulo de tinygrad_es importa un módulo que lo importe de vuelta (ARCHITECTURE, capas).

El test lee cada archivo del paquete con ``ast`` (sin ejecutarlo) y construye el grafo de
importaciones: las de nivel superior **y** las de dentro de funciones y clases (una importación
perezosa también es una dependencia: solo esconde el círculo hasta que se ejecuta). Después
busca ciclos y, si hay alguno, lo nombra con el archivo y la línea de cada importación.

Cómo se cuenta cada importación:

- ``from .x import y``, ``from ..x.y import z``, ``import tinygrad_es.x``: una arista al módulo
  ``x`` (o ``x.y``). Las relativas se resuelven desde el paquete del archivo.
- ``from . import x`` o ``from .. import _dtypes``: si ``x`` es un submódulo, la arista va a
  ese submódulo y no al ``__init__`` del paquete (el paquete de un archivo ya se está
  importando cuando el archivo se ejecuta; Python solo carga el submódulo). Si ``x`` es un
  nombre que el ``__init__`` define o reexporta (no el submódulo), la arista va al ``__init__``.
- Un ``__init__.py`` que reexporta submódulos (``from .module import Module``) los importa:
  esas aristas cuentan como las de cualquier otro módulo.
- No se añade la arista implícita de ``from .autograd.graph import Node`` al ``__init__`` de
  ``autograd`` (Python lo ejecuta antes que ``graph.py``): el grafo es el de los nombres que usa
  cada módulo, y los ``__init__`` de los subpaquetes son fachadas que quedan arriba en las capas.
  El orden en que se ejecutan de verdad lo fija ``tinygrad_es/__init__.py`` (es la única
  entrada al paquete), y lo prueba cada test que importa ``tinygrad_es``.
- Importar el ``__init__`` de ``tinygrad_es`` desde dentro del paquete está prohibido del todo
  (``test_nadie_importa_el_paquete_raiz``): ese archivo importa todo, así que cualquier módulo
  que lo importe depende de todo el paquete.
"""
import ast
import importlib.util
import pathlib
from collections import defaultdict

PAQUETE = "tinygrad_es"
RAIZ = pathlib.Path(importlib.util.find_spec(PAQUETE).origin).parent


def _modulos(raiz=RAIZ, paquete=PAQUETE):
    """{nombre del módulo: (ruta, es_paquete)} de todos los .py del paquete."""
    modulos = {}
    for ruta in sorted(raiz.rglob("*.py")):
        partes = list(ruta.relative_to(raiz).with_suffix("").parts)
        es_paquete = partes[-1] == "__init__"
        if es_paquete:
            partes.pop()
        modulos[".".join([paquete, *partes])] = (ruta, es_paquete)
    return modulos


def _nombres_propios(arbol, nombre, modulos):
    """Nombres que un ``__init__`` enlaza a algo que no es su propio submódulo del mismo nombre."""
    propios = set()
    for nodo in arbol.body:
        if isinstance(nodo, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            propios.add(nodo.name)
        elif isinstance(nodo, ast.Assign):
            propios.update(t.id for t in nodo.targets if isinstance(t, ast.Name))
        elif isinstance(nodo, ast.ImportFrom):
            origen = _base(nombre, True, nodo.level, nodo.module)
            for alias in nodo.names:
                enlazado = alias.asname or alias.name
                if f"{origen}.{alias.name}" != f"{nombre}.{enlazado}":
                    propios.add(enlazado)
    return propios & {m.rsplit(".", 1)[1] for m in modulos if m.startswith(nombre + ".")}


def _base(nombre, es_paquete, nivel, modulo):
    """El módulo absoluto de ``from <nivel puntos><modulo> import ...``."""
    if not nivel:
        return modulo
    partes = nombre.split(".") if es_paquete else nombre.split(".")[:-1]
    partes = partes[:len(partes) - (nivel - 1)]
    return ".".join(partes + ([modulo] if modulo else []))


def grafo_de_importaciones(raiz=RAIZ, paquete=PAQUETE):
    """{módulo: {módulo importado: [(ruta, línea, dentro_de_función), ...]}} del paquete."""
    modulos = _modulos(raiz, paquete)
    arboles = {n: ast.parse(r.read_text(encoding="utf-8"), str(r))
               for n, (r, _) in modulos.items()}
    propios = {n: _nombres_propios(arboles[n], n, modulos)
               for n, (_, es_paquete) in modulos.items() if es_paquete}
    grafo = defaultdict(lambda: defaultdict(list))

    def anota(nombre, destino, nodo, perezosa):
        if destino in modulos:
            grafo[nombre][destino].append((modulos[nombre][0], nodo.lineno, perezosa))

    for nombre, (_, es_paquete) in modulos.items():
        for nodo, perezosa in _importaciones(arboles[nombre]):
            if isinstance(nodo, ast.Import):
                for alias in nodo.names:
                    partes = alias.name.split(".")   # import a.b.c: el módulo más largo que exista
                    while partes and ".".join(partes) not in modulos:
                        partes.pop()
                    anota(nombre, ".".join(partes), nodo, perezosa)
                continue
            base = _base(nombre, es_paquete, nodo.level, nodo.module)
            for alias in nodo.names:
                sub = f"{base}.{alias.name}"
                reexportado = base != nombre and alias.name in propios.get(base, ())
                if sub in modulos and not reexportado:
                    anota(nombre, sub, nodo, perezosa)
                else:
                    anota(nombre, base, nodo, perezosa)
    return grafo


def _importaciones(arbol):
    """(nodo de importación, ¿dentro de una función?) de todo el archivo."""
    pila = [(arbol, False)]
    while pila:
        nodo, perezosa = pila.pop()
        if isinstance(nodo, (ast.Import, ast.ImportFrom)):
            yield nodo, perezosa
        dentro = perezosa or isinstance(nodo, (ast.FunctionDef, ast.AsyncFunctionDef))
        pila.extend((hijo, dentro) for hijo in ast.iter_child_nodes(nodo))


def componentes_con_ciclos(grafo):
    """Componentes fuertemente conexas con más de un módulo (o un módulo que se importa solo).

    Tarjan iterativo: dos módulos están en la misma componente si cada uno importa (directa o
    indirectamente) al otro.
    """
    indice, bajo, en_pila, pila, componentes = {}, {}, set(), [], []
    for inicio in sorted(grafo):
        if inicio in indice:
            continue
        trabajo = [(inicio, iter(sorted(grafo[inicio])))]
        indice[inicio] = bajo[inicio] = len(indice)
        pila.append(inicio)
        en_pila.add(inicio)
        while trabajo:
            nodo, hijos = trabajo[-1]
            for hijo in hijos:
                if hijo not in indice:
                    indice[hijo] = bajo[hijo] = len(indice)
                    pila.append(hijo)
                    en_pila.add(hijo)
                    trabajo.append((hijo, iter(sorted(grafo.get(hijo, ())))))
                    break
                if hijo in en_pila:
                    bajo[nodo] = min(bajo[nodo], indice[hijo])
            else:
                trabajo.pop()
                if trabajo:
                    padre = trabajo[-1][0]
                    bajo[padre] = min(bajo[padre], bajo[nodo])
                if bajo[nodo] == indice[nodo]:
                    componente = []
                    while True:
                        m = pila.pop()
                        en_pila.discard(m)
                        componente.append(m)
                        if m == nodo:
                            break
                    if len(componente) > 1 or nodo in grafo.get(nodo, ()):
                        componentes.append(sorted(componente))
    return componentes


def ciclo_mas_corto(grafo, componente, inicio):
    """El ciclo más corto que sale de ``inicio`` y vuelve a él sin salir de la componente."""
    dentro = set(componente)
    previo = {inicio: None}
    frontera = [inicio]
    while frontera:
        siguiente = []
        for nodo in frontera:
            for hijo in sorted(grafo.get(nodo, ())):
                if hijo == inicio:
                    camino = [nodo]
                    while previo[camino[-1]] is not None:
                        camino.append(previo[camino[-1]])
                    return camino[::-1] + [inicio]
                if hijo in dentro and hijo not in previo:
                    previo[hijo] = nodo
                    siguiente.append(hijo)
        frontera = siguiente
    raise AssertionError("la componente no tiene ciclo")   # no pasa con una componente de Tarjan


def ciclos(grafo):
    """Los ciclos que se nombran al fallar, sin repetir uno empezado en otro punto: cada par de
    módulos que se importan el uno al otro directamente y, por cada módulo atrapado en un ciclo,
    el ciclo más corto que pasa por él."""
    vistos, resultado = set(), []

    def anota(ciclo):
        clave = frozenset(zip(ciclo, ciclo[1:]))
        if clave not in vistos:
            vistos.add(clave)
            resultado.append(ciclo)
    componentes = componentes_con_ciclos(grafo)
    for componente in componentes:
        for a in componente:
            for b in sorted(grafo[a]):
                if a < b and a in grafo.get(b, ()):
                    anota([a, b, a])
    for componente in componentes:
        for modulo in componente:
            anota(ciclo_mas_corto(grafo, componente, modulo))
    return resultado


def describe_ciclo(grafo, ciclo):
    """``a -> b (a.py:12) -> a (b.py:40, dentro de una función)``."""
    pasos = [ciclo[0]]
    for origen, destino in zip(ciclo, ciclo[1:]):
        ruta, linea, perezosa = grafo[origen][destino][0]
        donde = f"{ruta.relative_to(RAIZ.parent)}:{linea}"
        if perezosa:
            donde += ", dentro de una función"
        pasos.append(f"{destino} ({donde})")
    return " -> ".join(pasos)


def test_ningun_modulo_importa_a_quien_lo_importa():
    grafo = grafo_de_importaciones()
    nudos = ["[" + ", ".join(c) + "]" for c in componentes_con_ciclos(grafo)]
    encontrados = [describe_ciclo(grafo, ciclo) for ciclo in ciclos(grafo)]
    assert not encontrados, (
        "Hay círculos de importación (también cuentan las importaciones dentro de funciones). "
        "Rómpelos moviendo la lógica a un módulo de más abajo en las capas o dándole lo que "
        "necesita desde arriba (como tensor.py da la clase Tensor a _math.py; ver "
        "ARCHITECTURE.md, 'Layering').\nMódulos que dependen unos de otros en círculo:\n  "
        + "\n  ".join(nudos) + "\nCiclos:\n  " + "\n  ".join(encontrados))


def test_nadie_importa_el_paquete_raiz():
    grafo = grafo_de_importaciones()
    culpables = [f"{ruta.relative_to(RAIZ.parent)}:{linea}"
                 for origen, destinos in grafo.items() if origen != PAQUETE
                 for ruta, linea, _ in destinos.get(PAQUETE, ())]
    assert not culpables, (
        f"Estos archivos importan el __init__ de {PAQUETE}, que a su vez importa todo el paquete: "
        "importa el módulo que define el nombre (p. ej. 'from ..creation import tensor'): "
        + ", ".join(culpables))


def test_los_modulos_de_abajo_reciben_la_clase_tensor():
    """Los módulos que declaran ``Tensor = None`` (no pueden importar tensor.py) la reciben de
    tensor.py al importarse el paquete; y Tensor.backward, el motor (de autograd/__init__.py)."""
    import importlib

    import tinygrad_es
    from tinygrad_es import _autograd_methods
    sin_clase = []
    for nombre, (ruta, _) in _modulos().items():
        arbol = ast.parse(ruta.read_text(encoding="utf-8"))
        declara = any(isinstance(n, ast.Assign) and any(getattr(t, "id", None) == "Tensor"
                                                        for t in n.targets)
                      and isinstance(n.value, ast.Constant) and n.value.value is None
                      for n in arbol.body)
        if declara and importlib.import_module(nombre).Tensor is not tinygrad_es.Tensor:
            sin_clase.append(nombre)
    assert not sin_clase, (
        "Estos módulos declaran 'Tensor = None' pero tensor.py no les da la clase: añádelos a "
        f"la lista del final de tensor.py: {sin_clase}")
    for nombre in ("run_backward", "accumulate_grad"):
        assert callable(getattr(_autograd_methods, nombre)), nombre


def test_el_detector_encuentra_un_ciclo_perezoso(tmp_path):
    """El propio detector: un ciclo escondido en una función y un ``from . import`` de paquete."""
    paquete = tmp_path / "paq"
    (paquete / "sub").mkdir(parents=True)
    (paquete / "__init__.py").write_text("from .a import f\n")
    (paquete / "a.py").write_text("from . import b\n\ndef f():\n    return b\n")
    (paquete / "b.py").write_text("def g():\n    from .sub.c import h\n    return h\n")
    (paquete / "sub" / "__init__.py").write_text("from .c import h\n")
    (paquete / "sub" / "c.py").write_text("def h():\n    from .. import a\n    return a\n")
    (paquete / "sub" / "h.py").write_text("")
    (paquete / "d.py").write_text("from . import sub\nfrom .sub import h\n")   # h: el de c.py
    (paquete / "e.py").write_text("from .sub import c\nimport paq.sub.h\n")
    grafo = grafo_de_importaciones(paquete, "paq")
    assert set(grafo["paq.d"]) == {"paq.sub"}
    assert set(grafo["paq.e"]) == {"paq.sub.c", "paq.sub.h"}
    componentes = componentes_con_ciclos(grafo)
    assert componentes == [["paq.a", "paq.b", "paq.sub.c"]]
    assert ciclos(grafo) == [["paq.a", "paq.b", "paq.sub.c", "paq.a"]]
    (paquete / "g").mkdir()   # un ciclo que pasa por un __init__ que reexporta
    (paquete / "f.py").write_text("from .g import y\n")
    (paquete / "g" / "__init__.py").write_text("from .k import y\n")
    (paquete / "g" / "k.py").write_text("def y():\n    from ..f import z\n")
    grafo = grafo_de_importaciones(paquete, "paq")
    assert ["paq.f", "paq.g", "paq.g.k", "paq.f"] in ciclos(grafo)
