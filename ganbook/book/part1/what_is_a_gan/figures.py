r"""Figures of "What a GAN is" and "The discriminator is a classifier", and the landing figure.

All of them draw from the build-time seed ensemble on the ring of 8 Gaussians (`ring_run`), except
the cross-entropy curves (`bce_terms`). The figures of one run show the ensemble's
``shown_member`` (`member_arrays`); `ring_run_coverage` shows every member.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap

from ganbook.engine.figures import figure
from ganbook.figures.plotting import (
    MODE_COLORS,
    OFF_MODE,
    coverage_at,
    member_arrays,
    ring_axes,
    scatter,
    snapshot_at,
)
from ganbook.figures.style import COLORS, new_figure

SHOWN = (
    r"the median of the {ring_run.members} runs of the ensemble by the share of its final samples "
    r"within $3\sigma$ of a mode"
)


@figure(
    "landing_ring",
    experiments=("ring_run",),
    caption=(
        r"What a GAN makes. Left: samples of the real data, a ring of eight Gaussians. Right: what "
        r"the generator $G$ makes from the same fixed noise $z$ at four moments of a training "
        r"run made when this site was built (" + SHOWN + r"): a small blob, a cloud spread over "
        r"the plane, and samples gathered on the ring."
    ),
    alt="Five square panels: blue points on a ring of eight clusters, then orange generated "
    "points that start as a small blob, spread across the plane and settle on the ring.",
)
def draw_landing_ring(results):
    r = results["ring_run"]
    steps = [0, *r.arrays["panels"][1:].tolist()]
    fig, axes = new_figure(len(steps) + 1, width=8.0, height=2.0)
    scatter(axes[0], r.arrays["real"], COLORS["real"], size=5.0, alpha=0.6)
    axes[0].set_title("real data", color=COLORS["real"])
    for ax, step in zip(axes[1:], steps, strict=True):
        scatter(ax, snapshot_at(r, int(step)), COLORS["fake"], size=3.0, alpha=0.5)
        ax.set_title(f"$G(z)$, step {int(step):,d}", color=COLORS["fake"])
    for ax in axes:
        ring_axes(ax)
    return fig


@figure(
    "ring_run_samples",
    experiments=("ring_run",),
    caption=(
        r"One training run on the ring of eight Gaussians, made at build time (" + SHOWN + r"): "
        r"real samples (blue) and the generator's samples $G(z)$ for the same fixed latents $z$ "
        r"(orange) at five steps. Above each panel, how many of the eight modes the samples "
        r"cover (at least twenty samples within $3\sigma$ of the centre). Notice that $G$ never "
        r"jumps between modes: thin bridges of samples join them."
    ),
    alt="Five panels. Generated points start as a small blob near the centre, spread across "
    "the plane and end on a ring through the real clusters, joined by thin bridges.",
)
def draw_ring_run_samples(results):
    r = results["ring_run"]
    steps = [0, *r.arrays["panels"].tolist()]
    fig, axes = new_figure(len(steps), width=8.0, height=2.2)
    for ax, step in zip(axes, steps, strict=True):
        scatter(ax, r.arrays["real"], COLORS["real"], size=3.0, alpha=0.6)
        scatter(ax, snapshot_at(r, int(step)), COLORS["fake"], alpha=0.35)
        ax.set_title(f"step {int(step):,d}\n{coverage_at(r, int(step))}/8 modes")
        ring_axes(ax)
    return fig


@figure(
    "ring_run_coverage",
    experiments=("ring_run",),
    caption=(
        r"Every run of the ensemble, {ring_run.members} seeds. Left: how many of the eight modes "
        r"the samples cover at each snapshot; orange, the run shown in the other figures; grey, "
        r"the others, drawn slightly apart so that equal counts stay visible. Right: for each run "
        r"at the end, the share of its latent cloud that $G$ sends within $3\sigma$ of each mode, "
        r"one dot per mode; the dashed line is the real data's share, $1/8$. The number of "
        r"covered modes differs from run to run, and a covered mode can hold far less than its "
        r"share."
    ),
    alt="Two panels. Left, one line per run rising from no covered mode to between "
    "{ring_run.modes_final_min} and {ring_run.modes_final_max} modes, some with dips on the way. "
    "Right, for each run, eight dots spread from near zero to about the dashed line at one "
    "eighth.",
)
def draw_ring_run_coverage(results):
    r = results["ring_run"]
    a, shown = r.arrays, int(r.scalars["shown_member"])
    count = a["coverage"].shape[0]
    fig, (left, right) = new_figure(2, width=7.6, height=3.0)
    offsets = np.linspace(-0.15, 0.15, count)  # keep equal counts apart
    for k in range(count):
        color, width, z = (COLORS["fake"], 2.0, 3) if k == shown else (COLORS["neutral"], 1.0, 2)
        left.plot(
            a["snapshot_steps"],
            a["coverage"][k] + offsets[k],
            color=color,
            lw=width,
            zorder=z,
            alpha=0.9 if k == shown else 0.6,
        )
        x = np.full(a["latent_share"].shape[1], k + 1)
        right.scatter(x, a["latent_share"][k], s=16, color=color, lw=0, zorder=z)
    left.set_xlabel("generator step")
    left.set_ylabel("modes covered")
    left.set_yticks(range(0, 9, 2))
    left.set_ylim(-0.5, 8.5)
    right.axhline(1 / 8, color=COLORS["real"], ls="--", lw=1.0)
    right.annotate(
        "data: $1/8$", (count + 0.4, 1 / 8), va="bottom", ha="right", color=COLORS["real"]
    )
    right.set_xticks(range(1, count + 1))
    right.set_xlim(0.4, count + 0.6)
    right.set_xlabel("run")
    right.set_ylabel("share of the latent cloud per mode")
    return fig


@figure(
    "ring_run_latent",
    experiments=("ring_run", "ring_run_mode_shares"),
    caption=(
        r"How a trained generator folds the plane (" + SHOWN + r"). Left: the latent plane, "
        r"$z \sim N(0, I)$, each point and the background coloured by the mode nearest to its "
        r"image $G(z)$; grey where $G(z)$ lands more than $3\sigma$ from every mode. Right: the "
        r"images $G(z)$ in the same colours. $G$ cuts the plane into wedges and squeezes each "
        r"onto a mode. The wedges are far from equal: in this run the modes receive from "
        r"{ring_run_mode_shares.shown_smallest:.1%} to {ring_run_mode_shares.shown_largest:.1%} "
        r"of the samples, where the data give each {ring_run_mode_shares.uniform_share:.1%}, so "
        r"the thinnest wedges are needles. The grey seams between the wedges are the bridges "
        r"between modes."
    ),
    alt="Two panels. Left, a cloud of latent points over a plane divided into coloured "
    "wedges of unequal width separated by grey seams. Right, the same points after the "
    "generator, tight coloured clusters on a ring joined by grey bridges.",
)
def draw_ring_run_latent(results):
    r = results["ring_run"]
    a = member_arrays(r)
    colors = np.array(MODE_COLORS)
    fig, (left, right) = new_figure(2, width=6.8, height=3.4)
    axis = a["latent_axis"]
    background = np.where(a["latent_grid_on_mode"], a["latent_grid_mode"], len(MODE_COLORS))
    left.imshow(
        background,
        origin="lower",
        extent=(axis[0], axis[-1], axis[0], axis[-1]),
        cmap=ListedColormap([*MODE_COLORS, OFF_MODE]),
        vmin=-0.5,
        vmax=len(MODE_COLORS) + 0.5,
        alpha=0.35,
        interpolation="nearest",
    )
    point_colors = colors[a["latent_mode"].astype(int)]
    on_mode = a["latent_on_mode"]
    shown = np.arange(len(on_mode)) < 1500
    for ax, points, size in ((left, a["latent_z"], 3.0), (right, a["latent_x"], 10.0)):
        off = shown & ~on_mode  # grey first, so that the coloured points stay on top
        ax.scatter(*points[off].T, s=3.0, c="#999999", lw=0, rasterized=True)
        on = shown & on_mode
        ax.scatter(*points[on].T, s=size, c=point_colors[on], lw=0, rasterized=True)
    left.set_xlim(axis[0], axis[-1])
    left.set_ylim(axis[0], axis[-1])
    left.set_aspect("equal")
    left.grid(False)
    left.set_title(r"latent plane: $z \sim N(0, I)$")
    left.set_xlabel("$z_1$")
    left.set_ylabel("$z_2$")
    ring_axes(right)
    right.set_title(r"data plane: $G(z)$")
    return fig
