r"""Experiments of the chapter "When the supports do not overlap": KL, JS, TV and $W_1$ compared.

`disjoint_supports_divergences` evaluates the four on exact discretisations: the parallel lines of
Arjovsky et al. (2017) in the plane (the earth mover's distance by linear programming over every
pair of points), and narrow uniform distributions of width $\varepsilon$ on a line, shifted by
$\theta$ on a grid whose spacing divides both. The gradients that reach the generator are the
subject of `ganbook.experiments.vanishing_gradients`.
"""

from __future__ import annotations

import math

import numpy as np

from ganbook.divergences import (
    earth_movers_distance,
    js_divergence,
    kl_divergence,
    total_variation,
    wasserstein_1d,
)
from ganbook.experiments.registry import RunContext, experiment
from ganbook.experiments.result import ExperimentResult

LOG_2 = math.log(2.0)


def uniform_on_grid(size: int, first: int, count: int, shift: int) -> np.ndarray:
    r"""A probability vector on ``size`` grid points: mass $1/\text{count}$ on ``count`` consecutive
    points starting at index ``first + shift``, 0 elsewhere."""
    p = np.zeros(size)
    p[first + shift : first + shift + count] = 1.0 / count
    return p


def four_distances(p: np.ndarray, q: np.ndarray, w1: float) -> np.ndarray:
    r"""$(\mathrm{KL}(p \| q), \mathrm{JS}(p \| q), \delta(p, q), W_1)$ as one row."""
    return np.array([kl_divergence(p, q), js_divergence(p, q), total_variation(p, q), w1])


def parallel_lines(theta: float, rows: int) -> np.ndarray:
    r"""The four distances between $\delta_0 \times U$ and $\delta_\theta \times U$ in the plane.

    $U$ is the uniform law on ``rows`` midpoints of $[0, 1]$. KL, JS and $\delta$ are taken on the
    union of the two supports; $W_1$ is the earth mover's distance with the Euclidean cost, by
    linear programming over all $\text{rows}^2$ pairs of points.
    """
    y = (np.arange(rows) + 0.5) / rows
    u = np.full(rows, 1.0 / rows)
    cost = np.hypot(theta, y[:, None] - y[None, :])  # |(0, y_i) - (θ, y_j)|
    w1 = earth_movers_distance(u, u, cost).distance
    if theta == 0.0:  # one support: both distributions are U on the same points
        return four_distances(u, u, w1)
    zeros = np.zeros(rows)
    return four_distances(np.concatenate([u, zeros]), np.concatenate([zeros, u]), w1)


@experiment(
    "disjoint_supports_divergences",
    params={
        "widths": [0.5, 0.2, 0.05],
        "spacing": 0.005,
        "theta_max": 1.0,
        "theta_stride": 2,
        "plane_thetas": 21,
        "plane_rows": 11,
    },
    test={"theta_stride": 8, "plane_thetas": 5, "plane_rows": 5},
    uses_torch_device=False,
    title="KL, JS, TV and W₁ against θ: parallel lines in the plane, narrow uniforms on a line",
)
def disjoint_supports_divergences(params, context: RunContext) -> ExperimentResult:
    h, widths = params["spacing"], np.asarray(params["widths"], dtype=float)
    counts = np.rint(widths / h).astype(int)  # grid points under each uniform
    reach = int(np.rint(params["theta_max"] / h))  # largest shift, in grid points
    half = reach + counts.max()
    x = h * np.arange(-half, half + 1)  # the grid, symmetric around 0
    shifts = np.arange(-reach, reach + 1, params["theta_stride"])  # θ = shift · h, exactly
    thetas = h * shifts
    line = np.empty((len(widths), len(shifts), 4))
    for i, count in enumerate(counts):
        first = half - count // 2  # the data: U of width ε around 0
        p = uniform_on_grid(x.size, first, count, 0)
        for j, shift in enumerate(shifts):
            q = uniform_on_grid(x.size, first, count, shift)
            line[i, j] = four_distances(p, q, wasserstein_1d(x, x, p, q))
    # closed forms of the narrow uniforms: JS = min(|θ|/ε, 1) log 2, TV = min(|θ|/ε, 1)
    overlap = np.minimum(np.abs(shifts)[None, :] / counts[:, None], 1.0)
    plane_thetas = np.linspace(-params["theta_max"], params["theta_max"], params["plane_thetas"])
    plane = np.stack([parallel_lines(t, params["plane_rows"]) for t in plane_thetas])
    off = plane_thetas != 0.0
    widest = int(np.argmax(widths))
    half_out = int(np.argmin(np.abs(thetas - widths[widest] / 2)))  # θ = ε/2: half sticks out
    kl_finite_off_zero = np.isfinite(line[:, :, 0][:, shifts != 0])
    return ExperimentResult(
        arrays={
            "widths": widths,
            "thetas": thetas,
            "line": line,
            "plane_thetas": plane_thetas,
            "plane": plane,
        },
        scalars={
            "spacing": h,
            "plane_rows": params["plane_rows"],
            "line_js_gap": float(np.max(np.abs(line[:, :, 1] - overlap * LOG_2))),
            "line_tv_gap": float(np.max(np.abs(line[:, :, 2] - overlap))),
            "line_w1_gap": float(np.max(np.abs(line[:, :, 3] - np.abs(thetas)))),
            "line_kl_finite_off_zero": int(kl_finite_off_zero.sum()),
            "line_kl_at_zero": float(np.max(line[:, shifts == 0, 0])),
            "plane_kl_finite_off_zero": int(np.isfinite(plane[off, 0]).sum()),
            "plane_js_gap": float(np.max(np.abs(plane[off, 1] - LOG_2))),
            "plane_tv_gap": float(np.max(np.abs(plane[off, 2] - 1.0))),
            "plane_w1_gap": float(np.max(np.abs(plane[:, 3] - np.abs(plane_thetas)))),
            "plane_at_zero": float(np.max(np.abs(plane[~off]))),
            "log_2": LOG_2,
            "narrowest": float(widths.min()),
            "widest": float(widths[widest]),
            "js_half_overlap": float(line[widest, half_out, 1]),
            "theta_half_overlap": float(thetas[half_out]),
        },
    )
