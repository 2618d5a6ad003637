"""Tablas de tipos del formato de ``torch.save``: dtypes, clases de almacenamiento y de tensor.

Solo son nombres (textos): nada de aquí importa PyTorch. ``_unpickler`` y ``_pickler`` las usan
para traducir entre los globales que escribe ``torch.save`` y los dtypes de NumPy.
"""
import numpy as np

# dtype de PyTorch -> dtype de NumPy (orden nativo). bfloat16 no existe en NumPy: se lee como
# uint16 y se convierte a float32 (ver ``_rebuild.py``).
NUMPY_DTYPES = {
    "float64": np.dtype(np.float64), "float32": np.dtype(np.float32),
    "float16": np.dtype(np.float16), "int64": np.dtype(np.int64), "int32": np.dtype(np.int32),
    "int16": np.dtype(np.int16), "int8": np.dtype(np.int8), "uint8": np.dtype(np.uint8),
    "uint16": np.dtype(np.uint16), "uint32": np.dtype(np.uint32),
    "uint64": np.dtype(np.uint64), "bool": np.dtype(np.bool_),
    "bfloat16": np.dtype(np.uint16),
}

# Tipos que PyTorch guarda pero tinygrad_es no puede representar, con qué hacer en PyTorch.
_COMPLEX = ("tinygrad_es no tiene números complejos. En PyTorch guárdalo como dos tensores "
            "reales con torch.view_as_real(t)")
_QUANT = ("tinygrad_es no tiene tensores cuantizados. En PyTorch pásalo a float con "
          "t.dequantize()")
_SMALL = ("tinygrad_es no tiene ese tipo de pocos bits. En PyTorch conviértelo con t.float() "
          "o t.to(torch.int8)")
UNSUPPORTED_DTYPES = {
    **{name: _COMPLEX for name in ("complex32", "complex64", "complex128")},
    **{name: _QUANT for name in ("qint8", "qint32", "quint8", "quint4x2", "quint2x4")},
    **{name: _SMALL for name in (
        "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu",
        "float4_e2m1fn_x2", "bits16", "bits1x8", "bits2x4", "bits4x2", "bits8",
        *(f"uint{n}" for n in range(1, 8)), *(f"int{n}" for n in range(1, 8)))},
}

# Clase de almacenamiento "antigua" (la que escribe torch.save en el pickle) -> dtype.
STORAGE_DTYPES = {
    "DoubleStorage": "float64", "FloatStorage": "float32", "HalfStorage": "float16",
    "LongStorage": "int64", "IntStorage": "int32", "ShortStorage": "int16",
    "CharStorage": "int8", "ByteStorage": "uint8", "BoolStorage": "bool",
    "BFloat16Storage": "bfloat16", "ComplexDoubleStorage": "complex128",
    "ComplexFloatStorage": "complex64", "QInt8Storage": "qint8", "QInt32Storage": "qint32",
    "QUInt8Storage": "quint8", "QUInt4x2Storage": "quint4x2", "QUInt2x4Storage": "quint2x4",
}
UNTYPED = "UntypedStorage"           # torch.storage.UntypedStorage: bytes sin tipo

# Clases de tensor antiguas (torch.FloatTensor...): solo dicen "un tensor normal".
TENSOR_CLASSES = ("DoubleTensor", "FloatTensor", "HalfTensor", "BFloat16Tensor", "LongTensor",
                  "IntTensor", "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor")

# Bytes por elemento de los dtypes que pueden aparecer en un almacenamiento.
ITEMSIZE = {**{name: dt.itemsize for name, dt in NUMPY_DTYPES.items()}, "bfloat16": 2,
            "complex128": 16, "complex64": 8, "complex32": 4, "qint8": 1, "qint32": 4,
            "quint8": 1, "quint4x2": 1, "quint2x4": 1}


def torch_name(dtype):
    """Nombre del dtype de PyTorch para un dtype de NumPy (``None`` si PyTorch no lo tiene)."""
    dtype = np.dtype(dtype)
    if dtype.byteorder not in "=|":
        dtype = dtype.newbyteorder("=")
    for name, candidate in NUMPY_DTYPES.items():
        if candidate == dtype and name != "bfloat16":
            return name
    return None


# Para guardar: dtype -> clase de almacenamiento (los dtypes sin clase propia, como uint16,
# se guardan como PyTorch: UntypedStorage + _rebuild_tensor_v3 con el dtype aparte).
STORAGE_FOR = {dtype: storage for storage, dtype in STORAGE_DTYPES.items()}
