"""Figures of the earth mover's distance chapter, all drawn from `emd_worked_example`."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from ganbook.engine.figures import figure
from ganbook.figures.style import COLORS, new_figure

EXAMPLE = "emd_worked_example"
MASS = LinearSegmentedColormap.from_list("mass", ["#ffffff", COLORS["real"], "#08306b"])


@figure(
    "emd_histograms",
    experiments=(EXAMPLE,),
    caption=(
        r"The worked example: a bimodal histogram $p$ (the data) and a unimodal histogram $q$ "
        r"(a model that put one blob between the two modes), on the grid $x = 0, 1, \dots, 15$. "
        r"Each bar is the mass at one grid point; each histogram sums to $1$."
    ),
    alt="Two bar charts on the same grid: p has two humps, one near each end of the grid, and q "
    "one hump between them.",
)
def draw_emd_histograms(results):
    r = results[EXAMPLE]
    x = r.arrays["x"]
    fig, axes = new_figure(2, width=7.0, height=2.6)
    for ax, key, color, label in (
        (axes[0], "p", COLORS["real"], r"$p$ (data)"),
        (axes[1], "q", COLORS["fake"], r"$q$ (model)"),
    ):
        ax.bar(x, r.arrays[key], width=0.8, color=color, alpha=0.85)
        ax.set_title(label)
        ax.set_xlabel("$x$")
        ax.set_xticks(x[::3])
        ax.set_ylim(0, 1.15 * max(r.arrays["p"].max(), r.arrays["q"].max()))
    axes[0].set_ylabel("mass")
    return fig


def _plan_panel(axes, key_plan, key_top, key_side, plan, x, p, q, title, vmax):
    """A heat map of ``plan`` with q as bars above it and p as bars to its right."""
    heat, top, side = axes[key_plan], axes[key_top], axes[key_side]
    image = heat.imshow(
        np.ma.masked_less(plan, 1e-9),
        origin="lower",
        cmap=MASS,
        vmin=0.0,
        vmax=vmax,
        extent=(x[0] - 0.5, x[-1] + 0.5, x[0] - 0.5, x[-1] + 0.5),
        aspect="auto",
    )
    heat.plot([x[0] - 0.5, x[-1] + 0.5], [x[0] - 0.5, x[-1] + 0.5], color=COLORS["neutral"], lw=0.6)
    heat.grid(False)
    heat.set_xlabel(r"to $x_j$ (mass of $q$)")
    heat.set_ylabel(r"from $x_i$ (mass of $p$)")
    top.bar(x, q, width=0.8, color=COLORS["fake"])
    top.set_xlim(heat.get_xlim())
    top.set_title(title)
    side.barh(x, p, height=0.8, color=COLORS["real"])
    side.set_ylim(heat.get_ylim())
    for ax in (top, side):
        ax.grid(False)
        ax.tick_params(labelbottom=False, labelleft=False)
    return image


@figure(
    "emd_plan",
    experiments=(EXAMPLE,),
    caption=(
        r"Two optimal transport plans $\gamma$ for the worked example: entry $(i, j)$ is the mass "
        r"moved from $x_i$ to $x_j$, white where nothing moves; the bars along the edges are the "
        r"marginals, $\sum_j \gamma_{ij} = p_i$ (right) and $\sum_i \gamma_{ij} = q_j$ (top). "
        r"Left, the plan the linear program returns; right, the quantile plan built from the "
        r"cumulative distributions. Both cost exactly $W_1$: with cost $|x - y|$ the optimal plan "
        r"is not unique. Mass on the grey diagonal stays where it is."
    ),
    alt="Two square heat maps with bar charts along their top and right edges. Both move mass "
    "from the two outer humps of p towards the central hump of q; the left plan scatters a few "
    "cells off the main bands, the right plan is a single monotone staircase.",
)
def draw_emd_plan(results):
    r = results[EXAMPLE]
    x, p, q = r.arrays["x"], r.arrays["p"], r.arrays["q"]
    vmax = max(r.arrays["plan"].max(), r.arrays["quantile_plan"].max())
    fig, _ = new_figure(width=7.6, height=4.0)
    fig.clear()
    axes = fig.subplot_mosaic(
        [["qa", ".", "qb", "."], ["A", "pa", "B", "pb"]],
        width_ratios=[4, 1, 4, 1],
        height_ratios=[1, 4],
    )
    _plan_panel(axes, "A", "qa", "pa", r.arrays["plan"], x, p, q, "solver (HiGHS)", vmax)
    image = _plan_panel(
        axes, "B", "qb", "pb", r.arrays["quantile_plan"], x, p, q, "quantile plan", vmax
    )
    fig.colorbar(image, ax=[axes["B"], axes["pb"]], label=r"$\gamma_{ij}$", shrink=0.9)
    return fig


@figure(
    "emd_potentials",
    experiments=(EXAMPLE,),
    caption=(
        r"The optimal Kantorovich potentials of the worked example from "
        r"`earth_movers_dual`: $f$ (solid) and $g$ (dashed), with $f(x_0) = 0$. The solver's "
        r"$g$ is exactly $-f$, and $f$ moves by exactly one unit per grid step: it is the "
        r"$1$-Lipschitz critic of the Wasserstein GAN. The dots are the potential rebuilt from the "
        r"cumulative distributions, slope $\operatorname{sign}(F_q - F_p)$; they sit on $f$. "
        r"$f$ is high where $p$ has mass that $q$ lacks and lowest near the centre of $q$."
    ),
    alt="A V-shaped solid line f, lowest in the middle of the grid under the hump of q, and its "
    "mirror image g, dashed; dots lie on the solid line.",
)
def draw_emd_potentials(results):
    r = results[EXAMPLE]
    x = r.arrays["x"]
    fig, ax = new_figure(width=6.0, height=3.0)
    ax.plot(x, r.arrays["f"], color=COLORS["discriminator"], marker="s", ms=3, label="$f$")
    ax.plot(x, r.arrays["g"], color=COLORS["saturating"], ls="--", label="$g$")
    ax.plot(
        x,
        r.arrays["f_from_cdfs"],
        "o",
        ms=7,
        mfc="none",
        color=COLORS["neutral"],
        label=r"from $\operatorname{sign}(F_q - F_p)$",
    )
    ax.axhline(0.0, color=COLORS["neutral"], lw=0.6)
    ax.set_xlabel("$x$")
    ax.set_ylabel("potential")
    ax.set_xticks(x[::3])
    ax.legend(frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


@figure(
    "emd_cdf",
    experiments=(EXAMPLE,),
    caption=(
        r"The cumulative distributions $F_p$ and $F_q$ of the worked example, as step functions. "
        r"The shaded area between them is $\int |F_p - F_q|\,dx$, which is $W_1(p, q)$: the "
        r"closed form on the line, which `ganbook.divergences` computes from the two "
        r"cumulative sums."
    ),
    alt="Two staircase curves rising from zero to one; F_p rises early, flattens, then rises "
    "again; F_q rises in the middle; the area between them is shaded.",
)
def draw_emd_cdf(results):
    r = results[EXAMPLE]
    x = r.arrays["x"]
    # the step functions are constant on [x_i, x_{i+1}); extend one step on each side
    edges = np.concatenate([[x[0] - 1.0], x, [x[-1] + 1.0]])
    cdf_p = np.concatenate([[0.0], r.arrays["cdf_p"], [1.0]])
    cdf_q = np.concatenate([[0.0], r.arrays["cdf_q"], [1.0]])
    fig, ax = new_figure(width=6.0, height=3.0)
    ax.fill_between(
        edges,
        cdf_p,
        cdf_q,
        step="post",
        color=COLORS["theory"],
        alpha=0.35,
        lw=0,
        label=r"$|F_p - F_q|$",
    )
    ax.step(edges, cdf_p, where="post", color=COLORS["real"], label="$F_p$ (data)")
    ax.step(edges, cdf_q, where="post", color=COLORS["fake"], ls="--", label="$F_q$ (model)")
    ax.set_xlim(edges[0], edges[-1] - 0.5)  # half a step past the last point: its rise shows
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel("$x$")
    ax.set_ylabel("cumulative mass")
    ax.legend(frameon=False, loc="upper left")
    return fig
