"""``utils.summary``: tabla de capas con formas de salida, parámetros y memoria estimada."""
import numpy as np
import pytest

import tinygrad_es as tg
from tinygrad_es.utils import summary

nn = pytest.importorskip("tinygrad_es.nn")


def _mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def _rows(text):
    lines = text.splitlines()
    start = lines.index("=" * len(lines[0])) + 1
    end = lines.index("=" * len(lines[0]), start)
    return [line.split() for line in lines[start:end]]


def test_mlp_formas_parametros_y_totales(capsys):
    model = _mlp()
    text = summary(model, (1, 28, 28))
    assert capsys.readouterr().out.strip() == str(text).strip()
    assert "Capa (tipo)" in text and "Forma de salida" in text and "Parámetros" in text
    assert _rows(text) == [
        ["0", "(Flatten)", "[-1,", "784]", "0"],
        ["1", "(Linear)", "[-1,", "128]", "100.480"],
        ["2", "(ReLU)", "[-1,", "128]", "0"],
        ["3", "(Linear)", "[-1,", "10]", "1.290"],
    ]
    assert "Parámetros totales: 101.770" in text
    assert "Parámetros entrenables: 101.770" in text
    assert "Parámetros no entrenables: 0" in text
    assert f"Tamaño de los parámetros (MB): {101770 * 4 / 1024 ** 2:.2f}" in text
    assert "Tamaño total estimado (MB)" in text


def test_sin_efectos_secundarios():
    model = _mlp()
    model.eval()
    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    summary(model, (784,), batch_size=32)
    for module in model.modules():
        assert not module._forward_hooks
    assert not model.training
    for name, p in model.named_parameters():
        assert p.grad is None
        np.testing.assert_array_equal(p.detach().numpy(), before[name])
    out = model(tg.ones(2, 784))                  # el modelo sigue funcionando y con grafo
    assert out.grad_fn is not None


def test_lote_capas_reutilizadas_y_congeladas():
    class Red(nn.Module):
        def __init__(self):
            super().__init__()
            self.capa = nn.Linear(4, 4)
            self.act = nn.Tanh()
            self.salida = nn.Linear(4, 3)

        def forward(self, x):
            return self.salida(self.act(self.capa(self.act(self.capa(x)))))

    model = Red()
    model.salida.requires_grad_(False)
    text = summary(model, (4,), batch_size=16)
    rows = _rows(text)
    assert [r[0] for r in rows] == ["capa", "act", "capa", "act", "salida"]
    assert rows[0][2:] == ["[16,", "4]", "20"] and rows[4][2:] == ["[16,", "3]", "15"]
    assert "Parámetros totales: 35" in text
    assert "Parámetros entrenables: 20" in text and "Parámetros no entrenables: 15" in text


def test_varias_entradas_y_dtypes():
    class Dos(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(3, 2)
            self.b = nn.Linear(5, 2)

        def forward(self, x, y):
            return self.a(x) + self.b(y)

    text = summary(Dos().double(), [(3,), (5,)], dtypes=[tg.float64, tg.float64])
    assert [r[0] for r in _rows(text)] == ["a", "b"]
    assert "Parámetros totales: 20" in text
    with pytest.raises(ValueError, match="dtypes"):
        summary(Dos(), [(3,), (5,)], dtypes=[tg.float32])


def test_entrada_equivocada_explica_y_quita_los_ganchos():
    model = _mlp()
    with pytest.raises(RuntimeError, match="input_size"):
        summary(model, (3, 3))
    for module in model.modules():
        assert not module._forward_hooks
