r"""Toy distributions without modes to count: the 1-D Gaussian and the 2-D swiss roll.

This module draws samples; it does not train, plot or score them. The 1-D Gaussian is the real data
of the shift toy; the swiss roll follows the data generator of the WGAN-GP toy code (``gan_toy.py``
in igul222/improved_wgan_training), re-implemented in torch. The Gaussian mixtures of that code,
whose modes can be counted, live in ``ganbook.data.gaussian_mixtures``. Both samplers follow the
contract of ``ganbook.data._sampling``: one CPU generator, float64 draws, cast at the end.
"""

from __future__ import annotations

import math

import torch

from ganbook._checks import require_finite_number, require_positive
from ganbook.data._sampling import DeviceLike, check_sampler_arguments, standard_normal

__all__ = ["gaussian_1d", "swiss_roll"]

# The constants of gan_toy.py: noise std before scaling, and the divisor applied to the whole set.
_ROLL_NOISE, _ROLL_DIVISOR = 0.25, 7.5


def gaussian_1d(
    n: int,
    *,
    mean: float = 0.0,
    std: float = 1.0,
    generator: torch.Generator,
    device: DeviceLike = "cpu",
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    r"""Draw ``n`` samples of a 1-D Gaussian, the real data of the shift toy.

    $$
    x = \mu + \sigma \varepsilon, \qquad \varepsilon \sim \mathcal{N}(0, 1)
    $$

    Parameters
    ----------
    n : int
        Number of samples, at least 1.
    mean : float
        The mean $\mu$, any finite number.
    std : float
        The standard deviation $\sigma > 0$.
    generator : torch.Generator
        A CPU generator seeded by the caller; the only source of randomness.
    device : str or torch.device
        Where the result lives; the values do not depend on it (drawn on the CPU first).
    dtype : torch.dtype
        Floating-point type of the result (the sample is computed in float64, then cast).

    Returns
    -------
    torch.Tensor
        Shape (n, 1).

    References
    ----------
    Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014 (the 1-D Gaussian example).

    Examples
    --------
    >>> import torch
    >>> x = gaussian_1d(500, mean=3.0, std=0.5, generator=torch.Generator().manual_seed(0))
    >>> x.shape, x.dtype
    (torch.Size([500, 1]), torch.float32)
    """
    n, device, dtype = check_sampler_arguments(n, generator, device, dtype)
    mean = require_finite_number("mean", mean)
    std = require_positive("std", std)
    x = mean + std * standard_normal(n, 1, generator)  # (n, 1)
    return x.to(device=device, dtype=dtype)


def swiss_roll(
    n: int,
    *,
    generator: torch.Generator,
    device: DeviceLike = "cpu",
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    r"""Draw ``n`` points from the 2-D swiss roll of the WGAN-GP toy code.

    $$
    x = \frac{(t \cos t,\; t \sin t) + 0.25\,\varepsilon}{7.5}, \quad
    t = 1.5\pi(1 + 2u), \quad u \sim \mathcal{U}[0, 1), \quad \varepsilon \sim \mathcal{N}(0, I_2)
    $$

    This is columns x and z of scikit-learn's ``make_swiss_roll(noise=0.25)`` divided by 7.5, as in
    ``gan_toy.py``, written here in torch (scikit-learn's random stream is not reproduced). Before
    noise a point lies at distance $t/7.5 \in [0.2\pi, 0.6\pi]$ (about 0.628 to 1.885) from the
    origin; the noise std after scaling is 0.25/7.5 (about 0.0333).

    Parameters
    ----------
    n : int
        Number of points, at least 1.
    generator : torch.Generator
        A CPU generator seeded by the caller; draws $u$, then the noise.
    device : str or torch.device
        Where the result lives.
    dtype : torch.dtype
        Floating-point type of the result; the roll is computed in float64 and cast at the end.

    Returns
    -------
    torch.Tensor
        Shape (n, 2): the roll's x and z coordinates, divided by 7.5.

    References
    ----------
    Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017; code:
    github.com/igul222/improved_wgan_training, ``gan_toy.py``. Pedregosa et al., "Scikit-learn:
    Machine Learning in Python", JMLR 2011 (``sklearn.datasets.make_swiss_roll``).

    Examples
    --------
    >>> import torch
    >>> swiss_roll(256, generator=torch.Generator().manual_seed(0)).shape
    torch.Size([256, 2])
    """
    n, device, dtype = check_sampler_arguments(n, generator, device, dtype)
    u = torch.rand(n, generator=generator, dtype=torch.float64)  # (n,)
    t = 1.5 * math.pi * (1 + 2 * u)  # (n,) angle, also the radius
    x = torch.stack([t * t.cos(), t * t.sin()], dim=1)  # (n, 2)
    x = x + _ROLL_NOISE * standard_normal(n, 2, generator)  # (n, 2)
    return (x / _ROLL_DIVISOR).to(device=device, dtype=dtype)
