r"""Figures of "What a GAN is" and "The discriminator is a classifier", and the landing figure.

All of them draw from the build-time seed ensemble on the ring of 8 Gaussians (`ring_run`), except
the cross-entropy curves (`bce_terms`). The figures of one run show the ensemble's
``shown_member`` (`member_arrays`); `ring_run_coverage` shows every member.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.figures import figure
from ganbook.figures.plotting import member_arrays, ring_axes, scatter, snapshot_at
from ganbook.figures.style import COLORS, new_figure


@figure(
    "ring_run_discriminator",
    experiments=("ring_run",),
    caption=(
        r"The discriminator of the same run, $D(x) = \sigma(\ell(x))$, over the plane at four "
        r"steps (blue: $D$ says real; red: $D$ says generated; the black line is "
        r"$D = \tfrac12$), with the real samples (dark dots) and the generator's samples at that "
        r"step (white dots). Early on $D$ is a broad slope, undecided over much of the square. "
        r"At the end it is lowest on the bridges and in the centre, where there are fakes and no "
        r"real data, and rises above $\tfrac12$ only on islands at some of the modes: in "
        r"{ring_run.members_islands_underfilled} of the {ring_run.members} runs, the fewer "
        r"generated samples a mode holds, the higher $D$ is at its centre (a negative rank "
        r"correlation), so an island marks a mode the generator under-fills."
    ),
    alt="Four heat maps of the discriminator's output over the plane with real and generated "
    "points on top; the boundary between the blue and red regions follows the generated "
    "points as they move onto the ring, and ends around small blue islands at some of the "
    "modes, not all of them.",
)
def draw_ring_run_discriminator(results):
    r = results["ring_run"]
    a = member_arrays(r)
    axis = a["grid_axis"]
    fig, axes = new_figure(len(a["panels"]), width=8.0, height=2.5)
    for ax, step, d in zip(axes, a["panels"], a["d_grid"], strict=True):
        image = ax.imshow(
            d,
            origin="lower",
            extent=(axis[0], axis[-1], axis[0], axis[-1]),
            cmap="RdBu",
            vmin=0.0,
            vmax=1.0,
            interpolation="bilinear",
        )
        ax.contour(axis, axis, d, levels=[0.5], colors="black", linewidths=0.8)
        scatter(ax, snapshot_at(r, int(step))[:800], "white", size=3.0, alpha=0.9)
        scatter(ax, a["real"][:800], "#1a1a1a", size=2.0, alpha=0.8)
        ax.set_title(f"step {int(step):,d}")
        ring_axes(ax)
    colorbar = fig.colorbar(image, ax=list(axes), shrink=0.85, pad=0.02)
    colorbar.set_label("$D(x)$")
    return fig


@figure(
    "bce_terms",
    experiments=("bce_terms",),
    caption=(
        r"The two terms of the discriminator's loss, computed by "
        r"`minimax_discriminator_loss(..., reduction='none')`, against the logit $\ell$ (top "
        r"axis: $D = \sigma(\ell)$). Left: a real example costs $-\log\sigma(\ell)$, a generated "
        r"one $-\log(1 - \sigma(\ell))$; both are $\log 2$ at $\ell = 0$ and grow linearly on the "
        r"wrong side. Right: their slopes, $\sigma(\ell) - 1$ and $\sigma(\ell)$. A confident "
        r"mistake always gets a slope near $\pm 1$."
    ),
    alt="Left, two mirror-image curves crossing at log two where the logit is zero: the real "
    "term falls to zero for large logits, the fake term for small logits. Right, their slopes, "
    "two S-shaped curves between minus one and one.",
)
def draw_bce_terms(results):
    r = results["bce_terms"]
    a = r.arrays
    logit = a["logit"]
    fig, (left, right) = new_figure(2, width=7.6, height=3.1)
    for ax, real, fake, ylabel in (
        (left, a["real_term"], a["fake_term"], "loss of one example"),
        (right, a["real_slope"], a["fake_slope"], r"slope $\partial / \partial \ell$"),
    ):
        ax.plot(logit, real, color=COLORS["real"], label=r"real, label 1: $-\log\sigma(\ell)$")
        ax.plot(
            logit,
            fake,
            color=COLORS["fake"],
            ls="--",
            label=r"fake, label 0: $-\log(1-\sigma(\ell))$",
        )
        ax.axvline(0.0, color=COLORS["neutral"], lw=0.8, ls=":")
        ax.set_xlabel(r"logit $\ell$")
        ax.set_ylabel(ylabel)
        top = ax.secondary_xaxis("top")  # the same positions, labelled by D = σ(ℓ)
        ticks = np.array([-4.0, -2.0, 0.0, 2.0, 4.0])
        top.set_xticks(ticks, [f"{1 / (1 + np.exp(-t)):.2f}" for t in ticks])
        top.set_xlabel(r"$D = \sigma(\ell)$")
    left.axhline(r.scalars["log2"], color=COLORS["neutral"], lw=0.8, ls=":")
    left.annotate(r"$\log 2$", (logit[-1], r.scalars["log2"]), va="bottom", ha="right")
    right.axhline(0.0, color=COLORS["neutral"], lw=0.8)
    left.legend(frameon=False, loc="upper center")
    return fig
