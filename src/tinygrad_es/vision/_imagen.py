"""Operaciones sobre imágenes para las transformaciones: recortar, rellenar, voltear, redimensionar
y cambiar el tipo, con las reglas de torchvision.

Una imagen llega de tres formas y sale de la misma:

- tensor ``(..., C, H, W)`` (lo que da ``ToTensor``; alto y ancho son los dos últimos ejes);
- ndarray ``(H, W)`` o ``(H, W, C)`` (lo que dan los Datasets de tinygrad_es, donde torchvision
  da una imagen PIL);
- imagen PIL (si Pillow está instalado): se usan los métodos de Pillow, como hace torchvision.
"""
import numpy as np

from ..nn._functional_upsampling import filter_weights
from ..tensor import Tensor, _make


def _is_pil(img):
    return type(img).__module__.startswith("PIL.") and hasattr(img, "mode")


def kind(img):
    if isinstance(img, Tensor):
        return "tensor"
    if isinstance(img, np.ndarray):
        if img.ndim not in (2, 3):
            raise ValueError(
                f"Una imagen ndarray debe tener forma (alto, ancho) o (alto, ancho, canales), "
                f"pero tiene forma {img.shape}.")
        return "ndarray"
    if _is_pil(img):
        return "pil"
    raise TypeError(
        f"Se esperaba una imagen (tensor, ndarray o imagen PIL), pero se recibió "
        f"{type(img).__name__}.")


def size_hw(img):
    """``(alto, ancho)`` de la imagen."""
    k = kind(img)
    if k == "pil":
        return img.size[1], img.size[0]
    if k == "tensor":
        if img._data.ndim < 2:
            raise ValueError(
                f"Una imagen tensor debe tener al menos 2 dimensiones (..., alto, ancho), pero "
                f"tiene forma {tuple(img._data.shape)}.")
        return tuple(img._data.shape[-2:])
    return img.shape[:2]


def _hw_axes(k, array):
    return (array.ndim - 2, array.ndim - 1) if k == "tensor" else (0, 1)


def _array(img, k):
    return img._data if k == "tensor" else img


def _wrap(array, k):
    return _make(np.ascontiguousarray(array)) if k == "tensor" else np.ascontiguousarray(array)


def crop(img, top, left, height, width):
    """Recorta ``height x width`` desde (``top``, ``left``); fuera de la imagen rellena con 0."""
    k = kind(img)
    if k == "pil":
        return img.crop((left, top, left + width, top + height))
    h, w = size_hw(img)
    right, bottom = left + width, top + height
    if left < 0 or top < 0 or right > w or bottom > h:
        pads = [max(-left, 0), max(-top, 0), max(right - w, 0), max(bottom - h, 0)]
        img = pad(img, pads, 0, "constant")
        top, left = max(top, 0), max(left, 0)
        right, bottom = left + width, top + height
    array = _array(img, k)
    ah, aw = _hw_axes(k, array)
    index = [slice(None)] * array.ndim
    index[ah], index[aw] = slice(top, bottom), slice(left, right)
    return _wrap(array[tuple(index)], k)


def center_crop(img, output_size):
    th, tw = output_size
    h, w = size_hw(img)
    if tw > w or th > h:
        pads = [(tw - w) // 2 if tw > w else 0, (th - h) // 2 if th > h else 0,
                (tw - w + 1) // 2 if tw > w else 0, (th - h + 1) // 2 if th > h else 0]
        img = pad(img, pads, 0, "constant")
        h, w = size_hw(img)
        if tw == w and th == h:
            return img
    top = int(round((h - th) / 2.0))
    left = int(round((w - tw) / 2.0))
    return crop(img, top, left, th, tw)


_NP_MODES = {"constant": "constant", "edge": "edge", "reflect": "reflect",
             "symmetric": "symmetric"}


def parse_padding(padding):
    """``[izquierda, arriba, derecha, abajo]`` a partir de un int, un par o cuatro valores."""
    if isinstance(padding, (int, np.integer)):
        return [int(padding)] * 4
    if not isinstance(padding, (list, tuple)) or len(padding) not in (1, 2, 4):
        raise ValueError(
            f"padding debe ser un entero o una secuencia de 1, 2 o 4 enteros (izquierda/"
            f"derecha, arriba/abajo, o izquierda, arriba, derecha, abajo), pero es {padding!r}.")
    if len(padding) == 1:
        return [int(padding[0])] * 4
    if len(padding) == 2:
        return [int(padding[0]), int(padding[1]), int(padding[0]), int(padding[1])]
    return [int(p) for p in padding]


def pad(img, padding, fill=0, padding_mode="constant"):
    """Rellena los bordes (``padding_mode``: constant, edge, reflect o symmetric)."""
    if padding_mode not in _NP_MODES:
        raise ValueError(
            f"padding_mode debe ser 'constant', 'edge', 'reflect' o 'symmetric', pero es "
            f"{padding_mode!r}.")
    left, top, right, bottom = parse_padding(padding)
    k = kind(img)
    if k == "pil":
        from PIL import Image
        array = np.asarray(img)
        out = pad(array, [left, top, right, bottom], fill, padding_mode)
        return Image.fromarray(out, mode=img.mode if img.mode in ("L", "RGB", "RGBA") else None)
    array = _array(img, k)
    ah, aw = _hw_axes(k, array)
    widths = [(0, 0)] * array.ndim
    widths[ah], widths[aw] = (top, bottom), (left, right)
    if padding_mode == "constant":
        out = np.pad(array, widths, mode="constant", constant_values=np.asarray(fill).astype(
            array.dtype) if np.ndim(fill) == 0 else 0)
        if np.ndim(fill) != 0:   # un valor por canal
            _fill_channels(out, array, widths, fill, k)
    else:
        out = np.pad(array, widths, mode=_NP_MODES[padding_mode])
    return _wrap(out, k)


def _fill_channels(out, array, widths, fill, k):
    fill = np.asarray(fill, dtype=out.dtype)
    mask = np.ones(out.shape, dtype=bool)
    inner = tuple(slice(a, a + n) for (a, _), n in zip(widths, array.shape))
    mask[inner] = False
    shape = [1] * out.ndim
    shape[out.ndim - 3 if k == "tensor" else 2] = -1
    out[mask] = np.broadcast_to(fill.reshape(shape), out.shape)[mask]


def hflip(img):
    k = kind(img)
    if k == "pil":
        from PIL import Image
        return img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    array = _array(img, k)
    return _wrap(np.flip(array, axis=_hw_axes(k, array)[1]), k)


# --- redimensionar ----------------------------------------------------------------------
def resized_size(h, w, size, max_size=None):
    """Tamaño ``(alto, ancho)`` de ``Resize(size, max_size)`` (la regla de torchvision)."""
    if isinstance(size, (list, tuple)) and len(size) == 2:
        if max_size is not None:
            raise ValueError(
                "max_size solo se admite cuando size es un único entero (el lado menor), pero "
                f"size={size!r}.")
        return int(size[0]), int(size[1])
    requested = size if isinstance(size, (int, np.integer)) else size[0]
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = int(requested), int(requested * long / short)
    if max_size is not None:
        if max_size <= requested:
            raise ValueError(
                f"max_size = {max_size} debe ser mayor que el tamaño pedido para el lado menor, "
                f"size = {size}.")
        if new_long > max_size:
            new_short, new_long = int(max_size * new_short / new_long), max_size
    return (new_long, new_short) if w <= h else (new_short, new_long)


def _weights(in_size, out_size, antialias, dtype):
    """Matriz (salida, entrada) de la interpolación bilineal de PyTorch (con antialias: la de
    Pillow, un filtro triangular ensanchado al reducir; ver ``F.interpolate``)."""
    return filter_weights(in_size, out_size, None, False, "bilinear", antialias).astype(dtype)


def _nearest_index(in_size, out_size):
    scale = np.float32(in_size / out_size)
    return np.minimum(np.floor(np.arange(out_size, dtype=np.float32) * scale).astype(np.int64),
                      in_size - 1)


def resize_array(array, axes, out_hw, interpolation, antialias):
    """Redimensiona ``array`` en los ejes ``axes`` (alto, ancho); conserva el dtype."""
    ah, aw = axes
    in_h, in_w = array.shape[ah], array.shape[aw]
    out_h, out_w = out_hw
    if interpolation == "nearest":
        out = np.take(array, _nearest_index(in_h, out_h), axis=ah)
        return np.take(out, _nearest_index(in_w, out_w), axis=aw)
    dtype = array.dtype if array.dtype.kind == "f" else np.dtype(np.float32)
    work = array.astype(dtype, copy=False)
    wh = _weights(in_h, out_h, antialias, dtype)
    ww = _weights(in_w, out_w, antialias, dtype)
    work = np.moveaxis(np.tensordot(wh, np.moveaxis(work, ah, 0), axes=(1, 0)), 0, ah)
    work = np.moveaxis(np.tensordot(ww, np.moveaxis(work, aw, 0), axes=(1, 0)), 0, aw)
    if array.dtype.kind == "f":
        return work
    info = np.iinfo(array.dtype) if array.dtype.kind in "iu" else None
    work = np.round(work)
    if info is not None:
        work = np.clip(work, info.min, info.max)
    return work.astype(array.dtype)


def resize(img, size, interpolation="bilinear", max_size=None, antialias=True):
    k = kind(img)
    h, w = size_hw(img)
    out_h, out_w = resized_size(h, w, size, max_size)
    if (out_h, out_w) == (h, w):
        return img
    if k == "ndarray" and img.dtype == np.uint8 and (img.ndim == 2 or img.shape[2] in (3, 4)):
        pil = _to_pil_or_none(img)   # como torchvision sobre la imagen PIL de un Dataset
        if pil is not None:
            return np.asarray(resize(pil, (out_h, out_w), interpolation)).copy()
    if k == "pil":
        from PIL import Image
        method = {"bilinear": Image.Resampling.BILINEAR,
                  "nearest": Image.Resampling.NEAREST}[interpolation]
        return img.resize((out_w, out_h), method)
    array = _array(img, k)
    if (k == "tensor" and array.dtype == np.uint8 and interpolation == "bilinear" and antialias
            and _to_pil_or_none(np.zeros((1, 1), np.uint8)) is not None):
        # PyTorch redimensiona uint8 con aritmética entera como Pillow: se usa Pillow por canal
        planes = array.reshape((-1,) + array.shape[-2:])
        out = np.stack([np.asarray(resize(_to_pil_or_none(plane), (out_h, out_w)))
                        for plane in planes])
        return _make(out.reshape(array.shape[:-2] + (out_h, out_w)))
    return _wrap(resize_array(array, _hw_axes(k, array), (out_h, out_w), interpolation,
                              antialias), k)


def _to_pil_or_none(array):
    try:
        from PIL import Image
    except ImportError:
        return None
    return Image.fromarray(array)


# --- tipos -------------------------------------------------------------------------------
def _max_value(dtype):
    if dtype.kind == "b":
        return 1
    return np.iinfo(dtype).max


def convert_dtype(array, dtype, reciprocal=False):
    """``convert_image_dtype`` de torchvision: cambia el tipo reescalando el rango.

    Enteros -> float: ``x / max`` (``reciprocal=True``: ``x * (1 / max)``, como ToDtype de v2);
    float -> entero: ``x * (max + 1 - 0.001)`` truncado; entero -> entero: por potencias de 2.
    """
    dtype = np.dtype(dtype)
    if array.dtype == dtype:
        return array
    if array.dtype.kind == "f":
        if dtype.kind == "f":
            return array.astype(dtype)
        if (array.dtype == np.float32 and dtype in (np.int32, np.int64)) or \
                (array.dtype == np.float64 and dtype == np.int64):
            raise RuntimeError(
                f"La conversión de {array.dtype} a {dtype} no se puede hacer sin perder "
                "valores (el máximo del entero no cabe exacto en el float).")
        scaled = array * array.dtype.type(float(_max_value(dtype)) + 1.0 - 1e-3)
        return scaled.astype(dtype)
    input_max = float(_max_value(array.dtype))
    if dtype.kind == "f":
        if reciprocal:
            return array.astype(dtype) * dtype.type(1.0 / input_max)
        return array.astype(dtype) / dtype.type(input_max)
    output_max = float(_max_value(dtype))
    if input_max > output_max:
        factor = int((input_max + 1) // (output_max + 1))
        return np.floor_divide(array, factor).astype(dtype)
    factor = int((output_max + 1) // (input_max + 1))
    return array.astype(dtype) * dtype.type(factor)


def check_size(size, name="size"):
    """``size`` como par ``(alto, ancho)`` (un entero da un cuadrado)."""
    if isinstance(size, (int, np.integer)):
        return int(size), int(size)
    if isinstance(size, (list, tuple)) and len(size) == 1:
        return int(size[0]), int(size[0])
    if isinstance(size, (list, tuple)) and len(size) == 2:
        return int(size[0]), int(size[1])
    raise ValueError(
        f"{name} debe ser un entero o una secuencia (alto, ancho), pero es {size!r}.")
