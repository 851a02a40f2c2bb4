"""Figures of the chapter "The optimal discriminator"."""

from __future__ import annotations

import numpy as np

from ganbook.engine.figures import figure
from ganbook.figures.style import COLORS, new_figure

#: One colour per value of θ or per point x, in the order the experiments list them.
SERIES = (COLORS["saturating"], COLORS["nonsaturating"], COLORS["theory"])
POINTS = (COLORS["discriminator"], COLORS["saturating"], "black")

#: Steps in the running median that smooths the minibatch noise of the distance to D*.
WINDOW = 25


def running_median(values: np.ndarray, window: int) -> np.ndarray:
    """The median of ``values[max(0, k - window + 1) : k + 1]`` at every k."""
    return np.array([np.median(values[max(0, k - window + 1) : k + 1]) for k in range(len(values))])


@figure(
    "optimal_discriminator_pointwise",
    experiments=("optimal_discriminator_pointwise",),
    caption=(
        r"Left: the shift toy's densities, $p_{\text{data}} = N(0, 1)$ and $p_g = N(\theta, 1)$, "
        r"at three points $x$. Right: at each point, the pointwise objective "
        r"$a \log y + b \log(1 - y)$ with $a = p_{\text{data}}(x)$, $b = p_g(x)$, divided by "
        r"$a + b$ so that the three curves share a scale (this does not move the maximum). Dots: "
        r"the best $y$ on a grid; dashed lines: $a/(a + b) = D^*(x)$. Notice that each curve is "
        r"concave, with a single peak exactly where the formula says."
    ),
    alt="Left, two overlapping bell curves with three marked points. Right, three concave curves "
    "over y between zero and one, each peaking at a dashed vertical line.",
)
def draw_pointwise(results):
    r = results["optimal_discriminator_pointwise"]
    a = r.arrays
    fig, (left, right) = new_figure(2, width=7.6, height=3.0)
    left.plot(a["x"], a["p_data"], color=COLORS["real"], label=r"$p_{\mathrm{data}}$")
    left.plot(a["x"], a["p_model"], color=COLORS["fake"], ls="--", label=r"$p_g$")
    for colour, x, pa, pb in zip(POINTS, a["points"], a["a"], a["b"], strict=True):
        left.vlines(x, 0, max(pa, pb), color=colour, lw=1.2, ls=":")
        left.plot([x, x], [pa, pb], "o", color=colour, ms=4)
    left.set_xlabel("$x$")
    left.set_ylabel("density")
    left.set_title(rf"$\theta = {r.scalars['theta']:g}$")
    left.legend(frameon=False, loc="upper right")
    scale = (a["a"] + a["b"])[:, None]
    for colour, x, curve, best, d in zip(
        POINTS, a["points"], a["curves"] / scale, a["by_grid"], a["d_star"], strict=True
    ):
        right.plot(a["y"], curve, color=colour, label=rf"$x = {x:g}$")
        right.axvline(d, color=colour, lw=0.9, ls="--")
        right.plot(best, curve.max(), "o", color=colour, ms=5)
    right.set_ylim(-2.5, 0.05)
    right.set_xlabel(r"$y = D(x)$")
    right.set_ylabel(r"$(a \log y + b \log(1-y))\,/\,(a+b)$")
    right.legend(frameon=False, loc="lower center")
    return fig


@figure(
    "optimal_discriminator_fit",
    experiments=("optimal_discriminator_training",),
    caption=(
        r"A logistic discriminator $\sigma(\phi_0 + \phi_1 x)$, started at "
        r"$D = \tfrac12$ and trained by `discriminator_step` against a generator that does not "
        r"move, at three snapshots (green, darker = later), against the optimal discriminator "
        r"$D^*$ (black, dashed). Shaded: $p_{\text{data}}$ (blue) and $p_g$ (orange). Of "
        r"{optimal_discriminator_training.members} seeds it shows the median one by the final "
        r"distance to $D^*$ (member {optimal_discriminator_training.shown_member}, counting "
        r"from zero). By the last step the trained curve lies on $D^*$."
    ),
    alt="Three panels, one per theta. In each, green S-shaped curves of increasing darkness "
    "converge onto a dashed black curve; the rightmost panel's curves stay flat at one half.",
)
def draw_fit(results):
    r = results["optimal_discriminator_training"]
    a = r.arrays
    member = r.scalars["shown_member"]
    fig, axes = new_figure(len(a["thetas"]), width=7.8, height=2.8)
    shades = np.linspace(0.35, 1.0, len(a["snapshots"]))
    curves = a["snapshot_curves"][member]  # (n_theta, n_snapshots, n_x)
    for i, (ax, theta) in enumerate(zip(axes, a["thetas"], strict=True)):
        ax.fill_between(a["x"], a["p_data"], color=COLORS["real"], alpha=0.18, lw=0)
        ax.fill_between(a["x"], a["p_model"][i], color=COLORS["fake"], alpha=0.18, lw=0)
        for shade, step, curve in zip(shades, a["snapshots"], curves[i], strict=True):
            ax.plot(a["x"], curve, color=COLORS["discriminator"], alpha=shade, label=f"step {step}")
        ax.plot(a["x"], a["d_star"][i], color="black", ls="--", lw=1.2, label=r"$D^*$")
        ax.set_title(rf"$\theta = {theta:g}$")
        ax.set_ylim(-0.02, 1.05)
        ax.set_xlabel("$x$")
    axes[0].set_ylabel("$D(x)$")
    axes[0].legend(frameon=False, loc="upper left", fontsize=8)
    return fig


def band(ax, x, values, color, **style) -> None:
    """Median over members (line) and the smallest to the largest member (band)."""
    ax.fill_between(x, values.min(axis=0), values.max(axis=0), color=color, alpha=0.2, lw=0)
    ax.plot(x, np.median(values, axis=0), color=color, **style)


@figure(
    "optimal_discriminator_convergence",
    experiments=("optimal_discriminator_training",),
    caption=(
        r"The same runs over every step, for all {optimal_discriminator_training.members} "
        r"seeds: lines are the median over the seeds, bands reach from the smallest to the "
        r"largest. Left: the fitted parameters $\phi_0$ (solid) and $\phi_1$ (dotted) approach "
        r"the closed-form $\phi_0^*$, $\phi_1^*$ of `gaussian_optimal_discriminator_logit` (thin "
        r"horizontal lines). Right: the largest distance $\max_x |D(x) - D^*(x)|$ over the "
        r"plotted range of $x$, as a running median over a few dozen steps. Log scales on the "
        r"step axis; what remains at the end is minibatch noise, shrinking as the learning rate "
        r"decays."
    ),
    alt="Left, six bands rising to horizontal target lines. Right, three narrow decreasing "
    "bands on log-log axes.",
)
def draw_convergence(results):
    r = results["optimal_discriminator_training"]
    a = r.arrays
    steps = np.arange(a["phi"].shape[2])
    fig, (left, right) = new_figure(2, width=7.6, height=3.0)
    for i, (colour, theta, star) in enumerate(zip(SERIES, a["thetas"], a["phi_star"], strict=True)):
        phi = a["phi"][:, i]  # (members, steps + 1, 2)
        band(left, steps[1:], phi[:, 1:, 0], colour, label=rf"$\theta = {theta:g}$")
        band(left, steps[1:], phi[:, 1:, 1], colour, ls=":")
        for target in star:
            left.axhline(target, color=colour, lw=0.7, alpha=0.7)
        smoothed = np.stack([running_median(g[1:], WINDOW) for g in a["gap"][:, i]])
        band(right, steps[1:], smoothed, colour)
    left.set_xscale("log")
    left.set_xlabel("discriminator step")
    left.set_ylabel(r"$\phi_0$ (solid), $\phi_1$ (dotted)")
    left.legend(frameon=False, loc="upper left")
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xlabel("discriminator step")
    right.set_ylabel(r"$\max_x |D(x) - D^*(x)|$")
    return fig
