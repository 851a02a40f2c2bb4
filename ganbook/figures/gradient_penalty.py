r"""Figures of the WGAN-GP chapter: the penalty's run (`wgan_gp`) against the clipped one.

The clipped run is the Wasserstein GAN chapter's (`wgan_clipping`); nothing is trained twice.
"""

from __future__ import annotations

import numpy as np

from ganbook.figures.registry import figure
from ganbook.figures.ring_run import LIMIT, ring_axes, scatter
from ganbook.figures.style import COLORS, new_figure
from ganbook.figures.wasserstein import (
    CLIPPING,
    PENALTY,
    plot_w1,
    plot_w1_floor,
    samples_over_training,
)

BUG = COLORS["saturating"]  # the whole-batch-norm bug
NORM_BINS = np.logspace(-6, 1, 57)  # one log axis, 8 bins a decade, from clipping's 1e-5 to 1


def norm_histogram(ax, norms: np.ndarray, color: str, label: str) -> None:
    r"""Histogram of gradient norms on the shared logarithmic bins, as a fraction of the sample."""
    weights = np.full(len(norms), 1.0 / len(norms))
    ax.hist(norms, bins=NORM_BINS, weights=weights, color=color, alpha=0.8, label=label)
    ax.set_xscale("log")
    ax.axvline(1.0, color=COLORS["neutral"], ls="--", lw=0.9)


def samples_on_critic(ax, result, samples: np.ndarray, color: str, title: str) -> None:
    r"""Generated samples over the final critic's level sets (each critic on its own scale)."""
    grid = result.arrays["critic_grid"]
    axis = np.linspace(-LIMIT, LIMIT, grid.shape[0])
    ax.contourf(axis, axis, grid, levels=12, cmap="Greys", alpha=0.45)
    scatter(ax, result.arrays["real"], COLORS["real"], size=3.0, alpha=0.35)
    scatter(ax, samples, color, size=3.0, alpha=0.6)
    ring_axes(ax)
    ax.set_title(title)


@figure(
    "wgan_gp_gradient_norms",
    experiments=("wgan_clipping", "wgan_gp"),
    caption=(
        r"The critic's gradient norm $\lVert\nabla_{\hat x} D(\hat x)\rVert_2$ at 1,000 "
        r"interpolates $\hat x = x + \alpha(\tilde x - x)$ between real and generated points, at "
        r"the end of each run; one logarithmic axis for both panels, dashed line at 1. Left: the "
        r"weight-clipped critic of the previous chapter. Right: the critic trained with the "
        r"gradient penalty."
    ),
    alt="Two histograms on one logarithmic axis: under weight clipping the norms form a wide hump "
    "far to the left, around one ten-thousandth; under the gradient penalty they form a narrow "
    "spike at 1.",
)
def draw_wgan_gp_gradient_norms(results):
    fig, axes = new_figure(2, width=7.2, height=2.8)
    runs = (
        ("wgan_clipping", CLIPPING, "weight clipping (WGAN)"),
        ("wgan_gp", PENALTY, "gradient penalty (WGAN-GP)"),
    )
    for ax, (name, color, title) in zip(axes, runs, strict=True):
        norm_histogram(ax, results[name].arrays["final_norms"], color, title)
        ax.set_title(title)
        ax.set_xlabel(r"$\Vert\nabla D(\hat x)\Vert_2$")
    axes[0].set_ylabel("fraction of interpolates")
    return fig


@figure(
    "wgan_gp_samples",
    experiments=("wgan_gp",),
    caption=(
        r"WGAN-GP on the ring of 8 Gaussians (Adam, learning rate $10^{-4}$, $\beta = (0.5, "
        r"0.9)$, $\lambda = 10$, $n_{\text{critic}} = 5$, batch 256), from the same initial "
        r"networks as the clipped run. Left: real data. Then $G(z)$ for the same 512 latents at "
        r"a few steps of the run."
    ),
    alt="Six square panels: a blue ring of eight clusters, then orange generated points that "
    "start as a blob, spread into a ring and gather into clusters on it.",
)
def draw_wgan_gp_samples(results):
    return samples_over_training(results["wgan_gp"], PENALTY, "gradient penalty")


@figure(
    "wgan_gp_vs_clipping",
    experiments=("wgan_clipping", "wgan_gp"),
    caption=(
        r"Weight clipping against the gradient penalty, same networks at the start, same "
        r"number of generator steps. Left: the exact $W_1$ between 1,000 generated and 1,000 "
        r"real samples (POT) during training; dotted, the floor of two real samples. Middle and "
        r"right: the final samples (orange, green) over the real ones (blue), on the level sets "
        r"of each final critic (grey, darker is higher; each critic on its own scale)."
    ),
    alt="Left, two falling curves of W1 over training, the penalty's ending well below "
    "clipping's. Middle, a diffuse cloud of samples over an almost featureless critic. Right, "
    "samples gathered on the ring over a critic with visible structure around the modes.",
)
def draw_wgan_gp_vs_clipping(results):
    clipping, penalty = results["wgan_clipping"], results["wgan_gp"]
    fig, axes = new_figure(3, width=8.0, height=2.75)
    plot_w1(axes[0], clipping, CLIPPING, "weight clipping")
    plot_w1(axes[0], penalty, PENALTY, "gradient penalty")
    plot_w1_floor(axes[0], penalty)
    axes[0].set_ylim(0, None)
    axes[0].set_xlabel("generator step")
    axes[0].set_ylabel(r"exact $W_1$ to the data")
    axes[0].legend(frameon=False, loc="upper right", fontsize=8)
    for ax, result, color, title in (
        (axes[1], clipping, CLIPPING, "clipping, final"),
        (axes[2], penalty, PENALTY, "penalty, final"),
    ):
        samples_on_critic(ax, result, result.arrays["final_samples"], color, title)
    return fig


@figure(
    "wgan_gp_whole_batch_bug",
    experiments=("wgan_gp",),
    caption=(
        r"The classic bug: the gradient norm taken over the whole batch instead of per example. "
        r"Left: per-example norms $\lVert\nabla D(\hat x_i)\rVert_2$ at 1,000 interpolates, "
        r"with the bug (pink) and with the package's per-example penalty (green), both after "
        r"the same number of steps from the same networks; dashed lines at 1 and at "
        r"$1/\sqrt{B}$ for the batch size $B = 256$. Middle and right: the samples of the two "
        r"runs at that step (pink, green) over the real ones (blue)."
    ),
    alt="Left, two narrow histograms on a log axis: the buggy run's norms sit near one "
    "sixteenth, the correct run's near 1. Middle and right, the samples of the two runs.",
)
def draw_wgan_gp_whole_batch_bug(results):
    r = results["wgan_gp"]
    a, s = r.arrays, r.scalars
    fig, axes = new_figure(3, width=8.0, height=2.75)
    norm_histogram(axes[0], a["bug_norms"], BUG, "norm over the batch (bug)")
    norm_histogram(axes[0], a["same_step_norms"], PENALTY, "norm per example")
    axes[0].axvline(s["bug_target"], color=BUG, ls="--", lw=0.9)
    axes[0].set_xlim(1e-2, 3.0)
    axes[0].set_ylim(0, 1.45 * axes[0].get_ylim()[1])  # room for the legend above the bars
    axes[0].set_xlabel(r"$\Vert\nabla D(\hat x_i)\Vert_2$")
    axes[0].set_ylabel("fraction of interpolates")
    axes[0].legend(frameon=False, loc="upper center", fontsize=8)
    step = s["bug_steps"]
    for ax, samples, color, title in (
        (axes[1], a["same_step_samples"], PENALTY, f"per example, step {step:,d}"),
        (axes[2], a["bug_samples"], BUG, f"whole batch, step {step:,d}"),
    ):
        scatter(ax, a["real"], COLORS["real"], size=3.0, alpha=0.35)
        scatter(ax, samples, color, size=3.0, alpha=0.6)
        ring_axes(ax)
        ax.set_title(title)
    return fig
