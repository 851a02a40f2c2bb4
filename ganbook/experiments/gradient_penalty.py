r"""Experiments of the WGAN-GP chapter: the gradient penalty on the ring, and a classic bug.

``wgan_gp`` trains WGAN-GP with the paper's settings (Adam 1e-4, β = (0.5, 0.9), λ = 10,
$n_{\text{critic}} = 5$) from the same initial networks, for the same steps and with the same
evaluations as the clipped run of ``wgan_clipping``, which the chapter compares it with (that run
is not repeated here). The same experiment also trains a second critic with a *wrong* penalty, the
norm taken over the whole batch instead of per example, to show what that bug does. The buggy
penalty lives only in this module, for that demonstration; the package's penalty is
`ganbook.penalties.gradient_penalty`.
"""

from __future__ import annotations

import numpy as np
import torch

from ganbook.devices import resolve_device
from ganbook.experiments.claims import claim
from ganbook.experiments.registry import RunContext, experiment
from ganbook.experiments.result import ExperimentResult
from ganbook.experiments.ring_run import ring_data
from ganbook.experiments.wasserstein import (
    RING,
    RING_TEST,
    SHARED_W1,
    examine,
    make_players,
    run_arrays,
    run_scalars,
    train_and_examine,
)
from ganbook.losses import get_loss
from ganbook.training import TrainConfig
from ganbook.training.loop import reproducible_torch, stream_seeds
from ganbook.training.steps import GAN, generator_step, sample_latent


def buggy_whole_batch_gradient_penalty(critic, real, fake, *, rng=None) -> torch.Tensor:
    r"""THE BUG, for demonstration only: one gradient norm for the whole batch.

    $$
    \mathcal{P}_{\text{bug}} = \Bigl(\bigl\lVert \nabla_{\hat X} \textstyle\sum_i D(\hat x_i)
    \bigr\rVert_2 - 1\Bigr)^2 = \Bigl(\sqrt{B}\,\sqrt{\tfrac1B \textstyle\sum_i
    \lVert\nabla D(\hat x_i)\rVert_2^2} - 1\Bigr)^2
    $$

    The norm runs over the whole $(B, 2)$ gradient tensor, so it is $\sqrt{B}$ times the root
    mean square of the per-example norms, and the penalty pulls those towards $1/\sqrt{B}$, not 1.
    Same signature and random draws as `ganbook.penalties.gradient_penalty`, which is right.
    """
    # --8<-- [start:buggy_whole_batch_gradient_penalty]
    alpha = torch.rand(real.shape[0], 1, generator=rng, device=real.device, dtype=real.dtype)
    x_hat = (real + alpha * (fake - real)).requires_grad_(True)  # x̂ = x + α(x̃ − x)
    (gradients,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return (torch.linalg.vector_norm(gradients) - 1.0) ** 2  # BUG: no dim=1, one norm in all
    # --8<-- [end:buggy_whole_batch_gradient_penalty]


def train_with_penalty(G, D, data, config: TrainConfig, penalty) -> None:
    r"""WGAN-GP's updates exactly as `train` makes them, with ``penalty`` in place of the package's.

    Same optimisers, random streams (`stream_seeds`), draws and order of operations as `train`:
    with ``penalty=gradient_penalty`` the two give the same weights, which a test checks. G and D
    train in place; nothing is recorded.
    """
    device = resolve_device(config.device)
    data_seed, noise_seed, _ = stream_seeds(config.seed)
    gan = GAN(
        G.to(device).train(),
        D.to(device).train(),
        g_optimiser=torch.optim.Adam(G.parameters(), lr=config.g_lr, betas=config.g_betas),
        d_optimiser=torch.optim.Adam(D.parameters(), lr=config.d_lr, betas=config.d_betas),
        loss=get_loss(config.loss),
        rng=torch.Generator(device).manual_seed(noise_seed),
    )
    data_rng = torch.Generator().manual_seed(data_seed)
    with reproducible_torch(config.threads):
        for _ in range(config.steps):
            for _ in range(config.n_critic):
                x = data(config.batch_size, data_rng).to(device)
                with torch.no_grad():
                    x_fake = G(sample_latent(gan, config.batch_size))
                loss = gan.loss.discriminator_loss(D(x), D(x_fake))
                weighted = config.gp_weight * penalty(D, x, x_fake, rng=gan.rng)
                gan.d_optimiser.zero_grad(set_to_none=True)
                (loss + weighted).backward()
                gan.d_optimiser.step()
            generator_step(gan, config.batch_size)


def buggy_run(params, context: RunContext) -> dict:
    r"""The WGAN-GP run again, from the same networks and random numbers, with the buggy penalty.

    It stops at ``bug_steps`` and is examined once; the chapter compares it with the right run's
    examination at the same step.
    """
    G, D = make_players(params, context)
    config = TrainConfig.for_loss(
        "wgan-gp",
        steps=params["bug_steps"],
        batch_size=params["batch_size"],
        gp_weight=params["gp_weight"],
        seed=context.seed,
        device=str(context.device),
    )
    train_with_penalty(G, D, ring_data, config, buggy_whole_batch_gradient_penalty)
    return examine(G, D, params, context.generator(6), context.device)


def relative_spread(norms: np.ndarray) -> float:
    r"""$(q_{90} - q_{10}) / q_{50}$ of the norms: their spread relative to their typical size."""
    q10, q50, q90 = np.quantile(norms, [0.1, 0.5, 0.9])
    return float((q90 - q10) / q50)


@experiment(
    "wgan_gp",
    params={**RING, "steps": 3000, "gp_weight": 10.0, "bug_steps": 1500},
    test={**RING_TEST, "bug_steps": 100},
    full={"steps": 10000, "evaluate_every": 1000, "snapshot_every": 1000, "bug_steps": 3000},
    title="WGAN-GP on the ring: exact W1, critic gradient norms; and the whole-batch-norm bug",
)
def wgan_gp(params, context: RunContext) -> ExperimentResult:
    run = train_and_examine("wgan-gp", params, context, gp_weight=params["gp_weight"])
    arrays = run_arrays(run)
    steps = arrays["eval_step"]
    if params["bug_steps"] not in steps:
        raise ValueError(f"bug_steps must be an evaluation step of the run, one of {steps}")
    at_bug = run["rows"][int(np.flatnonzero(steps == params["bug_steps"])[0])]
    bug = buggy_run(params, context)
    last = run["rows"][-1]
    return ExperimentResult(
        arrays={
            **arrays,
            "bug_norms": bug["norms"],
            "bug_samples": bug["samples"],
            "same_step_norms": at_bug["norms"],
            "same_step_samples": at_bug["samples"],
        },
        scalars={
            **run_scalars(run),
            "gp_weight": params["gp_weight"],
            "fraction_norms_near_1": float(np.mean(np.abs(last["norms"] - 1.0) <= 0.2)),
            "ratio_final": last["critic_estimate"] / last["w1"],
            "bug_steps": params["bug_steps"],
            "bug_target": 1.0 / np.sqrt(params["batch_size"]),
            "bug_grad_norm_median": bug["grad_norm_median"],
            "bug_relative_spread": relative_spread(bug["norms"]),
            "bug_w1": bug["w1"],
            "bug_modes": bug["modes"],
            "bug_ratio": bug["critic_estimate"] / bug["w1"],
            "same_step_grad_norm_median": at_bug["grad_norm_median"],
            "same_step_relative_spread": relative_spread(at_bug["norms"]),
            "same_step_w1": at_bug["w1"],
            "same_step_modes": at_bug["modes"],
        },
    )


# Claims that the chapter's prose makes about these results, checked at every build.


@claim("wgan_gp", "under the penalty the median gradient norm is within [0.8, 1.2]")
def _norms_near_one(result: ExperimentResult) -> None:
    s = result.scalars
    assert 0.8 <= s["grad_norm_median"] <= 1.2, s["grad_norm_median"]


@claim(
    "wgan_gp",
    "at the end most interpolates have gradient norm within 0.2 of 1, and the critic's estimate "
    "is close to W1 itself, not a tiny multiple: between half and all of POT's value",
    profiles=("standard", "full"),
)
def _penalty_makes_a_w1_estimate(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["fraction_norms_near_1"] > 0.8, s["fraction_norms_near_1"]
    assert 0.5 < s["ratio_final"] < 1.0, s["ratio_final"]


@claim(
    "wgan_gp",
    "the whole-batch-norm bug pulls the per-example norms to about 1/√B, far from 1",
)
def _bug_norms_far_from_one(result: ExperimentResult) -> None:
    s = result.scalars
    assert 0.5 * s["bug_target"] < s["bug_grad_norm_median"] < 2 * s["bug_target"]
    assert s["bug_grad_norm_median"] < 0.2, s["bug_grad_norm_median"]


@claim(
    "wgan_gp",
    "with the bug, norms spread more (relative to their size) than under the right penalty at "
    "the same step, and the critic's estimate is about W1/√B",
    profiles=("standard", "full"),
)
def _bug_changes_the_critic(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["bug_relative_spread"] > s["same_step_relative_spread"]
    assert 0.5 * s["bug_target"] < s["bug_ratio"] < 2 * s["bug_target"], s["bug_ratio"]


@claim(
    "wgan_gp",
    "on this toy the bug does not spoil the samples: at the same step its W1 is lower and it "
    "covers more modes than the right penalty",
    profiles=("standard",),
)
def _bug_samples_are_not_worse(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["bug_w1"] < s["same_step_w1"], (s["bug_w1"], s["same_step_w1"])
    assert s["bug_modes"] > s["same_step_modes"], (s["bug_modes"], s["same_step_modes"])


@claim(
    "wgan_gp",
    "after the standard run WGAN-GP's W1 is below the shared mark that clipping stays above, "
    "and it covers at least half of the modes (clipping: at most 2)",
    profiles=("standard",),
)
def _penalty_beats_clipping(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["w1_final"] < SHARED_W1, s["w1_final"]
    assert s["modes_final"] >= 4, s["modes_final"]
