"""``torch.backends.mps``: no hay GPU de Apple en tinygrad_es."""


def is_available():
    """Siempre False: usa device='cpu'."""
    return False


def is_built():
    """Siempre False: tinygrad_es no se compila con MPS."""
    return False
