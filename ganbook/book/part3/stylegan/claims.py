r"""Claims about ``stylegan`` (this chapter's ``experiments`` module), checked at every build.

Every claim speaks about the whole seed ensemble, through its worst member. The measures are
those of the measuring chapter, through the same classifier; the margins were set from the
ensemble at seed offsets 0 to 3 on two machines (a build on a 2-core machine trains other
members than one on a larger machine, from the same seeds), well short of the values seen there.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.claims import at_least, at_most, claim, holds

STANDARD = ("standard", "full")


@claim(
    "stylegan",
    "without truncation every member draws digits of at least 9 of the 10 classes, yet its "
    "Fréchet distance is above every draw of the held-out digits' floor",
    profiles=STANDARD,
)
def every_member_draws_most_classes(result):
    s = result.scalars
    return [
        at_least("classes covered at ψ = 1, worst member", s["coverage_psi1_min"], 9),
        at_least(
            "FD at ψ = 1, best member / largest floor draw",
            s["fd_psi1_min"] / s["floor_fd_max"],
            1.0,
        ),
    ]


@claim(
    "stylegan",
    "truncation to ψ = 0.5 costs diversity in every member: recall falls by at least 0.05 and "
    "the Fréchet distance grows at least 1.2-fold, and at ψ = 0 one class is left",
    profiles=STANDARD,
)
def truncation_costs_diversity(result):
    s = result.scalars
    return [
        at_least("recall at ψ = 1 minus at ψ = 0.5, smallest", s["recall_loss_min"], 0.05),
        at_least("FD at ψ = 0.5 / at ψ = 1, smallest", s["fd_growth_min"], 1.2),
        at_most("classes covered at ψ = 0, most", s["coverage_psi0_max"], 1),
    ]


def truncation_changes(result) -> tuple[np.ndarray, np.ndarray]:
    r"""Per member, what truncation to $\psi = 0.5$ gains in precision and loses in recall.

    $\Delta P_k = P_k(0.5) - P_k(1)$ (negative where truncation costs precision too) and
    $\Delta R_k = R_k(1) - R_k(0.5)$.
    """
    a = result.arrays
    psis = [float(psi) for psi in a["psis"]]
    one, low = psis.index(1.0), psis.index(float(result.scalars["psi_low"]))
    gain = a["precision"][:, low] - a["precision"][:, one]
    loss = a["recall"][:, one] - a["recall"][:, low]
    return gain, loss


@claim(
    "stylegan",
    "truncation to ψ = 0.5 buys these digits little precision: in no member does precision "
    "rise by more than 0.15, and in every member it rises by less than recall falls",
    profiles=STANDARD,
)
def truncation_barely_moves_precision(result):
    gain, loss = truncation_changes(result)
    return [
        at_most("precision at ψ = 0.5 − at ψ = 1, largest", float(gain.max()), 0.15),
        holds(
            "in every member the gain of precision is below the loss of recall",
            bool(np.all(gain < loss)),
            ", ".join(f"{g:+.3f} < {r:.3f}" for g, r in zip(gain, loss, strict=True)),
        ),
    ]


@claim(
    "stylegan",
    "the coarse layers decide the class: in every member a mixed digit keeps its coarse "
    "source's class at least 30% of the time and its fine source's at most 20%, and lies "
    "nearer its coarse source in pixels",
    profiles=STANDARD,
)
def coarse_layers_decide_the_class(result):
    s = result.scalars
    return [
        at_least("share keeping the coarse class, lowest member", s["mix_keeps_coarse_min"], 0.3),
        at_most("share keeping the fine class, highest member", s["mix_keeps_fine_max"], 0.2),
        at_most("pixel gap to coarse / to fine source, largest", s["mix_gap_ratio_max"], 0.85),
    ]


@claim(
    "stylegan",
    "the per-layer noise changes details only: in every member a new noise draw moves pixels "
    "by at most a twentieth of what a new latent does, and keeps the class at least 98% of "
    "the time",
    profiles=STANDARD,
)
def noise_changes_details_only(result):
    s = result.scalars
    return [
        at_most("pixel std across noise / across latents, largest", s["noise_ratio_max"], 0.05),
        at_least("share of redraws keeping the class, lowest", s["noise_class_kept_min"], 0.98),
    ]


@claim(
    "stylegan",
    "with R1 the discriminator stays near a coin toss: over the last steps every member's "
    "mean σ(D(x)) is at most 0.6 and its mean σ(D(G(z))) at least 0.4",
    profiles=STANDARD,
)
def discriminator_near_a_coin_toss(result):
    s = result.scalars
    return [
        at_most("σ(D(x)), highest member", s["d_real_final_max"], 0.6),
        at_least("σ(D(G(z))), lowest member", s["d_fake_final_min"], 0.4),
    ]


@claim(
    "stylegan",
    "the generator has one style input per modulated convolution and one for toRGB, split "
    "into coarse (4×4 and 8×8) and fine (16×16 and toRGB) layers",
    profiles=("test", *STANDARD),
)
def style_inputs_per_layer(result):
    s = result.scalars
    layers = 3 * s["convs_per_resolution"] + 1
    return [
        holds("n_layers = 3r + 1", s["n_layers"] == layers, f"{s['n_layers']} = {layers}"),
        holds(
            "coarse + fine = n_layers",
            s["coarse_layers"] + s["fine_layers"] == s["n_layers"],
            f"{s['coarse_layers']} + {s['fine_layers']} = {s['n_layers']}",
        ),
    ]
