r"""Experiments of the chapter "The optimal discriminator": the Bayes classifier $D^*$.

Two computations. The first maximises the pointwise objective $a \log y + b \log(1 - y)$ on a grid
and by a scalar solver, at the densities $a = p_\text{data}(x)$, $b = p_g(x)$ of the shift toy, and
compares the maximiser with $a/(a + b)$. The second trains a `LogisticDiscriminator` against a
fixed `ShiftGenerator` with the package's `discriminator_step`, for each member of a seed
ensemble (its own batches and latents), and records how far the trained discriminator is from
$D^*$ at every step, on one CPU thread. The loop that trains a discriminator against a
generator that never moves is `train_discriminator` of `ganbook.measures`, which the chapters on
least squares and on disjoint supports use too.
"""

from __future__ import annotations

import numpy as np
import torch
from scipy import optimize, stats
from scipy.special import expit, xlogy

from ganbook.data import gaussian_1d
from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.measures.fixed_generator import fixed_generator_game, train_discriminator
from ganbook.measures.shift_toy import SHIFT_TOY
from ganbook.measures.summaries import median_member
from ganbook.models import LogisticDiscriminator, ShiftGenerator
from ganbook.theory import gaussian_optimal_logistic_parameters, optimal_discriminator


def pointwise_objective(a: np.ndarray, b: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""$a \log y + b \log(1 - y)$, the integrand of $V(D, G)$ at one $x$, for every pair and $y$.

    ``a`` and ``b`` have shape (n,), ``y`` shape (m,); the result has shape (n, m).
    """
    a, b = np.asarray(a)[:, None], np.asarray(b)[:, None]
    return xlogy(a, y) + xlogy(b, 1.0 - y)


@experiment(
    "optimal_discriminator_pointwise",
    params={**SHIFT_TOY, "theta": -1.0, "points": [-2.0, -0.5, 1.0], "grid": 20001},
    test={"grid": 2001},
    uses_torch_device=False,
    title="The pointwise objective a log y + b log(1 − y) and its maximiser a/(a + b)",
)
def optimal_discriminator_pointwise(params, _context: RunContext) -> ExperimentResult:
    mu, sigma, theta = params["mu"], params["sigma"], params["theta"]
    points = np.asarray(params["points"], dtype=float)
    a = stats.norm.pdf(points, mu, sigma)  # p_data(x) at the chosen points
    b = stats.norm.pdf(points, theta, sigma)  # p_g(x) at the same points
    y = np.linspace(0.0, 1.0, params["grid"])[1:-1]  # open interval: log 0 is excluded
    curves = pointwise_objective(a, b, y)
    by_grid = y[np.argmax(curves, axis=1)]
    by_solver = np.array(
        [
            optimize.minimize_scalar(
                lambda t, ai=ai, bi=bi: -pointwise_objective([ai], [bi], np.array([t]))[0, 0],
                bounds=(1e-12, 1.0 - 1e-12),
                method="bounded",
                options={"xatol": 1e-10},
            ).x
            for ai, bi in zip(a, b, strict=True)
        ]
    )
    d_star = optimal_discriminator(a, b)  # a / (a + b), the package's D*
    best_value = xlogy(a, d_star) + xlogy(b, 1.0 - d_star)
    x = np.linspace(mu - 5.0 * sigma, mu + 4.0 * sigma, 451)
    return ExperimentResult(
        arrays={
            "points": points,
            "a": a,
            "b": b,
            "y": y,
            "curves": curves,
            "by_grid": by_grid,
            "by_solver": by_solver,
            "d_star": d_star,
            "x": x,
            "p_data": stats.norm.pdf(x, mu, sigma),
            "p_model": stats.norm.pdf(x, theta, sigma),
        },
        scalars={
            "theta": theta,
            "spacing": float(y[1] - y[0]),
            "grid_gap": float(np.max(np.abs(by_grid - d_star))),
            "solver_gap": float(np.max(np.abs(by_solver - d_star))),
            "value_gap": float(np.max(best_value - curves.max(axis=1))),
            "d_star_first": float(d_star[0]),
            # the maximiser when the fake half of the loss is weighted twice: a / (a + 2b)
            "tilted_first": float(a[0] / (a[0] + 2.0 * b[0])),
            "d_star_last": float(d_star[-1]),
        },
    )


def _fit_logistic(params, context: RunContext, theta: float, offset: int) -> np.ndarray:
    r"""Train $\sigma(\phi_0 + \phi_1 x)$ against $N(\theta, \sigma^2)$; return φ per step."""
    device = context.device
    generator = ShiftGenerator(theta)
    discriminator = LogisticDiscriminator().to(device)  # φ = (0, 0): D = 1/2 everywhere
    sgd = torch.optim.SGD(discriminator.parameters(), lr=params["lr"])
    # Robbins-Monro: η_k = η_0 / (1 + k/τ), so the minibatch noise averages out over the run
    decay = torch.optim.lr_scheduler.LambdaLR(sgd, lambda k: 1.0 / (1.0 + k / params["decay"]))
    gan = fixed_generator_game(generator, discriminator, sgd, "minimax", context, offset)
    phis = torch.zeros(params["steps"] + 1, 2, device=device)

    def record(k: int) -> None:
        phis[k] = torch.stack([discriminator.phi0, discriminator.phi1]).detach()

    def sample_real(n: int, rng: torch.Generator) -> torch.Tensor:
        return gaussian_1d(n, mean=params["mu"], std=params["sigma"], generator=rng)

    train_discriminator(
        gan,
        sample_real,
        steps=params["steps"],
        batch_size=params["batch_size"],
        context=context,
        offset=offset,
        after_step=record,
        scheduler=decay,
    )
    return phis.cpu().double().numpy()


def _gaps(phis: np.ndarray, d_star: np.ndarray, x: np.ndarray) -> np.ndarray:
    r"""$\max_x |D_k(x) - D^*(x)|$ at every step $k$, for φ of shape (steps + 1, 2)."""
    trained = expit(phis[:, :1] + phis[:, 1:] * x)  # D_k(x): (steps + 1, n_x)
    return np.max(np.abs(trained - d_star), axis=1)


@experiment(
    "optimal_discriminator_training",
    params={
        **SHIFT_TOY,
        "thetas": [-3.0, -1.0, 0.0],
        "steps": 2000,
        "batch_size": 256,
        "lr": 2.0,
        "decay": 50.0,
        "x_range": [-6.0, 4.0],
        "snapshots": [10, 100],
        "members": 5,
    },
    test={"steps": 600, "members": 2},
    full={"members": 10},
    title="Logistic discriminators trained by discriminator_step approach D*: seed ensemble",
)
def optimal_discriminator_training(params, context: RunContext) -> ExperimentResult:
    mu, sigma = params["mu"], params["sigma"]
    thetas = np.asarray(params["thetas"], dtype=float)
    x = np.linspace(*params["x_range"], 401)
    members = context.members(params["members"])
    # φ per member, θ and step: (members, n_theta, steps + 1, 2); each θ has its own streams
    phis = np.stack(
        [np.stack([_fit_logistic(params, m, t, i) for i, t in enumerate(thetas)]) for m in members]
    )
    # (n_theta, 2)
    phi_star = np.array([gaussian_optimal_logistic_parameters(mu, t, sigma) for t in thetas])
    d_star = expit(phi_star[:, :1] + phi_star[:, 1:] * x)  # (n_theta, n_x)
    gap = np.stack(
        [np.stack([_gaps(member[i], d_star[i], x) for i in range(len(thetas))]) for member in phis]
    )  # (members, n_theta, steps + 1)
    snapshots = np.asarray([*params["snapshots"], params["steps"]])
    # D at the snapshots: (members, n_theta, n_snapshots, n_x)
    curves = expit(phis[:, :, snapshots, :1] + phis[:, :, snapshots, 1:] * x)
    first = int(params["snapshots"][0])
    final_gap = gap[:, :, -1].max(axis=1)  # per member, the worst θ
    phi_error = np.abs(phis[:, :, -1, :] - phi_star).max(axis=(1, 2))
    shown = median_member(final_gap)
    scalars = {
        "members": len(members),
        "steps": params["steps"],
        "batch_size": params["batch_size"],
        "lr": params["lr"],
        "decay": params["decay"],
        "first_snapshot": first,
        "gap_first_snapshot_min": float(gap[:, :, first].max(axis=1).min()),
        "gap_final_max": float(final_gap.max()),
        "gap_final_median": float(np.median(final_gap)),
        "gap_final_min": float(final_gap.min()),
        "phi_error_final_max": float(phi_error.max()),
        "phi1_star_far": float(phi_star[0, 1]),
        "phi0_star_far": float(phi_star[0, 0]),
        "phi0_final_far_min": float(phis[:, 0, -1, 0].min()),
        "phi0_final_far_max": float(phis[:, 0, -1, 0].max()),
        "phi1_final_far_min": float(phis[:, 0, -1, 1].min()),
        "phi1_final_far_max": float(phis[:, 0, -1, 1].max()),
        "theta_far": float(thetas[0]),
        "shown_member": shown,
    }
    return ExperimentResult(
        arrays={
            "thetas": thetas,
            "x": x,
            "p_data": stats.norm.pdf(x, mu, sigma),
            "p_model": np.stack([stats.norm.pdf(x, t, sigma) for t in thetas]),
            "d_star": d_star,
            "phi": phis,
            "phi_star": phi_star,
            "gap": gap,
            "final_gap": final_gap,
            "snapshots": snapshots,
            "snapshot_curves": curves,
        },
        scalars=scalars,
    )
