"""Estrategias de hypothesis para formas y tensores.

Los valores se construyen (signo x uniforme(lo, hi), permutaciones para valores
distintos) en lugar de filtrarse, para no chocar con los controles de hypothesis.
"""
import numpy as np


def _st():
    try:
        from hypothesis import strategies
    except ImportError as exc:   # pragma: no cover - depende del entorno
        raise ImportError(
            "tinygrad_es.testing necesita hypothesis: instálalo con pip install hypothesis "
            "(o pip install \"tinygrad_es[dev]\").") from exc
    return strategies


def shapes(min_dims=0, max_dims=3, min_side=1, max_side=4):
    """Formas (tuplas) con entre ``min_dims`` y ``max_dims`` dimensiones."""
    st = _st()
    return st.lists(st.integers(min_side, max_side), min_size=min_dims,
                    max_size=max_dims).map(tuple)


def broadcastable_shapes(shape, min_dims=0, max_dims=None):
    """Formas que se difunden junto con ``shape`` (algunas dimensiones a 1, menos dimensiones)."""
    st = _st()
    shape = tuple(shape)
    max_dims = len(shape) if max_dims is None else max_dims

    @st.composite
    def build(draw):
        ndim = draw(st.integers(min(min_dims, len(shape)), min(max_dims, len(shape))))
        tail = shape[len(shape) - ndim:] if ndim else ()
        return tuple(1 if draw(st.booleans()) else d for d in tail)

    return build()


def tensors(shape=None, dtype="float64", elements=None, requires_grad=True, *, low=0.1,
            high=2.0, away_from=None, distinct=False, positive=False):
    """Tensores de ``tinygrad_es`` con valores en [-high, -low] ∪ [low, high].

    - ``shape``: una forma fija o una estrategia de formas (por defecto ``shapes()``).
    - ``away_from``: punto no diferenciable a evitar (p. ej. 0 para relu/abs): los valores
      quedan a distancia >= ``low`` de él.
    - ``distinct``: valores todos distintos (sin empates, para max/min).
    - ``positive``: solo valores positivos (log, sqrt, divisores).
    - ``elements``: una estrategia de hypothesis para los valores (sustituye a lo anterior).
    """
    st = _st()
    from ..creation import tensor as make_tensor

    shape_st = shape if hasattr(shape, "example") else st.just(tuple(shape)) if shape is not None \
        else shapes()
    center = 0.0 if away_from is None else float(away_from)

    @st.composite
    def build(draw):
        shp = draw(shape_st)
        size = int(np.prod(shp)) if shp else 1
        if elements is not None:
            values = np.array(draw(st.lists(elements, min_size=size, max_size=size)),
                              dtype=np.float64)
        elif distinct:
            # size magnitudes separadas (high - low) / size, desplazadas a la vez sin salir
            # de [low, high]: distintas y lejos unas de otras (más que eps)
            order = np.array(draw(st.permutations(range(size))), dtype=np.float64)
            shift = draw(st.floats(0, 0.4))
            values = low + (order + shift) * ((high - low) / size)
            if not positive:
                signs = np.array(draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=size,
                                               max_size=size)))
                values = values * signs   # |v| distintos => v distintos
        else:
            mags = draw(st.lists(st.floats(low, high), min_size=size, max_size=size))
            values = np.array(mags, dtype=np.float64)
            if not positive:
                signs = draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=size,
                                      max_size=size))
                values = values * np.array(signs)
        values = (values + center).reshape(shp)
        return make_tensor(values.astype(dtype), requires_grad=requires_grad)

    return build()
