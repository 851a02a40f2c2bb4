r"""Figures of "Which loss?": every seed of every loss, the median member's samples, the tests.

The distributions are strip plots: one dot per seed (member), a bar at the median; nothing is
averaged away. The test figure shows, for every ordered pair of losses, whether the one-sided
Mann–Whitney test supports "row beats column" at the page's level.
"""

from __future__ import annotations

import numpy as np

from ganbook.book.part3.which_loss.experiments import LOSSES, sampler
from ganbook.engine.figures import figure
from ganbook.figures.plotting import ring_axes, scatter
from ganbook.figures.style import COLORS, new_figure

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


def draw_distributions(summary):
    r"""One data set's modes and $W_1$ for every seed of every loss, from its summary."""
    a, s = summary.arrays, summary.scalars
    fig, (left, right) = new_figure(2, 1, width=6.4, height=2.9)
    strip(left, a["modes"])
    left.set_ylim(-0.5, s["modes_total"] + 0.5)
    left.set_ylabel("modes covered")
    strip(right, a["w1"], log=True)
    right.axhline(s["w1_floor"], color=COLORS["real"], ls=":", lw=1.0)
    right.set_ylabel(r"$W_1$ to the data")
    return fig


def draw_samples(summary, dataset: str):
    r"""The median member of each loss on ``dataset``, over the mode centres, from its summary."""
    fig, axes = new_figure(len(LOSSES), 1, width=1.15 * len(LOSSES), height=1.5)
    centres = sampler(dataset)[1].numpy()
    for ax, loss, points in zip(axes, LOSSES, summary.arrays["shown_samples"], strict=True):
        scatter(ax, points, COLORS["fake"], size=1.5, alpha=0.4)
        ax.scatter(*centres.T, s=12, facecolors="none", edgecolors="black", lw=0.5)
        ring_axes(ax)
        ax.set_title(SHORT[loss], fontsize=8)
    return fig


def draw_tests(summary):
    r"""Which orderings of two losses the one-sided test supports on one data set."""
    a, alpha = summary.arrays, summary.scalars["alpha"]
    fig, axes = new_figure(2, 1, width=6.4, height=3.4)
    names = [SHORT[loss] for loss in LOSSES]
    for ax, what, title in zip(axes, ("p_modes", "p_w1"), ("more modes", r"lower $W_1$"),
                               strict=True):  # fmt: skip
        ax.imshow((a[what] < alpha).astype(float), cmap="Oranges", vmin=0, vmax=1.4)
        ax.set_xticks(range(len(names)), names, rotation=90, fontsize=7)
        ax.set_yticks(range(len(names)), names, fontsize=7)
        ax.set_xticks(np.arange(-0.5, len(names)), minor=True)
        ax.set_yticks(np.arange(-0.5, len(names)), minor=True)
        ax.grid(False)
        ax.grid(which="minor", color="#cccccc", lw=0.5)
        ax.tick_params(which="minor", length=0)
        ax.set_title(f"row {title} than column", fontsize=9)
    return fig


@figure(
    "which_loss_ring_distributions",
    experiments=("loss_study_ring",),
    caption=(
        r"Every seed of every loss on the ring after {loss_study_ring.steps:,} generator "
        r"steps: one dot per member ({loss_study_ring.members} per loss), a bar at the median."
        r" Left: modes covered (a mode holds at least a quarter of its uniform share of the "
        r"{loss_study_ring.samples:,} samples). Right: the exact $W_1$ between the samples and"
        r" as many real points (log scale); dotted: the same between two real samples."
    ),
    alt="Two strip plots for the ring: for each of seven losses, one dot per seed for the modes "
    "it covers and for its W1 to the data, with a bar at the median.",
)
def draw_which_loss_ring_distributions(results):
    return draw_distributions(results["loss_study_ring"])


@figure(
    "which_loss_ring_samples",
    experiments=("loss_study_ring",),
    format="png",
    caption=(
        r"The median member of each loss (by $W_1$) on the ring: its "
        r"{loss_study_ring.samples:,} samples over the {loss_study_ring.modes_total} mode "
        r"centres (open circles)."
    ),
    alt="Seven scatter plots, one per loss, of generated points over the mode centres of the ring.",
)
def draw_which_loss_ring_samples(results):
    return draw_samples(results["loss_study_ring"], "ring")


@figure(
    "which_loss_ring_tests",
    experiments=("loss_study_ring",),
    caption=(
        r"Which orderings the seeds support on the ring. A filled cell: the one-sided "
        r"Mann–Whitney test over the {loss_study_ring.members} seeds says the row's loss "
        r"covers more modes (left) or reaches a lower $W_1$ (right) than the column's, at $p$ "
        r"< {loss_study_ring.alpha}. An empty cell: no such evidence at this budget."
    ),
    alt="Two grids of seven by seven cells for the ring; a filled cell marks an ordering of two "
    "losses that the one-sided test supports, an empty one a pair it does not.",
)
def draw_which_loss_ring_tests(results):
    return draw_tests(results["loss_study_ring"])


@figure(
    "which_loss_grid_distributions",
    experiments=("loss_study_grid",),
    caption=(
        r"Every seed of every loss on the grid after {loss_study_grid.steps:,} generator "
        r"steps: one dot per member ({loss_study_grid.members} per loss), a bar at the median."
        r" Left: modes covered (a mode holds at least a quarter of its uniform share of the "
        r"{loss_study_grid.samples:,} samples). Right: the exact $W_1$ between the samples and"
        r" as many real points (log scale); dotted: the same between two real samples."
    ),
    alt="Two strip plots for the grid: for each of seven losses, one dot per seed for the modes "
    "it covers and for its W1 to the data, with a bar at the median.",
)
def draw_which_loss_grid_distributions(results):
    return draw_distributions(results["loss_study_grid"])


@figure(
    "which_loss_grid_samples",
    experiments=("loss_study_grid",),
    format="png",
    caption=(
        r"The median member of each loss (by $W_1$) on the grid: its "
        r"{loss_study_grid.samples:,} samples over the {loss_study_grid.modes_total} mode "
        r"centres (open circles)."
    ),
    alt="Seven scatter plots, one per loss, of generated points over the mode centres of the grid.",
)
def draw_which_loss_grid_samples(results):
    return draw_samples(results["loss_study_grid"], "grid")


@figure(
    "which_loss_grid_tests",
    experiments=("loss_study_grid",),
    caption=(
        r"Which orderings the seeds support on the grid. A filled cell: the one-sided "
        r"Mann–Whitney test over the {loss_study_grid.members} seeds says the row's loss "
        r"covers more modes (left) or reaches a lower $W_1$ (right) than the column's, at $p$ "
        r"< {loss_study_grid.alpha}. An empty cell: no such evidence at this budget."
    ),
    alt="Two grids of seven by seven cells for the grid; a filled cell marks an ordering of two "
    "losses that the one-sided test supports, an empty one a pair it does not.",
)
def draw_which_loss_grid_tests(results):
    return draw_tests(results["loss_study_grid"])
