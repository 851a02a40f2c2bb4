"""Figures of the chapter "Jensen–Shannon"."""

from __future__ import annotations

import numpy as np

from ganbook.engine.figures import figure
from ganbook.figures.style import COLORS, new_figure

#: The grid routes of `jensen_shannon_sweeps`, columns 0 to 2, as (label, marker, colour).
GRID_ROUTES = (
    (r"$V$ at $D^*$ on a grid", "o", COLORS["fake"]),
    (r"$-\log 4 + 2\,\mathrm{JS}$", "s", COLORS["discriminator"]),
    (r"$-\log 4 + \mathrm{KL}(p\|m) + \mathrm{KL}(q\|m)$", "^", COLORS["nonsaturating"]),
)


def _sweep(ax, at, values, every: int) -> None:
    ax.plot(at, values[:, 3], color=COLORS["real"], label="quadrature")
    for k, (label, marker, colour) in enumerate(GRID_ROUTES):
        start = k * every // 3  # stagger the markers so that all three stay visible
        ax.plot(
            at[start::every],
            values[start::every, k],
            marker,
            color=colour,
            ms=3.5,
            mfc="none",
            label=label,
        )
    ax.axhline(-np.log(4.0), color=COLORS["neutral"], lw=0.8, ls=":")
    ax.axhline(0.0, color=COLORS["neutral"], lw=0.8, ls=":")
    ax.set_ylim(-1.5, 0.1)


@figure(
    "jensen_shannon_sweeps",
    experiments=("jensen_shannon_sweeps",),
    caption=(
        r"The value of the game at the optimal discriminator for real data $N(\mu, \sigma^2)$, "
        r"$\mu$ = {jensen_shannon_sweeps.mu:g} and $\sigma$ = {jensen_shannon_sweeps.sigma:g}, "
        r"against a generator $N(\theta, s^2)$. Left: the mean $\theta$ moves, $s = \sigma$. "
        r"Right: the width $s$ changes, $\theta = \mu$ (log scale). Line: adaptive quadrature. "
        r"Markers: three grid routes, the left side of the identity and two forms of its right "
        r"side. All four agree; the minimum $-\log 4$ sits where the generator matches the data, "
        r"and the ceiling is $0$, that is $\mathrm{JS} = \log 2$ (dotted lines)."
    ),
    alt="Two panels. Left, a U-shaped curve over theta with its minimum at theta = mu. Right, a "
    "V-shaped curve over the width on a log axis with its minimum where the width equals sigma; "
    "markers of three routes lie on both curves.",
)
def draw_sweeps(results):
    r = results["jensen_shannon_sweeps"]
    a = r.arrays
    fig, (left, right) = new_figure(2, width=7.8, height=3.2)
    _sweep(left, a["thetas"], a["by_theta"], every=6)
    _sweep(right, a["widths"], a["by_width"], every=6)
    right.set_xscale("log")
    left.set_xlabel(r"generator mean $\theta$ ($s = 1$)")
    right.set_xlabel(r"generator width $s$ ($\theta = 0$)")
    left.set_ylabel(r"$V(D^*, G)$")
    right.legend(frameon=False, loc="upper center", fontsize=7.5)
    return fig


@figure(
    "jensen_shannon_mixture",
    experiments=("jensen_shannon_mixture",),
    caption=(
        r"Left: $p = p_{\text{data}} = N(\mu, \sigma^2)$ and $q = p_g = N(\theta, s^2)$, with "
        r"$\mu$ = {jensen_shannon_mixture.mu:g}, $\sigma$ = {jensen_shannon_mixture.sigma:g}, "
        r"$\theta$ = {jensen_shannon_mixture.theta:g} and $s$ = {jensen_shannon_mixture.s:g}, "
        r"and their mixture $m = (p + q)/2$, which is never below half of either. Right: the "
        r"integrands "
        r"$p \log(p/m)$ and $q \log(q/m)$. Their areas are $\mathrm{KL}(p\|m)$ and "
        r"$\mathrm{KL}(q\|m)$, whose sum is $2\,\mathrm{JS}(p\|q)$. Each integrand is at most "
        r"$\log 2$ times its density, which is why JS never exceeds $\log 2$."
    ),
    alt="Left, two bell curves, a wide one for the data and a narrow one to its right, and "
    "their average. "
    "Right, two shaded curves, mostly positive, one under each bell.",
)
def draw_mixture(results):
    r = results["jensen_shannon_mixture"]
    a, s = r.arrays, r.scalars
    fig, (left, right) = new_figure(2, width=7.8, height=3.0)
    left.plot(a["x"], a["p"], color=COLORS["real"], label=r"$p_{\mathrm{data}}$")
    left.plot(a["x"], a["q"], color=COLORS["fake"], ls="--", label=r"$p_g$")
    left.plot(a["x"], a["m"], color="black", lw=1.2, label=r"$m$")
    left.set_xlim(-4, 4)
    left.set_xlabel("$x$")
    left.set_ylabel("density")
    left.legend(frameon=False, loc="upper left")
    for key, colour, label in (
        ("p_term", COLORS["real"], rf"$p\log(p/m)$: area {s['kl_p_m']:.3f}"),
        ("q_term", COLORS["fake"], rf"$q\log(q/m)$: area {s['kl_q_m']:.3f}"),
    ):
        right.fill_between(a["x"], a[key], color=colour, alpha=0.3, lw=0)
        right.plot(a["x"], a[key], color=colour, label=label)
    right.axhline(0.0, color=COLORS["neutral"], lw=0.8)
    right.set_xlim(-4, 4)
    right.set_xlabel("$x$")
    right.set_title(rf"sum $= 2\,\mathrm{{JS}} = {s['two_js']:.3f}$")
    right.legend(frameon=False, loc="upper left", fontsize=8)
    return fig
