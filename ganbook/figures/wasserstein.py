r"""Figures of the Wasserstein GAN chapter, all from one clipped run on the ring (`wgan_clipping`).

The helpers for sample panels and for a run's $W_1$ curve are shared with the WGAN-GP chapter.
"""

from __future__ import annotations

import numpy as np

from ganbook.figures.registry import figure
from ganbook.figures.ring_run import ring_axes, scatter, snapshot_at
from ganbook.figures.style import COLORS, new_figure

CLIPPING = COLORS["nonsaturating"]  # the clipped run, in every figure of both chapters
PENALTY = COLORS["discriminator"]  # the gradient-penalty run
W1_COLOR = COLORS["real"]  # the exact W1 computed by POT


def panel_steps(steps: np.ndarray, count: int) -> list[int]:
    r"""``count`` snapshot steps spread over the run: the first, the last and even ones between."""
    picks = np.unique(np.linspace(0, len(steps) - 1, count).round().astype(int))
    return [int(steps[i]) for i in picks]


def samples_over_training(result, color: str, title: str):
    r"""The real ring, then the generator's fixed-latent snapshots at a few steps of the run."""
    steps = panel_steps(result.arrays["snapshot_steps"], 5)
    fig, axes = new_figure(len(steps) + 1, width=8.0, height=1.95)
    scatter(axes[0], result.arrays["real"], COLORS["real"], size=5.0, alpha=0.6)
    axes[0].set_title("real data", color=COLORS["real"])
    for ax, step in zip(axes[1:], steps, strict=True):
        scatter(ax, snapshot_at(result, step), color, size=3.0, alpha=0.5)
        ax.set_title(f"step {step:,d}")
    for ax in axes:
        ring_axes(ax)
    fig.suptitle(title, fontsize=10)
    return fig


def plot_w1(ax, result, color: str, label: str) -> None:
    r"""The exact $W_1$ between generated and real samples at the run's evaluation steps."""
    a = result.arrays
    ax.plot(a["eval_step"], a["eval_w1"], "o-", color=color, ms=4, label=label)


def plot_w1_floor(ax, result) -> None:
    r"""$W_1$ between two independent real samples of the same size: the estimator's floor."""
    ax.axhline(
        result.scalars["w1_floor"], color=COLORS["neutral"], lw=1.0, ls=":", label="real vs real"
    )


@figure(
    "wgan_clipping_samples",
    experiments=("wgan_clipping",),
    caption=(
        r"WGAN with weight clipping on the ring of 8 Gaussians (RMSprop, learning rate "
        r"$5\cdot 10^{-5}$, $c = 0.01$, $n_{\text{critic}} = 5$, batch 256). Left: real data. "
        r"Then $G(z)$ for the same 512 latents at a few steps of the run. The cloud drifts out "
        r"from a blob into bent strokes across the plane, but forms no cluster on the ring."
    ),
    alt="Six square panels: a blue ring of eight clusters, then orange generated points that "
    "start as a small blob and slowly spread into bent, diffuse strokes without clusters.",
)
def draw_wgan_clipping_samples(results):
    return samples_over_training(results["wgan_clipping"], CLIPPING, "weight clipping")


@figure(
    "wgan_critic_estimate",
    experiments=("wgan_clipping",),
    caption=(
        r"Left axis: the exact $W_1$ between 1,000 generated and 1,000 real samples, by POT's "
        r"solver, at the evaluation steps (dots); the dotted line is $W_1$ between two real "
        r"samples, the floor of this estimator. Right axis, a different scale: the critic's own "
        r"estimate $E\,D(x) - E\,D(G(z))$, as a mean over windows of training batches (line) and "
        r"on fresh samples at the evaluation steps (squares). Both fall after the critic's "
        r"warm-up, but the critic's number is orders of magnitude smaller, and the factor drifts."
    ),
    alt="Two curves over generator steps on twin axes: the exact W1 falls steadily; the "
    "critic's estimate, orders of magnitude smaller, rises during a short warm-up and then "
    "falls, less smoothly.",
)
def draw_wgan_critic_estimate(results):
    r = results["wgan_clipping"]
    a, s = r.arrays, r.scalars
    fig, ax = new_figure(width=6.4, height=3.2)
    plot_w1(ax, r, W1_COLOR, r"exact $W_1$ (POT), left axis")
    plot_w1_floor(ax, r)
    ax.set_ylim(0, None)
    ax.set_xlabel("generator step")
    ax.set_ylabel(r"$W_1$ between samples", color=W1_COLOR)
    right = ax.twinx()
    right.grid(False)
    right.spines["right"].set_visible(True)
    window = s["window"]
    centres = (np.arange(len(a["train_estimate_windows"])) + 0.5) * window
    right.plot(centres, a["train_estimate_windows"], color=COLORS["discriminator"], lw=1.4)
    right.plot(a["eval_step"], a["eval_critic_estimate"], "s", color=COLORS["discriminator"], ms=4)
    right.set_ylim(0, None)
    right.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
    right.set_ylabel(r"critic: $E\,D(x) - E\,D(G(z))$", color=COLORS["discriminator"])
    handles = [*ax.lines, *right.lines]
    labels = [
        r"exact $W_1$ (POT), left",
        "real vs real, left",
        f"critic, training batches ({window}-step means), right",
        "critic, fresh samples, right",
    ]
    ax.legend(handles, labels, frameon=False, loc="upper right", fontsize=8)
    return fig


@figure(
    "wgan_clipped_weights",
    experiments=("wgan_clipping",),
    caption=(
        r"Every parameter of the critic (weights and biases), as a histogram on a log scale: "
        r"after training (filled) and at the start, clipped once (outline). The dashed lines are "
        r"$\pm c$. PyTorch's default initialisation draws most weights far outside $[-c, c]$, so "
        r"the first clip already puts them on the walls; training moves only some of them back in."
    ),
    alt="A histogram between minus 0.01 and plus 0.01 on a log scale, with two tall bars at the "
    "two ends and a low, flat spread between them.",
)
def draw_wgan_clipped_weights(results):
    r = results["wgan_clipping"]
    c = r.scalars["clip_value"]
    bins = np.linspace(-c, c, 41)
    bins[0], bins[-1] = -c * 1.001, c * 1.001  # the walls fall inside the end bins
    fig, ax = new_figure(width=6.0, height=3.0)
    ax.hist(r.arrays["weights"], bins=bins, color=CLIPPING, alpha=0.8, label="after training")
    start = np.clip(r.arrays["initial_weights"], -c, c)
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
    ax.set_ylabel("count")
    ax.legend(frameon=False, loc="upper center")
    return fig
