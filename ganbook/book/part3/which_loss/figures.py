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

TITLES = {"ring": "the ring of 8", "grid": "the grid of 25"}
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


def draw_distributions(dataset: str):
    r"""The drawing of ``which_loss_{dataset}_distributions``: modes and $W_1$, every seed."""

    def draw(results):
        r = results[f"loss_study_{dataset}"]
        a, s = r.arrays, r.scalars
        fig, (left, right) = new_figure(2, 1, width=6.4, height=2.9)
        strip(left, a["modes"])
        left.set_ylim(-0.5, s["modes_total"] + 0.5)
        left.set_ylabel("modes covered")
        strip(right, a["w1"], log=True)
        right.axhline(s["w1_floor"], color=COLORS["real"], ls=":", lw=1.0)
        right.set_ylabel(r"$W_1$ to the data")
        return fig

    return draw


def draw_samples(dataset: str):
    r"""The drawing of ``which_loss_{dataset}_samples``: the median member of each loss."""

    def draw(results):
        a = results[f"loss_study_{dataset}"].arrays
        fig, axes = new_figure(len(LOSSES), 1, width=1.15 * len(LOSSES), height=1.5)
        centres = sampler(dataset)[1].numpy()
        for ax, loss, points in zip(axes, LOSSES, a["shown_samples"], strict=True):
            scatter(ax, points, COLORS["fake"], size=1.5, alpha=0.4)
            ax.scatter(*centres.T, s=12, facecolors="none", edgecolors="black", lw=0.5)
            ring_axes(ax)
            ax.set_title(SHORT[loss], fontsize=8)
        return fig

    return draw


def draw_tests(dataset: str):
    r"""The drawing of ``which_loss_{dataset}_tests``: the orderings the one-sided test supports."""

    def draw(results):
        r = results[f"loss_study_{dataset}"]
        a, alpha = r.arrays, r.scalars["alpha"]
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

    return draw


for _dataset in DATASETS:
    _summary = f"loss_study_{_dataset}"
    figure(
        f"which_loss_{_dataset}_distributions",
        experiments=(_summary,),
        caption=(
            rf"Every seed of every loss on {TITLES[_dataset]} after {{{_summary}.steps:,}} "
            rf"generator steps: one dot per member ({{{_summary}.members}} per loss), a bar at "
            r"the median. Left: modes covered (a mode holds at least a quarter of its uniform "
            rf"share of the {{{_summary}.samples:,}} samples). Right: the exact $W_1$ between the "
            r"samples and as many real points (log scale); dotted: the same between two real "
            r"samples."
        ),
        alt=f"Two strip plots for {TITLES[_dataset]}: for each of seven losses, one dot per seed "
        "for the modes it covers and for its W1 to the data, with a bar at the median.",
    )(draw_distributions(_dataset))
    figure(
        f"which_loss_{_dataset}_samples",
        experiments=(_summary,),
        format="png",
        caption=(
            rf"The median member of each loss (by $W_1$) on {TITLES[_dataset]}: its "
            rf"{{{_summary}.samples:,}} samples over the mode centres (open circles)."
        ),
        alt=f"Seven scatter plots, one per loss, of generated points over the mode centres of "
        f"{TITLES[_dataset]}.",
    )(draw_samples(_dataset))
    figure(
        f"which_loss_{_dataset}_tests",
        experiments=(_summary,),
        caption=(
            rf"Which orderings the seeds support on {TITLES[_dataset]}. A filled cell: the "
            rf"one-sided Mann–Whitney test over the {{{_summary}.members}} seeds says the row's "
            r"loss covers more modes (left) or reaches a lower $W_1$ (right) than the column's, "
            rf"at $p$ < {{{_summary}.alpha}}. An empty cell: no such evidence at this budget."
        ),
        alt=f"Two grids of seven by seven cells for {TITLES[_dataset]}; a filled cell marks an "
        "ordering of two losses that the one-sided test supports, an empty one a pair it does "
        "not.",
    )(draw_tests(_dataset))
