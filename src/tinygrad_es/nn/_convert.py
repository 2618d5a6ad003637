"""Cambio de dtype y de dispositivo de un ``Module`` (``to``, ``float``, ``double``...)."""
import numpy as np

from ..errors import cpu_only_error
from ..tensor import Tensor, _check_device


class ConversionMixin:
    """Convierte parámetros y buffers en su sitio: los objetos ``Parameter`` no cambian."""

    def to(self, *args, **kwargs):
        """``to("cpu")`` no hace nada; ``to(torch.float64)`` convierte parámetros y buffers."""
        dtype = kwargs.pop("dtype", None)
        _check_device(kwargs.pop("device", None))
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif isinstance(arg, np.dtype) or (isinstance(arg, type)
                                               and issubclass(arg, np.generic)):
                dtype = np.dtype(arg)
            else:
                _check_device(arg)
        if dtype is not None:
            dtype = np.dtype(dtype)
            if dtype.kind != "f":
                raise TypeError(
                    "Module.to() solo convierte a tipos de punto flotante, pero recibió "
                    f"{dtype}. Usa model.float() o model.double().")
            self._convert_floats(dtype)
        return self

    def _convert_floats(self, dtype):
        """Cambia el dtype de parámetros y buffers flotantes sin cambiar los objetos."""
        for module in self.modules():
            tensors = list(module._parameters.values()) + list(module._buffers.values())
            for t in tensors:
                if t is None or t._data.dtype.kind != "f" or t._data.dtype == dtype:
                    continue
                t._data = t._data.astype(dtype)
                if t.grad is not None:
                    t.grad._data = t.grad._data.astype(dtype)
        return self

    def float(self):
        return self._convert_floats(np.dtype(np.float32))

    def double(self):
        return self._convert_floats(np.dtype(np.float64))

    def half(self):
        return self._convert_floats(np.dtype(np.float16))

    def type(self, dst_type):
        return self._convert_floats(np.dtype(dst_type))

    def cpu(self):
        return self

    def cuda(self, device=None):
        raise cpu_only_error()
