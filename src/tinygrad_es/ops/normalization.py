"""Normalizaciones fusionadas (batch, layer y group norm): un nodo por capa.

Las tres normalizan ``x`` con una media y una varianza (sesgada) y aplican después el peso y
el sesgo: ``y = (x - μ) / √(σ² + eps) · w + b``. Cambia solo sobre qué ejes se calculan la
media y la varianza:

- ``BatchNorm``: por canal (eje 1), sobre el lote y el resto de ejes.
- ``LayerNorm``: por muestra, sobre las últimas dimensiones (``normalized_shape``).
- ``GroupNorm``: por muestra y grupo de canales.

El backward es la fórmula cerrada de la normalización,
``∂x = r · (ĝ - media(ĝ) - x̂ · media(ĝ · x̂))`` con ``ĝ = G · w`` y ``r = 1/√(σ² + eps)``,
escrita con NumPy: en el camino rápido usa la media, ``r`` y ``x̂`` que el forward dejó en el
nodo; con ``create_graph=True`` recibe Tensores y vuelve a calcular la media y la varianza a
partir de la entrada guardada (así las segundas derivadas son exactas).
"""
import numpy as np

from .base import Op


def _stats(xg, axes, eps):
    """Media, ``r = 1/√(varianza sesgada + eps)`` y ``x̂`` de ``xg`` sobre ``axes``."""
    mean = np.mean(xg, axis=axes, keepdims=True)
    xc = xg - mean
    var = np.mean(xc * xc, axis=axes, keepdims=True)
    rstd = 1 / np.sqrt(var + eps)
    return mean, rstd, xc * rstd


def _sum_to(g, axes, shape):
    """Suma ``g`` sobre ``axes`` (ninguno: tal cual; ``dim=()`` de un Tensor lo reduciría
    todo) y le da la forma del peso."""
    return np.reshape(np.sum(g, axis=axes) if axes else g, shape)


class _Normalize(Op):
    """Base común: ``forward(x, weight, bias, ...)`` con ``weight``/``bias`` opcionales.

    Opciones (las fija cada subclase en ``nn.functional``):

    - ``gshape``: forma con la que se ve ``x`` para calcular las estadísticas (GroupNorm la
      cambia a (N, G, resto)); ``axes``: ejes de esa vista que se reducen.
    - ``pshape``: forma del peso para difundirlo sobre ``x``; ``paxes``: ejes de ``x`` que se
      suman para su gradiente.
    - ``stats``: (media, varianza) ya calculadas, con la forma de ``gshape`` difundible;
      ``fixed=True`` si son constantes (BatchNorm en eval: la estadística móvil).
    """

    rule = "∂/∂x = r·(ĝ - media(ĝ) - x̂·media(ĝ·x̂)), ĝ = G·w; ∂/∂w = Σ G·x̂; ∂/∂b = Σ G"
    rule_latex = (r"\frac{\partial}{\partial x} = r\,(\hat g - \overline{\hat g} - \hat x\,"
                  r"\overline{\hat g \hat x}),\ \hat g = G\,w;\quad \frac{\partial}{\partial w}"
                  r" = \sum G\,\hat x;\quad \frac{\partial}{\partial b} = \sum G")

    @staticmethod
    def forward(ctx, x, weight=None, bias=None, gshape=None, axes=(), pshape=None, paxes=(),
                eps=1e-5, stats=None, fixed=False):
        ctx.gshape, ctx.axes, ctx.pshape, ctx.paxes = gshape, axes, pshape, paxes
        ctx.eps, ctx.fixed = eps, fixed
        xg = x.reshape(gshape)
        if stats is None:
            mean, rstd, xhat = _stats(xg, axes, eps)
        else:
            mean, var = stats
            rstd = 1 / np.sqrt(var + x.dtype.type(eps))
            xhat = (xg - mean) * rstd
        xhat = xhat.reshape(x.shape)
        out = xhat if weight is None else xhat * weight.reshape(pshape)
        if bias is not None:
            out = out + bias.reshape(pshape) if out is xhat else np.add(
                out, bias.reshape(pshape), out=out)
        elif out is xhat:
            out = xhat.copy()   # x̂ queda en el nodo: la salida no puede compartir memoria
        param = weight if weight is not None else bias
        ctx.wshape = None if param is None else param.shape
        ctx.mean, ctx.rstd = mean, rstd
        needs = ctx.needs_input_grad
        ctx.xhat = xhat
        ctx.save_for_backward(x, weight if needs[0] else None)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved
        needs = ctx.needs_input_grad
        if isinstance(grad, np.ndarray):   # camino rápido: lo que dejó el forward
            rstd, xhat = ctx.rstd, ctx.xhat
        else:                              # create_graph: recalculado desde la entrada
            xg = np.reshape(x, ctx.gshape)
            if ctx.fixed:
                mean = ctx.mean
                rstd = ctx.rstd
            else:
                mean, rstd, _ = _stats(xg, ctx.axes, ctx.eps)
            xhat = np.reshape((xg - mean) * rstd, x.shape)
        gx = None
        if needs[0]:
            gy = grad if weight is None else grad * np.reshape(weight, ctx.pshape)
            gyg = np.reshape(gy, ctx.gshape)
            if ctx.fixed:
                gx = gyg * rstd
            else:
                xhg = np.reshape(xhat, ctx.gshape)
                gx = rstd * (gyg - np.mean(gyg, axis=ctx.axes, keepdims=True)
                             - xhg * np.mean(gyg * xhg, axis=ctx.axes, keepdims=True))
            gx = np.reshape(gx, x.shape)
        n_inputs = len(needs)
        gw = gb = None
        if n_inputs > 1 and needs[1]:
            gw = _sum_to(grad * xhat, ctx.paxes, ctx.wshape)
        if n_inputs > 2 and needs[2]:
            gb = _sum_to(grad, ctx.paxes, ctx.wshape)
        return (gx, gw, gb)[:n_inputs]


class BatchNorm(_Normalize):
    """batch_norm: media y varianza por canal (eje 1) sobre el lote y el resto de ejes."""

    torch_name = "NativeBatchNormBackward0"
    rule = ("∂/∂x = r·(ĝ - media(ĝ) - x̂·media(ĝ·x̂)) con medias por canal sobre el lote "
            "(en eval: r·ĝ); ∂/∂w = Σ G·x̂; ∂/∂b = Σ G")
    rule_latex = (r"\frac{\partial}{\partial x} = r\,(\hat g - \overline{\hat g} - \hat x\,"
                  r"\overline{\hat g \hat x})\ \text{(medias por canal sobre el lote)},\quad "
                  r"\frac{\partial}{\partial w} = \sum G\,\hat x,\quad "
                  r"\frac{\partial}{\partial b} = \sum G")


class LayerNorm(_Normalize):
    """layer_norm: media y varianza de cada muestra sobre las últimas dimensiones."""

    torch_name = "NativeLayerNormBackward0"
    rule = ("∂/∂x = r·(ĝ - media(ĝ) - x̂·media(ĝ·x̂)) con medias de cada muestra sobre "
            "normalized_shape; ∂/∂w = Σ G·x̂; ∂/∂b = Σ G")
    rule_latex = (r"\frac{\partial}{\partial x} = r\,(\hat g - \overline{\hat g} - \hat x\,"
                  r"\overline{\hat g \hat x})\ \text{(medias de cada muestra)},\quad "
                  r"\frac{\partial}{\partial w} = \sum G\,\hat x,\quad "
                  r"\frac{\partial}{\partial b} = \sum G")


class GroupNorm(_Normalize):
    """group_norm: media y varianza de cada muestra y grupo de canales."""

    torch_name = "NativeGroupNormBackward0"
    rule = ("∂/∂x = r·(ĝ - media(ĝ) - x̂·media(ĝ·x̂)) con medias de cada muestra y grupo; "
            "∂/∂w = Σ G·x̂; ∂/∂b = Σ G")
    rule_latex = (r"\frac{\partial}{\partial x} = r\,(\hat g - \overline{\hat g} - \hat x\,"
                  r"\overline{\hat g \hat x})\ \text{(medias por muestra y grupo)},\quad "
                  r"\frac{\partial}{\partial w} = \sum G\,\hat x,\quad "
                  r"\frac{\partial}{\partial b} = \sum G")
