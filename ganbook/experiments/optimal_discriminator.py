r"""Experiments of the chapter "The optimal discriminator": the Bayes classifier $D^*$.

Two computations. The first maximises the pointwise objective $a \log y + b \log(1 - y)$ on a grid
and by a scalar solver, at the densities $a = p_\text{data}(x)$, $b = p_g(x)$ of the shift toy, and
compares the maximiser with $a/(a + b)$. The second trains a `LogisticDiscriminator` against a
fixed `ShiftGenerator` with the package's `discriminator_step`, and records how far the trained
discriminator is from $D^*$ at every step, on one CPU thread. The helper `train_discriminator`
(a discriminator trained against a generator that never moves) is shared with the chapter on
disjoint supports.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from scipy import optimize, stats
from scipy.special import expit, xlogy

from ganbook.data import gaussian_1d
from ganbook.experiments.claims import claim
from ganbook.experiments.registry import RunContext, experiment
from ganbook.experiments.result import ExperimentResult
from ganbook.losses import get_loss
from ganbook.models import LogisticDiscriminator, ShiftGenerator
from ganbook.theory import gaussian_optimal_discriminator_logit, optimal_discriminator
from ganbook.training import GAN, discriminator_step, reproducible_torch

TOY = {"mu": 0.0, "sigma": 1.0}

Sampler = Callable[[int, torch.Generator], torch.Tensor]


def pointwise_objective(a: np.ndarray, b: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""$a \log y + b \log(1 - y)$, the integrand of $V(D, G)$ at one $x$, for every pair and $y$.

    ``a`` and ``b`` have shape (n,), ``y`` shape (m,); the result has shape (n, m).
    """
    a, b = np.asarray(a)[:, None], np.asarray(b)[:, None]
    return xlogy(a, y) + xlogy(b, 1.0 - y)


@experiment(
    "optimal_discriminator_pointwise",
    params={**TOY, "theta": -1.0, "points": [-2.0, -0.5, 1.0], "grid": 20001},
    test={"grid": 2001},
    uses_torch_device=False,
    title="The pointwise objective a log y + b log(1 − y) and its maximiser a/(a + b)",
)
def optimal_discriminator_pointwise(params, context: RunContext) -> ExperimentResult:
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
            # the minimiser when each batch holds twice as many fakes: a / (a + 2b)
            "tilted_first": float(a[0] / (a[0] + 2.0 * b[0])),
            "d_star_last": float(d_star[-1]),
        },
    )


def fixed_generator_game(
    generator: torch.nn.Module,
    discriminator: torch.nn.Module,
    d_optimiser: torch.optim.Optimizer,
    loss: str,
    context: RunContext,
    offset: int,
    gp_weight: float | None = None,
) -> GAN:
    r"""A `GAN` on ``context.device`` whose generator never moves (its optimiser is never stepped).

    The latent stream is seeded with ``context.seed + 2 * offset + 1``; `train_discriminator`
    seeds the real batches with ``context.seed + 2 * offset``, so runs with different offsets
    draw different numbers.
    """
    return GAN(
        generator.to(context.device),
        discriminator.to(context.device),
        g_optimiser=torch.optim.SGD(generator.parameters(), lr=0.0),  # never stepped
        d_optimiser=d_optimiser,
        loss=get_loss(loss),
        rng=torch.Generator(context.device).manual_seed(context.seed + 2 * offset + 1),
        gp_weight=gp_weight,
    )


def train_discriminator(
    gan: GAN,
    sample_real: Sampler,
    *,
    steps: int,
    batch_size: int,
    context: RunContext,
    offset: int,
    after_step: Callable[[int], None],
    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
) -> None:
    r"""Run ``steps`` discriminator updates of `discriminator_step` while the generator stays put.

    Each step draws a fresh real batch from ``sample_real`` (on the CPU, from a generator seeded
    with ``context.seed + 2 * offset``) and fresh latents from ``gan.rng``; the generator's
    parameters are never updated. After step $k = 1, \dots, \text{steps}$ the callback
    ``after_step(k)`` may read the discriminator. Runs on one CPU thread, as `TrainConfig` does by
    default: models this small only lose time to a second thread (and lose a lot when the machine
    is shared).
    """
    device, data_rng = context.device, context.generator(2 * offset)
    with reproducible_torch(1):
        # --8<-- [start:train_discriminator]
        for k in range(1, steps + 1):
            x = sample_real(batch_size, data_rng).to(device)  # x ~ p_data, (B, 1)
            discriminator_step(gan, x)  # one update of φ on x and G(z), G fixed
            if scheduler is not None:
                scheduler.step()  # η_k = η_0 / (1 + k/τ)
            after_step(k)  # record φ, or probe D
        # --8<-- [end:train_discriminator]


def logistic_parameters(mu: float, theta: float, sigma: float) -> tuple[float, float]:
    r"""$(\phi_0^*, \phi_1^*)$: the logit of $D^*$ read off at $x = 0$ and its slope."""
    at_zero, at_one = gaussian_optimal_discriminator_logit(np.array([0.0, 1.0]), mu, theta, sigma)
    return float(at_zero), float(at_one - at_zero)


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


@experiment(
    "optimal_discriminator_training",
    params={
        **TOY,
        "thetas": [-3.0, -1.0, 0.0],
        "steps": 2000,
        "batch_size": 256,
        "lr": 2.0,
        "decay": 50.0,
        "x_range": [-6.0, 4.0],
        "snapshots": [10, 100],
    },
    test={"steps": 600},
    title="A logistic discriminator trained by discriminator_step approaches D*, at a few θ",
)
def optimal_discriminator_training(params, context: RunContext) -> ExperimentResult:
    mu, sigma = params["mu"], params["sigma"]
    thetas = np.asarray(params["thetas"], dtype=float)
    x = np.linspace(*params["x_range"], 401)
    phis = np.stack([_fit_logistic(params, context, t, i) for i, t in enumerate(thetas)])
    phi_star = np.array([logistic_parameters(mu, t, sigma) for t in thetas])  # (n_theta, 2)
    d_star = expit(phi_star[:, :1] + phi_star[:, 1:] * x)  # (n_theta, n_x)
    # D_k(x) for every θ, step k and x: (n_theta, steps + 1, n_x)
    trained = expit(phis[:, :, :1] + phis[:, :, 1:] * x)
    gap = np.max(np.abs(trained - d_star[:, None, :]), axis=2)  # max_x |D_k - D*|
    snapshots = np.asarray([*params["snapshots"], params["steps"]])
    first = int(params["snapshots"][0])
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
            "snapshots": snapshots,
            "snapshot_curves": trained[:, snapshots, :],
        },
        scalars={
            "steps": params["steps"],
            "batch_size": params["batch_size"],
            "lr": params["lr"],
            "decay": params["decay"],
            "first_snapshot": first,
            "gap_first_snapshot": float(gap[:, first].max()),
            "gap_final": float(gap[:, -1].max()),
            "phi_error_final": float(np.max(np.abs(phis[:, -1, :] - phi_star))),
            "phi1_star_far": float(phi_star[0, 1]),
            "phi0_star_far": float(phi_star[0, 0]),
            "phi1_final_far": float(phis[0, -1, 1]),
            "phi0_final_far": float(phis[0, -1, 0]),
            "theta_far": float(thetas[0]),
        },
    )


# Claims that the chapter's prose makes about these results, checked at every build.


@claim(
    "optimal_discriminator_pointwise",
    "the grid maximiser lies within one grid spacing of a/(a + b), the solver's within 1e-8, and "
    "no grid point beats the closed-form maximum",
)
def _pointwise_maximiser(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["grid_gap"] <= s["spacing"], (s["grid_gap"], s["spacing"])
    assert s["solver_gap"] < 1e-8, s["solver_gap"]
    assert s["value_gap"] >= -1e-15, s["value_gap"]


@claim(
    "optimal_discriminator_pointwise",
    "D* is below 1/2 at x = −2, where the generator has more mass, and above 1/2 at x = 1; "
    "twice as many fakes per batch lowers it further",
)
def _pointwise_values(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["tilted_first"] < s["d_star_first"] < 0.5 < s["d_star_last"]


@claim(
    "optimal_discriminator_training",
    "the trained logistic discriminator ends within 0.01 of D* on the whole range, from a gap "
    "above 0.1 at the first snapshot, with φ within 0.1 of φ*",
    profiles=("standard", "full"),
)
def _trained_discriminator_approaches_optimum(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["gap_final"] < 0.01, s["gap_final"]
    assert s["gap_first_snapshot"] > 0.1, s["gap_first_snapshot"]
    assert s["phi_error_final"] < 0.1, s["phi_error_final"]


@claim(
    "optimal_discriminator_training",
    "the gap to D* shrinks during training, for every θ",
)
def _gap_shrinks(result: ExperimentResult) -> None:
    gap = result.arrays["gap"]
    assert np.all(gap[:, -1] < 0.08), gap[:, -1]
    early = gap[:, 1:11].max(axis=1)
    assert np.all(gap[:, -1] < early), (gap[:, -1], early)
