r"""Measures of a sample of the ring of 8 Gaussians: its modes and its distance to the data.

- `ring_data`: real points of the ring for `train` (a sampler).
- `nearest_mode`, `on_mode`, `covered_modes`, `mode_shares`: which mode a point belongs to, whether
  it lies on it, how many modes a sample covers and how its mass is spread over them.
- `sample_w1`, `real_w1_floor`: the exact $W_1$ between two point clouds (one POT call), and
  the $W_1$ between two real samples, below which no generator's sample can be told apart.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import ot
import torch

from ganbook.data import (
    EIGHT_GAUSSIANS_STD,
    count_covered_modes,
    eight_gaussians,
    eight_gaussians_centres,
)

__all__ = [
    "COVERAGE_RADIUS",
    "RING_MODES",
    "covered_modes",
    "mode_shares",
    "nearest_mode",
    "on_mode",
    "real_w1_floor",
    "ring_data",
    "sample_w1",
]

COVERAGE_RADIUS = 3.0
r"""A sample is "on" a mode within this many standard deviations of its centre."""
RING_MODES = 8
r"""The modes of the ring, the structure of the data set."""


def ring_data(n: int, generator: torch.Generator) -> torch.Tensor:
    r"""$n$ real points of the ring, drawn on the CPU; `train()` moves them to its device."""
    return eight_gaussians(n, generator=generator)


def nearest_mode(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Index of the nearest ring centre and the distance to it, for points of shape (N, 2).

    Examples
    --------
    >>> mode, distance = nearest_mode(np.zeros((1, 2)))
    >>> round(float(distance[0]), 3)  # the centre of the ring is a radius away from every mode
    1.414
    """
    centres = eight_gaussians_centres(dtype=torch.float64).numpy()  # (8, 2)
    distance = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2)  # (N, 8)
    return distance.argmin(axis=1), distance.min(axis=1)


def on_mode(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""The nearest mode of each point and whether the point lies on it (`COVERAGE_RADIUS` σ).

    $$
    \text{on}(x) = \bigl[\min_k \lVert x - c_k\rVert_2 \le \rho\,\sigma\bigr],
    \qquad \rho = 3,\ \sigma = \texttt{EIGHT\_GAUSSIANS\_STD}
    $$
    """
    mode, distance = nearest_mode(points)
    return mode, distance <= COVERAGE_RADIUS * EIGHT_GAUSSIANS_STD


def covered_modes(samples: np.ndarray) -> int:
    r"""Modes of the ring with at least 20 of ``samples`` within 3σ (`count_covered_modes`)."""
    points = torch.as_tensor(np.asarray(samples), dtype=torch.float64)
    centres = eight_gaussians_centres(dtype=torch.float64)
    return count_covered_modes(points, centres, EIGHT_GAUSSIANS_STD)


def mode_shares(points: np.ndarray) -> np.ndarray:
    r"""Per mode, the fraction of all ``points`` that lie on it (`on_mode`): shape (8,).

    $$
    s_k = \frac{1}{N}\,\#\{\, i : \text{mode}(x_i) = k,\ \text{on}(x_i) \,\}
    $$

    The shares sum to the fraction of points on some mode, at most 1.
    """
    mode, on = on_mode(points)
    return np.bincount(mode[on], minlength=RING_MODES) / len(points)


def sample_w1(a: np.ndarray, b: np.ndarray) -> float:
    r"""Exact $W_1$ between two equally weighted point clouds, Euclidean cost, by POT's solver.

    $$
    W_1(\hat\mu, \hat\nu) = \min_{\pi \in \Pi(\frac1n\mathbf 1, \frac1m\mathbf 1)}
    \sum_{ij} \pi_{ij}\,\lVert a_i - b_j \rVert_2
    $$

    Parameters
    ----------
    a, b : array_like, shapes (n, d) and (m, d)
        The two clouds; each point carries mass $1/n$ (resp. $1/m$).

    Returns
    -------
    float
        The optimal transport cost, solved exactly (network simplex, up to $10^7$ iterations).

    References
    ----------
    Flamary, R. et al. (2021). POT: Python Optimal Transport. *JMLR* 22(78).

    Examples
    --------
    >>> sample_w1(np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([[0.0, 1.0], [1.0, 1.0]]))
    1.0
    """
    # --8<-- [start:sample_w1]
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    cost = ot.dist(a, b, metric="euclidean")  # C_ij = ‖a_i − b_j‖₂, not squared
    return float(ot.emd2(ot.unif(len(a)), ot.unif(len(b)), cost, numItermax=10**7))
    # --8<-- [end:sample_w1]


def real_w1_floor(
    data: Callable[[int, torch.Generator], torch.Tensor],
    n: int,
    generator: torch.Generator,
    reference: np.ndarray | None = None,
) -> float:
    r"""$W_1$ between two real samples: what a generator that *is* the data would score.

    $$
    \underline{W}_1 = W_1\bigl(\hat\mu_n, \hat\mu'_n\bigr),
    \qquad \hat\mu_n, \hat\mu'_n \text{ two samples of } p_\text{data}
    $$

    A sample's $W_1$ to the data is only meaningful well above this floor: two samples of the
    same distribution are apart by it already.

    Parameters
    ----------
    data : callable
        The sampler ``data(n, generator)`` (e.g. `ring_data`).
    n : int
        Points per sample, as many as the samples whose $W_1$ it is compared with.
    generator : torch.Generator
        Draws the first sample, and the second one after it when ``reference`` is None.
    reference : numpy.ndarray, optional
        A real sample already drawn (the one generated samples are compared with).

    Returns
    -------
    float
        ``sample_w1(first, reference)``, the first sample drawn first.
    """
    first = data(n, generator).numpy()
    second = data(n, generator).numpy() if reference is None else reference
    return sample_w1(first, second)
