"""``parameters_to_vector`` y ``vector_to_parameters``: todos los parámetros como un vector."""
from ...functions import cat
from ...tensor import Tensor


def parameters_to_vector(parameters):
    """Concatena los parámetros aplanados en un solo vector (con gradiente hacia ellos)."""
    params = list(parameters) if not isinstance(parameters, Tensor) else [parameters]
    for p in params:
        if not isinstance(p, Tensor):
            raise TypeError(
                f"parameters_to_vector espera tensores (p. ej. modelo.parameters()), pero "
                f"recibió un {type(p).__name__}.")
    return cat([p.view(-1) for p in params])


def vector_to_parameters(vec, parameters):
    """Copia trozos consecutivos de ``vec`` en los parámetros (que pasan a compartir su memoria)."""
    if not isinstance(vec, Tensor):
        raise TypeError(
            f"vector_to_parameters espera que vec sea un tensor, pero es "
            f"{type(vec).__name__}. Conviértelo con torch.tensor(...).")
    params = list(parameters) if not isinstance(parameters, Tensor) else [parameters]
    total, needed = vec.numel(), sum(p.numel() for p in params)
    if needed > total:
        raise RuntimeError(
            f"vector_to_parameters: el vector tiene {total} elementos, pero los parámetros "
            f"tienen {needed} en total: el vector debe tener al menos la suma de param.numel() "
            "de todos los parámetros (p. ej. el que da parameters_to_vector).")
    pointer = 0
    for param in params:
        num = param.numel()
        param.data = vec[pointer:pointer + num].view_as(param).data
        pointer += num
