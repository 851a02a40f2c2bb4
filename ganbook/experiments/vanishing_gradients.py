r"""Experiments of the chapter "When the supports do not overlap": the gradients that reach G.

The data are $U[\pm\varepsilon/2]$ and the generator $U[\theta \pm \varepsilon/2]$, apart when
$|\theta| \ge \varepsilon$. With the generator held fixed, `disjoint_supports_gradients` trains two
discriminators from scratch with the package's `discriminator_step` (through the shared helper
`train_discriminator`): a logistic classifier on the minimax loss and a linear critic on the
WGAN-GP loss. At log-spaced steps it measures, by autograd, the gradient each would pass to the
generator, and what each reports about the distance (a JS estimate, a $W_1$ estimate). The
divergences themselves are computed in `ganbook.experiments.disjoint_supports`.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import torch
from torch import nn

from ganbook.experiments.claims import claim
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
        "steps": 1500,
        "batch_size": 256,
        "lr": 0.05,
        "betas": [0.5, 0.9],
        "gp_weight": 10.0,
        "records": 40,
        "nodes": 512,
    },
    test={"steps": 600, "records": 20},
    title="Generator gradients through a trained classifier and through a WGAN-GP critic",
)
def disjoint_supports_gradients(params, context: RunContext) -> ExperimentResult:
    thetas = np.asarray(params["thetas"], dtype=float)
    steps = params["steps"]
    record_at = np.unique(np.rint(np.geomspace(1, steps, params["records"])).astype(int))
    classifier = np.stack(
        [
            _train_against_narrow_generator(params, context, t, "minimax", i, record_at)
            for i, t in enumerate(thetas)
        ]
    )  # (n_theta, n_records, [|grad|, JS estimate])
    critic = np.stack(
        [
            _train_against_narrow_generator(params, context, t, "wgan-gp", i + 10, record_at)
            for i, t in enumerate(thetas)
        ]
    )  # (n_theta, n_records, [|grad|, W1 estimate])
    exact = np.array([_exact_critic_gradient(t, params["width"]) for t in thetas])
    # optimum of a linear critic ψx under the penalty: |ψ| = 1 + |θ|/(2λ); its W1 estimate is |θ||ψ|
    penalised = 1.0 + np.abs(thetas) / (2.0 * params["gp_weight"])
    late = record_at >= steps // 2
    sat = classifier[:, :, 0]
    farthest = int(np.argmax(np.abs(thetas)))
    return ExperimentResult(
        arrays={
            "thetas": thetas,
            "record_at": record_at,
            "classifier_grad": sat,
            "js_estimate": classifier[:, :, 1],
            "critic_grad": critic[:, :, 0],
            "w1_estimate": critic[:, :, 1],
            "exact_critic_grad": exact,
            "penalised_slope": penalised,
        },
        scalars={
            "steps": steps,
            "width": params["width"],
            "lr": params["lr"],
            "gp_weight": params["gp_weight"],
            "theta_min": float(thetas.min()),
            "theta_max": float(thetas.max()),
            "classifier_peak_min": float(sat.max(axis=1).min()),
            "classifier_final_max": float(sat[:, -1].max()),
            "classifier_final_min": float(sat[:, -1].min()),
            "classifier_final_farthest": float(sat[farthest, -1]),
            # per-record drop factors of the farthest run: steepest, and between the last two
            "farthest_steepest_drop": float(np.max(sat[farthest, :-1] / sat[farthest, 1:])),
            "farthest_last_drop": float(sat[farthest, -2] / sat[farthest, -1]),
            "classifier_drop_min": float((sat.max(axis=1) / sat[:, -1]).min()),
            "js_estimate_final_min": float(classifier[:, -1, 1].min()),
            "log_2": LOG_2,
            "critic_late_gap": float(np.max(np.abs(critic[:, late, 0] - penalised[:, None]))),
            "critic_final_min": float(critic[:, -1, 0].min()),
            "critic_final_max": float(critic[:, -1, 0].max()),
            "w1_estimate_gap": float(np.max(np.abs(critic[:, -1, 1] - np.abs(thetas) * penalised))),
            "exact_critic_gap": float(np.max(np.abs(exact - 1.0))),
            "penalised_slope_max": float(penalised.max()),
        },
    )


# Claims that the chapter's prose makes about these results, checked at every build.


@claim(
    "disjoint_supports_gradients",
    "through the trained classifier the generator's gradient first grows, then collapses by more "
    "than three orders of magnitude, below 1e-3 at the end for every θ, while the classifier's "
    "JS estimate reaches log 2 to within 1e-4",
    profiles=("standard", "full"),
)
def _classifier_gradient_vanishes(result: ExperimentResult) -> None:
    s = result.scalars
    sat = result.arrays["classifier_grad"]
    assert np.all(sat[:, 0] < sat.max(axis=1) / 5), "the gradient grows before it falls"
    assert s["classifier_peak_min"] > 0.2, s["classifier_peak_min"]
    assert s["classifier_drop_min"] > 1e3, s["classifier_drop_min"]
    assert s["classifier_final_max"] < 1e-3, s["classifier_final_max"]
    assert s["log_2"] - s["js_estimate_final_min"] < 1e-4, s["js_estimate_final_min"]


@claim(
    "disjoint_supports_gradients",
    "for the farthest generator the classifier's gradient falls by more than 10 between two "
    "records at its steepest, and by less than 3 between the last two: the fall slows down",
    profiles=("standard", "full"),
)
def _fall_slows(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["farthest_steepest_drop"] > 10, s["farthest_steepest_drop"]
    assert s["farthest_last_drop"] < 3, s["farthest_last_drop"]


@claim(
    "disjoint_supports_gradients",
    "the classifier's gradient falls by more than a factor 10 from its peak (short runs included)",
)
def _classifier_gradient_falls(result: ExperimentResult) -> None:
    assert result.scalars["classifier_drop_min"] > 10, result.scalars["classifier_drop_min"]


@claim(
    "disjoint_supports_gradients",
    "through the WGAN-GP critic the gradient settles at 1 + |θ|/(2λ) (within 0.03 over the second "
    "half of training) and the critic's W₁ estimate is |θ|(1 + |θ|/(2λ)); through the exact "
    "critic f(x) = −x it is exactly 1",
)
def _critic_gradient_stays(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["critic_late_gap"] < 0.03, s["critic_late_gap"]
    assert s["w1_estimate_gap"] < 0.06, s["w1_estimate_gap"]
    assert s["exact_critic_gap"] < 1e-6, s["exact_critic_gap"]
