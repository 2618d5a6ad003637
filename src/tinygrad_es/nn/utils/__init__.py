"""``nn.utils``: recorte de gradientes y conversión entre parámetros y un vector plano.

    from tinygrad_es.nn.utils import clip_grad_norm_
    norma = clip_grad_norm_(modelo.parameters(), max_norm=1.0)
"""
from .clip_grad import clip_grad_norm, clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_, \
    get_total_norm
from .convert_parameters import parameters_to_vector, vector_to_parameters
from . import rnn  # noqa: E402  (pad_sequence, pack_padded_sequence... h_rnn)

__all__ = [
    "clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "clip_grads_with_norm_",
    "get_total_norm", "parameters_to_vector", "vector_to_parameters", "rnn",
]

_SIN_EQUIVALENTE = {
    "weight_norm": "escribe la reparametrización en el forward de tu módulo",
    "spectral_norm": "escribe la reparametrización en el forward de tu módulo",
}


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    hint = _SIN_EQUIVALENTE.get(name)
    raise AttributeError(
        f"torch.nn.utils.{name} no está disponible en tinygrad_es"
        + (f": {hint}." if hint else ". Están: " + ", ".join(__all__) + "."))

# --- una llamada con argumentos que no encajan: TypeError en español (_arguments.py) ---
from ..._arguments import wrap_namespace as _wrap_namespace  # noqa: E402
_wrap_namespace(globals(), "torch.nn.utils.")
