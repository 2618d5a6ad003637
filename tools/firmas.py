"""Compara las firmas de tinygrad_es con las de PyTorch: ¿acepta cada función nuestra los
mismos nombres de parámetros que la de torch?

La firma de torch se lee con ``inspect.signature`` cuando se puede (funciones de Python); si
no, de los archivos de tipos que trae torch (``torch/_C/_VariableFunctions.pyi``, ``_nn.pyi``,
``__init__.pyi`` para los métodos de ``TensorBase``), que se generan de las mismas firmas que
usa su analizador de argumentos en C++ (con todas las sobrecargas y ``out=``); y solo si no
está allí, de las primeras líneas de su ``__doc__``. La documentación a veces miente
(``Tensor.mul`` dice ``mul(value)``, pero torch acepta ``other=``): por eso va la última. Un parámetro de torch que nosotros no aceptamos (ni por nombre ni
por ``**kwargs``) es una diferencia.

    python tools/firmas.py            # lista las diferencias
"""
import inspect
import re
import sys
from pathlib import Path

# el paquete de este árbol (no otra copia instalada en el entorno)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

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
# parámetros de torch que no tienen sentido aquí, cada uno con su motivo (las funciones de torch
# los aceptan; las nuestras no tienen a qué aplicarlos)
MOTIVOS = {
    "device": "solo hay CPU; los constructores que lo aceptan lo comprueban (_device.py)",
    "pin_memory": "memoria fijada para copiar a la GPU: no hay GPU",
    "pin_memory_device": "ídem, el dispositivo de la memoria fijada",
    "memory_format": "NumPy no tiene formatos de memoria (channels_last...)",
    "layout": "solo hay tensores densos (torch.strided)",
    "non_blocking": "copias asíncronas entre dispositivos: no hay dispositivos",
    "self": "nombre interno del primer argumento en los .pyi de torch (no se pasa por nombre)",
    "foreach": "implementación de los optimizadores por lotes de la GPU",
    "fused": "núcleos fusionados de la GPU en los optimizadores",
    "capturable": "optimizadores capturables en grafos CUDA",
    "differentiable": "derivar a través del paso del optimizador (no se admite)",
    "_stacklevel": "parámetro privado de torch para sus avisos",
    "process_group": "entrenamiento distribuido (SyncBatchNorm)",
    "multiprocessing_context": "DataLoader sin procesos hijos",
    "worker_init_fn": "DataLoader sin procesos hijos (num_workers se acepta y no lanza procesos)",
    "prefetch_factor": "DataLoader sin procesos hijos",
    "persistent_workers": "DataLoader sin procesos hijos",
    "in_order": "DataLoader sin procesos hijos (siempre en orden)",
    "timeout": "DataLoader sin procesos hijos a los que esperar",
    "size_average": "argumento obsoleto de las pérdidas (usa reduction=)",
    "reduce": "argumento obsoleto de las pérdidas (usa reduction=)",
    "sparse": "gradientes dispersos de Embedding: solo hay tensores densos",
    "implicit": "x.expand(..., implicit=): marca interna del trazador de torch.jit",
}
IGNORADOS = set(MOTIVOS)


def _importar(ruta):
    import importlib
    return importlib.import_module(ruta)


_STUBS = {}
# donde el .pyi de torch 2.13 no dice lo que acepta su analizador de argumentos (comprobado
# llamando a torch con el nombre por palabra clave)
CORRECCIONES = {
    # x.requires_grad_(mode=True) es TypeError; x.requires_grad_(requires_grad=True) funciona
    "Tensor": {"requires_grad_": [{"requires_grad"}]},
    # torch.from_numpy(ndarray=a): «takes no keyword arguments» (solo por posición)
    "funciones": {"from_numpy": [set()]},
}


def _stubs(clave):
    """{nombre: [nombres de cada sobrecarga]} de un archivo ``.pyi`` de torch."""
    if clave in _STUBS:
        return _STUBS[clave]
    import ast
    import pathlib

    import torch
    archivo, clase = {"funciones": ("_VariableFunctions.pyi", None),
                      "nn": ("_nn.pyi", None),
                      "Tensor": ("__init__.pyi", "TensorBase")}[clave]
    ruta = pathlib.Path(torch.__file__).parent / "_C" / archivo
    tabla = {}
    if ruta.exists():
        arbol = ast.parse(ruta.read_text(encoding="utf-8"))
        cuerpo = arbol.body
        if clase:
            cuerpo = next((n.body for n in arbol.body
                           if isinstance(n, ast.ClassDef) and n.name == clase), [])
        for nodo in cuerpo:
            if isinstance(nodo, ast.FunctionDef):
                a = nodo.args
                nombres = {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs}
                nombres.discard("self")
                if clase:   # los métodos no tienen out= (el .pyi lo copia de la función)
                    nombres.discard("out")
                tabla.setdefault(nodo.name, []).append(nombres)
    for nombre, sobrecargas in CORRECCIONES.get(clave, {}).items():
        tabla[nombre] = sobrecargas
    _STUBS[clave] = tabla
    return tabla


def _clave_stub(nombre):
    if nombre.startswith("Tensor."):
        return "Tensor", nombre[len("Tensor."):]
    if nombre.startswith("torch.nn.functional."):
        return "nn", nombre.split(".")[-1]
    if nombre.startswith("torch.linalg."):
        return "funciones", "linalg_" + nombre.split(".")[-1]
    if nombre.count(".") == 1 and nombre.startswith("torch."):
        return "funciones", nombre.split(".")[-1]
    return None, None


def nombres_torch(objeto, nombre):
    """Conjuntos de nombres de parámetros de cada sobrecarga de torch (o None si no se sabe)."""
    clave, corto = _clave_stub(nombre)
    if clave and not inspect.isfunction(inspect.unwrap(objeto)) and corto in _stubs(clave):
        return _stubs(clave)[corto]
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
