"""Hilos de la BLAS de NumPy: ``set_num_threads``/``get_num_threads`` de PyTorch y la política
por defecto, con ``threadpoolctl`` por debajo.

Por qué hay una política: los productos de matrices de los modelos del curso son pequeños
(el más grande de LeNet-5, 15 millones de multiplicaciones-sumas; el del MLP de MNIST, 6). Con
varios hilos, OpenBLAS los reparte y deja los hilos esperando activamente; en una máquina
cargada (un JupyterHub de clase, un servidor compartido), esos hilos se pelean con los otros
procesos y el programa va 5-10 veces más lento (medido: ``examples/03_mnist_mlp.py``, 2,6 s
con un hilo y 14-17 s con dos, en esta máquina de 2 núcleos con otro proceso ocupado).

La política por defecto (``auto``), si el usuario no eligió los hilos:

- la BLAS trabaja con **un hilo**;
- solo los productos de al menos ``BIG_PRODUCT`` multiplicaciones-sumas (32 millones, unos
  2 ms de trabajo con un hilo: ahí dos hilos ganan ~2x en una máquina libre) se hacen con todos
  los hilos que la BLAS tenía al importar tinygrad_es (``get_num_threads()``).

Así cada producto usa un número de hilos que depende solo de su tamaño: los resultados no
dependen de la carga de la máquina ni, para los modelos del curso, de sus núcleos (OpenBLAS no
da siempre los mismos bits con uno y con dos hilos: ver ``tests/test_hilos_blas.py``).

El usuario manda: con ``OPENBLAS_NUM_THREADS``/``OMP_NUM_THREADS``/``MKL_NUM_THREADS`` en el
entorno, o tras ``set_num_threads(n)``, todos los productos usan esos hilos y no hay política.
"""
import os

import numpy as np

BIG_PRODUCT = 32_000_000       # multiplicaciones-sumas a partir de las que se usan todos los hilos
USER_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                  "BLIS_NUM_THREADS")

_blas = []                     # controladores de threadpoolctl de las BLAS cargadas por NumPy
_most = 1                      # hilos de los productos grandes (lo que da get_num_threads)
_interop = 1                   # tinygrad_es ejecuta las operaciones una tras otra
_interop_set = False
auto = False                   # ¿política automática activa?
status = "sin iniciar"         # lo que muestra ``python -m tinygrad_es``


def _set(n):
    for controller in _blas:
        controller.set_num_threads(n)


def start(environ=os.environ):
    """Al importar tinygrad_es: encuentra la BLAS y activa la política si nadie eligió hilos."""
    global _blas, _most, auto, status
    try:
        from threadpoolctl import ThreadpoolController
        _blas = [c for c in ThreadpoolController().lib_controllers if c.user_api == "blas"]
    except Exception as exc:    # threadpoolctl inspecciona bibliotecas nativas: nunca fallar
        status = f"sin control de hilos (threadpoolctl: {type(exc).__name__}: {exc})"
        return
    if not _blas:
        status = "sin control de hilos: threadpoolctl no encontró la BLAS de NumPy"
        return
    _most = max(c.num_threads for c in _blas)
    chosen = [name for name in USER_VARIABLES if environ.get(name)]
    if chosen:
        auto = False
        status = f"{_most} hilos para todo, elegidos por el usuario ({chosen[0]})"
        return
    auto = True
    _set(1)
    status = (f"automática: 1 hilo; {_most} para los productos de más de "
              f"{BIG_PRODUCT / 1e6:.0f} millones de multiplicaciones-sumas")


def matmul(a, b):
    """``np.matmul(a, b)`` con los hilos que pide su tamaño (la política: ver el módulo)."""
    if auto and type(a) is np.ndarray and a.size * b.shape[-1] >= BIG_PRODUCT:
        _set(_most)
        try:
            return np.matmul(a, b)
        finally:
            _set(1)
    return np.matmul(a, b)


def _positive_int(value, name):
    if type(value) is not int:
        raise RuntimeError(f"{name} espera un entero, pero recibió {type(value).__name__} "
                           f"({value!r}). Ejemplo: {name}(1).")
    if value < 1:
        raise RuntimeError(f"{name} espera un entero positivo, pero recibió {value}. Con 1 hilo "
                           f"la BLAS no reparte el trabajo: {name}(1).")


def get_num_threads():
    """Hilos que usa la BLAS de NumPy en los productos de matrices (como
    ``torch.get_num_threads``). Con la política automática, los de los productos grandes (los
    pequeños usan uno: ver ``tinygrad_es._threads``)."""
    return _most


def set_num_threads(num):
    """Fija los hilos de la BLAS de NumPy para todos los productos (como
    ``torch.set_num_threads``) y desactiva la política automática."""
    global _most, auto, status
    _positive_int(num, "set_num_threads")
    _most, auto = num, False
    _set(num)
    status = f"{num} hilos para todo, elegidos con set_num_threads"


def get_num_interop_threads():
    """Hilos para ejecutar operaciones independientes a la vez (``torch.get_num_interop_threads``).
    tinygrad_es ejecuta las operaciones una tras otra: 1, salvo que se cambie (y no cambia
    nada)."""
    return _interop


def set_num_interop_threads(num):
    """Como ``torch.set_num_interop_threads``: solo se puede llamar una vez. En tinygrad_es el
    valor se guarda pero no cambia nada: las operaciones se ejecutan una tras otra."""
    global _interop, _interop_set
    _positive_int(num, "set_num_interop_threads")
    if _interop_set:
        raise RuntimeError("set_num_interop_threads solo se puede llamar una vez (como en "
                           "PyTorch): llámalo al principio del programa.")
    _interop, _interop_set = num, True
