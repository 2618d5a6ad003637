"""``nn.PixelShuffle`` y ``nn.PixelUnshuffle``: los módulos de ``F.pixel_shuffle`` y
``F.pixel_unshuffle``."""
from ._functional_shuffle_rrelu import pixel_shuffle, pixel_unshuffle
from .module import Module


class PixelShuffle(Module):
    """Reordena (*, C·r², H, W) en (*, C, H·r, W·r), con r = ``upscale_factor``: la capa
    final de las redes de superresolución («sub-pixel convolution»).

    Ejemplo::

        >>> capa = nn.PixelShuffle(3)
        >>> capa(torch.randn(1, 9, 4, 4)).shape
        torch.Size([1, 1, 12, 12])
    """

    def __init__(self, upscale_factor):
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input):
        return pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self):
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """Lo contrario de ``PixelShuffle``: (*, C, H·r, W·r) -> (*, C·r², H, W).

    Ejemplo::

        >>> capa = nn.PixelUnshuffle(2)
        >>> capa(torch.randn(1, 1, 4, 4)).shape
        torch.Size([1, 4, 2, 2])
    """

    def __init__(self, downscale_factor):
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input):
        return pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self):
        return f"downscale_factor={self.downscale_factor}"
