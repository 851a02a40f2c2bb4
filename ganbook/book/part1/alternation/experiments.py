r"""Experiments of "One objective, two players" and "Training by alternation" (Part I, ch. 3–4).

The shift toy: real data $N(\mu, \sigma^2)$, generator $x = z + \theta$ with $z \sim N(0,
\sigma^2)$, logistic discriminator $D(x) = \sigma(\phi_0 + \phi_1 x)$. Chapter 3 computes the value
$V$ over $(\theta, \phi_1)$, with $\phi_0$ at its best value, by Gauss–Hermite quadrature through
`minimax_discriminator_loss`, and lets both players follow its gradient at once. Chapter 4 runs
the package's trainer on the shift toy and on the ring of 8 Gaussians, each as a seed ensemble
(`ToyEnsemble` of `ganbook.measures`, trained by `train_ensemble`): every per-step series and
snapshot has a leading member axis, the scalars summarise the population, and ``shown_member``
names the member that a one-run figure shows (the median member, `median_member`). Nothing here
is drawn.
"""

from __future__ import annotations

import numpy as np

from ganbook.data import eight_gaussians_centres, gaussian_1d
from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.measures.samples import covered_modes, ring_data
from ganbook.measures.shift_toy import SHIFT_TOY
from ganbook.measures.summaries import median_member, spread
from ganbook.measures.toy_runs import ToyEnsemble, toy_config, toy_players
from ganbook.models import LogisticDiscriminator, ShiftGenerator

LOG4 = float(np.log(4.0))

SERIES = ("d_loss", "g_loss", "d_real", "d_fake")
TRAINING = {"batch_size": 256, "tail": 0.25}


def run_trainer(generators, discriminators, data, params, members: list[RunContext]):
    r"""Train the ensemble with the non-saturating loss, one Adam rate for both players.

    Member $k$ is the run ``train(generators[k], discriminators[k], data, config_k)``, where
    ``config_k`` (`toy_config`) differs from the others only by its seed (``members[k].seed``):
    its own real batches, latents and snapshot latents. Returns the histories, the per-step
    series of the chapter's curves, shape (members, steps), and each series' mean over the last
    ``params["tail"]`` of the steps, shape (members,).
    """
    # --8<-- [start:run_trainer]
    lr = params["lr"]  # one learning rate for both players
    configs = [toy_config("non-saturating", params, m, d_lr=lr, g_lr=lr) for m in members]
    ensemble = ToyEnsemble(members, generators, discriminators, configs)
    histories = ensemble.train(data)  # all members at once, each as its own train() run
    # --8<-- [end:run_trainer]
    series = {k: np.stack([getattr(h, k) for h in histories]) for k in SERIES}
    start = int(params["steps"] * (1.0 - params["tail"]))
    tails = {k: v[:, start:].mean(axis=1) for k, v in series.items()}
    return histories, series, tails


def running_mean(values: np.ndarray, window: int) -> np.ndarray:
    r"""The running mean over ``window`` steps along the last axis (``valid`` part only)."""
    kernel = np.ones(window) / window
    return np.apply_along_axis(lambda v: np.convolve(v, kernel, "valid"), -1, values)


@experiment(
    "alternation_shift",
    params={
        **SHIFT_TOY,
        **TRAINING,
        "theta0": -3.0,
        "steps": 1000,
        "lr": 0.02,
        "snapshot_every": 25,
        "window": 25,
        "members": 5,
    },
    test={"steps": 500, "members": 2},
    full={"members": 10},
    title="The trainer on the shift toy: ShiftGenerator against LogisticDiscriminator, an ensemble",
)
def alternation_shift(params, context: RunContext) -> ExperimentResult:
    mu, sigma, window = params["mu"], params["sigma"], params["window"]
    members = context.members(params["members"])
    generators = [ShiftGenerator(theta=params["theta0"]) for _ in members]
    discriminators = [LogisticDiscriminator() for _ in members]  # φ = 0: D = ½ everywhere

    def data(n, rng):
        return gaussian_1d(n, mean=mu, std=sigma, generator=rng)

    histories, series, tails = run_trainer(generators, discriminators, data, params, members)
    steps = histories[0].snapshot_steps
    snapshots = np.stack([h.snapshots[:, :, 0] for h in histories])  # (M, K, S): z_j + θ_k
    thetas = params["theta0"] + (snapshots - snapshots[:, :1]).mean(axis=2)  # G(z) = z + θ
    final_theta = np.array([g.theta.item() for g in generators])
    final_phi1 = np.array([d.phi1.item() for d in discriminators])
    overshoot = thetas.max(axis=1) - mu
    first_over = steps[np.argmax(thetas > mu, axis=1)]  # first snapshot past μ, per member
    d_loss_peak = running_mean(series["d_loss"], window).max(axis=1)
    gap = np.abs(final_theta - mu)
    tail_spreads = {}
    for key, values in tails.items():
        tail_spreads.update(spread(f"tail_{key}", values))
    return ExperimentResult(
        arrays={
            **series,
            **{f"tail_{k}": v for k, v in tails.items()},
            "snapshot_steps": steps,
            "snapshots": snapshots,
            "thetas": thetas,
            "final_theta": final_theta,
            "final_phi1": final_phi1,
            "theta_overshoot": overshoot,
            "first_step_over_mu": first_over,
            "d_loss_peak": d_loss_peak,
        },
        scalars={
            **{k: params[k] for k in ("mu", "sigma", "theta0", "lr", "tail", "steps", "window")},
            "batch_size": params["batch_size"],
            "members": len(members),
            "shown_member": median_member(gap),  # the median member by its final |θ − μ|
            "snapshot_size": int(snapshots.shape[2]),
            **spread("final_theta", final_theta),
            "final_gap_max": float(gap.max()),
            "final_phi1_abs_max": float(np.abs(final_phi1).max()),
            **spread("theta_overshoot", overshoot),
            "first_step_over_mu_max": int(first_over.max()),
            **spread("d_loss_peak", d_loss_peak),
            "log4": LOG4,
            "log2": float(np.log(2.0)),
            **tail_spreads,
        },
    )


@experiment(
    "alternation_ring",
    params={
        **TRAINING,
        "hidden": 32,
        "depth": 3,
        "steps": 3000,
        "lr": 1e-3,
        "snapshot_every": 100,
        "window": 50,
        "members": 5,
    },
    test={"steps": 300, "snapshot_every": 50, "members": 2},
    full={"members": 10},
    seed=2,
    title="The trainer on the ring of 8 Gaussians: MLP generator and discriminator, seed ensemble",
)
def alternation_ring(params, context: RunContext) -> ExperimentResult:
    members = context.members(params["members"])
    players = [toy_players(params, m) for m in members]
    generators, discriminators = [p[0] for p in players], [p[1] for p in players]
    histories, series, tails = run_trainer(generators, discriminators, ring_data, params, members)
    snapshots = np.stack([h.snapshots for h in histories])  # (M, K, S, 2)
    modes = np.array([[covered_modes(s) for s in member] for member in snapshots])  # (M, K)
    start = int(params["steps"] * (1.0 - params["tail"]))
    # mean |D(x)_t − D(x)_{t−1}| over the last quarter: how much one step undoes the last
    jitter = np.abs(np.diff(series["d_real"][:, start:], axis=1)).mean(axis=1)
    late = series["d_loss"][:, params["steps"] // 4 :].max(axis=1)  # per step, after a quarter
    falls = np.any(np.diff(modes, axis=1) < 0, axis=1)
    tail_spreads = {}
    for key, values in tails.items():
        tail_spreads.update(spread(f"tail_{key}", values))
    return ExperimentResult(
        arrays={
            **series,
            **{f"tail_{k}": v for k, v in tails.items()},
            "snapshot_steps": histories[0].snapshot_steps,
            "snapshots": snapshots,
            "centres": eight_gaussians_centres().numpy(),
            "modes": modes,
            "jitter": jitter,
            "late_d_loss_max": late,
        },
        scalars={
            **{k: params[k] for k in ("hidden", "lr", "tail", "steps", "window", "batch_size")},
            "members": len(members),
            "shown_member": median_member(modes[:, -1]),  # the median member by final modes
            "snapshot_size": int(snapshots.shape[2]),
            "modes_total": len(eight_gaussians_centres()),
            **spread("final_modes", modes[:, -1]),
            **spread("modes_peak", modes.max(axis=1)),
            "modes_at_start_max": int(modes[:, 0].max()),
            "members_whose_modes_fall": int(falls.sum()),
            **spread("jitter", jitter),
            "late_start": params["steps"] // 4,
            **spread("late_d_loss_max", late),
            "members_with_d_loss_above_log4": int(np.sum(late > LOG4)),
            "log4": LOG4,
            "log2": float(np.log(2.0)),
            **tail_spreads,
        },
    )
