r"""Claims about ``loss_study_summary`` (this chapter's ``experiments``), checked at every build.

The page states no ordering of losses by hand: the orderings it prints are those the one-sided
Mann–Whitney tests support, and the first claim checks that each of them has $p < \alpha$ and
that the medians of the two losses agree with it. The other claims are about the whole ensemble
of every loss, with margins set from seed offsets 0 to 3.
"""

from __future__ import annotations

from ganbook.book.part3.which_loss.experiments import DATASETS
from ganbook.engine.claims import at_least, at_most, claim, holds

STANDARD = ("standard", "full")


@claim(
    "loss_study_summary",
    "every ordering of two losses that the page prints is supported by a one-sided "
    "Mann–Whitney test at p < 0.05 over the seeds, and the two losses' medians agree with it",
)
def every_printed_ordering_is_tested(result):
    s = result.scalars
    checks = [at_most("the page's level α", s["alpha"], 0.05)]
    for dataset in DATASETS:
        for measure in ("modes", "w1"):
            checks.append(
                holds(
                    f"{dataset}, {measure}: every supported ordering agrees with the medians",
                    s[f"{dataset}_{measure}_orderings_agree"],
                    s[f"{dataset}_{measure}_orderings"],
                )
            )
    return checks


@claim(
    "loss_study_summary",
    "no member of any loss reaches the data: every W1 is above the real-vs-real floor",
    profiles=STANDARD,
)
def no_member_reaches_the_data(result):
    s = result.scalars
    return [
        at_least(f"{dataset}: smallest W1 / floor", s[f"{dataset}_w1_over_floor_min"], 1.0)
        for dataset in DATASETS
    ]


@claim(
    "loss_study_summary",
    "at this budget no member of any loss covers half the grid's 25 modes",
    profiles=STANDARD,
)
def the_grid_is_out_of_reach(result):
    s = result.scalars
    return [at_most("grid: most modes covered by any member", s["grid_modes_best"], 12)]


@claim(
    "loss_study_summary",
    "on the ring the seeds of one loss can disagree by 3 modes or more",
    profiles=STANDARD,
)
def seeds_disagree(result):
    s = result.scalars
    return [at_least("ring: widest span of one loss's seeds", s["ring_widest_seed_span"], 3)]
