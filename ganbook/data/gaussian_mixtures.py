r"""The Gaussian mixtures of the WGAN-GP toy code: a ring of 8 modes and a 5×5 grid of 25.

Both follow the data generators of ``gan_toy.py`` (igul222/improved_wgan_training), re-implemented
in torch: a mode chosen uniformly at random, its centre on the unscaled layout plus isotropic
Gaussian noise, then every point divided by one constant. The mode centres and standard deviations
after that scaling are public too, since mode counting (``ganbook.data.modes``) needs them. The
samplers follow the contract of ``ganbook.data._sampling``: one CPU generator, float64 draws.
"""

from __future__ import annotations

import functools
import math

import torch

from ganbook._checks import require_device, require_float_dtype
from ganbook.data._sampling import DeviceLike, check_sampler_arguments, standard_normal

__all__ = [
    "EIGHT_GAUSSIANS_STD",
    "TWENTY_FIVE_GAUSSIANS_STD",
    "eight_gaussians",
    "eight_gaussians_centres",
    "twenty_five_gaussians",
    "twenty_five_gaussians_centres",
]

# The constants of gan_toy.py: noise std before scaling, and the divisor applied to the whole set.
_RING_RADIUS, _RING_NOISE, _RING_DIVISOR = 2.0, 0.02, 1.414
_GRID_SPACING, _GRID_NOISE, _GRID_DIVISOR = 2.0, 0.05, 2.828

EIGHT_GAUSSIANS_STD: float = _RING_NOISE / _RING_DIVISOR
r"""Standard deviation of each ring mode after scaling, 0.02 / 1.414 (about 0.01414)."""
TWENTY_FIVE_GAUSSIANS_STD: float = _GRID_NOISE / _GRID_DIVISOR
r"""Standard deviation of each grid mode after scaling, 0.05 / 2.828 (about 0.01768)."""


@functools.cache
def _ring_centres() -> torch.Tensor:
    r"""The 8 ring centres before scaling: radius 2, angles k·45°, float64, shape (8, 2).

    Computed once (every batch of a run draws from them); callers only read it.
    """
    angle = torch.arange(8, dtype=torch.float64) * (math.pi / 4)  # (8,)
    return _RING_RADIUS * torch.stack([angle.cos(), angle.sin()], dim=1)  # (8, 2)


@functools.cache
def _grid_centres() -> torch.Tensor:
    r"""The 25 grid centres before scaling: (2i, 2j), i outer, float64, shape (25, 2).

    Computed once; callers only read it.
    """
    steps = torch.arange(-2, 3, dtype=torch.float64) * _GRID_SPACING  # (5,)
    return torch.cartesian_prod(steps, steps)  # (25, 2)


def _scaled_centres(
    centres: torch.Tensor, divisor: float, device: DeviceLike, dtype: torch.dtype
) -> torch.Tensor:
    r"""Check ``device`` and ``dtype``, then return ``centres / divisor`` cast and moved there."""
    device, dtype = require_device("device", device), require_float_dtype("dtype", dtype)
    return (centres / divisor).to(device=device, dtype=dtype)


def _sample_mixture(
    centres: torch.Tensor, noise: float, divisor: float, n, generator, device, dtype
) -> torch.Tensor:
    r"""Draw ``(centres[k] + noise ε) / divisor``: the mode index ``k`` first, then ``ε``."""
    n, device, dtype = check_sampler_arguments(n, generator, device, dtype)
    k = torch.randint(0, len(centres), (n,), generator=generator)  # (n,) mode index
    x = centres[k] + noise * standard_normal(n, 2, generator)  # (n, 2), before scaling
    return (x / divisor).to(device=device, dtype=dtype)


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
    return _scaled_centres(_ring_centres(), _RING_DIVISOR, device, dtype)


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
    github.com/igul222/improved_wgan_training, ``gan_toy.py`` (its ``8gaussians`` data set).

    Examples
    --------
    >>> import torch
    >>> eight_gaussians(256, generator=torch.Generator().manual_seed(0)).shape
    torch.Size([256, 2])
    """
    return _sample_mixture(_ring_centres(), _RING_NOISE, _RING_DIVISOR, n, generator, device, dtype)


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
        Where the result lives, as for ``eight_gaussians_centres``.
    dtype : torch.dtype
        Floating-point type of the result, as for ``eight_gaussians_centres``.

    Returns
    -------
    torch.Tensor
        Shape (25, 2); row ``5 (i + 2) + (j + 2)`` holds $c_{ij}$ (``i`` outer, as in
        ``gan_toy.py``).

    Examples
    --------
    >>> centres = twenty_five_gaussians_centres()
    >>> centres.shape, centres[12].tolist()  # row 12 is (i, j) = (0, 0)
    (torch.Size([25, 2]), [0.0, 0.0])
    """
    return _scaled_centres(_grid_centres(), _GRID_DIVISOR, device, dtype)


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
        A CPU generator seeded by the caller; draws the grid cells $(i, j)$, then the noise.
    device : str or torch.device
        Where the result lives; the values are the same on every device.
    dtype : torch.dtype
        Floating-point type of the result: the float64 sample, cast.

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
    github.com/igul222/improved_wgan_training, ``gan_toy.py`` (its ``25gaussians`` data set).

    Examples
    --------
    >>> import torch
    >>> x = twenty_five_gaussians(256, generator=torch.Generator().manual_seed(0))
    >>> x.shape, x.dtype
    (torch.Size([256, 2]), torch.float32)
    """
    return _sample_mixture(_grid_centres(), _GRID_NOISE, _GRID_DIVISOR, n, generator, device, dtype)
