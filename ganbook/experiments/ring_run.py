r"""Experiments of "What a GAN is" and "The discriminator is a classifier": minimax on the ring.

`ring_run` trains a seed ensemble of `MLPGenerator` / `MLPDiscriminator` pairs on the ring of 8
Gaussians with the minimax losses, all members at once (`train_ensemble`). At a few panel steps it
evaluates every member's $D(x) = \sigma(\ell(x))$ on a grid over the plane; at the end it pushes a
latent grid and a latent cloud through every trained $G$. Everything is stored per member (a
leading member axis) with scalars that summarise the population; the figures of one run show the
member `shown_member`, the median by the share of final samples on a mode (`median_member`).
`bce_terms` evaluates the two terms of the discriminator's cross-entropy against the logit through
the package's loss: exact, so not an ensemble. Neither experiment draws; the figures do.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import numpy as np
import torch
from scipy.special import expit
from scipy.stats import rankdata

from ganbook.data import EIGHT_GAUSSIANS_STD, eight_gaussians, eight_gaussians_centres
from ganbook.experiments.registry import RunContext, experiment
from ganbook.experiments.result import ExperimentResult
from ganbook.losses import minimax_discriminator_loss

# ring_data, covered_modes, nearest_mode, plane_grid and evaluate are also re-exported from here
# for the chapters that still import them from this module (to be removed by the lead)
from ganbook.measures import (
    COVERAGE_RADIUS,
    covered_modes,
    evaluate,
    median_member,
    nearest_mode,
    plane_grid,
    ring_data,
)
from ganbook.models import MLPDiscriminator, MLPGenerator
from ganbook.training import History, TrainConfig, train
from ganbook.training.ensemble import train_ensemble

MODES = 8  # the ring's modes, the structure of the data set


def train_in_segments(G, D, config: TrainConfig, stops: list[int], after_stop) -> History:
    r"""Train to each step of ``stops`` in turn, calling ``after_stop(k)`` at every stop.

    Kept for chapters not yet switched to `train_ensemble`'s ``stops`` / ``on_stop``, which
    replace it. Each segment resumes from the previous one's checkpoint, so the run is the
    uninterrupted run of ``config`` (``config.steps`` must be the last stop).
    """
    history, previous = None, None
    with tempfile.TemporaryDirectory() as folder:
        for k in stops:
            path = Path(folder) / f"step-{k}.pt"
            segment = dataclasses.replace(config, steps=k)
            history = train(
                G, D, ring_data, segment, progress=False, checkpoint=path, resume_from=previous
            )
            after_stop(k)
            previous = path
    return history


def ring_players(params, member: RunContext) -> tuple[MLPGenerator, MLPDiscriminator]:
    r"""One member's untrained $G$ and $D$, each from its own named stream of the member's seed."""
    shape = {"hidden": params["hidden"], "depth": params["depth"]}
    return (
        MLPGenerator(**shape, generator=member.stream("init-g")),
        MLPDiscriminator(**shape, generator=member.stream("init-d")),
    )


def ring_config(params, member: RunContext) -> TrainConfig:
    r"""One member's `TrainConfig`: the loss's defaults, one learning rate for both players."""
    return TrainConfig.for_loss(
        params["loss"],
        steps=params["steps"],
        batch_size=params["batch_size"],
        d_lr=params["lr"],
        g_lr=params["lr"],
        snapshot_every=params["snapshot_every"],
        snapshot_size=params["samples"],
        seed=member.seed,
        device=str(member.device),
    )


def mode_shares(points: np.ndarray) -> np.ndarray:
    r"""Per mode, the fraction of ``points`` within ``COVERAGE_RADIUS`` σ of its centre: (8,)."""
    mode, distance = nearest_mode(points)
    on = distance <= COVERAGE_RADIUS * EIGHT_GAUSSIANS_STD
    return np.bincount(mode[on], minlength=MODES) / len(points)


def latent_fold(G: MLPGenerator, params, member: RunContext) -> dict[str, np.ndarray]:
    r"""Where one member's $G$ sends the latent plane: a grid (the background) and a cloud.

    The cloud is $z \sim N(0, I)$ from the member's stream ``"latent-cloud"``. Each image $G(z)$
    gets the index of its nearest mode and whether it lies within ``COVERAGE_RADIUS`` standard
    deviations of that mode's centre.
    """
    n, extent = params["latent_grid"], params["latent_extent"]
    z = torch.randn(params["samples"], G.latent_dim, generator=member.stream("latent-cloud"))
    z = z.double().numpy()
    x = evaluate(G, z, member.device)  # (samples, 2)
    grid_mode, grid_distance = nearest_mode(evaluate(G, plane_grid(extent, n), member.device))
    mode, distance = nearest_mode(x)
    radius = COVERAGE_RADIUS * EIGHT_GAUSSIANS_STD
    return {
        "latent_grid_mode": grid_mode.reshape(n, n).astype(np.int8),
        "latent_grid_on_mode": (grid_distance <= radius).reshape(n, n),
        "latent_z": z,
        "latent_x": x,
        "latent_mode": mode.astype(np.int8),
        "latent_on_mode": distance <= radius,
    }


def _member_measures(G, D, history: History, real: np.ndarray, params, member) -> dict:
    r"""Everything measured on one trained member: its snapshots, its final D, its latent fold."""
    device = member.device
    snapshots = history.snapshots  # (S, samples, 2), float32
    final = snapshots[-1].astype(np.float64)
    real_logit = evaluate(D, real, device)[:, 0]
    fake_logit = evaluate(D, final, device)[:, 0]
    d_loss = minimax_discriminator_loss(torch.as_tensor(real_logit), torch.as_tensor(fake_logit))
    centres = eight_gaussians_centres(dtype=torch.float64).numpy()
    latent = latent_fold(G, params, member)
    d_fake = expit(fake_logit)
    on_mode = nearest_mode(final)[1] <= COVERAGE_RADIUS * EIGHT_GAUSSIANS_STD
    return {
        "snapshots": snapshots,
        "coverage": np.array([covered_modes(s) for s in snapshots]),  # (S,)
        "radius": np.linalg.norm(snapshots.astype(np.float64), axis=2).mean(axis=1),  # (S,)
        "on_mode_share": np.array([mode_shares(s).sum() for s in snapshots]),  # (S,)
        "real_logit_final": real_logit,
        "fake_logit_final": fake_logit,
        "d_loss_final": np.array(float(d_loss)),
        "d_loss_start": np.array(float(history.d_loss[:10].mean())),  # first ten D steps
        "fake_mode_share": mode_shares(final),  # (8,) of the final snapshot
        "d_at_modes": expit(evaluate(D, centres, device)[:, 0]),  # (8,) D at each mode's centre
        # mean D on the final samples between the modes and on them (NaN where there are none)
        "d_fake_off_mode": np.array(d_fake[~on_mode].mean() if (~on_mode).any() else np.nan),
        "d_fake_on_mode": np.array(d_fake[on_mode].mean() if on_mode.any() else np.nan),
        "latent_share": mode_shares(latent["latent_x"]),  # (8,) of the latent cloud
        **latent,
    }


def rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    r"""Spearman's $\rho$ between two sequences: Pearson's correlation of their ranks.

    0 when either sequence is constant (it has no order for the other to follow).
    """
    ra, rb = rankdata(a), rankdata(b)
    if ra.std() == 0.0 or rb.std() == 0.0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])


def summarise(a: dict[str, np.ndarray], params, first: int) -> dict[str, float | int]:
    r"""The scalars that the pages quote: the ensemble's spread of what ``a`` holds per member."""
    coverage, radius, d_final = a["coverage"], a["radius"], a["d_grid"][:, -1]
    latent_on = a["latent_on_mode"].mean(axis=1)
    shares = a["latent_share"]
    d_real = expit(a["real_logit_final"]).mean(axis=1)
    d_fake = expit(a["fake_logit_final"]).mean(axis=1)
    undecided = ((a["d_grid"] > 0.1) & (a["d_grid"] < 0.9)).mean(axis=(2, 3))  # (M, P)
    real_area = (d_final > 0.5).mean(axis=(1, 2))  # share of the square where D says real
    return {
        "modes_start_max": int(coverage[:, 0].max()),
        "start_radius_max": float(radius[:, 0].max()),
        "first_panel_modes_max": int(coverage[:, first].max()),
        "first_panel_radius_min": float(radius[:, first].min()),
        "first_panel_radius_max": float(radius[:, first].max()),
        "modes_final_min": int(coverage[:, -1].min()),
        "modes_final_median": float(np.median(coverage[:, -1])),
        "modes_final_max": int(coverage[:, -1].max()),
        "members_ever_all_modes": int((coverage == MODES).any(axis=1).sum()),
        "members_whose_count_falls": int((np.diff(coverage, axis=1) < 0).any(axis=1).sum()),
        "final_radius_min": float(radius[:, -1].min()),
        "final_radius_max": float(radius[:, -1].max()),
        "latent_on_mode_min": float(latent_on.min()),
        "latent_on_mode_median": float(np.median(latent_on)),
        "latent_on_mode_max": float(latent_on.max()),
        "members_latent_all_modes": int((shares > 0).all(axis=1).sum()),
        "latent_share_min": float(shares.min()),
        "latent_share_max": float(shares.max()),
        "d_real_mean_final_min": float(d_real.min()),
        "d_real_mean_final_max": float(d_real.max()),
        "d_fake_mean_final_min": float(d_fake.min()),
        "d_fake_mean_final_max": float(d_fake.max()),
        "d_loss_final_min": float(a["d_loss_final"].min()),
        "d_loss_final_max": float(a["d_loss_final"].max()),
        "d_loss_start_min": float(a["d_loss_start"].min()),
        "d_loss_start_max": float(a["d_loss_start"].max()),
        "undecided_area_first_min": float(undecided[:, 0].min()),
        "undecided_area_first_max": float(undecided[:, 0].max()),
        "undecided_area_last_max": float(undecided[:, -1].max()),
        "confident_fake_area_min": float((d_final < 0.1).mean(axis=(1, 2)).min()),
        "confident_fake_area_max": float((d_final < 0.1).mean(axis=(1, 2)).max()),
        "real_area_min": float(real_area.min()),
        "real_area_median": float(np.median(real_area)),
        "real_area_max": float(real_area.max()),
        "members_small_islands": int((real_area < 0.05).sum()),  # D > 1/2 on < 5% of the square
        "d_fake_off_mode_min": float(np.nanmin(a["d_fake_off_mode"])),
        "d_fake_off_mode_max": float(np.nanmax(a["d_fake_off_mode"])),
        "island_rank_min": float(a["island_rank"].min()),
        "island_rank_median": float(np.median(a["island_rank"])),
        "island_rank_max": float(a["island_rank"].max()),
        "members_islands_underfilled": int((a["island_rank"] < 0).sum()),
    }


@experiment(
    "ring_run",
    params={
        "loss": "minimax",
        "members": 5,
        "steps": 3000,
        "panels": [250, 1000, 1500, 3000],
        "hidden": 64,
        "depth": 3,
        "batch_size": 256,
        "lr": 2e-4,
        "snapshot_every": 250,
        "samples": 2500,
        "grid": 121,
        "extent": 2.2,
        "latent_grid": 161,
        "latent_extent": 3.0,
    },
    test={
        "members": 2,
        "steps": 200,
        "panels": [50, 100, 150, 200],
        "snapshot_every": 50,
        "grid": 41,
        "latent_grid": 41,
    },
    full={"members": 10},
    title="Minimax on the ring of 8 Gaussians, a seed ensemble: samples, D maps, G's fold",
)
def ring_run(params, context: RunContext) -> ExperimentResult:
    members = context.members(params["members"])
    players = [ring_players(params, m) for m in members]
    generators, discriminators = [p[0] for p in players], [p[1] for p in players]
    configs = [ring_config(params, m) for m in members]
    real = eight_gaussians(params["samples"], generator=context.stream("real")).double().numpy()
    panels, n = list(params["panels"]), params["grid"]
    grid = plane_grid(params["extent"], n)
    d_grid = np.zeros((len(members), len(panels), n, n), dtype=np.float32)

    def look_at_discriminator(k: int, step: int) -> None:
        # the callback of every stop: member k's D, holding its weights at this step
        logits = evaluate(discriminators[k], grid, context.device)[:, 0]
        d_grid[k, panels.index(step)] = expit(logits).reshape(n, n)  # row i at y = grid_axis[i]

    histories = train_ensemble(
        generators, discriminators, ring_data, configs, stops=panels, on_stop=look_at_discriminator
    )
    per_member = [
        _member_measures(G, D, h, real, params, m)
        for G, D, h, m in zip(generators, discriminators, histories, members, strict=True)
    ]
    a = {key: np.stack([m[key] for m in per_member]) for key in per_member[0]}
    a["d_grid"] = d_grid  # (M, P, grid, grid)
    a["island_rank"] = np.array(
        [rank_correlation(d, s) for d, s in zip(a["d_at_modes"], a["fake_mode_share"], strict=True)]
    )
    steps = histories[0].snapshot_steps
    first = int(np.flatnonzero(steps == panels[0])[0])  # the snapshot of the first panel
    latent_axis = np.linspace(
        -params["latent_extent"], params["latent_extent"], params["latent_grid"]
    )
    return ExperimentResult(
        arrays={
            "real": real,
            "snapshot_steps": steps,
            "panels": np.asarray(panels),
            "grid_axis": np.linspace(-params["extent"], params["extent"], n),
            "latent_axis": latent_axis,
            **a,
        },
        scalars={
            "members": len(members),
            # the run that one-run figures show: the median by its final share on a mode
            "shown_member": median_member(a["on_mode_share"][:, -1]),
            "loss": params["loss"],
            "steps": params["steps"],
            "hidden": params["hidden"],
            "depth": params["depth"],
            "batch_size": params["batch_size"],
            "lr": params["lr"],
            "samples": params["samples"],
            "first_panel": int(panels[0]),
            "ring_radius": float(np.linalg.norm(eight_gaussians_centres()[0]).item()),
            "log4": float(np.log(4.0)),
            **summarise(a, params, first),
        },
    )


@experiment(
    "bce_terms",
    params={"logit_range": [-6.0, 6.0], "points": 241},
    test={"points": 61},
    uses_torch_device=False,
    title="The two terms of the discriminator's cross-entropy against the logit",
)
def bce_terms(params, context: RunContext) -> ExperimentResult:
    logit = torch.linspace(*params["logit_range"], params["points"], dtype=torch.float64)
    logit.requires_grad_(True)
    # the same logits once as real (label 1) and once as fake (label 0)
    real_term, fake_term = minimax_discriminator_loss(logit, logit, reduction="none")
    (real_slope,) = torch.autograd.grad(real_term.sum(), logit)
    (fake_slope,) = torch.autograd.grad(fake_term.sum(), logit)
    at = {value: int(torch.argmin((logit - value).abs())) for value in (-4.0, 0.0, 4.0)}
    real, fake = real_term.detach().numpy(), fake_term.detach().numpy()
    return ExperimentResult(
        arrays={
            "logit": logit.detach().numpy(),
            "real_term": real,
            "fake_term": fake,
            "real_slope": real_slope.numpy(),
            "fake_slope": fake_slope.numpy(),
        },
        scalars={
            "log2": float(np.log(2.0)),
            "sigma_at_minus4": float(torch.sigmoid(logit[at[-4.0]]).item()),
            "real_at_zero": float(real[at[0.0]]),
            "fake_at_zero": float(fake[at[0.0]]),
            "real_at_minus4": float(real[at[-4.0]]),
            "real_at_plus4": float(real[at[4.0]]),
            "real_slope_at_minus4": float(real_slope[at[-4.0]]),
            "real_slope_at_plus4": float(real_slope[at[4.0]]),
            "max_difference_gap": float(np.max(np.abs((real - fake) + logit.detach().numpy()))),
        },
    )
