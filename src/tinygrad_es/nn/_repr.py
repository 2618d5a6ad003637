"""El ``repr`` de un ``nn.Module`` como el de PyTorch: ``extra_repr`` y los submódulos sangrados."""


def addindent(text, spaces):
    """Sangra todas las líneas menos la primera (las vacías quedan vacías), como PyTorch."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    first = lines.pop(0)
    rest = [(" " * spaces) + line if line.strip() else "" for line in lines]
    return first + "\n" + "\n".join(rest)


def module_repr(module):
    """``Nombre(extra)`` o, con submódulos, una línea por cada uno: ``(clave): repr``."""
    extra = module.extra_repr()
    extra_lines = extra.split("\n") if extra else []
    child_lines = ["(" + key + "): " + addindent(repr(child), 2)
                   for key, child in module._modules.items()]
    lines = extra_lines + child_lines
    text = module._get_name() + "("
    if lines:
        if len(extra_lines) == 1 and not child_lines:
            text += extra_lines[0]
        else:
            text += "\n  " + "\n  ".join(lines) + "\n"
    return text + ")"
