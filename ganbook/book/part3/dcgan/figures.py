r"""Figures of "DCGAN on real digits": the layer table, every member's digits, and the copying test.

Digits are ink on paper (value 1 dark, −1 light, the ``Greys`` map on the fixed range [−1, 1]);
each panel is one image made by tiling, and the image figures are PNG. The layer table is drawn
from the shapes that the experiment read off a forward pass, not from the code's comments.
"""

from __future__ import annotations

import numpy as np

from ganbook.book.part3.dcgan.experiments import LAYER_KINDS
from ganbook.engine.figures import figure
from ganbook.figures.images import ink, mosaic
from ganbook.figures.plotting import discriminator_bands
from ganbook.figures.style import COLORS, new_figure


def shape_text(channels: int, side: int) -> str:
    r"""A feature shape as the table prints it: ``C × H × W``, or ``C`` for a flat vector."""
    return f"{channels} × {side} × {side}" if side else f"{channels}"


def table_rows(layers: np.ndarray) -> list[list[str]]:
    r"""The printed rows of a layer table: layer, input, output, kernel / stride / padding."""
    rows = []
    for kind, c_in, s_in, c_out, s_out, k, s, p in layers:
        geometry = f"{k} / {s} / {p}" if LAYER_KINDS[kind].startswith("Conv") else ""
        rows.append([LAYER_KINDS[kind], shape_text(c_in, s_in), shape_text(c_out, s_out), geometry])
    return rows


@figure(
    "dcgan_layers",
    experiments=("dcgan",),
    caption=(
        r"The two networks layer by layer, with the shapes of one example read from a forward "
        r"pass through hooks on every layer (batch dimension left out): the generator with a "
        r"{dcgan.latent_dim}-dimensional latent and base width {dcgan.channels}, the "
        r"discriminator with batch norm. Kernel, stride and padding are the layers' own; for all "
        r"{dcgan.convs_checked} convolutions the output side equals the formula's "
        r"({dcgan.convs_matching} of {dcgan.convs_checked})."
    ),
    alt="Two tables. The generator's {dcgan.g_layers_count} layers take the "
    "{dcgan.latent_dim}-dimensional latent as a one-pixel map and grow it through transposed "
    "convolutions, each after the first doubling the side, into a single-channel image, with "
    "batch norm and ReLU between them and tanh at the end. The discriminator's "
    "{dcgan.d_layers_count} layers halve the side with each strided convolution, with LeakyReLU, "
    "then flatten the last map into one linear output.",
)
def draw_dcgan_layers(results):
    a = results["dcgan"].arrays
    tables = (("generator", a["g_layers"]), ("discriminator", a["d_layers"]))
    heights = [len(t) + 1 for _, t in tables]
    fig, axes = new_figure(1, 2, width=6.4, height=0.24 * sum(heights) + 0.9)
    header = ["layer", "input", "output", "k / s / p"]
    for ax, (title, layers) in zip(axes, tables, strict=True):
        ax.set_axis_off()
        table = ax.table(cellText=table_rows(layers), colLabels=header, loc="center",
                         cellLoc="left", colWidths=[0.3, 0.25, 0.25, 0.2])  # fmt: skip
        table.auto_set_font_size(False)
        table.set_fontsize(8)
        for (row, _), cell in table.get_celld().items():
            cell.set_edgecolor("#bbbbbb")
            cell.set_linewidth(0.5)
            if row == 0:
                cell.set_text_props(weight="bold")
        ax.set_title(title, fontsize=9)
    return fig


@figure(
    "dcgan_samples",
    experiments=("dcgan",),
    format="png",
    caption=(
        r"Left: {dcgan.grid} training digits. Then every member of the ensemble "
        r"({dcgan.members} seeds) after {dcgan.steps:,} generator steps of batch "
        r"{dcgan.batch_size}: the first {dcgan.grid} of its {dcgan.eval_samples} evaluation "
        r"samples, generator in eval mode, one panel per member."
    ),
    alt="Panels of small grey digit images: first real handwritten digits, then the samples "
    "of each of the {dcgan.members} trained generators, every panel a grid of recognisable, "
    "slightly blurry digits of many classes.",
)
def draw_dcgan_samples(results):
    a = results["dcgan"].arrays
    finals, grid = a["final_samples"], len(a["real"])
    side = int(np.sqrt(grid))
    panels = len(finals) + 1
    cols = min(panels, 6)
    rows = -(-panels // cols)
    fig, axes = new_figure(cols, rows, width=1.3 * cols, height=1.45 * rows)
    axes = np.atleast_1d(axes).ravel()
    ink(axes[0], mosaic(a["real"], side), "training digits")
    for k, ax in enumerate(axes[1:panels]):
        ink(ax, mosaic(finals[k][:grid], side), f"member {k}")
    for ax in axes[panels:]:
        ax.set_axis_off()
    return fig


@figure(
    "dcgan_over_training",
    experiments=("dcgan",),
    format="png",
    caption=(
        r"The same {dcgan.grid} latents ($8 \times 8$) through the training of member "
        r"{dcgan.shown_member}, the median member by median nearest-neighbour distance, at the "
        r"steps written above each panel (the first panel is the untrained generator; "
        r"snapshots are taken in training mode, so batch norm uses the grid's own statistics)."
    ),
    alt="A row of grids of the same {dcgan.grid} latents at successive steps: grey noise at the "
    "start, then rough digit shapes, then digits that keep their place in the grid and sharpen.",
)
def draw_dcgan_over_training(results):
    r = results["dcgan"]
    a, k = r.arrays, r.scalars["shown_member"]
    steps, frames = a["snapshot_steps"], a["snapshots"][k]
    side = int(np.sqrt(frames.shape[1]))
    fig, axes = new_figure(len(steps), width=1.25 * len(steps), height=1.5)
    for ax, step, frame in zip(np.atleast_1d(axes), steps, frames, strict=True):
        ink(ax, mosaic(frame, side), f"step {int(step):,d}")
    return fig


@figure(
    "dcgan_interpolation",
    experiments=("dcgan",),
    format="png",
    caption=(
        r"A spherical interpolation between two fixed latents $z_0$ (left) and $z_1$ (right) in "
        r"{dcgan.interpolation_steps} equal steps of the angle, one row per member (each member "
        r"with its own pair), generator in eval mode."
    ),
    alt="{dcgan.members} rows of {dcgan.interpolation_steps} digit images; along each row one "
    "digit changes gradually into another, through intermediate shapes that are blurrier and "
    "only partly digit-like.",
)
def draw_dcgan_interpolation(results):
    paths = results["dcgan"].arrays["interpolation"]
    members, steps = paths.shape[:2]
    fig, ax = new_figure(width=0.5 * steps + 0.4, height=0.5 * members + 0.2)
    ink(ax, mosaic(paths.reshape(-1, *paths.shape[2:]), steps))
    return fig


@figure(
    "dcgan_nearest_neighbours",
    experiments=("dcgan",),
    caption=(
        r"Does the generator copy its training digits? For each image, the Euclidean pixel "
        r"distance to its nearest neighbour among the {dcgan.train_images:,} training digits: "
        r"the {dcgan.eval_samples} evaluation samples of each member (one outline each, "
        r"orange) and the {dcgan.heldout_images} held-out real digits (filled, blue), which no "
        r"model has seen. Dotted: the held-out digits' first percentile. A generator that copied "
        r"would pile up at zero distance."
    ),
    alt="Overlaid histograms of nearest-neighbour distance. The held-out real digits spread "
    "around a median of {dcgan.heldout_nn_median:.1f}; every member's generated digits spread "
    "around medians from {dcgan.nn_median_min:.1f} to {dcgan.nn_median_max:.1f}, and none "
    "piles up near zero.",
)
def draw_dcgan_nearest_neighbours(results):
    r = results["dcgan"]
    a, s = r.arrays, r.scalars
    top = max(a["sample_nn"].max(), a["heldout_nn"].max())
    bins = np.linspace(0.0, top * 1.02, 41)
    fig, ax = new_figure(width=5.6, height=2.8)
    ax.hist(a["heldout_nn"], bins=bins, density=True, color=COLORS["real"], alpha=0.35,
            label=f"held-out real ({s['heldout_images']})")  # fmt: skip
    for k, distances in enumerate(a["sample_nn"]):
        label = f"generated, {s['members']} members" if k == 0 else None
        ax.hist(distances, bins=bins, density=True, histtype="step", color=COLORS["fake"],
                lw=1.0, alpha=0.8, label=label)  # fmt: skip
    ax.axvline(s["heldout_nn_q01"], color=COLORS["neutral"], ls=":", lw=1.0)
    ax.set_xlim(0.0, bins[-1])
    ax.set_xlabel("distance to the nearest training digit (pixels, range [−1, 1])")
    ax.set_ylabel("density")
    ax.legend(frameon=False, fontsize=8)
    return fig


@figure(
    "dcgan_discriminator",
    experiments=("dcgan",),
    caption=(
        r"The discriminator's output over training, as a probability: the batch mean of "
        r"$\sigma(D(x))$ on real digits and of $\sigma(D(G(z)))$ on generated ones, at each "
        r"discriminator step. "
        r"Line: the median over the {dcgan.members} members of a running mean over "
        r"{dcgan.tail_steps} steps; band: the smallest to the largest member."
    ),
    alt="Two bands over training steps. Both start near one half; the real one rises towards "
    "{dcgan.d_real_final_median:.2f} and the generated one falls towards "
    "{dcgan.d_fake_final_median:.2f}, without reaching certainty either way.",
)
def draw_dcgan_discriminator(results):
    return discriminator_bands(results["dcgan"])
