r"""Claims about this chapter's experiments (its ``experiments`` module), checked at every build.

Those about `measuring` speak about the whole DCGAN ensemble (counts of members, extremes) or
about the demonstration on real digits, whose damage is made exactly; those about
`measuring_toys` about every member of the three ring ensembles together.
"""

from __future__ import annotations

from ganbook.engine.claims import at_least, at_most, between, claim

STANDARD = ("standard", "full")


@claim(
    "measuring",
    "the feature classifier labels at least 90% of the held-out digits correctly",
    profiles=STANDARD,
)
def classifier_is_accurate(result):
    return at_least("held-out accuracy", result.scalars["accuracy"], 0.9)


@claim(
    "measuring",
    "the two damaged sets have about the same median Fréchet distance, within 20%, by construction",
    profiles=STANDARD,
)
def damaged_sets_share_one_fd(result):
    s = result.scalars
    ratio = s["noisy_fd_median"] / s["collapsed_fd_median"]
    return between("median FD, noisy / collapsed", ratio, 1 / 1.2, 1.2)


@claim(
    "measuring",
    "the Fréchet distance notices the removal, but only as a number: the collapsed set's median "
    "FD is above every real-vs-real draw",
    profiles=STANDARD,
)
def fd_sees_the_removal(result):
    s = result.scalars
    return at_least(
        "collapsed median FD / highest real-vs-real draw",
        s["collapsed_fd_median"] / s["floor_fd_max"],
        1.0,
    )


@claim(
    "measuring",
    "the class histogram names the collapse: the collapsed set covers 8 of 10 classes, its KL "
    "from uniform is within a factor 1.5 of log(10/8) and over ten times the held-out digits'",
    profiles=STANDARD,
)
def classes_name_the_collapse(result):
    s = result.scalars
    return [
        at_most("classes covered, collapsed", s["collapsed_coverage"], 10 - s["removed"]),
        at_least("classes covered, held out", s["floor_coverage"], 10),
        between(
            "KL collapsed / log(10/8)", s["collapsed_kl"] / s["collapsed_kl_exact"], 1 / 1.5, 1.5
        ),
        at_least("KL collapsed / KL held out", s["collapsed_kl"] / s["floor_kl"], 10),
    ]


@claim(
    "measuring",
    "the noisy set keeps every class, and its KL from uniform is under a third of the collapsed "
    "set's",
    profiles=STANDARD,
)
def noise_keeps_the_classes(result):
    s = result.scalars
    return [
        at_least("classes covered, noisy", s["noisy_coverage"], 10),
        at_most("KL noisy / KL collapsed", s["noisy_kl"] / s["collapsed_kl"], 1 / 3),
    ]


@claim(
    "measuring",
    "precision and recall tell the two damaged sets apart at one FD: the collapsed set has the "
    "lower recall (by at least 0.03) and the noisy set the lower precision (by at least 0.1)",
    profiles=STANDARD,
)
def precision_and_recall_split_the_failures(result):
    s = result.scalars
    return [
        at_least("recall, noisy − collapsed", s["noisy_recall"] - s["collapsed_recall"], 0.03),
        at_least(
            "precision, collapsed − noisy", s["collapsed_precision"] - s["noisy_precision"], 0.1
        ),
    ]


@claim(
    "measuring_toys",
    "on the ring, k-NN precision ranks the members as the share of samples on a mode does "
    "(Spearman's rho at least 0.8 over all members of the three ensembles)",
    profiles=STANDARD,
)
def ring_precision_follows_the_on_mode_share(result):
    return at_least("Spearman's rho", result.scalars["precision_on_mode_rank"], 0.8)


@claim(
    "measuring_toys",
    "on the ring, diffuse samples inflate recall: some member that covers no mode has a recall "
    "of at least 0.5",
    profiles=STANDARD,
)
def diffuse_samples_inflate_recall(result):
    s = result.scalars
    return [
        at_least("members covering no mode", s["members_no_mode"], 1),
        at_least("highest recall of a member covering no mode", s["recall_no_mode_max"], 0.5),
    ]


@claim(
    "measuring",
    "removing two classes takes away about a fifth of the held-out digits (between 15% and 25%)",
    profiles=("test", *STANDARD),
)
def two_classes_are_a_fifth(result):
    return between("share of held-out digits removed", result.scalars["removed_share"], 0.15, 0.25)


@claim(
    "measuring_toys",
    "two real samples of the ring have k-NN precision and recall above 0.8 against each other",
    profiles=("test", *STANDARD),
)
def real_ring_samples_reach_high_precision_and_recall(result):
    s = result.scalars
    return [
        at_least("precision, real vs real", s["real_precision"], 0.8),
        at_least("recall, real vs real", s["real_recall"], 0.8),
    ]
