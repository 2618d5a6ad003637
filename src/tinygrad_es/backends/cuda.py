"""``torch.backends.cuda``: tinygrad_es no tiene CUDA."""


def is_built():
    """Siempre False: tinygrad_es funciona solo en la CPU."""
    return False
