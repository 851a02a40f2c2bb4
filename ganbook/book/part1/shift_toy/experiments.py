r"""Experiments of the shift toy: real data $N(\mu, \sigma^2)$, generator $x = z + \theta$.

With $z \sim N(0, \sigma^2)$ the generator's distribution is $N(\theta, \sigma^2)$, so every
quantity of the chapter has a closed form or a one-dimensional integral, and each curve below is
computed by two independent routes where the chapter claims they agree.
"""

from __future__ import annotations

import numpy as np
import torch
from scipy import stats

from ganbook.divergences import js_divergence
from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.losses import minimax_generator_loss, nonsaturating_generator_loss
from ganbook.measures.shift_toy import (
    SHIFT_TOY,
    SHIFT_TOY_THETAS,
    SHIFT_TOY_THETAS_TEST,
    optimal_logistic_discriminator,
    theta_grid,
)
from ganbook.theory import (
    gaussian_optimal_discriminator_logit,
    gaussian_value_at_optimum,
    optimal_discriminator,
)


def density_grid(mu: float, sigma: float, span: float, points: int) -> np.ndarray:
    r"""An evenly spaced grid wide enough for $N(\mu, \sigma^2)$ and every shifted copy shown."""
    return np.linspace(mu - span * sigma, mu + span * sigma, points)


@experiment(
    "shift_toy_densities",
    params={**SHIFT_TOY, "thetas": [-3.0, -1.0, 0.0], "points": 801},
    test={"points": 201},
    uses_torch_device=False,
    title="Real and generated densities with the optimal discriminator D*, at a few θ",
)
def shift_toy_densities(params, _context: RunContext) -> ExperimentResult:
    mu, sigma = params["mu"], params["sigma"]
    x = density_grid(mu, sigma, 8.0, params["points"])
    thetas = np.asarray(params["thetas"], dtype=float)
    p_data = stats.norm.pdf(x, mu, sigma)
    p_model = np.stack([stats.norm.pdf(x, theta, sigma) for theta in thetas])
    d_star = np.stack([optimal_discriminator(p_data, q) for q in p_model])
    closed_form = np.stack(
        [
            1.0 / (1.0 + np.exp(-gaussian_optimal_discriminator_logit(x, mu, theta, sigma)))
            for theta in thetas
        ]
    )
    return ExperimentResult(
        arrays={"x": x, "thetas": thetas, "p_data": p_data, "p_model": p_model, "d_star": d_star},
        scalars={
            "mu": mu,
            "sigma": sigma,
            "max_gap_to_logistic": float(np.max(np.abs(d_star - closed_form))),
        },
    )


@experiment(
    "shift_toy_value",
    params={**SHIFT_TOY, "theta_span": 6.0, "thetas": 241, "grid_points": 4001},
    test={"thetas": 41, "grid_points": 1201},
    uses_torch_device=False,
    title="V(D*, G) by quadrature against −log 4 + 2·JS on a grid, over θ",
)
def shift_toy_value(params, _context: RunContext) -> ExperimentResult:
    mu, sigma = params["mu"], params["sigma"]
    thetas = theta_grid(params)
    x = density_grid(mu, sigma, params["theta_span"] / sigma + 10.0, params["grid_points"])
    p = stats.norm.pdf(x, mu, sigma)
    p /= p.sum()
    by_quadrature = np.array([gaussian_value_at_optimum(mu, t, sigma) for t in thetas])
    by_js = np.empty_like(thetas)
    for i, theta in enumerate(thetas):
        q = stats.norm.pdf(x, theta, sigma)
        by_js[i] = -np.log(4.0) + 2.0 * js_divergence(p, q / q.sum())
    best = int(np.argmin(by_quadrature))
    return ExperimentResult(
        arrays={"thetas": thetas, "value_quadrature": by_quadrature, "value_js": by_js},
        scalars={
            "mu": mu,
            "max_gap": float(np.max(np.abs(by_quadrature - by_js))),
            "minimum": float(by_quadrature[best]),
            "argmin_theta": float(thetas[best]),
            "minus_log_4": float(-np.log(4.0)),
            "value_far": float(by_quadrature[0]),
            "theta_far": float(thetas[0]),
        },
    )


def generator_gradients_at_optimum(
    mu: float, thetas: np.ndarray, sigma: float, nodes: int
) -> tuple[np.ndarray, np.ndarray]:
    r"""$\partial L_G / \partial\theta$ at $D^*$ for the saturating and non-saturating losses.

    The expectation over $z \sim N(0, \sigma^2)$ is a Gauss–Hermite sum; the gradient flows through
    $x = z + \theta$ into the package's loss functions by autograd, with $D^*$ held fixed.
    """
    z_nodes, weights = np.polynomial.hermite_e.hermegauss(nodes)
    z = torch.tensor(z_nodes * sigma, dtype=torch.float64)
    w = torch.tensor(weights / weights.sum(), dtype=torch.float64)
    saturating, nonsaturating = [], []
    for theta_value in thetas:
        theta = torch.tensor(float(theta_value), dtype=torch.float64, requires_grad=True)
        x = (z + theta).unsqueeze(1)
        # D* of the *current* θ, held fixed while the generator's gradient flows through x.
        logit = optimal_logistic_discriminator(mu, float(theta_value), sigma)(x).squeeze(1)
        for loss, out in (
            (minimax_generator_loss, saturating),
            (nonsaturating_generator_loss, nonsaturating),
        ):
            expectation = (w * loss(logit, reduction="none")).sum()
            (grad,) = torch.autograd.grad(expectation, theta, retain_graph=True)
            out.append(grad.item())
    return np.array(saturating), np.array(nonsaturating)


@experiment(
    "shift_toy_gradients",
    params={**SHIFT_TOY, **SHIFT_TOY_THETAS, "nodes": 80, "threshold": 1e-3},
    test=SHIFT_TOY_THETAS_TEST,
    uses_torch_device=False,
    title="The generator's gradient at D* against θ, saturating and non-saturating",
)
def shift_toy_gradients(params, _context: RunContext) -> ExperimentResult:
    mu, sigma = params["mu"], params["sigma"]
    thetas = theta_grid(params)  # the grid the saturation and least-squares chapters share
    saturating, nonsaturating = generator_gradients_at_optimum(mu, thetas, sigma, params["nodes"])
    distance = np.abs(thetas - mu) / sigma
    small = np.abs(saturating) < params["threshold"]
    # the smallest distance beyond which the saturating gradient stays below the threshold
    beyond = distance[small & (distance >= distance[~small].max())]
    at_eight = int(np.argmin(np.abs(thetas - (mu - 8 * sigma))))
    at_two = int(np.argmin(np.abs(thetas - (mu - 2 * sigma))))
    return ExperimentResult(
        arrays={"thetas": thetas, "saturating": saturating, "nonsaturating": nonsaturating},
        scalars={
            "mu": mu,
            "threshold": params["threshold"],
            "vanishing_distance": float(beyond.min()),
            "saturating_at_8sigma": float(abs(saturating[at_eight])),
            "nonsaturating_at_8sigma": float(abs(nonsaturating[at_eight])),
            "saturating_at_2sigma": float(abs(saturating[at_two])),
            "nonsaturating_at_2sigma": float(abs(nonsaturating[at_two])),
        },
    )
