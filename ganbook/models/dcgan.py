r"""A small DCGAN for 16×16 single-channel images (the upsampled scikit-learn digits).

The layer pattern is DCGAN's (Radford et al. 2016) scaled down: transposed convolutions with batch
norm and ReLU in the generator, strided convolutions with LeakyReLU(0.2) in the discriminator, no
pooling. This module defines the networks; it does not sample latents or train.
"""

from __future__ import annotations

import torch
from torch import nn

from ganbook._checks import require_bool, require_positive_int
from ganbook.models.initialisation import dcgan_init_

__all__ = ["DCGANDiscriminator", "DCGANGenerator"]


class DCGANGenerator(nn.Module):
    r"""DCGAN generator: latent vector to a 16×16 image in (−1, 1).

    $$
    G(z) = \tanh\Big(T_3\, \mathrm{ReLU}\big(\mathrm{BN}(T_2\, \mathrm{ReLU}(\mathrm{BN}(T_1 z)))
    \big)\Big)
    $$

    with $T_1$ a 4×4 transposed convolution from the 1×1 latent to 4×4, and $T_2, T_3$ stride-2
    transposed convolutions (kernel 4, padding 1) that double the side: 4 → 8 → 16.

    Parameters
    ----------
    latent_dim : int
        Size of the latent $z$, at least 1.
    channels : int
        Base width $c \ge 1$; the feature maps have 4c, 2c, then 1 channels.
    generator : torch.Generator or None
        A CPU generator for ``dcgan_init_``; with a seeded one, construction is reproducible.
        None draws the initial weights from the global CPU RNG.

    Attributes
    ----------
    latent_dim : int
        Size of the latent the forward pass expects, shape (N, latent_dim).

    Notes
    -----
    DCGAN projects and reshapes $z$ with a dense layer; a 4×4 transposed convolution on the 1×1
    latent computes the same map, as in the PyTorch DCGAN example. Weights follow ``dcgan_init_``.

    References
    ----------
    Radford, Metz and Chintala, "Unsupervised Representation Learning with Deep Convolutional
    Generative Adversarial Networks", ICLR 2016, section 3 and figure 1 (the generator).

    Examples
    --------
    >>> import torch
    >>> g = DCGANGenerator(generator=torch.Generator().manual_seed(0))
    >>> g(torch.randn(8, g.latent_dim)).shape
    torch.Size([8, 1, 16, 16])
    """

    def __init__(
        self,
        latent_dim: int = 64,
        channels: int = 32,
        *,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        self.latent_dim = require_positive_int("latent_dim", latent_dim)
        c = require_positive_int("channels", channels)
        self.net = nn.Sequential(
            # (N, latent, 1, 1) -> (N, 4c, 4, 4)
            nn.ConvTranspose2d(self.latent_dim, 4 * c, 4, 1, 0, bias=False),
            nn.BatchNorm2d(4 * c),  # (N, 4c, 4, 4)
            nn.ReLU(),  # (N, 4c, 4, 4)
            nn.ConvTranspose2d(4 * c, 2 * c, 4, 2, 1, bias=False),  # (N, 4c, 4, 4) -> (N, 2c, 8, 8)
            nn.BatchNorm2d(2 * c),  # (N, 2c, 8, 8)
            nn.ReLU(),  # (N, 2c, 8, 8)
            nn.ConvTranspose2d(2 * c, 1, 4, 2, 1),  # (N, 2c, 8, 8) -> (N, 1, 16, 16)
            nn.Tanh(),  # (N, 1, 16, 16), values in (-1, 1)
        )
        dcgan_init_(self, generator=generator)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        r"""Map latents of shape (N, latent_dim) to images of shape (N, 1, 16, 16)."""
        z = z.reshape(z.shape[0], self.latent_dim, 1, 1)  # (N, latent) -> (N, latent, 1, 1)
        return self.net(z)  # (N, latent, 1, 1) -> (N, 1, 16, 16)


class DCGANDiscriminator(nn.Module):
    r"""DCGAN discriminator (or critic): a 16×16 image to one raw score.

    $$
    D(x) = w^\top \mathrm{flat}\Big(\mathrm{lrelu}\big(C_3\, \mathrm{lrelu}(C_2\,
    \mathrm{lrelu}(C_1 x))\big)\Big) + b, \qquad \mathrm{lrelu}(u) = \max(u, 0.2u)
    $$

    with $C_1, C_2, C_3$ stride-2 convolutions (kernel 4, padding 1) that halve the side:
    16 → 8 → 4 → 2, with c, 2c and 4c channels. No sigmoid is applied: the losses take raw outputs.

    Parameters
    ----------
    channels : int
        Base width $c \ge 1$.
    batch_norm : bool
        Put batch norm after $C_2$ and $C_3$ as DCGAN does. Off by default: a WGAN-GP critic must
        not use batch norm, since the penalty is taken per example (Gulrajani et al. 2017, §4).
    generator : torch.Generator or None
        A CPU generator for ``dcgan_init_``; with a seeded one, construction is reproducible.
        None draws the initial weights from the global CPU RNG.

    Notes
    -----
    DCGAN's discriminator ends in a convolution and a sigmoid; here a dense layer on the flattened
    4c × 2 × 2 features gives the score and the sigmoid is left to the losses.

    References
    ----------
    Radford, Metz and Chintala, "Unsupervised Representation Learning with Deep Convolutional
    Generative Adversarial Networks", ICLR 2016. Gulrajani et al., "Improved Training of
    Wasserstein GANs", NeurIPS 2017.

    Examples
    --------
    >>> import torch
    >>> d = DCGANDiscriminator(generator=torch.Generator().manual_seed(0))
    >>> d(torch.zeros(8, 1, 16, 16)).shape
    torch.Size([8, 1])
    """

    def __init__(
        self,
        channels: int = 32,
        batch_norm: bool = False,
        *,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        c = require_positive_int("channels", channels)
        self.batch_norm = require_bool("batch_norm", batch_norm)

        def norm(width: int) -> list[nn.Module]:
            return [nn.BatchNorm2d(width)] if batch_norm else []

        self.net = nn.Sequential(
            nn.Conv2d(1, c, 4, 2, 1),  # (N, 1, 16, 16) -> (N, c, 8, 8)
            nn.LeakyReLU(0.2),  # (N, c, 8, 8)
            nn.Conv2d(c, 2 * c, 4, 2, 1, bias=not batch_norm),  # (N, c, 8, 8) -> (N, 2c, 4, 4)
            *norm(2 * c),  # (N, 2c, 4, 4)
            nn.LeakyReLU(0.2),  # (N, 2c, 4, 4)
            nn.Conv2d(2 * c, 4 * c, 4, 2, 1, bias=not batch_norm),  # (N, 2c, 4, 4) -> (N, 4c, 2, 2)
            *norm(4 * c),  # (N, 4c, 2, 2)
            nn.LeakyReLU(0.2),  # (N, 4c, 2, 2)
            nn.Flatten(),  # (N, 4c, 2, 2) -> (N, 16c)
            nn.Linear(16 * c, 1),  # (N, 16c) -> (N, 1)
        )
        dcgan_init_(self, generator=generator)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        r"""Score images of shape (N, 1, 16, 16), giving shape (N, 1)."""
        return self.net(x)  # (N, 1, 16, 16) -> (N, 1)
