r"""Experiments of the chapter "Jensen–Shannon": $V(D^*, G) = -\log 4 + 2\,\mathrm{JS}$, four ways.

Real data $N(\mu, \sigma^2)$ against a generator $N(\theta, s^2)$ whose mean *and* width vary (the
shift generator $x = z + \theta$ only moves the mean, so the width sweep uses this family
explicitly). At each point of two sweeps the value at the optimal discriminator is computed by
four routes that share no code beyond the two densities:

1. the left side on a grid with ``minimax_value`` and ``optimal_discriminator``, as the real term
   plus the fake term (see `value_at_optimum`);
2. $-\log 4 + 2\,$``js_divergence(p, q)`` on the same grid (the right side);
3. $-\log 4 + $ ``kl_divergence(p, m)`` $+$ ``kl_divergence(q, m)``, $m = (p + q)/2$;
4. adaptive quadrature of $\int p \log D^* + q \log(1 - D^*)$ with $D^*$ from the log-densities
   (`ganbook.theory.gaussian_value_at_optimum`).
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.special import rel_entr

from ganbook.divergences import js_divergence, kl_divergence
from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.theory import gaussian_value_at_optimum, minimax_value, optimal_discriminator

TOY = {"mu": 0.0, "sigma": 1.0}  # the data N(0, 1) of the shift toy (this module needs no torch)
LOG_4 = float(np.log(4.0))


def gaussian_probabilities(x: np.ndarray, mean: float, std: float) -> np.ndarray:
    r"""$N(\text{mean}, \text{std}^2)$ on the uniform grid ``x`` as a probability vector.

    Subnormal entries (below 2.2e-308) are set to 0: halving one in $m = (p + q)/2$ can round it
    to 0, which would make $\mathrm{KL}(p \,\|\, m)$ infinite. The mass removed is below 1e-300.
    """
    p = stats.norm.pdf(x, mean, std)
    p[p < np.finfo(float).tiny] = 0.0
    return p / p.sum()


def value_at_optimum(p: np.ndarray, q: np.ndarray) -> float:
    r"""$V(D^*, G)$ on a grid: $\sum p \log D^*(p, q) + \sum q \log D^*(q, p)$.

    The fake term uses $1 - D^*(p, q) = q/(p + q) = D^*(q, p)$, the discriminator of the game with
    the roles swapped. Computing $1 - D^*$ by subtraction would round it to 0 wherever
    $q/p < 2^{-53}$, and one such grid point with $q > 0$ makes the sum $-\infty$. Each term is
    ``minimax_value`` with the other distribution's mass set to zero.
    """
    # --8<-- [start:value_at_optimum]
    none = np.zeros_like(p)
    real_term = minimax_value(p, none, optimal_discriminator(p, q))  # Σ p log D*
    fake_term = minimax_value(q, none, optimal_discriminator(q, p))  # Σ q log(1 − D*)
    return real_term + fake_term
    # --8<-- [end:value_at_optimum]


def four_routes(x: np.ndarray, mu: float, sigma: float, theta: float, s: float) -> np.ndarray:
    r"""The four values of $V(D^*, G)$ listed in the module docstring, in that order."""
    p = gaussian_probabilities(x, mu, sigma)
    q = gaussian_probabilities(x, theta, s)
    m = 0.5 * (p + q)
    return np.array(
        [
            value_at_optimum(p, q),
            -LOG_4 + 2.0 * js_divergence(p, q),
            -LOG_4 + kl_divergence(p, m) + kl_divergence(q, m),
            gaussian_value_at_optimum(mu, theta, sigma, s),
        ]
    )


def _sweep_scalars(prefix: str, values: np.ndarray, at: np.ndarray, match: float) -> dict:
    r"""Gaps between the routes, the minimum and where it is, for one sweep."""
    grid = values[:, :3]
    best = int(np.argmin(values[:, 3]))
    return {
        f"{prefix}_grid_gap": float(np.max(np.ptp(grid, axis=1))),
        f"{prefix}_quadrature_gap": float(np.max(np.abs(grid - values[:, 3:]))),
        f"{prefix}_minimum": float(values[best, 3]),
        f"{prefix}_argmin": float(at[best]),
        f"{prefix}_match": match,
        f"{prefix}_first": float(values[0, 3]),
        f"{prefix}_last": float(values[-1, 3]),
        f"{prefix}_js_first": float((values[0, 3] + LOG_4) / 2.0),
        f"{prefix}_js_first_share": float((values[0, 3] + LOG_4) / 2.0 / np.log(2.0)),
        f"{prefix}_at_first": float(at[0]),
        f"{prefix}_at_last": float(at[-1]),
    }


@experiment(
    "jensen_shannon_sweeps",
    params={
        **TOY,
        "theta_span": 6.0,
        "thetas": 97,
        "width_decades": 1.0,
        "widths": 81,
        "grid_half_width": 80.0,
        "grid_points": 16001,
    },
    test={"thetas": 25, "widths": 21, "grid_points": 8001},
    uses_torch_device=False,
    title="V(D*, G) by four routes, over the generator's mean θ and over its width s",
)
def jensen_shannon_sweeps(params, _context: RunContext) -> ExperimentResult:
    mu, sigma = params["mu"], params["sigma"]
    half = params["grid_half_width"]
    x = np.linspace(mu - half, mu + half, params["grid_points"])
    span, decades = params["theta_span"], params["width_decades"]
    thetas = np.linspace(mu - span, mu + span, params["thetas"])
    widths = sigma * np.logspace(-decades, decades, params["widths"])
    by_theta = np.stack([four_routes(x, mu, sigma, t, sigma) for t in thetas])  # (n, 4)
    by_width = np.stack([four_routes(x, mu, sigma, mu, s) for s in widths])  # (n, 4)
    return ExperimentResult(
        arrays={"thetas": thetas, "widths": widths, "by_theta": by_theta, "by_width": by_width},
        scalars={
            "mu": mu,
            "sigma": sigma,
            "grid_spacing": float(x[1] - x[0]),
            "minus_log_4": -LOG_4,
            **_sweep_scalars("theta", by_theta, thetas, mu),
            **_sweep_scalars("width", by_width, widths, sigma),
            # widths are log-symmetric around σ: V(s) against V(σ²/s)
            "width_symmetry_gap": float(np.max(np.abs(by_width[:, 3] - by_width[::-1, 3]))),
        },
    )


@experiment(
    "jensen_shannon_mixture",
    params={**TOY, "theta": 2.0, "s": 0.5, "grid_points": 4001, "half_width": 10.0},
    test={"grid_points": 1001},
    uses_torch_device=False,
    title="The mixture m = (p + q)/2 and the two KL terms whose sum is 2·JS",
)
def jensen_shannon_mixture(params, _context: RunContext) -> ExperimentResult:
    mu, sigma, theta, s = params["mu"], params["sigma"], params["theta"], params["s"]
    x = np.linspace(mu - params["half_width"], mu + params["half_width"], params["grid_points"])
    spacing = x[1] - x[0]
    p = gaussian_probabilities(x, mu, sigma)
    q = gaussian_probabilities(x, theta, s)
    m = 0.5 * (p + q)
    kl_p, kl_q = kl_divergence(p, m), kl_divergence(q, m)
    js = js_divergence(p, q)
    return ExperimentResult(
        arrays={
            "x": x,
            # densities (probability per unit length) for plotting
            "p": p / spacing,
            "q": q / spacing,
            "m": m / spacing,
            # the integrands p log(p/m) and q log(q/m), per unit length: their areas are the KLs
            "p_term": rel_entr(p, m) / spacing,
            "q_term": rel_entr(q, m) / spacing,
            "d_star": optimal_discriminator(p, q),
        },
        scalars={
            "mu": mu,
            "sigma": sigma,
            "theta": theta,
            "s": s,
            "kl_p_m": kl_p,
            "kl_q_m": kl_q,
            "js": js,
            "two_js": 2.0 * js,
            "value": value_at_optimum(p, q),
            # the obvious route, which computes 1 − D* by subtraction (see value_at_optimum)
            "naive_value": minimax_value(p, q, optimal_discriminator(p, q)),
            "value_by_js": -LOG_4 + 2.0 * js,
            "log_2": float(np.log(2.0)),
        },
    )
