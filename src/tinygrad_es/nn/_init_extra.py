"""``nn.init.dirac_`` y ``nn.init.orthogonal_`` con el algoritmo (y los números) de PyTorch.

``orthogonal_`` sortea una matriz normal con ``normal_`` (el mismo orden de sorteo que PyTorch
bajo ``manual_seed``), la factoriza con QR (LAPACK, como PyTorch) y fija el signo de cada
columna con el de la diagonal de R, así que da la misma matriz que PyTorch.
"""
import math
import warnings

import numpy as np

from .._random import default_generator
from .._random import distributions as dist
from ..autograd.grad_mode import no_grad


def dirac_(tensor, groups=1):
    """Delta de Dirac para pesos de convolución (3, 4 o 5 dimensiones): la convolución deja
    pasar la entrada tal cual (cada grupo, en sus canales)."""
    data = tensor._data
    dims = data.ndim
    if dims not in (3, 4, 5):
        raise ValueError(
            f"dirac_ solo admite tensores de 3, 4 o 5 dimensiones (pesos de conv1d, conv2d o "
            f"conv3d), pero este tiene forma {tuple(data.shape)}.")
    if data.shape[0] % groups != 0:
        raise ValueError(
            f"dirac_: la dimensión 0 ({data.shape[0]}) debe ser divisible entre groups "
            f"({groups}).")
    per_group = data.shape[0] // groups
    min_dim = min(per_group, data.shape[1])
    center = tuple(s // 2 for s in data.shape[2:])
    with no_grad():
        data[...] = 0
        for g in range(groups):
            for d in range(min_dim):
                data[(g * per_group + d, d) + center] = 1
        tensor._bump_version()
    return tensor


def orthogonal_(tensor, gain=1, generator=None):
    """Matriz (semi)ortogonal aleatoria multiplicada por ``gain`` (Saxe et al., 2013).

    Un tensor de más de 2 dimensiones se trata como una matriz (filas = dimensión 0).
    """
    data = tensor._data
    if data.ndim < 2:
        raise ValueError(
            f"orthogonal_ solo admite tensores de 2 o más dimensiones, pero este tiene forma "
            f"{tuple(data.shape)}.")
    if data.size == 0:
        return tensor
    rows = data.shape[0]
    cols = data.size // rows
    flat = type(tensor)._wrap(np.empty((rows, cols), dtype=data.dtype))
    with no_grad():
        flat.normal_(0, 1, generator=generator)
    a = flat._data.T if rows < cols else flat._data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        q, r = np.linalg.qr(a)
    q = (q * np.sign(np.diagonal(r))).astype(data.dtype, copy=False)
    if rows < cols:
        q = q.T
    with no_grad():
        data[...] = q.reshape(data.shape)
        data *= data.dtype.type(gain)
        tensor._bump_version()
    return tensor


def sparse_(tensor, sparsity, std=0.01, generator=None):
    """Matriz dispersa (Martens, 2010): valores de N(0, std²) y, en cada columna, una fracción
    ``sparsity`` de las filas a cero (``ceil(sparsity · filas)``, elegidas al azar).

    Como PyTorch 2.13: la normal usa ``generator``, pero las filas de cada columna se eligen con
    ``randperm`` del generador global; con las mismas semillas, los mismos números.

    Ejemplo::

        >>> w = torch.empty(5, 3)
        >>> _ = nn.init.sparse_(w, sparsity=0.4)
        >>> (w == 0).sum(0)
        tensor([2, 2, 2])
    """
    data = tensor._data
    if data.ndim != 2:
        raise ValueError(
            f"sparse_ solo admite tensores de 2 dimensiones, pero este tiene forma "
            f"{tuple(data.shape)}.")
    rows, cols = data.shape
    num_zeros = math.ceil(sparsity * rows)
    with no_grad():
        tensor.normal_(0, std, generator=generator)
        for col in range(cols):
            with default_generator._lock:
                order = dist.randperm(default_generator, rows)
            data[order[:num_zeros], col] = 0
        tensor._bump_version()
    return tensor
