"""transforms.RandomRotation (v1 y v2): giros calculados a mano, el sorteo del ángulo como
torchvision y, para tensores, los mismos bits que la ruta de tensores de torchvision
(``_get_inverse_affine_matrix`` + ``_gen_affine_grid`` + ``grid_sample``), escrita aquí con
PyTorch tal como está en torchvision (torchvision no está instalado)."""
import math

import numpy as np
import pytest

import tinygrad_es as tg
from tinygrad_es.vision import transforms
from tinygrad_es.vision import _rotacion
from tinygrad_es.vision.transforms import v2

IMG3 = np.arange(1, 10, dtype=np.float32).reshape(1, 3, 3)


def _gira(img, grados, **kwargs):
    return transforms.RandomRotation((grados, grados), **kwargs)(img)


# --- a mano ---------------------------------------------------------------------------------
def test_noventa_grados_es_rot90_antihorario():
    img = tg.arange(16.0).reshape(1, 4, 4)
    esperado = [[3, 7, 11, 15], [2, 6, 10, 14], [1, 5, 9, 13], [0, 4, 8, 12]]
    for modulo in (transforms, v2):
        for interpolacion in (transforms.InterpolationMode.NEAREST,
                              transforms.InterpolationMode.BILINEAR):
            out = modulo.RandomRotation((90, 90), interpolation=interpolacion)(img)
            assert out.shape == (1, 4, 4) and out.dtype == tg.float32
            np.testing.assert_allclose(out.numpy()[0], esperado, atol=1e-5)
    np.testing.assert_array_equal(_gira(img, -90).numpy()[0], np.rot90(img.numpy()[0], -1))
    np.testing.assert_array_equal(_gira(img, 180).numpy()[0], img.numpy()[0][::-1, ::-1])


def test_cuarenta_y_cinco_grados_en_una_imagen_de_3x3():
    """Cada píxel de la salida toma el de la entrada en R(-45°)·(x, y) redondeado: p. ej. el de
    arriba en el centro, (0, -1), viene de (0.71, -0.71) -> (1, -1), la esquina de arriba a la
    derecha (3)."""
    out = _gira(tg.tensor(IMG3), 45)
    np.testing.assert_array_equal(out.numpy()[0], [[2, 3, 6], [1, 5, 9], [4, 7, 8]])
    out = _gira(tg.tensor(IMG3), -45)
    np.testing.assert_array_equal(out.numpy()[0], [[4, 1, 2], [7, 5, 3], [8, 9, 6]])


def test_lo_que_queda_fuera_se_rellena_con_fill():
    img = tg.ones(2, 4, 4)
    out = _gira(img, 45, fill=[7.0, 9.0]).numpy()
    for canal, valor in ((0, 7.0), (1, 9.0)):
        for i, j in ((0, 0), (0, 3), (3, 0), (3, 3)):      # las esquinas caen fuera
            assert out[canal, i, j] == valor
        assert out[canal, 1, 1] == 1.0
    assert _gira(img, 45).numpy()[0, 0, 0] == 0.0           # fill=0 por defecto


def test_expand_agranda_la_salida_para_que_quepa_entera():
    """3x3 girada 45°: las esquinas quedan a 1.5·√2 = 2.12 del centro -> la caja va de -0.62 a
    3.62, es decir, de -1 a 4: 5x5."""
    out = _gira(tg.tensor(IMG3), 45, expand=True)
    assert out.shape == (1, 5, 5)
    assert out.numpy()[0, 2, 2] == 5.0 and out.numpy()[0, 0, 0] == 0.0
    assert _gira(tg.ones(1, 4, 6), 90, expand=True).shape == (1, 6, 4)


def test_center_cambia_el_centro_del_giro():
    img = np.zeros((1, 5, 5), np.float32)
    img[0, 1, 2] = 1.0                                       # a la derecha del píxel (1, 1)
    out = _gira(tg.tensor(img), 90, center=(1.5, 1.5)).numpy()[0]
    assert out[0, 1] == 1.0 and out.sum() == 1.0             # 90° antihorario: arriba de él
    out = _gira(tg.tensor(img), 90).numpy()[0]               # alrededor del centro (2, 2)
    assert out[2, 1] == 1.0 and out.sum() == 1.0             # arriba del centro -> a su izquierda


def test_uint8_redondea_y_conserva_el_tipo():
    img = (np.arange(25, dtype=np.uint8) * 10).reshape(1, 5, 5)
    out = _gira(tg.tensor(img), 30, interpolation=transforms.InterpolationMode.BILINEAR)
    assert out.dtype == tg.uint8 and out.shape == (1, 5, 5)
    flotante = _gira(tg.tensor(img.astype(np.float32)), 30,
                     interpolation=transforms.InterpolationMode.BILINEAR).numpy()
    np.testing.assert_array_equal(out.numpy(), np.round(flotante).astype(np.uint8))


def test_lotes_y_v2_con_giros_exactos():
    lote = tg.tensor(np.random.default_rng(0).random((2, 3, 4, 4), dtype=np.float32))
    out = _gira(lote, 90)
    assert out.shape == (2, 3, 4, 4)
    np.testing.assert_array_equal(out.numpy(), np.rot90(lote.numpy(), 1, axes=(-2, -1)))
    # v2: 450 grados son 90 (módulo 360) y se hacen con rot90, sin interpolar
    bil = v2.RandomRotation((450, 450), interpolation=v2.InterpolationMode.BILINEAR)(lote)
    np.testing.assert_array_equal(bil.numpy(), np.rot90(lote.numpy(), 1, axes=(-2, -1)))


# --- el sorteo ------------------------------------------------------------------------------
def test_el_angulo_se_sortea_como_torchvision(requiere_torch):
    torch = requiere_torch
    tg.manual_seed(123)
    torch.manual_seed(123)
    ours = [transforms.RandomRotation.get_params([-30.0, 30.0]) for _ in range(5)]
    theirs = [float(torch.empty(1).uniform_(-30.0, 30.0).item()) for _ in range(5)]
    assert ours == theirs
    tg.manual_seed(5)
    angulo = transforms.RandomRotation.get_params([-20.0, 20.0])
    tg.manual_seed(5)
    out = transforms.RandomRotation(20)(tg.tensor(IMG3))
    np.testing.assert_array_equal(out.numpy(), _rotacion.rotate_array(IMG3, angulo, fill=[0.0]))


# --- oráculo: la ruta de tensores de torchvision, escrita con PyTorch -----------------------
def _torchvision_rotate(torch, img, angle, interpolation, expand, center, fill):
    """``torchvision.transforms.functional.rotate`` para tensores (torchvision 0.2x)."""
    import torch.nn.functional as TF
    w, h = img.shape[-1], img.shape[-2]
    center_f = [0.0, 0.0]
    if center is not None:
        center_f = [1.0 * (c - s * 0.5) for c, s in zip(center, [w, h])]
    rot = math.radians(-angle)
    a, b, c, d = math.cos(rot), -math.sin(rot), math.sin(rot), math.cos(rot)
    matrix = [d, -b, 0.0, -c, a, 0.0]
    matrix[2] += matrix[0] * (-center_f[0]) + matrix[1] * (-center_f[1]) + center_f[0]
    matrix[5] += matrix[3] * (-center_f[0]) + matrix[4] * (-center_f[1]) + center_f[1]
    if expand:
        pts = torch.tensor([[-0.5 * w, -0.5 * h, 1.0], [-0.5 * w, 0.5 * h, 1.0],
                            [0.5 * w, 0.5 * h, 1.0], [0.5 * w, -0.5 * h, 1.0]])
        new_pts = pts @ torch.tensor(matrix, dtype=torch.float).view(2, 3).T
        lo = new_pts.min(dim=0).values + torch.tensor((w * 0.5, h * 0.5))
        hi = new_pts.max(dim=0).values + torch.tensor((w * 0.5, h * 0.5))
        size = torch.ceil((hi / 1e-4).trunc_() * 1e-4) - torch.floor((lo / 1e-4).trunc_() * 1e-4)
        ow, oh = int(size[0]), int(size[1])
    else:
        ow, oh = w, h
    dtype = img.dtype if torch.is_floating_point(img) else torch.float32
    theta = torch.tensor(matrix, dtype=dtype).reshape(1, 2, 3)
    base = torch.empty(1, oh, ow, 3, dtype=dtype)
    base[..., 0].copy_(torch.linspace(-ow * 0.5 + 0.5, ow * 0.5 + 0.5 - 1, steps=ow))
    base[..., 1].copy_(torch.linspace(-oh * 0.5 + 0.5, oh * 0.5 + 0.5 - 1, steps=oh)[:, None])
    base[..., 2].fill_(1)
    rescaled = theta.transpose(1, 2) / torch.tensor([0.5 * w, 0.5 * h], dtype=dtype)
    grid = base.view(1, oh * ow, 3).bmm(rescaled).view(1, oh, ow, 2)
    x = img.unsqueeze(0).to(dtype)
    if fill is not None:
        x = torch.cat((x, torch.ones((1, 1, h, w), dtype=dtype)), dim=1)
    x = TF.grid_sample(x, grid, mode=interpolation, padding_mode="zeros", align_corners=False)
    if fill is not None:
        mask = x[:, -1:].expand_as(x[:, :-1])
        x = x[:, :-1]
        fill_img = torch.tensor(fill, dtype=dtype).view(1, len(fill), 1, 1).expand_as(x)
        if interpolation == "nearest":
            x[mask < 0.5] = fill_img[mask < 0.5]
        else:
            x = x * mask + (1.0 - mask) * fill_img
    x = x.squeeze(0)
    return x if img.dtype == dtype else torch.round(x).to(img.dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.uint8])
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_mismos_bits_que_torchvision_con_tensores(requiere_torch, dtype, interpolation):
    torch = requiere_torch
    rng = np.random.default_rng(7)
    img = (rng.random((3, 6, 9)) * 255).astype(dtype)
    for angle in (90, 45, -30, 17.3, 180, 123.4):
        for expand, center, fill in ((False, None, [0.0, 0.0, 0.0]), (True, None, [0.5, 1, 2]),
                                     (False, (1, 2), [3.0, 3.0, 3.0]), (True, (4, 1), None)):
            ours = _rotacion.rotate_array(img, angle, interpolation, expand, center, fill)
            theirs = _torchvision_rotate(torch, torch.tensor(img), angle, interpolation,
                                         expand, center, fill).numpy()
            assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
            np.testing.assert_array_equal(ours, theirs, err_msg=f"{angle} {expand} {center}")


def test_grid_sample_como_pytorch(requiere_torch):
    torch = requiere_torch
    rng = np.random.default_rng(0)
    img = rng.standard_normal((2, 3, 5, 7)).astype(np.float32)
    grid = rng.uniform(-1.3, 1.3, (4, 6, 2)).astype(np.float32)
    for mode in ("nearest", "bilinear"):
        theirs = torch.nn.functional.grid_sample(
            torch.tensor(img), torch.tensor(grid)[None].expand(2, -1, -1, -1), mode=mode,
            padding_mode="zeros", align_corners=False).numpy()
        np.testing.assert_array_equal(_rotacion.grid_sample(img, grid, mode), theirs)


# --- imágenes PIL y ndarray -----------------------------------------------------------------
def test_pil_y_ndarray_con_pillow():
    Image = pytest.importorskip("PIL.Image")
    array = (np.arange(30, dtype=np.uint8) * 8).reshape(5, 6)
    pil = Image.fromarray(array)
    out = _gira(pil, 30, fill=3)
    assert isinstance(out, Image.Image) and out.size == (6, 5)
    np.testing.assert_array_equal(np.asarray(out),
                                  np.asarray(pil.rotate(30, Image.Resampling.NEAREST,
                                                        fillcolor=3)))
    np.testing.assert_array_equal(_gira(array, 30, fill=3), np.asarray(out))   # como torchvision
    rgb = np.stack([array] * 3, axis=-1)
    assert _gira(rgb, 30, expand=True).shape[2] == 3


def test_errores_y_repr():
    with pytest.raises(ValueError, match="positivo"):
        transforms.RandomRotation(-5)
    with pytest.raises(ValueError, match="2 números"):
        transforms.RandomRotation((1, 2, 3))
    with pytest.raises(ValueError, match="center"):
        transforms.RandomRotation(5, center=(1,))
    with pytest.raises(ValueError, match="Interpolación"):
        transforms.RandomRotation(5, interpolation="bicubic")
    with pytest.raises(TypeError, match="imagen"):
        _gira([1, 2, 3], 10)
    assert repr(transforms.RandomRotation(30, center=(1, 2))) == (
        "RandomRotation(degrees=[-30.0, 30.0], interpolation=nearest, expand=False, "
        "center=(1, 2), fill=0)")
    assert transforms.RandomRotation(5, interpolation=2).interpolation == "bilinear"
