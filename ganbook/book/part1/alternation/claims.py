r"""Claims about this chapter's experiments (its ``experiments`` module), checked at every build.

The value landscape and simultaneous play are exact computations (quadrature, autograd): their
claims are equalities to rounding error. The two training experiments are seed ensembles: their
claims hold for every member, or count members, as the pages word them.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.claims import at_least, at_most, claim, close_to
from ganbook.engine.result import ExperimentResult

LOG4, LOG2 = float(np.log(4.0)), float(np.log(2.0))


TRAINED = ("standard", "full")  # the test profile's runs are too short to show these effects


@claim(
    "alternation_shift",
    "in every run the discriminator learns first: over the first 200 steps the running mean of "
    "D(x) rises above 0.55 and that of D(G(z)) falls below 0.45",
)
def discriminator_learns_first(result: ExperimentResult):
    window = int(result.scalars["window"])
    kernel = np.ones(window) / window

    def early(key: str) -> np.ndarray:
        return np.stack([np.convolve(v[:200], kernel, "valid") for v in result.arrays[key]])

    return [
        at_least("highest early D(x), lowest over the runs", early("d_real").max(1).min(), 0.55),
        at_most("lowest early D(G(z)), highest over the runs", early("d_fake").min(1).max(), 0.45),
    ]


@claim(
    "alternation_shift",
    "every run crosses μ within the first 250 steps and overshoots it by more than 0.25",
)
def every_run_overshoots(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("latest first snapshot past μ", s["first_step_over_mu_max"], 250),
        at_least("smallest overshoot θ − μ", s["theta_overshoot_min"], 0.25),
    ]


@claim(
    "alternation_shift",
    "in every run the running mean of L_D rises above log 4 (by more than 0.05) on the way",
)
def discriminator_worse_than_a_coin_for_a_while(result: ExperimentResult):
    peak = result.scalars["d_loss_peak_min"]
    return at_least("lowest peak of the running mean of L_D, minus log 4", peak - LOG4, 0.05)


@claim(
    "alternation_shift",
    "over the last quarter of every run D(x) and D(G(z)) average ½, L_D log 4 and L_G log 2, "
    "each within 1e-3",
)
def every_run_settles_at_the_solution(result: ExperimentResult):
    s, checks = result.scalars, []
    for key, target in (("d_real", 0.5), ("d_fake", 0.5), ("d_loss", LOG4), ("g_loss", LOG2)):
        low, high = s[f"tail_{key}_min"], s[f"tail_{key}_max"]
        worst = low if abs(low - target) > abs(high - target) else high
        checks.append(close_to(f"tail mean of {key}, farthest run", worst, target, 1e-3))
    return checks


@claim(
    "alternation_shift",
    "every run ends within 0.1 of μ with a nearly flat discriminator, |φ₁| < 0.1",
)
def every_run_ends_near_mu_with_a_flat_discriminator(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("largest final |θ − μ|", s["final_gap_max"], 0.1),
        at_most("largest final |φ₁|", s["final_phi1_abs_max"], 0.1),
    ]


@claim(
    "alternation_ring",
    "over the last quarter of every run D(x) averages above ½ and D(G(z)) below, each more than "
    "0.02 away from ½: the discriminator keeps an edge",
    profiles=TRAINED,
)
def discriminator_keeps_an_edge(result: ExperimentResult):
    s = result.scalars
    return [
        at_least("lowest tail mean of D(x)", s["tail_d_real_min"], 0.52),
        at_most("highest tail mean of D(G(z))", s["tail_d_fake_max"], 0.48),
    ]


@claim(
    "alternation_ring",
    "over the last quarter of every run L_D averages below log 4 and L_G above log 2",
    profiles=TRAINED,
)
def losses_show_the_same_edge(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("highest tail mean of L_D, minus log 4", s["tail_d_loss_max"] - LOG4, -0.02),
        at_least("lowest tail mean of L_G, minus log 2", s["tail_g_loss_min"] - LOG2, 0.02),
    ]


@claim(
    "alternation_ring",
    "in every run D(x) moves by more than 0.02 from one step to the next, on average over the "
    "last quarter",
    profiles=TRAINED,
)
def every_step_undoes_a_little(result: ExperimentResult):
    return at_least("smallest mean step-to-step change of D(x)", result.scalars["jitter_min"], 0.02)


@claim("alternation_ring", "no run covers a mode at the start")
def no_mode_at_the_start(result: ExperimentResult):
    return close_to("most modes covered at step 0", result.scalars["modes_at_start_max"], 0, 0)


@claim(
    "alternation_ring",
    "every run covers at least one mode at some snapshot, and in more than half of the runs the "
    "count of covered modes falls at some snapshot on the way",
    profiles=TRAINED,
)
def coverage_rises_and_falls(result: ExperimentResult):
    s = result.scalars
    return [
        at_least("fewest modes at a run's best snapshot", s["modes_peak_min"], 1),
        at_least(
            "share of runs whose count falls", s["members_whose_modes_fall"] / s["members"], 0.51
        ),
    ]


@claim(
    "alternation_ring",
    "the runs end with different numbers of covered modes: it varies from seed to seed",
    profiles=TRAINED,
)
def coverage_varies_from_seed_to_seed(result: ExperimentResult):
    s = result.scalars
    return at_least("most minus fewest final modes", s["final_modes_max"] - s["final_modes_min"], 1)


@claim(
    "alternation_ring",
    "in every run single steps of L_D rise well above its mean: after the first quarter the "
    "largest step exceeds the run's last-quarter mean by more than 0.05",
    profiles=TRAINED,
)
def single_steps_rise_well_above_the_mean(result: ExperimentResult):
    a = result.arrays
    swing = a["late_d_loss_max"] - a["tail_d_loss"]
    return at_least("smallest swing above the mean, over the runs", float(swing.min()), 0.05)


@claim(
    "alternation_shift",
    "the runs hardly differ: their overshoots lie within 0.15 of each other, and the peaks of "
    "their running means of L_D within 0.05",
)
def runs_hardly_differ(result: ExperimentResult):
    s = result.scalars
    return [
        at_most(
            "range of the overshoots", s["theta_overshoot_max"] - s["theta_overshoot_min"], 0.15
        ),
        at_most("range of the peaks of L_D", s["d_loss_peak_max"] - s["d_loss_peak_min"], 0.05),
    ]
