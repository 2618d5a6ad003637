"""Configuración común de los tests.

- Perfiles de hypothesis: ``ci`` (derandomizado, sin deadline, pocos ejemplos) cuando
  ``CI=true``; ``dev`` en local (más ejemplos). Se puede forzar con HYPOTHESIS_PROFILE.
- ``requiere_torch`` / ``requiere_dot``: en CI fallan si falta la dependencia; en local
  se saltan con un motivo.
- ``mnist_dir``: la carpeta ``../shared/data/mnist`` o un salto con motivo.
- ``espejo_http``: un servidor HTTP local (127.0.0.1) que hace de espejo para las descargas con
  pooch, ``(carpeta, url)``; nada sale a la red. Necesita pooch (``requiere_pooch``).
"""
import functools
import http.server
import importlib.util
import os
import pathlib
import shutil
import threading

import pytest
from hypothesis import HealthCheck, settings

EN_CI = os.environ.get("CI", "").lower() == "true"

settings.register_profile("ci", max_examples=25, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if EN_CI else "dev"))

RAIZ = pathlib.Path(__file__).resolve().parents[1]
MNIST_DIR = RAIZ.parent / "shared" / "data" / "mnist"


def _necesita(disponible, que, como):
    if disponible:
        return
    if EN_CI:
        pytest.fail(f"En CI {que} es obligatorio y no está disponible ({como}).")
    pytest.skip(f"{que} no está disponible: {como}")


@pytest.fixture
def requiere_torch():
    _necesita(importlib.util.find_spec("torch") is not None, "PyTorch (oráculo)",
              "pip install torch==2.13.0")
    import torch
    return torch


@pytest.fixture
def requiere_dot():
    _necesita(shutil.which("dot") is not None, "Graphviz (dot)", "apt-get install graphviz")


@pytest.fixture
def mnist_dir():
    if not (MNIST_DIR / "t10k-images-idx3-ubyte.gz").exists():
        pytest.skip(f"no están los datos de MNIST en {MNIST_DIR}")
    return MNIST_DIR


@pytest.fixture
def requiere_pooch():
    _necesita(importlib.util.find_spec("pooch") is not None, "pooch (descargas)",
              'es una dependencia de tinygrad_es: pip install -e "."')


class _Silencioso(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def espejo_http(tmp_path, monkeypatch, requiere_pooch):
    """``(carpeta, url)``: lo que se pone en ``carpeta`` se sirve por HTTP en ``url``."""
    from tinygrad_es.datasets import _descarga
    carpeta = tmp_path / "http"
    carpeta.mkdir()
    servidor = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Silencioso, directory=str(carpeta)))
    hilo = threading.Thread(target=servidor.serve_forever, kwargs={"poll_interval": 0.02},
                            daemon=True)
    hilo.start()
    for variable in ("NO_PROXY", "no_proxy"):   # nunca a través de un proxy
        monkeypatch.setenv(variable, "127.0.0.1,localhost")
    monkeypatch.setattr(_descarga, "RETRIES", 0)   # sin la espera de 1 s antes de reintentar
    yield carpeta, f"http://127.0.0.1:{servidor.server_address[1]}/"
    servidor.shutdown()
    servidor.server_close()


@pytest.fixture
def url_sin_servidor(monkeypatch, requiere_pooch):
    """Una URL a la que nadie responde (un puerto local cerrado): como estar sin conexión."""
    import socket

    from tinygrad_es.datasets import _descarga
    with socket.socket() as enchufe:
        enchufe.bind(("127.0.0.1", 0))
        puerto = enchufe.getsockname()[1]
    for variable in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(variable, "127.0.0.1,localhost")
    monkeypatch.setattr(_descarga, "RETRIES", 0)
    return f"http://127.0.0.1:{puerto}/"
