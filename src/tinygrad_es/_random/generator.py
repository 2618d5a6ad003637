"""``Generator``: el flujo de números aleatorios de PyTorch en CPU, reproducido con NumPy.

PyTorch usa en CPU un Mersenne Twister (mt19937) sembrado como ``std::mt19937``: la semilla
(un entero de 64 bits) se guarda entera, pero el estado se inicializa con sus 32 bits bajos.
NumPy trae el mismo generador de bits (``np.random.MT19937``) y su siembra «legacy»
(``_legacy_seeding``) es esa misma inicialización, así que las palabras de 32 bits que salen
aquí son, una a una, las de PyTorch. Lo que PyTorch llama ``random()`` es una palabra y
``random64()`` son dos (la primera en los 32 bits altos).

El estado que devuelven ``get_state``/``get_rng_state`` tiene los mismos 5056 bytes que el de
PyTorch (la estructura ``CPUGeneratorImplState``): se puede pasar de uno a otro.

Este módulo está por debajo de ``tensor.py`` en las capas (no lo importa): la clase ``Tensor``
(para devolver el estado como tensor) se la da ``tensor.py`` al definirla.
"""
import operator
import os
import threading

import numpy as np

_DEFAULT_SEED = 67280421310721      # la semilla de ``torch.Generator()`` recién creado
_STATE_BYTES = 5056
_N = 624                            # palabras de estado de mt19937
_MASK24 = np.uint32(0xFFFFFF)
_MASK53 = np.uint64((1 << 53) - 1)
_U64_32 = np.uint64(32)

Tensor = None   # la clase Tensor: la pone tensor.py al definirla


def _seed_value(seed, fn):
    """Entero de 64 bits sin signo como lo acepta PyTorch (los negativos dan la vuelta)."""
    try:
        value = operator.index(seed)
    except TypeError:
        raise TypeError(
            f"{fn} espera un número entero como semilla, pero recibió {seed!r} (de tipo "
            f"{type(seed).__name__}). Usa, por ejemplo, {fn}(0).") from None
    if not -(1 << 63) <= value < (1 << 64):
        raise ValueError(
            f"La semilla {value} no cabe en 64 bits: usa un entero entre {-(1 << 63)} y "
            f"{(1 << 64) - 1}.")
    return value & ((1 << 64) - 1)


def _nondeterministic_seed():
    return int.from_bytes(os.urandom(8), "little")


class Generator:
    """Como ``torch.Generator``: un flujo de números aleatorios con su propia semilla.

    ``g = Generator().manual_seed(42)`` y ``torch.rand(3, generator=g)`` dan los mismos
    números que en PyTorch con la misma semilla. Un ``Generator()`` nuevo empieza con la
    semilla por defecto de PyTorch (67280421310721).
    """

    def __init__(self, device="cpu"):
        from .._device import _check_device
        _check_device(device)
        self._bits = np.random.MT19937(0)
        self._np = np.random.Generator(self._bits)   # mismo estado: solo para sacar palabras
        self._lock = threading.Lock()
        self._set_seed(_DEFAULT_SEED)

    def _set_seed(self, seed):
        self._seed = seed
        self._bits._legacy_seeding(seed & 0xFFFFFFFF)
        self._normal = None          # la segunda normal de Box-Muller guardada (float64)
        self._float_normal = None    # ídem en float32 (PyTorch la guarda; aquí no se usa)

    @property
    def device(self):
        from .._device import device
        return device("cpu")

    def manual_seed(self, seed):
        """Fija la semilla (un entero; los negativos dan la vuelta a 64 bits) y devuelve el
        generador, como en PyTorch: ``g = Generator().manual_seed(0)``."""
        with self._lock:
            self._set_seed(_seed_value(seed, "manual_seed"))
        return self

    def seed(self):
        """Siembra con una semilla imprevisible (de ``os.urandom``) y la devuelve."""
        value = _nondeterministic_seed()
        with self._lock:
            self._set_seed(value)
        return value

    def initial_seed(self):
        """La semilla con la que se sembró por última vez (entera, de 64 bits)."""
        return self._seed

    def __getstate__(self):   # copy.deepcopy / pickle: el estado completo (sin el cerrojo)
        with self._lock:
            return {"state": self._state_bytes()}

    def __setstate__(self, saved):
        self.__init__()
        self._load_state_bytes(saved["state"])

    # --- estado en el formato de PyTorch -------------------------------------------------
    def get_state(self):
        """Estado completo como tensor ``uint8`` de 5056 bytes (el mismo de PyTorch)."""
        with self._lock:
            raw = self._state_bytes()
        return Tensor._wrap(raw)

    def set_state(self, new_state):
        """Restaura un estado de ``get_state`` (de este generador o de PyTorch)."""
        raw = _state_array(new_state)
        with self._lock:
            self._load_state_bytes(raw)
        return self

    def _state_bytes(self):
        state = self._bits.state["state"]
        key, pos = state["key"], int(state["pos"])
        fresh = pos == _N and np.array_equal(key, _seeded_key(self._seed))
        out = np.zeros(_STATE_BYTES, dtype=np.uint8)
        out[0:8] = np.frombuffer(np.uint64(self._seed).tobytes(), np.uint8)
        out[8:12] = np.frombuffer(np.int32(_N + 1 - pos).tobytes(), np.uint8)   # left
        out[12:16] = np.frombuffer(np.int32(1).tobytes(), np.uint8)             # seeded
        out[16:24] = np.frombuffer(np.uint64(0 if fresh else pos).tobytes(), np.uint8)  # next
        out[24:24 + 8 * _N] = key.astype("<u8").view(np.uint8)
        if self._normal is not None:
            out[5024:5032] = np.frombuffer(np.float64(self._normal).tobytes(), np.uint8)
            out[5040:5044] = np.frombuffer(np.int32(1).tobytes(), np.uint8)
        if self._float_normal is not None:
            out[5048:5052] = np.frombuffer(np.float32(self._float_normal).tobytes(), np.uint8)
            out[5052] = 1
        return out

    def _load_state_bytes(self, raw):
        left = int(raw[8:12].view("<i4")[0])
        seeded = int(raw[12:16].view("<i4")[0])
        nxt = int(raw[16:24].view("<u8")[0])
        if not (seeded and 0 < left <= _N and nxt <= _N):
            raise RuntimeError(
                "set_state: el estado no es válido (los contadores de mt19937 están fuera de "
                "rango). Usa un estado obtenido con get_state() o torch.get_rng_state().")
        key = raw[24:24 + 8 * _N].view("<u8").astype(np.uint32)
        self._bits.state = {"bit_generator": "MT19937",
                            "state": {"key": key, "pos": _N + 1 - left}}
        self._seed = int(raw[0:8].view("<u8")[0])
        valid = int(raw[5040:5044].view("<i4")[0])
        self._normal = float(raw[5024:5032].view("<f8")[0]) if valid else None
        self._float_normal = (np.float32(raw[5048:5052].view("<f4")[0]) if raw[5052]
                              else None)

    # --- palabras aleatorias (lo que PyTorch llama random() y random64()) ---------------
    def _words(self, n):
        """``n`` palabras de 32 bits (``random()``) como uint32."""
        return self._np.integers(0, 1 << 32, size=n, dtype=np.uint32)

    def _words64(self, n):
        """``n`` enteros de 64 bits (``random64()``: dos palabras, la primera arriba)."""
        if _NEXT64_IN_ORDER:
            return self._np.integers(0, 1 << 64, size=n, dtype=np.uint64)
        w = self._bits.random_raw(2 * n).reshape(n, 2)
        return (w[:, 0] << _U64_32) | w[:, 1]

    def _uniform32(self, n):
        """``n`` uniformes float32 en [0, 1): 24 bits de una palabra por 2**-24."""
        w = self._words(n)
        w &= _MASK24
        out = w.astype(np.float32)
        out *= np.float32(2.0 ** -24)
        return out

    def _bits53(self, n):
        """Los 53 bits de ``random64()`` que usa una uniforme float64 (uint64)."""
        w = self._words64(n)
        w &= _MASK53
        return w

    def _uniform64(self, n):
        """``n`` uniformes float64 en [0, 1): 53 bits de ``random64()`` por 2**-53."""
        out = self._bits53(n).astype(np.float64)
        out *= 2.0 ** -53
        return out


def _next64_in_order():
    """¿``Generator.integers`` de 64 bits junta las dos palabras como PyTorch (la primera
    arriba)? Es lo rápido; si esta compilación de NumPy las juntara al revés, se juntan a
    mano."""
    a, b = np.random.MT19937(0), np.random.MT19937(0)
    a._legacy_seeding(1)
    b._legacy_seeding(1)
    fast = np.random.Generator(a).integers(0, 1 << 64, size=4, dtype=np.uint64)
    w = b.random_raw(8)
    return bool(np.array_equal(fast, (w[0::2] << _U64_32) | w[1::2]))


_NEXT64_IN_ORDER = _next64_in_order()


def _seeded_key(seed):
    bits = np.random.MT19937(0)
    bits._legacy_seeding(seed & 0xFFFFFFFF)
    return bits.state["state"]["key"]


def _state_array(new_state):
    """Los bytes de un estado (Tensor uint8 o ndarray), con el error de PyTorch si no encaja."""
    data = getattr(new_state, "_data", new_state)
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8:
        kind = getattr(data, "dtype", type(data).__name__)
        raise TypeError(
            f"El estado del generador debe ser un tensor uint8 (torch.ByteTensor) como el que "
            f"devuelve get_rng_state(), pero se recibió {kind}.")
    raw = np.ascontiguousarray(data).reshape(-1)
    if raw.size != _STATE_BYTES:
        raise RuntimeError(
            f"El estado del generador debe tener {_STATE_BYTES} bytes (el formato de PyTorch "
            f"en CPU), pero tiene {raw.size}.")
    return raw.copy()


default_generator = Generator()
default_generator.seed()


def get_generator(generator):
    """El generador que hay que usar: el dado o el global."""
    if generator is None:
        return default_generator
    if not isinstance(generator, Generator):
        raise TypeError(
            f"generator debe ser un tinygrad_es.Generator (o None para el global), pero se "
            f"recibió {type(generator).__name__}.")
    return generator


def manual_seed(seed):
    """Fija la semilla global: el mismo programa da los mismos números (los de PyTorch)."""
    try:
        seed = int(seed)        # como torch.manual_seed: 1.5 -> 1, "3" -> 3
    except (TypeError, ValueError):
        raise TypeError(f"manual_seed espera un número entero como semilla, pero recibió "
                        f"{seed!r}.") from None
    return default_generator.manual_seed(seed)


def seed():
    """Siembra el generador global con una semilla imprevisible y la devuelve."""
    return default_generator.seed()


def initial_seed():
    """La semilla del generador global (la de ``manual_seed`` o la de ``seed``)."""
    return default_generator.initial_seed()


def get_rng_state():
    """Estado del generador global (tensor uint8, el mismo formato que PyTorch)."""
    return default_generator.get_state()


def set_rng_state(new_state):
    """Restaura el estado global guardado con ``get_rng_state``."""
    default_generator.set_state(new_state)
