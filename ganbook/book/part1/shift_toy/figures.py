"""Figures of the shift-toy chapter."""

from __future__ import annotations

import numpy as np

from ganbook.engine.figures import figure
from ganbook.figures.style import COLORS, new_figure


@figure(
    "shift_toy_densities",
    experiments=("shift_toy_densities",),
    caption=(
        r"Real density $p_{\text{data}} = N(\mu, \sigma^2)$, the generator's $p_g = N(\theta, "
        r"\sigma^2)$ and the optimal discriminator $D^*(x) = p_{\text{data}}/(p_{\text{data}} + "
        r"p_g)$, for three values of $\theta$. When $\theta = \mu$, $D^* = \tfrac12$ everywhere."
    ),
    alt="Three panels: a fixed real Gaussian, a shifted generated Gaussian and the optimal "
    "discriminator, an S-shaped curve that flattens to one half when the two coincide.",
)
def draw_shift_toy_densities(results):
    r = results["shift_toy_densities"]
    x, thetas = r.arrays["x"], r.arrays["thetas"]
    fig, axes = new_figure(len(thetas), width=7.6, height=2.8)
    panels = zip(axes, thetas, r.arrays["p_model"], r.arrays["d_star"], strict=True)
    for ax, theta, q, d in panels:
        ax.fill_between(x, r.arrays["p_data"], color=COLORS["real"], alpha=0.25, lw=0)
        ax.plot(x, r.arrays["p_data"], color=COLORS["real"], label=r"$p_{\mathrm{data}}$")
        ax.plot(x, q, color=COLORS["fake"], ls="--", label=r"$p_g$")
        ax.plot(x, d, color=COLORS["discriminator"], label=r"$D^*$")
        ax.set_title(rf"$\theta = {theta:g}$")
        ax.set_xlim(-6, 4)
        ax.set_ylim(-0.02, 1.05)
        ax.set_xlabel("$x$")
    axes[0].legend(loc="upper left", frameon=False)
    return fig


@figure(
    "shift_toy_value_vs_js",
    experiments=("shift_toy_value",),
    caption=(
        r"The value of the game at the optimal discriminator, $V(D^*, G)$, computed by numerical "
        r"integration (solid), and $-\log 4 + 2\,\mathrm{JS}(p_{\text{data}} \| p_g)$ computed "
        r"from a grid by `ganbook.divergences.js_divergence` (dots). The two routes share no "
        r"code; the curves coincide, with their minimum $-\log 4$ at $\theta = \mu$."
    ),
    alt="A U-shaped curve with its minimum at theta equal to mu, flattening towards zero, log "
    "two minus log four, far away; dots from the Jensen-Shannon route lie on it.",
)
def draw_shift_toy_value(results):
    r = results["shift_toy_value"]
    thetas = r.arrays["thetas"]
    fig, ax = new_figure(width=6.0, height=3.0)
    ax.plot(thetas, r.arrays["value_quadrature"], color=COLORS["real"], label=r"$V(D^*, G)$")
    step = max(1, len(thetas) // 40)
    ax.plot(
        thetas[::step],
        r.arrays["value_js"][::step],
        "o",
        ms=3.5,
        color=COLORS["fake"],
        label=r"$-\log 4 + 2\,\mathrm{JS}$",
    )
    ax.axhline(-np.log(4.0), color=COLORS["neutral"], lw=0.8, ls=":")
    ax.axhline(-np.log(4.0) + 2 * np.log(2.0), color=COLORS["neutral"], lw=0.8, ls=":")
    ax.set_xlabel(rf"$\theta$ (with $\mu = {r.scalars['mu']:g}$, $\sigma = 1$)")
    ax.set_ylabel("value")
    ax.legend(frameon=False, loc="center right")
    return fig


@figure(
    "shift_toy_generator_gradient",
    experiments=("shift_toy_gradients",),
    caption=(
        r"The generator's gradient $|\partial L_G/\partial\theta|$ at the optimal discriminator, "
        r"by autograd through `minimax_generator_loss` (saturating) and "
        r"`nonsaturating_generator_loss`. Far from the data the saturating gradient vanishes; the "
        r"non-saturating one grows with the distance. Dotted: the level "
        r"{shift_toy_gradients.threshold:.0e}, below which the saturating gradient stays once "
        r"$|\theta - \mu|$ exceeds {shift_toy_gradients.vanishing_distance:.2f} standard "
        r"deviations. Log scale."
    ),
    alt="Two curves over theta on a log scale: the saturating gradient peaks near the data and "
    "falls towards zero on both sides, the non-saturating gradient rises with the distance.",
)
def draw_shift_toy_gradient(results):
    r = results["shift_toy_gradients"]
    thetas = r.arrays["thetas"]
    fig, ax = new_figure(width=6.0, height=3.0)
    for key, label in (
        ("saturating", r"saturating  $E\log(1 - D(G(z)))$"),
        ("nonsaturating", r"non-saturating  $-E\log D(G(z))$"),
    ):
        ax.semilogy(thetas, np.abs(r.arrays[key]), color=COLORS[key], label=label)
    ax.axhline(r.scalars["threshold"], color=COLORS["neutral"], lw=0.8, ls=":")
    ax.set_ylim(1e-6, 1e3)
    ax.set_xlabel(r"$\theta$ (with $\mu = 0$, $\sigma = 1$)")
    ax.set_ylabel(r"$|\partial L_G / \partial \theta|$ at $D^*$")
    ax.legend(frameon=False, loc="upper center", ncols=2)
    return fig
