r"""Experiments of "Common problems": three failures produced on purpose, each remedy measured.

Each problem is a grid whose cells share their random streams, so member $k$ of every cell
starts from the same weights and sees the same data and latents: a remedy is compared with
the unremedied run seed by seed.

- ``vanishing_runs``: a near-optimal discriminator on the ring (5 discriminator steps per
  generator step, the logit losses' discriminator at a learning rate of $10^{-3}$), against
  four generator losses: the saturating minimax loss and its remedies, the non-saturating and
  the two Wasserstein losses. Per member: the generator's gradient norm at every step.
- ``collapse_runs``: the same strong discriminator with the non-saturating loss collapses
  onto one or two modes; the remedies are packing (PacGAN) and the minibatch standard
  deviation (`ganbook.training.inputs`). Per member: the mass on every mode at every snapshot.
- ``convergence_runs``: the Dirac-GAN with networks: the data are one point, and the
  unregularised game keeps circling it; the remedies are R1 and instance noise. Per member:
  $D(x)$ and $D(G(z))$ at every step, the samples' distance to the point at every snapshot.

``common_problems_summary`` reads the three grids and compares every remedy with its
unremedied run, seed by seed and by a one-sided Mann–Whitney test. Nothing is trained there.
"""

from __future__ import annotations

import numpy as np
import torch

from ganbook.engine.registry import RunContext, experiment, experiment_grid
from ganbook.engine.result import ExperimentResult
from ganbook.measures.samples import mode_shares, real_w1_floor, ring_data, sample_w1
from ganbook.measures.summaries import median_member, one_sided_p, spread
from ganbook.measures.toy_runs import toy_ensemble

STRONG_D = {"n_critic": 5, "d_lr": 1e-3}
r"""A near-optimal discriminator, as in the saturation chapter: 5 steps per generator step at
five times the generator's learning rate."""

RING = {"hidden": 64, "depth": 3, "batch_size": 128, "members": 5}
r"""The players and the ensemble of every run: Part I's ring MLPs (3 × 64), batch 128, 5 seeds."""

RING_TEST = {"hidden": 16, "batch_size": 32, "members": 2}
r"""`RING` on the test profile."""

RING_FULL = {"members": 20}
r"""`RING` on the full profile."""


def present(params, names: tuple[str, ...]) -> dict:
    r"""The parameters of ``names`` that a cell has: its `TrainConfig` overrides."""
    return {name: params[name] for name in names if name in params}


# ---- vanishing gradients ------------------------------------------------------------------

VANISHING_LOSSES = ("minimax", "non-saturating", "wasserstein", "wgan-gp")
r"""The saturating loss and its three remedies, by the registry's names."""


def vanishing_settings(point) -> dict:
    r"""Every loss against a strong $D$: `STRONG_D` for the logit losses.

    The Wasserstein losses keep their papers' optimisers, which already take 5 critic steps per
    generator step.
    """
    return dict(STRONG_D) if point["loss"] in ("minimax", "non-saturating") else {}


@experiment_grid(
    "vanishing_runs",
    axes={"loss": VANISHING_LOSSES},
    params={**RING, "steps": 300, "snapshot_every": 25, "samples": 500},
    test={**RING_TEST, "steps": 30, "snapshot_every": 10, "samples": 200},
    full=RING_FULL,
    cell_params=vanishing_settings,
    title="A near-optimal discriminator on the ring against four generator losses",
)
def vanishing_runs(params, context: RunContext) -> ExperimentResult:
    r"""One loss: the seed ensemble's generator gradient norms, $\overline{D(G(z))}$ and $W_1$."""
    loss = context.cell["loss"]
    overrides = present(params, ("n_critic", "d_lr"))
    n = params["samples"]
    real = ring_data(n, context.stream("w1-real")).numpy()
    ensemble = toy_ensemble(loss, params, context, snapshot_size=n, **overrides)
    histories = ensemble.train(ring_data)
    snapshots = np.stack([h.snapshots for h in histories]).astype(np.float64)  # (K, S, n, 2)
    return ExperimentResult(
        arrays={
            "g_grad_norm": np.stack([h.g_grad_norm for h in histories]),  # (K, steps)
            "d_fake": np.stack([h.d_fake_g for h in histories]),  # D(G(z)) or the critic's
            "w1_start": np.array([sample_w1(s[0], real) for s in snapshots]),
            "w1_end": np.array([sample_w1(s[-1], real) for s in snapshots]),
        },
        scalars={
            "members": params["members"],
            "steps": params["steps"],
            "hidden": params["hidden"],
            "batch_size": params["batch_size"],
            "n_critic": ensemble.configs[0].n_critic,
            "d_lr": ensemble.configs[0].d_lr,
            "g_lr": ensemble.configs[0].g_lr,
        },
    )


# ---- mode collapse ------------------------------------------------------------------------

COLLAPSE_REMEDIES = ("none", "packing", "minibatch-std")
r"""The collapsing run and its two remedies."""

PACK = 2
r"""PacGAN's $m$: the discriminator judges two examples at once (Lin et al.'s smallest)."""

COVERED_SHARE = 0.25
r"""A mode is covered when it holds a quarter of its uniform share, $\tfrac{1}{4}\cdot\tfrac18$."""


def collapse_settings(point) -> dict:
    r"""The remedy of a cell as the `TrainConfig` fields that switch it on."""
    return {
        "none": {},
        "packing": {"pack": PACK},
        "minibatch-std": {"minibatch_std": True},
    }[point["remedy"]]


@experiment_grid(
    "collapse_runs",
    axes={"remedy": COLLAPSE_REMEDIES},
    params={**RING, **STRONG_D, "steps": 1000, "snapshot_every": 50, "samples": 1000},
    test={**RING_TEST, "steps": 40, "snapshot_every": 10, "samples": 200},
    full=RING_FULL,
    cell_params=collapse_settings,
    title="Mode collapse under a strong discriminator, and two remedies on D's input",
)
def collapse_runs(params, context: RunContext) -> ExperimentResult:
    r"""One remedy: every member's mass per mode at every snapshot, its final samples and $W_1$."""
    overrides = present(params, ("n_critic", "d_lr", "pack", "minibatch_std"))
    n = params["samples"]
    real = ring_data(n, context.stream("w1-real")).numpy()
    ensemble = toy_ensemble("non-saturating", params, context, snapshot_size=n, **overrides)
    histories = ensemble.train(ring_data)
    snapshots = np.stack([h.snapshots for h in histories]).astype(np.float64)  # (K, S, n, 2)
    mass = np.array([[mode_shares(s) for s in member] for member in snapshots])  # (K, S, 8)
    return ExperimentResult(
        arrays={
            "snapshot_steps": histories[0].snapshot_steps,
            "mass": mass,
            "samples": snapshots[:, -1].astype(np.float32),
            "w1": np.array([sample_w1(member[-1], real) for member in snapshots]),
        },
        scalars={
            "members": params["members"],
            "steps": params["steps"],
            "samples": n,
            "n_critic": ensemble.configs[0].n_critic,
            "d_lr": ensemble.configs[0].d_lr,
            "g_lr": ensemble.configs[0].g_lr,
            "pack": PACK,
            "w1_floor": real_w1_floor(ring_data, n, context.stream("w1-floor"), reference=real),
        },
    )


# ---- failure to converge ------------------------------------------------------------------

CONVERGENCE_REMEDIES = ("none", "r1", "instance-noise")
r"""The unregularised run and its two remedies."""

DIRAC_POINT = (1.0, 0.5)
r"""The data: every real example is this one point."""

R1_GAMMA = 1.0
r"""R1's $\gamma$: the Dirac-GAN chapter's fastest rate is at $\gamma = 1$."""

NOISE_STD = 0.1
r"""$\sigma$ of the instance noise, a fifth of the point's distance to the origin's nearer axis."""


def dirac_data(n: int, generator: torch.Generator) -> torch.Tensor:
    r"""$n$ copies of `DIRAC_POINT`: the data distribution is a point mass ($x = c$ always)."""
    del generator  # nothing is random about a point mass
    return torch.tensor(DIRAC_POINT).expand(n, 2).clone()


def convergence_settings(point) -> dict:
    r"""The remedy of a cell as the `TrainConfig` fields that switch it on."""
    return {
        "none": {},
        "r1": {"r1_gamma": R1_GAMMA},
        "instance-noise": {"instance_noise": NOISE_STD},
    }[point["remedy"]]


@experiment_grid(
    "convergence_runs",
    axes={"remedy": CONVERGENCE_REMEDIES},
    params={**RING, "steps": 2000, "snapshot_every": 50, "samples": 500, "lr": 1e-3},
    test={**RING_TEST, "steps": 40, "snapshot_every": 10, "samples": 100},
    full=RING_FULL,
    cell_params=convergence_settings,
    title="The Dirac-GAN with networks: one real point, unregularised, with R1, with noise",
)
def convergence_runs(params, context: RunContext) -> ExperimentResult:
    r"""One remedy: per member $\overline{D(x)}$, $\overline{D(G(z))}$ and the distance to $c$."""
    extra = present(params, ("r1_gamma", "instance_noise"))
    rates = {"d_lr": params["lr"], "g_lr": params["lr"]}
    ensemble = toy_ensemble(
        "non-saturating", params, context, snapshot_size=params["samples"], **rates, **extra
    )
    histories = ensemble.train(dirac_data)
    snapshots = np.stack([h.snapshots for h in histories]).astype(np.float64)  # (K, S, n, 2)
    offset = snapshots - np.asarray(DIRAC_POINT)
    return ExperimentResult(
        arrays={
            "snapshot_steps": histories[0].snapshot_steps,
            "d_real": np.stack([h.d_real for h in histories]),  # (K, steps), probabilities
            "d_fake": np.stack([h.d_fake for h in histories]),
            "distance": np.linalg.norm(offset, axis=3).mean(axis=2),  # (K, S) mean ‖G(z) − c‖
            "centre": offset.mean(axis=2),  # (K, S, 2): where the samples' mean is, from c
        },
        scalars={"members": params["members"], "steps": params["steps"], "lr": params["lr"]},
    )


# ---- the comparisons ----------------------------------------------------------------------

ALPHA = 0.05
r"""The level at which the page calls a remedy's effect supported."""


def window(steps: int) -> tuple[int, int, int]:
    r"""The start $[1, s]$ and the window $[a, b]$ after $D$'s first win, as slice bounds.

    The window is $1/12$ to $1/6$ of the run (steps 25 to 50 of 300); ``(s, a, b)`` are 0-based.
    """
    return max(1, steps // 60), steps // 12, steps // 6


def tail(steps: int) -> int:
    r"""The first step of the last quarter of a run, where the settled state is read off."""
    return steps - steps // 4


def compared(
    name: str, remedied: np.ndarray, unremedied: np.ndarray, higher_is_better: bool, alpha: float
) -> dict:
    r"""Scalars of one remedy against the unremedied run, seed for seed and by the test.

    ``NAME_seeds_better``: members where the remedy beats its own unremedied seed;
    ``NAME_p``: the one-sided Mann–Whitney $p$; ``NAME_supported``: $p < \alpha$;
    ``NAME_agrees``: the medians order the two runs the same way, or the effect is not claimed.
    """
    better = remedied > unremedied if higher_is_better else remedied < unremedied
    p = one_sided_p(remedied, unremedied, higher_is_better)
    sign = 1 if higher_is_better else -1
    agrees = sign * (np.median(remedied) - np.median(unremedied)) >= 0
    return {
        f"{name}_seeds_better": int(better.sum()),
        f"{name}_p": p,
        f"{name}_supported": bool(p < alpha),
        f"{name}_agrees": bool(agrees or p >= alpha),
    }


COLLAPSE_VERBS = {
    "modes": ("covers more modes", "the modes it covers"),
    "largest": ("puts a smaller share on its largest mode", "the share on its largest mode"),
    "w1": ("ends closer to the data in W₁", "its W₁"),
}
r"""Per collapse measure: the verb of a supported effect, the noun of one that is not."""


def effect_sentence(scalars: dict, prefix: str, members: int) -> str:
    r"""What the tests say of one remedy, as the page prints it.

    First the supported effects with their $p$ and the seeds that agree, then the measures the
    test cannot tell apart from the unremedied run's.
    """
    said, unsaid = [], []
    for measure, (verb, noun) in COLLAPSE_VERBS.items():
        name = f"{prefix}_{measure}"
        if scalars[f"{name}_supported"]:
            seeds = scalars[f"{name}_seeds_better"]
            said.append(f"{verb} (p = {scalars[f'{name}_p']:.3f}; {seeds} of {members} seeds)")
        else:
            unsaid.append(noun)
    text = ", ".join(said) if said else "has no effect that the test supports"
    if unsaid:
        text += f"; {' and '.join(unsaid)} cannot be told from the unremedied run's at this budget"
    return text


def vanishing_summary(grid, _alpha: float) -> tuple[dict, dict]:
    r"""Per loss: the generator's gradient norm at the start and in the window, and their ratio."""
    arrays, scalars = {}, {}
    first = grid[(VANISHING_LOSSES[0],)]
    steps = int(first.scalars["steps"])
    start, a, b = window(steps)
    scalars.update(window_start=a, window_stop=b, start_steps=start)
    for loss in VANISHING_LOSSES:
        cell, key = grid[(loss,)], loss.replace("-", "_")
        norms = cell.arrays["g_grad_norm"]
        at_start = np.median(norms[:, :start], axis=1)
        in_window = np.median(norms[:, a:b], axis=1)
        arrays[f"{key}_g_grad_norm"] = norms
        arrays[f"{key}_window_over_start"] = in_window / at_start
        scalars.update(spread(f"vanishing_{key}_window_over_start", in_window / at_start))
        scalars.update(spread(f"vanishing_{key}_window_grad_norm", in_window))
        scalars.update(spread(f"vanishing_{key}_w1_end", cell.arrays["w1_end"]))
        scalars[f"vanishing_{key}_n_critic"] = int(cell.scalars["n_critic"])
        scalars[f"vanishing_{key}_d_lr"] = float(cell.scalars["d_lr"])
        scalars[f"vanishing_{key}_g_lr"] = float(cell.scalars["g_lr"])
        arrays[f"{key}_d_fake"] = cell.arrays["d_fake"]
    ratio = arrays["non_saturating_window_over_start"] / arrays["minimax_window_over_start"]
    scalars.update(spread("vanishing_ns_over_minimax", ratio))
    scalars["vanishing_w1_start_median"] = float(np.median(first.arrays["w1_start"]))
    scalars["vanishing_members"] = int(first.scalars["members"])
    scalars["hidden"] = int(first.scalars["hidden"])
    scalars["batch_size"] = int(first.scalars["batch_size"])
    scalars["vanishing_steps"] = steps
    return arrays, scalars


def collapse_summary(grid, alpha: float) -> tuple[dict, dict]:
    r"""Per remedy: modes covered, the largest mode's share and $W_1$ at the end, tested."""
    arrays, scalars = {}, {}
    measures = {}
    for remedy in COLLAPSE_REMEDIES:
        cell, key = grid[(remedy,)], remedy.replace("-", "_")
        mass = cell.arrays["mass"]  # (K, S, 8)
        final = mass[:, -1]
        measures[remedy] = {
            "modes": (final >= COVERED_SHARE / final.shape[1]).sum(axis=1),
            "largest": final.max(axis=1),  # the largest share any one mode holds
            "w1": cell.arrays["w1"],
        }
        for name, values in measures[remedy].items():
            arrays[f"{key}_{name}"] = values
            scalars.update(spread(f"collapse_{key}_{name}", values, type(values.flat[0].item())))
        shown = median_member(measures[remedy]["w1"])
        arrays[f"{key}_shown_mass"] = mass[shown]  # (S, 8) of the median member by W1
        arrays[f"{key}_shown_samples"] = cell.arrays["samples"][shown]
        scalars[f"collapse_{key}_shown"] = shown
    base = measures["none"]
    for remedy in COLLAPSE_REMEDIES[1:]:
        key = remedy.replace("-", "_")
        ours = measures[remedy]
        for name, higher_is_better in (("modes", True), ("largest", False), ("w1", False)):
            scalars.update(
                compared(f"collapse_{key}_{name}", ours[name], base[name], higher_is_better, alpha)
            )
        members = len(ours["w1"])
        scalars[f"collapse_{key}_effects"] = effect_sentence(scalars, f"collapse_{key}", members)
    first = grid[(COLLAPSE_REMEDIES[0],)]
    arrays["collapse_snapshot_steps"] = first.arrays["snapshot_steps"]
    scalars["collapse_snapshot_every"] = int(np.diff(first.arrays["snapshot_steps"])[0])
    for name in ("members", "steps", "samples", "n_critic", "pack"):
        scalars[f"collapse_{name}"] = int(first.scalars[name])
    for name in ("d_lr", "g_lr", "w1_floor"):
        scalars[f"collapse_{name}"] = float(first.scalars[name])
    scalars["collapse_remedied_w1_over_floor_min"] = float(
        min(measures[m]["w1"].min() for m in COLLAPSE_REMEDIES[1:]) / first.scalars["w1_floor"]
    )
    return arrays, scalars


def convergence_summary(grid, alpha: float) -> tuple[dict, dict]:
    r"""Per remedy: how far $\overline{D(x)}$ swings over the last quarter, and where $G$ ends."""
    arrays, scalars = {}, {}
    swings = {}
    first = grid[(CONVERGENCE_REMEDIES[0],)]
    steps = int(first.scalars["steps"])
    start = tail(steps)
    for remedy in CONVERGENCE_REMEDIES:
        cell, key = grid[(remedy,)], remedy.replace("-", "_")
        d_real, d_fake = cell.arrays["d_real"], cell.arrays["d_fake"]
        swings[remedy] = d_real[:, start:].std(axis=1)  # per member, the std over the tail
        off_half = np.abs(d_real[:, start:].mean(axis=1) - 0.5)
        distance = cell.arrays["distance"][:, -1]
        scalars.update(spread(f"convergence_{key}_swing", swings[remedy]))
        scalars.update(spread(f"convergence_{key}_fake_swing", d_fake[:, start:].std(axis=1)))
        scalars.update(spread(f"convergence_{key}_off_half", off_half))
        scalars.update(spread(f"convergence_{key}_distance", distance))
        shown = median_member(swings[remedy])
        arrays[f"{key}_d_real"] = d_real[shown]
        arrays[f"{key}_d_fake"] = d_fake[shown]
        arrays[f"{key}_swing"] = swings[remedy]
        arrays[f"{key}_distance"] = cell.arrays["distance"]
        scalars[f"convergence_{key}_shown"] = shown
    for remedy in CONVERGENCE_REMEDIES[1:]:
        key = remedy.replace("-", "_")
        ratio = swings["none"] / swings[remedy]
        scalars.update(spread(f"convergence_{key}_swing_ratio", ratio))
        scalars.update(
            compared(f"convergence_{key}_swing", swings[remedy], swings["none"], False, alpha)
        )
    scalars.update(
        convergence_members=int(first.scalars["members"]),
        convergence_steps=steps,
        convergence_tail_start=start,
        convergence_lr=float(first.scalars["lr"]),
        r1_gamma=R1_GAMMA,
        noise_std=NOISE_STD,
    )
    return arrays, scalars


@experiment(
    "common_problems_summary",
    params={"alpha": ALPHA},
    uses_torch_device=False,
    needs=("vanishing_runs", "collapse_runs", "convergence_runs"),
    title="Every remedy against its unremedied run, seed by seed and by a one-sided test",
)
def common_problems_summary(params, context: RunContext) -> ExperimentResult:
    arrays, scalars = {}, {"alpha": params["alpha"]}
    for summary, grid in (
        (vanishing_summary, "vanishing_runs"),
        (collapse_summary, "collapse_runs"),
        (convergence_summary, "convergence_runs"),
    ):
        more_arrays, more_scalars = summary(context.needed[grid], params["alpha"])
        arrays.update(more_arrays)
        scalars.update(more_scalars)
    return ExperimentResult(arrays=arrays, scalars=scalars)
