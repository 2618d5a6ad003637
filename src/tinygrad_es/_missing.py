"""Un nombre de PyTorch que tinygrad_es no tiene: un ``AttributeError`` en español.

Cada espacio de nombres (``tinygrad_es``, ``nn``, ``nn.functional``, ``optim``...) llama aquí
desde su ``__getattr__`` de módulo, que Python solo usa cuando el nombre no existe: no cuesta
nada a los nombres que sí existen. La clase de la excepción es la misma que la de Python, así
que ``hasattr`` sigue funcionando. ``Tensor.__getattr__`` también llama aquí; en una clase,
CPython 3.11 deja de especializar el acceso a los atributos de cada tensor: medido con
cachegrind, +9,7 % de instrucciones por operación diminuta y +0,9 % en el paso del MLP del
curso (para quitar esa sobrecarga, y más, está ``tinygrad_es.compile``).
"""
import difflib

# Nombres de PyTorch sin equivalente aquí, y qué usar en su lugar.
_ATENCION = "construye el bloque con F.scaled_dot_product_attention, nn.Linear y nn.LayerNorm"
HINTS = {
    "tinygrad_es.fft": "usa numpy.fft sobre t.numpy() (sin gradiente)",
    "tinygrad_es.special": "las funciones más usadas están en torch (erf, logit, xlogy...)",
    "tinygrad_es.sparse": "tinygrad_es solo tiene tensores densos: usa un tensor normal",
    "tinygrad_es.jit": "usa tinygrad_es.compile(modelo o función)",
    "tinygrad_es.distributed": "tinygrad_es se ejecuta en un solo proceso y en la CPU",
    "tinygrad_es.nn.Transformer": _ATENCION,
    "tinygrad_es.nn.TransformerEncoder": _ATENCION,
    "tinygrad_es.nn.TransformerEncoderLayer": _ATENCION,
    "tinygrad_es.nn.TransformerDecoderLayer": _ATENCION,
    "tinygrad_es.nn.MultiheadAttention": _ATENCION,
    "tinygrad_es.nn.DataParallel": "tinygrad_es se ejecuta en un solo proceso: usa el modelo tal cual",
}


def missing(namespace, name, available):
    """El ``AttributeError`` para ``namespace.name``; ``available``: los nombres que sí hay."""
    if name.startswith("_"):   # protocolos de Python y nombres privados: el error de siempre
        return AttributeError(name)
    full = f"{namespace}.{name}"
    shown = full.replace("tinygrad_es", "torch", 1)
    hint = HINTS.get(full)
    if hint:
        text = f"{shown} no existe en tinygrad_es: {hint}."
    else:
        public = sorted({n for n in available if not n.startswith("_")})
        close = difflib.get_close_matches(name, public, n=3, cutoff=0.75)
        text = f"{shown} no existe en tinygrad_es."
        if close:
            text += " ¿Querías decir " + " o ".join(close) + "?"
        text += (" La lista de nombres de PyTorch disponibles está en docs/cobertura_api.md.")
    error = AttributeError(text)
    error.name = name
    return error


def module_getattr(module_name, namespace):
    """Un ``__getattr__`` de módulo para ``namespace`` (el ``globals()`` del módulo)."""
    def __getattr__(name):
        raise missing(module_name, name, namespace)
    return __getattr__
