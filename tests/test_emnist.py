"""datasets.EMNIST: el lector con archivos IDX pequeños escritos aquí (con los nombres que deja
torchvision al descomprimir), las seis particiones, los errores y la descarga con pooch desde
un espejo local (``espejo_http``); sin red, el mensaje en español."""
import gzip
import hashlib
import zipfile

import numpy as np
import pytest

import tinygrad_es as tg
from tinygrad_es.datasets import emnist, idx
from tinygrad_es.datasets._descarga import ENV_VAR
from tinygrad_es.vision import datasets, transforms


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """Cada test con su propia caché vacía (nunca la del usuario)."""
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "cache"))
    return tmp_path / "cache" / "emnist"


def _escribe(carpeta, split, train, n=5, gz=False, max_etiqueta=None, rng_seed=0):
    rng = np.random.default_rng(rng_seed)
    imagenes = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    alto = len(emnist.CLASSES[split]) if max_etiqueta is None else max_etiqueta + 1
    etiquetas = rng.integers(1 if split == "letters" else 0, alto, n).astype(np.uint8)
    etiquetas[-1] = alto - 1
    carpeta.mkdir(parents=True, exist_ok=True)
    for nombre, datos in zip(emnist.file_names(split, train), (imagenes, etiquetas)):
        contenido = idx.to_idx_bytes(datos)
        if gz:
            (carpeta / (nombre + ".gz")).write_bytes(gzip.compress(contenido))
        else:
            (carpeta / nombre).write_bytes(contenido)
    return imagenes, etiquetas


def test_lee_los_archivos_de_torchvision(tmp_path, cache):
    imagenes, etiquetas = _escribe(tmp_path / "EMNIST" / "raw", "letters", True)
    ds = datasets.EMNIST(tmp_path, split="letters")
    assert len(ds) == 5 and ds.split == "letters" and ds.train
    np.testing.assert_array_equal(ds.data.numpy(), imagenes)
    assert ds.targets.dtype == tg.int64 and ds.targets.tolist() == etiquetas.tolist()
    assert ds.classes[0] == "N/A" and ds.classes[1] == "a" and ds.class_to_idx["z"] == 26
    img, y = ds[2]
    assert img.dtype == np.uint8 and img.shape == (28, 28) and y == int(etiquetas[2])
    x, _ = datasets.EMNIST(tmp_path, "letters", transform=transforms.ToTensor())[0]
    np.testing.assert_allclose(x.numpy()[0], imagenes[0] / 255, rtol=1e-6)
    assert "Partición: letters, entrenamiento" in repr(ds)


def test_particion_de_prueba_comprimida_en_root(tmp_path, cache):
    imagenes, _ = _escribe(tmp_path, "balanced", False, n=3, gz=True)
    ds = datasets.EMNIST(tmp_path, split="balanced", train=False)
    np.testing.assert_array_equal(ds.data.numpy(), imagenes)
    with pytest.raises(emnist.DatasetNotFoundError):
        datasets.EMNIST(tmp_path, split="balanced", train=True)


def test_las_seis_particiones_y_sus_clases():
    assert datasets.EMNIST.splits == ("byclass", "bymerge", "balanced", "letters", "digits",
                                      "mnist")
    tamanos = {s: len(c) for s, c in datasets.EMNIST.classes_split_dict.items()}
    assert tamanos == {"byclass": 62, "bymerge": 47, "balanced": 47, "letters": 27,
                       "digits": 10, "mnist": 10}
    assert emnist.CLASSES["byclass"][:11] == list("0123456789A")
    assert "c" not in emnist.CLASSES["bymerge"] and "a" in emnist.CLASSES["bymerge"]
    assert emnist.file_names("digits", False) == ("emnist-digits-test-images-idx3-ubyte",
                                                  "emnist-digits-test-labels-idx1-ubyte")


def test_errores_en_espanol(tmp_path, cache):
    with pytest.raises(ValueError, match="split de EMNIST no válido: 'letras'"):
        datasets.EMNIST(tmp_path, split="letras")
    with pytest.raises(emnist.DatasetNotFoundError) as info:
        datasets.EMNIST(tmp_path, split="digits")
    texto = str(info.value)
    for trozo in ("faltan emnist-digits-train-images-idx3-ubyte", "download=True",
                  str(tmp_path / "EMNIST" / "raw"), "Sin internet"):
        assert trozo in texto
    _escribe(tmp_path, "digits", True, max_etiqueta=12)
    with pytest.raises(emnist.ChecksumError, match="etiqueta 12"):
        datasets.EMNIST(tmp_path, split="digits")
    idx.write_idx(tmp_path / "emnist-mnist-train-images-idx3-ubyte",
                  np.zeros((2, 14, 14), np.uint8))
    idx.write_idx(tmp_path / "emnist-mnist-train-labels-idx1-ubyte", np.zeros(2, np.uint8))
    with pytest.raises(emnist.ChecksumError, match=r"\(N, 28, 28\)"):
        datasets.EMNIST(tmp_path, split="mnist")


def _zip_oficial(carpeta, split, train):
    """Un gzip.zip como el del NIST (carpeta gzip/ con los .gz) con una partición pequeña."""
    fuente = carpeta / "fuente"
    imagenes, etiquetas = _escribe(fuente, split, train, n=4, gz=True)
    ruta = carpeta / "gzip.zip"
    with zipfile.ZipFile(ruta, "w") as zf:
        for f in sorted(fuente.iterdir()):
            zf.write(f, "gzip/" + f.name)
    return ruta, imagenes, etiquetas


def test_descarga_con_pooch_desde_un_espejo(espejo_http, monkeypatch, cache, tmp_path):
    carpeta, url = espejo_http
    ruta, imagenes, etiquetas = _zip_oficial(carpeta, "mnist", False)
    monkeypatch.setattr(emnist, "URL", url + "gzip.zip")
    monkeypatch.setattr(emnist, "MD5", hashlib.md5(ruta.read_bytes()).hexdigest())
    ds = datasets.EMNIST(tmp_path / "root", split="mnist", train=False, download=True)
    np.testing.assert_array_equal(ds.data.numpy(), imagenes)
    assert ds.targets.tolist() == etiquetas.tolist()
    assert sorted(p.name for p in cache.iterdir()) == [
        n + ".gz" for n in emnist.file_names("mnist", False)]        # sin el zip
    monkeypatch.setattr(emnist, "URL", url + "no_existe.zip")
    datasets.EMNIST(tmp_path / "root", split="mnist", train=False, download=True)  # ya está


def test_suma_md5_distinta(espejo_http, monkeypatch, cache, tmp_path):
    carpeta, url = espejo_http
    _zip_oficial(carpeta, "mnist", True)
    monkeypatch.setattr(emnist, "URL", url + "gzip.zip")
    monkeypatch.setattr(emnist, "MD5", "0" * 32)
    with pytest.raises(emnist.ChecksumError, match="no tiene la suma MD5 esperada"):
        datasets.EMNIST(tmp_path, split="mnist", download=True)
    assert not cache.exists() or not any(cache.iterdir())


def test_sin_red_un_mensaje_claro(url_sin_servidor, monkeypatch, cache, tmp_path):
    monkeypatch.setattr(emnist, "URL", url_sin_servidor + "gzip.zip")
    with pytest.raises(emnist.DownloadError) as info:
        datasets.EMNIST(tmp_path, split="letters", download=True)
    texto = str(info.value)
    assert "¿no hay conexión a internet?" in texto and "Sin internet, descarga" in texto
    assert not cache.exists() or not any(cache.iterdir())
