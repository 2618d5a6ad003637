"""``nn.Embedding`` y ``nn.EmbeddingBag``: una tabla de vectores que se consulta por índice
(como PyTorch)."""
import operator

import numpy as np

from .. import _dtypes
from ..tensor import Tensor, _check_device, _make
from . import _functional_embedding as FE
from . import init
from .module import Module
from .parameter import Parameter


class Embedding(Module):
    """Tabla ``weight`` de forma (num_embeddings, embedding_dim); ``emb(idx)`` es
    ``weight[idx]``.

    Pesos iniciales N(0, 1) (con ``manual_seed``, los mismos que PyTorch) y la fila
    ``padding_idx`` a cero (y sin gradiente). ``max_norm`` reescala en su sitio las filas
    consultadas cuya norma lo supera.
    """

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None,
                 norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None,
                 _freeze=False, device=None, dtype=None):
        super().__init__()
        _check_device(device)
        self.num_embeddings = operator.index(num_embeddings)
        self.embedding_dim = operator.index(embedding_dim)
        if padding_idx is not None:
            if padding_idx >= num_embeddings or padding_idx < -num_embeddings:
                raise AssertionError(
                    f"padding_idx={padding_idx} debe estar dentro de num_embeddings: entre "
                    f"{-num_embeddings} y {num_embeddings - 1}.")
            if padding_idx < 0:
                padding_idx = num_embeddings + padding_idx
        self.padding_idx = padding_idx
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        if sparse:
            raise NotImplementedError(
                "nn.Embedding(sparse=True) necesita gradientes dispersos, que tinygrad_es no "
                "tiene: usa sparse=False (el gradiente denso da los mismos números).")
        self.sparse = sparse
        if _weight is None:
            dtype = np.dtype(dtype or _dtypes.default_float)
            data = np.empty((self.num_embeddings, self.embedding_dim), dtype)
            self.weight = Parameter(_make(data), requires_grad=not _freeze)
            self.reset_parameters()
        else:
            if tuple(_weight.shape) != (self.num_embeddings, self.embedding_dim):
                raise AssertionError(
                    f"La forma de _weight {tuple(_weight.shape)} no coincide con "
                    f"(num_embeddings, embedding_dim) = "
                    f"({self.num_embeddings}, {self.embedding_dim}).")
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self):
        init.normal_(self.weight)
        self._fill_padding_idx_with_zero()

    def _fill_padding_idx_with_zero(self):
        if self.padding_idx is not None:
            self.weight._data[self.padding_idx] = 0
            self.weight._bump_version()

    def forward(self, input):
        return FE.embedding(input, self.weight, self.padding_idx, self.max_norm,
                            self.norm_type, self.scale_grad_by_freq, self.sparse)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        return s

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None,
                        norm_type=2.0, scale_grad_by_freq=False, sparse=False):
        """Un Embedding cuyos pesos son ``embeddings`` (2-D; comparte su memoria). Con
        ``freeze=True`` (por defecto) los pesos no se entrenan."""
        if not isinstance(embeddings, Tensor) or embeddings.dim() != 2:
            raise AssertionError(
                "from_pretrained espera una tabla de pesos 2-D (num_embeddings, embedding_dim).")
        rows, cols = embeddings.shape
        return cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings, _freeze=freeze,
                   padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                   scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


class EmbeddingBag(Module):
    """Como ``Embedding`` pero reduce cada bolsa de índices a un vector: suma, media (por
    defecto) o máximo. ``bolsas(idx, offsets)`` con ``idx`` 1-D, o ``bolsas(idx)`` con una
    bolsa por fila de ``idx`` 2-D. Pesos iniciales N(0, 1), como PyTorch."""

    def __init__(self, num_embeddings, embedding_dim, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, mode="mean", sparse=False, _weight=None,
                 include_last_offset=False, padding_idx=None, device=None, dtype=None):
        super().__init__()
        _check_device(device)
        self.num_embeddings = operator.index(num_embeddings)
        self.embedding_dim = operator.index(embedding_dim)
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        if padding_idx is not None:
            padding_idx = FE._check_padding_idx(padding_idx, self.num_embeddings)
        self.padding_idx = padding_idx
        if sparse:
            raise NotImplementedError(
                "nn.EmbeddingBag(sparse=True) necesita gradientes dispersos, que tinygrad_es "
                "no tiene: usa sparse=False (el gradiente denso da los mismos números).")
        if mode not in ("sum", "mean", "max"):
            raise ValueError(f"EmbeddingBag: mode debe ser 'sum', 'mean' o 'max', no {mode!r}.")
        self.mode = mode
        self.sparse = sparse
        self.include_last_offset = include_last_offset
        if _weight is None:
            dtype = np.dtype(dtype or _dtypes.default_float)
            data = np.empty((self.num_embeddings, self.embedding_dim), dtype)
            self.weight = Parameter(_make(data))
            self.reset_parameters()
        else:
            if tuple(_weight.shape) != (self.num_embeddings, self.embedding_dim):
                raise AssertionError(
                    f"La forma de _weight {tuple(_weight.shape)} no coincide con "
                    f"({self.num_embeddings}, {self.embedding_dim}).")
            self.weight = Parameter(_weight)

    def reset_parameters(self):
        init.normal_(self.weight)
        if self.padding_idx is not None:
            self.weight._data[self.padding_idx] = 0
            self.weight._bump_version()

    def forward(self, input, offsets=None, per_sample_weights=None):
        return FE.embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type,
                                self.scale_grad_by_freq, self.mode, self.sparse,
                                per_sample_weights, self.include_last_offset, self.padding_idx)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm!r}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type!r}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq!r}"
        s += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx!r}"
        return s

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, max_norm=None, norm_type=2.0,
                        scale_grad_by_freq=False, mode="mean", sparse=False,
                        include_last_offset=False, padding_idx=None):
        """Un EmbeddingBag con los pesos ``embeddings`` (2-D); ``freeze=True``: no se entrenan."""
        if not isinstance(embeddings, Tensor) or embeddings.dim() != 2:
            raise AssertionError(
                "from_pretrained espera una tabla de pesos 2-D (num_embeddings, embedding_dim).")
        rows, cols = embeddings.shape
        bag = cls(rows, cols, max_norm, norm_type, scale_grad_by_freq, mode, sparse,
                  embeddings, include_last_offset, padding_idx)
        bag.weight.requires_grad = not freeze
        return bag
