"""Comprobación de gradientes por diferencias centrales (como ``torch.autograd.gradcheck``).

Se compara el jacobiano numérico, (f(x + eps) - f(x - eps)) / (2 eps) elemento a elemento,
con el analítico que da backward. Además se comprueba que backward escala con el gradiente
de salida (un backward que olvida multiplicar por él no pasa).
"""
import warnings

import numpy as np

from ..tensor import Tensor
from .functional_grad import grad as autograd_grad
from .grad_mode import no_grad


class GradcheckError(RuntimeError):
    """El gradiente analítico no coincide con el numérico."""


def _as_tuple(x):
    return x if isinstance(x, tuple) else tuple(x) if isinstance(x, list) else (x,)


def _outputs(func, inputs):
    return [o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor)]


def numerical_jacobian(func, inputs, eps=1e-6):
    """Lista (por salida) de listas (por entrada) de jacobianos de forma (n_salida, n_entrada)."""
    with no_grad():
        base = _outputs(func, inputs)
    jac = [[None] * len(inputs) for _ in base]
    for i, t in enumerate(inputs):
        if not (isinstance(t, Tensor) and t.requires_grad):
            continue
        data = t._data   # se perturba en su sitio, elemento a elemento, y se restaura
        columns = [np.zeros((o.numel(), data.size)) for o in base]
        for j in range(data.size):
            idx = np.unravel_index(j, data.shape)
            original = data[idx]
            data[idx] = original + eps
            with no_grad():   # copia: una salida puede ser una vista de la entrada (reshape)
                plus = [o._data.astype(np.float64) for o in _outputs(func, inputs)]
            data[idx] = original - eps
            with no_grad():
                minus = [o._data.astype(np.float64) for o in _outputs(func, inputs)]
            data[idx] = original
            for k, (p, m) in enumerate(zip(plus, minus)):
                columns[k][:, j] = ((p - m) / (2 * eps)).ravel()
        for k in range(len(base)):
            jac[k][i] = columns[k]
    return jac


def analytical_jacobian(func, inputs):
    """Jacobianos con backward, una fila (un elemento de salida) cada vez."""
    outputs = _outputs(func, inputs)
    diff = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    jac = [[None] * len(inputs) for _ in outputs]
    for k, out in enumerate(outputs):
        for i in diff:
            jac[k][i] = np.zeros((out.numel(), inputs[i].numel()))
        if not out.requires_grad:
            continue
        for row in range(out.numel()):
            seed = np.zeros(out.numel(), dtype=out.dtype)
            seed[row] = 1
            grads = autograd_grad(out, [inputs[i] for i in diff], seed.reshape(out.shape),
                                  retain_graph=True, allow_unused=True)
            for i, g in zip(diff, grads):
                if g is not None:
                    jac[k][i][row] = g._data.ravel()
    return outputs, jac


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              seed=0):
    """True si los gradientes analíticos coinciden con los numéricos; si no, error con informe."""
    inputs = _as_tuple(inputs)
    diff = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not diff:
        raise ValueError("gradcheck: ninguna entrada tiene requires_grad=True; no hay nada que comprobar.")
    for i in diff:
        if inputs[i].dtype != np.float64:
            warnings.warn(
                f"La entrada {i} de gradcheck es {inputs[i].dtype} y no float64: con precisión "
                "simple las diferencias finitas no son fiables. Usa .double().", UserWarning)
    outputs, analytical = analytical_jacobian(func, inputs)
    numerical = numerical_jacobian(func, inputs, eps)
    for k in range(len(outputs)):
        for i in diff:
            a, n = analytical[k][i], numerical[k][i]
            for jac, kind in ((n, "numérico"), (a, "analítico")):
                if not np.isfinite(jac).all():   # nan no es > tol: se comprueba aparte
                    return _fail_non_finite(raise_exception, k, i, inputs[i], outputs[k], a, n,
                                            kind, eps)
            bad = np.abs(a - n) > atol + rtol * np.abs(n)
            if bad.any():
                return _fail(raise_exception, k, i, inputs[i], outputs[k], a, n, atol, rtol)
    return _check_upstream(func, inputs, outputs, numerical, diff, atol, rtol, raise_exception,
                           seed)


def _check_upstream(func, inputs, outputs, numerical, diff, atol, rtol, raise_exception, seed):
    """vᵀJ con un v aleatorio: detecta un backward que ignora el gradiente de salida."""
    rng = np.random.default_rng(seed)
    for k, out in enumerate(outputs):
        if not out.requires_grad:
            continue
        v = rng.standard_normal(out.shape).astype(out.dtype)
        grads = autograd_grad(out, [inputs[i] for i in diff], v, retain_graph=True,
                              allow_unused=True)
        for i, g in zip(diff, grads):
            expected = v.ravel().astype(np.float64) @ numerical[k][i]
            got = np.zeros_like(expected) if g is None else g._data.ravel()
            finite = np.isfinite(got).all()
            if not finite or np.any(np.abs(got - expected) > atol + rtol * np.abs(expected)):
                if raise_exception:
                    raise GradcheckError(
                        f"gradcheck falló con un gradiente de salida aleatorio (salida {k}, "
                        f"entrada {i}): backward dio {np.round(got[:6], 6)} y se esperaba "
                        f"{np.round(expected[:6], 6)}. "
                        + ("¿Multiplica backward por el gradiente que recibe?" if finite else
                           "El gradiente tiene valores no finitos (nan o inf)."))
                return False
    return True


def _positions(row, col, tensor, output):
    out_pos = np.unravel_index(row, output.shape) if output.ndim else ()
    in_pos = np.unravel_index(col, tensor.shape) if tensor.ndim else ()
    return (f"salida{tuple(int(p) for p in out_pos)} respecto de "
            f"entrada{tuple(int(p) for p in in_pos)}")


def _fail_non_finite(raise_exception, k, i, tensor, output, a, n, kind, eps):
    """Un jacobiano con nan o inf no se puede comparar: gradcheck falla (como PyTorch)."""
    jac = n if kind == "numérico" else a
    row, col = np.argwhere(~np.isfinite(jac))[0]
    message = (
        f"gradcheck falló: el jacobiano {kind} de la salida {k} respecto de la entrada {i} "
        f"tiene un valor no finito ({jac[row, col]:.6g}).\n"
        f"  Elemento: {_positions(row, col, tensor, output)}\n"
        f"  numérico:  {n[row, col]:.6g}\n  analítico: {a[row, col]:.6g}\n"
        "Con nan o inf no hay comparación posible: la función (o su backward) no es "
        "diferenciable en ese punto o sale de su dominio (log o sqrt de negativos, división "
        f"entre 0...). Usa entradas dentro del dominio y más lejos que eps={eps:g} de los "
        "puntos no diferenciables.\n"
        f"Jacobiano numérico:\n{np.array2string(n, precision=4)}\n"
        f"Jacobiano analítico:\n{np.array2string(a, precision=4)}")
    if raise_exception:
        raise GradcheckError(message)
    return False


def _fail(raise_exception, k, i, tensor, output, a, n, atol, rtol):
    err = np.abs(a - n) - (atol + rtol * np.abs(n))
    err = np.where(np.isfinite(err), err, np.inf)
    row, col = np.unravel_index(np.argmax(err), err.shape)
    message = (
        f"gradcheck falló: el jacobiano de la salida {k} respecto de la entrada {i} no coincide.\n"
        f"  Peor elemento: {_positions(row, col, tensor, output)}\n"
        f"  numérico:  {n[row, col]:.6g}\n  analítico: {a[row, col]:.6g}\n"
        f"  (tolerancia: atol={atol}, rtol={rtol})\n"
        f"Jacobiano numérico:\n{np.array2string(n, precision=4)}\n"
        f"Jacobiano analítico:\n{np.array2string(a, precision=4)}")
    if raise_exception:
        raise GradcheckError(message)
    return False


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  raise_exception=True, seed=0):
    """Como ``torch.autograd.gradgradcheck``: comprueba las segundas derivadas.

    Deriva con ``create_graph=True`` los gradientes de primer orden (vᵀJ, con ``v`` aleatorio o
    ``grad_outputs``) y pasa esa función por ``gradcheck``, respecto de las entradas y de ``v``.
    """
    from .grad_mode import enable_grad
    inputs = _as_tuple(inputs)
    diff = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    with enable_grad():
        outputs = [o for o in _outputs(func, inputs) if o.requires_grad]
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        grad_outputs = tuple(
            Tensor._wrap(rng.standard_normal(o.shape).astype(o.dtype)).requires_grad_()
            for o in outputs)
    grad_outputs = _as_tuple(grad_outputs)
    count = len(inputs)

    def first_order(*args):
        with enable_grad():
            outs = [o for o in _outputs(func, args[:count]) if o.requires_grad]
            grads = autograd_grad(outs, [args[i] for i in diff], args[count:],
                                  create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)
    return gradcheck(first_order, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, seed=seed)
