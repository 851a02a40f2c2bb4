r"""Figures of "Common problems": each failure as it happens, each remedy beside it, every seed.

Seeds are paired: member $k$ of a remedy started where member $k$ of the unremedied run
started, so the strip plots join one seed's dots across the runs with a thin line.
"""

from __future__ import annotations

import numpy as np

from ganbook.book.part3.common_problems.experiments import (
    COLLAPSE_REMEDIES,
    CONVERGENCE_REMEDIES,
    VANISHING_LOSSES,
)
from ganbook.engine.figures import figure
from ganbook.figures.plotting import ensemble_band, ring_panel, smooth
from ganbook.figures.style import COLORS, new_figure

LOSS_COLORS = {
    "minimax": COLORS["saturating"],
    "non-saturating": COLORS["nonsaturating"],
    "wasserstein": COLORS["theory"],
    "wgan-gp": COLORS["discriminator"],
}
LOSS_LABELS = {
    "minimax": "minimax (saturating)",
    "non-saturating": "non-saturating",
    "wasserstein": "WGAN (clipping)",
    "wgan-gp": "WGAN-GP",
}
REMEDY_LABELS = {
    "none": "no remedy",
    "packing": "packing",
    "minibatch-std": "minibatch std",
    "r1": "R1",
    "instance-noise": "instance noise",
}


def key(name: str) -> str:
    r"""The key a summary stores a loss or remedy under (``-`` becomes ``_``)."""
    return name.replace("-", "_")


def paired_strips(ax, columns: list[np.ndarray], labels: list[str], *, log: bool = False) -> None:
    r"""One column per run, a dot per seed, a bar at the median, each seed joined across runs."""
    values = np.stack([np.asarray(c, float) for c in columns])  # (runs, members)
    x = np.arange(len(columns))
    for member in values.T:
        ax.plot(x, member, color=COLORS["neutral"], lw=0.6, alpha=0.5, zorder=2)
    for i, row in enumerate(values):
        ax.scatter(np.full(len(row), i), row, s=16, color=COLORS["fake"], lw=0, zorder=3)
        ax.plot([i - 0.25, i + 0.25], [np.median(row)] * 2, color="black", lw=1.2, zorder=4)
    ax.set_xticks(x, labels)
    ax.set_xlim(-0.5, len(columns) - 0.5)
    if log:
        ax.set_yscale("log")


@figure(
    "common_problems_vanishing",
    experiments=("common_problems_summary",),
    caption=(
        r"Against a near-optimal discriminator, the generator's gradient norm over the first "
        r"{common_problems_summary.vanishing_steps} steps, divided by each seed's own value at "
        r"the start: the median over {common_problems_summary.vanishing_members} seeds (line) "
        r"and their range (band), log scale. Shaded: the window after the discriminator's first "
        r"win, steps {common_problems_summary.window_start} to "
        r"{common_problems_summary.window_stop}."
    ),
    alt="Four bands of the generator's relative gradient norm over training on a log scale: "
    "the saturating loss falls by orders of magnitude once the discriminator wins, the "
    "non-saturating and Wasserstein losses do not.",
)
def draw_common_problems_vanishing(results):
    r = results["common_problems_summary"]
    a, s = r.arrays, r.scalars
    fig, ax = new_figure(1, 1, width=6.4, height=3.4)
    start = int(s["start_steps"])
    for loss in VANISHING_LOSSES:
        norms = a[f"{key(loss)}_g_grad_norm"]
        relative = norms / np.median(norms[:, :start], axis=1, keepdims=True)
        steps = np.arange(1, norms.shape[1] + 1)
        ensemble_band(ax, steps, relative, LOSS_COLORS[loss], LOSS_LABELS[loss], log=True, window=5)
    ax.axvspan(s["window_start"], s["window_stop"], color=COLORS["neutral"], alpha=0.12, lw=0)
    ax.axhline(1.0, color="black", lw=0.6, ls=":")
    ax.set_xlabel("generator step")
    ax.set_ylabel("gradient norm / its start")
    ax.legend(fontsize=8)
    return fig


@figure(
    "common_problems_collapse_mass",
    experiments=("common_problems_summary",),
    caption=(
        r"Where the mass goes: the share of the generated points on each of the ring's eight "
        r"modes (rows) at every snapshot (columns), for the median seed of each run by $W_1$. "
        r"Left: the non-saturating loss against the strong discriminator; middle and right: the "
        r"same seed with packing and with the minibatch standard deviation."
    ),
    alt="Three heat maps of mass per mode over training: without a remedy nearly all mass sits "
    "on one mode; with each remedy it spreads over more modes.",
)
def draw_common_problems_collapse_mass(results):
    r = results["common_problems_summary"]
    a = r.arrays
    steps = a["collapse_snapshot_steps"]
    fig, axes = new_figure(len(COLLAPSE_REMEDIES), 1, width=7.0, height=2.8)
    top = max(float(a[f"{key(m)}_shown_mass"].max()) for m in COLLAPSE_REMEDIES)
    for ax, remedy in zip(axes, COLLAPSE_REMEDIES, strict=True):
        mass = a[f"{key(remedy)}_shown_mass"].T  # (8, S)
        image = ax.imshow(
            mass,
            aspect="auto",
            cmap="Oranges",
            vmin=0,
            vmax=top,
            extent=(steps[0], steps[-1], mass.shape[0] - 0.5, -0.5),
            interpolation="nearest",
        )
        ax.set_title(REMEDY_LABELS[remedy], fontsize=9)
        ax.set_xlabel("generator step")
        ax.grid(False)
    axes[0].set_ylabel("mode")
    fig.colorbar(image, ax=list(axes), fraction=0.03, pad=0.02, label="share of the points")
    return fig


@figure(
    "common_problems_collapse_seeds",
    experiments=("common_problems_summary",),
    caption=(
        r"Every seed of the collapse experiment after {common_problems_summary.collapse_steps:,} "
        r"steps: modes covered (left), the largest share of the points on any one mode (middle) "
        r"and $W_1$ to the data (right; dotted, the real-vs-real floor). One dot per seed, a bar "
        r"at the median; a grey line joins each seed across the three runs."
    ),
    alt="Three paired strip plots, one dot per seed for no remedy, packing and minibatch std, "
    "with lines joining each seed across the runs.",
)
def draw_common_problems_collapse_seeds(results):
    r = results["common_problems_summary"]
    a, s = r.arrays, r.scalars
    fig, axes = new_figure(3, 1, width=7.0, height=2.9)
    labels = [REMEDY_LABELS[m] for m in COLLAPSE_REMEDIES]
    for ax, (measure, ylabel) in zip(
        axes,
        (("modes", "modes covered"), ("largest", "largest mode's share"), ("w1", "$W_1$")),
        strict=True,
    ):
        paired_strips(ax, [a[f"{key(m)}_{measure}"] for m in COLLAPSE_REMEDIES], labels)
        ax.set_ylabel(ylabel)
        ax.tick_params(axis="x", labelsize=8, rotation=20)
    axes[0].set_ylim(-0.3, 8.3)
    axes[1].set_ylim(0, 1.02)
    axes[2].axhline(s["collapse_w1_floor"], color=COLORS["real"], ls=":", lw=1.0)
    return fig


@figure(
    "common_problems_collapse_samples",
    experiments=("common_problems_summary",),
    format="png",
    caption=(
        r"The median seed of each run at the last step: its "
        r"{common_problems_summary.collapse_samples:,} generated points over the mode centres "
        r"(open circles)."
    ),
    alt="Three scatter plots of generated points over the ring's eight mode centres: no "
    "remedy, packing and the minibatch standard deviation.",
)
def draw_common_problems_collapse_samples(results):
    a = results["common_problems_summary"].arrays
    fig, axes = new_figure(len(COLLAPSE_REMEDIES), 1, width=6.4, height=2.4)
    for ax, remedy in zip(axes, COLLAPSE_REMEDIES, strict=True):
        ring_panel(ax, a[f"{key(remedy)}_shown_samples"], COLORS["fake"], REMEDY_LABELS[remedy])
    return fig


@figure(
    "common_problems_convergence",
    experiments=("common_problems_summary",),
    caption=(
        r"The data are one point. The discriminator's mean output on the real point (blue) and "
        r"on the generated points (orange) at every step, for the median seed of each run by "
        r"the swing of $D(x)$ over the last quarter (shaded); dotted, one half."
    ),
    alt="Three panels, no remedy, R1 and instance noise. Without a remedy the discriminator's "
    "outputs on real and generated data keep swinging apart; with either remedy both settle "
    "at one half.",
)
def draw_common_problems_convergence(results):
    r = results["common_problems_summary"]
    a, s = r.arrays, r.scalars
    fig, axes = new_figure(len(CONVERGENCE_REMEDIES), 1, width=7.0, height=2.6)
    for ax, remedy in zip(axes, CONVERGENCE_REMEDIES, strict=True):
        d_real, d_fake = a[f"{key(remedy)}_d_real"], a[f"{key(remedy)}_d_fake"]
        steps = np.arange(1, len(d_real) + 1)
        ax.plot(steps, smooth(d_real, 5), color=COLORS["real"], lw=0.8, label="$D(x)$")
        ax.plot(steps, smooth(d_fake, 5), color=COLORS["fake"], lw=0.8, label="$D(G(z))$")
        ax.axhline(0.5, color="black", lw=0.6, ls=":")
        ax.axvspan(s["convergence_tail_start"], steps[-1], color=COLORS["neutral"], alpha=0.12)
        ax.set_ylim(0, 1)
        ax.set_title(REMEDY_LABELS[remedy], fontsize=9)
        ax.set_xlabel("generator step")
    axes[0].set_ylabel("mean output")
    axes[0].legend(fontsize=7, loc="lower left")
    return fig


@figure(
    "common_problems_convergence_seeds",
    experiments=("common_problems_summary",),
    caption=(
        r"Every seed: the standard deviation of the discriminator's mean output on the real "
        r"point over the last quarter of the run (log scale), without a remedy and with each; "
        r"a grey line joins each seed across the three runs."
    ),
    alt="A paired strip plot on a log scale: one dot per seed for no remedy, R1 and instance "
    "noise; the remedies' dots lie far below the unremedied ones.",
)
def draw_common_problems_convergence_seeds(results):
    a = results["common_problems_summary"].arrays
    fig, ax = new_figure(1, 1, width=4.2, height=3.0)
    paired_strips(
        ax,
        [a[f"{key(m)}_swing"] for m in CONVERGENCE_REMEDIES],
        [REMEDY_LABELS[m] for m in CONVERGENCE_REMEDIES],
        log=True,
    )
    ax.set_ylabel("swing of $D(x)$ (std)")
    return fig
