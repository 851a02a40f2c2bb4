r"""Experiments of "One objective, two players" and "Training by alternation" (Part I, ch. 3–4).

The shift toy: real data $N(\mu, \sigma^2)$, generator $x = z + \theta$ with $z \sim N(0,
\sigma^2)$, logistic discriminator $D(x) = \sigma(\phi_0 + \phi_1 x)$. Chapter 3 computes the value
$V$ over $(\theta, \phi_1)$, with $\phi_0$ at its best value, by Gauss–Hermite quadrature through
`minimax_discriminator_loss`, and lets both players follow its gradient at once. Chapter 4 runs
the package's trainer on the shift toy and on the ring of 8 Gaussians, each as a seed ensemble
(`train_ensemble`): every per-step series and snapshot has a leading member axis, the scalars
summarise the population, and ``shown_member`` names the member that a one-run figure shows (the
median member, `median_member`). Nothing here is drawn.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.losses import minimax_discriminator_loss
from ganbook.measures.shift_toy import SHIFT_TOY
from ganbook.training import reproducible_torch

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
    r"""Simultaneous gradient play on $\bar V$: the (steps + 1, 2) path of $(\theta, \phi_1)$.

    $\theta \leftarrow \theta - \eta\,\partial_\theta\bar V$ and $\phi_1 \leftarrow \phi_1 +
    \eta\,\partial_{\phi_1}\bar V$, both from the same point.
    """
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
    params={
        **SHIFT_TOY,
        "nodes": 60,
        "theta_span": 4.0,
        "phi1_span": 3.0,
        "grid": 161,
        "arrows": 15,
    },
    test={"grid": 41, "arrows": 9},
    uses_torch_device=False,
    title="The value V over (θ, φ₁) with the best intercept, its play field and its saddle",
)
def two_players_value(params, _context: RunContext) -> ExperimentResult:
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
    params={**SHIFT_TOY, "nodes": 60, "start": [-3.0, 0.0], "lr": 0.1, "steps": 600},
    test={"steps": 500},
    uses_torch_device=False,
    title="Simultaneous gradient play on V(θ, φ₁): θ descends, φ₁ ascends, from one start",
)
def two_players_play(params, _context: RunContext) -> ExperimentResult:
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
