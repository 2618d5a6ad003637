"""``torch.device`` y ``torch.Size``: solo existe la CPU, y se acepta como en PyTorch."""
import numpy as np

from .errors import cpu_only_error


class Size(tuple):
    """Forma de un tensor: una tupla que se imprime como ``torch.Size([2, 3])``."""

    def __repr__(self):
        return f"torch.Size({list(self)})"

    def numel(self):
        return int(np.prod(self))


class device:
    """Solo existe ``cpu``: se acepta para que el código del curso funcione sin cambios."""

    def __init__(self, type="cpu", index=None):
        _check_device(type)
        self.type = "cpu"

    def __repr__(self):
        return "device(type='cpu')"

    def __str__(self):
        return "cpu"

    def __eq__(self, other):
        return isinstance(other, device) or other == "cpu"

    def __hash__(self):
        return hash("cpu")


def _check_device(dev):
    if dev is None or isinstance(dev, device):
        return
    if isinstance(dev, str) and dev.split(":")[0] == "cpu":
        return
    raise cpu_only_error(dev)
