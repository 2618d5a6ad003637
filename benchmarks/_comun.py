"""Utilidades comunes de los benchmarks: datos de la máquina y medianas intercaladas."""
import json
import os
import platform
import statistics
import time

import numpy as np


def datos_maquina():
    """Lo que mueve las cifras: CPU, núcleos, BLAS de NumPy y sus hilos."""
    info = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "cpu": platform.processor() or platform.machine(),
        "nucleos": os.cpu_count(),
        "variables": {k: v for k, v in os.environ.items()
                      if k.startswith(("OPENBLAS", "OMP_", "MKL_"))},
    }
    try:
        from threadpoolctl import threadpool_info
        info["blas"] = [{"biblioteca": p.get("internal_api"), "hilos": p.get("num_threads"),
                         "arquitectura": p.get("architecture")} for p in threadpool_info()]
    except ImportError:
        info["blas"] = "threadpoolctl no instalado"
    return info


def medir_intercalado(funciones, repeticiones=30, calentamiento=3):
    """Ejecuta las funciones por turnos (a, b, c, a, b, c...) y devuelve la mediana de cada una."""
    for f in funciones.values():
        for _ in range(calentamiento):
            f()
    tiempos = {nombre: [] for nombre in funciones}
    for _ in range(repeticiones):
        for nombre, f in funciones.items():
            t0 = time.perf_counter()
            f()
            tiempos[nombre].append(time.perf_counter() - t0)
    return {nombre: statistics.median(ts) for nombre, ts in tiempos.items()}


def imprimir(titulo, medianas, referencia, como_json=False, extra=None):
    if como_json:
        print(json.dumps({"benchmark": titulo, "medianas_s": medianas,
                          "referencia": referencia, "maquina": datos_maquina(),
                          **(extra or {})}, indent=2, ensure_ascii=False))
        return
    maquina = datos_maquina()
    print(f"== {titulo} ==")
    print(f"Python {maquina['python']}, NumPy {maquina['numpy']}, {maquina['nucleos']} núcleos, "
          f"BLAS: {maquina['blas']}")
    base = medianas[referencia]
    for nombre, t in medianas.items():
        print(f"  {nombre:<38} {t * 1e3:9.3f} ms   {t / base:5.2f}x {referencia}")
