"""Errores de las funciones de creación (``tensor``, ``zeros``, ``arange``...) en español.

Solo se construyen en el camino del fallo: tamaños que no son enteros, dimensiones negativas,
enteros que no caben en int64, textos u objetos de Python, rangos imposibles. Cada error tiene
la clase que lanza PyTorch y nombra el valor del usuario.
"""
import numbers
import operator

import numpy as np

from . import _dtypes


def size_type_error(size, fn):
    """TypeError (como PyTorch) que señala el primer tamaño que no es un entero."""
    items = size if isinstance(size, (tuple, list)) else (size,)
    pos, bad = 0, size
    for pos, bad in enumerate(items):
        try:
            operator.index(bad)
        except TypeError:
            break
    tip = ""
    if isinstance(bad, (float, np.floating)):
        tip = (" Si el tamaño sale de una división, usa la división entera (n // 2) o "
               f"conviértelo con int(...) (int({bad!r}) = {int(bad)} si de verdad quieres "
               "truncar)." if np.isfinite(bad) else "")
    elif isinstance(bad, str):
        tip = f" Convierte el texto a número antes: int({bad!r})."
    shown = tuple(items)
    return TypeError(
        f"{fn}(): el tamaño debe ser una tupla de enteros, pero recibió {shown}: el valor en la "
        f"posición {pos} es {bad!r} (de tipo {type(bad).__name__}).{tip}")


def negative_size_error(shape, fn):
    """RuntimeError (como PyTorch) para una forma con alguna dimensión negativa."""
    bad = next((s for s in shape if s < 0), None)
    return RuntimeError(
        f"{fn}(): no se puede crear un tensor con una dimensión negativa ({bad}) en el tamaño "
        f"{tuple(shape)}. Cada dimensión debe ser 0 o mayor; revisa cómo calculaste el tamaño.")


# --- errores de datos de Python (camino del fallo) -------------------------------------------
_INT64_MIN, _INT64_MAX = -2 ** 63, 2 ** 63 - 1


def overflow_error(values):
    """ValueError (como PyTorch: "Overflow when unpacking long long") que nombra el entero."""
    flat = np.asarray(values, dtype=object).ravel()
    too_big = np.frompyfunc(
        lambda v: isinstance(v, numbers.Integral) and not _INT64_MIN <= int(v) <= _INT64_MAX,
        1, 1)(flat).astype(bool)
    bad = int(flat[too_big][0]) if too_big.any() else flat.max()
    return ValueError(
        f"El entero {bad} no cabe en un tensor de enteros (int64 va de {_INT64_MIN} a "
        f"{_INT64_MAX}). Si es un número grande de verdad, créalo en punto flotante: "
        f"tensor([...], dtype=tinygrad_es.float64) o escríbelo como {float(bad)!r}; si no, "
        "revisa el cálculo que lo produjo (¿un desbordamiento o un identificador?).")


def check_int_leaves(data, leaves):
    """Solo enteros de Python y aun así floats: alguno no cabe en int64 (NumPy pasa
    ``[1, 2**63]`` a float64 en silencio; PyTorch infiere int64 y da este error)."""
    if leaves and not any(issubclass(k, float) for k in leaves):
        raise overflow_error(np.array(data, dtype=object))


def _first_leaf(data):
    while isinstance(data, (list, tuple)) and data:
        data = data[0]
    return data


def _preview(flat, n=3):
    shown = ", ".join(repr(v) for v in flat[:n].tolist())
    return shown + (", ..." if flat.size > n else "")


def from_python_objects(data, array, dtype):
    """Listas con textos, ``None``, objetos o enteros enormes (camino del fallo).

    Lanza el error con la clase de PyTorch; solo devuelve un array si PyTorch también lo crea
    (p. ej. ``tensor([2**64], dtype=float32)``).
    """
    flat = array.ravel()
    if array.dtype.kind in "US":
        # PyTorch: ['a', 'b'] -> ValueError ("too many dimensions 'str'"); [1, 'a'] -> TypeError
        cls = (ValueError if isinstance(data, (list, tuple))
               and isinstance(_first_leaf(data), (str, bytes)) else TypeError)
        raise cls(
            f"tensor() recibió textos ({_preview(flat)}), y un tensor solo guarda números o "
            "booleanos. Si son números escritos como texto, conviértelos antes: "
            "np.array(datos, dtype=np.float32) o [float(v) for v in datos]. Si son categorías "
            "(p. ej. 'gato', 'perro'), codifícalas como enteros: "
            "np.unique(datos, return_inverse=True)[1].")
    if array.dtype.kind == "O":
        is_int = np.frompyfunc(lambda v: isinstance(v, numbers.Integral), 1, 1)(flat).astype(bool)
        is_num = np.frompyfunc(lambda v: isinstance(v, (numbers.Real, np.bool_)), 1, 1)(
            flat).astype(bool)
        if is_num.all():
            if dtype is not None and np.dtype(dtype).kind == "f":
                return array.astype(dtype)   # PyTorch: tensor([2**64], dtype=float32) vale
            if is_int.all():
                raise overflow_error(flat)
            return array.astype(np.float64).astype(dtype or _dtypes.default_float)
        pos = int(np.argmax(~is_num))
        bad = flat[pos]
        where = np.unravel_index(pos, array.shape) if array.ndim > 1 else pos
        message = (f"tensor() no sabe convertir {bad!r} (de tipo {type(bad).__name__}, en la "
                   f"posición {where}) en un número. Un tensor solo guarda números o booleanos.")
        if isinstance(bad, (str, bytes)):
            raise TypeError(
                message + " Si son números escritos como texto, conviértelos antes con "
                "float(...); si son categorías, codifícalas como enteros.")
        # PyTorch: "Could not infer dtype of NoneType" (RuntimeError)
        raise RuntimeError(
            message + (" ¿Falta un valor? Rellénalo (p. ej. con 0 o float('nan')) antes de "
                       "crear el tensor." if bad is None else
                       " Convierte esos datos a listas de números antes."))
    raise TypeError(
        f"No se puede crear un tensor a partir de datos de tipo {type(data).__name__} "
        f"({array.dtype}): deben ser números o booleanos, en listas rectangulares.")


def check_ndarray(array, fn):
    """TypeError (como PyTorch) para ndarrays de objetos, textos o fechas; si no, nada."""
    kind = array.dtype.kind
    if kind in "OUSMmV":
        raise _ndarray_error(array, fn)


def _ndarray_error(array, fn):
    what = f"un ndarray de forma {tuple(array.shape)} y dtype {array.dtype}"
    pandas = (" Si viene de un DataFrame de pandas (df.values), revisa df.dtypes y convierte "
              "con df.to_numpy(dtype='float32').")
    if array.dtype.kind == "O":
        flat = array.ravel()
        is_num = np.frompyfunc(lambda v: isinstance(v, (numbers.Real, np.bool_)), 1, 1)(
            flat).astype(bool) if flat.size else np.ones(0, bool)
        if is_num.all():
            return TypeError(
                f"{fn}() no acepta {what}: aunque todos sus valores son números "
                f"({_preview(flat)}), están guardados como objetos de Python. Conviértelo "
                "antes: x.astype(np.float32) (o x.astype(float)), o, si viene de pandas, "
                "df.to_numpy(dtype='float32'). Suele pasar con df.values cuando el DataFrame "
                "mezcla columnas de distintos tipos.")
        pos = int(np.argmax(~is_num))
        bad = flat[pos]
        where = np.unravel_index(pos, array.shape)
        column = (f" (columna {where[-1]})" if array.ndim == 2 else "")
        where = where if array.ndim > 1 else pos
        return TypeError(
            f"{fn}() no acepta {what}: contiene {bad!r} (de tipo {type(bad).__name__}) en la "
            f"posición {where}{column}, que no es un número. Quita o convierte esos valores "
            "(textos numéricos: x.astype(float); categorías: codifícalas como enteros) y "
            "después usa x.astype(np.float32)." + pandas)
    if array.dtype.kind in "US":
        flat = array.ravel()
        try:
            flat[:50].astype(np.float64)
            tip = " Parecen números escritos como texto: x.astype(np.float32)."
        except ValueError:
            tip = (" Si son categorías, codifícalas como enteros: "
                   "np.unique(x, return_inverse=True)[1].")
        return TypeError(f"{fn}() no acepta {what} (textos: {_preview(flat)}): un tensor "
                         f"solo guarda números o booleanos.{tip}" + pandas)
    return TypeError(
        f"{fn}() no acepta {what}: un tensor solo guarda números o booleanos. Para fechas, "
        "conviértelas antes a números (p. ej. x.astype('int64') o segundos desde una fecha).")


def eye_error(n, m):
    for name, value in (("n", n), ("m", m)):
        if value is None:
            continue
        try:
            value = operator.index(value)
        except TypeError:
            return TypeError(f"eye(): {name} debe ser un entero, pero recibió {value!r} (de "
                             f"tipo {type(value).__name__}).")
        if value < 0:   # PyTorch: "n must be greater or equal to 0, got -1"
            return RuntimeError(f"eye(): {name} debe ser 0 o mayor, pero recibió {value}.")
    return TypeError(f"eye(): argumentos no válidos n={n!r}, m={m!r}.")


def arange_error(start, end, step, exc):
    call = f"arange({start!r}, {end!r}, {step!r})"
    bad = next((v for v in (start, end, step) if not isinstance(v, (numbers.Real, np.bool_))),
               None)
    if bad is not None:
        return TypeError(f"{call}: los extremos y el paso deben ser números, pero {bad!r} es "
                         f"de tipo {type(bad).__name__}.")
    if step == 0:   # PyTorch: "step must be nonzero"
        return RuntimeError(f"{call}: el paso (step) no puede ser 0. Usa, p. ej., step=1, o "
                            "linspace(inicio, fin, n) si quieres n puntos.")
    if not all(np.isfinite(v) for v in (start, end, step)):   # "unsupported range"
        return RuntimeError(f"{call}: los extremos y el paso deben ser finitos (sin inf ni "
                            "nan).")
    if exc is not None:
        return RuntimeError(f"{call}: no se puede crear ese rango ({exc}).")
    # PyTorch: "upper bound and larger bound inconsistent with step sign"
    sentido = "crecer (end > start)" if step > 0 else "decrecer (end < start)"
    fix = f"arange({start!r}, {end!r}, {-step!r})"
    return RuntimeError(
        f"{call}: el paso {step!r} tiene el signo contrario al del rango: con ese paso los "
        f"valores deberían {sentido}, pero van de {start!r} a {end!r}. Cambia el signo del "
        f"paso ({fix}) o intercambia los extremos.")
