"""El asignador de memoria (malloc de glibc) ajustado a los arrays grandes y de vida corta.

Un paso de entrenamiento pide y suelta cada vez los mismos arrays de varios MB (las columnas de
im2col de una convolución, las activaciones y sus gradientes). Con los umbrales por defecto,
glibc devuelve esa memoria al sistema al final del paso (``munmap`` de los bloques grandes,
``trim`` de la cima del montón) y el paso siguiente la vuelve a pedir: cada página de 4 KiB
cuesta entonces un fallo de página. Medido en un paso de LeNet-5 (lote 64, un hilo de BLAS):
~3.000 fallos por paso y 15 ms; con los umbrales de abajo, 0 fallos y 9 ms
(``benchmarks/paso_lenet.py``). PyTorch evita lo mismo con su propio asignador.

Al importar tinygrad_es (solo en Linux con glibc) se suben dos umbrales con ``mallopt``:

- ``M_MMAP_THRESHOLD`` = 32 MiB: los bloques de hasta 32 MiB salen del montón y se reutilizan
  (los más grandes, como un conjunto de datos entero, siguen yendo a ``mmap``);
- ``M_TRIM_THRESHOLD`` = 128 MiB: glibc solo devuelve memoria libre de la cima del montón al
  sistema cuando pasa de 128 MiB.

El precio: el proceso puede quedarse con hasta ~128 MiB libres sin devolver. No se toca nada si
el usuario ya eligió los umbrales (``MALLOC_TRIM_THRESHOLD_``, ``MALLOC_MMAP_THRESHOLD_`` o
``glibc.malloc`` en ``GLIBC_TUNABLES``) o si pone ``TINYGRAD_ES_MALLOC=0``.
"""
import ctypes
import os
import sys

M_TRIM_THRESHOLD = -1          # constantes de <malloc.h>
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 2**20    # el máximo del umbral dinámico de glibc en 64 bits
TRIM_THRESHOLD = 128 * 2**20
_USER_VARIABLES = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_")

status = "sin ajustar"         # lo que pasó al importar (lo muestra ``python -m tinygrad_es``)


def tune_malloc(environ=os.environ):
    """Sube los umbrales de malloc de glibc (ver el módulo); devuelve qué se hizo, en español."""
    if environ.get("TINYGRAD_ES_MALLOC", "").strip().lower() in ("0", "no", "false"):
        return "sin ajustar: TINYGRAD_ES_MALLOC=0"
    if any(name in environ for name in _USER_VARIABLES) or \
            "glibc.malloc" in environ.get("GLIBC_TUNABLES", ""):
        return "sin ajustar: los umbrales ya los eligió el usuario (variables de glibc)"
    if not sys.platform.startswith("linux"):
        return "sin ajustar: solo se ajusta malloc de glibc (Linux)"
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version       # solo existe en glibc (musl también tiene mallopt)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return "sin ajustar: la biblioteca de C no es glibc"
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    if mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) != 1 or \
            mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) != 1:
        return "sin ajustar: glibc rechazó los umbrales"
    return (f"ajustado: bloques de hasta {MMAP_THRESHOLD >> 20} MiB reutilizados; memoria libre "
            f"devuelta al sistema a partir de {TRIM_THRESHOLD >> 20} MiB")
