"""Los puntos donde ``tinygrad_es.compile`` escucha mientras captura una llamada.

``compile`` (ver ``_compile/``) ejecuta la primera llamada de forma normal y, mientras tanto,
apunta cada cálculo de NumPy que hace el paquete para repetirlo después sin Tensores ni nodos.
Casi todo pasa por tres caminos que el capturador ya escucha (``_apply`` de cada operación, el
motor de ``backward`` y las escrituras in situ de ``_inplace.py``). Este módulo da a los demás
sitios del paquete tres ganchos pequeños:

- ``@macro``: una función con efectos que se repite entera en cada llamada capturada
  (``optimizer.step()``, ``zero_grad()``, el paso de un planificador de lr...);
- ``@array_step``: una función de ayuda que calcula arrays fuera de una operación (la máscara
  aleatoria de dropout, las medias de batch norm): se vuelve a llamar en cada repetición, así
  que las máscaras cambian y las estadísticas siguen a los datos, igual que sin compilar;
- ``read(t)``: leer el valor de un tensor desde Python (``.item()``, ``bool(t)``...) hace que
  esa llamada no se pueda capturar: ``compile`` lo avisa y la sigue ejecutando sin compilar.
  Lo mismo una escritura in situ que nadie apuntó: la ve ``_bump_version``, que llama a
  ``mutation`` de la captura directamente (es el camino de cada paso del optimizador).

Sin captura en marcha cada gancho cuesta leer un atributo (``per_thread.mode._capture``, sin
pasar por la propiedad).
"""
import functools
from typing import Any, Callable, TypeVar, cast

from .autograd.graph import per_thread


class Structure:
    """Cuenta los cambios de estructura de los módulos (un parámetro o submódulo nuevo,
    ``train()``/``eval()``): una captura de ``compile`` vale mientras no cambie."""

    version = 0


def structure_changed():
    Structure.version += 1


_F = TypeVar("_F", bound=Callable[..., Any])


def macro(fn: _F) -> _F:
    """``fn`` se apunta entera (no lo que hace por dentro) y se repite en cada llamada."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        capture = per_thread.mode._capture
        if capture is None:
            return fn(*args, **kwargs)
        return capture.macro(fn, args, kwargs)
    return cast(_F, wrapper)   # la misma firma para mypy y los editores


# Una función de ayuda que calcula arrays fuera de una operación (la máscara de dropout, las
# medias de batch norm) se apunta igual que una macro: se vuelve a llamar en cada repetición.
array_step = macro


def constant(array):
    """``array`` depende solo de formas y opciones, no de valores (el divisor de una media por
    ventanas, los pesos de un pool adaptativo): la captura lo guarda como constante."""
    capture = per_thread.mode._capture
    if capture is not None:
        capture.constant(array)
    return array


def inplace(tensor, ufunc, value):
    """``ufunc(tensor, value, out=tensor)`` ya hecho (o ``tensor[...] = value`` si ``ufunc`` es
    None): se apunta para repetirlo."""
    capture = per_thread.mode._capture
    if capture is not None:
        capture.inplace(tensor, ufunc, value)


def alias(new, tensor):
    """``new`` comparte la memoria de ``tensor`` (``t.data``, ``t.detach()``): son el mismo."""
    capture = per_thread.mode._capture
    if capture is not None:
        capture.alias(new, tensor)
    return new


def rebind(tensor, array):
    """``t.data = otro``: el tensor pasa a otra memoria (no se puede repetir). ``t.data -= x``
    también asigna, pero la misma memoria: eso sí vale."""
    capture = per_thread.mode._capture
    if capture is not None and array is not tensor._data:
        capture.fail("se asignó t.data = ... dentro de la función: usa t.copy_(...) o "
                     "with torch.no_grad(): t -= ...")


def read(tensor, how):
    """Python lee el valor de ``tensor`` (``how``: ``".item()"``, ``"bool(t)"``...)."""
    capture = per_thread.mode._capture
    if capture is not None:
        capture.read(tensor, how)


def _wrapper_codes():
    """El código de las envolturas de arriba: un TypeError de argumentos que nace en ellas es
    del que llama (lo usa ``_arguments.py`` para dar el mensaje en español)."""
    return {macro(len).__code__}


WRAPPER_CODES = _wrapper_codes()
