r"""Figures of the Wasserstein GAN chapter, from the clipped seed ensemble (`wgan_clipping`).

A figure of one run shows the member ``shown_member`` of its result (the median member by final
$W_1$); the others show every member. The helpers for sample panels and for the members' $W_1$
curves are shared with the WGAN-GP chapter.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ganbook.figures.registry import figure
from ganbook.figures.ring_run import ring_axes, scatter
from ganbook.figures.style import COLORS, new_figure

CLIPPING = COLORS["nonsaturating"]  # the clipped runs, in every figure of both chapters
PENALTY = COLORS["discriminator"]  # the gradient-penalty runs
W1_COLOR = COLORS["real"]  # the exact W1 computed by POT
MEMBER_LW, MEMBER_ALPHA = 1.0, 0.55  # one thin line per member; the shown member is bold


def panel_steps(steps: np.ndarray, count: int) -> list[int]:
    r"""``count`` snapshot steps spread over the run: the first, the last and even ones between."""
    picks = np.unique(np.linspace(0, len(steps) - 1, count).round().astype(int))
    return [int(steps[i]) for i in picks]


def member_snapshot(result, member: int, step: int) -> np.ndarray:
    r"""Member ``member``'s fixed-latent samples at snapshot step ``step``, shape (S, 2)."""
    index = int(np.flatnonzero(result.arrays["snapshot_steps"] == step)[0])
    return result.arrays["snapshots"][member, index]


def samples_over_training(result, color: str, title: str):
    r"""Top: the real ring, then the shown member's snapshots; bottom: every member at the end."""
    a, s = result.arrays, result.scalars
    shown, members = s["shown_member"], s["members"]
    steps = panel_steps(a["snapshot_steps"], 5)
    fig = plt.figure(figsize=(8.0, 3.9), layout="constrained")
    top, bottom = fig.subfigures(2, 1)
    axes = top.subplots(1, len(steps) + 1)
    scatter(axes[0], a["real"], COLORS["real"], size=5.0, alpha=0.6)
    axes[0].set_title("real data", color=COLORS["real"])
    for ax, step in zip(axes[1:], steps, strict=True):
        scatter(ax, member_snapshot(result, shown, step), color, size=3.0, alpha=0.5)
        ax.set_title(f"step {step:,d}")
    top.suptitle(f"{title}: member {shown} (the median by final $W_1$)", fontsize=10)
    finals = bottom.subplots(1, max(members, len(steps) + 1))
    last = int(a["snapshot_steps"][-1])
    for k, ax in enumerate(finals):
        if k >= members:
            ax.set_visible(False)
            continue
        scatter(ax, member_snapshot(result, k, last), color, size=2.0, alpha=0.5)
        ax.set_title(f"member {k}: $W_1$ {a['eval_w1'][k, -1]:.2f}", fontsize=8)
    bottom.suptitle(f"every member at step {last:,d}", fontsize=10)
    for ax in (*axes, *finals):
        ring_axes(ax)
    return fig


def plot_member_w1(ax, result, color: str, label: str) -> None:
    r"""Every member's exact $W_1$ at the evaluation steps: thin lines, the shown member bold."""
    a, shown = result.arrays, result.scalars["shown_member"]
    for k, curve in enumerate(a["eval_w1"]):
        bold = k == shown
        ax.plot(
            a["eval_step"],
            curve,
            "o-" if bold else "-",
            color=color,
            ms=3,
            lw=2.0 if bold else MEMBER_LW,
            alpha=1.0 if bold else MEMBER_ALPHA,
            label=label if bold else None,
        )


def plot_w1_floor(ax, result) -> None:
    r"""$W_1$ between two independent real samples of the same size: the estimator's floor."""
    ax.axhline(
        result.scalars["w1_floor"], color=COLORS["neutral"], lw=1.0, ls=":", label="real vs real"
    )


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
