"""``torchvision.utils``: ``make_grid`` (varias imágenes en una rejilla) y ``save_image``.

``save_image`` escribe el archivo con Pillow (el mismo camino que torchvision:
``Image.fromarray(...).save(fp)``). Pillow no es una dependencia obligatoria de tinygrad_es,
pero viene con matplotlib (dependencia de los ejemplos); si falta, el error dice cómo
instalarlo.
"""
import math

import numpy as np

from ..tensor import Tensor, _make


def _as_array(tensor):
    if isinstance(tensor, (list, tuple)):
        if not tensor:
            raise ValueError("make_grid recibió una lista vacía de imágenes.")
        for t in tensor:
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"make_grid espera tensores, pero la lista tiene un {type(t).__name__}.")
        return np.stack([t._data for t in tensor], axis=0)
    if not isinstance(tensor, Tensor):
        raise TypeError(
            f"make_grid espera un tensor (B, C, H, W) o una lista de tensores, pero recibió "
            f"{type(tensor).__name__}.")
    return tensor._data


def _norm_ip(img, low, high):
    scalar = img.dtype.type
    np.clip(img, scalar(low), scalar(high), out=img)
    np.subtract(img, scalar(low), out=img)
    np.divide(img, scalar(max(high - low, 1e-5)), out=img)


def _norm_range(t, value_range):
    if value_range is not None:
        _norm_ip(t, value_range[0], value_range[1])
    else:
        _norm_ip(t, float(t.min()), float(t.max()))


def make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None, scale_each=False,
              pad_value=0.0):
    """Junta un lote de imágenes ``(B, C, H, W)`` (o una lista) en una rejilla ``(3|C, alto, ancho)``.

    ``nrow`` imágenes por fila, separadas por ``padding`` píxeles de valor ``pad_value``. Las
    imágenes de 1 canal se repiten a 3 (RGB), como torchvision. ``normalize=True`` lleva los
    valores a [0, 1] con el mínimo y el máximo (o ``value_range=(min, max)``), de todo el lote o
    de cada imagen si ``scale_each=True``.
    """
    array = _as_array(tensor)
    if array.ndim == 2:
        array = array[None]
    if array.ndim == 3:
        if array.shape[0] == 1:
            array = np.concatenate((array, array, array), 0)
        array = array[None]
    if array.ndim == 4 and array.shape[1] == 1:
        array = np.concatenate((array, array, array), 1)
    if array.ndim != 4:
        raise ValueError(
            f"make_grid espera imágenes (B, C, H, W), (C, H, W) o (H, W), pero recibió forma "
            f"{array.shape}.")
    if normalize is True:
        array = array.copy()
        if array.dtype.kind != "f":
            raise TypeError(
                f"normalize=True necesita un tensor de punto flotante, pero es {array.dtype}. "
                "Usa .float() antes.")
        if value_range is not None and not isinstance(value_range, tuple):
            raise TypeError(
                "value_range debe ser una tupla (min, max) de números, por ejemplo (-1, 1).")
        if scale_each is True:
            for t in array:
                _norm_range(t, value_range)
        else:
            _norm_range(array, value_range)
    if array.shape[0] == 1:
        return _make(np.ascontiguousarray(array[0]))
    nmaps = array.shape[0]
    xmaps = min(nrow, nmaps)
    ymaps = int(math.ceil(float(nmaps) / xmaps))
    height, width = int(array.shape[2] + padding), int(array.shape[3] + padding)
    num_channels = array.shape[1]
    grid = np.full((num_channels, height * ymaps + padding, width * xmaps + padding), pad_value,
                   dtype=array.dtype)
    k = 0
    for y in range(ymaps):
        for x in range(xmaps):
            if k >= nmaps:
                break
            top, left = y * height + padding, x * width + padding
            grid[:, top:top + height - padding, left:left + width - padding] = array[k]
            k += 1
    return _make(grid)


def save_image(tensor, fp, format=None, **kwargs):
    """Guarda una imagen o un lote (en rejilla, con los argumentos de ``make_grid``) en ``fp``.

    Los valores deben estar en [0, 1] (o usa ``normalize=True``): se pasan a uint8 con
    ``x * 255 + 0.5`` recortado a [0, 255]. El formato sale de la extensión de ``fp`` (o de
    ``format``).
    """
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            "save_image necesita Pillow para escribir la imagen: instálalo con "
            "`pip install pillow` (viene también con matplotlib).") from None
    grid = make_grid(tensor, **kwargs)._data
    if grid.dtype.kind != "f":
        grid = grid.astype(np.float32)
    scalar = grid.dtype.type
    ndarr = np.clip(grid * scalar(255) + scalar(0.5), 0, 255).transpose(1, 2, 0)
    ndarr = ndarr.astype(np.uint8)
    if ndarr.shape[2] == 1:
        ndarr = ndarr[:, :, 0]
    Image.fromarray(np.ascontiguousarray(ndarr)).save(fp, format=format)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(
        f"vision.utils.{name} no está disponible en tinygrad_es: solo make_grid y save_image.")
