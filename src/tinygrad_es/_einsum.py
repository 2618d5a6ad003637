"""``torch.einsum``: la ecuación de PyTorch (modo implícito, ``...``, lista de operandos)
llevada a una ecuación explícita para la operación ``Einsum`` de ``ops/linalg_extra.py``.

Este módulo no importa ``tensor.py``: la clase ``Tensor`` se la da ``tensor.py`` al definirla.
"""
from . import _dtypes
from .ops import linalg_extra as la

Tensor = None   # la clase Tensor: la pone tensor.py al definirla


def _parse_einsum(equation, shapes):
    """Ecuación explícita y sin ``...`` (con letras libres en su lugar), como la entiende
    PyTorch: modo implícito = letras que aparecen una vez, en orden alfabético."""
    eq = equation.replace(" ", "")
    if "->" in eq:
        lhs, rhs = eq.split("->")
    else:
        lhs, rhs = eq, None
    subs = lhs.split(",")
    if len(subs) != len(shapes):
        raise RuntimeError(
            f"einsum(): la ecuación {equation!r} tiene {len(subs)} operandos y se pasaron "
            f"{len(shapes)} tensores.")
    for s in subs + ([rhs] if rhs is not None else []):
        bad = [c for c in s.replace("...", "") if c not in la._LETTERS]
        if bad or s.replace("...", "").count(".") or s.count("...") > 1:
            raise RuntimeError(
                f"einsum(): {s!r} no es válido: los índices son letras (a-z, A-Z) y '...' "
                "aparece como mucho una vez por operando.")
    used = set(eq)
    free = [c for c in la._LETTERS if c not in used]
    ell = 0
    for s, shape in zip(subs, shapes):
        letters = len(s.replace("...", ""))
        if "..." in s:
            ell = max(ell, len(shape) - letters)
        if ("..." in s and len(shape) < letters) or ("..." not in s and len(shape) != letters):
            raise RuntimeError(
                f"einsum(): el operando con índices {s!r} tiene {len(shape)} dimensiones "
                f"(forma {tuple(shape)}), que no cuadran con sus índices.")
    ell_letters = "".join(free[:ell])
    new_subs = []
    for s, shape in zip(subs, shapes):
        if "..." in s:
            k = len(shape) - len(s.replace("...", ""))
            s = s.replace("...", ell_letters[ell - k:] if k else "")
        new_subs.append(s)
    if rhs is None:
        counts = {}
        for s in subs:
            for c in s.replace("...", ""):
                counts[c] = counts.get(c, 0) + 1
        rhs = ell_letters + "".join(sorted(c for c, n in counts.items() if n == 1))
    else:
        if "..." in rhs:
            rhs = rhs.replace("...", ell_letters)
        elif ell and any("..." in s for s in subs):
            rhs = rhs   # las dimensiones de '...' se suman
        missing = [c for c in rhs if c not in "".join(new_subs)]
        if missing or len(set(rhs)) != len(rhs):
            raise RuntimeError(
                f"einsum(): la salida {rhs!r} nombra índices que no están en la entrada o los "
                "repite.")
    return ",".join(new_subs) + "->" + rhs


def _einsum_sizes(equation, operands):
    """Error en español si una letra tiene tamaños incompatibles (como PyTorch)."""
    sizes = {}
    for k, (s, x) in enumerate(zip(equation.split("->")[0].split(","), operands)):
        own = {}
        for c, d in zip(s, x._data.shape):
            if c in own and own[c] != d:
                raise RuntimeError(
                    f"einsum(): el índice {c} se repite en el operando {k} con tamaños "
                    f"distintos ({own[c]} y {d}).")
            own[c] = d
            if c in sizes and d != sizes[c] and 1 not in (d, sizes[c]):
                raise RuntimeError(
                    f"einsum(): el índice {c} tiene tamaño {d} en el operando {k}, que no "
                    f"encaja con el tamaño {sizes[c]} visto antes.")
            sizes[c] = max(sizes.get(c, d), d)


def einsum(equation, *operands):
    """Suma de productos con la notación de Einstein (``'ij,jk->ik'``, ``'...ij->...ji'``)."""
    if not isinstance(equation, str):
        raise TypeError(f"einsum(): el primer argumento es la ecuación (un str), no "
                        f"{type(equation).__name__}.")
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands:
        raise RuntimeError("einsum(): hace falta al menos un operando.")
    for k, x in enumerate(operands):
        if not isinstance(x, Tensor):
            raise TypeError(f"einsum(): el operando {k} debe ser un Tensor, no "
                            f"{type(x).__name__}.")
    dts = [x._data.dtype for x in operands]
    if any(d != dts[0] for d in dts):
        other = next(d for d in dts if d != dts[0])
        raise RuntimeError(
            f"einsum() necesita operandos del mismo dtype, y recibió "
            f"{_dtypes.dtype_name(dts[0])} y {_dtypes.dtype_name(other)}. Convierte los demás "
            "con .to(x.dtype).")
    eq = _parse_einsum(equation, [x._data.shape for x in operands])
    _einsum_sizes(eq, operands)
    return operands[0]._apply(la.Einsum, *operands, equation=eq)
