"""Compara las firmas de tinygrad_es con las de PyTorch: ¿acepta cada función nuestra los
mismos nombres de parámetros que la de torch?

La firma de torch se lee con ``inspect.signature`` cuando se puede (funciones de Python) y si
no, de las primeras líneas de su ``__doc__`` (``sum(input, *, dtype=None) -> Tensor``; con
varias sobrecargas, todas). Un parámetro de torch que nosotros no aceptamos (ni por nombre ni
por ``**kwargs``) es una diferencia.

    python tools/firmas.py            # lista las diferencias
"""
import inspect
import re
import sys

# espacios de nombres: (el nuestro, el de torch)
ESPACIOS = [
    ("tinygrad_es", "torch"),
    ("tinygrad_es.nn.functional", "torch.nn.functional"),
    ("tinygrad_es.nn.init", "torch.nn.init"),
    ("tinygrad_es.linalg", "torch.linalg"),
]
CLASES = [   # clases cuyo constructor se compara
    ("tinygrad_es.nn", "torch.nn"),
    ("tinygrad_es.optim", "torch.optim"),
    ("tinygrad_es.optim.lr_scheduler", "torch.optim.lr_scheduler"),
    ("tinygrad_es.utils.data", "torch.utils.data"),
]
# parámetros de torch que no tienen sentido aquí (dispositivos, memoria, formatos)
IGNORADOS = {"device", "pin_memory", "memory_format", "layout", "non_blocking", "self",
             "foreach", "fused", "capturable", "differentiable", "_stacklevel",
             "process_group", "pin_memory_device", "multiprocessing_context",
             "worker_init_fn", "prefetch_factor", "persistent_workers", "in_order",
             "timeout", "size_average", "reduce", "sparse"}


def _importar(ruta):
    import importlib
    return importlib.import_module(ruta)


def nombres_torch(objeto, nombre):
    """Conjuntos de nombres de parámetros de cada sobrecarga de torch (o None si no se sabe)."""
    try:
        firma = inspect.signature(objeto)
        params = [p for p in firma.parameters.values()
                  if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        if params or not (objeto.__doc__ or "").strip():
            return [{p.name for p in params}]
    except (TypeError, ValueError):
        pass
    doc = getattr(objeto, "__doc__", None) or ""
    corto = nombre.split(".")[-1]
    sobrecargas = []
    for linea in doc.splitlines()[:40]:
        m = re.match(rf"^\s*(?:\.\. function:: )?{re.escape(corto)}\(", linea)
        if m:
            sobrecargas.append(_parametros(_hasta_cerrar(linea[m.end():])))
    return sobrecargas or None


def _hasta_cerrar(texto):
    """El texto hasta el paréntesis que cierra el primero (ya abierto)."""
    nivel = 1
    for i, c in enumerate(texto):
        nivel += c in "([{"
        nivel -= c in ")]}"
        if nivel == 0:
            return texto[:i]
    return texto


def _parametros(texto):
    nombres, nivel, actual = set(), 0, ""
    for c in texto + ",":
        if c in "([{":
            nivel += 1
        elif c in ")]}":
            nivel -= 1
        if c == "," and nivel == 0:
            nombre = actual.split("=")[0].split(":")[0].strip()
            # *size, *tensors: argumentos variables (se aceptan por posición, no por nombre)
            if nombre and not nombre.startswith("*") and re.match(r"^\w+$", nombre):
                nombres.add(nombre)
            actual = ""
        else:
            actual += c
    return nombres


def acepta(funcion, nombres):
    """Los nombres de ``nombres`` que ``funcion`` no acepta."""
    try:
        firma = inspect.signature(funcion)
    except (TypeError, ValueError):
        return set()
    params = firma.parameters.values()
    if any(p.kind == p.VAR_KEYWORD for p in params):
        return set()
    propios = {p.name for p in params if p.kind != p.VAR_POSITIONAL}
    return nombres - propios


def diferencias():
    import torch  # noqa: F401
    faltan = []

    def comparar(etiqueta, nuestro, suyo):
        sobrecargas = nombres_torch(suyo, etiqueta)
        if not sobrecargas:
            return
        # basta con una sobrecarga de torch cuyos nombres aceptemos todos
        restos = [acepta(nuestro, s - IGNORADOS) for s in sobrecargas]
        if all(restos):
            faltan.append((etiqueta, sorted(min(restos, key=len))))

    for nuestro_mod, suyo_mod in ESPACIOS:
        try:
            nuestro, suyo = _importar(nuestro_mod), _importar(suyo_mod)
        except ImportError:
            continue
        for nombre in sorted(getattr(nuestro, "__all__", None) or dir(nuestro)):
            obj = getattr(nuestro, nombre, None)
            if nombre.startswith("_") or not callable(obj) or inspect.isclass(obj) \
                    or not hasattr(suyo, nombre):
                continue
            comparar(f"{suyo_mod}.{nombre}", obj, getattr(suyo, nombre))
    import tinygrad_es
    for nombre in sorted(dir(tinygrad_es.Tensor)):
        obj = getattr(tinygrad_es.Tensor, nombre, None)
        if nombre.startswith("_") or not callable(obj) or not hasattr(torch.Tensor, nombre):
            continue
        comparar(f"Tensor.{nombre}", obj, getattr(torch.Tensor, nombre))
    for nuestro_mod, suyo_mod in CLASES:
        try:
            nuestro, suyo = _importar(nuestro_mod), _importar(suyo_mod)
        except ImportError:
            continue
        for nombre in sorted(dir(nuestro)):
            obj = getattr(nuestro, nombre, None)
            if nombre.startswith("_") or not inspect.isclass(obj) or not hasattr(suyo, nombre):
                continue
            comparar(f"{suyo_mod}.{nombre}", obj.__init__, getattr(suyo, nombre).__init__)
    return faltan


def main():
    faltan = diferencias()
    for etiqueta, nombres in faltan:
        print(f"{etiqueta}: no acepta {', '.join(nombres)}")
    print(f"{len(faltan)} funciones con parámetros de PyTorch que no aceptamos.")
    return 1 if faltan else 0


if __name__ == "__main__":
    sys.exit(main())
