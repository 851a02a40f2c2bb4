r"""Claims about ``loss_study_ring`` and ``loss_study_grid`` (this chapter's ``experiments``).

The page states no ordering of losses by hand: the orderings it prints are those the one-sided
Mann–Whitney tests support, and the first claim of each data set checks that each of them has
$p < \alpha$ and that the medians of the two losses agree with it. The other claims are about the
whole ensemble of every loss, with margins set from seed offsets 0 to 3.
"""

from __future__ import annotations

from ganbook.book.part3.which_loss.experiments import DATASETS
from ganbook.engine.claims import at_least, at_most, claim, holds

STANDARD = ("standard", "full")


def every_printed_ordering_is_tested(result):
    r"""Every ordering the summary prints agrees with the medians; the level is at most 0.05."""
    s = result.scalars
    checks = [at_most("the page's level α", s["alpha"], 0.05)]
    for measure in ("modes", "w1"):
        checks.append(
            holds(
                f"{measure}: every supported ordering agrees with the medians",
                s[f"{measure}_orderings_agree"],
                s[f"{measure}_orderings"],
            )
        )
    return checks


def no_member_reaches_the_data(result):
    r"""The smallest $W_1$ of any member of any loss is above the real-vs-real floor."""
    return [at_least("smallest W1 / floor", result.scalars["w1_over_floor_min"], 1.0)]


for _dataset in DATASETS:
    claim(
        f"loss_study_{_dataset}",
        "every ordering of two losses that the page prints is supported by a one-sided "
        "Mann–Whitney test at p < 0.05 over the seeds, and the two losses' medians agree with it",
    )(every_printed_ordering_is_tested)
    claim(
        f"loss_study_{_dataset}",
        "on the published profile no member of any loss reaches the data: every W1 is above "
        "the real-vs-real floor (on the full profile, with tuned rates, one may)",
        profiles=("standard",),
    )(no_member_reaches_the_data)


@claim(
    "loss_study_grid",
    "at this budget no member of any loss covers half the grid's 25 modes",
    profiles=STANDARD,
)
def the_grid_is_out_of_reach(result):
    return [at_most("most modes covered by any member", result.scalars["modes_best"], 12)]


@claim(
    "loss_study_ring",
    "on the ring the seeds of one loss can disagree by 3 modes or more",
    profiles=STANDARD,
)
def seeds_disagree(result):
    return [at_least("widest span of one loss's seeds", result.scalars["widest_seed_span"], 3)]
