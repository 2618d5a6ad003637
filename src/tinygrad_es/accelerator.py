"""``torch.accelerator``: en tinygrad_es no hay aceleradores (GPU, MPS...), solo la CPU."""
from .errors import cpu_only_error


def is_available():
    """Siempre False: tinygrad_es funciona solo en la CPU."""
    return False


def device_count():
    """Siempre 0."""
    return 0


def current_accelerator(check_available=False):
    """Siempre None (no hay ningún acelerador)."""
    return None


def current_device_index():
    raise cpu_only_error("acelerador")


def __getattr__(name):
    raise AttributeError(
        f"torch.accelerator.{name} no está disponible en tinygrad_es, que funciona solo en la "
        "CPU: torch.accelerator.is_available() devuelve False, así que el código puede usar "
        "device='cpu'.")
