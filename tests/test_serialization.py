"""``save``/``load``: el formato sigue a la extensión (safetensors o el de torch.save), estado
anidado con tipos, pickles cualquiera rechazados sin ejecutarlos, escritura atómica.

Las pruebas de ida y vuelta con PyTorch del formato de torch.save están en
``test_checkpoint_torch.py``."""
import collections
import io
import json
import math
import os
import pickle
import struct

import numpy as np
import pytest
import safetensors.numpy
from safetensors import safe_open

import tinygrad_es as tg
import tinygrad_es.optim as optim
from tinygrad_es.serialization import load, save

_rng = np.random.default_rng(3)
W1, B1 = _rng.standard_normal((4, 3)).astype(np.float32), _rng.standard_normal(4).astype(np.float32)
W2, B2 = _rng.standard_normal((2, 4)).astype(np.float32), _rng.standard_normal(2).astype(np.float32)


def _state_dict():
    return collections.OrderedDict([("0.weight", tg.tensor(W1)), ("0.bias", tg.tensor(B1)),
                                    ("2.weight", tg.tensor(W2)), ("2.bias", tg.tensor(B2))])


@pytest.mark.parametrize("name", ["pesos.pt", "pesos.pth", "pesos.bin", "pesos.tar", "pesos",
                                  "pesos.safetensors", "PESOS.SafeTensors"])
def test_el_formato_sigue_a_la_extension(tmp_path, name):
    save(_state_dict(), tmp_path / name)
    raw = (tmp_path / name).read_bytes()
    es_safetensors = name.lower().endswith(".safetensors")
    assert (raw[:4] == b"PK\x03\x04") != es_safetensors      # zip de torch.save o safetensors
    back = load(tmp_path / name)
    assert isinstance(back, collections.OrderedDict) and list(back) == list(_state_dict())
    for key, value in _state_dict().items():
        np.testing.assert_array_equal(back[key].numpy(), value.numpy())


@pytest.mark.parametrize("name", ["pesos.safetensors"])
def test_state_dict_plano_es_safetensors_con_las_mismas_claves(tmp_path, name):
    path = tmp_path / name
    save(_state_dict(), path)
    raw = safetensors.numpy.load_file(path)
    assert set(raw) == {"0.weight", "0.bias", "2.weight", "2.bias"}
    np.testing.assert_array_equal(raw["0.weight"], W1)
    back = load(path)
    assert isinstance(back, collections.OrderedDict)
    assert list(back) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    for key, value in _state_dict().items():
        assert isinstance(back[key], tg.Tensor) and back[key].dtype == np.float32
        np.testing.assert_array_equal(back[key].numpy(), value.numpy())
        assert not back[key].requires_grad


def test_pytorch_carga_el_state_dict(tmp_path, requiere_torch):
    torch = requiere_torch
    import safetensors.torch
    save(_state_dict(), tmp_path / "modelo.safetensors")
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    model.load_state_dict(safetensors.torch.load_file(tmp_path / "modelo.safetensors"))
    x = _rng.standard_normal((5, 3)).astype(np.float32)
    theirs = model(torch.tensor(x)).detach().numpy()
    ours = np.maximum(x @ W1.T + B1, 0) @ W2.T + B2
    np.testing.assert_allclose(theirs, ours, rtol=1e-5, atol=1e-6)
    xt = tg.tensor(x)
    sd = load(tmp_path / "modelo.safetensors")
    mine = ((xt @ sd["0.weight"].t() + sd["0.bias"]).relu() @ sd["2.weight"].t()
            + sd["2.bias"]).numpy()
    np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)


def test_estado_anidado_conserva_los_tipos_en_safetensors(tmp_path):
    w = tg.tensor([[1.0, 2.0]], requires_grad=True)
    opt = optim.Adam([w], lr=0.1, amsgrad=True)
    (w * w).sum().backward()
    opt.step()
    obj = {"modelo": _state_dict(), "optim": opt.state_dict(), "epoca": 3, "perdida": 0.25,
           "nombre": "mlp ñandú", "nada": None, "ok": True, "forma": (2, 3),
           "lista": [1, (2.5, "x"), [None, False]], 7: "clave entera", (1, 2): "clave tupla",
           "inf": math.inf, "menos_inf": -math.inf, "nan": math.nan, "f64": np.float64(1.5),
           "i64": np.int64(-4), "enteros": tg.tensor([1, 2, 3]), "mascara": tg.tensor([True]),
           "doble": tg.tensor(np.ones((2, 2))), "escalar": tg.tensor(2.5), "vacio": {},
           "array": np.arange(4, dtype=np.int16), "contador": collections.Counter([1, 1, 2]),
           "w": w}
    save(obj, tmp_path / "todo.safetensors")
    back = load(tmp_path / "todo.safetensors")
    assert list(back) == list(obj)
    assert back["epoca"] == 3 and type(back["epoca"]) is int
    assert back["perdida"] == 0.25 and back["nombre"] == "mlp ñandú"
    assert back["nada"] is None and back["ok"] is True
    assert back["forma"] == (2, 3) and type(back["forma"]) is tuple
    assert back["lista"] == [1, (2.5, "x"), [None, False]]
    assert back[7] == "clave entera" and back[(1, 2)] == "clave tupla"
    assert back["inf"] == math.inf and back["menos_inf"] == -math.inf
    assert math.isnan(back["nan"])
    assert type(back["f64"]) is np.float64 and type(back["i64"]) is np.int64
    assert back["enteros"].dtype == np.int64 and back["enteros"].tolist() == [1, 2, 3]
    assert back["mascara"].dtype == np.bool_ and back["doble"].dtype == np.float64
    assert back["escalar"].shape == () and back["escalar"].item() == 2.5
    assert back["vacio"] == {} and back["contador"] == collections.Counter([1, 1, 2])
    assert back["array"].dtype == np.int16 and isinstance(back["array"], np.ndarray)
    assert back["w"].requires_grad and back["w"].is_leaf
    state = back["optim"]["state"]
    assert list(state) == [0] and type(list(state)[0]) is int
    assert state[0]["step"].dtype == np.float32 and state[0]["step"].item() == 1.0
    np.testing.assert_array_equal(state[0]["max_exp_avg_sq"].numpy(),
                                  opt.state[w]["max_exp_avg_sq"].numpy())
    assert back["optim"]["param_groups"][0]["betas"] == (0.9, 0.999)
    with safe_open(tmp_path / "todo.safetensors", "np") as f:
        meta = f.metadata()
        assert "optim.state.0.exp_avg" in f.keys() and "modelo.0.weight" in f.keys()
    json.loads(meta["tinygrad_es"])             # un único valor JSON válido


@pytest.mark.parametrize("name", ["v.pt", "v.safetensors"])
def test_tensores_no_contiguos_y_vistas(tmp_path, name):
    base = tg.tensor(np.arange(12, dtype=np.float32).reshape(3, 4))
    views = {"t": base.t(), "paso": base[:, ::2], "fila": base[1]}
    save(views, tmp_path / name)
    back = load(tmp_path / name)
    for key, value in views.items():
        np.testing.assert_array_equal(back[key].numpy(), value.numpy())
        assert back[key].shape == value.shape
    back["fila"][0] = 100.0                     # lo cargado es escribible y no comparte memoria
    assert base[1, 0].item() == 4.0


def test_tensor_suelto_y_archivos_abiertos():
    buffer = io.BytesIO()
    save(tg.tensor([1.5, -2.0]), buffer)
    buffer.seek(0)
    back = load(buffer, map_location="cpu", weights_only=True)
    assert back.tolist() == [1.5, -2.0]
    with pytest.raises(RuntimeError, match="CPU"):
        load(io.BytesIO(buffer.getvalue()), map_location="cuda")


def test_archivo_safetensors_ajeno(tmp_path):
    safetensors.numpy.save_file({"capa.weight": W1}, tmp_path / "ajeno.safetensors")
    back = load(tmp_path / "ajeno.safetensors")
    assert list(back) == ["capa.weight"]
    np.testing.assert_array_equal(back["capa.weight"].numpy(), W1)


class _FakeModule:
    def state_dict(self):
        return {}

    def parameters(self):
        return iter([])


@pytest.mark.parametrize("ext", [".pt", ".safetensors"])
def test_guardar_un_modelo_entero_pide_state_dict(tmp_path, ext):
    for model in [_FakeModule(), *_real_modules()]:
        with pytest.raises(TypeError, match=r"model\.state_dict\(\)"):
            save(model, tmp_path / f"m{ext}")
        with pytest.raises(TypeError, match=r"model\.state_dict\(\)"):
            save({"modelo": model}, tmp_path / f"m{ext}")
    opt = optim.SGD([tg.zeros(1, requires_grad=True)], lr=0.1)
    with pytest.raises(TypeError, match=r"optimizer\.state_dict\(\)"):
        save(opt, tmp_path / f"o{ext}")
    with pytest.raises(TypeError, match=r"tipo function en \['f'\]"):
        save({"f": lambda x: x}, tmp_path / f"f{ext}")
    assert not list(tmp_path.iterdir())          # ningún archivo ni temporal a medias


def _real_modules():
    try:
        import tinygrad_es.nn as nn
        return [nn.Linear(2, 3)]
    except (ImportError, AttributeError):
        return []


class _Malicioso:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_pickle_nunca_se_ejecuta(tmp_path):
    marker = tmp_path / "ejecutado"
    for protocol in (2, 4, 5):
        path = tmp_path / f"malo{protocol}.pt"
        path.write_bytes(pickle.dumps({"w": _Malicioso(marker)}, protocol=protocol))
        with pytest.raises(RuntimeError, match="pickle"):
            load(path)
    assert not marker.exists()
    pickle.loads((tmp_path / "malo4.pt").read_bytes())     # prueba de que el archivo es dañino
    assert marker.exists()


def test_archivo_de_torch_save_se_carga(tmp_path, requiere_torch):
    torch = requiere_torch
    torch.save({"w": torch.zeros(2)}, tmp_path / "torch.pt")
    assert load(tmp_path / "torch.pt")["w"].tolist() == [0.0, 0.0]


def test_formato_y_extension_que_no_coinciden(tmp_path):
    """Safetensors con nombre .pt y zip de torch.save con nombre .safetensors: se leen igual."""
    save({"w": tg.ones(2)}, tmp_path / "a.safetensors")
    (tmp_path / "a.safetensors").rename(tmp_path / "st.pt")
    save({"w": tg.full((2,), 3.0)}, tmp_path / "b.pt")
    (tmp_path / "b.pt").rename(tmp_path / "zip.safetensors")
    assert load(tmp_path / "st.pt")["w"].tolist() == [1.0, 1.0]
    assert load(tmp_path / "zip.safetensors")["w"].tolist() == [3.0, 3.0]


def test_basura_truncado_y_ausente(tmp_path):
    garbage = tmp_path / "basura.pt"
    garbage.write_bytes(np.random.default_rng(0).bytes(500))
    with pytest.raises(RuntimeError, match="no es un archivo"):
        load(garbage)
    (tmp_path / "corto.pt").write_bytes(b"abc")
    with pytest.raises(RuntimeError, match="no es un archivo"):
        load(tmp_path / "corto.pt")
    bad_json = struct.pack("<Q", 5) + b"{abc}"
    (tmp_path / "json.pt").write_bytes(bad_json)
    with pytest.raises(RuntimeError, match="no es un archivo"):
        load(tmp_path / "json.pt")
    for name in ("bueno.pt", "bueno.safetensors"):
        save({"w": tg.ones(100), "n": 3}, tmp_path / name)
        data = (tmp_path / name).read_bytes()
        for cut in (len(data) - 10, 20):
            (tmp_path / "truncado.pt").write_bytes(data[:cut])
            with pytest.raises(RuntimeError, match="truncado"):
                load(tmp_path / "truncado.pt")
    with pytest.raises(FileNotFoundError, match="No existe"):
        load(tmp_path / "no_existe.pt")
    with pytest.raises(FileNotFoundError, match="carpeta"):
        save({"w": tg.ones(1)}, tmp_path / "sin" / "carpeta.pt")


def test_escritura_atomica_safetensors(tmp_path, monkeypatch):
    path = tmp_path / "punto.safetensors"
    save({"w": tg.ones(3)}, path)
    original = path.read_bytes()

    def fails(*args, **kwargs):
        raise OSError("disco lleno")

    monkeypatch.setattr(safetensors.numpy, "save_file", fails)
    with pytest.raises(OSError, match="disco lleno"):
        save({"w": tg.zeros(3)}, path)
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["punto.safetensors"]
    monkeypatch.undo()
    save({"w": tg.zeros(3)}, path)
    assert load(path)["w"].tolist() == [0.0, 0.0, 0.0]
    assert [p.name for p in tmp_path.iterdir()] == ["punto.safetensors"]
    assert oct(path.stat().st_mode & 0o777) != oct(0o600)


def test_escritura_atomica_torch(tmp_path, monkeypatch):
    from tinygrad_es.serialization import _torch_zip
    path = tmp_path / "punto.pt"
    save({"w": tg.ones(3)}, path)
    original = path.read_bytes()
    real_write = _torch_zip.write

    def fails_midway(fileobj, *args, **kwargs):
        fileobj.write(b"PK\x03\x04 a medias")
        raise OSError("disco lleno")

    monkeypatch.setattr(_torch_zip, "write", fails_midway)
    with pytest.raises(OSError, match="disco lleno"):
        save({"w": tg.zeros(3)}, path)
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["punto.pt"]
    monkeypatch.setattr(_torch_zip, "write", real_write)
    save({"w": tg.zeros(3)}, path)
    assert load(path)["w"].tolist() == [0.0, 0.0, 0.0]
    assert [p.name for p in tmp_path.iterdir()] == ["punto.pt"]


def test_modelo_nn_ida_y_vuelta_con_pytorch(tmp_path, requiere_torch):
    torch = requiere_torch
    nn = pytest.importorskip("tinygrad_es.nn")
    import safetensors.torch
    ours = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    save(ours.state_dict(), tmp_path / "nuestro.safetensors")
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    theirs.load_state_dict(safetensors.torch.load_file(tmp_path / "nuestro.safetensors"))
    x = _rng.standard_normal((6, 3)).astype(np.float32)
    np.testing.assert_allclose(ours(tg.tensor(x)).detach().numpy(),
                               theirs(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)
    with torch.no_grad():
        for p in theirs.parameters():
            p.mul_(-2.0)
    safetensors.torch.save_file(theirs.state_dict(), tmp_path / "de_torch.safetensors")
    again = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    again.load_state_dict(load(tmp_path / "de_torch.safetensors"))
    np.testing.assert_allclose(again(tg.tensor(x)).detach().numpy(),
                               theirs(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["c.safetensors", "c.pt"])
def test_nombres_de_tensor_que_chocan(tmp_path, name):
    obj = {"__metadata__": tg.ones(2), "a": {"b": tg.zeros(1)}, "a.b": tg.full((1,), 7.0)}
    save(obj, tmp_path / name)
    back = load(tmp_path / name)
    assert back["__metadata__"].tolist() == [1.0, 1.0]
    assert back["a"]["b"].tolist() == [0.0] and back["a.b"].tolist() == [7.0]
