"""Comprobaciones comunes de los optimizadores añadidos (Adagrad, Adadelta, Adamax, NAdam, RAdam,
Rprop): los argumentos que PyTorch acepta por rendimiento o por el dispositivo."""


def check_torch_only_flags(name, foreach=None, differentiable=False, capturable=False,
                           fused=None):
    """``foreach`` se acepta sin efecto (aquí siempre se actualiza parámetro a parámetro con
    NumPy); ``differentiable``, ``capturable`` y ``fused`` solo existen para GPU o para
    derivar a través del optimizador, que tinygrad_es no hace."""
    for flag, value in (("differentiable", differentiable), ("capturable", capturable),
                        ("fused", fused)):
        if value:
            raise ValueError(
                f"{name}({flag}=True) no está disponible en tinygrad_es: las actualizaciones se "
                f"hacen en la CPU con NumPy y fuera del grafo. Quita {flag}=True.")


def check_non_negative(**values):
    for key, value in values.items():
        if not 0.0 <= value:
            raise ValueError(f"Valor no válido para {key}: {value}. Debe ser mayor o igual que 0.")
