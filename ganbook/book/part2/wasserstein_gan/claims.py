r"""Claims about this chapter's experiments (its ``experiments`` module), checked at every build.

Every claim speaks about the whole seed ensemble of ``wgan_clipping`` (``wgan_clipping_tracking``
reads the same runs): "in every member" is checked on the member that does worst, "most" on a
count of members.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.claims import at_least, at_most, claim, holds

W1_MARK = 0.4
r"""A mark of exact $W_1$ to the data, far above its floor: after the standard run every member of
both chapters' ensembles ends above it (each chapter checks its own)."""

K_HAT_MARK = 1e-3
r"""A mark for $\hat K$: the clipped critics stay below it at every stop, the penalised ones end
far above it (each chapter checks its own)."""

STANDARD = ("standard", "full")


def _members(result) -> int:
    return int(result.scalars["members"])


@claim(
    "wgan_clipping",
    "in every member the first clip puts more than 90% of the critic's parameters on the walls "
    "±c, from an initialisation that reaches more than 10c",
)
def first_clip_puts_the_weights_on_the_walls(result):
    s = result.scalars
    return [
        at_least(
            "share on the walls after the first clip, fewest member",
            s["fraction_clipped_at_start_min"],
            0.9,
        ),
        at_least(
            "largest initial |w| / c, smallest member",
            s["initial_weight_max_min"] / s["clip_value"],
            10,
        ),
    ]


@claim(
    "wgan_clipping",
    "at the end, in most members more than half of the critic's parameters lie within 1% of ±c; "
    "every member has fewer on the walls than after the first clip",
)
def most_weights_stay_on_the_walls(result):
    s = result.scalars
    return [
        at_least(
            "members with more than half at the walls",
            s["members_mostly_at_clip"],
            _members(result) // 2 + 1,
        ),
        at_least("parameters moved off the walls, fewest member", s["weights_freed_min"], 1),
    ]


@claim(
    "wgan_clipping",
    "in every member the critic's gradient norms at interpolates are orders of magnitude below "
    "1 (all below 1e-3) and below the bound of its clipped weights, itself below 1e-2",
)
def clipped_gradients_are_tiny(result):
    s = result.scalars
    return [
        at_most("largest gradient norm, all members", s["grad_norm_max_max"], 1e-3),
        at_most(
            "largest gradient norm / spectral bound, all members",
            s["grad_norm_over_bound_max"],
            1.0,
        ),
        at_most("spectral bound at the end, largest member", s["lipschitz_bound_max"], 1e-2),
    ]


@claim(
    "wgan_clipping",
    "at every stop of every member the critic's estimate is below K·W1 for K the stop's weight "
    "bound, and K̂ = estimate / W1 stays below the mark 1e-3",
    profiles=STANDARD,
)
def estimate_is_a_tiny_multiple_of_w1(result):
    s = result.scalars
    return [
        at_most("largest K̂ / spectral bound over stops and members", s["ratio_over_bound_max"], 1),
        at_most("largest K̂ over stops and members", s["ratio_max"], K_HAT_MARK),
    ]


@claim(
    "wgan_clipping",
    "in every member W1 falls from the first stop to the last, while the critic's estimate "
    "peaks within the first thousand steps and then falls below its peak (in the median member "
    "to under half of it)",
    profiles=STANDARD,
)
def estimate_warms_up_then_falls(result):
    s = result.scalars
    return [
        at_least("members whose W1 fell", s["w1_fell_members"], _members(result)),
        at_most("step of the estimate's peak, latest member", s["estimate_peak_step_max"], 1000),
        at_most("last window / peak, largest member", s["estimate_end_over_peak_max"], 0.95),
        at_most("last window / peak, median member", s["estimate_end_over_peak_median"], 0.5),
    ]


@claim(
    "wgan_clipping",
    "K̂ is a drifting factor: every member has at least two stops with K̂ > 0, and between "
    "those it changes by more than a factor 2; at the last stop the members' positive K̂ "
    "differ by more than a factor 2",
    profiles=STANDARD,
)
def k_hat_drifts_between_positive_values(result):
    s, ratio = result.scalars, result.arrays["ratio"]
    # the factor of each member, recomputed here from its positive K̂ only
    factors = [row[row > 0].max() / row[row > 0].min() for row in ratio]
    return [
        at_least("stops with K̂ > 0, fewest member", s["positive_ratio_stops_min"], 2),
        holds(
            "the smallest factor is max / min over one member's positive K̂",
            bool(np.isclose(min(factors), s["ratio_drift_min"], rtol=1e-12)),
            (min(factors), s["ratio_drift_min"]),
        ),
        at_least("max K̂ / min K̂ over positive stops, smallest member", s["ratio_drift_min"], 2),
        at_least(
            "max / min positive K̂ between members at the last stop", s["ratio_final_spread"], 2
        ),
    ]


@claim(
    "wgan_clipping",
    "after the standard run no clipped member covers more than one of the 8 modes",
    profiles=("standard",),
)
def no_member_covers_the_ring(result):
    return at_most("modes covered at the end, best member", result.scalars["modes_final_max"], 1)


@claim(
    "wgan_clipping",
    "after the standard run every clipped member ends far from the data: W1 above the shared "
    "mark, itself more than twice the real-vs-real floor, and at least three times the floor",
    profiles=("standard",),
)
def every_member_ends_far_from_the_data(result):
    s = result.scalars
    return [
        at_least("final W1, smallest member", s["w1_final_min"], W1_MARK),
        at_least("the mark / the real-vs-real floor", W1_MARK / s["w1_floor"], 2),
        at_least("smallest final W1 / the floor", s["w1_final_min"] / s["w1_floor"], 3),
    ]


@claim(
    "wgan_clipping",
    "no clipped member's W1 rises between two stops by more than the threshold of a rise",
    profiles=STANDARD,
)
def clipped_w1_never_rises(result):
    s = result.scalars
    return [
        at_most("members whose W1 rose past the threshold", s["members_w1_rose"], 0),
        at_most("largest rise of W1 between stops", s["largest_w1_rise_max"], s["w1_rise"]),
    ]


@claim(
    "wgan_clipping",
    "K̂ is not positive at only a few stops: at most one stop in five over the ensemble, and at "
    "most two of any one member's stops",
    profiles=STANDARD,
)
def k_hat_is_rarely_not_positive(result):
    ratio = result.arrays["ratio"]  # (members, stops)
    return [
        at_most("stops with K̂ ≤ 0 / all stops, ensemble", np.mean(ratio <= 0), 0.2),
        at_most("stops with K̂ ≤ 0, most in one member", np.max(np.sum(ratio <= 0, axis=1)), 2),
    ]


@claim(
    "wgan_clipping",
    "in at least one member some interpolates have a critic gradient of exactly zero",
    profiles=STANDARD,
)
def some_clipped_critics_are_exactly_flat(result):
    return at_least(
        "members with exact zeros among the norms", result.scalars["members_with_zero_norms"], 1
    )


@claim(
    "wgan_clipping_tracking",
    "over all stops the critic's estimate and W1 are only weakly correlated (Pearson r at most "
    "0.6 in every member), since in every member the estimate rises from the first stop to the "
    "next while W1 falls; over the stops after the warm-up strongly (r at least 0.7 in every "
    "member)",
    profiles=STANDARD,
)
def estimate_follows_w1_only_after_the_warm_up(result):
    s = result.scalars
    return [
        at_least(
            "members whose estimate rises and W1 falls from the first stop to the next",
            s["members_opposite_at_first"],
            s["members"],
        ),
        at_most("r over all stops, largest member", s["correlation_max"], 0.6),
        at_least("r after the warm-up, smallest member", s["correlation_after_warm_up_min"], 0.7),
        at_least("stops after the warm-up", s["stops_after_warm_up"], 3),
    ]
