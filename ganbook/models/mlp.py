r"""Multilayer perceptrons for the 2-D toys: a generator and a discriminator (or critic).

The shape follows the WGAN-GP toy code: a stack of fully connected ReLU layers of one width, then a
linear output. This module defines the networks; it does not sample latents or train.
"""

from __future__ import annotations

import torch
from torch import nn

from ganbook._checks import require_positive_int
from ganbook.models.initialisation import default_init_

__all__ = ["MLPDiscriminator", "MLPGenerator"]


def _mlp(
    in_dim: int, hidden: int, depth: int, out_dim: int, generator: torch.Generator | None
) -> nn.Sequential:
    """``depth`` Linear+ReLU hidden layers of width ``hidden``, then a linear output layer.

    ``in_dim`` must already be checked; ``hidden``, ``depth`` and ``out_dim`` are checked here, in
    that order. With a ``generator`` the weights are redrawn from it by ``default_init_``.
    """
    hidden = require_positive_int("hidden", hidden)
    depth = require_positive_int("depth", depth)
    out_dim = require_positive_int("out_dim", out_dim)
    # --8<-- [start:mlp_layers]
    layers: list[nn.Module] = [nn.Linear(in_dim, hidden), nn.ReLU()]  # (N, in) -> (N, hidden)
    for _ in range(depth - 1):
        layers += [nn.Linear(hidden, hidden), nn.ReLU()]  # (N, hidden) -> (N, hidden)
    layers.append(nn.Linear(hidden, out_dim))  # (N, hidden) -> (N, out)
    # --8<-- [end:mlp_layers]
    net = nn.Sequential(*layers)
    if generator is not None:
        default_init_(net, generator=generator)
    return net


class MLPGenerator(nn.Module):
    r"""Fully connected ReLU generator mapping a latent vector to a point.

    $$
    h_0 = z, \quad h_l = \mathrm{ReLU}(W_l h_{l-1} + b_l)\ (l = 1..L), \quad
    G(z) = W_{L+1} h_L + b_{L+1}
    $$

    Parameters
    ----------
    latent_dim : int
        Size of the latent $z$, at least 1.
    hidden : int
        Width of every hidden layer, at least 1.
    depth : int
        Number $L \ge 1$ of hidden layers.
    out_dim : int
        Size of a generated point, at least 1.
    generator : torch.Generator or None
        A CPU generator: weights are drawn from it (PyTorch's default distribution, see
        ``default_init_``) so that construction is reproducible. None keeps PyTorch's default
        initialisation from the global RNG.

    Attributes
    ----------
    latent_dim : int
        Size of the latent the forward pass expects.

    Notes
    -----
    The WGAN-GP toy code uses width 512, depth 3 and He initialisation; the defaults here (width
    128, PyTorch's initialisation) are smaller so that the book's toy runs fit a CPU budget.

    References
    ----------
    Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017 (``gan_toy.py``,
    its ``Generator``).

    Examples
    --------
    >>> import torch
    >>> g = MLPGenerator(generator=torch.Generator().manual_seed(0))
    >>> g(torch.randn(5, g.latent_dim)).shape
    torch.Size([5, 2])
    """

    def __init__(
        self,
        latent_dim: int = 2,
        hidden: int = 128,
        depth: int = 3,
        out_dim: int = 2,
        *,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        self.latent_dim = require_positive_int("latent_dim", latent_dim)
        # (N, latent_dim) -> (N, out_dim)
        self.net = _mlp(self.latent_dim, hidden, depth, out_dim, generator)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        r"""Map latents of shape (N, latent_dim) to points of shape (N, out_dim)."""
        return self.net(z)  # (N, latent_dim) -> (N, out_dim)


class MLPDiscriminator(nn.Module):
    r"""Fully connected ReLU discriminator: one raw score (logit or critic value) per point.

    $$
    h_0 = x, \quad h_l = \mathrm{ReLU}(W_l h_{l-1} + b_l)\ (l = 1..L), \quad
    D(x) = w_{L+1}^\top h_L + b_{L+1}
    $$

    No sigmoid is applied: the losses take raw outputs.

    Parameters
    ----------
    in_dim : int
        Size of a point, at least 1.
    hidden : int
        Width of every hidden layer, at least 1.
    depth : int
        Number $L \ge 1$ of hidden layers.
    generator : torch.Generator or None
        A CPU generator for reproducible weights (see ``MLPGenerator``); None keeps PyTorch's
        default initialisation from the global RNG.

    References
    ----------
    Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017 (``gan_toy.py``,
    its ``Discriminator``).

    Examples
    --------
    >>> import torch
    >>> d = MLPDiscriminator(generator=torch.Generator().manual_seed(0))
    >>> d(torch.randn(5, 2)).shape
    torch.Size([5, 1])
    """

    def __init__(
        self,
        in_dim: int = 2,
        hidden: int = 128,
        depth: int = 3,
        *,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        in_dim = require_positive_int("in_dim", in_dim)
        self.net = _mlp(in_dim, hidden, depth, 1, generator)  # (N, in_dim) -> (N, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        r"""Score points of shape (N, in_dim), giving shape (N, 1)."""
        return self.net(x)  # (N, in_dim) -> (N, 1)
