"""``default_collate`` y ``default_convert``: juntan muestras en un lote, como PyTorch.

Reglas (las mismas que ``torch.utils.data.default_collate``, comprobadas con torch 2.13):

- tensores -> se apilan en una dimensión nueva (``stack``);
- ``ndarray`` -> se apilan en un tensor del mismo dtype (de texto u objetos: TypeError);
- escalares de NumPy -> tensor de su dtype (``np.float32`` -> float32);
- ``float`` de Python -> tensor **float64** (así lo hace PyTorch, no float32);
- ``int`` -> int64 (si hay algún float mezclado, float32; todos ``bool`` -> bool);
- ``str`` / ``bytes`` -> se dejan tal cual (la secuencia de textos del lote);
- diccionarios -> diccionario con cada clave juntada; ``namedtuple`` -> el mismo tipo;
- tuplas y listas -> **lista** con cada posición juntada (las tuplas también dan lista,
  como en PyTorch). Todas las muestras deben tener el mismo largo.
"""
import collections.abc

import numpy as np

from ... import _dtypes
from ...creation import tensor as _tensor
from ...errors import ShapeError
from ...tensor import Tensor, _make


def _stack_tensors(batch):
    first = batch[0]._data.shape
    for i, t in enumerate(batch):
        if t._data.shape != first:
            raise ShapeError(
                f"No se pueden apilar las muestras en un lote: la muestra 0 tiene forma "
                f"{tuple(first)} y la muestra {i} tiene forma {tuple(t._data.shape)}. Todas las "
                "muestras de un lote deben tener la misma forma (recorta o rellena en el "
                "Dataset, o pasa un collate_fn propio al DataLoader).")
    if any(t._requires_grad for t in batch):
        from ...functions import stack   # con grafo, como torch.stack
        return stack(batch)
    dtype = batch[0]._data.dtype
    for t in batch[1:]:
        if t._data.dtype != dtype:
            dtype = _dtypes.promote_types(dtype, t._data.dtype)
    return _make(np.stack([t._data for t in batch]).astype(dtype, copy=False))


def _check_array(elem):
    if elem.dtype.kind in "USO":
        raise TypeError(
            "default_collate: el lote contiene arrays de NumPy de texto u objetos "
            f"(dtype {elem.dtype}); solo se pueden juntar arrays numéricos. Convierte los datos "
            "a números en el Dataset o pasa un collate_fn propio.")


def _tensor_from_array(a):
    _check_array(a)
    return _make(a)


def _type_error(elem):
    return TypeError(
        "default_collate: el lote debe contener tensores, arrays de NumPy, números, "
        f"diccionarios o listas, pero se encontró {type(elem)}. Devuelve uno de esos tipos "
        "desde __getitem__ o pasa un collate_fn propio al DataLoader.")


def default_collate(batch):
    """Junta una lista de muestras en un lote (ver las reglas en el módulo)."""
    elem = batch[0]
    if isinstance(elem, Tensor):
        return _stack_tensors(batch)
    if isinstance(elem, np.ndarray):
        _check_array(elem)
        return _stack_tensors([_make(np.asarray(b)) for b in batch])
    if isinstance(elem, (np.bool_, np.number, np.object_)):
        array = np.array(batch)
        _check_array(array)
        return _make(array)
    if isinstance(elem, float):
        return _make(np.array(batch, dtype=np.float64))
    if isinstance(elem, int):
        return _tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        try:
            collated = {key: default_collate([d[key] for d in batch]) for key in elem}
        except KeyError as exc:
            raise KeyError(
                f"default_collate: la clave {exc.args[0]!r} está en la primera muestra pero "
                "no en todas; todas las muestras deben tener las mismas claves.") from None
        if type(elem) is dict:
            return collated
        try:
            return type(elem)(collated)
        except TypeError:
            return collated
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):   # namedtuple
        return type(elem)(*(default_collate(s) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        for i, b in enumerate(batch):
            if len(b) != size:
                raise RuntimeError(
                    f"default_collate: todas las muestras del lote deben tener el mismo número "
                    f"de elementos, pero la muestra 0 tiene {size} y la muestra {i} tiene "
                    f"{len(b)}.")
        transposed = [default_collate(s) for s in zip(*batch)]
        if isinstance(elem, tuple) or type(elem) is list:
            return transposed
        try:
            return type(elem)(transposed)
        except TypeError:
            return transposed
    raise _type_error(elem)


def default_convert(data):
    """Convierte sin juntar (``batch_size=None``): arrays de NumPy -> tensores, lo demás igual."""
    if isinstance(data, np.ndarray):
        return _tensor_from_array(data) if data.dtype.kind not in "USO" else data
    if isinstance(data, (np.bool_, np.number)):
        return _make(np.array(data))
    if isinstance(data, collections.abc.Mapping):
        converted = {key: default_convert(data[key]) for key in data}
        return converted if type(data) is dict else _rebuild(data, converted)
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        converted = [default_convert(d) for d in data]
        return converted if type(data) is list else _rebuild(data, converted)
    return data


def _rebuild(original, converted):
    try:
        return type(original)(converted)
    except TypeError:
        return converted
