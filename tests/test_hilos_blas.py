"""Hilos de la BLAS: set_num_threads/get_num_threads de PyTorch y la política por defecto
(``tinygrad_es/_threads.py``)."""
import os
import subprocess
import sys

import numpy as np
import pytest

import tinygrad_es as tg
from tinygrad_es import _threads

hay_blas = pytest.mark.skipif(not _threads._blas, reason=f"sin control de hilos: {_threads.status}")


@pytest.fixture
def estado():
    """Deja la política como estaba (los tests cambian los hilos de todo el proceso)."""
    guardado = (_threads._most, _threads.auto, _threads.status, _threads._interop,
                _threads._interop_set)
    actuales = [c.num_threads for c in _threads._blas]
    yield
    (_threads._most, _threads.auto, _threads.status, _threads._interop,
     _threads._interop_set) = guardado
    for c, n in zip(_threads._blas, actuales):
        c.set_num_threads(n)


class _Controlador:
    """Una BLAS de mentira que apunta los hilos que le piden."""

    def __init__(self):
        self.pedidos = []

    def set_num_threads(self, n):
        self.pedidos.append(n)


def test_producto_pequeno_un_hilo_y_grande_todos(estado, monkeypatch):
    falso = _Controlador()
    monkeypatch.setattr(_threads, "_blas", [falso])
    _threads._most, _threads.auto = 4, True
    a = np.ones((64, 784), np.float32)
    np.testing.assert_array_equal(_threads.matmul(a, np.ones((784, 128), np.float32)), 784)
    assert falso.pedidos == []                  # 6,4 millones: sigue con el hilo de siempre
    grande = np.ones((784, 41000), np.float32)   # 64·784·41000 = 2.057 millones
    assert _threads.matmul(a, grande)[0, 0] == 784
    assert falso.pedidos == [4, 1]              # todos los hilos y de vuelta a uno
    _threads.auto = False                        # el usuario eligió: nunca se tocan
    _threads.matmul(a, grande)
    assert falso.pedidos == [4, 1]


_INFORME = """
import numpy, threadpoolctl
antes = max(l["num_threads"] for l in threadpoolctl.threadpool_info() if l["user_api"] == "blas")
import tinygrad_es as tg
ahora = max(l["num_threads"] for l in threadpoolctl.threadpool_info() if l["user_api"] == "blas")
print(antes, ahora, tg.get_num_threads(), tg._threads.auto)
print(tg._threads.status)
"""


def _en_proceso_nuevo(**variables):
    env = {k: v for k, v in os.environ.items() if k not in _threads.USER_VARIABLES}
    env.update(variables)
    salida = subprocess.run([sys.executable, "-c", _INFORME], env=env, capture_output=True,
                            text=True, check=True).stdout.splitlines()
    return salida[0].split(), salida[1]


@hay_blas
def test_al_importar_la_blas_pasa_a_un_hilo_y_get_num_threads_da_los_de_antes():
    (antes, ahora, get, auto), estado_texto = _en_proceso_nuevo()
    assert (ahora, get, auto) == ("1", antes, "True")
    assert estado_texto.startswith("automática: 1 hilo")


@hay_blas
def test_con_las_variables_del_usuario_no_hay_politica():
    (antes, ahora, get, auto), estado_texto = _en_proceso_nuevo(OPENBLAS_NUM_THREADS="1")
    assert (antes, ahora, get, auto) == ("1", "1", "1", "False")
    assert estado_texto == "1 hilos para todo, elegidos por el usuario (OPENBLAS_NUM_THREADS)"


@hay_blas
def test_set_num_threads_fija_los_hilos_de_todo(estado):
    tg.set_num_threads(1)
    assert tg.get_num_threads() == 1 and not _threads.auto
    assert [c.num_threads for c in _threads._blas] == [1] * len(_threads._blas)
    assert _threads.status == "1 hilos para todo, elegidos con set_num_threads"


@pytest.mark.parametrize("valor", [0, -1, 1.5, "2", True])
def test_set_num_threads_rechaza_lo_que_rechaza_pytorch(valor, requiere_torch, estado):
    with pytest.raises(RuntimeError) as esperado:
        requiere_torch.set_num_threads(valor)
    with pytest.raises(type(esperado.value), match="set_num_threads espera un entero"):
        tg.set_num_threads(valor)


def test_interop_una_sola_vez(estado):
    _threads._interop, _threads._interop_set = 1, False
    assert tg.get_num_interop_threads() == 1
    with pytest.raises(RuntimeError, match="entero positivo"):
        tg.set_num_interop_threads(0)
    tg.set_num_interop_threads(3)
    assert tg.get_num_interop_threads() == 3
    with pytest.raises(RuntimeError, match="solo se puede llamar una vez"):
        tg.set_num_interop_threads(2)


@hay_blas
def test_lo_que_cambia_con_los_hilos_queda_dicho(estado):
    """OpenBLAS no da los mismos bits con 1 y con 2 hilos en todas las formas: en la primera
    capa del MLP de MNIST (64x784 @ 784x128) cambia el orden de la suma de 784 términos (error
    de redondeo de float32, ~1e-5 relativo a la escala). Por eso la política usa un número de
    hilos que depende solo del tamaño del producto, no de la carga ni de los núcleos."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((64, 784), dtype=np.float32)
    b = rng.standard_normal((784, 128), dtype=np.float32)
    tg.set_num_threads(1)
    uno = a @ b
    tg.set_num_threads(2)
    dos = a @ b
    np.testing.assert_allclose(uno, dos, rtol=0, atol=1e-4)   # |a@b| ~ 28
    exacto = a.astype(np.float64) @ b.astype(np.float64)
    for r in (uno, dos):
        assert np.abs(r - exacto).max() < 1e-4
