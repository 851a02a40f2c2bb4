r"""Experiments of "Which loss?": seven losses, two data sets, one budget, a seed ensemble each.

``loss_study`` is a grid with one cell per loss and data set (the ring of 8 and the grid of 25
Gaussians). Every cell trains a seed ensemble of the same MLP players for the same number of
generator steps, each loss at its paper's optimiser settings (`TrainConfig.for_loss`), by the
batched ensemble trainer; member $k$ of every cell starts from the same weights and sees the
same real batches and latents (the cells share their streams), so losses are compared seed by
seed. At the end each member's samples are measured: modes covered, the high-quality share (on
a mode), $W_1$ to a real sample, and the mass on every mode.

On the ``full`` profile a cell first sweeps the learning rate (`choose_rate`): every scale of
the paper's rates in ``lr_scales`` trains a small ensemble on tuning seeds, which no evaluation
member shares, and the scale with the lowest median $W_1$ is the one the evaluation ensemble
trains at (Lucic et al.'s protocol in miniature: the best setting chosen on other seeds).

``loss_study_ring`` and ``loss_study_grid`` each read one data set's seven cells and test every
ordered pair of losses with a one-sided Mann–Whitney $U$ test over the members (scipy), for more
modes covered and for a lower $W_1$; nothing is trained there. Each needs only its own data set's
cells, so one data set can be run at ``full`` on its own.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import torch

from ganbook.data import (
    EIGHT_GAUSSIANS_STD,
    TWENTY_FIVE_GAUSSIANS_STD,
    eight_gaussians,
    eight_gaussians_centres,
    twenty_five_gaussians,
    twenty_five_gaussians_centres,
)
from ganbook.data.modes import samples_per_mode
from ganbook.engine.registry import (
    RunContext,
    cell_name,
    experiment,
    experiment_grid,
    get_experiment,
)
from ganbook.engine.result import ExperimentResult
from ganbook.measures.samples import COVERAGE_RADIUS, real_w1_floor, sample_w1
from ganbook.measures.summaries import median_member, one_sided_p, spread
from ganbook.measures.toy_runs import sweeps_the_rate, toy_ensemble
from ganbook.training import TrainConfig

LOSSES = (
    "minimax",
    "non-saturating",
    "least-squares",
    "hinge",
    "wasserstein",
    "wgan-gp",
    "ns-r1",
)
r"""The losses of the study: the registry's names, and ``ns-r1`` for non-saturating with R1."""

NAMES = {
    "minimax": "minimax",
    "non-saturating": "non-saturating",
    "least-squares": "least squares",
    "hinge": "hinge",
    "wasserstein": "WGAN (clipping)",
    "wgan-gp": "WGAN-GP",
    "ns-r1": "non-saturating + R1",
}
r"""How the page names each loss of the study."""

DATASETS = ("ring", "grid")
r"""The ring of 8 and the grid of 25 Gaussians of the WGAN-GP toy code."""

R1_GAMMA = 1.0
r"""$\gamma$ of ``ns-r1``: R1's weight, as in the Dirac-GAN chapter."""

STUDY = {
    "members": 5,
    "steps": 3000,  # generator updates, the same for every loss (WGANs: 5 critic steps each)
    "hidden": 64,
    "depth": 3,
    "batch_size": 128,
    "samples": 1000,  # generated and real points per member for every measure
    "min_share": 0.25,  # a mode is covered with a quarter of its uniform share of the samples
    "lr_scales": (1.0,),  # the paper's rates only: no sweep
    "tuning_members": 5,  # seeds per rate of a sweep (apart from the evaluation seeds)
}
r"""The standard profile of every cell of ``loss_study``."""

STUDY_TEST = {"members": 2, "steps": 30, "hidden": 16, "samples": 200}
r"""``loss_study`` on the test profile: the shapes, not the outcome."""

STUDY_FULL = {"members": 20, "lr_scales": (0.5, 1.0, 2.0)}
r"""``loss_study`` on the full profile: 20 seeds per cell, the same budget, and a sweep of the
learning rate over half, once and twice the paper's, on 5 tuning seeds per rate."""


def sampler(dataset: str):
    r"""The data set's sampler ``(n, generator) -> (n, 2)``, its mode centres and mode std."""
    if dataset == "ring":
        return eight_gaussians, eight_gaussians_centres(), EIGHT_GAUSSIANS_STD
    if dataset == "grid":
        return twenty_five_gaussians, twenty_five_gaussians_centres(), TWENTY_FIVE_GAUSSIANS_STD
    raise ValueError(f"unknown dataset {dataset!r}; the datasets are {', '.join(DATASETS)}")


def registry_loss(loss: str) -> tuple[str, dict]:
    r"""The registry's loss name of a study loss, and the config fields it adds."""
    if loss == "ns-r1":
        return "non-saturating", {"r1_gamma": R1_GAMMA}
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; the study's losses are {', '.join(LOSSES)}")
    return loss, {}


# --8<-- [start:measure]
def measure(points: np.ndarray, real: np.ndarray, dataset: str, min_share: float) -> dict:
    r"""One member's samples against the data: modes covered, on-mode share, $W_1$, mass per mode.

    A point is on mode $k$ when mode $k$ is its nearest centre and it lies within 3 standard
    deviations of it; a mode is covered when it holds at least ``min_share`` of its uniform
    share $n / K$ of the points.
    """
    _, centres, std = sampler(dataset)
    counts = samples_per_mode(torch.as_tensor(points), centres.double(), COVERAGE_RADIUS * std)
    mass = counts.numpy() / len(points)  # share of the points on each mode
    return {
        "modes": int((mass >= min_share / len(centres)).sum()),
        "high_quality": float(mass.sum()),  # the share of points on some mode
        "w1": sample_w1(points, real),  # exact W1 between the two samples of n points
        "mass": mass,
    }


# --8<-- [end:measure]


def scaled_rates(loss: str, scale: float) -> dict[str, float]:
    r"""The paper's learning rates of ``loss`` times ``scale``, as `TrainConfig` overrides.

    $\eta_D = s\,\eta_D^{\text{paper}}$ and $\eta_G = s\,\eta_G^{\text{paper}}$; nothing at
    $s = 1$, so the paper's config is used as it is.
    """
    if scale == 1.0:
        return {}
    paper = TrainConfig.for_loss(loss, steps=1)
    return {"d_lr": paper.d_lr * scale, "g_lr": paper.g_lr * scale}


def drawer(dataset: str):
    r"""The data set's sampler as the trainers call it: ``(count, generator) -> (count, 2)``."""
    data, _, _ = sampler(dataset)

    def draw(count: int, generator: torch.Generator) -> torch.Tensor:
        return data(count, generator=generator)

    return draw


def train_and_measure(loss, extra, params, context, dataset, real, scale) -> tuple[list, object]:
    r"""Train ``params["members"]`` members at ``scale`` × the paper's rates; measure each one.

    Returns one `measure` row per member (with its final samples and wall time added) and the
    trained `ToyEnsemble`.
    """
    n = params["samples"]
    ensemble = toy_ensemble(
        loss,
        {**params, "snapshot_every": params["steps"]},
        context,
        snapshot_size=n,
        **extra,
        **scaled_rates(loss, scale),
    )
    histories = ensemble.train(drawer(dataset))
    finals = np.stack([h.snapshots[-1] for h in histories]).astype(np.float64)  # (K, n, 2)
    rows = [measure(points, real, dataset, params["min_share"]) for points in finals]
    for row, points, history in zip(rows, finals, histories, strict=True):
        row["samples"], row["wall_time"] = points, history.wall_time[-1]
    return rows, ensemble


def tuning_context(context: RunContext) -> RunContext:
    r"""The context of a cell's tuning seeds, which share no seed with the cell's members.

    Its seed is that of the cell's stream ``"lr-tuning"``.
    """
    return dataclasses.replace(context, seed=context.stream_seed("lr-tuning"))


# --8<-- [start:choose_rate]
def choose_rate(loss, extra, params, context, dataset, real) -> tuple[float, np.ndarray]:
    r"""The scale of the paper's rates with the lowest median $W_1$ on the tuning seeds.

    Every scale of ``params["lr_scales"]`` trains ``params["tuning_members"]`` members from the
    seeds of ``context``'s stream ``"lr-tuning"``: no evaluation member shares them, so the
    rate is not chosen on the seeds it is then judged on. A tie goes to the earlier scale.
    Returns the scale and the tuning $W_1$ (scales × tuning members).
    """
    scales = tuple(params["lr_scales"])
    if not sweeps_the_rate(params):
        return float(scales[0]), np.zeros((1, 0))
    tuning = tuning_context(context)
    few = {**params, "members": params["tuning_members"]}
    w1 = np.array(
        [
            [row["w1"] for row in train_and_measure(loss, extra, few, tuning, dataset, real, s)[0]]
            for s in scales
        ]
    )
    return float(scales[int(np.argmin(np.median(w1, axis=1)))]), w1


# --8<-- [end:choose_rate]


@experiment_grid(
    "loss_study",
    axes={"loss": LOSSES, "dataset": DATASETS},
    params=STUDY,
    test=STUDY_TEST,
    full=STUDY_FULL,
    title="Seven losses on the ring and the grid, one budget, a seed ensemble per cell",
)
def loss_study(params, context: RunContext) -> ExperimentResult:
    r"""One cell: choose the rate (`choose_rate`), train the seed ensemble at it, measure it."""
    dataset, (loss, extra) = context.cell["dataset"], registry_loss(context.cell["loss"])
    data, centres, _ = sampler(dataset)
    n = params["samples"]
    real = data(n, generator=context.stream("w1-real")).double().numpy()
    scale, tuning_w1 = choose_rate(loss, extra, params, context, dataset, real)
    rows, ensemble = train_and_measure(loss, extra, params, context, dataset, real, scale)
    return ExperimentResult(
        arrays={
            "samples": np.stack([r["samples"] for r in rows]).astype(np.float32),
            "modes": np.array([r["modes"] for r in rows]),
            "high_quality": np.array([r["high_quality"] for r in rows]),
            "w1": np.array([r["w1"] for r in rows]),
            "mass": np.stack([r["mass"] for r in rows]),
            "wall_time": np.array([r["wall_time"] for r in rows]),
            "lr_scales": np.array(params["lr_scales"], dtype=np.float64),
            "tuning_w1": tuning_w1,
        },
        scalars={
            "members": params["members"],
            "steps": params["steps"],
            "samples": n,
            "n_modes": len(centres),
            "w1_floor": real_w1_floor(
                drawer(dataset), n, context.stream("w1-floor"), reference=real
            ),
            "n_critic": ensemble.configs[0].n_critic,
            "hidden": params["hidden"],
            "batch_size": params["batch_size"],
            "optimiser": optimiser_text(ensemble.configs[0]),
            "lr_scale": scale,
            "swept": sweeps_the_rate(params),
        },
    )


def optimiser_text(config) -> str:
    r"""The optimiser of a config as the page's table shows it: "Adam, 2e-4, β = (0.5, 0.999)"."""
    text = f"{'Adam' if config.g_optimiser == 'adam' else 'RMSprop'}, {config.g_lr:.0e}"
    if config.g_betas is not None:
        text += f", β = ({config.g_betas[0]:g}, {config.g_betas[1]:g})"
    if config.n_critic > 1:
        text += f", {config.n_critic} critic steps"
    return text.replace("e-0", "e-")


ALPHA = 0.05
r"""The level at which the page calls an ordering supported."""

VERBS = {"modes": "covers more modes than", "w1": "reaches a lower W₁ than"}
r"""The measures the study orders losses by, and the verb of an ordering by each."""


# --8<-- [start:orderings]
def supported_orderings(p: np.ndarray, alpha: float) -> list[tuple[int, int]]:
    r"""Every ordered pair $(i, j)$ with $p_{ij} < \alpha$: loss $i$ beats loss $j$, by the test.

    ``p[i, j]`` is the one-sided $p$ that loss $i$ beats loss $j$; pairs come row by row.
    """
    return [(i, j) for i in range(len(p)) for j in range(len(p)) if i != j and p[i, j] < alpha]


# --8<-- [end:orderings]


def p_text(p: float) -> str:
    r"""A one-sided $p$ as the page prints it: "p = 0.012", or "p < 0.001" below a thousandth."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def orderings_sentence(p: np.ndarray, pairs: list[tuple[int, int]], verb: str) -> str:
    r"""The orderings ``pairs`` (`supported_orderings` of ``p``) as prose, or that there are none.

    One ordering reads "minimax covers more modes than hinge (p = 0.012)".
    """
    if not pairs:
        return f"no loss {verb} another by the test at this budget"
    return "; ".join(
        f"{NAMES[LOSSES[i]]} {verb} {NAMES[LOSSES[j]]} ({p_text(p[i, j])})" for i, j in pairs
    )


def rate_text(scale: float, swept: bool) -> str:
    r"""The learning rate a cell trained at, as the page's table shows it: "the paper's", "×2"."""
    return f"×{scale:g}" if swept else "the paper's"


def cells_of(dataset: str) -> tuple[str, ...]:
    r"""The names of the study's cells on ``dataset``, one per loss in the order of `LOSSES`."""
    return tuple(cell_name("loss_study", {"loss": loss, "dataset": dataset}) for loss in LOSSES)


def full_settings() -> dict[str, object]:
    r"""What the page says of the ``full`` profile, read from a cell's full parameters."""
    full = get_experiment(cells_of(DATASETS[0])[0]).params_for("full")
    return {
        "full_members": int(full["members"]),
        "full_tuning_members": int(full["tuning_members"]),
        "full_lr_scales": scales_text(full["lr_scales"]),
    }


def scales_text(scales) -> str:
    r"""Multiples of the paper's rates as the page lists them: "×0.5, ×1, ×2"."""
    return ", ".join(f"×{float(scale):g}" for scale in scales)


def pairwise_p(values: np.ndarray, higher_is_better: bool) -> np.ndarray:
    r"""$p_{ij}$ of the one-sided test that row $i$ of ``values`` (losses × members) beats row $j$.

    The diagonal is 1: a loss is no evidence against itself.
    """
    p = np.ones((len(values), len(values)))
    for i, j in itertools.permutations(range(len(values)), 2):
        p[i, j] = one_sided_p(values[i], values[j], higher_is_better=higher_is_better)
    return p


TABLE_HEAD = (
    "| Loss | Rate trained at | Modes covered, median (range) | On a mode, median | "
    "W₁, median (range) |\n| --- | --- | --- | --- | --- |"
)


def study_table(scalars) -> str:
    r"""One data set's table of the study as Markdown: a row per loss, from a summary's scalars.

    The page shows it (``{{ table loss_study_ring.table }}``) and ``ganbook run
    loss_study_ring`` prints it, so a run at any profile reads as the published page does.
    """
    s = scalars
    rows = [
        f"| {NAMES[loss]} | {s[f'{k}_rate']} | {s[f'{k}_modes_median']:g} "
        f"({s[f'{k}_modes_min']:g}–{s[f'{k}_modes_max']:g}) | "
        f"{s[f'{k}_high_quality_median']:.2f} | {s[f'{k}_w1_median']:.3f} "
        f"({s[f'{k}_w1_min']:.3f}–{s[f'{k}_w1_max']:.3f}) |"
        for loss, k in ((loss, loss.replace("-", "_")) for loss in LOSSES)
    ]
    return "\n".join([TABLE_HEAD, *rows])


def reach_sentence(w1: np.ndarray, floor: float) -> str:
    r"""Whether any member's samples are as close to the data as a second real sample, as prose.

    ``w1`` is losses × members; a member *reaches the data* when its $W_1$ is at most the
    real-vs-real floor. The sentence names the loss of the closest member and its ratio.
    """
    ratio, closest = float(w1.min() / floor), NAMES[LOSSES[int(np.argmin(w1.min(axis=1)))]]
    if ratio > 1:
        return (
            "No member of any loss reaches the data: every W₁ lies above the real-vs-real "
            f"floor, and the closest, a member of {closest}, ends at {ratio:.2f} times it"
        )
    return (
        f"A member of {closest} reaches the data: its W₁ is {ratio:.2f} times the "
        "real-vs-real floor, as close as a second sample of real points"
    )


def summarise_dataset(params, context: RunContext) -> ExperimentResult:
    r"""One data set's cells: every ordered pair of losses tested, the spreads, the table."""
    dataset, alpha = params["dataset"], params["alpha"]
    cells = [context.needed[name] for name in cells_of(dataset)]
    modes = np.stack([c.arrays["modes"] for c in cells])  # (losses, members)
    w1 = np.stack([c.arrays["w1"] for c in cells])
    quality = np.stack([c.arrays["high_quality"] for c in cells])
    p = {"modes": pairwise_p(modes, higher_is_better=True), "w1": pairwise_p(w1, False)}
    first = cells[0]
    scalars = {
        "alpha": alpha,
        "losses": len(LOSSES),
        "pairs": len(LOSSES) * (len(LOSSES) - 1),
        **{key: int(first.scalars[key]) for key in ("members", "steps", "samples", "hidden")},
        "batch_size": int(first.scalars["batch_size"]),
        "swept": bool(first.scalars["swept"]),
        "lr_scales": scales_text(first.arrays["lr_scales"]),
        **full_settings(),
        "modes_total": int(first.scalars["n_modes"]),
        "w1_floor": float(first.scalars["w1_floor"]),
        "widest_seed_span": int((modes.max(axis=1) - modes.min(axis=1)).max()),
        "modes_best": int(modes.max()),
        "w1_over_floor_min": float(w1.min() / first.scalars["w1_floor"]),
        "reach_sentence": reach_sentence(w1, float(first.scalars["w1_floor"])),
        # the smallest p of n seeds against n: every seed of one loss beats every seed of the other
        "perfect_split_choices": math.comb(2 * modes.shape[1], modes.shape[1]),
    }
    for measure_name, verb in VERBS.items():
        pairs = supported_orderings(p[measure_name], alpha)
        scalars[f"{measure_name}_orderings"] = orderings_sentence(p[measure_name], pairs, verb)
        better = modes if measure_name == "modes" else -w1  # higher is better for both
        scalars[f"{measure_name}_orderings_agree"] = bool(
            all(np.median(better[i]) >= np.median(better[j]) for i, j in pairs)
        )
        scalars[f"supported_{measure_name}"] = len(pairs)
    for cell, loss, row in zip(cells, LOSSES, range(len(LOSSES)), strict=True):
        key = loss.replace("-", "_")
        scalars[f"{key}_optimiser"] = str(cell.scalars["optimiser"])
        scalars[f"{key}_rate"] = rate_text(float(cell.scalars["lr_scale"]), scalars["swept"])
        scalars.update(spread(f"{key}_modes", modes[row].astype(float)))
        scalars.update(spread(f"{key}_w1", w1[row]))
        scalars.update(spread(f"{key}_high_quality", quality[row]))
    scalars["table"] = study_table(scalars)
    shown = [median_member(row) for row in w1]
    arrays = {
        "modes": modes,
        "w1": w1,
        "high_quality": quality,
        "p_modes": p["modes"],
        "p_w1": p["w1"],
        "shown": np.array(shown),
        "shown_samples": np.stack(
            [c.arrays["samples"][k] for c, k in zip(cells, shown, strict=True)]
        ),
    }
    return ExperimentResult(arrays=arrays, scalars=scalars)


@experiment(
    "loss_study_ring",
    params={"alpha": ALPHA, "dataset": "ring"},
    uses_torch_device=False,
    needs=cells_of("ring"),
    title="Every pair of losses on the ring: one-sided Mann–Whitney tests over the seeds",
)
def loss_study_ring(params, context: RunContext) -> ExperimentResult:
    r"""The ring's seven cells, summarised (`summarise_dataset`)."""
    return summarise_dataset(params, context)


@experiment(
    "loss_study_grid",
    params={"alpha": ALPHA, "dataset": "grid"},
    uses_torch_device=False,
    needs=cells_of("grid"),
    title="Every pair of losses on the grid: one-sided Mann–Whitney tests over the seeds",
)
def loss_study_grid(params, context: RunContext) -> ExperimentResult:
    r"""The grid's seven cells, summarised (`summarise_dataset`)."""
    return summarise_dataset(params, context)
