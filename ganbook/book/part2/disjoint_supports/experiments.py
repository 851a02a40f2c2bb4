r"""Experiments of the chapter "When the supports do not overlap": the distances, and the gradients.

`disjoint_supports_divergences` evaluates KL, JS, TV and $W_1$ on exact discretisations: the
parallel lines of Arjovsky et al. (2017) in the plane (the earth mover's distance by linear
programming over every pair of points), and narrow uniform distributions of width $\varepsilon$
on a line, shifted by $\theta$ on a grid whose spacing divides both.

`disjoint_supports_gradients` measures the gradients that reach the generator. The data are
$U[\pm\varepsilon/2]$ and the generator $U[\theta \pm \varepsilon/2]$, apart when
$|\theta| \ge \varepsilon$. With the generator held fixed, it trains two discriminators from
scratch with the package's `discriminator_step` (through `train_discriminator` of
`ganbook.measures`): a logistic classifier on the minimax loss and a linear critic on the
WGAN-GP loss. At log-spaced steps it measures, by autograd, the gradient each would pass to the
generator, and what each reports about the distance (a JS estimate, a $W_1$ estimate). It does so
for every member of a seed ensemble, each member with its own batches and latents: arrays have a
leading member axis and the scalars summarise all members.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import torch
from torch import nn

from ganbook.divergences import (
    earth_movers_distance,
    js_divergence,
    kl_divergence,
    total_variation,
    wasserstein_1d,
)
from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.losses import minimax_generator_loss, wasserstein_generator_loss
from ganbook.measures.fixed_generator import fixed_generator_game, train_discriminator
from ganbook.models import LogisticDiscriminator, ShiftGenerator
from ganbook.training import GAN

LOG_2 = math.log(2.0)


def uniform_on_grid(size: int, first: int, count: int, shift: int) -> np.ndarray:
    r"""A probability vector on ``size`` grid points, uniform on ``count`` of them.

    Mass $1/\text{count}$ on ``count`` consecutive points starting at index ``first + shift``,
    0 elsewhere.
    """
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
def disjoint_supports_divergences(params, _context: RunContext) -> ExperimentResult:
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


class NarrowShiftGenerator(nn.Module):
    r"""The shift generator fed uniform noise of width $\varepsilon$: $U[\theta \pm \varepsilon/2]$.

    $$
    x = \theta + \varepsilon\,\bigl(\Phi(z) - \tfrac12\bigr), \qquad z \sim N(0, 1)
    $$

    $\Phi$ is the standard normal CDF, so $\Phi(z) \sim U[0, 1]$; the trainer's latents are normal,
    and this turns them into uniform ones. The shift is a `ShiftGenerator`.
    """

    latent_dim = 1

    def __init__(self, theta: float, width: float) -> None:
        super().__init__()
        self.shift = ShiftGenerator(theta)
        self.width = width

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        r"""$\theta + \varepsilon(\Phi(z) - \tfrac12)$ for latents of shape (N, 1)."""
        return self.shift(self.width * (torch.special.ndtr(z) - 0.5))  # (N, 1) -> (N, 1)


def _gradient_and_value(gan: GAN, nodes: torch.Tensor, real: torch.Tensor, critic: bool):
    r"""$|\partial L_G/\partial\theta|$ through the current $D$, and $D$'s estimate of its distance.

    Expectations are midpoint sums over ``nodes`` (latents) and ``real`` (data), so no sampling
    noise enters. For the classifier the estimate is $\mathrm{JS} \approx (V(D, G) + \log 4)/2$;
    for the critic it is $W_1 \approx E f(x) - E f(\tilde x)$. The probe runs on float64 copies
    of the players, so that gradients far below float32's resolution are measured, not rounded.
    """
    generator = copy.deepcopy(gan.generator).double()
    d = copy.deepcopy(gan.discriminator).double()
    fake = generator(nodes)
    loss = (wasserstein_generator_loss if critic else minimax_generator_loss)(d(fake))
    (grad,) = torch.autograd.grad(loss, generator.shift.theta)
    with torch.no_grad():
        if critic:
            estimate = d(real).mean() - d(fake).mean()
        else:
            value = -gan.loss.discriminator_loss(d(real), d(fake))  # V(D, G)
            estimate = (value + math.log(4.0)) / 2.0
    return grad.abs(), estimate


def _train_against_narrow_generator(params, context, theta, loss, offset, record_at):
    device, width = context.device, params["width"]
    generator = NarrowShiftGenerator(theta, width)
    discriminator = LogisticDiscriminator().to(device)  # a classifier's logit or a linear critic
    adam = torch.optim.Adam(discriminator.parameters(), lr=params["lr"], betas=params["betas"])
    gp_weight = params["gp_weight"] if loss == "wgan-gp" else None
    gan = fixed_generator_game(generator, discriminator, adam, loss, context, offset, gp_weight)
    u = (torch.arange(params["nodes"], dtype=torch.float64, device=device) + 0.5) / params["nodes"]
    nodes = torch.special.ndtri(u).unsqueeze(1)  # latents whose Φ are the midpoints u
    real = (width * (u - 0.5)).unsqueeze(1)  # data at the same midpoints: U[±ε/2]
    records = torch.zeros(len(record_at), 2, dtype=torch.float64, device=device)
    where = {int(k): i for i, k in enumerate(record_at)}

    def record(k: int) -> None:
        if k in where:
            records[where[k]] = torch.stack(
                _gradient_and_value(gan, nodes, real, loss != "minimax")
            )

    def sample_real(n: int, rng: torch.Generator) -> torch.Tensor:
        return width * (torch.rand(n, 1, generator=rng) - 0.5)  # x ~ U[−ε/2, ε/2]

    train_discriminator(
        gan,
        sample_real,
        steps=params["steps"],
        batch_size=params["batch_size"],
        context=context,
        offset=offset,
        after_step=record,
    )
    return records.cpu().numpy()


def _exact_critic_gradient(theta: float, width: float) -> float:
    r"""$|\partial L_G/\partial\theta|$ through the exact critic $f(x) = -\mathrm{sign}(\theta) x$.

    In one dimension $f$ is 1-Lipschitz and $E_p f - E_q f = |\theta| = W_1$ for any shift by
    $\theta$, so it attains the Kantorovich–Rubinstein bound.
    """
    generator = NarrowShiftGenerator(theta, width)
    critic = LogisticDiscriminator(phi0=0.0, phi1=-math.copysign(1.0, theta))
    u = (torch.arange(256, dtype=torch.float32) + 0.5) / 256
    loss = wasserstein_generator_loss(critic(generator(torch.special.ndtri(u).unsqueeze(1))))
    (grad,) = torch.autograd.grad(loss, generator.shift.theta)
    return abs(grad.item())


@experiment(
    "disjoint_supports_gradients",
    params={
        "width": 0.1,
        "thetas": [0.5, 1.0, 2.0],
        "steps": 1000,
        "batch_size": 256,
        "lr": 0.05,
        "betas": [0.5, 0.9],
        "gp_weight": 10.0,
        "records": 40,
        "nodes": 512,
        "members": 5,
    },
    test={"steps": 300, "records": 12, "members": 2},
    full={"members": 10},
    title="Generator gradients through trained classifiers and WGAN-GP critics, seed ensemble",
)
def disjoint_supports_gradients(params, context: RunContext) -> ExperimentResult:
    thetas = np.asarray(params["thetas"], dtype=float)
    steps = params["steps"]
    record_at = np.unique(np.rint(np.geomspace(1, steps, params["records"])).astype(int))
    members = context.members(params["members"])
    # every member trains one classifier and one critic per θ, each from its own streams:
    # (members, n_theta, n_records, [|grad|, estimate])
    classifier, critic = (
        np.stack(
            [
                np.stack(
                    [
                        _train_against_narrow_generator(params, m, t, loss, i + shift, record_at)
                        for i, t in enumerate(thetas)
                    ]
                )
                for m in members
            ]
        )
        for loss, shift in (("minimax", 0), ("wgan-gp", 10))
    )
    exact = np.array([_exact_critic_gradient(t, params["width"]) for t in thetas])
    # optimum of a linear critic ψx under the penalty: |ψ| = 1 + |θ|/(2λ); its W1 estimate is |θ||ψ|
    penalised = 1.0 + np.abs(thetas) / (2.0 * params["gp_weight"])
    late = record_at >= steps // 2
    sat = classifier[..., 0]  # (members, n_theta, n_records)
    farthest = int(np.argmax(np.abs(thetas)))
    steepest = np.max(sat[:, farthest, :-1] / sat[:, farthest, 1:], axis=1)  # per member
    last_drop = sat[:, farthest, -2] / sat[:, farthest, -1]
    drop = sat.max(axis=2) / sat[..., -1]  # (members, n_theta): peak over final
    return ExperimentResult(
        arrays={
            "thetas": thetas,
            "record_at": record_at,
            "classifier_grad": sat,
            "js_estimate": classifier[..., 1],
            "critic_grad": critic[..., 0],
            "w1_estimate": critic[..., 1],
            "exact_critic_grad": exact,
            "penalised_slope": penalised,
            "farthest_steepest_drop": steepest,
            "farthest_last_drop": last_drop,
        },
        scalars={
            "members": len(members),
            "steps": steps,
            "width": params["width"],
            "lr": params["lr"],
            "beta1": params["betas"][0],
            "beta2": params["betas"][1],
            "gp_weight": params["gp_weight"],
            "theta_min": float(thetas.min()),
            "theta_max": float(thetas.max()),
            # over every member and θ: the smallest peak, the final gradients, the drops
            "classifier_peak_min": float(sat.max(axis=2).min()),
            "classifier_first_over_peak_max": float((sat[..., 0] / sat.max(axis=2)).max()),
            "classifier_final_max": float(sat[..., -1].max()),
            "classifier_final_min": float(sat[..., -1].min()),
            "classifier_final_farthest_max": float(sat[:, farthest, -1].max()),
            # per-record drop factors of the farthest generator: steepest, and the last one
            "farthest_steepest_drop_min": float(steepest.min()),
            "farthest_last_drop_max": float(last_drop.max()),
            "classifier_drop_min": float(drop.min()),
            "js_estimate_final_min": float(classifier[:, :, -1, 1].min()),
            "log_2": LOG_2,
            "critic_late_gap": float(np.max(np.abs(critic[:, :, late, 0] - penalised[:, None]))),
            "critic_final_min": float(critic[:, :, -1, 0].min()),
            "critic_final_max": float(critic[:, :, -1, 0].max()),
            "w1_estimate_gap": float(
                np.max(np.abs(critic[:, :, -1, 1] - np.abs(thetas) * penalised))
            ),
            "exact_critic_gap": float(np.max(np.abs(exact - 1.0))),
            "penalised_slope_max": float(penalised.max()),
        },
    )
