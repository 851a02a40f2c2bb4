"""Figures of the Dirac-GAN chapter: vector fields, distances, eigenvalues and the WGAN-GP stall."""

from __future__ import annotations

import numpy as np

from ganbook.engine.figures import figure
from ganbook.figures.style import COLORS, new_figure

from .experiments import GAMES, MODES, slug

TITLES = {
    "gan": "unregularised GAN",
    "wgan": "WGAN, clipping $c = {clip:g}$",
    "wgan-gp": r"WGAN-GP, $\lambda = {lam:g}$",
    "r1": r"R1, $\gamma = {gamma:g}$",
}
GAME_COLORS = {
    "gan": COLORS["saturating"],
    "wgan": COLORS["nonsaturating"],
    "wgan-gp": COLORS["fake"],
    "r1": COLORS["discriminator"],
}
MODE_STYLE = {
    "simultaneous": {"color": COLORS["fake"], "ls": "-"},
    "alternating": {"color": COLORS["real"], "ls": "--"},
}


def _title(game: str, scalars) -> str:
    return TITLES[game].format(**scalars)


@figure(
    "dirac_vector_fields",
    experiments=("dirac_trajectories",),
    caption=(
        r"The Dirac-GAN's four games in the $(\theta, \psi)$ plane: grey streamlines follow the "
        r"gradient-play field $(-\partial_\theta L,\ \partial_\psi L + R'(\psi))$; the coloured "
        r"lines are {dirac_trajectories.steps:,} gradient steps of size $\eta$ = "
        r"{dirac_trajectories.lr:g} from $(\theta, \psi)$ = ({dirac_trajectories.start_theta:g}, "
        r"{dirac_trajectories.start_psi:g}) (circle), simultaneous (solid) and alternating "
        r"(dashed); the star is the equilibrium $(0, 0)$. The unregularised game spirals out "
        r"(simultaneous) or circles (alternating); clipped WGAN circles at the fence "
        r"$|\psi| = c$ (clipping keeps $\psi$ out of the grey bands); WGAN-GP stops at the "
        r"cross, $(-2\lambda, 0)$; R1 converges. Here $c$ = {dirac_trajectories.clip:g}, "
        r"$\lambda$ = {dirac_trajectories.lam:g} and $\gamma$ = {dirac_trajectories.gamma:g}, "
        r"larger than the papers' $c = 0.01$ and $\lambda = 10$ so that the orbits are visible. "
        r"Signs follow the paper: the critic scores the generated point $\theta$ above the data "
        r"at $0$ when $\psi\theta > 0$ (the book's other chapters mirror $\psi$)."
    ),
    alt="Four phase portraits. Top left: circular streamlines, a solid path spiralling outward "
    "and a dashed closed loop. Top right: circular streamlines with grey bands beyond psi = plus "
    "and minus c, paths circling at a radius of about c. Bottom left: paths sliding to a point "
    "on the theta axis, left of the origin. Bottom right: streamlines spiralling into the "
    "origin, both paths converging.",
)
def draw_dirac_vector_fields(results):
    r = results["dirac_trajectories"]
    s, axis = r.scalars, r.arrays["axis"]
    span = axis[-1]
    fig, axes = new_figure(2, 2, width=7.2, height=6.6)
    for ax, game in zip(axes.ravel(), GAMES, strict=True):
        d_theta, d_psi = r.arrays[f"field_{slug(game)}"]
        ax.streamplot(
            axis,
            axis,
            d_theta,
            d_psi,
            color="#bbbbbb",
            linewidth=0.7,
            density=0.9,
            arrowsize=0.8,
        )
        if game == "wgan":
            for sign in (1, -1):
                ax.axhspan(sign * s["clip"], sign * span, color=COLORS["neutral"], alpha=0.15, lw=0)
        if game == "wgan-gp":
            ax.plot(-2 * s["lam"], 0.0, "x", ms=9, mew=2, color="black", zorder=4)
        for mode in MODES:
            path = r.arrays[f"path_{slug(game, mode)}"]
            ax.plot(path[:, 0], path[:, 1], lw=1.3, label=mode, **MODE_STYLE[mode])
        ax.plot(*path[0], "o", ms=6, color="black", mfc="white", zorder=4)
        ax.plot(0.0, 0.0, "*", ms=11, color="black", zorder=4)
        ax.set_xlim(-span, span)
        ax.set_ylim(-span, span)
        ax.set_aspect("equal")
        ax.grid(False)
        ax.set_title(_title(game, s))
        ax.set_xlabel(r"$\theta$ (generator)")
        ax.set_ylabel(r"$\psi$ (critic)")
    axes[0, 0].legend(frameon=True, framealpha=0.9, loc="lower right", fontsize=8)
    return fig


@figure(
    "dirac_distance",
    experiments=("dirac_trajectories",),
    caption=(
        r"Distance to the equilibrium, $\|(\theta_k, \psi_k)\|$, over the gradient steps of the "
        r"previous figure, on a log scale (top) and a linear scale (bottom). Only R1 "
        r"goes to $0$, in a nearly straight line (a constant factor per step); it leaves the plot "
        r"at its floor, not at the end of the arithmetic. The unregularised game grows under "
        r"simultaneous steps and stays level under alternating ones; clipped WGAN levels off "
        r"near $c$; WGAN-GP freezes at $2\lambda$."
    ),
    alt="Two log-scale panels of distance against step. In both, the R1 curve falls in a "
    "straight line; the others stay within a small range; in the simultaneous panel the "
    "unregularised curve rises slowly.",
)
def draw_dirac_distance(results):
    r = results["dirac_trajectories"]
    s = r.scalars
    fig, axes = new_figure(2, 2, width=7.6, height=5.0)
    for column, mode in enumerate(MODES):
        log_ax, linear_ax = axes[0, column], axes[1, column]
        for game in GAMES:
            path = r.arrays[f"path_{slug(game, mode)}"]
            distance = np.hypot(path[:, 0], path[:, 1])
            log_ax.semilogy(distance, color=GAME_COLORS[game], label=_title(game, s))
            linear_ax.plot(distance, color=GAME_COLORS[game])
        log_ax.set_ylim(1e-12, 10)
        log_ax.set_title(f"{mode}, log scale")
        linear_ax.set_ylim(0, 3)
        linear_ax.set_title(f"{mode}, linear scale")
        linear_ax.set_xlabel("step $k$")
    for ax in axes[:, 0]:
        ax.set_ylabel(r"$\|(\theta_k, \psi_k)\|$")
    fig.legend(
        *axes[0, 0].get_legend_handles_labels(), loc="outside lower center", ncols=4, frameon=False
    )
    return fig


@figure(
    "dirac_r1_eigenvalues",
    experiments=("dirac_eigenvalues",),
    caption=(
        r"Left: eigenvalues $\nu$ of the Jacobian of the R1 game at the equilibrium, computed by "
        r"`dirac_jacobian` (dots, coloured by $\gamma$) and by the closed form "
        r"$-\gamma/2 \pm \sqrt{\gamma^2/4 - 1/4}$ (line). At $\gamma = 0$ (the unregularised game) "
        r"they are $\pm i/2$; up to $\gamma = 1$ they travel along the circle of radius $1/2$ "
        r"(dotted) and meet at $-1/2$; then they split along the real axis. Right: the real part "
        r"of the slowest eigenvalue, the rate at which the slowest direction decays in "
        r"continuous time; it is most negative at $\gamma = 1$."
    ),
    alt="Left: a half circle of dots from plus i over two to minus i over two through minus one "
    "half, "
    "then two branches on the real axis. Right: a V-shaped curve with its lowest point at gamma "
    "equal to one.",
)
def draw_dirac_r1_eigenvalues(results):
    r = results["dirac_eigenvalues"]
    gammas, values, closed = r.arrays["gammas"], r.arrays["eigenvalues"], r.arrays["closed_form"]
    fig, _ = new_figure(width=7.6, height=3.0)
    fig.clear()
    left, right = fig.subplots(1, 2, width_ratios=[3, 2])
    turn = np.linspace(0, 2 * np.pi, 200)
    left.plot(0.5 * np.cos(turn), 0.5 * np.sin(turn), ":", color=COLORS["neutral"], lw=0.9)
    for k in range(2):
        left.plot(closed[:, k].real, closed[:, k].imag, color=COLORS["theory"], lw=1.2, zorder=1)
        every = max(1, len(gammas) // 40)  # about 40 dots per branch
        dots = left.scatter(
            values[::every, k].real,
            values[::every, k].imag,
            c=gammas[::every],
            cmap="viridis",
            s=14,
            zorder=2,
        )
    fig.colorbar(dots, ax=left, label=r"$\gamma$", shrink=0.8, pad=0.02)
    left.axhline(0.0, color=COLORS["neutral"], lw=0.6)
    left.axvline(0.0, color=COLORS["neutral"], lw=0.6)
    left.set_xlim(-2.05, 0.25)
    left.set_ylim(-0.7, 0.7)
    left.set_aspect("equal")
    left.set_xlabel(r"$\mathrm{Re}\,\nu$")
    left.set_ylabel(r"$\mathrm{Im}\,\nu$")
    right.plot(gammas, r.arrays["slowest"], color=COLORS["discriminator"])
    right.axvline(1.0, color=COLORS["neutral"], lw=0.8, ls=":")
    right.set_xlabel(r"R1 weight $\gamma$")
    right.set_ylabel(r"$\max\ \mathrm{Re}\,\nu$")
    return fig


@figure(
    "dirac_wgan_gp_stall",
    experiments=("dirac_wgan_gp_stall",),
    caption=(
        r"The generator's position $\theta_k$ under simultaneous steps of the WGAN-GP game with "
        r"the literal penalty $\lambda(|\psi| - 1)^2$, for several $\lambda$, from "
        r"$(\theta, \psi)$ = ({dirac_wgan_gp_stall.start_theta:g}, "
        r"{dirac_wgan_gp_stall.start_psi:g}), with step size $\eta$ = {dirac_wgan_gp_stall.lr:g}. "
        r"For "
        r"$\lambda \ge 1$ it walks past the data at $0$ and stops at $-2\lambda$ (dotted lines); "
        r"for $\lambda = 0.5$ it never settles."
    ),
    alt="Curves of theta against step: one oscillates around zero and never settles; the "
    "others descend smoothly and level off at minus twice their lambda, each at its own dotted "
    "line.",
)
def draw_dirac_wgan_gp_stall(results):
    r = results["dirac_wgan_gp_stall"]
    lams, paths = r.arrays["lams"], r.arrays["paths"]
    palette = [COLORS["saturating"], COLORS["fake"], COLORS["real"], COLORS["discriminator"]]
    fig, ax = new_figure(width=6.4, height=3.0)
    for lam, path, color in zip(lams, paths, palette, strict=False):
        ax.plot(path[:, 0], color=color, label=rf"$\lambda = {lam:g}$")
        if lam >= 1:
            ax.axhline(-2 * lam, color=color, lw=0.8, ls=":")
    ax.axhline(0.0, color="black", lw=0.6)
    ax.set_xlabel("step $k$")
    ax.set_ylabel(r"$\theta_k$")
    ax.legend(frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig
