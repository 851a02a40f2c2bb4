r"""Experiments of the WGAN-GP chapter: the gradient penalty on the ring, and a classic bug.

``wgan_gp`` trains a seed ensemble of WGAN-GP with the paper's λ = 10, $n_{\text{critic}} = 5$
and Adam at 1e-4, but the β = (0.5, 0.9) of the authors' toy code (Algorithm 1 has β₁ = 0; see
`TrainConfig`), with the harness and evaluations of ``wgan_clipping`` (`train_and_examine` of
`ganbook.measures`): member $k$ of the two ensembles has the same seed, so it starts from the
same networks, which lets the chapter compare the two member by member. The same experiment
also trains one critic with a *wrong* penalty, the norm taken over the whole batch instead of per
example, from member 0's networks and random numbers, to show what that bug does to the norms:
`train` with ``penalty=`` the buggy one. The buggy penalty lives only in this module, for that
demonstration; the package's penalty is `ganbook.penalties.gradient_penalty`.
"""

from __future__ import annotations

import numpy as np
import torch

from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.measures.critic_runs import (
    WGAN_RING,
    WGAN_RING_FULL,
    WGAN_RING_TEST,
    ensemble_arrays,
    ensemble_scalars,
    evaluation_steps,
    examine,
    train_and_examine,
)
from ganbook.measures.samples import ring_data
from ganbook.measures.summaries import spread
from ganbook.measures.toy_runs import toy_config, toy_players
from ganbook.training import train


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


def buggy_run(params, context: RunContext) -> dict:
    r"""Member 0's WGAN-GP run again, from its networks and random numbers, with the buggy penalty.

    It stops at ``bug_steps`` and is examined once; the chapter compares it with member 0's
    examination at the same step.
    """
    member = context.members(1)[0]
    G, D = toy_players(params, member)
    shorter = {**params, "steps": params["bug_steps"]}
    config = toy_config("wgan-gp", shorter, member, gp_weight=params["gp_weight"])
    train(G, D, ring_data, config, progress=False, penalty=buggy_whole_batch_gradient_penalty)
    return examine(G, D, params, member.stream("bug-evaluation"), context.device)


def relative_spread(norms: np.ndarray) -> float:
    r"""$(q_{90} - q_{10}) / q_{50}$ of the norms: their spread relative to their typical size."""
    q10, q50, q90 = np.quantile(norms, [0.1, 0.5, 0.9])
    return float((q90 - q10) / q50)


@experiment(
    "wgan_gp",
    params={**WGAN_RING, "steps": 2000, "gp_weight": 10.0, "bug_steps": 500},
    test={**WGAN_RING_TEST, "bug_steps": 50},
    full={**WGAN_RING_FULL, "bug_steps": 3000},
    title="WGAN-GP on the ring: exact W1, critic gradient norms; and the whole-batch-norm bug",
    cost=50,
)
def wgan_gp(params, context: RunContext) -> ExperimentResult:
    stops = evaluation_steps(params)
    if params["bug_steps"] not in stops:  # checked before any training
        raise ValueError(f"bug_steps must be an evaluation step of the run, one of {stops}")
    run = train_and_examine("wgan-gp", params, context, gp_weight=params["gp_weight"])
    arrays = ensemble_arrays(run)
    at_bug = run["rows"][0][stops.index(params["bug_steps"])]
    bug = buggy_run(params, context)
    norms = arrays["final_norms"]
    return ExperimentResult(
        arrays={
            **arrays,
            "bug_norms": bug["norms"],
            "bug_samples": bug["samples"],
            "same_step_norms": at_bug["norms"],
            "same_step_samples": at_bug["samples"],
        },
        scalars={
            **ensemble_scalars(params, run, arrays),
            "gp_weight": params["gp_weight"],
            **spread("fraction_norms_near_1", np.mean(np.abs(norms - 1.0) <= 0.2, axis=1)),
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
