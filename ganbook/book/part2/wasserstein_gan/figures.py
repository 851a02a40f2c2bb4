r"""Figures of the Wasserstein GAN chapter, from the clipped seed ensemble (`wgan_clipping`).

A figure of one run shows the member ``shown_member`` of its result (the median member by final
$W_1$); the others show every member. The helpers for sample panels and for the members' $W_1$
curves, which the WGAN-GP chapter uses too, are in `ganbook.figures.plotting`.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.figures import figure
from ganbook.figures.plotting import (
    CLIPPING,
    MEMBER_ALPHA,
    MEMBER_LW,
    plot_member_w1,
    plot_w1_floor,
    samples_over_training,
)
from ganbook.figures.style import COLORS, new_figure

W1_COLOR = COLORS["real"]  # the exact W1 computed by POT


@figure(
    "wgan_clipping_samples",
    experiments=("wgan_clipping",),
    caption=(
        r"WGAN with weight clipping on the ring of eight Gaussians (RMSprop, learning rate "
        r"$5\cdot 10^{-5}$, $c = 0.01$, $n_{\text{critic}} = 5$, batch "
        r"{wgan_clipping.batch_size}), an ensemble of {wgan_clipping.members} seeds. Top: real "
        r"data, then $G(z)$ for the same latents at a few steps of member "
        r"{wgan_clipping.shown_member}, the median member by final exact $W_1$. Bottom: every "
        r"member after {wgan_clipping.steps:,} steps, with its final $W_1$."
    ),
    alt="Top, a blue ring of eight clusters, then orange generated points of one run that start "
    "as a small blob and slowly spread out without forming clusters on the ring. Bottom, the "
    "final samples of each run of the ensemble: diffuse clouds and strokes, none on the ring.",
)
def draw_wgan_clipping_samples(results):
    return samples_over_training(results["wgan_clipping"], CLIPPING, "weight clipping")


def plot_ratio(ax, result, color: str) -> None:
    r"""$\hat K$ per member and stop on a log axis; stops with $\hat K \le 0$ as crosses below."""
    a, shown = result.arrays, result.scalars["shown_member"]
    ratio, steps = a["ratio"], a["eval_step"]
    floor = 10 ** np.floor(np.log10(ratio[ratio > 0].min())) / 3
    for k, row in enumerate(ratio):
        positive = np.where(row > 0, row, np.nan)
        bold = k == shown
        ax.plot(
            steps,
            positive,
            "o-",
            color=color,
            ms=3,
            lw=2.0 if bold else MEMBER_LW,
            alpha=1.0 if bold else MEMBER_ALPHA,
        )
        negative = row <= 0
        ax.plot(steps[negative], np.full(negative.sum(), floor), "x", color=COLORS["fake"], ms=6)
    ax.set_yscale("log")
    ax.axhline(floor * 1.6, color=COLORS["neutral"], lw=0.6, ls="--")
    ax.text(
        steps[0],
        floor,
        r"$\hat K \leq 0$:",
        ha="left",
        va="center",
        fontsize=7,
        color=COLORS["fake"],
    )  # the crosses of this row mark stops without a positive K̂
    ax.set_ylim(floor / 2, None)


@figure(
    "wgan_critic_estimate",
    experiments=("wgan_clipping",),
    caption=(
        r"Every member of the clipped ensemble, one line each (member "
        r"{wgan_clipping.shown_member}, the median, bold). Left: the exact $W_1$ between "
        r"{wgan_clipping.eval_samples:,} generated and as many real samples, by POT's solver, at "
        r"the evaluation steps; dotted, $W_1$ between two real samples, the floor of this "
        r"estimator. Middle: the critic's own estimate $E\,D(x) - E\,D(G(z))$ on the training "
        r"batches, as means over windows of {wgan_clipping.window} steps. Right: their ratio "
        r"$\hat K$ on fresh samples at the evaluation steps, on a log axis; a cross marks a "
        r"stop where $\hat K \leq 0$, where the critic scored the fakes at least as high as the "
        r"real data."
    ),
    alt="Three panels over generator steps, one thin line per run. Left, the exact W1 falls "
    "slowly for every run. Middle, the critic's estimate, orders of magnitude smaller, rises in "
    "a short warm-up and then falls. Right, the ratio of the two on a log axis wanders up and "
    "down by large factors, differently in each run.",
)
def draw_wgan_critic_estimate(results):
    r = results["wgan_clipping"]
    a, s = r.arrays, r.scalars
    fig, axes = new_figure(3, width=8.0, height=2.9)
    plot_member_w1(axes[0], r, W1_COLOR, r"exact $W_1$ (POT)")
    plot_w1_floor(axes[0], r)
    axes[0].set_ylim(0, None)
    axes[0].set_ylabel(r"$W_1$ between samples")
    axes[0].legend(frameon=False, loc="upper right", fontsize=8)
    window = s["window"]
    windows = a["train_estimate_windows"]
    centres = (np.arange(windows.shape[1]) + 0.5) * window
    for k, row in enumerate(windows):
        bold = k == s["shown_member"]
        axes[1].plot(
            centres,
            row,
            color=COLORS["discriminator"],
            lw=2.0 if bold else MEMBER_LW,
            alpha=1.0 if bold else MEMBER_ALPHA,
        )
    axes[1].ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
    axes[1].set_ylabel(r"critic: $E\,D(x) - E\,D(G(z))$")
    plot_ratio(axes[2], r, COLORS["theory"])
    axes[2].set_ylabel(r"$\hat K$ = estimate / $W_1$")
    for ax in axes:
        ax.set_xlabel("generator step")
    return fig


@figure(
    "wgan_clipped_weights",
    experiments=("wgan_clipping",),
    caption=(
        r"Every parameter of the critic (weights and biases) of all {wgan_clipping.members} "
        r"members pooled, as a histogram on a log scale: after training (filled) and at the "
        r"start, clipped once (outline). The dashed lines are $\pm c$. PyTorch's default "
        r"initialisation draws most weights far outside $[-c, c]$, so the first clip already "
        r"puts them on the walls; training moves only some of them back in."
    ),
    alt="A histogram between minus c and plus c on a log scale, with two tall bars at the "
    "two ends and a low, flat spread between them.",
)
def draw_wgan_clipped_weights(results):
    r = results["wgan_clipping"]
    c = r.scalars["clip_value"]
    bins = np.linspace(-c, c, 41)
    bins[0], bins[-1] = -c * 1.001, c * 1.001  # the walls fall inside the end bins
    fig, ax = new_figure(width=6.0, height=3.0)
    weights = r.arrays["weights"].ravel()
    ax.hist(weights, bins=bins, color=CLIPPING, alpha=0.8, label="after training")
    start = np.clip(r.arrays["initial_weights"].ravel(), -c, c)
    ax.hist(
        start,
        bins=bins,
        histtype="step",
        color=COLORS["neutral"],
        lw=1.2,
        label="at the start, clipped once",
    )
    for wall in (-c, c):
        ax.axvline(wall, color=COLORS["neutral"], ls="--", lw=0.8)
    ax.set_yscale("log")
    ax.set_xticks([-c, -c / 2, 0, c / 2, c], ["$-c$", "$-c/2$", "0", "$c/2$", "$c$"])
    ax.set_xlabel(f"critic parameter value ($c$ = {c:g})")
    ax.set_ylabel("count, all members")
    ax.legend(frameon=False, loc="upper center")
    return fig
