r"""Experiments of the chapter "When the supports do not overlap": the gradients that reach G.

The data are $U[\pm\varepsilon/2]$ and the generator $U[\theta \pm \varepsilon/2]$, apart when
$|\theta| \ge \varepsilon$. With the generator held fixed, `disjoint_supports_gradients` trains two
discriminators from scratch with the package's `discriminator_step` (through the shared helper
`train_discriminator`): a logistic classifier on the minimax loss and a linear critic on the
WGAN-GP loss. At log-spaced steps it measures, by autograd, the gradient each would pass to the
generator, and what each reports about the distance (a JS estimate, a $W_1$ estimate). It does so
for every member of a seed ensemble, each member with its own batches and latents: arrays have a
leading member axis and the scalars summarise all members. The divergences themselves are
computed in `ganbook.experiments.disjoint_supports`.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import torch
from torch import nn

from ganbook.experiments.optimal_discriminator import fixed_generator_game, train_discriminator
from ganbook.experiments.registry import RunContext, experiment
from ganbook.experiments.result import ExperimentResult
from ganbook.losses import minimax_generator_loss, wasserstein_generator_loss
from ganbook.models import LogisticDiscriminator, ShiftGenerator
from ganbook.training import GAN

LOG_2 = math.log(2.0)


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
