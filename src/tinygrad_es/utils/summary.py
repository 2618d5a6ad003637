"""``summary(model, input_size)``: tabla al estilo de Keras con las capas, sus salidas y parámetros.

Pasa una entrada de ceros por el modelo (sin gradiente) con ganchos ``register_forward_hook``
en cada módulo hoja, anota la forma de salida y los parámetros de cada uno, quita los ganchos y
estima la memoria. Imprime la tabla y también la devuelve como texto::

    from tinygrad_es.utils import summary
    summary(model, (1, 28, 28))
"""
import numpy as np

from ..autograd.grad_mode import no_grad
from ..tensor import _make

_MB = 1024.0 ** 2


class Resumen(str):
    """El texto de la tabla (un ``str``); en Jupyter no se vuelve a mostrar, ya se imprimió."""

    def __repr__(self):
        return str(self)

    def _ipython_display_(self):
        return None


def summary(model, input_size, batch_size=-1, dtypes=None):
    """Imprime y devuelve el resumen de ``model`` para entradas de forma ``input_size``.

    ``input_size`` es la forma de UNA muestra, sin el lote (p. ej. ``(1, 28, 28)`` o ``(784,)``),
    o una lista de formas si ``forward`` recibe varias entradas. ``batch_size`` solo cambia cómo
    se muestra la primera dimensión (``-1`` = cualquiera). ``dtypes``: uno por entrada
    (float32 por defecto).
    """
    sizes = _normalize_sizes(input_size)
    dtypes = [np.float32] * len(sizes) if dtypes is None else list(dtypes)
    if len(dtypes) != len(sizes):
        raise ValueError(
            f"Se recibieron {len(sizes)} formas de entrada pero {len(dtypes)} dtypes: pasa uno "
            "por entrada.")
    batch = batch_size if batch_size > 0 else 2
    inputs = [_make(np.zeros((batch, *size), dtype=np.dtype(dt))) for size, dt in
              zip(sizes, dtypes)]
    rows = []
    names = {id(m): name for name, m in model.named_modules()}
    handles = []
    try:
        for module in model.modules():
            if next(iter(module.children()), None) is None:
                handles.append(module.register_forward_hook(_recorder(rows, names)))
        with no_grad():
            model(*inputs)
    except Exception as exc:
        raise RuntimeError(
            f"summary no pudo pasar una entrada de forma {[(batch, *s) for s in sizes]} por el "
            f"modelo: {str(exc).rstrip('.')}. Comprueba que input_size es la forma de una muestra sin el lote "
            "(por ejemplo (784,) para un MLP de MNIST o (1, 28, 28) si el modelo aplana).") \
            from exc
    finally:
        for handle in handles:
            handle.remove()
    text = _format(model, rows, sizes, dtypes, batch_size, batch)
    print(text)
    return Resumen(text)


def _normalize_sizes(input_size):
    if isinstance(input_size, int):
        return [(input_size,)]
    input_size = list(input_size)
    if input_size and all(isinstance(d, (int, np.integer)) for d in input_size):
        return [tuple(int(d) for d in input_size)]
    return [(s,) if isinstance(s, int) else tuple(int(d) for d in s) for s in input_size]


def _recorder(rows, names):
    def hook(module, args, output):
        params = list(module.parameters())
        rows.append({
            "nombre": names.get(id(module), ""),
            "tipo": type(module).__name__,
            "salida": _shapes(output),
            "params": sum(p.numel() for p in params),
            "bytes": _nbytes(output),
        })
    return hook


def _shapes(output):
    if isinstance(output, (tuple, list)):
        return [_shapes(o) for o in output]
    shape = getattr(output, "shape", None)
    return list(shape) if shape is not None else []


def _nbytes(output):
    if isinstance(output, (tuple, list)):
        return sum(_nbytes(o) for o in output)
    data = getattr(output, "_data", None)
    return int(data.nbytes) if data is not None else 0


def _shape_text(shape, batch_size):
    if shape and isinstance(shape[0], list):
        return ", ".join(_shape_text(s, batch_size) for s in shape)
    if not shape:
        return "[]"
    return str([batch_size] + shape[1:])


def _format(model, rows, sizes, dtypes, batch_size, used_batch):
    params = list(model.parameters())
    total = sum(p.numel() for p in params)
    trainable = sum(p.numel() for p in params if p.requires_grad)
    lines = [(f"{r['nombre']} ({r['tipo']})" if r["nombre"] else r["tipo"],
              _shape_text(r["salida"], batch_size), f"{r['params']:,}".replace(",", "."))
             for r in rows]
    header = ("Capa (tipo)", "Forma de salida", "Parámetros")
    widths = [max([len(header[i])] + [len(line[i]) for line in lines]) + 2 for i in range(3)]
    width = max(sum(widths) + 4, 64)
    widths[0] = width - widths[1] - widths[2]

    def row(cells):
        return cells[0].ljust(widths[0]) + cells[1].ljust(widths[1]) + cells[2].rjust(widths[2])

    # Memoria por lote: la entrada, las salidas de cada capa (x2 por sus gradientes) y los pesos.
    batch = max(batch_size, 1)
    input_mb = sum(int(np.prod(s)) * np.dtype(dt).itemsize for s, dt in zip(sizes, dtypes))
    input_mb = input_mb * batch / _MB
    per_sample = sum(r["bytes"] for r in rows) / used_batch
    activations_mb = 2.0 * per_sample * batch / _MB
    params_mb = sum(p._data.nbytes for p in params) / _MB
    numero = lambda n: f"{n:,}".replace(",", ".")   # noqa: E731 (separador de miles español)
    out = ["-" * width, row(header), "=" * width]
    out += [row(line) for line in lines]
    out += ["=" * width,
            f"Parámetros totales: {numero(total)}",
            f"Parámetros entrenables: {numero(trainable)}",
            f"Parámetros no entrenables: {numero(total - trainable)}",
            "-" * width,
            f"Tamaño de la entrada (MB): {input_mb:.2f}",
            f"Tamaño de las activaciones, ida y vuelta (MB): {activations_mb:.2f}",
            f"Tamaño de los parámetros (MB): {params_mb:.2f}",
            f"Tamaño total estimado (MB): {input_mb + activations_mb + params_mb:.2f}",
            "-" * width]
    return "\n".join(out)

