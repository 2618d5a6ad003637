"""Configuración común de los tests.

- Perfiles de hypothesis: ``ci`` (derandomizado, sin deadline, pocos ejemplos) cuando
  ``CI=true``; ``dev`` en local (más ejemplos). Se puede forzar con HYPOTHESIS_PROFILE.
- ``requiere_torch`` / ``requiere_dot``: en CI fallan si falta la dependencia; en local
  se saltan con un motivo.
- ``mnist_dir``: la carpeta ``../shared/data/mnist`` o un salto con motivo.
"""
import importlib.util
import os
import pathlib
import shutil

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
