r"""What the chapters measure on trained toy GANs, defined once: coverage, W1, maps, members.

- `ring_data`: real points of the ring of 8 Gaussians for `train` (a sampler).
- `nearest_mode`, `covered_modes`: which mode a point belongs to; how many modes a sample covers.
- `sample_w1`: the exact $W_1$ between two equally weighted point clouds (POT's solver).
- `plane_grid`, `evaluate`: a network evaluated on a grid of the plane, on the host.
- `median_member`: the member of a seed ensemble that a one-run figure shows, by a stated rule.

This layer imports data and models; chapters import it, never each other.
"""

from __future__ import annotations

import numpy as np
import ot
import torch

from ganbook.data import (
    EIGHT_GAUSSIANS_STD,
    count_covered_modes,
    eight_gaussians,
    eight_gaussians_centres,
)
from ganbook.training import reproducible_torch

__all__ = [
    "COVERAGE_RADIUS",
    "covered_modes",
    "evaluate",
    "median_member",
    "nearest_mode",
    "plane_grid",
    "ring_data",
    "sample_w1",
]

COVERAGE_RADIUS = 3.0
r"""A sample is "on" a mode within this many standard deviations of its centre."""


def ring_data(n: int, generator: torch.Generator) -> torch.Tensor:
    r"""$n$ real points of the ring, drawn on the CPU; `train()` moves them to its device."""
    return eight_gaussians(n, generator=generator)


def nearest_mode(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Index of the nearest ring centre and the distance to it, for points of shape (N, 2)."""
    centres = eight_gaussians_centres(dtype=torch.float64).numpy()  # (8, 2)
    distance = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2)  # (N, 8)
    return distance.argmin(axis=1), distance.min(axis=1)


def covered_modes(samples: np.ndarray) -> int:
    r"""Modes of the ring with at least 20 of ``samples`` within 3σ (`count_covered_modes`)."""
    points = torch.as_tensor(np.asarray(samples), dtype=torch.float64)
    centres = eight_gaussians_centres(dtype=torch.float64)
    return count_covered_modes(points, centres, EIGHT_GAUSSIANS_STD)


def sample_w1(a: np.ndarray, b: np.ndarray) -> float:
    r"""Exact $W_1$ between two equally weighted point clouds, Euclidean cost, by POT's solver.

    $$
    W_1(\hat\mu, \hat\nu) = \min_{\pi \in \Pi(\frac1n\mathbf 1, \frac1m\mathbf 1)}
    \sum_{ij} \pi_{ij}\,\lVert a_i - b_j \rVert_2
    $$
    """
    # --8<-- [start:sample_w1]
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    cost = ot.dist(a, b, metric="euclidean")  # C_ij = ‖a_i − b_j‖₂, not squared
    return float(ot.emd2(ot.unif(len(a)), ot.unif(len(b)), cost, numItermax=10**7))
    # --8<-- [end:sample_w1]


def plane_grid(extent: float, points: int) -> np.ndarray:
    r"""The points of an evenly spaced ``points`` × ``points`` grid over $[-e, e]^2$, row by row."""
    axis = np.linspace(-extent, extent, points)
    xx, yy = np.meshgrid(axis, axis)  # row i has y = axis[i]
    return np.stack([xx.ravel(), yy.ravel()], axis=1)  # (points², 2)


@torch.no_grad()
def evaluate(module: torch.nn.Module, points: np.ndarray, device: torch.device) -> np.ndarray:
    r"""``module`` applied to ``points`` (N, d) on ``device``, one thread; float64 on the host."""
    with reproducible_torch(1):
        x = torch.as_tensor(points, dtype=torch.float32, device=device)
        return module(x).double().cpu().numpy()


def median_member(values: np.ndarray) -> int:
    r"""The index of the member whose value is the median (the lower one for an even count).

    The rule by which a figure of one run picks its run from a seed ensemble: sort the members
    by ``values`` (say, the final $W_1$ to the data) and take the middle one, ties broken by
    member index.

    Examples
    --------
    >>> median_member(np.array([0.3, 0.1, 0.9, 0.2, 0.5]))
    0
    """
    order = np.argsort(np.asarray(values, dtype=float), kind="stable")
    return int(order[(len(order) - 1) // 2])
