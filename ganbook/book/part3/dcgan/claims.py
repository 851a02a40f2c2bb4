r"""Claims about ``dcgan`` (this chapter's ``experiments`` module), checked at every build.

The arithmetic of the layers is exact and is checked on every profile. The claims about training
speak about the whole seed ensemble: every member, through its worst value.
"""

from __future__ import annotations

from ganbook.engine.claims import at_least, at_most, claim, holds

STANDARD = ("standard", "full")

COPY_SHARE = 0.05
r"""At most this share of any member's samples may lie closer to a training digit than the
held-out 1st percentile: 1% of unseen real digits do, by construction, and a generator that
copied its training digits would put almost all of its samples there."""


@claim(
    "dcgan",
    "every convolution's output side, read from a forward pass, equals the formula "
    "(n − 1)s − 2p + k (transposed) or ⌊(n + 2p − k)/s⌋ + 1 (strided)",
    profiles=("test", *STANDARD),
)
def output_sides_follow_the_formula(result):
    s = result.scalars
    return [
        at_least("convolutions checked", s["convs_checked"], 6),
        holds(
            "every checked convolution matches",
            s["convs_matching"] == s["convs_checked"],
            f"{s['convs_matching']} of {s['convs_checked']}",
        ),
    ]


@claim(
    "dcgan",
    "no member copies its training digits: in every member at most 5% of the samples are "
    "closer to a training digit than the nearest 1% of held-out real digits",
    profiles=STANDARD,
)
def no_member_copies(result):
    share = result.scalars["share_below_q01_max"]
    return at_most("share below the held-out 1st percentile, worst member", share, COPY_SHARE)


@claim(
    "dcgan",
    "every member's median distance to the nearest training digit is between 0.8 and 2.5 times "
    "that of the held-out real digits: about as far as unseen digits or farther, never near zero",
    profiles=STANDARD,
)
def samples_sit_as_far_as_unseen_digits(result):
    s = result.scalars
    return [
        at_least("median NN distance / held-out's, lowest member", s["nn_ratio_min"], 0.8),
        at_most("median NN distance / held-out's, highest member", s["nn_ratio_max"], 2.5),
    ]


@claim(
    "dcgan",
    "every member's mean image is close to the training digits' mean image: its mean absolute "
    "pixel gap is at most a quarter of the untrained generators' smallest",
    profiles=STANDARD,
)
def mean_image_matches(result):
    s = result.scalars
    return at_most(
        "mean-image gap, worst member / untrained, best",
        s["mean_image_gap_max"] / s["initial_mean_image_gap_min"],
        0.25,
    )


@claim(
    "dcgan",
    "the discriminator ends clearly ahead without saturating: over the last steps every "
    "member's mean σ(D(x)) is above 0.6, its mean σ(D(G(z))) below 0.4 and above 0.01",
    profiles=STANDARD,
)
def discriminator_ahead_but_not_saturated(result):
    s = result.scalars
    return [
        at_least("σ(D(x)), lowest member", s["d_real_final_min"], 0.6),
        at_most("σ(D(G(z))), highest member", s["d_fake_final_max"], 0.4),
        at_least("σ(D(G(z))), lowest member", s["d_fake_final_min"], 0.01),
    ]
