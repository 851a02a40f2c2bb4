r"""Toy distributions: a 1-D Gaussian and the 2-D toys of the WGAN-GP paper.

This module draws samples; it does not train, plot or score them (mode counting lives in
``ganbook.data.modes``). The 2-D toys follow the data generators of the WGAN-GP toy code
(``gan_toy.py`` in igul222/improved_wgan_training), re-implemented in torch.

Every sampler takes the sample count first and a keyword-only, required ``torch.Generator`` seeded
by the caller; global RNG state is never read. All random numbers are drawn on the CPU in float64
with that generator, the sample is computed in float64, and only then cast to ``dtype`` and moved to
``device``. Hence one seed gives the same sample on every device, and a float32 sample is the
float64 sample rounded.
"""

from __future__ import annotations

import math

import torch

from ganbook._checks import (
    require_cpu_generator,
    require_device,
    require_finite_number,
    require_float_dtype,
    require_positive,
    require_positive_int,
)

__all__ = [
    "EIGHT_GAUSSIANS_STD",
    "TWENTY_FIVE_GAUSSIANS_STD",
    "eight_gaussians",
    "eight_gaussians_centres",
    "gaussian_1d",
    "swiss_roll",
    "twenty_five_gaussians",
    "twenty_five_gaussians_centres",
]

# The constants of gan_toy.py: noise std before scaling, and the divisor applied to the whole set.
_RING_RADIUS, _RING_NOISE, _RING_DIVISOR = 2.0, 0.02, 1.414
_GRID_SPACING, _GRID_NOISE, _GRID_DIVISOR = 2.0, 0.05, 2.828
_ROLL_NOISE, _ROLL_DIVISOR = 0.25, 7.5

#: Standard deviation of each ring mode after scaling, 0.02 / 1.414 (about 0.01414).
EIGHT_GAUSSIANS_STD: float = _RING_NOISE / _RING_DIVISOR
#: Standard deviation of each grid mode after scaling, 0.05 / 2.828 (about 0.01768).
TWENTY_FIVE_GAUSSIANS_STD: float = _GRID_NOISE / _GRID_DIVISOR

DeviceLike = str | torch.device


def _check(n, generator, device, dtype) -> tuple[int, torch.device, torch.dtype]:
    r"""Validate the arguments every sampler shares."""
    require_cpu_generator("generator", generator)
    return (
        require_positive_int("n", n),
        require_device("device", device),
        require_float_dtype("dtype", dtype),
    )


def _randn(n: int, k: int, generator: torch.Generator) -> torch.Tensor:
    r"""Standard normal draws of shape (n, k), float64, on the CPU."""
    return torch.randn(n, k, generator=generator, dtype=torch.float64)


def _ring_centres() -> torch.Tensor:
    r"""The 8 ring centres before scaling: radius 2, angles k·45°, float64, shape (8, 2)."""
    angle = torch.arange(8, dtype=torch.float64) * (math.pi / 4)  # (8,)
    return _RING_RADIUS * torch.stack([angle.cos(), angle.sin()], dim=1)  # (8, 2)


def _grid_centres() -> torch.Tensor:
    r"""The 25 grid centres before scaling: (2i, 2j), i outer, float64, shape (25, 2)."""
    steps = torch.arange(-2, 3, dtype=torch.float64) * _GRID_SPACING  # (5,)
    return torch.cartesian_prod(steps, steps)  # (25, 2)


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
    n, device, dtype = _check(n, generator, device, dtype)
    mean = require_finite_number("mean", mean)
    std = require_positive("std", std)
    x = mean + std * _randn(n, 1, generator)  # (n, 1)
    return x.to(device=device, dtype=dtype)


def eight_gaussians_centres(
    *, device: DeviceLike = "cpu", dtype: torch.dtype = torch.float32
) -> torch.Tensor:
    r"""Return the 8 mode centres of ``eight_gaussians``, after scaling.

    $$
    c_k = \frac{2}{1.414} \left(\cos \tfrac{k\pi}{4}, \sin \tfrac{k\pi}{4}\right), \quad k = 0..7
    $$

    Parameters
    ----------
    device : str or torch.device
        Where the result lives.
    dtype : torch.dtype
        Floating-point type of the result (computed in float64, then cast).

    Returns
    -------
    torch.Tensor
        Shape (8, 2), ordered by angle counter-clockwise from (2/1.414, 0); each row has norm
        2/1.414 (about 1.4144).

    Examples
    --------
    >>> eight_gaussians_centres().shape
    torch.Size([8, 2])
    """
    device, dtype = require_device("device", device), require_float_dtype("dtype", dtype)
    return (_ring_centres() / _RING_DIVISOR).to(device=device, dtype=dtype)


def eight_gaussians(
    n: int,
    *,
    generator: torch.Generator,
    device: DeviceLike = "cpu",
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    r"""Draw ``n`` points from the ring of 8 Gaussians of the WGAN-GP toy code.

    $$
    x = \frac{c_k + 0.02\,\varepsilon}{1.414}, \quad k \sim \mathcal{U}\{0..7\},
    \quad c_k = 2\left(\cos \tfrac{k\pi}{4}, \sin \tfrac{k\pi}{4}\right),
    \quad \varepsilon \sim \mathcal{N}(0, I_2)
    $$

    Scaling: centres on the circle of radius 2, noise std 0.02, then every point divided by 1.414,
    exactly as ``gan_toy.py``. After scaling the modes sit at radius 2/1.414 (about 1.4144) with std
    ``EIGHT_GAUSSIANS_STD`` = 0.02/1.414 (about 0.01414); see ``eight_gaussians_centres``.

    Parameters
    ----------
    n : int
        Number of points, at least 1.
    generator : torch.Generator
        A CPU generator seeded by the caller; draws the mode indices, then the noise.
    device : str or torch.device
        Where the result lives; the values do not depend on it (drawn on the CPU first).
    dtype : torch.dtype
        Floating-point type of the result (computed in float64, then cast).

    Returns
    -------
    torch.Tensor
        Shape (n, 2).

    References
    ----------
    Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017; code:
    github.com/igul222/improved_wgan_training, ``gan_toy.py``.

    Examples
    --------
    >>> import torch
    >>> eight_gaussians(256, generator=torch.Generator().manual_seed(0)).shape
    torch.Size([256, 2])
    """
    n, device, dtype = _check(n, generator, device, dtype)
    k = torch.randint(0, 8, (n,), generator=generator)  # (n,) mode index
    centres = _ring_centres()  # (8, 2), before scaling
    x = centres[k] + _RING_NOISE * _randn(n, 2, generator)  # (n, 2)
    return (x / _RING_DIVISOR).to(device=device, dtype=dtype)


def twenty_five_gaussians_centres(
    *, device: DeviceLike = "cpu", dtype: torch.dtype = torch.float32
) -> torch.Tensor:
    r"""Return the 25 mode centres of ``twenty_five_gaussians``, after scaling.

    $$
    c_{ij} = \frac{(2i, 2j)}{2.828}, \quad i, j \in \{-2, -1, 0, 1, 2\}
    $$

    Parameters
    ----------
    device : str or torch.device
        Where the result lives.
    dtype : torch.dtype
        Floating-point type of the result (computed in float64, then cast).

    Returns
    -------
    torch.Tensor
        Shape (25, 2); row ``5 (i + 2) + (j + 2)`` holds $c_{ij}$ (``i`` outer, as in
        ``gan_toy.py``).

    Examples
    --------
    >>> twenty_five_gaussians_centres().shape
    torch.Size([25, 2])
    """
    device, dtype = require_device("device", device), require_float_dtype("dtype", dtype)
    return (_grid_centres() / _GRID_DIVISOR).to(device=device, dtype=dtype)


def twenty_five_gaussians(
    n: int,
    *,
    generator: torch.Generator,
    device: DeviceLike = "cpu",
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    r"""Draw ``n`` points from the 5×5 grid of Gaussians of the WGAN-GP toy code.

    $$
    x = \frac{(2i, 2j) + 0.05\,\varepsilon}{2.828}, \quad (i, j) \sim \mathcal{U}\{-2..2\}^2,
    \quad \varepsilon \sim \mathcal{N}(0, I_2)
    $$

    Scaling: centres on the grid (2i, 2j), noise std 0.05, then every point divided by 2.828,
    exactly as ``gan_toy.py``. After scaling the modes sit at (2i, 2j)/2.828 with std
    ``TWENTY_FIVE_GAUSSIANS_STD`` = 0.05/2.828 (about 0.01768).

    Parameters
    ----------
    n : int
        Number of points, at least 1.
    generator : torch.Generator
        A CPU generator seeded by the caller; draws the mode indices, then the noise.
    device : str or torch.device
        Where the result lives; the values do not depend on it (drawn on the CPU first).
    dtype : torch.dtype
        Floating-point type of the result (computed in float64, then cast).

    Returns
    -------
    torch.Tensor
        Shape (n, 2).

    Notes
    -----
    ``gan_toy.py`` draws a fixed pool of 100,000 points (4,000 per mode) once, shuffles it and
    cycles through it. Here every call draws fresh points with the mode chosen uniformly at random:
    the same distribution, without the finite pool.

    References
    ----------
    Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017; code:
    github.com/igul222/improved_wgan_training, ``gan_toy.py``.

    Examples
    --------
    >>> import torch
    >>> twenty_five_gaussians(256, generator=torch.Generator().manual_seed(0)).shape
    torch.Size([256, 2])
    """
    n, device, dtype = _check(n, generator, device, dtype)
    k = torch.randint(0, 25, (n,), generator=generator)  # (n,) mode index
    centres = _grid_centres()  # (25, 2), before scaling
    x = centres[k] + _GRID_NOISE * _randn(n, 2, generator)  # (n, 2)
    return (x / _GRID_DIVISOR).to(device=device, dtype=dtype)


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
        Where the result lives; the values do not depend on it (drawn on the CPU first).
    dtype : torch.dtype
        Floating-point type of the result (computed in float64, then cast).

    Returns
    -------
    torch.Tensor
        Shape (n, 2).

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
    n, device, dtype = _check(n, generator, device, dtype)
    u = torch.rand(n, generator=generator, dtype=torch.float64)  # (n,)
    t = 1.5 * math.pi * (1 + 2 * u)  # (n,) angle, also the radius
    x = torch.stack([t * t.cos(), t * t.sin()], dim=1)  # (n, 2)
    x = x + _ROLL_NOISE * _randn(n, 2, generator)  # (n, 2)
    return (x / _ROLL_DIVISOR).to(device=device, dtype=dtype)
