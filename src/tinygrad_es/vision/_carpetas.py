"""``ImageFolder`` y ``DatasetFolder``: un conjunto de datos a partir de una carpeta por clase,
con las reglas de ``torchvision.datasets.folder``::

    raiz/gato/001.png
    raiz/gato/002.jpg
    raiz/perro/fotos/003.png      (las subcarpetas de una clase también cuentan)

- Las clases son los nombres de las subcarpetas de ``raiz``, en orden alfabético; la etiqueta
  de cada una es su posición (``class_to_idx``).
- Las muestras (``samples``, también ``imgs``) son pares ``(ruta, etiqueta)``, clase a clase y,
  dentro de cada una, en orden alfabético de carpetas y archivos.
- Solo cuentan los archivos con extensión de imagen (``IMG_EXTENSIONS``, sin distinguir
  mayúsculas) o, si se da ``is_valid_file(ruta)``, los que esa función acepta.
- Una clase sin ningún archivo válido es un error, salvo con ``allow_empty=True``.

Cada imagen se abre al pedirla, con Pillow y convertida a RGB (como ``pil_loader`` de
torchvision): la muestra es ``(imagen PIL, etiqueta)`` y ``transforms.ToTensor`` la convierte.
"""
import os

from ..utils.data.dataset import Dataset, index_error

IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")

_SIN_PILLOW = (
    "ImageFolder abre las imágenes con Pillow, que no está instalado. Instálalo con "
    "pip install pillow (o pip install -e \".[ejemplos]\" en la carpeta del proyecto, que lo "
    "trae con matplotlib), o pasa tu propia función loader=...")


def _pil():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(_SIN_PILLOW) from None
    return Image


def pil_loader(path):
    """Abre la imagen de ``path`` con Pillow y la convierte a RGB (como torchvision)."""
    Image = _pil()
    with open(path, "rb") as f:
        img = Image.open(f)
        return img.convert("RGB")


def default_loader(path):
    """El cargador por defecto de ``ImageFolder``: ``pil_loader``."""
    return pil_loader(path)


def has_file_allowed_extension(filename, extensions):
    """¿Termina ``filename`` (sin distinguir mayúsculas) en alguna de ``extensions``?"""
    return filename.lower().endswith(extensions if isinstance(extensions, str)
                                     else tuple(extensions))


def is_image_file(filename):
    return has_file_allowed_extension(filename, IMG_EXTENSIONS)


def find_classes(directory):
    """``(clases, class_to_idx)``: las subcarpetas de ``directory`` en orden alfabético."""
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"La carpeta {directory} no existe. ImageFolder espera una carpeta con una "
            "subcarpeta por clase (raiz/gato/..., raiz/perro/...).") from None
    classes = sorted(entry.name for entry in entries if entry.is_dir())
    if not classes:
        raise FileNotFoundError(
            f"No hay ninguna subcarpeta de clase en {directory}: ImageFolder espera una "
            "subcarpeta por clase (raiz/gato/..., raiz/perro/...), con las imágenes dentro.")
    return classes, {name: i for i, name in enumerate(classes)}


def make_dataset(directory, class_to_idx=None, extensions=None, is_valid_file=None,
                 allow_empty=False):
    """La lista de muestras ``(ruta, etiqueta)``, con las reglas de torchvision."""
    directory = os.path.expanduser(directory)
    if class_to_idx is None:
        _, class_to_idx = find_classes(directory)
    elif not class_to_idx:
        raise ValueError("class_to_idx debe tener al menos una clase para encontrar muestras.")
    if (extensions is None) == (is_valid_file is None):
        raise ValueError(
            "Hay que dar extensions o is_valid_file (uno de los dos, no los dos ni ninguno).")
    if extensions is not None:
        def is_valid_file(path):
            return has_file_allowed_extension(path, extensions)
    instances, available = [], set()
    for target_class in sorted(class_to_idx):
        class_index = class_to_idx[target_class]
        target_dir = os.path.join(directory, target_class)
        if not os.path.isdir(target_dir):
            continue
        for root, _, fnames in sorted(os.walk(target_dir, followlinks=True)):
            for fname in sorted(fnames):
                path = os.path.join(root, fname)
                if is_valid_file(path):
                    instances.append((path, class_index))
                    available.add(target_class)
    empty = set(class_to_idx) - available
    if empty and not allow_empty:
        msg = (f"No hay ningún archivo válido en las clases {', '.join(sorted(empty))} (en "
               f"{directory}).")
        if extensions is not None:
            shown = extensions if isinstance(extensions, str) else ", ".join(extensions)
            msg += f" Las extensiones admitidas son: {shown}."
        raise FileNotFoundError(msg + " Con allow_empty=True se admiten clases vacías.")
    return instances


class DatasetFolder(Dataset):
    """Muestras ``(loader(ruta), etiqueta)`` a partir de una carpeta por clase (ver el módulo).

    ``DatasetFolder(root, loader, extensions=None, transform=None, target_transform=None,
    is_valid_file=None, allow_empty=False)``; atributos ``classes``, ``class_to_idx``,
    ``samples`` y ``targets`` como en torchvision.
    """

    def __init__(self, root, loader, extensions=None, transform=None, target_transform=None,
                 is_valid_file=None, allow_empty=False):
        self.root = os.path.expanduser(root) if isinstance(root, str) else root
        self.transform = transform
        self.target_transform = target_transform
        classes, class_to_idx = self.find_classes(self.root)
        samples = self.make_dataset(self.root, class_to_idx, extensions, is_valid_file,
                                    allow_empty)
        self.loader = loader
        self.extensions = extensions
        self.classes = classes
        self.class_to_idx = class_to_idx
        self.samples = samples
        self.targets = [s[1] for s in samples]

    @staticmethod
    def make_dataset(directory, class_to_idx, extensions=None, is_valid_file=None,
                     allow_empty=False):
        if class_to_idx is None:
            raise ValueError("class_to_idx no puede ser None.")
        return make_dataset(directory, class_to_idx, extensions, is_valid_file, allow_empty)

    def find_classes(self, directory):
        return find_classes(directory)

    def __getitem__(self, index):
        if hasattr(index, "_data"):
            index = int(index)
        try:
            path, target = self.samples[index]
        except (IndexError, TypeError) as exc:
            raise index_error(self, index, len(self), exc) from None
        sample = self.loader(path)
        if self.transform is not None:
            sample = self.transform(sample)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return sample, target

    def __len__(self):
        return len(self.samples)

    def __repr__(self):
        lines = [f"Conjunto de datos {type(self).__name__}",
                 f"    Número de muestras: {len(self)}",
                 f"    Carpeta: {self.root}",
                 f"    Clases: {len(self.classes)}"]
        if self.transform is not None:
            lines.append("    Transformación: " + repr(self.transform).replace("\n", "\n    "))
        if self.target_transform is not None:
            lines.append(f"    Transformación de la etiqueta: {self.target_transform!r}")
        return "\n".join(lines)


class ImageFolder(DatasetFolder):
    """Imágenes en una carpeta por clase (``raiz/gato/001.png``...), como
    ``torchvision.datasets.ImageFolder``.

    ``ImageFolder(root, transform=None, target_transform=None, loader=default_loader,
    is_valid_file=None, allow_empty=False)``. La muestra ``i`` es ``(imagen, etiqueta)``: la
    imagen es la de ``loader(ruta)`` (por defecto, una imagen PIL en RGB; hace falta Pillow),
    y después se aplican ``transform`` y ``target_transform``. ``classes``, ``class_to_idx``,
    ``samples`` (pares ``(ruta, etiqueta)``), ``imgs`` (lo mismo) y ``targets``, como en
    torchvision. Ejemplo::

        t = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
        datos = datasets.ImageFolder("fotos/entrenamiento", transform=t)
        cargador = DataLoader(datos, batch_size=16, shuffle=True)
    """

    def __init__(self, root, transform=None, target_transform=None, loader=default_loader,
                 is_valid_file=None, allow_empty=False):
        if loader is default_loader:
            _pil()          # sin Pillow, el error ya al crear el conjunto (no al primer lote)
        super().__init__(root, loader, IMG_EXTENSIONS if is_valid_file is None else None,
                         transform=transform, target_transform=target_transform,
                         is_valid_file=is_valid_file, allow_empty=allow_empty)
        self.imgs = self.samples
