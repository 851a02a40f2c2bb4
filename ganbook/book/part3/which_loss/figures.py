r"""Figures of "Which loss?": every seed of every loss, the median member's samples, the tests.

The distributions are strip plots: one dot per seed (member), a bar at the median; nothing is
averaged away. The test figure shows, for every ordered pair of losses, whether the one-sided
Mann–Whitney test supports "row beats column" at the page's level.
"""

from __future__ import annotations

import numpy as np

from ganbook.book.part3.which_loss.experiments import DATASETS, LOSSES, sampler
from ganbook.engine.figures import figure
from ganbook.figures.plotting import ring_axes, scatter
from ganbook.figures.style import COLORS, new_figure

TITLES = {"ring": "ring of 8", "grid": "grid of 25"}
SHORT = {
    "minimax": "minimax",
    "non-saturating": "NS",
    "least-squares": "LS",
    "hinge": "hinge",
    "wasserstein": "WGAN",
    "wgan-gp": "WGAN-GP",
    "ns-r1": "NS + R1",
}


def strip(ax, values: np.ndarray, *, log: bool = False) -> None:
    r"""One column per loss: a dot per member (spread sideways a little), a bar at the median."""
    offsets = np.linspace(-0.18, 0.18, values.shape[1])
    for k, row in enumerate(values):
        ax.scatter(k + offsets, row, s=14, color=COLORS["fake"], alpha=0.75, lw=0, zorder=3)
        ax.plot([k - 0.3, k + 0.3], [np.median(row)] * 2, color="black", lw=1.2, zorder=4)
    ax.set_xticks(range(len(values)), [SHORT[loss] for loss in LOSSES], rotation=45, ha="right")
    ax.set_xlim(-0.6, len(values) - 0.4)
    if log:
        ax.set_yscale("log")


@figure(
    "which_loss_distributions",
    experiments=("loss_study_summary",),
    caption=(
        r"Every seed of every loss after {loss_study_summary.steps:,} generator steps: one dot per "
        r"member ({loss_study_summary.members} per loss and data set), a bar at the median. Left: "
        r"modes covered (a mode holds at least a quarter of its uniform share of the "
        r"{loss_study_summary.samples:,} samples). Right: the exact $W_1$ between the samples and "
        r"as many real points (log scale), dotted: the same between two real samples."
    ),
    alt="Two rows of strip plots, ring above, grid below: for each of seven losses, one dot per "
    "seed for the modes it covers and for its W1 to the data, with a bar at the median.",
)
def draw_which_loss_distributions(results):
    r = results["loss_study_summary"]
    a, s = r.arrays, r.scalars
    fig, axes = new_figure(2, 2, width=6.4, height=5.6)
    for row, dataset in zip(axes, DATASETS, strict=True):
        strip(row[0], a[f"{dataset}_modes"])
        row[0].set_ylim(-0.5, s[f"{dataset}_modes_total"] + 0.5)
        row[0].set_ylabel(f"{TITLES[dataset]}: modes covered")
        strip(row[1], a[f"{dataset}_w1"], log=True)
        row[1].axhline(s[f"{dataset}_w1_floor"], color=COLORS["real"], ls=":", lw=1.0)
        row[1].set_ylabel(r"$W_1$ to the data")
    return fig


@figure(
    "which_loss_samples",
    experiments=("loss_study_summary",),
    format="png",
    caption=(
        r"The median member of each loss (by $W_1$) on each data set: its "
        r"{loss_study_summary.samples:,} samples over the mode centres (open circles)."
    ),
    alt="Two rows of seven scatter plots, one per loss, of generated points over the mode "
    "centres of the ring and of the grid.",
)
def draw_which_loss_samples(results):
    a = results["loss_study_summary"].arrays
    fig, axes = new_figure(len(LOSSES), 2, width=1.15 * len(LOSSES), height=2.7)
    for row, dataset in zip(axes, DATASETS, strict=True):
        centres = sampler(dataset)[1].numpy()
        for ax, loss, points in zip(row, LOSSES, a[f"{dataset}_shown_samples"], strict=True):
            scatter(ax, points, COLORS["fake"], size=1.5, alpha=0.4)
            ax.scatter(*centres.T, s=12, facecolors="none", edgecolors="black", lw=0.5)
            ring_axes(ax)
            ax.set_title(SHORT[loss], fontsize=8)
    return fig


@figure(
    "which_loss_tests",
    experiments=("loss_study_summary",),
    caption=(
        r"Which orderings the seeds support. A filled cell: the one-sided Mann–Whitney test over "
        r"the {loss_study_summary.members} seeds says the row's loss covers more modes (left) or "
        r"reaches a lower $W_1$ (right) than the column's, at $p$ < {loss_study_summary.alpha}. "
        r"An empty cell: no such evidence at this budget."
    ),
    alt="Four grids of seven by seven cells, ring above and grid below; a filled cell marks an "
    "ordering of two losses that the one-sided test supports, an empty one a pair it does not.",
)
def draw_which_loss_tests(results):
    r = results["loss_study_summary"]
    a, alpha = r.arrays, r.scalars["alpha"]
    fig, axes = new_figure(2, 2, width=6.4, height=6.2)
    names = [SHORT[loss] for loss in LOSSES]
    for row, dataset in zip(axes, DATASETS, strict=True):
        for ax, what, title in zip(row, ("p_modes", "p_w1"), ("more modes", r"lower $W_1$"),
                                   strict=True):  # fmt: skip
            supported = (a[f"{dataset}_{what}"] < alpha).astype(float)
            ax.imshow(supported, cmap="Oranges", vmin=0, vmax=1.4)
            ax.set_xticks(range(len(names)), names, rotation=90, fontsize=7)
            ax.set_yticks(range(len(names)), names, fontsize=7)
            ax.set_xticks(np.arange(-0.5, len(names)), minor=True)
            ax.set_yticks(np.arange(-0.5, len(names)), minor=True)
            ax.grid(False)
            ax.grid(which="minor", color="#cccccc", lw=0.5)
            ax.tick_params(which="minor", length=0)
            ax.set_title(f"{TITLES[dataset]}: row {title}", fontsize=9)
    return fig
