"""Comparación con PyTorch para las familias reduc y linalg: valores, dtypes, formas,
tuplas con nombre y gradientes (con un gradiente de salida aleatorio)."""
import numpy as np

import tinygrad_es as tg

DTYPES = {"float32": np.float32, "float64": np.float64, "int64": np.int64, "int32": np.int32,
          "bool": np.bool_}


def salidas(r):
    """Lista plana de tensores de un resultado (tensor, tupla o tupla con nombre)."""
    if isinstance(r, (tuple, list)):
        return [t for x in r for t in salidas(x)]
    return [r]


def a_torch(torch, x, grad):
    return torch.tensor(np.asarray(x), requires_grad=grad)


def comparar(torch, fn, *arrays, grad=True, fn_torch=None, rtol=1e-5, atol=1e-6, campos=None,
             semilla=0):
    """Ejecuta ``fn`` con tinygrad_es y con torch (``fn_torch`` si difiere) y compara todo."""
    arrays = [np.asarray(a) for a in arrays]
    diff = [grad and a.dtype.kind == "f" for a in arrays]
    ours = [tg.tensor(a, requires_grad=d) for a, d in zip(arrays, diff)]
    theirs = [torch.tensor(a, requires_grad=d) for a, d in zip(arrays, diff)]
    r1 = fn(tg, *ours)
    r2 = (fn_torch or fn)(torch, *theirs)
    if campos is not None:   # cada tupla con nombre del resultado tiene esos campos
        pares = [(r1, r2)] if hasattr(r1, "_fields") else list(zip(r1, r2))
        for n1, n2 in pares:
            assert tuple(n1._fields) == tuple(campos)
            assert type(n1).__name__ == type(n2).__name__
            for c in campos:
                np.testing.assert_allclose(getattr(n1, c)._data, getattr(n2, c).detach().numpy(),
                                           rtol=rtol, atol=atol, equal_nan=True)
    o1, o2 = salidas(r1), salidas(r2)
    assert len(o1) == len(o2)
    for a, b in zip(o1, o2):
        if not hasattr(b, "detach"):
            assert a == b
            continue
        bn = b.detach().numpy()
        assert tuple(a.shape) == tuple(bn.shape), (tuple(a.shape), tuple(bn.shape))
        assert a.dtype == bn.dtype, (a.dtype, bn.dtype)
        np.testing.assert_allclose(a._data, bn, rtol=rtol, atol=atol, equal_nan=True)
    if not any(diff):
        return r1
    rng = np.random.default_rng(semilla)
    total1, total2 = 0, 0
    for a, b in zip(o1, o2):
        if getattr(b, "requires_grad", False):
            assert a.requires_grad, "PyTorch deriva esta salida y tinygrad_es no"
            g = rng.standard_normal(tuple(b.shape)).astype(b.detach().numpy().dtype)
            total1 = total1 + (a * tg.tensor(g)).sum()
            total2 = total2 + (b * torch.tensor(g)).sum()
    if isinstance(total2, int):
        return r1
    total1.backward()
    total2.backward()
    for x, y, d in zip(ours, theirs, diff):
        if d:
            gx = np.zeros(x.shape) if x.grad is None else x.grad._data
            gy = np.zeros(tuple(y.shape)) if y.grad is None else y.grad.numpy()
            np.testing.assert_allclose(gx, gy, rtol=rtol * 10, atol=atol * 10, equal_nan=True)
    return r1


def mismo_error(torch, fn, *arrays):
    """Las dos bibliotecas lanzan la misma clase de excepción (o la nuestra es subclase)."""
    ours = [tg.tensor(np.asarray(a)) for a in arrays]
    theirs = [torch.tensor(np.asarray(a)) for a in arrays]
    try:
        fn(torch, *theirs)
    except Exception as e:   # noqa: BLE001
        # las clases propias de PyTorch (LinAlgError...) se comparan por su base de Python
        clase = next(c for c in type(e).__mro__ if c.__module__ == "builtins")
    else:
        raise AssertionError("PyTorch no lanzó ningún error")
    try:
        fn(tg, *ours)
    except Exception as e:   # noqa: BLE001
        assert isinstance(e, clase), (type(e), clase, str(e))
        return str(e)
    raise AssertionError(f"tinygrad_es no lanzó {clase.__name__}")
