"""tinygrad_es.vision: transforms (v1 y v2), make_grid/save_image, FashionMNIST y KMNIST.

torchvision no está instalado: donde torchvision llama a PyTorch (F.interpolate, randint,
rand) se compara con PyTorch; lo demás, con valores calculados a mano y con Pillow (que es lo
que usa torchvision para las imágenes PIL).
"""
import hashlib
import os

import numpy as np
import pytest

import tinygrad_es as tg
from tinygrad_es.datasets import _descarga, idx, mnist_variantes
from tinygrad_es.vision import _imagen, datasets, transforms, utils
import tinygrad_es.vision.transforms.v2 as v2

PIL = pytest.importorskip("PIL.Image")

_rng = np.random.default_rng(3)
IMG = _rng.random((3, 17, 23)).astype(np.float32)
IMG_U8 = _rng.integers(0, 256, (20, 26), dtype=np.uint8)


# --- Resize ----------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(8, 10), (30, 40), (17, 5), (40, 11), 9, [12]])
@pytest.mark.parametrize("antialias", [True, False])
def test_resize_tensor_como_interpolate_de_pytorch(requiere_torch, size, antialias):
    torch = requiere_torch
    F = torch.nn.functional
    out = transforms.Resize(size, antialias=antialias)(tg.tensor(IMG[None]))
    h, w = _imagen.resized_size(17, 23, size)
    esperado = F.interpolate(torch.tensor(IMG[None]), size=(h, w), mode="bilinear",
                             align_corners=False, antialias=antialias)
    assert tuple(out.shape) == tuple(esperado.shape)
    np.testing.assert_allclose(out.numpy(), esperado.numpy(), rtol=1e-5, atol=2e-6)


@pytest.mark.parametrize("size", [(8, 10), (34, 50), (5, 30)])
def test_resize_nearest_como_pytorch(requiere_torch, size):
    torch = requiere_torch
    out = transforms.Resize(size, interpolation=transforms.InterpolationMode.NEAREST)(
        tg.tensor(IMG))
    esperado = torch.nn.functional.interpolate(torch.tensor(IMG[None]), size=size,
                                               mode="nearest")[0]
    np.testing.assert_array_equal(out.numpy(), esperado.numpy())


def test_resize_tamano_del_lado_menor_a_mano():
    # 17 x 23 con size=9: el lado menor (alto) pasa a 9 y el ancho a int(9 * 23 / 17) = 12
    assert tuple(transforms.Resize(9)(tg.tensor(IMG)).shape) == (3, 9, 12)
    # imagen vertical 23 x 17: el ancho pasa a 9
    assert tuple(transforms.Resize(9)(tg.zeros(1, 23, 17)).shape) == (1, 12, 9)
    # max_size recorta el lado largo: int(10 * 23 / 17) = 13 > 12 -> (int(12 * 10 / 13), 12)
    assert tuple(transforms.Resize(10, max_size=12)(tg.tensor(IMG)).shape) == (3, 9, 12)
    with pytest.raises(ValueError, match="max_size"):
        transforms.Resize((4, 5), max_size=12)(tg.tensor(IMG))
    with pytest.raises(ValueError, match="Interpolación"):
        transforms.Resize(4, interpolation="bicubic")
    assert transforms.Resize(17)(tg.tensor(IMG)).shape == (3, 17, 23)   # mismo tamaño


def test_resize_ndarray_uint8_como_pillow():
    """Un ndarray uint8 (lo que da MNIST aquí) se redimensiona como su imagen PIL en torchvision."""
    out = transforms.Resize((10, 13))(IMG_U8)
    esperado = np.asarray(PIL.fromarray(IMG_U8).resize((13, 10), PIL.Resampling.BILINEAR))
    assert isinstance(out, np.ndarray) and out.dtype == np.uint8
    np.testing.assert_array_equal(out, esperado)
    pil = transforms.Resize(8)(PIL.fromarray(IMG_U8))
    assert pil.size == (int(8 * 26 / 20), 8)


def test_resize_tensor_uint8_como_pytorch(requiere_torch):
    """uint8 con antialias: PyTorch usa aritmética entera parecida a Pillow (aquí, Pillow por
    canal): como mucho 1 de diferencia en muy pocos píxeles."""
    torch = requiere_torch
    x = _rng.integers(0, 256, (2, 3, 37, 41), dtype=np.uint8)
    for size in [(10, 13), (37, 20)]:
        out = transforms.Resize(size)(tg.tensor(x))
        assert out.dtype == tg.uint8
        esperado = torch.nn.functional.interpolate(torch.tensor(x), size=size, mode="bilinear",
                                                   align_corners=False, antialias=True)
        diferencia = np.abs(out.numpy().astype(int) - esperado.numpy().astype(int))
        assert diferencia.max() <= 1 and (diferencia > 0).mean() < 0.01
    # sin antialias se calcula en float32 y se redondea (PyTorch puede diferir en 1)
    out = transforms.Resize((10, 13), antialias=False)(tg.tensor(x))
    flotante = transforms.Resize((10, 13), antialias=False)(tg.tensor(x).float())
    np.testing.assert_array_equal(out.numpy(), np.round(flotante.numpy()).astype(np.uint8))


# --- CenterCrop --------------------------------------------------------------------------
def test_center_crop_a_mano():
    x = tg.arange(35).reshape(1, 5, 7)
    out = transforms.CenterCrop(3)(x)
    # arriba = round((5 - 3) / 2) = 1, izquierda = round((7 - 3) / 2) = 2
    assert out.tolist() == [[[9, 10, 11], [16, 17, 18], [23, 24, 25]]]
    # (5 - 2) / 2 = 1.5 -> round = 2 (redondeo al par, como Python)
    assert transforms.CenterCrop((2, 7))(x).tolist() == [[list(range(14, 21)),
                                                          list(range(21, 28))]]
    a = np.arange(20).reshape(4, 5)
    # ndarray (H, W): arriba = round(1.0) = 1, izquierda = round(1.5) = 2
    assert transforms.CenterCrop(2)(a).tolist() == [[7, 8], [12, 13]]


def test_center_crop_mayor_que_la_imagen_rellena_con_ceros():
    x = tg.ones(1, 2, 3)
    out = transforms.CenterCrop((4, 6))(x)
    # relleno: izquierda (6-3)//2 = 1, arriba (4-2)//2 = 1, derecha 2, abajo 1
    esperado = np.zeros((1, 4, 6))
    esperado[0, 1:3, 1:4] = 1
    np.testing.assert_array_equal(out.numpy(), esperado)
    pil = transforms.CenterCrop(4)(PIL.fromarray(np.full((2, 2), 9, np.uint8)))
    np.testing.assert_array_equal(np.asarray(pil), np.pad(np.full((2, 2), 9), 1))


# --- RandomCrop ---------------------------------------------------------------------------
def _get_params_torchvision(torch, h, w, th, tw):
    """Lo que hace torchvision.transforms.RandomCrop.get_params (copiado de su regla)."""
    if h == th and w == tw:
        return 0, 0
    i = torch.randint(0, h - th + 1, size=(1,)).item()
    j = torch.randint(0, w - tw + 1, size=(1,)).item()
    return i, j


def test_random_crop_misma_ventana_que_torchvision(requiere_torch):
    torch = requiere_torch
    x = np.arange(3 * 17 * 23, dtype=np.float32).reshape(3, 17, 23)
    tg.manual_seed(42)
    torch.manual_seed(42)
    t = transforms.RandomCrop((5, 8))
    for _ in range(10):
        out = t(tg.tensor(x))
        i, j = _get_params_torchvision(torch, 17, 23, 5, 8)
        np.testing.assert_array_equal(out.numpy(), x[:, i:i + 5, j:j + 8])


@pytest.mark.parametrize("modo", ["constant", "edge", "reflect", "symmetric"])
def test_random_crop_con_padding(requiere_torch, modo):
    torch = requiere_torch
    x = _rng.random((1, 6, 6)).astype(np.float32)
    tg.manual_seed(1)
    torch.manual_seed(1)
    out = transforms.RandomCrop(6, padding=2, padding_mode=modo, fill=0.5)(tg.tensor(x))
    np_modo = {"edge": "edge", "reflect": "reflect", "symmetric": "symmetric"}.get(modo)
    relleno = (np.pad(x, ((0, 0), (2, 2), (2, 2)), mode="constant", constant_values=0.5)
               if np_modo is None else np.pad(x, ((0, 0), (2, 2), (2, 2)), mode=np_modo))
    i, j = _get_params_torchvision(torch, 10, 10, 6, 6)
    np.testing.assert_array_equal(out.numpy(), relleno[:, i:i + 6, j:j + 6])
    if modo == "reflect":   # reflect de torchvision es el de F.pad(mode='reflect')
        ref = torch.nn.functional.pad(torch.tensor(x[None]), (2, 2, 2, 2), mode="reflect")[0]
        np.testing.assert_array_equal(relleno, ref.numpy())


def test_random_crop_pad_if_needed_y_errores():
    x = tg.ones(1, 3, 4)
    out = transforms.RandomCrop((5, 6), pad_if_needed=True)(x)
    assert tuple(out.shape) == (1, 5, 6)
    assert float(out.sum()) == 12.0
    with pytest.raises(ValueError, match="mayor que la imagen"):
        transforms.RandomCrop(5)(x)
    with pytest.raises(ValueError, match="padding_mode"):
        transforms.RandomCrop(2, padding=1, padding_mode="circular")
    with pytest.raises(ValueError, match="padding"):
        transforms.RandomCrop(2, padding=(1, 2, 3))
    # padding con 4 valores: izquierda, arriba, derecha, abajo
    out = transforms.RandomCrop((3 + 2 + 4, 4 + 1 + 3), padding=(1, 2, 3, 4))(x)
    esperado = np.zeros((1, 9, 8))
    esperado[0, 2:5, 1:5] = 1
    np.testing.assert_array_equal(out.numpy(), esperado)


# --- RandomHorizontalFlip -----------------------------------------------------------------
def test_random_horizontal_flip_mismo_sorteo_que_torchvision(requiere_torch):
    torch = requiere_torch
    x = np.arange(6, dtype=np.float32).reshape(1, 2, 3)
    tg.manual_seed(7)
    torch.manual_seed(7)
    for t in (transforms.RandomHorizontalFlip(p=0.3), v2.RandomHorizontalFlip(p=0.3)):
        for _ in range(12):
            out = t(tg.tensor(x))
            volteada = bool(torch.rand(1) < 0.3)
            np.testing.assert_array_equal(out.numpy(), x[..., ::-1] if volteada else x)
    assert transforms.RandomHorizontalFlip(p=1.0)(IMG_U8).tolist() == IMG_U8[:, ::-1].tolist()
    pil = transforms.RandomHorizontalFlip(p=1.0)(PIL.fromarray(IMG_U8))
    np.testing.assert_array_equal(np.asarray(pil), IMG_U8[:, ::-1])


# --- PILToTensor, ConvertImageDtype -------------------------------------------------------
def test_pil_to_tensor():
    rgb = _rng.integers(0, 256, (4, 5, 3), dtype=np.uint8)
    out = transforms.PILToTensor()(PIL.fromarray(rgb))
    assert out.dtype == tg.uint8 and tuple(out.shape) == (3, 4, 5)
    np.testing.assert_array_equal(out.numpy(), rgb.transpose(2, 0, 1))
    gris = transforms.PILToTensor()(IMG_U8)
    assert tuple(gris.shape) == (1, 20, 26) and gris.numpy().max() == IMG_U8.max()
    with pytest.raises(TypeError, match="tensor"):
        transforms.PILToTensor()(tg.zeros(1, 2, 2))


def test_convert_image_dtype_como_torchvision(requiere_torch):
    torch = requiere_torch
    u8 = torch.tensor(IMG_U8)
    out = transforms.ConvertImageDtype(tg.float32)(tg.tensor(IMG_U8))
    np.testing.assert_array_equal(out.numpy(), (u8.to(torch.float32) / 255.0).numpy())
    f = torch.tensor(IMG)
    out = transforms.ConvertImageDtype(tg.uint8)(tg.tensor(IMG))
    np.testing.assert_array_equal(out.numpy(), f.mul(255 + 1.0 - 1e-3).to(torch.uint8).numpy())
    out = transforms.ConvertImageDtype(tg.float64)(tg.tensor(IMG))
    assert out.dtype == tg.float64
    # entre enteros: uint8 -> int16 multiplica por (32767 + 1) // (255 + 1) = 128
    assert transforms.ConvertImageDtype(tg.int16)(tg.tensor([[[2, 255]]], dtype=tg.uint8)
                                                  ).tolist() == [[[256, 32640]]]
    assert transforms.ConvertImageDtype(tg.uint8)(tg.tensor([[[256, 32640]]], dtype=tg.int16)
                                                  ).tolist() == [[[2, 255]]]
    with pytest.raises(RuntimeError, match="perder"):
        transforms.ConvertImageDtype(tg.int64)(tg.tensor(IMG))


# --- v2 -----------------------------------------------------------------------------------
def test_v2_toimage_todtype_normalize(requiere_torch):
    torch = requiere_torch
    rgb = _rng.integers(0, 256, (6, 7, 3), dtype=np.uint8)
    t = v2.Compose([v2.ToImage(), v2.ToDtype(tg.float32, scale=True),
                    v2.Normalize((0.5, 0.4, 0.3), (0.2, 0.25, 0.3))])
    out = t(rgb)
    base = torch.tensor(rgb).permute(2, 0, 1).to(torch.float32).mul_(1.0 / 255)
    mean = torch.tensor([0.5, 0.4, 0.3]).view(-1, 1, 1)
    std = torch.tensor([0.2, 0.25, 0.3]).view(-1, 1, 1)
    np.testing.assert_allclose(out.numpy(), ((base - mean) / std).numpy(), rtol=1e-6)
    assert out.dtype == tg.float32 and tuple(out.shape) == (3, 6, 7)
    img = v2.ToImage()(PIL.fromarray(rgb))
    assert img.dtype == tg.uint8 and img.numpy().tolist() == rgb.transpose(2, 0, 1).tolist()
    assert v2.ToImage()(IMG_U8).shape == (1, 20, 26)
    assert v2.ToDtype(tg.float32)(tg.tensor(IMG_U8)).numpy().max() == float(IMG_U8.max())
    with pytest.raises(TypeError, match="ToImage"):
        v2.ToDtype(tg.float32)(IMG_U8)


def test_v2_todtype_escala_por_el_inverso(requiere_torch):
    """v2 multiplica por 1/255 y v1 divide por 255: cada uno como su torchvision."""
    torch = requiere_torch
    todos = np.arange(256, dtype=np.uint8).reshape(1, 16, 16)
    v2_out = v2.ToDtype(tg.float32, scale=True)(tg.tensor(todos)).numpy()
    v1_out = transforms.ConvertImageDtype(tg.float32)(tg.tensor(todos)).numpy()
    t = torch.tensor(todos)
    np.testing.assert_array_equal(v2_out, t.to(torch.float32).mul_(1.0 / 255).numpy())
    np.testing.assert_array_equal(v1_out, (t.to(torch.float32) / 255).numpy())
    np.testing.assert_array_equal(transforms.ToTensor()(todos[0]).numpy()[0], v1_out[0])


def test_v2_lambda_resize_y_import():
    import importlib
    assert importlib.import_module("tinygrad_es.vision.transforms.v2") is v2
    assert transforms.v2 is v2
    doble = v2.Lambda(lambda x: x * 2, tg.Tensor)
    assert doble(tg.ones(1)).tolist() == [2.0]
    assert doble(3) == 3                      # no es un Tensor: pasa sin cambios
    assert v2.Lambda(lambda x: x + 1)(3) == 4
    assert tuple(v2.Resize((4, 5))(tg.tensor(IMG)).shape) == (3, 4, 5)


# --- make_grid y save_image ---------------------------------------------------------------
def test_make_grid_a_mano():
    imgs = tg.stack([tg.full((1, 2, 2), float(k)) for k in range(5)])
    grid = utils.make_grid(imgs, nrow=3, padding=1, pad_value=-1.0)
    # 3 columnas y 2 filas de celdas de 2 + 1: (3, 2*3 + 1, 3*3 + 1); 1 canal -> 3 canales
    assert tuple(grid.shape) == (3, 7, 10)
    g = grid.numpy()[0]
    assert g[0].tolist() == [-1.0] * 10
    assert g[1].tolist() == [-1, 0, 0, -1, 1, 1, -1, 2, 2, -1]
    assert g[4].tolist() == [-1, 3, 3, -1, 4, 4, -1, -1, -1, -1]   # la sexta celda, vacía
    np.testing.assert_array_equal(grid.numpy()[0], grid.numpy()[2])
    assert tuple(utils.make_grid([tg.zeros(3, 4, 5)] * 10).shape) == (3, 2 + 2 * 6, 2 + 8 * 7)
    assert tuple(utils.make_grid(tg.zeros(1, 4, 5)).shape) == (3, 4, 5)   # una imagen: sin borde
    assert tuple(utils.make_grid(tg.zeros(4, 5)).shape) == (3, 4, 5)


def test_make_grid_normalize():
    a = tg.tensor([[[[0.0, 2.0]]], [[[4.0, 8.0]]]])
    g = utils.make_grid(a, padding=0, normalize=True).numpy()[0]
    assert g.tolist() == [[0.0, 0.25, 0.5, 1.0]]
    g = utils.make_grid(a, padding=0, normalize=True, scale_each=True).numpy()[0]
    assert g.tolist() == [[0.0, 1.0, 0.0, 1.0]]
    g = utils.make_grid(a, padding=0, normalize=True, value_range=(0.0, 4.0)).numpy()[0]
    assert g.tolist() == [[0.0, 0.5, 1.0, 1.0]]                  # recorta a value_range
    assert a.tolist() == [[[[0.0, 2.0]]], [[[4.0, 8.0]]]]       # no toca la entrada
    with pytest.raises(TypeError, match="tupla"):
        utils.make_grid(a, normalize=True, value_range=[0, 1])
    with pytest.raises(TypeError, match="tensor"):
        utils.make_grid(np.zeros((2, 1, 2, 2)))


def test_save_image_escribe_png(tmp_path):
    x = tg.tensor([[[[0.0, 0.5], [1.0, 2.0]]], [[[-1.0, 0.25], [0.75, 0.1]]]])
    destino = tmp_path / "rejilla.png"
    utils.save_image(x, destino, padding=0)
    leida = np.asarray(PIL.open(destino))
    # x * 255 + 0.5 recortado a [0, 255] y truncado a uint8
    esperado = np.array([[0, 128, 0, 64], [255, 255, 191, 26]], dtype=np.uint8)
    assert leida.shape == (2, 4, 3)
    np.testing.assert_array_equal(leida[..., 0], esperado)
    utils.save_image(x[0], tmp_path / "una.jpg")
    assert PIL.open(tmp_path / "una.jpg").format == "JPEG"


# --- FashionMNIST y KMNIST ----------------------------------------------------------------
def _variante_falsa(carpeta, variante, monkeypatch, n=12, gz=True, md5_bueno=True):
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = (np.arange(n) % 10).astype(np.uint8)
    carpeta.mkdir(parents=True, exist_ok=True)
    for name, array in zip(("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
                           (images, labels)):
        path = carpeta / (name + (".gz" if gz else ""))
        idx.write_idx(path, array)
        monkeypatch.setitem(mnist_variantes.SAMPLES, name, n)
        if md5_bueno:
            clave = f"{mnist_variantes.SPECS[variante]['folder']}/{name}.gz"
            monkeypatch.setitem(_descarga.REGISTRY, clave,
                                "md5:" + hashlib.md5(path.read_bytes()).hexdigest())
    monkeypatch.setenv("TINYGRAD_ES_DATOS", str(carpeta.parent / "cache_vacia"))
    return images, labels


@pytest.mark.parametrize("variante", ["FashionMNIST", "KMNIST"])
@pytest.mark.parametrize("gz", [True, False])
def test_variantes_leen_la_carpeta_de_torchvision(tmp_path, monkeypatch, variante, gz):
    images, labels = _variante_falsa(tmp_path / "raiz" / variante / "raw", variante,
                                     monkeypatch, gz=gz)
    ds = getattr(datasets, variante)(tmp_path / "raiz", train=False,
                                     transform=transforms.ToTensor())
    assert len(ds) == 12
    x, y = ds[3]
    assert tuple(x.shape) == (1, 28, 28) and y == 3
    np.testing.assert_array_equal(ds.data.numpy(), images)
    assert ds.targets.dtype == tg.int64 and ds.targets.tolist() == labels.tolist()
    assert len(ds.classes) == 10 and ds.class_to_idx[ds.classes[1]] == 1
    assert variante in repr(ds)


def test_clases_como_torchvision():
    assert datasets.FashionMNIST.classes[0] == "T-shirt/top"
    assert datasets.FashionMNIST.classes[-1] == "Ankle boot"
    assert datasets.KMNIST.classes == ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re",
                                       "wo"]


def test_variante_sin_archivos_explica_donde_ponerlos(tmp_path, monkeypatch):
    monkeypatch.setenv("TINYGRAD_ES_DATOS", str(tmp_path / "cache"))
    with pytest.raises(FileNotFoundError, match="KMNIST/raw") as info:
        datasets.KMNIST(tmp_path / "vacia", train=False)
    mensaje = str(info.value)
    assert "download=True" in mensaje and "t10k-images-idx3-ubyte.gz" in mensaje
    assert str(tmp_path / "cache" / "kmnist") in mensaje


def test_variante_con_md5_malo_o_forma_mala(tmp_path, monkeypatch):
    _variante_falsa(tmp_path / "a", "FashionMNIST", monkeypatch, md5_bueno=False)
    with pytest.raises(datasets_checksum_error(), match="MD5"):
        datasets.FashionMNIST(tmp_path / "a", train=False)
    _variante_falsa(tmp_path / "b", "FashionMNIST", monkeypatch, gz=False)
    monkeypatch.setitem(mnist_variantes.SAMPLES, "t10k-images-idx3-ubyte", 10000)
    with pytest.raises(datasets_checksum_error(), match="cabecera"):
        datasets.FashionMNIST(tmp_path / "b", train=False)


def datasets_checksum_error():
    return mnist_variantes.ChecksumError


@pytest.mark.parametrize("variante, carpeta", [("KMNIST", "kmnist"),
                                               ("FashionMNIST", "fashion_mnist")])
def test_descarga_de_un_espejo_local(tmp_path, monkeypatch, espejo_http, variante, carpeta):
    servida, url = espejo_http
    images, _ = _variante_falsa(servida / "espejo", variante, monkeypatch)
    monkeypatch.setitem(_descarga.MIRRORS, carpeta, [url + "no_existe/", url + "espejo/"])
    monkeypatch.setenv("TINYGRAD_ES_DATOS", str(tmp_path / "cache"))
    ds = getattr(datasets, variante)(None, train=False, download=True)
    np.testing.assert_array_equal(ds.data.numpy(), images)
    assert sorted(os.listdir(tmp_path / "cache" / carpeta)) == [
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]


def test_totensor_sigue_el_tipo_por_defecto(requiere_torch):
    """torchvision: ToTensor convierte uint8 a torch.get_default_dtype() y divide por 255."""
    torch = requiere_torch
    try:
        tg.set_default_dtype(tg.float64)
        out = transforms.ToTensor()(IMG_U8)
        assert out.dtype == tg.float64
        esperado = torch.from_numpy(IMG_U8[None].copy()).to(torch.float64).div(255)
        np.testing.assert_array_equal(out.numpy(), esperado.numpy())
    finally:
        tg.set_default_dtype(tg.float32)
    assert transforms.ToTensor()(IMG_U8).dtype == tg.float32


@pytest.mark.parametrize("modulo,nombre", [(transforms, "RandomAffine"),
                                           (v2, "RandomResizedCrop"),
                                           (utils, "draw_bounding_boxes"),
                                           (datasets, "CIFAR10")])
def test_nombres_que_no_hay_dan_error_en_espanol(modulo, nombre):
    with pytest.raises(AttributeError, match="no está disponible en tinygrad_es"):
        getattr(modulo, nombre)
