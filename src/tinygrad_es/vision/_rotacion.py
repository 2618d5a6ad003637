"""Rotar imágenes como ``torchvision.transforms.functional.rotate`` (v1) y ``v2.functional.rotate``.

Para un tensor, torchvision no gira los píxeles: para cada píxel de la salida calcula de qué
punto de la imagen original viene (la matriz afín *inversa* de la rotación alrededor del
centro) y toma allí el valor con ``grid_sample`` (vecino más cercano o bilineal,
``align_corners=False``, ceros fuera). Aquí se hacen las mismas cuentas, en el mismo orden y en
float32 (o en el float de la imagen), con NumPy:

1. ``inverse_affine_matrix``: la matriz 2x3 en doble precisión (``_get_inverse_affine_matrix``).
2. ``affine_grid``: la rejilla de coordenadas normalizadas a [-1, 1] (``_gen_affine_grid``).
3. ``grid_sample``: el muestreo (las fórmulas del núcleo de CPU de PyTorch).
4. El relleno (``fill``): se añade un canal de unos, se muestrea con la imagen y donde ese
   canal queda por debajo de 0,5 (vecino) o con su peso (bilineal) se pone ``fill``.

Una imagen PIL se gira con ``Image.rotate`` de Pillow, como hace torchvision; un ndarray uint8
(lo que dan los Datasets de tinygrad_es donde torchvision da una imagen PIL), también con Pillow
si está instalado.
"""
import math

import numpy as np

from .._fma import fma
from ..tensor import Tensor, _make


def inverse_affine_matrix(center, angle, translate=(0.0, 0.0), scale=1.0, shear=(0.0, 0.0)):
    """La matriz inversa ``[a, b, c, d, e, f]`` de la transformación afín alrededor de ``center``
    (la fórmula de torchvision; ``angle`` en grados)."""
    rot = math.radians(angle)
    sx, sy = math.radians(shear[0]), math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    matrix = [x / scale for x in (d, -b, 0.0, -c, a, 0.0)]
    matrix[2] += matrix[0] * (-cx - tx) + matrix[1] * (-cy - ty)
    matrix[5] += matrix[3] * (-cx - tx) + matrix[4] * (-cy - ty)
    matrix[2] += cx
    matrix[5] += cy
    return matrix


def expanded_size(matrix, w, h):
    """``(ancho, alto)`` de la salida con ``expand=True``: la caja que contiene las cuatro
    esquinas giradas, en float32 y redondeada a 1e-4 antes de ``ceil``/``floor`` (como
    torchvision, para que 89.99999 no dé un píxel de más)."""
    f32 = np.float32
    pts = np.array([[-0.5 * w, -0.5 * h, 1.0], [-0.5 * w, 0.5 * h, 1.0],
                    [0.5 * w, 0.5 * h, 1.0], [0.5 * w, -0.5 * h, 1.0]], dtype=f32)
    theta = np.array(matrix, dtype=f32).reshape(2, 3)
    new_pts = pts @ theta.T
    shift = np.array([w * 0.5, h * 0.5], dtype=f32)
    min_vals = new_pts.min(axis=0) + shift
    max_vals = new_pts.max(axis=0) + shift
    tol = f32(1e-4)
    cmax = np.ceil(np.trunc(max_vals / tol) * tol)
    cmin = np.floor(np.trunc(min_vals / tol) * tol)
    size = cmax - cmin
    return int(size[0]), int(size[1])


def affine_grid(matrix, dtype, w, h, ow, oh):
    """Rejilla ``(oh, ow, 2)`` de coordenadas (x, y) en [-1, 1] de la imagen de entrada de la que
    sale cada píxel de la salida."""
    theta = np.array(matrix, dtype=dtype).reshape(2, 3)
    xs = np.arange(ow, dtype=dtype) + dtype.type(-ow * 0.5 + 0.5)   # enteros o medios: exactos
    ys = np.arange(oh, dtype=dtype) + dtype.type(-oh * 0.5 + 0.5)
    base = np.empty((oh, ow, 3), dtype=dtype)
    base[..., 0] = xs
    base[..., 1] = ys[:, None]
    base[..., 2] = 1
    r = theta.T / np.array([0.5 * w, 0.5 * h], dtype=dtype)
    # el bmm pequeño de PyTorch suma en orden x·r0 + y·r1 + r2 (sin FMA): en los giros de
    # 90 grados hay empates exactos a medio píxel y el orden decide hacia dónde caen
    grid = np.empty((oh, ow, 2), dtype=dtype)
    for j in range(2):
        grid[..., j] = (base[..., 0] * r[0, j] + base[..., 1] * r[1, j]) + r[2, j]
    return grid


def _unnormalize(coord, size):
    """De [-1, 1] a píxeles con ``align_corners=False``: ``(x + 1) * size / 2 - 0.5``, con la
    multiplicación y la resta fusionadas como en el núcleo vectorizado de PyTorch."""
    scalar = coord.dtype.type
    return fma(coord + scalar(1), scalar(size / 2), scalar(-0.5))


def grid_sample(images, grid, mode):
    """``F.grid_sample(images, grid, mode, padding_mode='zeros', align_corners=False)`` para
    ``images`` (N, C, H, W) y una misma rejilla (oh, ow, 2) para todas."""
    _, _, h, w = images.shape
    x = _unnormalize(grid[..., 0], w)
    y = _unnormalize(grid[..., 1], h)
    if mode == "nearest":
        ix, iy = np.rint(x), np.rint(y)        # redondeo a par, como _mm256_round_ps
        inside = (ix >= 0) & (ix <= w - 1) & (iy >= 0) & (iy <= h - 1)
        ix = np.where(inside, ix, 0).astype(np.int64)
        iy = np.where(inside, iy, 0).astype(np.int64)
        return np.where(inside, images[:, :, iy, ix], images.dtype.type(0))
    x_w, y_n = np.floor(x), np.floor(y)
    one = x.dtype.type(1)
    we = x - x_w                # peso del píxel de la derecha
    ww = one - we
    ns = y - y_n                # peso del píxel de abajo
    nn = one - ns
    weights = (nn * ww, nn * we, ns * ww, ns * we)      # nw, ne, sw, se
    out = None
    # (nw·pnw + ne·pne) + sw·psw + se·pse, con cada suma fusionada con su producto (FMA)
    for (dy, dx), weight in zip(((0, 0), (0, 1), (1, 0), (1, 1)), weights):
        ix, iy = x_w + dx, y_n + dy
        inside = (ix >= 0) & (ix <= w - 1) & (iy >= 0) & (iy <= h - 1)
        ix = np.where(inside, ix, 0).astype(np.int64)
        iy = np.where(inside, iy, 0).astype(np.int64)
        value = np.where(inside, images[:, :, iy, ix], images.dtype.type(0))
        out = value * weight if out is None else fma(value, weight, out)
    return out


def rotate_array(array, angle, interpolation="nearest", expand=False, center=None, fill=None,
                 v2=False):
    """Gira un array ``(..., C, H, W)`` (la ruta de tensores de torchvision).

    ``fill``: None (ceros, sin canal de máscara, como ``F.rotate`` por defecto), un número o un
    valor por canal. ``v2=True``: las reglas de ``transforms.v2`` (giros de 0, 90, 180 y 270
    grados exactos con ``rot90`` y la mezcla bilineal ``mask * (img - fill) + fill``).
    """
    h, w = array.shape[-2:]
    if v2:
        angle = angle % 360
        if center is None:
            if angle == 0:
                return array.copy()
            if angle == 180:
                return np.ascontiguousarray(np.rot90(array, 2, axes=(-2, -1)))
            if expand or h == w:
                if angle in (90, 270):
                    return np.ascontiguousarray(np.rot90(array, angle // 90, axes=(-2, -1)))
    center_f = [0.0, 0.0]
    if center is not None:
        center_f = [1.0 * (c - s * 0.5) for c, s in zip(center, [w, h])]
    matrix = inverse_affine_matrix(center_f, -angle)
    ow, oh = expanded_size(matrix, w, h) if expand else (w, h)
    dtype = array.dtype if array.dtype.kind == "f" else np.dtype(np.float32)
    grid = affine_grid(matrix, dtype, w, h, ow, oh)
    lead = array.shape[:-3]
    channels = array.shape[-3]
    images = array.reshape((-1, channels, h, w)).astype(dtype, copy=False)
    if fill is not None:
        mask = np.ones((images.shape[0], 1, h, w), dtype=dtype)
        images = np.concatenate([images, mask], axis=1)
    out = grid_sample(images, grid, interpolation)
    if fill is not None:
        out, mask = out[:, :-1], out[:, -1:]
        values = [float(f) for f in fill] if isinstance(fill, (list, tuple)) else [float(fill)]
        fill_img = np.array(values, dtype=dtype).reshape(1, -1, 1, 1)
        if interpolation == "nearest":
            out = np.where(mask < 0.5, fill_img, out)
        elif v2:
            out = (out - fill_img) * mask + fill_img
        else:
            out = out * mask + (dtype.type(1.0) - mask) * fill_img
    if array.dtype.kind != "f":
        out = np.round(out).astype(array.dtype)    # PyTorch: round y luego cast (que trunca)
    return np.ascontiguousarray(out.reshape(lead + (channels, oh, ow)))


def _pil_rotate(img, angle, interpolation, expand, center, fill):
    from PIL import Image
    bands = len(img.getbands())
    fill = 0 if fill is None else fill
    if isinstance(fill, (int, float)) and bands > 1:
        fill = tuple([fill] * bands)
    if isinstance(fill, (list, tuple)):
        if len(fill) == 1:
            fill = fill * bands
        elif len(fill) != bands:
            raise ValueError(
                f"fill tiene {len(fill)} valores, pero la imagen tiene {bands} canales.")
        fill = tuple(fill)
    if img.mode != "F":
        fill = tuple(int(v) for v in fill) if isinstance(fill, tuple) else int(fill)
    resample = {"nearest": Image.Resampling.NEAREST,
                "bilinear": Image.Resampling.BILINEAR}[interpolation]
    return img.rotate(angle, resample, expand, center, fillcolor=fill)


def rotate(img, angle, interpolation="nearest", expand=False, center=None, fill=None, v2=False):
    """Gira ``img`` (tensor ``(..., C, H, W)``, ndarray ``(H, W[, C])`` o imagen PIL) ``angle``
    grados en sentido antihorario, alrededor de ``center`` (x, y en píxeles; por defecto el
    centro de la imagen)."""
    if isinstance(img, Tensor):
        array = img._data
        if array.ndim < 3:
            raise ValueError(
                "rotate espera una imagen tensor de forma (..., canales, alto, ancho), pero "
                f"recibió forma {tuple(array.shape)}.")
        return _make(rotate_array(array, angle, interpolation, expand, center, fill, v2))
    if isinstance(img, np.ndarray):
        if img.ndim not in (2, 3):
            raise ValueError(
                f"Una imagen ndarray debe tener forma (alto, ancho) o (alto, ancho, canales), "
                f"pero tiene forma {img.shape}.")
        if img.dtype == np.uint8 and (img.ndim == 2 or img.shape[2] in (3, 4)):
            try:
                from PIL import Image
            except ImportError:
                pass
            else:   # como torchvision sobre la imagen PIL que daría su Dataset
                pil = Image.fromarray(img)
                return np.asarray(_pil_rotate(pil, angle, interpolation, expand, center,
                                              fill)).copy()
        chw = (img[None] if img.ndim == 2 else img.transpose(2, 0, 1))
        out = rotate_array(chw, angle, interpolation, expand, center, fill, v2)
        return out[0] if img.ndim == 2 else np.ascontiguousarray(out.transpose(1, 2, 0))
    if type(img).__module__.startswith("PIL.") and hasattr(img, "mode"):
        return _pil_rotate(img, angle, interpolation, expand, center, fill)
    raise TypeError(
        f"Se esperaba una imagen (tensor, ndarray o imagen PIL), pero se recibió "
        f"{type(img).__name__}.")
