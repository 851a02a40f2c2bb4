r"""Experiments of "StyleGAN's generator": a small StyleGAN2-style generator on the 16×16 digits.

``stylegan`` trains a seed ensemble of `ganbook.models.StyleGenerator` (mapping network,
learned constant, modulated and demodulated convolutions with per-layer noise) against a
`ganbook.models.DCGANDiscriminator` without batch norm, with StyleGAN2's loss: non-saturating
with a lazy R1 penalty on the real digits, and Adam with β = (0, 0.99). Through the book's digit
classifier (``needs=("digit_classifier",)``, the one the measuring chapter uses) each trained
member then gives:

- the truncation curve: the same latents and the same noise at every $\psi$, each set measured
  by precision and recall ($k$-NN balls in the classifier's features), the Fréchet distance to
  the training digits, and the classes it covers;
- style mixing: a grid whose rows give the coarse layers' $w$ and whose columns the fine layers',
  and over many random pairs, how often the mixed digit keeps the class of either source and how
  far, in pixels, it lies from each;
- the per-layer noise: the same styles under many noise draws, the pixel spread this causes
  beside the spread across latents, and how often the class survives a new draw.

This module does not draw.
"""

from __future__ import annotations

import numpy as np
import torch

from ganbook.data import load_digits_dataset
from ganbook.data.digits import sample_rows
from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.measures.digit_classifier import (
    classifier_features,
    classifier_from_parameters,
    classifier_predictions,
)
from ganbook.measures.protocol import class_measures, compare
from ganbook.measures.summaries import median_member, spread
from ganbook.models import DCGANDiscriminator, StyleGenerator
from ganbook.training import TrainConfig, train

PSIS = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0)
r"""The truncation levels $\psi$ of the curve, from none (1) to every image the mean's (0)."""

STYLEGAN = {
    "members": 3,
    "steps": 1500,  # generator updates of each member: what the build's time allows
    "batch_size": 64,
    "latent_dim": 32,
    "w_dim": 64,
    "channels": 32,  # feature maps at 4×4, 8×8 and 16×16
    "mapping_layers": 3,  # the paper's 8, cut for 16×16 digits
    "convs_per_resolution": 1,  # the paper's 2 halved: one modulated 3×3 per resolution
    "d_channels": 16,  # the discriminator's base width (DCGAN's, without batch norm)
    "lr": 2e-3,  # StyleGAN2's 0.002 (0.0025 at 1024²) for both players
    "beta1": 0.0,  # StyleGAN2's Adam: β = (0, 0.99)
    "beta2": 0.99,
    "r1_gamma": 0.1,  # γ of R1 on the real digits
    "r1_every": 4,  # lazy: R1 every 4th discriminator update, weighted by 4 (StyleGAN2's 16)
    "snapshot_every": 250,
    "grid": 64,  # the fixed 8×8 latent grid of the snapshots
    "eval_samples": 600,  # images per ψ per member
    "sample_size": 400,  # images per side of every comparison (at most the 597 held out)
    "resamples": 10,  # draws of each FD
    "pr_resamples": 10,  # draws of precision and recall, averaged
    "k": 3,  # neighbours of the k-NN balls
    "min_share": 0.25,  # a class is covered with a quarter of its uniform share
    "truncation_examples": 8,  # latents shown at every ψ
    "shown_samples": 32,  # untruncated samples of every member in the samples figure
    "mix_rows": 4,  # coarse sources of the style-mixing grid
    "mix_cols": 6,  # fine sources
    "mix_pairs": 400,  # random (coarse, fine) pairs for the mixing statistics
    "noise_latents": 200,  # latents whose noise is redrawn
    "noise_draws": 8,  # noise draws per latent
}
r"""The standard profile of ``stylegan``."""

STYLEGAN_TEST = {
    "members": 2,
    "steps": 4,
    "channels": 4,
    "d_channels": 4,
    "snapshot_every": 2,
    "sample_size": 150,
    "resamples": 2,
    "pr_resamples": 2,
    "mix_pairs": 40,
    "noise_latents": 20,
    "noise_draws": 2,
}
r"""``stylegan`` on the test profile: the shapes, not the outcome."""


def build_players(params, member: RunContext) -> tuple[StyleGenerator, DCGANDiscriminator]:
    r"""One member's players, each from its own stream; the generator's training noise too."""
    G = StyleGenerator(
        params["latent_dim"],
        params["w_dim"],
        params["channels"],
        params["mapping_layers"],
        convs_per_resolution=params["convs_per_resolution"],
        grouped=False,  # the scaling route: the same numbers, faster on a CPU
        noise_generator=member.stream("training-noise"),
        generator=member.stream("generator-init"),
    )
    D = DCGANDiscriminator(
        params["d_channels"], batch_norm=False, generator=member.stream("discriminator-init")
    )
    return G, D


# --8<-- [start:config]
def member_config(params, member: RunContext) -> TrainConfig:
    r"""StyleGAN2's recipe: non-saturating loss, lazy R1 on the reals, Adam with β = (0, 0.99)."""
    betas = (params["beta1"], params["beta2"])
    return TrainConfig.for_loss(
        "non-saturating",
        steps=params["steps"],
        batch_size=params["batch_size"],
        d_lr=params["lr"],
        g_lr=params["lr"],
        d_betas=betas,
        g_betas=betas,
        r1_gamma=params["r1_gamma"],  # (γ/2) E‖∇ₓ D(x)‖² on real digits
        r1_every=params["r1_every"],  # every k-th D update, weighted by k
        snapshot_every=params["snapshot_every"],
        snapshot_size=params["grid"],
        seed=member.stream_seed("train"),
        device=member.device.type,
    )


# --8<-- [end:config]


def render(G: StyleGenerator, styles: torch.Tensor, seed_stream: torch.Generator) -> torch.Tensor:
    r"""Images (N, 1, 16, 16) of per-layer styles, with noise from ``seed_stream``."""
    return G(styles, noise_generator=seed_stream)


def noise_stream(member: RunContext, name: str) -> torch.Generator:
    r"""A fresh noise stream of ``member``: the same name gives the same noise every time."""
    return member.stream(f"noise-{name}")


def render_one_noise(G: StyleGenerator, styles: torch.Tensor, member: RunContext, name: str):
    r"""Images of ``styles`` that all share one noise draw: one forward each, the stream fresh."""
    return torch.cat([render(G, row[None], noise_stream(member, name)) for row in styles])


@torch.no_grad()
def truncation_curve(G, clf, f_train, z, params, member: RunContext) -> dict[str, np.ndarray]:
    r"""Per $\psi$ of `PSIS`: FD draws, precision, recall, classes covered and KL of ``z``'s images.

    The same latents ``z`` and the same noise at every $\psi$, measured against the training
    digits' features ``f_train``; also the first ``truncation_examples`` images at each.
    """
    w = G.mapping(z)
    rows, examples = [], []
    for k, psi in enumerate(PSIS):
        x = render(G, G.broadcast(G.truncate(w, psi)), noise_stream(member, "truncation"))
        examples.append(x[: params["truncation_examples"]].squeeze(1).numpy())
        f_fake = np.asarray(classifier_features(clf, x), dtype=np.float64)
        rows.append(
            {
                **compare(f_fake, f_train, params, member.stream_seed(f"truncation-{k}")),
                **class_measures(classifier_predictions(clf, x), params),
            }
        )
    curve = {
        key: np.array([r[key] for r in rows])
        for key in ("fd", "precision", "recall", "coverage", "kl")
    }
    return {**curve, "examples": np.stack(examples)}  # examples: (ψ, n, 16, 16)


@torch.no_grad()
def mixing(G, clf, params, member: RunContext) -> dict[str, np.ndarray | float]:
    r"""Style mixing: a grid, and over random pairs how often the mix keeps either source's class.

    For a pair $(a, b)$ the mix takes $w_a$ in the coarse layers (4×4 and 8×8) and $w_b$ in the
    fine ones (16×16 and toRGB); the sources and the mix of a pair share one noise draw, and
    every image of the grid shares one. Only pairs whose sources the classifier puts in
    different classes count towards the shares.
    """
    z = torch.randn(params["mix_rows"] + params["mix_cols"], G.latent_dim,
                    generator=member.stream("mixing-grid"))  # fmt: skip
    w = G.mapping(z)
    rows, cols = w[: params["mix_rows"]], w[params["mix_rows"] :]
    coarse = rows.repeat_interleave(len(cols), dim=0)  # row r, column c at r * cols + c
    fine = cols.repeat(len(rows), 1)
    grid = render_one_noise(G, G.mix(coarse, fine), member, "mixing-grid")
    sources = render_one_noise(G, G.broadcast(w), member, "mixing-grid")

    n = params["mix_pairs"]
    wa = G.mapping(torch.randn(n, G.latent_dim, generator=member.stream("mixing-a")))
    wb = G.mapping(torch.randn(n, G.latent_dim, generator=member.stream("mixing-b")))
    xa = render(G, G.broadcast(wa), noise_stream(member, "mixing"))
    xb = render(G, G.broadcast(wb), noise_stream(member, "mixing"))
    xm = render(G, G.mix(wa, wb), noise_stream(member, "mixing"))
    ya, yb, ym = (classifier_predictions(clf, x) for x in (xa, xb, xm))
    differ = ya != yb
    return {
        "grid": grid.squeeze(1).reshape(len(rows), len(cols), 16, 16).numpy(),
        "grid_rows": sources[: len(rows)].squeeze(1).numpy(),
        "grid_cols": sources[len(rows) :].squeeze(1).numpy(),
        "pairs_differing": float(differ.mean()),
        "keeps_coarse": float((ym == ya)[differ].mean()) if differ.any() else float("nan"),
        "keeps_fine": float((ym == yb)[differ].mean()) if differ.any() else float("nan"),
        "pixel_gap_coarse": float((xm - xa).abs().mean()),
        "pixel_gap_fine": float((xm - xb).abs().mean()),
    }


@torch.no_grad()
def noise_effect(G, clf, params, member: RunContext) -> dict[str, np.ndarray | float]:
    r"""What the per-layer noise changes: the same styles under ``noise_draws`` noise draws.

    Returns the pixel standard deviation across noise draws (mean over latents and pixels), the
    same across latents under one draw, and the share of (latent, draw) whose class equals the
    class of the latent's first draw.
    """
    z = torch.randn(params["noise_latents"], G.latent_dim, generator=member.stream("noise-z"))
    styles = G.broadcast(G.mapping(z))
    stream = noise_stream(member, "redraws")
    draws = torch.stack([render(G, styles, stream) for _ in range(params["noise_draws"])])
    draws = draws.squeeze(2)  # (draws, latents, 16, 16)
    labels = np.stack([classifier_predictions(clf, d[:, None]) for d in draws])
    return {
        "examples": draws[:, :4].transpose(0, 1).numpy(),  # (4 latents, draws, 16, 16)
        "std_map": draws[:, 0].std(dim=0).numpy(),  # where the noise acts, for one latent
        "std_noise": float(draws.std(dim=0).mean()),
        "std_latents": float(draws[0].std(dim=0).mean()),
        "class_kept": float((labels[1:] == labels[0]).mean()),
    }


@experiment(
    "stylegan",
    params=STYLEGAN,
    test=STYLEGAN_TEST,
    full={"members": 5, "steps": 4000, "snapshot_every": 500},
    needs=("digit_classifier",),
    title="A small StyleGAN2-style generator on the digits: truncation, style mixing, noise",
    cost=190,
)
def stylegan(params, context: RunContext) -> ExperimentResult:
    train_images = load_digits_dataset(size=16)  # (1200, 1, 16, 16) in [−1, 1]
    heldout = load_digits_dataset(size=16, split="heldout")
    clf = classifier_from_parameters(context.needed["digit_classifier"].arrays, context.device)
    f_train = np.asarray(classifier_features(clf, train_images), dtype=np.float64)
    f_held = np.asarray(classifier_features(clf, heldout), dtype=np.float64)
    floor = {
        **compare(f_held, f_train, params, context.stream_seed("floor")),
        **class_measures(classifier_predictions(clf, heldout), params),
    }

    def data(n: int, generator: torch.Generator) -> torch.Tensor:
        return sample_rows(train_images, n, generator=generator)

    curves, mixes, noises, snapshots, finals, d_real, d_fake, wall = ([] for _ in range(8))
    for member in context.members(params["members"]):
        G, D = build_players(params, member)
        history = train(G, D, data, member_config(params, member), progress=False)
        wall.append(float(history.wall_time[-1]))
        snapshots.append(history.snapshots[:, :, 0])  # (K, 64, 16, 16)
        d_real.append(history.d_real)
        d_fake.append(history.d_fake)
        G = G.cpu().eval()
        z = torch.randn(params["eval_samples"], G.latent_dim, generator=member.stream("evaluation"))
        curves.append(truncation_curve(G, clf, f_train, z, params, member))
        mixes.append(mixing(G, clf, params, member))
        noises.append(noise_effect(G, clf, params, member))
        with torch.no_grad():
            few = z[: params["shown_samples"]]
            shown = render(G, G.broadcast(G.mapping(few)), noise_stream(member, "shown"))
        finals.append(shown.squeeze(1).numpy())

    curve = {key: np.stack([c[key] for c in curves]) for key in curves[0]}  # (members, ψ, ...)
    fd_median = np.median(curve["fd"], axis=2)  # (members, ψ)
    precision, recall, coverage = curve["precision"], curve["recall"], curve["coverage"]
    one = PSIS.index(1.0)
    low = PSIS.index(0.5)
    mix, noise = (
        {key: np.array([m[key] for m in rows]) for key in rows[0] if np.ndim(rows[0][key]) == 0}
        for rows in (mixes, noises)
    )
    shown_member = median_member(fd_median[:, one])
    tail = min(100, params["steps"])
    return ExperimentResult(
        arrays={
            "psis": np.array(PSIS),
            "fd": curve["fd"],
            "fd_median": fd_median,
            "precision": precision,
            "recall": recall,
            "coverage": coverage,
            "kl": curve["kl"],
            "truncation_examples": curve["examples"].astype(np.float32),
            "floor_fd": floor["fd"],
            "snapshot_steps": history.snapshot_steps,
            "snapshots": np.stack(snapshots).astype(np.float32),
            "final_samples": np.stack(finals).astype(np.float32),
            "mix_grid": np.stack([m["grid"] for m in mixes]).astype(np.float32),
            "mix_rows": np.stack([m["grid_rows"] for m in mixes]).astype(np.float32),
            "mix_cols": np.stack([m["grid_cols"] for m in mixes]).astype(np.float32),
            "noise_examples": np.stack([n["examples"] for n in noises]).astype(np.float32),
            "noise_std_map": np.stack([n["std_map"] for n in noises]).astype(np.float32),
            "d_real": np.stack(d_real),
            "d_fake": np.stack(d_fake),
        },
        scalars={
            **{key: params[key] for key in STYLEGAN},
            "n_layers": G.n_layers,
            "coarse_layers": len(G.coarse_layers),
            "fine_layers": len(G.fine_layers),
            "g_parameters": sum(p.numel() for p in G.parameters()),
            "mapping_parameters": sum(p.numel() for p in G.mapping.parameters()),
            "accuracy": float(context.needed["digit_classifier"].scalars["accuracy"]),
            "shown_member": shown_member,
            "psi_low": PSIS[low],
            "floor_fd_median": float(np.median(floor["fd"])),
            "floor_fd_max": float(floor["fd"].max()),
            "floor_precision": floor["precision"],
            "floor_recall": floor["recall"],
            "floor_coverage": floor["coverage"],
            **spread("fd_psi1", fd_median[:, one]),
            **spread("fd_psi_low", fd_median[:, low]),
            **spread("fd_psi0", fd_median[:, PSIS.index(0.0)]),
            **spread("precision_psi1", precision[:, one]),
            **spread("precision_psi_low", precision[:, low]),
            **spread("recall_psi1", recall[:, one]),
            **spread("recall_psi_low", recall[:, low]),
            **spread("coverage_psi1", coverage[:, one], int),
            **spread("coverage_psi_low", coverage[:, low], int),
            **spread("coverage_psi0", coverage[:, PSIS.index(0.0)], int),
            **spread("recall_loss", recall[:, one] - recall[:, low]),
            **{k: v for name, a in mix.items() for k, v in spread(f"mix_{name}", a).items()},
            **{k: v for name, a in noise.items() for k, v in spread(f"noise_{name}", a).items()},
            **spread("noise_ratio", noise["std_noise"] / noise["std_latents"]),
            **spread("mix_gap_ratio", mix["pixel_gap_coarse"] / mix["pixel_gap_fine"]),
            **spread("mix_keeps_neither", 1.0 - mix["keeps_coarse"] - mix["keeps_fine"]),
            **spread("fd_growth", fd_median[:, low] / fd_median[:, one]),
            **spread("precision_change", np.abs(precision[:, low] - precision[:, one])),
            "tail_steps": tail,
            **spread("d_real_final", np.stack(d_real)[:, -tail:].mean(axis=1)),
            **spread("d_fake_final", np.stack(d_fake)[:, -tail:].mean(axis=1)),
            **spread("train_seconds", np.array(wall)),
        },
    )
