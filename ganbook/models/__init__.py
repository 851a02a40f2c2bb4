r"""Models: the networks the book trains, from one-parameter toys to a small DCGAN.

- ``toy``: ``ShiftGenerator`` (x = z + θ) and ``LogisticDiscriminator`` (logit φ₀ + φ₁x).
- ``mlp``: ``MLPGenerator`` and ``MLPDiscriminator`` for the 2-D toys.
- ``dcgan``: ``DCGANGenerator`` and ``DCGANDiscriminator`` for 16×16 digits.
- ``stylegan``: ``StyleGenerator`` (mapping network, modulated convolutions, noise, truncation)
  for 16×16 digits, with its parts ``MappingNetwork``, ``ModulatedConv2d``, ``NoiseInjection``.
- ``initialisation``: ``dcgan_init_`` and ``default_init_``, drawn from a caller's generator.

Discriminators return raw scores (logits or critic values) of shape (N, 1); the losses apply any
sigmoid. Generators carry a ``latent_dim`` attribute; sampling latents is the trainer's job.
"""

from ganbook.models.dcgan import DCGANDiscriminator, DCGANGenerator
from ganbook.models.initialisation import dcgan_init_, default_init_
from ganbook.models.mlp import MLPDiscriminator, MLPGenerator
from ganbook.models.stylegan import (
    MappingNetwork,
    ModulatedConv2d,
    NoiseInjection,
    StyleGenerator,
    modulated_weights,
)
from ganbook.models.toy import LogisticDiscriminator, ShiftGenerator

__all__ = [
    "DCGANDiscriminator",
    "DCGANGenerator",
    "LogisticDiscriminator",
    "MLPDiscriminator",
    "MLPGenerator",
    "MappingNetwork",
    "ModulatedConv2d",
    "NoiseInjection",
    "ShiftGenerator",
    "StyleGenerator",
    "dcgan_init_",
    "default_init_",
    "modulated_weights",
]
