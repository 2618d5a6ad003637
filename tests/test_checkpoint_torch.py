"""Archivos de ``torch.save`` en los dos sentidos, con PyTorch 2.13 como oráculo.

- Lo que guarda PyTorch se carga aquí (y al revés con ``torch.load(weights_only=True)``) y da
  las mismas salidas; los optimizadores siguen entrenando igual tras cargar su estado.
- dtypes, vistas no contiguas y almacenamientos compartidos; formato antiguo (no zip).
- Un pickle malicioso dentro de un ``.pt`` se rechaza SIN ejecutarse (se comprueba que el
  archivo marcador no aparece, y que PyTorch con ``weights_only=False`` sí lo ejecutaría).
- hypothesis: estructuras anidadas que van y vuelven por las dos bibliotecas.
"""
import collections
import io
import math
import os
import pickle
import subprocess
import tempfile
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_es as tg
import tinygrad_es.nn as nn
from tinygrad_es.serialization import (ALLOWED_GLOBALS, TORCH_ONLY, CheckpointUnpicklingError,
                                       _pickler, _torch_zip)

_rng = np.random.default_rng(11)
X = _rng.standard_normal((6, 3)).astype(np.float32)


def _red(lib):
    return lib.nn.Sequential(lib.nn.Linear(3, 5), lib.nn.ReLU(), lib.nn.Linear(5, 2),
                             lib.nn.Sigmoid())


def _mismas_salidas(ours, theirs, torch):
    """Mismos pesos -> mismas salidas (a 1 ulp de float32: las dos hacen matmul con BLAS)."""
    np.testing.assert_allclose(ours(tg.tensor(X)).detach().numpy(),
                               theirs(torch.tensor(X)).detach().numpy(), rtol=1e-6, atol=1e-7)


# --- state dicts: mismas salidas en los dos sentidos ----------------------------------------
@pytest.mark.parametrize("name", ["red.pt", "red.pth", "red.bin"])
def test_state_dict_de_pytorch_da_las_mismas_salidas(tmp_path, requiere_torch, name):
    torch = requiere_torch
    theirs = _red(torch)
    torch.save(theirs.state_dict(), tmp_path / name)
    sd = tg.load(tmp_path / name)
    assert isinstance(sd, collections.OrderedDict) and list(sd) == list(theirs.state_dict())
    assert all(type(v) is tg.Tensor and v.dtype == tg.float32 for v in sd.values())
    for key, value in theirs.state_dict().items():               # los mismos bits
        np.testing.assert_array_equal(sd[key].numpy(), value.numpy())
    ours = _red(tg)
    ours.load_state_dict(sd)
    _mismas_salidas(ours, theirs, torch)


@pytest.mark.parametrize("name", ["red.pt", "red.pth", "red"])
def test_state_dict_nuestro_lo_abre_pytorch(tmp_path, requiere_torch, name):
    torch = requiere_torch
    ours = _red(tg)
    tg.save(ours.state_dict(), tmp_path / name)
    sd = torch.load(tmp_path / name, weights_only=True)
    assert isinstance(sd, collections.OrderedDict) and list(sd) == list(ours.state_dict())
    for key, value in ours.state_dict().items():                 # los mismos bits
        np.testing.assert_array_equal(sd[key].numpy(), value.numpy())
    theirs = _red(torch)
    theirs.load_state_dict(sd)
    _mismas_salidas(ours, theirs, torch)
    torch.save(theirs.state_dict(), tmp_path / "de_vuelta.pt")    # y vuelta: con _metadata
    again = _red(tg)
    again.load_state_dict(tg.load(tmp_path / "de_vuelta.pt"))
    np.testing.assert_array_equal(again(tg.tensor(X)).detach().numpy(),
                                  ours(tg.tensor(X)).detach().numpy())


def test_parameter_en_los_dos_sentidos(tmp_path, requiere_torch):
    torch = requiere_torch
    torch.save({"p": torch.nn.Parameter(torch.ones(2)),
                "congelado": torch.nn.Parameter(torch.zeros(1), requires_grad=False)},
               tmp_path / "p.pt")
    back = tg.load(tmp_path / "p.pt")
    assert isinstance(back["p"], nn.Parameter) and back["p"].requires_grad
    assert isinstance(back["congelado"], nn.Parameter) and not back["congelado"].requires_grad
    tg.save({"p": nn.Parameter(tg.ones(3)), "t": tg.ones(2, requires_grad=True)},
            tmp_path / "q.pt")
    theirs = torch.load(tmp_path / "q.pt", weights_only=True)
    assert isinstance(theirs["p"], torch.nn.Parameter) and theirs["p"].requires_grad
    assert not isinstance(theirs["t"], torch.nn.Parameter) and theirs["t"].requires_grad


# --- optimizadores: cargar el estado y seguir entrenando ---------------------------------
_INIT = [_rng.standard_normal(s) * 0.5 for s in [(4, 3), (4,), (2, 4), (2,)]]
_XD, _YD = _rng.standard_normal((8, 3)), _rng.standard_normal((8, 2))
_OPTIMS = [("SGD", {"lr": 0.1, "momentum": 0.9}), ("Adam", {"lr": 0.01, "amsgrad": True}),
           ("AdamW", {"lr": 0.01}), ("RMSprop", {"lr": 0.01, "centered": True,
                                                  "momentum": 0.5})]


def _steps(lib, opt, params, n):
    x, y = lib.tensor(_XD), lib.tensor(_YD)
    for _ in range(n):
        opt.zero_grad()
        w1, b1, w2, b2 = params
        (((x @ w1.t() + b1).tanh() @ w2.t() + b2 - y) ** 2).mean().backward()
        opt.step()


def _optimizer(lib, name, params, kwargs):
    return getattr(lib.optim, name)(params, **kwargs)


@pytest.mark.parametrize("name, kwargs", _OPTIMS, ids=[n for n, _ in _OPTIMS])
def test_optimizador_de_pytorch_sigue_aqui(tmp_path, requiere_torch, name, kwargs):
    torch = requiere_torch
    theirs = [torch.tensor(a.copy(), requires_grad=True) for a in _INIT]
    topt = _optimizer(torch, name, theirs, kwargs)
    _steps(torch, topt, theirs, 4)
    torch.save({"params": theirs, "optim": topt.state_dict(), "epoca": 4}, tmp_path / "c.pt")
    _steps(torch, topt, theirs, 4)

    checkpoint = tg.load(tmp_path / "c.pt")
    assert checkpoint["epoca"] == 4 and list(checkpoint["optim"]["state"]) == [0, 1, 2, 3]
    ours = checkpoint["params"]
    assert all(p.is_leaf and p.requires_grad and p.dtype == tg.float64 for p in ours)
    opt = _optimizer(tg, name, ours, kwargs)
    opt.load_state_dict(checkpoint["optim"])
    _steps(tg, opt, ours, 4)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name, kwargs", _OPTIMS, ids=[n for n, _ in _OPTIMS])
def test_optimizador_nuestro_sigue_en_pytorch(tmp_path, requiere_torch, name, kwargs):
    torch = requiere_torch
    ours = [tg.tensor(a.copy(), requires_grad=True) for a in _INIT]
    opt = _optimizer(tg, name, ours, kwargs)
    _steps(tg, opt, ours, 4)
    tg.save({"params": ours, "optim": opt.state_dict()}, tmp_path / "c.pt")
    _steps(tg, opt, ours, 4)

    checkpoint = torch.load(tmp_path / "c.pt", weights_only=True)
    theirs = checkpoint["params"]
    topt = _optimizer(torch, name, theirs, kwargs)
    topt.load_state_dict(checkpoint["optim"])
    _steps(torch, topt, theirs, 4)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-6, atol=1e-9)


# --- dtypes, vistas y almacenamientos compartidos ----------------------------------------
_TORCH_DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
                 "bool", "uint16", "uint32", "uint64"]


def _values(torch, dtype):
    base = torch.tensor([[0, 1, -2, 3], [4, -5, 6, 7], [8, 9, 10, -11]]) if dtype[0] != "u" \
        else torch.arange(12).reshape(3, 4)
    if dtype == "bool":
        return base % 2 == 0
    return base.to(getattr(torch, dtype)) if dtype in ("uint16", "uint32", "uint64") \
        else (base * 1.5 if dtype.startswith("float") else base).to(getattr(torch, dtype))


def test_dtypes_y_vistas_de_pytorch(tmp_path, requiere_torch):
    torch = requiere_torch
    obj = {dt: _values(torch, dt) for dt in _TORCH_DTYPES}
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    obj.update(bf16=torch.tensor([1.5, -2.25, 1e-3]).bfloat16(), base=base, t=base.t(),
               paso=base[:, 1::2], fila=base[2], esquina=base[1:3, 2:5],
               expandido=torch.arange(3.0).reshape(3, 1).expand(3, 4), escalar=torch.tensor(7),
               vacio=torch.zeros(0, 3))
    torch.save(obj, tmp_path / "tipos.pt")
    back = tg.load(tmp_path / "tipos.pt")
    for key, value in obj.items():
        expected = value.float() if key == "bf16" else value
        assert back[key].dtype.name == str(expected.dtype).split(".")[1], key
        assert tuple(back[key].shape) == tuple(value.shape), key
        np.testing.assert_array_equal(back[key].numpy(), expected.numpy(), err_msg=key)
    # las vistas comparten memoria como en PyTorch; lo expandido se copia (escribible)
    for key in ("t", "paso", "fila", "esquina"):
        assert np.shares_memory(back[key].numpy(), back["base"].numpy()), key
    tg.save(back, tmp_path / "otra_vez.pt")            # y al volver a guardar se comparte igual
    again = torch.load(tmp_path / "otra_vez.pt", weights_only=True)
    for key in ("t", "paso", "fila", "esquina"):
        assert again[key].untyped_storage().data_ptr() == \
            again["base"].untyped_storage().data_ptr(), key
        assert again[key].stride() == obj[key].stride(), key
        assert again[key].storage_offset() == obj[key].storage_offset(), key
    back["fila"][0] = 100.0
    assert back["base"][2, 0].item() == 100.0
    back["expandido"][0, 0] = -1.0
    assert back["expandido"][0, 1].item() == 0.0


def test_dtypes_y_vistas_nuestros_en_pytorch(tmp_path, requiere_torch):
    torch = requiere_torch
    obj = {dt: tg.tensor(_values(torch, dt).numpy()) for dt in _TORCH_DTYPES}
    base = tg.arange(24, dtype=tg.float32).reshape(4, 6)
    obj.update(base=base, t=base.t(), paso=base[:, 1::2], fila=base[2], esquina=base[1:3, 2:5],
               al_reves=tg.from_numpy(np.arange(5.0)[::-1]), escalar=tg.tensor(7),
               expandido=tg.arange(3.0).reshape(3, 1).expand(3, 4), vacio=tg.zeros(0, 3))
    tg.save(obj, tmp_path / "tipos.pt")
    theirs = torch.load(tmp_path / "tipos.pt", weights_only=True)
    for key, value in obj.items():
        assert str(theirs[key].dtype).split(".")[1] == value.dtype.name, key
        np.testing.assert_array_equal(theirs[key].numpy(), value.numpy(), err_msg=key)
    storage = theirs["base"].untyped_storage().data_ptr()
    for key in ("t", "paso", "fila", "esquina"):              # un solo almacenamiento
        assert theirs[key].untyped_storage().data_ptr() == storage, key
    assert theirs["t"].stride() == (1, 6) and theirs["paso"].stride() == (6, 2)
    assert theirs["esquina"].storage_offset() == 8
    assert theirs["expandido"].stride() == (1, 0)
    names = zipfile.ZipFile(tmp_path / "tipos.pt").namelist()
    assert sum(n.startswith("archive/data/") for n in names) == len(_TORCH_DTYPES) + 5


def test_solo_se_guarda_el_trozo_usado(tmp_path, requiere_torch):
    torch = requiere_torch
    grande = tg.zeros(1000, 100)
    tg.save({"fila": grande[3], "otra": grande[5, 10:20]}, tmp_path / "trozo.pt")
    assert os.path.getsize(tmp_path / "trozo.pt") < 10_000
    theirs = torch.load(tmp_path / "trozo.pt", weights_only=True)
    assert theirs["fila"].untyped_storage().data_ptr() == \
        theirs["otra"].untyped_storage().data_ptr()
    assert theirs["fila"].shape == (100,) and theirs["otra"].shape == (10,)


def test_formato_antiguo_no_zip(tmp_path, requiere_torch):
    torch = requiere_torch
    base = torch.arange(12.0).reshape(3, 4)
    obj = {"base": base, "t": base.t(), "fila": base[1], "n": torch.arange(5, dtype=torch.int16),
           "bf16": torch.tensor([0.5, -3.0]).bfloat16(), "opt": {"lr": 0.1, "pasos": (1, 2)},
           "p": torch.nn.Parameter(torch.ones(2)), "exp": torch.ones(2, 1).expand(2, 3)}
    torch.save(obj, tmp_path / "viejo.pt", _use_new_zipfile_serialization=False)
    back = tg.load(tmp_path / "viejo.pt")
    for key in ("base", "t", "fila", "n", "exp"):
        np.testing.assert_array_equal(back[key].numpy(), obj[key].numpy())
    assert back["bf16"].tolist() == [0.5, -3.0] and back["n"].dtype == tg.int16
    assert back["opt"] == {"lr": 0.1, "pasos": (1, 2)} and isinstance(back["p"], nn.Parameter)
    assert np.shares_memory(back["t"].numpy(), back["base"].numpy())


def test_orden_de_bytes_big_endian(tmp_path, requiere_torch):
    torch = requiere_torch
    obj = {"f": tg.tensor([1.5, -2.0, 3.25]), "i": tg.tensor([1, -2, 300]),
           "h": tg.tensor(np.array([0.5, 2.0], np.float16))}
    pickled, storages = _pickler.dumps(obj)
    path = tmp_path / "big.pt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("archive/data.pkl", pickled)
        archive.writestr("archive/byteorder", "big")
        archive.writestr("archive/version", "3\n")
        for (key, data), value in zip(storages, obj.values()):
            archive.writestr(f"archive/data/{key}", value.numpy().byteswap().tobytes())
    for loaded in (tg.load(path), torch.load(path, weights_only=True)):
        for key, value in obj.items():
            np.testing.assert_array_equal(np.asarray(loaded[key].numpy()), value.numpy())


def test_argumentos_de_torch_load(tmp_path, requiere_torch):
    torch = requiere_torch
    torch.save({"w": torch.ones(2)}, tmp_path / "w.pt")
    for kwargs in ({"map_location": "cpu"}, {"map_location": torch.device("cpu")},
                   {"map_location": {"cuda:0": "cpu"}},
                   {"map_location": lambda storage, loc: storage},
                   {"weights_only": True}, {"weights_only": False}, {"mmap": True}):
        assert tg.load(tmp_path / "w.pt", **kwargs)["w"].tolist() == [1.0, 1.0], kwargs
    with pytest.raises(RuntimeError, match="CPU"):
        tg.load(tmp_path / "w.pt", map_location="cuda")
    buffer = io.BytesIO()
    tg.save({"w": tg.ones(2)}, buffer)
    assert torch.load(io.BytesIO(buffer.getvalue()), weights_only=True)["w"].tolist() == [1, 1]


def test_zip_de_torch_con_nombre_safetensors(tmp_path, requiere_torch):
    torch = requiere_torch
    torch.save({"w": torch.ones(2)}, tmp_path / "mal_nombre.safetensors")
    assert tg.load(tmp_path / "mal_nombre.safetensors")["w"].tolist() == [1.0, 1.0]


# --- seguridad: nada del archivo se ejecuta -----------------------------------------------
class _Sistema:
    """Al cargarlo con pickle normal ejecutaría un comando que crea ``marker``."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


class _Eval(_Sistema):
    def __reduce__(self):
        return (eval, (f"open({self.marker!r}, 'w').close()",))


class _Subproceso(_Sistema):
    def __reduce__(self):
        return (subprocess.call, (["touch", self.marker],))


class _ClasePropia:
    def __init__(self):
        self.x = 1


@pytest.mark.parametrize("kind, refused", [(_Sistema, "posix.system"),
                                           (_Eval, "builtins.eval"),
                                           (_Subproceso, "subprocess.call")])
@pytest.mark.parametrize("protocol", [2, 4])
def test_pickle_malicioso_dentro_de_un_pt_no_se_ejecuta(tmp_path, requiere_torch, kind,
                                                       refused, protocol):
    torch = requiere_torch
    marker = tmp_path / "ejecutado"
    path = tmp_path / "malo.pt"
    torch.save({"w": torch.zeros(2), "sorpresa": [kind(marker)]}, path,
               pickle_protocol=protocol)
    for weights_only in (None, True, False):
        with pytest.raises(CheckpointUnpicklingError) as info:
            tg.load(path, weights_only=weights_only)
        message = str(info.value)
        assert refused in message and "No se ha ejecutado nada" in message
        assert ("weights_only=False" in message) == (weights_only is False)
        assert isinstance(info.value, pickle.UnpicklingError)
        assert isinstance(info.value, RuntimeError)
    assert not marker.exists()
    torch.load(path, weights_only=False)          # prueba de que el archivo sí es dañino
    assert marker.exists()


def test_pickle_malicioso_en_formato_antiguo_y_pickle_suelto(tmp_path, requiere_torch):
    torch = requiere_torch
    marker = tmp_path / "ejecutado"
    torch.save({"w": _Sistema(marker)}, tmp_path / "viejo.pt",
               _use_new_zipfile_serialization=False)
    (tmp_path / "suelto.pt").write_bytes(pickle.dumps({"w": _Sistema(marker)}, protocol=2))
    for name in ("viejo.pt", "suelto.pt"):
        with pytest.raises(CheckpointUnpicklingError, match="posix.system"):
            tg.load(tmp_path / name)
    assert not marker.exists()


@pytest.mark.filterwarnings("ignore::UserWarning")       # quantize_per_tensor está obsoleto
@pytest.mark.parametrize("obj, pattern", [
    (lambda torch: torch.nn.Linear(2, 2), r"state_dict\(\)"),
    (lambda torch: {"a": np.arange(3)}, "NumPy"),
    (lambda torch: _ClasePropia(), "_ClasePropia"),
    (lambda torch: {"q": torch.quantize_per_tensor(torch.ones(2), 0.1, 0, torch.quint8)},
     "cuantizado"),
    (lambda torch: {"s": torch.eye(2).to_sparse()}, "disperso"),
])
def test_lo_que_no_se_carga_dice_por_que(tmp_path, requiere_torch, obj, pattern):
    torch = requiere_torch
    torch.save(obj(torch), tmp_path / "x.pt")
    with pytest.raises(CheckpointUnpicklingError, match=pattern):
        tg.load(tmp_path / "x.pt")


def test_complejos_dan_un_error_claro(tmp_path, requiere_torch):
    torch = requiere_torch
    torch.save({"c": torch.zeros(2, dtype=torch.complex64)}, tmp_path / "c.pt")
    with pytest.raises(RuntimeError, match="view_as_real"):
        tg.load(tmp_path / "c.pt")


def _zip_con(path, pickled, storages=()):
    with open(path, "wb") as fh:
        _torch_zip.write(fh, pickled, list(storages))


def _texto(s):
    data = s.encode()
    return b"X" + len(data).to_bytes(4, "little") + data


def test_pickles_manipulados_a_mano(tmp_path):
    """BUILD sobre un global permitido, tensores fuera de su almacenamiento, BUILD sobre un
    tensor: errores en español, y nada del proceso cambia."""
    tensor = (b"ctorch._utils\n_rebuild_tensor_v2\n((" + _texto("storage")
              + b"ctorch\nFloatStorage\n" + _texto("0") + _texto("cpu") + b"K\x04tQK\x00Kd\x85"
              + b"K\x01\x85\x89ccollections\nOrderedDict\n)RtR")
    datos = [("0", memoryview(np.ones(4, np.float32).view(np.uint8)))]
    casos = {
        "build_od": b"\x80\x02ccollections\nOrderedDict\n}" + _texto("malo") + b"K\x01sb.",
        "build_fn": b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\nN}" + _texto("__defaults__")
                    + b"K\x01\x85s\x86b.",
        "fuera": b"\x80\x02" + tensor + b".",
        "build_tensor": b"\x80\x02" + tensor.replace(b"Kd\x85", b"K\x04\x85")
                        + b"N}" + _texto("_data") + b"N" + b"s\x86b.",
    }
    for name, pickled in casos.items():
        _zip_con(tmp_path / f"{name}.pt", pickled, datos)
        with pytest.raises(RuntimeError, match="dañado") as info:
            tg.load(tmp_path / f"{name}.pt")
        assert "No se ha ejecutado nada" in str(info.value), name
    assert not hasattr(collections.OrderedDict, "malo")
    out = tg.load(io.BytesIO(_zip_bytes(b"\x80\x02" + tensor.replace(b"Kd\x85", b"K\x04\x85")
                                        + b".", datos)))
    assert out.tolist() == [1.0] * 4                # el mismo tensor, bien formado, sí carga


def _zip_bytes(pickled, storages):
    buffer = io.BytesIO()
    _torch_zip.write(buffer, pickled, storages)
    return buffer.getvalue()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch.jit está obsoleto
def test_torchscript_y_zips_ajenos(tmp_path, requiere_torch):
    torch = requiere_torch
    torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), tmp_path / "script.pt")
    with pytest.raises(RuntimeError, match="TorchScript"):
        tg.load(tmp_path / "script.pt")
    with zipfile.ZipFile(tmp_path / "otro.pt", "w") as archive:
        archive.writestr("hola.txt", "hola")
    with pytest.raises(RuntimeError, match="no uno de torch.save"):
        tg.load(tmp_path / "otro.pt")


def test_la_lista_es_la_de_weights_only(requiere_torch):
    """Todo lo que aceptamos lo acepta torch.load(weights_only=True); lo que PyTorch acepta y
    aquí no se reconstruye tiene su propio mensaje (TORCH_ONLY)."""
    from torch._weights_only_unpickler import _get_allowed_globals
    theirs = set(_get_allowed_globals())
    assert ALLOWED_GLOBALS <= theirs
    assert set(TORCH_ONLY) <= theirs
    assert ALLOWED_GLOBALS | set(TORCH_ONLY) == theirs


def test_guardar_lo_que_pytorch_no_abriria(tmp_path):
    with pytest.raises(TypeError, match=r"torch\.from_numpy"):
        tg.save({"a": np.arange(3)}, tmp_path / "a.pt")
    with pytest.raises(TypeError, match="frozenset"):
        tg.save({"a": frozenset([1])}, tmp_path / "a.pt")
    assert not list(tmp_path.iterdir())
    tg.save({"x": np.float64(0.5), "n": np.int64(3), "b": np.bool_(True)}, tmp_path / "e.pt")
    back = tg.load(tmp_path / "e.pt")
    assert back == {"x": 0.5, "n": 3, "b": True} and type(back["n"]) is int


# --- hypothesis: estructuras anidadas de ida y vuelta por las dos bibliotecas -------------
_DTYPES = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]


@st.composite
def _tensores(draw):
    dtype = draw(st.sampled_from(_DTYPES))
    shape = tuple(draw(st.lists(st.integers(0, 4), max_size=3)))
    values = draw(st.lists(st.integers(-50, 50), min_size=math.prod(shape),
                           max_size=math.prod(shape)))
    array = np.array(values, dtype=np.int64).reshape(shape)
    array = (array % 2 == 0) if dtype == "bool" else array.astype(dtype)
    t = tg.tensor(array)
    vista = draw(st.sampled_from(["", "t", "paso"]))
    if vista == "t" and t.ndim == 2:
        t = t.t()
    elif vista == "paso" and t.ndim >= 1:
        t = t[::2]
    if dtype.startswith("float") and draw(st.booleans()):
        t.requires_grad_()
    return t


_HOJAS = (st.none() | st.booleans() | st.integers(-2 ** 70, 2 ** 70)
          | st.floats(allow_nan=False) | st.text(max_size=6) | st.binary(min_size=1, max_size=6)
          | st.complex_numbers(allow_nan=False, allow_infinity=False)
          | st.sampled_from([tg.float32, tg.int64, tg.bool, tg.float16]) | _tensores())
_CLAVES = st.text(max_size=5) | st.integers(-3, 10 ** 6)
_ARBOLES = st.recursive(
    _HOJAS, lambda hijos: (st.lists(hijos, max_size=4) | st.lists(hijos, max_size=5).map(tuple)
                           | st.dictionaries(_CLAVES, hijos, max_size=4)
                           | st.dictionaries(_CLAVES, hijos, max_size=4)
                           .map(collections.OrderedDict)),
    max_leaves=10)


def _igual(ours, other):
    """``other`` (de tinygrad_es o de torch) es lo mismo que ``ours``, tipos incluidos."""
    if isinstance(ours, tg.Tensor):
        data = other.detach().numpy()
        assert data.dtype == ours.dtype and data.shape == tuple(ours.shape)
        np.testing.assert_array_equal(data, ours.detach().numpy())
        assert bool(other.requires_grad) == ours.requires_grad
        return
    if isinstance(ours, np.dtype):                            # torch.float32 <-> float32
        assert str(other).rsplit(".", 1)[-1] == ours.name
        return
    assert type(other) is type(ours), (type(ours), type(other))
    if isinstance(ours, dict):
        assert list(other) == list(ours)
        for key in ours:
            _igual(ours[key], other[key])
    elif isinstance(ours, (list, tuple)):
        assert len(other) == len(ours)
        for a, b in zip(ours, other):
            _igual(a, b)
    else:
        assert other == ours


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(obj=_ARBOLES)
def test_estructuras_anidadas_de_ida_y_vuelta(requiere_torch, obj):
    torch = requiere_torch
    with tempfile.TemporaryDirectory() as folder:
        ours_path, theirs_path = os.path.join(folder, "a.pt"), os.path.join(folder, "b.pt")
        tg.save(obj, ours_path)
        _igual(obj, tg.load(ours_path))
        theirs = torch.load(ours_path, weights_only=True)
        _igual(obj, theirs)
        torch.save(theirs, theirs_path)
        _igual(obj, tg.load(theirs_path))
