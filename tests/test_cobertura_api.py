"""La página de cobertura de la API (docs/cobertura_api.md) se genera y está al día."""
import pathlib
import subprocess
import sys

import pytest

RAIZ = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ / "tools"))
import cobertura_api  # noqa: E402

pytest.importorskip("torch")


def test_la_pagina_de_cobertura_esta_al_dia():
    salida = subprocess.run([sys.executable, str(RAIZ / "tools" / "cobertura_api.py"), "--check"],
                            capture_output=True, text=True)
    assert salida.returncode == 0, salida.stdout + salida.stderr


def test_la_lista_objetivo_se_lee_entera():
    nombres = cobertura_api.leer_objetivo(cobertura_api.OBJETIVO.read_text(encoding="utf-8"))
    por_seccion = {}
    for seccion, _, nombre, stretch in nombres:
        por_seccion.setdefault(seccion, set()).add(nombre)
    assert {"einsum", "cumsum", "manual_seed", "linalg.solve"} <= por_seccion["torch"]
    assert {"masked_fill", "new_zeros", "sum_to_size"} <= por_seccion["Tensor methods"]
    assert {"Conv2d", "BatchNorm1d", "GELU", "CrossEntropyLoss", "clip_grad_norm_"} \
        <= por_seccion["torch.nn"]
    assert {"scaled_dot_product_attention", "huber_loss", "one_hot"} \
        <= por_seccion["torch.nn.functional"]
    ampliaciones = {n for _, _, n, s in nombres if s}
    assert {"LSTM", "linalg.svd", "LazyLinear", "pixel_shuffle", "ASGD"} <= ampliaciones
    assert "Conv2d" not in ampliaciones and "nearest" not in por_seccion["torch.nn.functional"]


def test_un_nombre_que_falta_sale_como_falta(tmp_path):
    texto = "## torch\ncreation: tensor nombre_que_no_existe\n"
    filas, (hechos, total, _, _) = cobertura_api.tabla(cobertura_api.leer_objetivo(texto))
    assert (hechos, total) == (1, 2)
    assert "- ✗ `nombre_que_no_existe`" in filas
