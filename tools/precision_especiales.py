"""Exactitud y coste de erf, erfc y erfinv: las nuestras (tinygrad_es/ops/special.py), las de
scipy.special y las de PyTorch, frente al valor exacto (mpmath con 120 bits).

El error se da en ulp (unidades en la última cifra del tipo: 0,5 es redondear bien); el tiempo,
con 10⁶ elementos, el mejor de 5. Necesita torch, scipy y mpmath (solo para esta medida: el
paquete no los usa).

    OPENBLAS_NUM_THREADS=1 python tools/precision_especiales.py
"""
import sys
import time
from pathlib import Path

import mpmath
import numpy as np
import scipy.special
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))   # el paquete de este árbol
from tinygrad_es.ops import special  # noqa: E402

mpmath.mp.prec = 120
torch.set_num_threads(1)
rng = np.random.default_rng(1)
N = 3000
ENTRADAS = {   # rango normal, colas y valores pequeños
    "erf": np.concatenate([rng.uniform(-6, 6, N), rng.standard_normal(N),
                           rng.uniform(-1e-3, 1e-3, N // 3)]),
    "erfc": np.concatenate([rng.uniform(-6, 26, N), rng.standard_normal(N)]),
    "erfinv": np.concatenate([rng.uniform(-1, 1, N), 1 - 10 ** rng.uniform(-15, 0, N)]),
}
FUNCIONES = {nombre: (getattr(mpmath, nombre), getattr(special, nombre),
                      getattr(scipy.special, nombre), getattr(torch, nombre))
             for nombre in ENTRADAS}


def mejor_tiempo_ms(funcion, x):
    funcion(x)
    tiempos = []
    for _ in range(5):
        inicio = time.perf_counter()
        funcion(x)
        tiempos.append(time.perf_counter() - inicio)
    return min(tiempos) * 1e3


for nombre, (exacta, nuestra, de_scipy, de_torch) in FUNCIONES.items():
    for dtype in (np.float32, np.float64):
        x = ENTRADAS[nombre].astype(dtype)
        x = x[np.abs(x) < 1] if nombre == "erfinv" else x
        valor = np.array([float(exacta(mpmath.mpf(float(v)))) for v in x])
        normal = np.abs(valor) >= np.finfo(dtype).tiny      # fuera los subnormales
        ulp = np.spacing(np.abs(valor[normal]).astype(dtype)).astype(np.float64)

        def error(y):
            return (np.abs(np.asarray(y, np.float64)[normal] - valor[normal]) / ulp).max()

        grande = np.resize(x, 10 ** 6)
        grande_t = torch.from_numpy(grande)
        print(f"{nombre:6s} {np.dtype(dtype).name}: error máximo (ulp) tinygrad_es "
              f"{error(nuestra(x)):.2f}, scipy {error(de_scipy(x)):.2f}, PyTorch "
              f"{error(de_torch(torch.from_numpy(x)).numpy()):.2f} | 10⁶ elementos: "
              f"tinygrad_es {mejor_tiempo_ms(nuestra, grande):.0f} ms, scipy "
              f"{mejor_tiempo_ms(de_scipy, grande):.0f} ms, PyTorch "
              f"{mejor_tiempo_ms(lambda _: de_torch(grande_t), grande):.0f} ms")
