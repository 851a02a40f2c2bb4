r"""Claims about this chapter's experiments (its ``experiments`` module), checked at every build.

The claims about training speak about the whole seed ensemble of ``wgan_gp``. Those about the
whole-batch bug check a mechanism that the algebra predicts, on its one run. Comparisons with
clipping go through two marks that the WGAN chapter's claims state with the same values: each
chapter checks its own ensemble against the same mark, so the pages can set one beside the other.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.claims import at_least, at_most, between, claim

W1_MARK = 0.4
r"""A mark of exact $W_1$ to the data, far above its floor: every clipped member ends above it (the
WGAN chapter's claim, same mark), and so does every penalised member here."""

K_HAT_MARK = 1e-3
r"""A mark for $\hat K$: the clipped critics stay below it at every stop (the WGAN chapter's
claim, same mark), the penalised ones here end far above it."""

STANDARD = ("standard", "full")


@claim(
    "wgan_gp",
    "under the penalty every member's median gradient norm at the end is within (0.8, 1.2)",
    profiles=STANDARD,
)
def norms_near_one(result):
    s = result.scalars
    return [
        at_least("median norm, lowest member", s["grad_norm_median_min"], 0.8),
        at_most("median norm, highest member", s["grad_norm_median_max"], 1.2),
    ]


@claim(
    "wgan_gp",
    "under the penalty no interpolate of any member has a gradient norm of exactly zero",
    profiles=STANDARD,
)
def no_penalised_critic_is_exactly_flat(result):
    zeros = int(np.sum(result.arrays["final_norms"] == 0))
    return at_most("interpolates with a zero gradient norm, all members", zeros, 0)


@claim(
    "wgan_gp",
    "in every member most interpolates (more than half) have a gradient norm within 0.2 of 1",
    profiles=STANDARD,
)
def most_norms_within_a_fifth_of_one(result):
    share = result.scalars["fraction_norms_near_1_min"]
    return at_least("share within 0.2 of 1, fewest member", share, 0.5)


@claim(
    "wgan_gp",
    "at the end the median member's estimate / W1 is of order 1, between 0.1 and 1.5: at "
    "least a hundred times the mark that every clipped K̂ stays below",
    profiles=STANDARD,
)
def penalty_fixes_the_scale(result):
    s = result.scalars
    return [
        between("K̂ at the end, median member", s["ratio_final_median"], 0.1, 1.5),
        at_least(
            "K̂ at the end, median member / the clipping mark",
            s["ratio_final_median"] / K_HAT_MARK,
            100,
        ),
    ]


@claim(
    "wgan_gp",
    "the penalised critic, too, is not positive at every stop: at some stop of some member its "
    "K̂ is zero or negative",
    profiles=STANDARD,
)
def penalised_k_hat_is_not_always_positive(result):
    return at_least("stops with K̂ ≤ 0, all members", result.scalars["negative_ratio_stops"], 1)


@claim(
    "wgan_gp",
    "after the standard run no penalised member has settled on the ring: the best covers at "
    "most 2 of the 8 modes",
    profiles=("standard",),
)
def no_member_settles_on_the_ring(result):
    return at_most("modes covered at the end, best member", result.scalars["modes_final_max"], 2)


@claim(
    "wgan_gp",
    "some penalised runs wander: in at least one member W1 rises between two stops by more than "
    "the threshold of a rise",
    profiles=STANDARD,
)
def penalised_runs_wander(result):
    return at_least(
        "members whose W1 rose past the threshold", result.scalars["members_w1_rose"], 1
    )


@claim(
    "wgan_gp",
    "after the standard run no penalised member is near the data: every one ends with W1 above "
    "the shared mark that every clipped member also ends above, and at least three times the "
    "floor",
    profiles=("standard",),
)
def no_member_ends_near_the_data(result):
    s = result.scalars
    return [
        at_least("final W1, smallest member", s["w1_final_min"], W1_MARK),
        at_least("smallest final W1 / the floor", s["w1_final_min"] / s["w1_floor"], 3),
    ]


@claim(
    "wgan_gp",
    "the whole-batch-norm bug pulls the per-example norms to about 1/√B (within a factor 2), "
    "far from 1, while the right penalty holds them near 1 at the same step",
    profiles=STANDARD,
)
def bug_pulls_the_norms_to_one_over_root_b(result):
    s = result.scalars
    return [
        between("bug's median norm / (1/√B)", s["bug_grad_norm_median"] / s["bug_target"], 0.5, 2),
        between(
            "right penalty's median norm at the same step",
            s["same_step_grad_norm_median"],
            0.8,
            1.2,
        ),
    ]


@claim(
    "wgan_gp",
    "with the bug the critic's estimate / W1 is about 1/√B (within a factor 2)",
    profiles=("test", *STANDARD),
)
def bug_scales_the_estimate_by_one_over_root_b(result):
    s = result.scalars
    return between("bug's estimate / W1 / (1/√B)", s["bug_ratio"] / s["bug_target"], 0.5, 2)


@claim(
    "wgan_gp",
    "with the bug the norms spread more, relative to their median, than under the right penalty "
    "at the same step",
    profiles=STANDARD,
)
def bug_frees_single_examples(result):
    s = result.scalars
    return at_least(
        "relative spread with the bug / without",
        s["bug_relative_spread"] / s["same_step_relative_spread"],
        1.0,
    )
