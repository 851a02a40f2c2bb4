r"""Figures of the WGAN-GP chapter: the penalty's ensemble (`wgan_gp`) against the clipped one.

The clipped ensemble is the Wasserstein GAN chapter's (`wgan_clipping`); nothing is trained
twice. Member $k$ of both starts from the same networks.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.figures import figure
from ganbook.figures.plotting import (
    CLIPPING,
    LIMIT,
    PENALTY,
    plot_member_w1,
    plot_w1_floor,
    ring_axes,
    samples_over_training,
    scatter,
)
from ganbook.figures.style import COLORS, new_figure

BUG = COLORS["saturating"]  # the whole-batch-norm bug
NORM_BINS = np.logspace(-7, 1, 65)  # one log axis, 8 bins a decade, from below clipping's to 10
ZERO_AT, ZERO_BIN = 10**-7.75, (10**-8.0, 10**-7.5)  # exact zeros get a bin of their own, left


def norm_histogram(ax, norms: np.ndarray, color: str, label: str | None = None, **style) -> None:
    r"""Histogram of one sample of gradient norms as fractions, exact zeros in a bin at the left.

    A logarithmic axis has no place for 0, and a ReLU critic can be exactly flat at some
    interpolates: those are counted in the separate bin labelled 0, not dropped. Positive norms
    outside the axis are counted in its end bins, so the bars always add up to 1.
    """
    weights = np.full(len(norms), 1.0 / len(norms))
    inside = np.clip(norms, NORM_BINS[0], NORM_BINS[-1])  # nothing falls off either end
    shown = np.where(norms > 0, inside, ZERO_AT)
    bins = np.concatenate([ZERO_BIN, NORM_BINS])
    ax.hist(shown, bins=bins, weights=weights, color=color, label=label, **style)


def norm_axis(ax) -> None:
    r"""The shared logarithmic axis of the norm histograms, with the bin of zeros marked 0."""
    ax.set_xscale("log")
    ax.set_xlim(ZERO_BIN[0], NORM_BINS[-1])
    ticks = [ZERO_AT, 1e-6, 1e-4, 1e-2, 1.0]
    ax.set_xticks(ticks, ["0", "$10^{-6}$", "$10^{-4}$", "$10^{-2}$", "1"])
    ax.minorticks_off()
    ax.axvline(10**-7.25, color=COLORS["neutral"], lw=0.6, ls=":")  # the break before 10⁻⁷
    ax.axvline(1.0, color=COLORS["neutral"], ls="--", lw=0.9)


def samples_on_critic(ax, result, color: str, title: str) -> None:
    r"""The shown member's final samples over its final critic's level sets (own scale)."""
    a, shown = result.arrays, result.scalars["shown_member"]
    grid = a["critic_grid"][shown]
    axis = np.linspace(-LIMIT, LIMIT, grid.shape[0])
    ax.contourf(axis, axis, grid, levels=12, cmap="Greys", alpha=0.45)
    scatter(ax, a["real"], COLORS["real"], size=3.0, alpha=0.35)
    scatter(ax, a["final_samples"][shown], color, size=3.0, alpha=0.6)
    ring_axes(ax)
    ax.set_title(title)


@figure(
    "wgan_gp_gradient_norms",
    experiments=("wgan_clipping", "wgan_gp"),
    caption=(
        r"The critic's gradient norm $\lVert\nabla_{\hat x} D(\hat x)\rVert_2$ at "
        r"{wgan_gp.eval_samples:,} interpolates $\hat x = x + \alpha(\tilde x - x)$ between real "
        r"and generated points, at the end of each run: one outline per member of each "
        r"ensemble ({wgan_clipping.members} clipped, {wgan_gp.members} penalised). One "
        r"logarithmic axis for both panels, dashed line at $1$; interpolates where the gradient "
        r"is exactly $0$ are counted in the separate bin at the left. Left: the weight-clipped "
        r"critics of the previous chapter. Right: the critics trained with the gradient penalty."
    ),
    alt="Two panels of overlaid histograms on one logarithmic axis, with a separate bar for exact "
    "zeros at the far left. Left, under weight clipping, every run's norms form a narrow "
    "cluster far to the left, with medians between {wgan_clipping.grad_norm_median_min:.0e} "
    "and {wgan_clipping.grad_norm_median_max:.0e}, and "
    "{wgan_clipping.members_with_zero_norms} of the {wgan_clipping.members} runs also have a bar "
    "of exact zeros, holding up to {wgan_clipping.fraction_zero_norms_max:.1%} of their "
    "interpolates. Right, under the gradient penalty, every run's norms form a narrow spike at "
    "one, with no zeros.",
)
def draw_wgan_gp_gradient_norms(results):
    fig, axes = new_figure(2, width=7.6, height=2.8)
    runs = (
        ("wgan_clipping", CLIPPING, "weight clipping (WGAN)"),
        ("wgan_gp", PENALTY, "gradient penalty (WGAN-GP)"),
    )
    for ax, (name, color, title) in zip(axes, runs, strict=True):
        for norms in results[name].arrays["final_norms"]:
            norm_histogram(ax, norms, color, histtype="step", lw=1.1, alpha=0.9)
        norm_axis(ax)
        ax.set_title(title)
        ax.set_xlabel(r"$\Vert\nabla D(\hat x)\Vert_2$")
    axes[0].set_ylabel("fraction of interpolates")
    return fig


@figure(
    "wgan_gp_samples",
    experiments=("wgan_gp",),
    caption=(
        r"WGAN-GP on the ring of eight Gaussians (Adam, learning rate $10^{-4}$, $\beta = (0.5, "
        r"0.9)$, $\lambda = 10$, $n_{\text{critic}} = 5$, batch {wgan_gp.batch_size}), an "
        r"ensemble of {wgan_gp.members} seeds, member by member from the same initial networks "
        r"as the clipped ensemble. Top: real data, then $G(z)$ for the same latents at a few "
        r"steps of member {wgan_gp.shown_member}, the median member by final exact $W_1$. "
        r"Bottom: every member after {wgan_gp.steps:,} steps, with its final $W_1$."
    ),
    alt="Top, a blue ring of eight clusters, then green generated points of one run that start "
    "as a small blob, sweep across the plane and spread out without settling on the ring. "
    "Bottom, the final samples of each run of the ensemble, all of them diffuse.",
)
def draw_wgan_gp_samples(results):
    return samples_over_training(results["wgan_gp"], PENALTY, "gradient penalty")


@figure(
    "wgan_gp_vs_clipping",
    experiments=("wgan_clipping", "wgan_gp"),
    caption=(
        r"Weight clipping ({wgan_clipping.members} seeds) against the gradient penalty "
        r"({wgan_gp.members} seeds), member by member from the same networks. Left: every "
        r"member's exact $W_1$ between {wgan_gp.eval_samples:,} generated and as many real "
        r"samples (POT) during training, one line each, the median member of each ensemble "
        r"bold; dotted, the floor of two real samples. Middle and right: the final samples of "
        r"each median member over the real ones (blue), on the level sets of its final critic "
        r"(grey, darker is higher; each critic on its own scale)."
    ),
    alt="Left, two bundles of falling W1 curves over training, one per method; the penalty's "
    "curves wander more. Middle, a diffuse cloud of samples over an almost featureless critic. "
    "Right, samples spread towards the ring over a critic with visible structure.",
)
def draw_wgan_gp_vs_clipping(results):
    clipping, penalty = results["wgan_clipping"], results["wgan_gp"]
    fig, axes = new_figure(3, width=8.0, height=2.75)
    plot_member_w1(axes[0], clipping, CLIPPING, "weight clipping")
    plot_member_w1(axes[0], penalty, PENALTY, "gradient penalty")
    plot_w1_floor(axes[0], penalty)
    axes[0].set_ylim(0, None)
    axes[0].set_xlabel("generator step")
    axes[0].set_ylabel(r"exact $W_1$ to the data")
    axes[0].legend(frameon=False, loc="upper right", fontsize=8)
    samples_on_critic(axes[1], clipping, CLIPPING, "clipping, final")
    samples_on_critic(axes[2], penalty, PENALTY, "penalty, final")
    return fig


@figure(
    "wgan_gp_whole_batch_bug",
    experiments=("wgan_gp",),
    caption=(
        r"The classic bug: the gradient norm taken over the whole batch instead of per example, "
        r"in one run from the first member's networks and random numbers. Left: per-example norms "
        r"$\lVert\nabla D(\hat x_i)\rVert_2$ at {wgan_gp.eval_samples:,} interpolates after "
        r"{wgan_gp.bug_steps:,} steps, with the bug (pink) and with the package's per-example "
        r"penalty (the first member, green); dashed lines at $1$ and at $1/\sqrt{B}$ for the "
        r"batch size $B$ = {wgan_gp.batch_size}. Middle and right: the samples of the two runs "
        r"at that step (green, pink) over the real ones (blue)."
    ),
    alt="Left, two narrow histograms on a log axis: the buggy run's norms sit near one "
    "sixteenth, the correct run's near one. Middle and right, the samples of the two runs.",
)
def draw_wgan_gp_whole_batch_bug(results):
    r = results["wgan_gp"]
    a, s = r.arrays, r.scalars
    fig, axes = new_figure(3, width=8.0, height=2.75)
    norm_histogram(axes[0], a["bug_norms"], BUG, "norm over the batch (bug)", alpha=0.8)
    norm_histogram(axes[0], a["same_step_norms"], PENALTY, "norm per example", alpha=0.8)
    norm_axis(axes[0])
    axes[0].axvline(s["bug_target"], color=BUG, ls="--", lw=0.9)
    axes[0].set_xlim(1e-2, 3.0)
    axes[0].set_xticks([1e-2, 1e-1, 1.0], ["$10^{-2}$", "$10^{-1}$", "1"])
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
