"""Base común de los conjuntos de imágenes en memoria (MNIST, el subconjunto de 5.000, digits).

La muestra ``i`` es ``(imagen, etiqueta)``: la imagen en bruto es un ``ndarray`` (alto x ancho,
uint8) y la etiqueta un ``int``; después se aplican ``transform`` y ``target_transform``, como
en torchvision (que da una imagen PIL en lugar del ndarray; ``transforms.ToTensor`` acepta las
dos cosas).

Camino rápido para el DataLoader (``_get_batch``): se indexan las imágenes una vez por lote y,
si la transformación sabe trabajar sobre un lote entero (método ``_batched``, que tienen
``ToTensor``, ``Normalize`` y un ``Compose`` de ellas), se aplica de una vez. Da exactamente
los mismos números que aplicarla muestra a muestra y juntar con ``default_collate``.
"""
import numpy as np

from ..tensor import Tensor, _make
from ..utils.data.dataset import Dataset, index_error


def apply_batched(transform, batch):
    """``transform`` sobre un lote entero, o ``None`` si no sabe hacerlo de una vez."""
    batched = getattr(transform, "_batched", None)
    return batched(batch) if callable(batched) else None


def _sample_error(dataset, index, exc):
    """El error de ``dataset[index]`` en español (índice fuera de rango o que no es entero)."""
    error = index_error(dataset, index, len(dataset), exc)
    if error is exc and isinstance(exc, IndexError) and len(dataset._labels) != len(
            dataset._images):
        return IndexError(
            f"{type(dataset).__name__}: hay {len(dataset._images)} imágenes pero "
            f"{len(dataset._labels)} etiquetas, así que la muestra {index!r} no existe. Si "
            "cambiaste .data o .targets, recórtalos a la vez (ds.data = ds.data[:n]; "
            "ds.targets = ds.targets[:n]).")
    return error


class ImageArrayDataset(Dataset):
    """Imágenes (N, alto, ancho) y etiquetas (N,) en memoria, con transformaciones."""

    name = "imágenes"

    def __init__(self, images, labels, transform=None, target_transform=None):
        self._images = np.ascontiguousarray(images)
        self._labels = np.asarray(labels, dtype=np.int64)
        self.transform = transform
        self.target_transform = target_transform

    @property
    def data(self):
        """Las imágenes como tensor (N, alto, ancho), compartiendo memoria."""
        return _make(self._images)

    @data.setter
    def data(self, value):   # ds.data = ds.data[:1000], como se hace con torchvision
        self._images = np.ascontiguousarray(getattr(value, "_data", value))

    @property
    def targets(self):
        """Las etiquetas como tensor int64 (N,), compartiendo memoria."""
        return _make(self._labels)

    @targets.setter
    def targets(self, value):
        self._labels = np.asarray(getattr(value, "_data", value), dtype=np.int64)

    def __len__(self):
        return len(self._labels)

    def __getitem__(self, index):
        if isinstance(index, Tensor):
            index = int(index)
        try:
            img, target = self._images[index].copy(), int(self._labels[index])
        except (IndexError, TypeError) as exc:
            raise _sample_error(self, index, exc) from None
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def _get_batch(self, indices):
        if self.target_transform is not None:
            return None
        images = self._images[indices]
        if self.transform is not None:
            images = apply_batched(self.transform, images)
            if images is None:
                return None
        if isinstance(images, np.ndarray):
            images = _make(images)
        return images, _make(self._labels[indices])

    def _extra_repr(self):
        return []

    def __repr__(self):
        lines = [f"Conjunto de datos {self.name}", f"    Número de muestras: {len(self)}"]
        lines += ["    " + line for line in self._extra_repr()]
        if self.transform is not None:
            lines.append("    Transformación: " + repr(self.transform).replace("\n", "\n    "))
        if self.target_transform is not None:
            lines.append(f"    Transformación de la etiqueta: {self.target_transform!r}")
        return "\n".join(lines)
