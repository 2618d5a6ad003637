"""datasets.ImageFolder con un árbol de carpetas temporal y PNG pequeños creados aquí: clases,
orden de las muestras, filtros y errores como torchvision.datasets.ImageFolder."""
import builtins
import os

import numpy as np
import pytest

import tinygrad_es as tg
from tinygrad_es.utils.data import DataLoader
from tinygrad_es.vision import datasets, transforms

Image = pytest.importorskip("PIL.Image")


def _png(path, valor, modo="RGB", tam=(3, 2)):
    path.parent.mkdir(parents=True, exist_ok=True)
    canales = {"RGB": 3, "L": 1, "RGBA": 4}[modo]
    pixeles = np.full((tam[1], tam[0], canales), valor, dtype=np.uint8)
    pixeles[0, 0, 0] = 255 - valor                  # un píxel distinto: se ve el orden
    Image.fromarray(pixeles[..., 0] if modo == "L" else pixeles, modo).save(path)


@pytest.fixture
def arbol(tmp_path):
    """raiz/gato: b.png, a.PNG; raiz/perro: c.png (gris), notas.txt, fotos/d.png (RGBA);
    raiz/leeme.png (fuera de las clases)."""
    raiz = tmp_path / "raiz"
    _png(raiz / "gato" / "b.png", 10)
    _png(raiz / "gato" / "a.PNG", 20)
    _png(raiz / "perro" / "c.png", 30, "L")
    (raiz / "perro" / "notas.txt").write_text("no es una imagen")
    _png(raiz / "perro" / "fotos" / "d.png", 40, "RGBA")
    _png(raiz / "leeme.png", 50)
    return raiz


def test_clases_muestras_y_etiquetas_como_torchvision(arbol):
    ds = datasets.ImageFolder(str(arbol))
    assert ds.classes == ["gato", "perro"]
    assert ds.class_to_idx == {"gato": 0, "perro": 1}
    rutas = [os.path.relpath(p, arbol) for p, _ in ds.samples]
    assert rutas == ["gato/a.PNG", "gato/b.png", "perro/c.png", "perro/fotos/d.png"]
    assert ds.targets == [0, 0, 1, 1]
    assert ds.imgs is ds.samples and len(ds) == 4
    img, etiqueta = ds[3]
    assert isinstance(img, Image.Image) and img.mode == "RGB" and img.size == (3, 2)
    assert etiqueta == 1
    assert np.asarray(ds[2][0])[0, 0].tolist() == [225, 225, 225]    # gris -> RGB
    assert np.asarray(ds[0][0])[1, 2].tolist() == [20, 20, 20]


def test_transformaciones_y_dataloader(arbol):
    t = transforms.Compose([transforms.ToTensor()])
    ds = datasets.ImageFolder(arbol, transform=t, target_transform=lambda y: y * 10)
    x, y = ds[0]
    assert x.shape == (3, 2, 3) and x.dtype == tg.float32 and y == 0
    np.testing.assert_allclose(x.numpy()[:, 1, 2], 20 / 255)
    assert ds[2][1] == 10
    lotes = list(DataLoader(ds, batch_size=2))
    assert [tuple(xb.shape) for xb, _ in lotes] == [(2, 3, 2, 3), (2, 3, 2, 3)]
    assert lotes[1][1].tolist() == [10, 10]


def test_is_valid_file_loader_y_allow_empty(arbol):
    (arbol / "vacia").mkdir()
    with pytest.raises(FileNotFoundError, match="vacia"):
        datasets.ImageFolder(arbol)
    ds = datasets.ImageFolder(arbol, allow_empty=True)
    assert ds.classes == ["gato", "perro", "vacia"] and len(ds) == 4
    ds = datasets.ImageFolder(arbol, is_valid_file=lambda p: p.endswith(".txt"),
                              allow_empty=True)
    assert [os.path.basename(p) for p, _ in ds.samples] == ["notas.txt"]
    ds = datasets.ImageFolder(arbol, loader=lambda p: os.path.getsize(p), allow_empty=True)
    assert ds[0][0] == os.path.getsize(ds.samples[0][0])


def test_errores_en_espanol(tmp_path, arbol):
    with pytest.raises(FileNotFoundError, match="no existe"):
        datasets.ImageFolder(tmp_path / "no_hay")
    (tmp_path / "plana").mkdir()
    _png(tmp_path / "plana" / "x.png", 1)
    with pytest.raises(FileNotFoundError, match="subcarpeta"):
        datasets.ImageFolder(tmp_path / "plana")
    with pytest.raises(IndexError):
        datasets.ImageFolder(arbol)[4]
    texto = repr(datasets.ImageFolder(arbol, transform=transforms.ToTensor()))
    assert "Número de muestras: 4" in texto and "ToTensor()" in texto


def test_sin_pillow_dice_que_instalar(arbol, monkeypatch):
    real_import = builtins.__import__

    def sin_pil(name, *args, **kwargs):
        if name == "PIL" or name.startswith("PIL."):
            raise ImportError("No module named 'PIL'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", sin_pil)
    with pytest.raises(ImportError, match="pip install pillow"):
        datasets.ImageFolder(arbol)
    ds = datasets.ImageFolder(arbol, loader=lambda p: p)   # con un loader propio no hace falta
    assert ds[0][0].endswith("a.PNG")
