r"""Figures of "What a GAN is" and "The discriminator is a classifier", and the landing figure.

All of them draw from the build-time seed ensemble on the ring of 8 Gaussians (`ring_run`), except
the cross-entropy curves (`bce_terms`). The figures of one run show the ensemble's
``shown_member`` (`member_arrays`); `ring_run_coverage` shows every member.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap

from ganbook.figures.registry import figure
from ganbook.figures.style import COLORS, new_figure

LIMIT = 2.0  # every ring panel shows [-2, 2]², the ring has radius 1.41
MODE_COLORS = [
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#444444",
]
OFF_MODE = "#DDDDDD"


def ring_axes(ax, *, frame: bool = True) -> None:
    r"""Square ``[-2, 2]²`` axes without ticks: the plane of the ring, nothing else."""
    ax.set_xlim(-LIMIT, LIMIT)
    ax.set_ylim(-LIMIT, LIMIT)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(frame)
        spine.set_color("#BBBBBB")


def scatter(ax, points: np.ndarray, color: str, *, size: float = 2.0, alpha: float = 0.5, **kw):
    r"""A light, rasterised scatter of (N, 2) points, so that the SVG stays small."""
    ax.scatter(*points.T, s=size, color=color, alpha=alpha, lw=0, rasterized=True, **kw)


def _member(result, member: int | None) -> int | None:
    r"""The member to draw: ``member``, else the shown one of an ensemble, else None (one run)."""
    if member is not None:
        return member
    if result.arrays["snapshots"].ndim == 4:  # (members, snapshots, samples, 2)
        return int(result.scalars["shown_member"])
    return None


PER_MEMBER = (
    "snapshots",
    "coverage",
    "d_grid",
    "latent_grid_mode",
    "latent_grid_on_mode",
    "latent_z",
    "latent_x",
    "latent_mode",
    "latent_on_mode",
)
r"""The arrays of `ring_run` with a leading member axis that the figures of one run draw."""


def member_arrays(result, member: int | None = None) -> dict[str, np.ndarray]:
    r"""The arrays of one run: ``member``'s slice of an ensemble's per-member arrays.

    ``member`` defaults to the ensemble's ``shown_member``; a result of one run is returned as is.
    """
    k = _member(result, member)
    if k is None:
        return result.arrays
    return {key: value[k] if key in PER_MEMBER else value for key, value in result.arrays.items()}


def snapshot_at(result, step: int, member: int | None = None) -> np.ndarray:
    r"""The generated samples of the snapshot taken at ``step`` (of ``member`` in an ensemble)."""
    index = int(np.flatnonzero(result.arrays["snapshot_steps"] == step)[0])
    return member_arrays(result, member)["snapshots"][index]


def coverage_at(result, step: int, member: int | None = None) -> int:
    r"""How many modes the snapshot at ``step`` covers (of ``member`` in an ensemble)."""
    index = int(np.flatnonzero(result.arrays["snapshot_steps"] == step)[0])
    return int(member_arrays(result, member)["coverage"][index])


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
    experiments=("ring_run",),
    caption=(
        r"How a trained generator folds the plane (" + SHOWN + r"). Left: the latent plane, "
        r"$z \sim N(0, I)$, each point and the background coloured by the mode nearest to its "
        r"image $G(z)$; grey where $G(z)$ lands more than $3\sigma$ from every mode. Right: the "
        r"images $G(z)$ in the same colours. $G$ cuts the plane into wedges and squeezes each "
        r"onto a mode. The wedges are of unequal width, and the grey seams between them are the "
        r"bridges between modes."
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


@figure(
    "ring_run_discriminator",
    experiments=("ring_run",),
    caption=(
        r"The discriminator of the same run, $D(x) = \sigma(\ell(x))$, over the plane at four "
        r"steps (blue: $D$ says real; red: $D$ says generated; the black line is "
        r"$D = \tfrac12$), with the real samples (dark dots) and the generator's samples at that "
        r"step (white dots). Early on $D$ is a broad slope, undecided over much of the square. "
        r"At the end it is lowest on the bridges and in the centre, where there are fakes and no "
        r"real data, and rises above $\tfrac12$ near the modes; in "
        r"{ring_run.members_islands_underfilled} of the {ring_run.members} runs it is highest at "
        r"the modes that hold the fewest generated samples."
    ),
    alt="Four heat maps of the discriminator's output over the plane with real and generated "
    "points on top; the boundary between the blue and red regions follows the generated "
    "points as they move onto the ring, and ends around blue regions at the modes.",
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
