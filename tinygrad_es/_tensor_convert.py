"""Conversiones de ``Tensor``: ``to``, ``type``, ``float()``, ``long()``... y el dispositivo (solo CPU)."""
import numpy as np

from . import _dtypes
from ._device import _check_device
from .errors import cpu_only_error
from .ops import elementwise as ew


class ConvertMixin:
    __slots__ = ()

    def to(self, *args, dtype=None, **kwargs):
        """``to("cpu")``, ``to(torch.float64)``, ``to(device, dtype)``."""
        _check_device(kwargs.get("device"))
        for arg in args:
            if isinstance(arg, np.dtype) or (isinstance(arg, type) and issubclass(arg, np.generic)):
                dtype = arg
            elif hasattr(arg, "_data"):
                dtype = arg.dtype
            else:
                _check_device(arg)
        return self.type(dtype) if dtype is not None else self

    def cpu(self):
        return self

    def cuda(self, *args, **kwargs):
        raise cpu_only_error()

    def type(self, dtype=None):
        if dtype is None:
            return _dtypes.dtype_name(self._data.dtype)
        dtype = np.dtype(dtype)
        if dtype == self._data.dtype:
            return self
        return self._apply(ew.Cast, self, dtype=dtype)

    def float(self):
        return self.type(_dtypes.float32)

    def double(self):
        return self.type(_dtypes.float64)

    def long(self):
        return self.type(_dtypes.int64)

    def int(self):
        return self.type(_dtypes.int32)

    def bool(self):
        return self.type(_dtypes.bool)

    def half(self):
        return self.type(_dtypes.float16)
