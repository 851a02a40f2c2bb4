r"""StyleGAN's mapping network $z \mapsto w$ (Karras et al. 2019)."""

from __future__ import annotations

import math

import torch
from torch import nn

from ganbook._checks import require_generator, require_positive, require_positive_int
from ganbook.models.stylegan._common import _draw_normal, _require_rows


class MappingNetwork(nn.Module):
    r"""StyleGAN's mapping network: a latent $z$ to an intermediate latent $w$.

    $$
    w = f(z) = A_L\,\mathrm{lrelu}\bigl(\cdots \mathrm{lrelu}(A_1 \bar z)\bigr), \qquad
    \bar z = \frac{z}{\sqrt{\tfrac{1}{d}\sum_{i=1}^{d} z_i^2 + \epsilon}}
    $$

    with $A_\ell$ affine layers, $\mathrm{lrelu}(u) = \max(u, 0.2u)$ between them (not after the
    last), and $\bar z$ the paper's normalisation of $z$ to unit root mean square.

    Parameters
    ----------
    latent_dim : int
        Size $d$ of $z$, at least 1.
    w_dim : int
        Size of $w$ and of every hidden layer, at least 1.
    layers : int
        Number of affine layers $L \ge 1$ (the paper uses 8; a few suffice here).
    generator : torch.Generator or None
        CPU generator for the initial weights, $\mathcal{N}(0, 2/\text{fan\_in})$ with zero
        biases: He's scale, which the paper's equalised learning rate also gives at the start,
        so that $w$ neither shrinks nor grows through the layers.

    References
    ----------
    Karras, Laine and Aila, "A Style-Based Generator Architecture for Generative Adversarial
    Networks", CVPR 2019, arXiv:1812.04948, section 2 and appendix C.

    Examples
    --------
    >>> import torch
    >>> f = MappingNetwork(8, 16, layers=2, generator=torch.Generator().manual_seed(0))
    >>> f(torch.randn(5, 8)).shape
    torch.Size([5, 16])
    """

    def __init__(
        self,
        latent_dim: int = 32,
        w_dim: int = 64,
        layers: int = 3,
        *,
        eps: float = 1e-8,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        self.latent_dim = require_positive_int("latent_dim", latent_dim)
        self.w_dim = require_positive_int("w_dim", w_dim)
        require_positive_int("layers", layers)
        self.eps = require_positive("eps", eps)
        blocks: list[nn.Module] = []
        for k in range(layers):
            blocks.append(nn.Linear(self.latent_dim if k == 0 else self.w_dim, self.w_dim))
            if k < layers - 1:
                blocks.append(nn.LeakyReLU(0.2))
        self.net = nn.Sequential(*blocks)
        require_generator("generator", generator)
        with torch.no_grad():
            for layer in self.net:
                if isinstance(layer, nn.Linear):  # He's N(0, 2/fan_in): w keeps its scale
                    fan_in = layer.weight.shape[1]
                    draw = _draw_normal(layer.weight.shape, generator, layer.weight)
                    layer.weight.copy_(draw * math.sqrt(2.0 / fan_in))
                    layer.bias.zero_()

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        r"""Map latents (N, latent_dim) to intermediate latents (N, w_dim)."""
        z = _require_rows("z", z, self.latent_dim)
        # --8<-- [start:mapping]
        z_bar = z * torch.rsqrt(z.pow(2).mean(dim=1, keepdim=True) + self.eps)  # unit RMS
        return self.net(z_bar)  # w = f(z̄), (N, latent_dim) -> (N, w_dim)
        # --8<-- [end:mapping]
