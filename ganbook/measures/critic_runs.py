r"""Ring runs whose critic is examined at stops: the harness of the two Wasserstein chapters.

A seed ensemble (`toy_ensemble`) trains on the ring; at every evaluation step `examine` looks at
each member on fresh samples of its own ``"evaluation"`` stream: the critic's estimate
$E\,D(x) - E\,D(G(z))$, the exact $W_1$ between generated and real samples, the covered modes,
the critic's gradient norms at interpolates and the Lipschitz bound of its layers. The WGAN
chapter runs it with weight clipping, the WGAN-GP chapter with the gradient penalty; member $k$
of the two has the same seed, so it starts from the same networks.

- `WGAN_RING` (with `WGAN_RING_TEST`, `WGAN_RING_FULL`): the settings both chapters share.
- `evaluation_steps`, `examine`, `train_and_examine`: the stops, one examination, the run.
- `ensemble_arrays`, `ensemble_scalars`: what both chapters store, per member and summarised.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import torch

from ganbook.measures.critics import (
    critic_weights,
    gradient_norms_at_interpolates,
    on_plane_grid,
    spectral_norm_product,
)
from ganbook.measures.samples import covered_modes, real_w1_floor, ring_data, sample_w1
from ganbook.measures.summaries import median_member, spread
from ganbook.measures.toy_runs import Member, toy_ensemble

__all__ = [
    "CRITIC_EXTENT",
    "WGAN_RING",
    "WGAN_RING_FULL",
    "WGAN_RING_TEST",
    "ensemble_arrays",
    "ensemble_scalars",
    "evaluation_steps",
    "examine",
    "train_and_examine",
]

WGAN_RING = {
    "members": 5,  # seeds of the ensemble; every statement of the chapters is about all of them
    "hidden": 32,  # width of both MLPs: the toy code uses 512; 32 fits two ensembles in budget
    "depth": 3,
    "batch_size": 256,  # the WGAN-GP toy code's batch
    "first_evaluation": 100,  # evaluate early once, then every `evaluate_every` steps
    "evaluate_every": 500,
    "snapshot_every": 500,
    "eval_samples": 1000,  # per side of each exact W1 (POT: about 0.2 s at 1,000)
    "critic_samples": 4096,  # per side of the critic's estimate E D(x) − E D(G(z))
    "grid_points": 81,  # the critic drawn on a grid over [−2, 2]²
    "w1_rise": 0.1,  # a rise of W1 between two stops counts when larger (noise: about 0.02)
}
r"""The ring ensembles of the WGAN and WGAN-GP chapters (the steps are each chapter's)."""
WGAN_RING_TEST = {
    "members": 2,
    "steps": 100,
    "first_evaluation": 50,
    "evaluate_every": 50,
    "snapshot_every": 50,
    "eval_samples": 256,
    "critic_samples": 1024,
    "grid_points": 21,
}
r"""`WGAN_RING` on the test profile."""
WGAN_RING_FULL = {"members": 10, "steps": 10000, "evaluate_every": 1000, "snapshot_every": 1000}
r"""`WGAN_RING` on the full profile."""
CRITIC_EXTENT = 2.0
r"""Half-width of the square the critic is drawn on; the ring has radius 2/1.414."""


def evaluation_steps(params: Mapping[str, Any]) -> list[int]:
    r"""The steps after which the run stops to be examined; the last is ``steps``."""
    every = range(params["evaluate_every"], params["steps"] + 1, params["evaluate_every"])
    return sorted({params["first_evaluation"], *every, params["steps"]})


@torch.no_grad()
def _samples(G, D, params, generator: torch.Generator, device) -> dict:
    n, m = params["eval_samples"], params["critic_samples"]
    real = ring_data(n, generator).to(device)
    fake = G(torch.randn(n, G.latent_dim, generator=generator).to(device))
    many_real = ring_data(m, generator).to(device)
    many_fake = G(torch.randn(m, G.latent_dim, generator=generator).to(device))
    estimate = (D(many_real).mean() - D(many_fake).mean()).item()  # E D(x) − E D(G(z))
    return {"real": real, "fake": fake, "many_fake": many_fake, "estimate": estimate}


def examine(G, D, params: Mapping[str, Any], generator: torch.Generator, device) -> dict:
    r"""Critic estimate, exact $W_1$, mode coverage and gradient norms, all on fresh samples.

    Everything is drawn from ``generator``, in this order: ``eval_samples`` real points and as
    many latents (for $W_1$ and the interpolates), ``critic_samples`` real points and latents
    (for the estimate), then the interpolation weights.
    """
    drawn = _samples(G, D, params, generator, device)
    real, fake = drawn["real"], drawn["fake"]
    norms = gradient_norms_at_interpolates(D, real, fake, generator)
    return {
        "w1": sample_w1(real.cpu().numpy(), fake.cpu().numpy()),
        "critic_estimate": drawn["estimate"],
        "modes": covered_modes(drawn["many_fake"][:2500].cpu().numpy()),
        "grad_norm_median": float(np.median(norms)),
        "lipschitz_bound": spectral_norm_product(D),
        "norms": norms,
        "samples": fake[:512].cpu().numpy(),
    }


def train_and_examine(
    loss: str, params: Mapping[str, Any], context: Member, **overrides: Any
) -> dict:
    r"""Train a seed ensemble of ``loss`` on the ring; examine every member at every stop.

    Member $k$ is one uninterrupted `train` run with its own seed; `train_ensemble` hands its
    players to `examine` at the evaluation steps, which draws from the member's own
    ``evaluation`` stream. ``overrides`` go to every member's `TrainConfig`.
    """
    ensemble = toy_ensemble(loss, params, context, **overrides)
    critics = ensemble.discriminators
    initial_weights = np.stack([critic_weights(D) for D in critics])
    streams = [member.stream("evaluation") for member in ensemble.members]
    rows: list[list[dict]] = [[] for _ in ensemble.members]

    def on_stop(k: int, step: int) -> None:
        found = examine(ensemble.generators[k], critics[k], params, streams[k], context.device)
        rows[k].append({"step": step, **found})

    histories = ensemble.train(ring_data, stops=evaluation_steps(params), on_stop=on_stop)
    points, n = params["grid_points"], params["eval_samples"]
    real = ring_data(n, context.stream("w1-floor")).numpy()  # the floor's first sample
    return {
        "histories": histories,
        "rows": rows,
        "initial_weights": initial_weights,
        "final_weights": np.stack([critic_weights(D) for D in critics]),
        # each member's D over [−2, 2]², row i at y = i-th grid value
        "grids": np.stack(
            [on_plane_grid(D, CRITIC_EXTENT, points, context.device) for D in critics]
        ),
        "real": real[:512],
        "w1_floor": real_w1_floor(ring_data, n, context.stream("w1-floor")),
        "config": ensemble.configs[0],
    }


def ensemble_arrays(run: dict) -> dict[str, np.ndarray]:
    r"""Per-member series with a leading member axis: evaluations, final samples, snapshots."""
    rows, histories = run["rows"], run["histories"]
    keys = ("w1", "critic_estimate", "modes", "grad_norm_median", "lipschitz_bound")
    return {
        "eval_step": np.array([r["step"] for r in rows[0]]),
        **{f"eval_{k}": np.array([[r[k] for r in member] for member in rows]) for k in keys},
        "final_norms": np.stack([member[-1]["norms"] for member in rows]),
        "final_samples": np.stack([member[-1]["samples"] for member in rows]),
        "real": run["real"],
        "critic_grid": run["grids"],
        "snapshot_steps": histories[0].snapshot_steps,
        "snapshots": np.stack([h.snapshots for h in histories]),
        "train_estimate": -np.stack([h.d_loss for h in histories]),  # −L_D, mean of n_critic
        # K̂ = (E D(x) − E D(G(z))) / W1 at every stop of every member
        "ratio": np.array([[r["critic_estimate"] / r["w1"] for r in member] for member in rows]),
    }


def ensemble_scalars(
    params: Mapping[str, Any], run: dict, arrays: dict[str, np.ndarray]
) -> dict[str, float | int]:
    r"""Settings, and the spread over members of the final evaluations."""
    config, w1 = run["config"], arrays["eval_w1"]
    norms = arrays["final_norms"]
    rises = np.diff(w1, axis=1).max(axis=1)  # per member, the largest rise between two stops
    ratio = arrays["ratio"]
    return {
        "members": int(w1.shape[0]),
        "steps": config.steps,
        "hidden": params["hidden"],
        "eval_samples": params["eval_samples"],
        "first_step": int(arrays["eval_step"][0]),
        "d_lr": config.d_lr,
        "n_critic": config.n_critic,
        "batch_size": config.batch_size,
        "shown_member": median_member(w1[:, -1]),
        **spread("w1_first", w1[:, 0]),
        **spread("w1_final", w1[:, -1]),
        "w1_rise": params["w1_rise"],
        **spread("largest_w1_rise", rises),
        "members_w1_rose": int(np.sum(rises > params["w1_rise"])),
        "w1_floor": run["w1_floor"],
        **spread("modes_final", arrays["eval_modes"][:, -1], int),
        **spread("critic_final", arrays["eval_critic_estimate"][:, -1]),
        **spread("grad_norm_median", np.median(norms, axis=1)),
        **spread("grad_norm_q90", np.quantile(norms, 0.9, axis=1)),
        **spread("grad_norm_max", norms.max(axis=1)),
        **spread("lipschitz_bound", arrays["eval_lipschitz_bound"][:, -1]),
        **spread("ratio_final", ratio[:, -1]),
        "ratio_stops": int(ratio.size),
        "negative_ratio_stops": int(np.sum(ratio <= 0)),
        "members_with_negative_ratio": int(np.sum(np.any(ratio <= 0, axis=1))),
    }
