r"""Experiments of "What a GAN is" and "The discriminator is a classifier": one run on the ring.

`ring_run` trains an `MLPGenerator` against an `MLPDiscriminator` on the ring of 8 Gaussians with
the minimax losses and `train()`, once, in segments: it stops at a few panel steps, evaluates
$D(x) = \sigma(\ell(x))$ on a grid over the plane, and resumes from a checkpoint, which continues
bit for bit as an uninterrupted run. At the end it pushes a latent grid and a latent cloud through
the trained $G$. `bce_terms` evaluates the two terms of the discriminator's cross-entropy against
the logit through the package's loss. Neither experiment draws; the figures do.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import numpy as np
import torch
from scipy.special import expit

from ganbook.data import (
    EIGHT_GAUSSIANS_STD,
    count_covered_modes,
    eight_gaussians,
    eight_gaussians_centres,
)
from ganbook.experiments.claims import claim
from ganbook.experiments.registry import RunContext, experiment
from ganbook.experiments.result import ExperimentResult
from ganbook.losses import minimax_discriminator_loss
from ganbook.models import MLPDiscriminator, MLPGenerator
from ganbook.training import History, TrainConfig, reproducible_torch, train

COVERAGE_RADIUS = 3.0  # a sample is "on" a mode within 3 standard deviations of its centre


def ring_data(n: int, generator: torch.Generator) -> torch.Tensor:
    r"""$n$ real points of the ring, drawn on the CPU; `train()` moves them to its device."""
    return eight_gaussians(n, generator=generator)


def nearest_mode(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Index of the nearest ring centre and the distance to it, for points of shape (N, 2)."""
    centres = eight_gaussians_centres(dtype=torch.float64).numpy()  # (8, 2)
    distance = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2)  # (N, 8)
    return distance.argmin(axis=1), distance.min(axis=1)


def covered_modes(samples: np.ndarray) -> int:
    r"""Modes of the ring with at least 20 of ``samples`` within 3σ (`count_covered_modes`)."""
    points = torch.as_tensor(samples, dtype=torch.float64)
    centres = eight_gaussians_centres(dtype=torch.float64)
    return count_covered_modes(points, centres, EIGHT_GAUSSIANS_STD)


def plane_grid(extent: float, points: int) -> np.ndarray:
    r"""The points of an evenly spaced ``points`` × ``points`` grid over $[-e, e]^2$, row by row."""
    axis = np.linspace(-extent, extent, points)
    xx, yy = np.meshgrid(axis, axis)  # row i has y = axis[i]
    return np.stack([xx.ravel(), yy.ravel()], axis=1)  # (points², 2)


@torch.no_grad()
def evaluate(module: torch.nn.Module, points: np.ndarray, device: torch.device) -> np.ndarray:
    r"""``module`` applied to ``points`` (N, d) on ``device``, one thread; float64 on the host."""
    with reproducible_torch(1):
        x = torch.as_tensor(points, dtype=torch.float32, device=device)
        return module(x).double().cpu().numpy()


def train_in_segments(G, D, config: TrainConfig, stops: list[int], after_stop) -> History:
    r"""Train to each step of ``stops`` in turn, calling ``after_stop(k)`` at every stop.

    Each segment resumes from the previous one's checkpoint, so the run is the uninterrupted run
    of ``config`` (``config.steps`` must be the last stop) and the returned history covers it all.
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


def ring_players(params, context: RunContext) -> tuple[MLPGenerator, MLPDiscriminator]:
    r"""The untrained $G$ and $D$ of `ring_run`, each drawn from its own seeded generator."""
    shape = {"hidden": params["hidden"], "depth": params["depth"]}
    return (
        MLPGenerator(**shape, generator=context.generator(0)),
        MLPDiscriminator(**shape, generator=context.generator(1)),
    )


def ring_config(params, context: RunContext) -> TrainConfig:
    r"""The `TrainConfig` of the whole run: the loss's defaults, one learning rate for both."""
    return TrainConfig.for_loss(
        params["loss"],
        steps=params["steps"],
        batch_size=params["batch_size"],
        d_lr=params["lr"],
        g_lr=params["lr"],
        snapshot_every=params["snapshot_every"],
        snapshot_size=params["samples"],
        seed=context.seed,
        device=str(context.device),
    )


def latent_fold(G: MLPGenerator, params, context: RunContext) -> dict[str, np.ndarray]:
    r"""Where $G$ sends the latent plane: a grid (the background) and a cloud $z \sim N(0, I)$.

    Each image $G(z)$ gets the index of its nearest mode and whether it lies within
    ``COVERAGE_RADIUS`` standard deviations of that mode's centre.
    """
    n, extent = params["latent_grid"], params["latent_extent"]
    z = torch.randn(params["samples"], G.latent_dim, generator=context.generator(3))
    x = evaluate(G, z.double().numpy(), context.device)  # (samples, 2)
    grid_mode, grid_distance = nearest_mode(evaluate(G, plane_grid(extent, n), context.device))
    mode, distance = nearest_mode(x)
    radius = COVERAGE_RADIUS * EIGHT_GAUSSIANS_STD
    return {
        "latent_axis": np.linspace(-extent, extent, n),
        "latent_grid_mode": grid_mode.reshape(n, n),
        "latent_grid_on_mode": (grid_distance <= radius).reshape(n, n),
        "latent_z": z.double().numpy(),
        "latent_x": x,
        "latent_mode": mode,
        "latent_on_mode": distance <= radius,
    }


@experiment(
    "ring_run",
    params={
        "loss": "minimax",
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
    test={"steps": 400, "panels": [100, 200, 300, 400], "snapshot_every": 100, "grid": 41},
    title="One minimax run on the ring of 8 Gaussians: samples, D over the plane, G's fold",
)
def ring_run(params, context: RunContext) -> ExperimentResult:
    device = context.device
    G, D = ring_players(params, context)
    config = ring_config(params, context)
    real = eight_gaussians(params["samples"], generator=context.generator(2)).double().numpy()
    grid = plane_grid(params["extent"], params["grid"])
    d_grid = []

    def look_at_discriminator(k: int) -> None:
        logits = evaluate(D, grid, device)[:, 0]
        d_grid.append(expit(logits).reshape(params["grid"], params["grid"]))

    history = train_in_segments(G, D, config, params["panels"], look_at_discriminator)
    snapshots = history.snapshots.astype(np.float64)  # (K, samples, 2)
    steps = history.snapshot_steps
    # the trained D on the real points and on the last snapshot, as logits ℓ
    real_logit = evaluate(D, real, device)[:, 0]
    fake_logit = evaluate(D, snapshots[-1], device)[:, 0]
    latent = latent_fold(G, params, context)
    coverage = np.array([covered_modes(s) for s in snapshots])
    full = np.flatnonzero(coverage == 8)  # snapshots that cover every mode
    bce_final = minimax_discriminator_loss(torch.as_tensor(real_logit), torch.as_tensor(fake_logit))
    return ExperimentResult(
        arrays={
            "real": real,
            "snapshot_steps": steps,
            "snapshots": snapshots,
            "coverage": coverage,
            "panels": np.asarray(params["panels"]),
            "grid_axis": np.linspace(-params["extent"], params["extent"], params["grid"]),
            "d_grid": np.stack(d_grid),  # (P, grid, grid), row i at y = grid_axis[i]
            "real_logit_final": real_logit,
            "fake_logit_final": fake_logit,
            **latent,
        },
        scalars={
            "loss": params["loss"],
            "steps": params["steps"],
            "hidden": params["hidden"],
            "depth": params["depth"],
            "batch_size": params["batch_size"],
            "lr": params["lr"],
            "samples": params["samples"],
            "modes_start": int(coverage[0]),
            "modes_final": int(coverage[-1]),
            "first_full_step": int(steps[full[0]]) if full.size else -1,
            "modes_min_after_full": int(coverage[full[0] :].min()) if full.size else -1,
            "on_mode_fraction": float(latent["latent_on_mode"].mean()),
            "start_radius": float(np.linalg.norm(snapshots[0], axis=1).mean()),
            "ring_radius": float(np.linalg.norm(eight_gaussians_centres()[0]).item()),
            "final_radius": float(np.linalg.norm(snapshots[-1], axis=1).mean()),
            "d_real_mean_final": float(expit(real_logit).mean()),
            "d_fake_mean_final": float(expit(fake_logit).mean()),
            "d_loss_final": float(bce_final),
            "d_loss_start": float(history.d_loss[:10].mean()),
            "d_grid_max_final": float(d_grid[-1].max()),
            "confident_fake_area": float(np.mean(d_grid[-1] < 0.1)),
            "real_area": float(np.mean(d_grid[-1] > 0.5)),
            "log4": float(np.log(4.0)),
            "first_panel": int(params["panels"][0]),
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


# Claims that the two chapters' prose makes about these results, checked at every build.


@claim(
    "ring_run",
    "before training G(z) is a small blob near the origin that covers no mode, still none at "
    "the first panel, and D's loss starts at log 4 (D outputs logits near 0)",
)
def _starts_as_a_blob(result: ExperimentResult) -> None:
    s, a = result.scalars, result.arrays
    assert s["modes_start"] == 0, s["modes_start"]
    first_panel = np.flatnonzero(a["snapshot_steps"] == a["panels"][0])[0]
    assert a["coverage"][first_panel] == 0, a["coverage"][first_panel]
    assert s["start_radius"] < 0.25 * s["ring_radius"], s["start_radius"]
    assert abs(s["d_loss_start"] - s["log4"]) < 0.02, s["d_loss_start"]


@claim(
    "ring_run",
    "by the end the samples lie on the ring and cover at least 7 of the 8 modes; every mode is "
    "covered at some snapshot, and afterwards the count never drops below 6",
    profiles=("standard", "full"),
)
def _ring_forms(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["modes_final"] >= 7, s["modes_final"]
    assert abs(s["final_radius"] - s["ring_radius"]) < 0.1, s["final_radius"]
    assert 0 < s["first_full_step"] <= s["steps"], s["first_full_step"]
    assert s["modes_min_after_full"] >= 6, s["modes_min_after_full"]


@claim(
    "ring_run",
    "between a third and four fifths of the latent cloud lands within 3σ of a mode; the rest "
    "lands between modes",
    profiles=("standard", "full"),
)
def _latent_fold(result: ExperimentResult) -> None:
    fraction = result.scalars["on_mode_fraction"]
    assert 0.33 < fraction < 0.8, fraction
    assert set(np.unique(result.arrays["latent_mode"][result.arrays["latent_on_mode"]])) == set(
        range(8)
    ), "every mode receives part of the latent plane"


@claim(
    "ring_run",
    "at the end D still tells real from fake, but weakly: mean D is above 1/2 on real samples "
    "and below 1/2 on generated ones, both within 0.25 of 1/2, and its loss is below log 4",
    profiles=("standard", "full"),
)
def _discriminator_nearly_fooled(result: ExperimentResult) -> None:
    s = result.scalars
    assert 0.5 < s["d_real_mean_final"] < 0.75, s["d_real_mean_final"]
    assert 0.25 < s["d_fake_mean_final"] < 0.5, s["d_fake_mean_final"]
    assert s["d_loss_final"] < s["log4"], s["d_loss_final"]


@claim(
    "ring_run",
    "at the last panel D is below 0.1 on most of the square, above 1/2 on less than 5% of it, "
    "and nowhere above 0.9",
    profiles=("standard", "full"),
)
def _discriminator_map(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["confident_fake_area"] > 0.5, s["confident_fake_area"]
    assert s["d_grid_max_final"] < 0.9, s["d_grid_max_final"]
    assert 0.5 < s["d_grid_max_final"], s["d_grid_max_final"]
    assert s["real_area"] < 0.05, s["real_area"]


@claim(
    "bce_terms",
    "both terms equal log 2 at ℓ = 0; real term minus fake term is −ℓ; at ℓ = −4 the real term "
    "is about 4 with slope about −1, at ℓ = +4 its slope is near 0",
)
def _bce_terms(result: ExperimentResult) -> None:
    s = result.scalars
    assert abs(s["real_at_zero"] - s["log2"]) < 1e-12 and abs(s["fake_at_zero"] - s["log2"]) < 1e-12
    assert s["max_difference_gap"] < 1e-12, s["max_difference_gap"]
    assert abs(s["real_at_minus4"] - 4.0) < 0.05, s["real_at_minus4"]
    assert -1.0 < s["real_slope_at_minus4"] < -0.95, s["real_slope_at_minus4"]
    assert -0.05 < s["real_slope_at_plus4"] < 0.0, s["real_slope_at_plus4"]
