"""``torch.backends.cudnn``: atributos que el código de los cursos fija; aquí no cambian nada.

``torch.backends.cudnn.deterministic = True`` y ``benchmark = False`` son habituales para
reproducir resultados. En tinygrad_es todo corre en la CPU con NumPy (ya determinista), así que
se aceptan y se guardan sin efecto.
"""
enabled = True
deterministic = False
benchmark = False


def is_available():
    """Siempre False: no hay cuDNN (ni GPU)."""
    return False


def version():
    """None, como PyTorch cuando no hay cuDNN."""
    return None
