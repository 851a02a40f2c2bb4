r"""Experiments of "One objective, two players" and "Training by alternation" (Part I, ch. 3–4).

The shift toy: real data $N(\mu, \sigma^2)$, generator $x = z + \theta$ with $z \sim N(0,
\sigma^2)$, logistic discriminator $D(x) = \sigma(\phi_0 + \phi_1 x)$. Chapter 3 computes the value
$V$ over $(\theta, \phi_1)$, with $\phi_0$ at its best value, by Gauss–Hermite quadrature through
`minimax_discriminator_loss`, and lets both players follow its gradient at once. Chapter 4 runs
the package's trainer on the shift toy and on the ring of 8 Gaussians. Nothing here is drawn.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from ganbook.data import (
    EIGHT_GAUSSIANS_STD,
    count_covered_modes,
    eight_gaussians,
    eight_gaussians_centres,
    gaussian_1d,
)
from ganbook.experiments.claims import claim
from ganbook.experiments.registry import RunContext, experiment
from ganbook.experiments.result import ExperimentResult
from ganbook.losses import minimax_discriminator_loss
from ganbook.models import LogisticDiscriminator, MLPDiscriminator, MLPGenerator, ShiftGenerator
from ganbook.training import TrainConfig, reproducible_torch, train

TOY = {"mu": 2.0, "sigma": 1.0}
LOG4 = float(np.log(4.0))


def symmetric_intercept(theta, phi1, mu: float):
    r"""$\phi_0 = -\phi_1(\theta + \mu)/2$: the boundary $\ell = 0$ sits midway between the means.

    For every $(\theta, \phi_1)$ this is also the $\phi_0$ that maximises $V$ (the chapter's
    symmetry argument; tested against a numerical maximisation).
    """
    return -phi1 * (theta + mu) / 2.0


@functools.cache
def normal_quadrature(nodes: int) -> tuple[torch.Tensor, torch.Tensor]:
    r"""Gauss–Hermite nodes and weights for $E f(\varepsilon)$, $\varepsilon \sim N(0, 1)$."""
    eps, weights = np.polynomial.hermite_e.hermegauss(nodes)
    return torch.tensor(eps), torch.tensor(weights / weights.sum())


def game_value(theta, phi0, phi1, mu: float, sigma: float, nodes: int) -> torch.Tensor:
    r"""The value $V = E_{p_{\text{data}}}\log D(x) + E_{p_g}\log(1 - D(x))$, elementwise.

    $\ell(x) = \phi_0 + \phi_1 x$; the expectations over $N(\mu, \sigma^2)$ and $N(\theta,
    \sigma^2)$ are Gauss–Hermite sums, and the integrand is ``minimax_discriminator_loss`` with
    ``reduction="none"`` ($V = -L_D$). ``theta``, ``phi0``, ``phi1``: float64 tensors of one shape.
    """
    # --8<-- [start:game_value]
    eps, w = normal_quadrature(nodes)
    eps = eps * sigma  # (nodes,) nodes of N(0, σ²); w: (nodes,) weights summing to 1
    theta, phi0, phi1 = (t.unsqueeze(-1) for t in (theta, phi0, phi1))  # (..., 1)
    logit_real = phi0 + phi1 * (mu + eps)  # ℓ(x), x = μ + ε ~ p_data
    logit_fake = phi0 + phi1 * (theta + eps)  # ℓ(x̃), x̃ = θ + ε ~ p_g
    real_term, fake_term = minimax_discriminator_loss(logit_real, logit_fake, reduction="none")
    return -((real_term + fake_term) * w).sum(-1)  # V = −L_D
    # --8<-- [end:game_value]


def reduced_value(theta, phi1, mu: float, sigma: float, nodes: int) -> torch.Tensor:
    r"""$\bar V(\theta, \phi_1) = V(\theta, \phi_0^\star, \phi_1)$ with the symmetric intercept."""
    return game_value(theta, symmetric_intercept(theta, phi1, mu), phi1, mu, sigma, nodes)


def play_field(theta, phi1, mu: float, sigma: float, nodes: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Direction of simultaneous play, $(-\partial_\theta \bar V, +\partial_{\phi_1} \bar V)$."""
    theta = torch.as_tensor(theta, dtype=torch.float64).clone().requires_grad_(True)
    phi1 = torch.as_tensor(phi1, dtype=torch.float64).clone().requires_grad_(True)
    # each point's value depends on its own (θ, φ₁) only, so one backward gives every gradient
    d_theta, d_phi1 = torch.autograd.grad(
        reduced_value(theta, phi1, mu, sigma, nodes).sum(), (theta, phi1)
    )
    return -d_theta.numpy(), d_phi1.numpy()


def hessian_at(function, point) -> np.ndarray:
    r"""The Hessian of a scalar ``function`` of a float64 vector at ``point``, by autograd."""
    point = torch.tensor(point, dtype=torch.float64)
    return torch.autograd.functional.hessian(function, point).numpy()


def simultaneous_play(start, lr: float, steps: int, mu, sigma, nodes) -> np.ndarray:
    r"""$\theta \leftarrow \theta - \eta\,\partial_\theta\bar V$, $\phi_1 \leftarrow \phi_1 +
    \eta\,\partial_{\phi_1}\bar V$, both from the same point; returns the (steps + 1, 2) path."""
    path = np.empty((steps + 1, 2))
    path[0] = start
    with reproducible_torch(1):  # tiny tensors: a second thread only adds overhead
        for k in range(steps):
            field = play_field(path[k, 0], path[k, 1], mu, sigma, nodes)
            path[k + 1] = path[k] + lr * np.array([field[0], field[1]])
    return path


def winding_angle(path: np.ndarray, centre) -> float:
    r"""Total signed angle (radians) that ``path`` sweeps around ``centre``."""
    angle = np.unwrap(np.arctan2(path[:, 1] - centre[1], path[:, 0] - centre[0]))
    return float(angle[-1] - angle[0])


@experiment(
    "two_players_value",
    params={**TOY, "nodes": 60, "theta_span": 4.0, "phi1_span": 3.0, "grid": 161, "arrows": 15},
    test={"grid": 41, "arrows": 9},
    uses_torch_device=False,
    title="The value V over (θ, φ₁) with the best intercept, its play field and its saddle",
)
def two_players_value(params, context: RunContext) -> ExperimentResult:
    mu, sigma, nodes = params["mu"], params["sigma"], params["nodes"]

    def value(theta, phi1) -> np.ndarray:  # V̄ on arrays of one shape
        return reduced_value(torch.tensor(theta), torch.tensor(phi1), mu, sigma, nodes).numpy()

    thetas = np.linspace(mu - params["theta_span"], mu + params["theta_span"], params["grid"])
    phi1s = np.linspace(-params["phi1_span"], params["phi1_span"], params["grid"])
    arrow_t, arrow_p = np.meshgrid(
        *(np.linspace(a[0], a[-1], params["arrows"]) for a in (thetas, phi1s))
    )
    # D's end: V̄ against φ₁ at a few θ; G's end: V̄ at D's best slope φ₁ = (μ − θ)/σ²
    slice_thetas = mu + np.array([-2.0, -1.0, 0.0, 1.0])
    hessian = hessian_at(lambda p: reduced_value(p[0], p[1], mu, sigma, nodes), [mu, 0.0])
    full = hessian_at(lambda p: game_value(p[0], p[1], p[2], mu, sigma, nodes), [mu, 0.0, 0.0])
    eig, full_eig = np.linalg.eigvalsh(hessian), np.linalg.eigvalsh(full)
    arrays = {
        "thetas": thetas,
        "phi1s": phi1s,
        "value": value(*np.meshgrid(thetas, phi1s)),  # (φ₁, θ)
        "arrow_theta": arrow_t,
        "arrow_phi1": arrow_p,
        "arrow_field": np.stack(play_field(arrow_t, arrow_p, mu, sigma, nodes)),
        "slice_thetas": slice_thetas,
        "slices": value(*np.meshgrid(phi1s, slice_thetas)[::-1]),  # (θ, φ₁)
        "best_value": value(thetas, (mu - thetas) / sigma**2),
        "hessian": hessian,
        "full_hessian": full,
    }
    return ExperimentResult(
        arrays=arrays,
        scalars={
            "mu": mu,
            "sigma": sigma,
            "value_at_saddle": float(value(np.array(mu), np.array(0.0))),
            "grad_norm_at_saddle": float(np.hypot(*play_field(mu, 0.0, mu, sigma, nodes))),
            "h_theta_theta": float(hessian[0, 0]),
            "h_theta_phi1": float(hessian[0, 1]),
            "h_phi1_phi1": float(hessian[1, 1]),
            "h_det": float(np.linalg.det(hessian)),
            "h_eig_min": float(eig[0]),
            "h_eig_max": float(eig[1]),
            "d_block_eig_max": float(np.linalg.eigvalsh(full[1:, 1:])[-1]),
            "full_positive_eigs": int(np.sum(full_eig > 1e-9)),
            "full_negative_eigs": int(np.sum(full_eig < -1e-9)),
            "value_max": float(arrays["value"].max()),
            "value_min": float(arrays["value"].min()),
        },
    )


@experiment(
    "two_players_play",
    params={**TOY, "nodes": 60, "start": [-1.0, 0.0], "lr": 0.1, "steps": 600},
    test={"steps": 500},
    uses_torch_device=False,
    title="Simultaneous gradient play on V(θ, φ₁): θ descends, φ₁ ascends, from one start",
)
def two_players_play(params, context: RunContext) -> ExperimentResult:
    mu, sigma, lr, steps = params["mu"], params["sigma"], params["lr"], params["steps"]
    path = simultaneous_play(np.array(params["start"]), lr, steps, mu, sigma, params["nodes"])
    saddle = np.array([mu, 0.0])
    distance = np.linalg.norm(path - saddle, axis=1)
    # linearisation at the saddle: d(θ − μ, φ₁)/dt = J (θ − μ, φ₁), J = [[0, ½], [−½, −σ²/2]]
    eigenvalue = np.linalg.eigvals(np.array([[0.0, 0.5], [-0.5, -(sigma**2) / 2]]))[0]
    tail = np.arange(steps // 2, steps + 1)  # fit log-distance over the second half
    measured = np.exp(np.polyfit(tail, np.log(distance[tail]), 1)[0])
    return ExperimentResult(
        arrays={"path": path, "distance": distance},
        scalars={
            "mu": mu,
            "sigma": sigma,
            "lr": lr,
            "steps": steps,
            "start_theta": float(path[0, 0]),
            "final_distance": float(distance[-1]),
            "turns": abs(winding_angle(path, saddle)) / (2 * np.pi),
            "theta_overshoot": float(path[:, 0].max() - mu),
            "eig_real": float(eigenvalue.real),
            "eig_imag": float(abs(eigenvalue.imag)),
            "predicted_contraction": float(abs(1 + lr * eigenvalue)),
            "measured_contraction": float(measured),
        },
    )


def run_trainer(generator, discriminator, data, params, context: RunContext):
    r"""`train` with the non-saturating loss, one Adam rate for both players; History + series.

    The series are those the chapter plots; ``tail_<name>`` is each one's mean over the last
    ``params["tail"]`` of the steps.
    """
    # --8<-- [start:run_trainer]
    config = TrainConfig.for_loss(
        "non-saturating",
        steps=params["steps"],
        batch_size=params["batch_size"],
        d_lr=params["lr"],
        g_lr=params["lr"],
        snapshot_every=params["snapshot_every"],
        seed=context.seed,
        device=str(context.device),
    )
    history = train(generator, discriminator, data, config, progress=False)
    # --8<-- [end:run_trainer]
    series = {k: getattr(history, k) for k in ("d_loss", "g_loss", "d_real", "d_fake")}
    start = int(params["steps"] * (1.0 - params["tail"]))
    tails = {f"tail_{k}": float(np.mean(v[start:])) for k, v in series.items()}
    return history, series, tails


TRAINING = {"batch_size": 256, "tail": 0.25}


@experiment(
    "alternation_shift",
    params={**TOY, **TRAINING, "theta0": -1.0, "steps": 1000, "lr": 0.02, "snapshot_every": 25},
    test={"steps": 500},
    title="The trainer on the shift toy: ShiftGenerator against LogisticDiscriminator",
)
def alternation_shift(params, context: RunContext) -> ExperimentResult:
    mu, sigma = params["mu"], params["sigma"]
    generator, discriminator = ShiftGenerator(theta=params["theta0"]), LogisticDiscriminator()

    def data(n, rng):
        return gaussian_1d(n, mean=mu, std=sigma, generator=rng)

    history, series, tails = run_trainer(generator, discriminator, data, params, context)
    snapshots = history.snapshots[:, :, 0]  # (K, S): z_j + θ_k for the same z_j
    thetas = params["theta0"] + (snapshots - snapshots[0]).mean(axis=1)  # G(z) = z + θ
    steps = history.snapshot_steps
    return ExperimentResult(
        arrays={**series, "snapshot_steps": steps, "snapshots": snapshots, "thetas": thetas},
        scalars={
            **{k: params[k] for k in ("mu", "sigma", "theta0", "lr", "tail", "steps")},
            "final_theta": float(generator.theta.item()),
            "final_gap": float(abs(generator.theta.item() - mu)),
            "final_phi1": float(discriminator.phi1.item()),
            "theta_overshoot": float(thetas.max() - mu),
            # the 25-step running mean of L_D at its highest: D briefly worse than a coin
            "d_loss_peak": float(np.convolve(series["d_loss"], np.ones(25) / 25, "valid").max()),
            "first_step_over_mu": int(steps[np.argmax(thetas > mu)]),
            "log4": LOG4,
            "log2": float(np.log(2.0)),
            **tails,
        },
    )


@experiment(
    "alternation_ring",
    params={**TRAINING, "hidden": 64, "steps": 3000, "lr": 1e-3, "snapshot_every": 100},
    test={"hidden": 32, "steps": 300, "snapshot_every": 50},
    seed=2,
    title="The trainer on the ring of 8 Gaussians: MLP generator and discriminator",
)
def alternation_ring(params, context: RunContext) -> ExperimentResult:
    hidden = params["hidden"]
    generator = MLPGenerator(hidden=hidden, generator=context.generator(1))
    discriminator = MLPDiscriminator(hidden=hidden, generator=context.generator(2))

    def data(n, rng):
        return eight_gaussians(n, generator=rng)

    history, series, tails = run_trainer(generator, discriminator, data, params, context)
    centres = eight_gaussians_centres()
    modes = [
        count_covered_modes(torch.from_numpy(s), centres, EIGHT_GAUSSIANS_STD)
        for s in history.snapshots
    ]
    return ExperimentResult(
        arrays={
            **series,
            "snapshot_steps": history.snapshot_steps,
            "snapshots": history.snapshots,
            "centres": centres.numpy(),
            "modes": np.asarray(modes),
        },
        scalars={
            **{k: params[k] for k in ("hidden", "lr", "tail", "steps")},
            "final_modes": int(modes[-1]),
            "log4": LOG4,
            **tails,
        },
    )


# Claims that the two chapters' prose makes about these results, checked at every build.


@claim(
    "two_players_value",
    "(μ, 0) is a stationary point with value −log 4; the Hessian of V̄ there is "
    "[[0, −1/2], [−1/2, −σ²/2]]: determinant < 0, one positive and one negative eigenvalue (a "
    "saddle); in (θ, φ₀, φ₁) the discriminator's block is negative definite; V̄ < 0 on the grid",
)
def _saddle(result: ExperimentResult) -> None:
    s = result.scalars
    assert abs(s["value_at_saddle"] + LOG4) < 1e-12 and s["grad_norm_at_saddle"] < 1e-12
    expected = np.array([[0.0, -0.5], [-0.5, -(s["sigma"] ** 2) / 2]])
    np.testing.assert_allclose(result.arrays["hessian"], expected, atol=1e-10)
    assert s["h_det"] < 0 and s["h_eig_min"] < 0 < s["h_eig_max"]
    assert s["d_block_eig_max"] < 0
    assert (s["full_positive_eigs"], s["full_negative_eigs"]) == (1, 2)
    assert s["value_max"] < 0


@claim(
    "two_players_play",
    "simultaneous play circles the saddle more than twice, θ overshoots μ by more than 0.5, and "
    "the distance shrinks by the factor |1 + ηλ| per step that the linearisation predicts, "
    "λ = −σ²/4 ± i·sqrt(1/4 − σ⁴/16)",
)
def _play_spirals_in(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["turns"] > 2 and s["theta_overshoot"] > 0.5
    assert s["final_distance"] < 1e-3
    assert abs(s["eig_real"] + s["sigma"] ** 2 / 4) < 1e-12
    assert abs(s["eig_imag"] - np.sqrt(0.25 - s["sigma"] ** 4 / 16)) < 1e-12
    assert abs(s["measured_contraction"] - s["predicted_contraction"]) < 1e-3


@claim(
    "alternation_shift",
    "θ overshoots μ (by more than 0.25) and ends within 0.1 of it; over the last quarter of the "
    "run D(x) and D(G(z)) average ½, L_D log 4 and L_G log 2, each within 1e-3; φ₁ ends near 0; "
    "on the way the running mean of L_D rises above log 4; early on D(x) rises above 0.55 and "
    "D(G(z)) falls below 0.45",
)
def _shift_reaches_equilibrium(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["theta_overshoot"] > 0.25 and s["final_gap"] < 0.1
    assert s["first_step_over_mu"] <= 200
    for key, target in (("d_real", 0.5), ("d_fake", 0.5), ("d_loss", LOG4), ("g_loss", s["log2"])):
        assert abs(s[f"tail_{key}"] - target) < 1e-3, (key, s[f"tail_{key}"])
    assert abs(s["final_phi1"]) < 0.1
    assert s["d_loss_peak"] > LOG4 + 0.05, "L_D rises above log 4 while θ overshoots"
    early = np.ones(25) / 25  # D learns first: running means over the first 200 steps
    assert np.convolve(result.arrays["d_real"][:200], early, "valid").max() > 0.55
    assert np.convolve(result.arrays["d_fake"][:200], early, "valid").min() < 0.45


@claim(
    "alternation_ring",
    "over the last quarter of the run D(x) averages above D(G(z)), both within 0.25 of ½, with "
    "L_D below log 4 and L_G above log 2: the discriminator keeps an edge",
)
def _ring_hovers(result: ExperimentResult) -> None:
    s = result.scalars
    assert abs(s["tail_d_real"] - 0.5) < 0.25 and abs(s["tail_d_fake"] - 0.5) < 0.25
    assert s["tail_d_real"] > s["tail_d_fake"]
    assert s["tail_d_loss"] < LOG4 and s["tail_g_loss"] > np.log(2.0)


@claim(
    "alternation_ring",
    "D(x) averages above ½ and D(G(z)) below over the last quarter; per-step D(x) jumps by more "
    "than 0.05 from one step to the next there on average; no mode is covered at the start, at "
    "least 4 are at some snapshot, and the count rises and falls on the way (not monotone)",
    profiles=("standard", "full"),
)
def _ring_covers(result: ExperimentResult) -> None:
    s, modes = result.scalars, result.arrays["modes"]
    assert s["tail_d_real"] > 0.5 > s["tail_d_fake"]
    tail = int(len(result.arrays["d_real"]) * (1 - s["tail"]))
    assert np.abs(np.diff(result.arrays["d_real"][tail:])).mean() > 0.05
    assert modes[0] == 0 and modes.max() >= 4 and np.any(np.diff(modes) < 0)
