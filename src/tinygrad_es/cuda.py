"""``torch.cuda`` para el código del curso: aquí nunca hay GPU."""


def is_available():
    """Siempre False: tinygrad_es funciona solo en la CPU."""
    return False


def device_count():
    return 0


def manual_seed(seed):
    """Sin efecto (no hay GPU); existe para que el código del curso funcione igual."""


manual_seed_all = manual_seed
