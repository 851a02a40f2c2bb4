r"""Plot helpers that several chapters share: the ring's axes and colours, members of an ensemble.

Besides running means and animation frames: the panels and bands with which the saturation and
least-squares chapters compare losses on the ring, and the sample panels and $W_1$ curves with
which the WGAN and WGAN-GP chapters follow their critics. A chapter's figures import these and
the style (`ganbook.figures.style`); never another chapter.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ganbook.data import eight_gaussians_centres
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


def moving_average(values: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Centred running mean of ``values`` and the 1-based steps it belongs to."""
    window = max(1, min(window, len(values)))
    smooth = np.convolve(values, np.ones(window) / window, mode="valid")
    steps = np.arange(len(smooth)) + (window + 1) / 2
    return steps, smooth


def frame_figure(width: float, height: float, left: float, bottom: float):
    r"""One animation frame: the book's figure with fixed margins (inches) instead of a layout.

    Constrained layout would recompute the same margins for every frame, at most of the cost.
    """
    fig, ax = new_figure(width=width, height=height)
    fig.set_layout_engine("none")
    right, top = 0.15, 0.35  # inches kept free on the right and, for the title, on top
    ax.set_position(
        (left / width, bottom / height, 1 - (left + right) / width, 1 - (bottom + top) / height)
    )
    return fig, ax


def frame_indices(count: int, most: int = 40) -> np.ndarray:
    r"""At most ``most`` evenly spread indices into ``count`` snapshots, first and last kept."""
    return np.unique(np.linspace(0, count - 1, min(count, most)).round().astype(int))


# ---- losses compared on the ring, as seed ensembles (saturation, least squares) ----------------

SHORT = {"saturating": "saturating", "nonsaturating": "non-saturating", "ls": "least squares"}


LOSS_COLORS = {**COLORS, "ls": COLORS["discriminator"]}


def smooth(values: np.ndarray, width: int) -> np.ndarray:
    """Running mean over ``width`` steps (shorter at the start), for noisy per-step series."""
    width = max(1, min(width, len(values)))
    total = np.cumsum(np.insert(np.asarray(values, float), 0, 0.0))
    counts = np.minimum(np.arange(1, len(values) + 1), width)
    return (total[1:] - total[np.maximum(np.arange(1, len(values) + 1) - width, 0)]) / counts


def ring_panel(ax, samples: np.ndarray, color: str, title: str) -> None:
    """Generated points over the eight mode centres of the ring (open circles)."""
    centres = eight_gaussians_centres().numpy()
    ax.scatter(samples[:, 0], samples[:, 1], s=2, color=color, alpha=0.35, lw=0, rasterized=True)
    ax.scatter(centres[:, 0], centres[:, 1], s=30, facecolors="none", edgecolors="black", lw=0.7)
    ax.set_xlim(-2.2, 2.2)
    ax.set_ylim(-2.2, 2.2)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.set_title(title, fontsize=9)


def shared_thetas(first, second) -> np.ndarray:
    """The θ grid of two shift-toy results, which must be the same grid."""
    thetas = first.arrays["thetas"]
    if not np.allclose(thetas, second.arrays["thetas"]):
        raise ValueError("the two experiments use different θ grids")
    return thetas


def snapshot_steps_near(result, wanted) -> list[int]:
    """The snapshot steps of ``result`` closest to each step in ``wanted``."""
    steps = result.arrays["snapshot_steps"]
    return [int(steps[np.argmin(np.abs(steps - w))]) for w in wanted]


def snapshot_grid(fig_axes, runs, steps_to_show) -> None:
    """Rows of ring panels: one row per (result, key, member), one column per step shown."""
    for row, (result, key, member) in enumerate(runs):
        snapshot_steps = list(result.arrays["snapshot_steps"])
        for col, step in enumerate(steps_to_show):
            ax = fig_axes[row, col]
            samples = result.arrays[f"{key}_snapshots"][member, snapshot_steps.index(step)]
            ring_panel(ax, samples, LOSS_COLORS[key], f"step {step}" if row == 0 else "")
        fig_axes[row, 0].set_ylabel(SHORT[key])


def ensemble_band(ax, x, values, color, label, *, log=False, window=0, **style) -> None:
    """The median over members (line) and the smallest to the largest member (band).

    ``values`` has shape (members, len(x)); with ``window`` each member is first smoothed by a
    running mean over that many steps.
    """
    values = np.asarray(values, float)
    if window:
        values = np.stack([smooth(v, window) for v in values])
    low, mid, high = values.min(axis=0), np.median(values, axis=0), values.max(axis=0)
    ax.fill_between(x, low, high, color=color, alpha=0.2, lw=0)
    ax.plot(x, mid, color=color, label=label, **style)
    if log:
        ax.set_yscale("log")


# ---- critics examined over training, as seed ensembles (WGAN, WGAN-GP) -------------------------

CLIPPING = COLORS["nonsaturating"]  # the clipped runs, in every figure of both chapters


PENALTY = COLORS["discriminator"]  # the gradient-penalty runs


MEMBER_LW, MEMBER_ALPHA = 1.0, 0.55  # one thin line per member; the shown member is bold


def panel_steps(steps: np.ndarray, count: int) -> list[int]:
    r"""``count`` snapshot steps spread over the run: the first, the last and even ones between."""
    picks = np.unique(np.linspace(0, len(steps) - 1, count).round().astype(int))
    return [int(steps[i]) for i in picks]


def member_snapshot(result, member: int, step: int) -> np.ndarray:
    r"""Member ``member``'s fixed-latent samples at snapshot step ``step``, shape (S, 2)."""
    index = int(np.flatnonzero(result.arrays["snapshot_steps"] == step)[0])
    return result.arrays["snapshots"][member, index]


def samples_over_training(result, color: str, title: str):
    r"""Top: the real ring, then the shown member's snapshots; bottom: every member at the end."""
    a, s = result.arrays, result.scalars
    shown, members = s["shown_member"], s["members"]
    steps = panel_steps(a["snapshot_steps"], 5)
    fig = plt.figure(figsize=(8.0, 3.9), layout="constrained")
    top, bottom = fig.subfigures(2, 1)
    axes = top.subplots(1, len(steps) + 1)
    scatter(axes[0], a["real"], COLORS["real"], size=5.0, alpha=0.6)
    axes[0].set_title("real data", color=COLORS["real"])
    for ax, step in zip(axes[1:], steps, strict=True):
        scatter(ax, member_snapshot(result, shown, step), color, size=3.0, alpha=0.5)
        ax.set_title(f"step {step:,d}")
    top.suptitle(f"{title}: member {shown} (the median by final $W_1$)", fontsize=10)
    finals = bottom.subplots(1, max(members, len(steps) + 1))
    last = int(a["snapshot_steps"][-1])
    for k, ax in enumerate(finals):
        if k >= members:
            ax.set_visible(False)
            continue
        scatter(ax, member_snapshot(result, k, last), color, size=2.0, alpha=0.5)
        ax.set_title(f"member {k}: $W_1$ {a['eval_w1'][k, -1]:.2f}", fontsize=8)
    bottom.suptitle(f"every member at step {last:,d}", fontsize=10)
    for ax in (*axes, *finals):
        ring_axes(ax)
    return fig


def plot_member_w1(ax, result, color: str, label: str) -> None:
    r"""Every member's exact $W_1$ at the evaluation steps: thin lines, the shown member bold."""
    a, shown = result.arrays, result.scalars["shown_member"]
    for k, curve in enumerate(a["eval_w1"]):
        bold = k == shown
        ax.plot(
            a["eval_step"],
            curve,
            "o-" if bold else "-",
            color=color,
            ms=3,
            lw=2.0 if bold else MEMBER_LW,
            alpha=1.0 if bold else MEMBER_ALPHA,
            label=label if bold else None,
        )


def plot_w1_floor(ax, result) -> None:
    r"""$W_1$ between two independent real samples of the same size: the estimator's floor."""
    ax.axhline(
        result.scalars["w1_floor"], color=COLORS["neutral"], lw=1.0, ls=":", label="real vs real"
    )


def discriminator_bands(result):
    r"""$\sigma(D(x))$ and $\sigma(D(G(z)))$ over training: median member and band, smoothed.

    ``result`` holds the trainer's ``d_real`` and ``d_fake`` per member and step, and the
    running-mean window ``tail_steps``; the StyleGAN chapter draws its run the same way.
    """
    a = result.arrays
    steps = np.arange(1, a["d_real"].shape[1] + 1)
    window = min(int(result.scalars["tail_steps"]), len(steps))
    fig, ax = new_figure(width=5.6, height=2.6)
    # the trainer records the batch means of σ(logit), probabilities already
    ensemble_band(ax, steps, a["d_real"], COLORS["real"], r"$\sigma(D(x))$", window=window)
    ensemble_band(ax, steps, a["d_fake"], COLORS["fake"], r"$\sigma(D(G(z)))$", window=window)
    ax.set_ylim(0, 1)
    ax.set_xlabel("step")
    ax.legend(frameon=False, fontsize=8)
    return fig
