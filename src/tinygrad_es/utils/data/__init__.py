"""Datos por lotes con los nombres de ``torch.utils.data``.

    from tinygrad_es.utils.data import DataLoader, TensorDataset, Dataset, random_split

    ds = TensorDataset(X, y)
    entrenamiento, validacion = random_split(ds, [0.8, 0.2])
    for xb, yb in DataLoader(entrenamiento, batch_size=64, shuffle=True):
        ...

Los submódulos siguen a PyTorch: ``dataset`` (Dataset, TensorDataset, Subset, ConcatDataset,
random_split), ``sampler`` (muestreadores), ``dataloader`` (DataLoader) y la función
``default_collate`` que junta muestras en lotes.
"""
from ._collate import default_collate, default_convert
from .dataloader import DataLoader
from .dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from .sampler import (BatchSampler, RandomSampler, Sampler, SequentialSampler,
                      SubsetRandomSampler, WeightedRandomSampler)

__all__ = ["BatchSampler", "ConcatDataset", "DataLoader", "Dataset", "RandomSampler", "Sampler",
           "SequentialSampler", "Subset", "SubsetRandomSampler", "TensorDataset",
           "WeightedRandomSampler", "default_collate", "default_convert", "random_split"]


# --- un nombre de PyTorch que no existe aquí: AttributeError en español (_missing.py) ---
from ..._missing import module_getattr as _module_getattr  # noqa: E402
__getattr__ = _module_getattr(__name__, globals())
# --- una llamada con argumentos que no encajan: TypeError en español (_arguments.py) ---
from ..._arguments import wrap_namespace as _wrap_namespace  # noqa: E402
_wrap_namespace(globals(), "torch.utils.data.")
