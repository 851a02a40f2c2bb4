r"""Figures of "StyleGAN's generator": samples, truncation, style mixing and the per-layer noise.

Digits are ink on paper, as in the DCGAN chapter (`ganbook.figures.images.ink`); the
image figures are PNG. The truncation curve is drawn from the measures the experiment took
through the book's digit classifier, one line per quantity: the median member, with the band
from the smallest to the largest member.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.figures import figure
from ganbook.figures.images import ink, mosaic
from ganbook.figures.plotting import discriminator_bands, ensemble_band
from ganbook.figures.style import COLORS, new_figure, pyplot


@figure(
    "stylegan_samples",
    experiments=("stylegan",),
    format="png",
    caption=(
        r"Every member of the ensemble ({stylegan.members} seeds) after {stylegan.steps:,} "
        r"generator steps of batch {stylegan.batch_size}: the first {stylegan.shown_samples} "
        r"of its evaluation latents, without truncation, with per-layer noise. One panel per "
        r"member."
    ),
    alt="{stylegan.members} panels of small grey digit images from the trained style-based "
    "generators, each panel a grid of digits of several classes.",
)
def draw_stylegan_samples(results):
    finals = results["stylegan"].arrays["final_samples"]
    fig, axes = new_figure(len(finals), width=2.2 * len(finals), height=1.35)
    for k, ax in enumerate(np.atleast_1d(axes)):
        ink(ax, mosaic(finals[k], 8), f"member {k}")  # 8 a row
    return fig


@figure(
    "stylegan_truncation_grid",
    experiments=("stylegan",),
    format="png",
    caption=(
        r"The truncation trick on member {stylegan.shown_member} (the median member by the "
        r"Fréchet distance without truncation): each row is one latent, each column one "
        r"$\psi$, from no truncation (left) to every latent replaced by the mean $\bar w$ "
        r"(right), with the same noise draw at every $\psi$."
    ),
    alt="A grid of digit images: along each row one digit drifts, as psi falls, towards "
    "one and the same average digit in the right-most column.",
)
def draw_stylegan_truncation_grid(results):
    r = results["stylegan"]
    examples = r.arrays["truncation_examples"][r.scalars["shown_member"]]  # (ψ, n, 16, 16)
    psis = r.arrays["psis"]
    columns = examples.transpose(1, 0, 2, 3)  # (n, ψ, 16, 16): a row per latent
    fig, ax = new_figure(width=0.45 * len(psis) + 0.4, height=0.45 * len(columns) + 0.45)
    ink(ax, mosaic(columns.reshape(-1, *columns.shape[2:]), len(psis)))
    ax.set_axis_on()
    ax.set_xticks([k * 17 + 7.5 for k in range(len(psis))], [f"{p:g}" for p in psis])
    ax.set_yticks([])
    ax.tick_params(length=0, labelsize=7)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.grid(False)
    ax.set_xlabel(r"$\psi$")
    return fig


@figure(
    "stylegan_truncation_curve",
    experiments=("stylegan",),
    caption=(
        r"Quality against diversity as $\psi$ falls, measured through the book's digit "
        r"classifier on {stylegan.eval_samples} samples per member and $\psi$, the same latents "
        r"and noise at every $\psi$. Left: precision (the share of samples inside the real "
        r"digits' $k$-NN balls, $k = {stylegan.k}$) and recall (the share of real digits inside "
        r"the samples' balls). Right: the median Fréchet distance over {stylegan.resamples} "
        r"draws of {stylegan.sample_size} images. Lines: the median member; bands: the smallest "
        r"to the largest of the {stylegan.members} members; dotted: the held-out real digits "
        r"measured the same way."
    ),
    alt="Two panels against psi, falling from left to right. Precision stays nearly level "
    "down to psi = {stylegan.psi_low} while recall falls, towards zero at the right end; the "
    "Fréchet distance, above the real-digit floor even without truncation, grows steeply as "
    "psi approaches zero.",
)
def draw_stylegan_truncation_curve(results):
    r = results["stylegan"]
    a, s = r.arrays, r.scalars
    psis = a["psis"]
    fig, (left, right) = new_figure(2, width=6.4, height=2.8)
    ensemble_band(left, psis, a["precision"], COLORS["fake"], "precision")
    ensemble_band(left, psis, a["recall"], COLORS["real"], "recall")
    left.axhline(s["floor_precision"], color=COLORS["fake"], ls=":", lw=1.0)
    left.axhline(s["floor_recall"], color=COLORS["real"], ls=":", lw=1.0)
    left.set_ylim(0, 1.02)
    left.set_ylabel("share")
    left.legend(frameon=False, fontsize=8, loc="center left")
    ensemble_band(right, psis, a["fd_median"], COLORS["neutral"], "generated", log=True)
    right.axhline(s["floor_fd_median"], color=COLORS["real"], ls=":", lw=1.0, label="held-out")
    right.set_ylabel("Fréchet distance")
    right.legend(frameon=False, fontsize=8)
    for ax in (left, right):
        ax.set_xlim(1.0, 0.0)  # truncation grows to the right
        ax.set_xlabel(r"$\psi$")
    return fig


@figure(
    "stylegan_mixing",
    experiments=("stylegan",),
    format="png",
    caption=(
        r"Style mixing in member {stylegan.shown_member}. Left column: {stylegan.mix_rows} "
        r"digits whose $w$ drives the coarse layers (the {stylegan.coarse_layers} convolutions "
        r"at $4 \times 4$ and $8 \times 8$); top row: {stylegan.mix_cols} digits whose $w$ drives "
        r"the fine ones ($16 \times 16$ and toRGB). Every inner image takes its coarse styles "
        r"from its row and its fine styles from its column; all images share one noise draw."
    ),
    alt="A grid of digits with a header row and a header column. In some rows the inner "
    "digits keep the layout and class of the row's digit while stroke weight and ink vary "
    "from column to column; in others the mixes are smudged shapes of neither source.",
)
def draw_stylegan_mixing(results):
    r = results["stylegan"]
    k = r.scalars["shown_member"]
    grid, rows, cols = (r.arrays[n][k] for n in ("mix_grid", "mix_rows", "mix_cols"))
    blank = np.full(rows.shape[1:], np.nan)
    tiles = [blank, *cols]
    for row, mixes in zip(rows, grid, strict=True):
        tiles += [row, *mixes]
    picture = mosaic(np.nan_to_num(np.stack(tiles), nan=-1.0), len(cols) + 1)
    fig, ax = new_figure(width=0.55 * (len(cols) + 1) + 0.3, height=0.55 * (len(rows) + 1) + 0.3)
    ink(ax, picture)
    h = rows.shape[-1] + 1
    ax.axhline(h - 1, color=COLORS["fake"], lw=1.2)
    ax.axvline(h - 1, color=COLORS["fake"], lw=1.2)
    ax.set_axis_on()
    ax.set_xticks([h * (c + 1) + 7.5 for c in range(len(cols))], ["fine"] * len(cols))
    ax.set_yticks([h * (r_ + 1) + 7.5 for r_ in range(len(rows))], ["coarse"] * len(rows))
    ax.tick_params(length=0, labelsize=7)
    ax.xaxis.set_ticks_position("top")
    for side in ax.spines.values():
        side.set_visible(False)
    ax.grid(False)
    return fig


@figure(
    "stylegan_noise",
    experiments=("stylegan",),
    format="png",
    caption=(
        r"What the per-layer noise does, in member {stylegan.shown_member}: each row keeps one "
        r"latent's styles and redraws the noise {stylegan.noise_draws} times. Right: the "
        r"per-pixel standard deviation across the draws of the first row, on its own colour "
        r"scale (white: no change), which shows where the noise acts."
    ),
    alt="Rows of near-identical digit images, one row per latent, and a small heat map of "
    "how much each pixel of the first row changes between noise draws.",
)
def draw_stylegan_noise(results):
    r = results["stylegan"]
    k = r.scalars["shown_member"]
    examples = r.arrays["noise_examples"][k]  # (latents, draws, 16, 16)
    std_map = r.arrays["noise_std_map"][k]
    latents, draws = examples.shape[:2]
    fig, (left, right) = pyplot().subplots(
        1, 2, figsize=(0.5 * draws + 1.8, 0.5 * latents + 0.5), layout="constrained",
        width_ratios=[draws, 2.4],
    )  # fmt: skip
    ink(left, mosaic(examples.reshape(-1, *examples.shape[2:]), draws))
    shown = right.imshow(std_map, cmap="Oranges", vmin=0.0, interpolation="nearest")
    right.set_axis_off()
    right.set_title("pixel std", fontsize=8)
    fig.colorbar(shown, ax=right, shrink=0.7)
    return fig


@figure(
    "stylegan_discriminator",
    experiments=("stylegan",),
    caption=(
        r"The discriminator's output over training, as a probability: the batch mean of "
        r"$\sigma(D(x))$ on real digits and of $\sigma(D(G(z)))$ on generated ones. "
        r"Line: the median over the {stylegan.members} members of a running mean over "
        r"{stylegan.tail_steps} steps; band: the smallest to the largest member."
    ),
    alt="Two bands over training steps that separate early and then stay apart, the real one "
    "near {stylegan.d_real_final_median:.2f} and the generated one near "
    "{stylegan.d_fake_final_median:.2f} at the end.",
)
def draw_stylegan_discriminator(results):
    return discriminator_bands(results["stylegan"])
