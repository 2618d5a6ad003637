"""Mensajes de error en español que explican qué falla en la entrada del usuario.

Se construyen solo en el camino de error (se captura la excepción de NumPy y se
explica), así que no cuestan nada cuando todo va bien.
"""
import re
import sys

import numpy as np

from . import _dtypes

_AxisError = getattr(getattr(np, "exceptions", None), "AxisError", None) or np.AxisError


class ShapeError(RuntimeError, ValueError):
    """Formas incompatibles. Es RuntimeError (como en PyTorch) y también ValueError."""


def shape_text(x):
    shape = getattr(x, "shape", ())
    return str(tuple(int(d) for d in shape))


def cpu_only_error(dev="cuda"):
    return RuntimeError(
        f"tinygrad_es funciona solo en la CPU (se pidió el dispositivo {dev!r}). "
        "Quita .cuda() / .to('cuda') o usa device='cpu'; "
        "torch.cuda.is_available() devuelve False.")


def inplace_leaf_error(t):
    return RuntimeError(
        "Una variable hoja que requiere gradiente (forma "
        f"{tuple(t._data.shape)}) se está usando en una operación in situ. Si es una "
        "actualización manual de parámetros, hazla dentro de `with torch.no_grad():` "
        "(p. ej. w -= lr * w.grad), o usa w.data.")


def reshape_error(t, shape):
    size = t._data.size
    if list(shape).count(-1) > 1:
        return ShapeError(
            f"No se puede cambiar la forma {tuple(t._data.shape)} a {shape}: solo una "
            "dimensión puede ser -1 (la que se calcula sola).")
    return ShapeError(
        f"No se puede cambiar la forma {tuple(t._data.shape)} ({size} elementos) a {shape}: "
        "el número de elementos debe ser el mismo (usa -1 en una dimensión para que se "
        "calcule sola).")


def _index_text(index):
    parts = index if isinstance(index, tuple) else (index,)
    texts = [repr(p.tolist()) if hasattr(p, "tolist") and not isinstance(p, (int, float))
             else (":" if p == slice(None) else repr(p)) for p in parts]
    return "[" + ", ".join(texts) + "]"


def index_error(t, index, exc):
    """Explica en español un IndexError de NumPy al indexar ``t`` (la causa queda encadenada)."""
    shape = tuple(t._data.shape)
    text = str(exc)
    found = re.search(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)", text)
    if found:
        value, axis, size = (int(g) for g in found.groups())
        return IndexError(
            f"Índice {value} fuera de rango en la dimensión {axis}, que tiene tamaño {size} "
            f"(tensor de forma {shape}, índice {_index_text(index)}). Los índices válidos van "
            f"de {-size} a {size - 1}.")
    if "too many indices" in text:
        return IndexError(
            f"Demasiados índices: el tensor de forma {shape} tiene {len(shape)} "
            f"{'dimensión' if len(shape) == 1 else 'dimensiones'}, pero se indexó con "
            f"{_index_text(index)}.")
    found = re.search(r"size of axis is (\d+) but size of corresponding boolean axis is (\d+)",
                      text)
    if found:
        return IndexError(
            f"La máscara booleana del índice {_index_text(index)} tiene tamaño "
            f"{found.group(2)} y el tensor de forma {shape} tiene {found.group(1)} en esa "
            "dimensión: la máscara debe tener la misma forma que lo que indexa.")
    return IndexError(
        f"Índice no válido {_index_text(index)} para un tensor de forma {shape}: se admiten "
        "enteros, cortes (a:b), None, ..., tensores de enteros (long) y máscaras booleanas.")


def axis_error(exc, name):
    return IndexError(
        f"Dimensión fuera de rango en {name}: se pidió dim={exc.axis} en un tensor de "
        f"{exc.ndim} dimensiones (se esperaba un valor entre {-max(exc.ndim, 1)} y "
        f"{max(exc.ndim, 1) - 1}).")


def _broadcast_message(op_name, arrays):
    shapes = " y ".join(shape_text(a) for a in arrays if hasattr(a, "shape"))
    return (f"Las formas {shapes} no se pueden difundir (broadcast) en la operación {op_name}: "
            "cada dimensión, empezando por la derecha, debe ser igual o valer 1. "
            "Revisa las formas con .shape; quizá falta un reshape, unsqueeze o transpose.")


def explain_conversion(exc, op, arrays):
    """Si ``exc`` viene de formas incompatibles, lanza el error en español que lo explica."""
    if not isinstance(exc, ValueError) or isinstance(exc, ShapeError):
        return
    name = op.__name__
    if isinstance(exc, _AxisError):
        raise axis_error(exc, name) from exc
    hint = getattr(op, "shape_hint", None)   # el mensaje propio de la operación (matmul, cat...)
    if hint is not None:
        raise ShapeError(hint(*arrays)) from exc
    if "broadcast" in str(exc):
        raise ShapeError(_broadcast_message(name, arrays)) from exc
    if any(getattr(a, "dtype", None) is not None and a.dtype.kind not in "biuf" for a in arrays):
        kinds = ", ".join(_dtypes.dtype_name(a.dtype) for a in arrays if hasattr(a, "dtype"))
        raise TypeError(f"Tipos de datos no admitidos en {name}: {kinds}.") from exc


def check_grad_assignment(t, value):
    """``w.grad = g``: como PyTorch, ``g`` debe ser un Tensor de la forma y el dtype de ``w``."""
    if not hasattr(value, "_data"):
        raise TypeError(
            f"A .grad solo se le puede asignar un Tensor o None, pero se recibió "
            f"{type(value).__name__}. Conviértelo con torch.tensor(...) o usa None para borrarlo.")
    if value._data.shape != t._data.shape:
        raise RuntimeError(
            f"El gradiente asignado tiene forma {tuple(value._data.shape)}, pero el tensor tiene "
            f"forma {tuple(t._data.shape)}: .grad debe tener la forma del tensor.")
    if value._data.dtype != t._data.dtype:
        raise RuntimeError(
            f"El gradiente asignado es de tipo {_dtypes.dtype_name(value._data.dtype)}, pero el "
            f"tensor es de tipo {_dtypes.dtype_name(t._data.dtype)}: conviértelo antes con "
            f".to({_dtypes.dtype_name(t._data.dtype)}).")


def raise_lost_graph(t):
    """Un backward con ``create_graph=True`` intentó convertir un tensor del grafo en array."""
    raise RuntimeError(
        f"Durante backward(create_graph=True) una operación intentó convertir en array de NumPy "
        f"un tensor del grafo (forma {tuple(t._data.shape)}): su derivada no se podría derivar "
        "otra vez. Es un error de tinygrad_es (o de tu autograd.Function si es tuya: usa "
        "operaciones de tensores en su backward); avísanos con el código que lo produce.")


def view_of_leaf_error(t):
    base = t._view.base
    return RuntimeError(
        f"Una vista (forma {tuple(t._data.shape)}) de una variable hoja que requiere gradiente "
        f"(forma {tuple(base._data.shape)}) se está usando en una operación in situ. Si es una "
        "actualización manual de parámetros, hazla dentro de `with torch.no_grad():`; si no, "
        "trabaja sobre una copia: v = w[...].clone().")


def no_grad_view_error(t):
    return RuntimeError(
        f"Esta vista (forma {tuple(t._data.shape)}) se creó dentro de no_grad() y se está "
        "modificando in situ con el gradiente activado: autograd no puede seguir ese cambio. "
        "Modifícala también dentro de no_grad(), o crea la vista fuera de no_grad().")


def multiple_views_error(t):
    return RuntimeError(
        f"Este trozo (forma {tuple(t._data.shape)}) es una de las vistas que devuelve split(), "
        "chunk() o unbind(), y no se puede modificar in situ con el gradiente activado (tampoco "
        "en PyTorch). Usa una copia (t = t.clone()) o trabaja con índices: x[a:b].mul_(2).")


class OverlappingWriteError(RuntimeError):
    """Escritura in situ en un tensor cuyos elementos comparten memoria (de expand)."""


def overlapping_write_error(t):
    return OverlappingWriteError(
        f"No se puede escribir in situ en este tensor de forma {tuple(t._data.shape)}: varios "
        "de sus elementos comparten la misma posición de memoria (viene de expand() o de una "
        "difusión). Haz antes una copia con .clone().")


PACKAGE_DIR = __file__.rsplit("errors.py", 1)[0]   # la carpeta de tinygrad_es, con su separador


def user_frame(frame):
    """``(marco, nivel)``: el primer marco fuera de tinygrad_es subiendo desde ``frame`` (el del
    usuario, o None) y cuántos marcos hay hasta él contando ``frame`` como 1."""
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    return frame, level


def user_stacklevel():
    """El ``stacklevel`` de ``warnings.warn`` que señala la primera línea fuera de tinygrad_es
    (la del usuario), por muchas capas del paquete que haya en medio. Se llama como argumento
    de ``warnings.warn``: el marco 1 es el que avisa."""
    return user_frame(sys._getframe(1))[1]
