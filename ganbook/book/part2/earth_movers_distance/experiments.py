r"""Experiment of the earth mover's distance chapter: one transport problem solved three ways.

A bimodal "data" histogram $p$ and a unimodal "model" histogram $q$ live on the same small grid of
the line, with cost $C_{ij} = |x_i - x_j|$. The experiment solves the primal linear program
(`earth_movers_distance`), the Kantorovich dual (`earth_movers_dual`) and the closed form by
cumulative distributions (`wasserstein_1d`), and keeps what the chapter quotes: the distance by
each route, the plan, the potentials and how far the plan moves the mass. It is pure numpy/scipy.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from ganbook.divergences import earth_movers_distance, earth_movers_dual, wasserstein_1d
from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult


def discretised_mixture(
    x: np.ndarray, centres: list[float], widths: list[float], weights: list[float]
) -> np.ndarray:
    r"""A Gaussian mixture's density at the grid points ``x``, normalised to sum to 1."""
    density = sum(
        w * stats.norm.pdf(x, c, s) for c, s, w in zip(centres, widths, weights, strict=True)
    )
    return density / density.sum()


def quantile_plan(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    r"""The monotone (quantile) coupling of ``p`` and ``q`` on sorted supports.

    $\gamma_{ij}$ is the length of the overlap of the intervals $[F_p(x_{i-1}), F_p(x_i)]$ and
    $[F_q(y_{j-1}), F_q(y_j)]$: the $u$-th quantile of $p$ is sent to the $u$-th quantile of $q$.
    On the line, with cost $|x - y|$, this plan is optimal (Villani 2009, remark 2.19).
    """
    upper_p, upper_q = np.cumsum(p), np.cumsum(q)
    low = np.maximum.outer(upper_p - p, upper_q - q)
    high = np.minimum.outer(upper_p, upper_q)
    return np.clip(high - low, 0.0, None)


def potential_from_cdfs(x: np.ndarray, cdf_p: np.ndarray, cdf_q: np.ndarray) -> np.ndarray:
    r"""The 1-Lipschitz potential with $f(x_0) = 0$ and slope $\operatorname{sign}(F_q - F_p)$.

    Summation by parts turns $\sum_i (p_i - q_i) f_i$ into
    $\sum_i (F_q(x_i) - F_p(x_i))(f_{i+1} - f_i)$, which slopes of $\pm 1$ following the sign of
    $F_q - F_p$ maximise.
    """
    steps = np.sign(cdf_q - cdf_p)[:-1] * np.diff(x)
    return np.concatenate([[0.0], np.cumsum(steps)])


def mass_by_distance(plan: np.ndarray, bins: int) -> np.ndarray:
    r"""Entry $k$: the mass that ``plan`` moves $k$ grid steps, $\sum_{|i-j| = k} \gamma_{ij}$."""
    i, j = np.indices(plan.shape)
    return np.bincount(np.abs(i - j).ravel(), weights=plan.ravel(), minlength=bins)


@experiment(
    "emd_worked_example",
    params={
        "bins": 16,
        "data_centres": [3.0, 12.0],
        "data_widths": [1.2, 1.5],
        "data_weights": [0.4, 0.6],
        "model_centre": 7.5,
        "model_width": 2.0,
        "far": 4,
    },
    uses_torch_device=False,
    title="Earth mover's distance of a bimodal and a unimodal histogram: primal, dual, CDF",
)
def emd_worked_example(params, _context: RunContext) -> ExperimentResult:
    x = np.arange(params["bins"], dtype=float)  # grid points 0, 1, ..., bins - 1
    p = discretised_mixture(
        x, params["data_centres"], params["data_widths"], params["data_weights"]
    )
    q = discretised_mixture(x, [params["model_centre"]], [params["model_width"]], [1.0])
    cost = np.abs(x[:, None] - x[None, :])  # C_ij = |x_i - x_j|
    primal = earth_movers_distance(p, q, cost)
    dual = earth_movers_dual(p, q, cost)
    cdf_p, cdf_q = np.cumsum(p), np.cumsum(q)
    plan, monotone = primal.plan, quantile_plan(p, q)
    moved = mass_by_distance(plan, params["bins"])
    lag = np.abs(np.subtract.outer(np.arange(x.size), np.arange(x.size)))
    used = plan > 1e-12
    longest = int(lag[used].max())
    big_i, big_j = np.unravel_index(np.argmax(plan), plan.shape)
    return ExperimentResult(
        arrays={
            "x": x,
            "p": p,
            "q": q,
            "plan": plan,
            "quantile_plan": monotone,
            "f": dual.f,
            "g": dual.g,
            "f_from_cdfs": potential_from_cdfs(x, cdf_p, cdf_q),
            "cdf_p": cdf_p,
            "cdf_q": cdf_q,
            "mass_by_distance": moved,
        },
        scalars={
            "bins": params["bins"],
            "unknowns": int(plan.size),  # one per pair (i, j)
            "constraints": int(p.size + q.size),  # row sums, column sums
            "distance_primal": primal.distance,
            "distance_dual": dual.distance,
            "distance_cdf": wasserstein_1d(x, x, p, q),
            "distance_quantile_plan": float(np.sum(monotone * cost)),
            "marginal_error": float(
                max(np.abs(plan.sum(axis=1) - p).max(), np.abs(plan.sum(axis=0) - q).max())
            ),
            "largest_entry": float(plan[big_i, big_j]),
            "largest_entry_from": float(x[big_i]),
            "largest_entry_to": float(x[big_j]),
            "longest_move": float(longest),
            "longest_move_mass": float(plan[used & (lag == longest)].sum()),
            "mass_stays": float(moved[0]),
            "mass_moves": float(1.0 - moved[0]),
            "far": params["far"],
            "mass_moves_far": float(moved[params["far"] :].sum()),
            "mean_move_of_moving_mass": float(primal.distance / (1.0 - moved[0])),
            "potential_sum_gap": float(np.abs(dual.f + dual.g).max()),
            "potential_max_slope": float(np.abs(np.diff(dual.f)).max()),
            "potential_cdf_gap": float(np.abs(dual.f - potential_from_cdfs(x, cdf_p, cdf_q)).max()),
            "f_min_at": float(x[np.argmin(dual.f)]),
            "plans_differ": bool(np.abs(plan - monotone).max() > 1e-6),
        },
    )
