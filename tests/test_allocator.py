"""El ajuste de malloc de glibc (``_allocator.py``): sin fallos de página al repetir un paso."""
import os
import subprocess
import sys

import pytest

from tinygrad_es import _allocator

pytestmark = pytest.mark.skipif(
    not _allocator.status.startswith("ajustado") and "TINYGRAD_ES_MALLOC" not in os.environ,
    reason=f"malloc de glibc no ajustable aquí ({_allocator.status})")

# Un «paso» que tiene vivos a la vez seis arrays de 5 MB (como las columnas de im2col y las
# activaciones que guarda el grafo) y los suelta al final, 20 veces.
_PASOS = """
import resource, sys
import numpy as np
import tinygrad_es
def paso():
    vivos = [np.full(1_250_000, i, dtype=np.float32) for i in range(6)]
    return float(sum(a[-1] for a in vivos))
paso(); paso()
antes = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):
    paso()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - antes)
print(tinygrad_es._allocator.status)
"""


def _fallos(**variables):
    env = {k: v for k, v in os.environ.items()
           if k not in ("TINYGRAD_ES_MALLOC", "MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_")}
    env.update(variables)
    out = subprocess.run([sys.executable, "-c", _PASOS], env=env, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    return int(out[0]), out[1]


def test_ajustado_los_pasos_repetidos_no_vuelven_a_pedir_memoria():
    fallos, estado = _fallos()
    assert estado.startswith("ajustado")
    assert fallos < 50          # 30 MB por paso son ~7.300 páginas: se reutilizan


def test_sin_ajuste_cada_paso_vuelve_a_pedir_sus_paginas():
    """El mismo programa con TINYGRAD_ES_MALLOC=0 (glibc por defecto): lo que el ajuste evita."""
    fallos, estado = _fallos(TINYGRAD_ES_MALLOC="0")
    assert estado == "sin ajustar: TINYGRAD_ES_MALLOC=0"
    assert fallos > 20 * 1000


def test_respeta_los_umbrales_que_elige_el_usuario():
    assert _allocator.tune_malloc({"MALLOC_TRIM_THRESHOLD_": "1000"}).startswith(
        "sin ajustar: los umbrales ya los eligió el usuario")
    assert _allocator.tune_malloc({"GLIBC_TUNABLES": "glibc.malloc.trim_threshold=1"}).startswith(
        "sin ajustar: los umbrales ya los eligió el usuario")
    assert _allocator.tune_malloc({"TINYGRAD_ES_MALLOC": "no"}) == "sin ajustar: TINYGRAD_ES_MALLOC=0"
