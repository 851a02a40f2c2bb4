r"""Claims about ``common_problems_summary``, this chapter's summary, checked at every build.

Each problem has a claim that the failure happens in every seed, and each remedy a claim about
what it changes, seed by seed. The collapse remedies' effects are printed from the tests: the
first claim checks that every effect the page states has $p < \alpha$ and medians that agree.
Margins were set from seed offsets 0 to 3.
"""

from __future__ import annotations

from ganbook.book.part3.common_problems.experiments import COLLAPSE_REMEDIES, COLLAPSE_VERBS
from ganbook.engine.claims import at_least, at_most, claim, holds

STANDARD = ("standard", "full")


@claim(
    "common_problems_summary",
    "every effect of a collapse remedy that the page prints is supported by a one-sided "
    "Mann–Whitney test at p < 0.05 over the seeds, and the medians agree with it",
)
def every_printed_effect_is_tested(result):
    s = result.scalars
    checks = [at_most("the page's level α", s["alpha"], 0.05)]
    for remedy in COLLAPSE_REMEDIES[1:]:
        prefix = f"collapse_{remedy.replace('-', '_')}"
        for measure in COLLAPSE_VERBS:
            name = f"{prefix}_{measure}"
            checks.append(
                holds(
                    f"{remedy}, {measure}: a printed effect has p < α and agreeing medians",
                    s[f"{name}_agrees"] and s[f"{name}_supported"] == (s[f"{name}_p"] < s["alpha"]),
                    s[f"{prefix}_effects"],
                )
            )
    return checks


@claim(
    "common_problems_summary",
    "against the near-optimal discriminator the non-saturating generator's gradient is at "
    "least 20 times the saturating one's in every seed, relative to each one's start",
    profiles=STANDARD,
)
def the_saturating_gradient_vanishes(result):
    s = result.scalars
    return [
        at_least("smallest NS / minimax ratio over seeds", s["vanishing_ns_over_minimax_min"], 20)
    ]


@claim(
    "common_problems_summary",
    "the Wasserstein generators' gradients do not shrink: in every seed the window's gradient "
    "norm is at least the one at the start, for clipping and for the penalty",
    profiles=STANDARD,
)
def the_wasserstein_gradients_do_not_vanish(result):
    s = result.scalars
    return [
        at_least(
            f"{loss}: smallest window / start", s[f"vanishing_{loss}_window_over_start_min"], 1
        )
        for loss in ("wasserstein", "wgan_gp")
    ]


@claim(
    "common_problems_summary",
    "without a remedy, the strong discriminator collapses the generator: no seed covers more "
    "than half of the 8 modes",
    profiles=STANDARD,
)
def the_strong_discriminator_collapses_the_generator(result):
    s = result.scalars
    return [at_most("most modes covered by any seed", s["collapse_none_modes_max"], 4)]


@claim(
    "common_problems_summary",
    "no seed of either collapse remedy reaches the data: every W1 is above the real-vs-real floor",
    profiles=STANDARD,
)
def no_remedy_restores_the_ring(result):
    s = result.scalars
    return [at_least("smallest W1 / floor", s["collapse_remedied_w1_over_floor_min"], 1.0)]


@claim(
    "common_problems_summary",
    "without a remedy the discriminator's output on the real point keeps swinging: in every "
    "seed its standard deviation over the last quarter is at least 0.05",
    profiles=STANDARD,
)
def the_unregularised_game_keeps_swinging(result):
    s = result.scalars
    return [at_least("smallest swing of D(x)", s["convergence_none_swing_min"], 0.05)]


@claim(
    "common_problems_summary",
    "with R1 or instance noise the discriminator settles at one half: in every seed the swing "
    "of D(x) over the last quarter is below 0.01, at least 10 times smaller than the same "
    "seed's without a remedy, and its mean is within 0.01 of one half",
    profiles=STANDARD,
)
def both_remedies_settle(result):
    s = result.scalars
    checks = []
    for remedy in ("r1", "instance_noise"):
        checks += [
            at_most(f"{remedy}: largest swing", s[f"convergence_{remedy}_swing_max"], 0.01),
            at_least(
                f"{remedy}: smallest swing ratio", s[f"convergence_{remedy}_swing_ratio_min"], 10
            ),
            at_most(f"{remedy}: largest |mean − ½|", s[f"convergence_{remedy}_off_half_max"], 0.01),
        ]
    return checks
