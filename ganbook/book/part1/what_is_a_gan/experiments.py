r"""Experiments of "What a GAN is": minimax on the ring of 8 Gaussians, a seed ensemble.

`ring_run` trains a seed ensemble of `MLPGenerator` / `MLPDiscriminator` pairs on the ring of 8
Gaussians with the minimax losses, all members at once (`toy_ensemble`, the harness of
`ganbook.measures`, which trains them by `train_ensemble`). At a few panel steps it
evaluates every member's $D(x) = \sigma(\ell(x))$ on a grid over the plane; at the end it pushes a
latent grid and a latent cloud through every trained $G$. Everything is stored per member (a
leading member axis) with scalars that summarise the population; the figures of one run show the
member `shown_member`, the median by the share of final samples on a mode (`median_member`).
The chapter "The discriminator is a classifier" reads the same result. Nothing here draws; the
figures do.
"""

from __future__ import annotations

import numpy as np
import torch
from scipy.special import expit
from scipy.stats import rankdata

from ganbook.data import eight_gaussians_centres
from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.losses import minimax_discriminator_loss
from ganbook.measures.critics import evaluate, on_plane_grid, plane_grid
from ganbook.measures.samples import RING_MODES, covered_modes, mode_shares, on_mode, ring_data
from ganbook.measures.summaries import median_member
from ganbook.measures.toy_runs import toy_ensemble
from ganbook.models import MLPGenerator
from ganbook.training import History


def latent_fold(G: MLPGenerator, params, member: RunContext) -> dict[str, np.ndarray]:
    r"""Where one member's $G$ sends the latent plane: a grid (the background) and a cloud.

    The cloud is $z \sim N(0, I)$ from the member's stream ``"latent-cloud"``. Each image $G(z)$
    gets the index of its nearest mode and whether it lies within ``COVERAGE_RADIUS`` standard
    deviations of that mode's centre (`on_mode`).
    """
    n, extent = params["latent_grid"], params["latent_extent"]
    z = torch.randn(params["samples"], G.latent_dim, generator=member.stream("latent-cloud"))
    z = z.double().numpy()
    x = evaluate(G, z, member.device)  # (samples, 2)
    grid_mode, grid_on_mode = on_mode(evaluate(G, plane_grid(extent, n), member.device))
    mode, on = on_mode(x)
    return {
        "latent_grid_mode": grid_mode.reshape(n, n).astype(np.int8),
        "latent_grid_on_mode": grid_on_mode.reshape(n, n),
        "latent_z": z,
        "latent_x": x,
        "latent_mode": mode.astype(np.int8),
        "latent_on_mode": on,
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
    on = on_mode(final)[1]
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
        "d_fake_off_mode": np.array(d_fake[~on].mean() if (~on).any() else np.nan),
        "d_fake_on_mode": np.array(d_fake[on].mean() if on.any() else np.nan),
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


def summarise(a: dict[str, np.ndarray], first: int) -> dict[str, float | int]:
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
        "members_ever_all_modes": int((coverage == RING_MODES).any(axis=1).sum()),
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
    lr = params["lr"]  # one learning rate for both players; the loss's other defaults
    ensemble = toy_ensemble(
        params["loss"], params, context, d_lr=lr, g_lr=lr, snapshot_size=params["samples"]
    )
    members = ensemble.members
    real = ring_data(params["samples"], context.stream("real")).double().numpy()
    panels, n = list(params["panels"]), params["grid"]
    d_grid = np.zeros((len(members), len(panels), n, n), dtype=np.float32)

    def look_at_discriminator(k: int, step: int) -> None:
        # the callback of every stop: member k's D, holding its weights at this step
        logits = on_plane_grid(ensemble.discriminators[k], params["extent"], n, context.device)
        d_grid[k, panels.index(step)] = expit(logits)  # row i at y = grid_axis[i]

    histories = ensemble.train(ring_data, stops=panels, on_stop=look_at_discriminator)
    per_member = [
        _member_measures(G, D, h, real, params, m)
        for G, D, h, m in zip(
            ensemble.generators, ensemble.discriminators, histories, members, strict=True
        )
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
            **summarise(a, first),
        },
    )


@experiment(
    "ring_run_mode_shares",
    params={"modes": RING_MODES},
    uses_torch_device=False,
    needs=("ring_run",),
    title="Minimax on the ring: each mode's share of the trained generators' samples, per run",
)
def ring_run_mode_shares(params, context: RunContext) -> ExperimentResult:
    r"""How much of each trained $G$'s mass each mode receives, against the data's $1/8$.

    Reads `ring_run`'s latent cloud (``latent_share``: per run, the share of $G(z)$ within
    ``COVERAGE_RADIUS`` standard deviations of each mode) and summarises it per run: the
    smallest and largest share, and the shares of the run the figures show, sorted.
    """
    ring = context.needed["ring_run"]
    shares = ring.arrays["latent_share"]  # (members, modes)
    uniform = 1.0 / params["modes"]
    smallest, largest = shares.min(axis=1), shares.max(axis=1)
    shown = np.sort(shares[int(ring.scalars["shown_member"])])
    return ExperimentResult(
        arrays={"smallest": smallest, "largest": largest, "shown_sorted": shown},
        scalars={
            "members": len(shares),
            "uniform_share": uniform,
            "smallest_share_median": float(np.median(smallest)),
            "smallest_share_max": float(smallest.max()),
            "largest_share_median": float(np.median(largest)),
            "largest_share_max": float(largest.max()),
            # runs in which some mode receives under a quarter of the data's share
            "members_some_mode_under_quarter": int((smallest < uniform / 4).sum()),
            "shown_smallest": float(shown[0]),
            "shown_second_smallest": float(shown[1]),
            "shown_largest": float(shown[-1]),
            "shown_modes_under_half": int((shown < uniform / 2).sum()),
        },
    )
