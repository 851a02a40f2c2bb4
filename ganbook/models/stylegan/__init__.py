r"""A small StyleGAN2-style generator for 16×16 single-channel images (the upsampled digits).

The pieces are StyleGAN's (Karras et al. 2019) with StyleGAN2's weight demodulation (Karras et
al. 2020) in place of AdaIN: a mapping network $z \mapsto w$ (``mapping``), a learned constant
4×4 input, modulated 3×3 convolutions at 4×4, 8×8 and 16×16 with per-layer noise
(``modulation``), and a modulated toRGB (1 channel) at the end (``generator``). The package
defines the networks; it does not sample latents or train. It is not StyleGAN at scale: no
progressive growing, no skip or residual architecture, no equalised learning rate, no
path-length regulariser.
"""

from ganbook.models.stylegan.generator import StyleGenerator
from ganbook.models.stylegan.mapping import MappingNetwork
from ganbook.models.stylegan.modulation import ModulatedConv2d, NoiseInjection, modulated_weights

__all__ = [
    "MappingNetwork",
    "ModulatedConv2d",
    "NoiseInjection",
    "StyleGenerator",
    "modulated_weights",
]
