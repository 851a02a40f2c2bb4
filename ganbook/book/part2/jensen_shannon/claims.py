r"""Claims about this chapter's experiments (its ``experiments`` module), checked at every build.

Both experiments are exact (grids and quadrature, no sampling): the claims are identities to
rounding error and orderings between computed values.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.claims import at_least, at_most, between, claim, close_to, holds
from ganbook.engine.result import ExperimentResult

LOG4 = float(np.log(4.0))
SWEEPS = ("theta", "width")


@claim(
    "jensen_shannon_sweeps",
    "on both sweeps the three grid routes agree to 1e-12 and the quadrature agrees with them "
    "to 1e-8",
)
def four_routes_agree(result: ExperimentResult):
    s = result.scalars
    checks = []
    for sweep in SWEEPS:
        checks.append(at_most(f"{sweep} sweep: grid routes", s[f"{sweep}_grid_gap"], 1e-12))
        checks.append(at_most(f"{sweep} sweep: quadrature", s[f"{sweep}_quadrature_gap"], 1e-8))
    return checks


@claim(
    "jensen_shannon_sweeps",
    "on both sweeps the minimum is −log 4, reached where the generator matches the data and "
    "nowhere else",
)
def minimum_only_where_the_generator_matches(result: ExperimentResult):
    s, checks = result.scalars, []
    for sweep in SWEEPS:
        values = result.arrays[f"by_{sweep}"][:, 3]
        at_minimum = int(np.sum(np.abs(values + LOG4) <= 1e-9))
        checks += [
            close_to(f"{sweep} sweep: minimum", s[f"{sweep}_minimum"], -LOG4, 1e-9),
            close_to(f"{sweep} sweep: where", s[f"{sweep}_argmin"], s[f"{sweep}_match"], 1e-12),
            close_to(f"{sweep} sweep: points at −log 4", at_minimum, 1, 0),
        ]
    return checks


@claim(
    "jensen_shannon_sweeps",
    "on each side of the match the value rises at every step of both sweeps and stays below 0",
)
def value_climbs_towards_the_ceiling(result: ExperimentResult):
    checks = []
    for sweep in SWEEPS:
        values = result.arrays[f"by_{sweep}"][:, 3]
        best = int(np.argmin(values))
        rises = bool(np.all(np.diff(values[: best + 1]) < 0) and np.all(np.diff(values[best:]) > 0))
        checks += [
            holds(f"{sweep} sweep: rises on both sides", rises),
            at_most(f"{sweep} sweep: largest value", float(values.max()), -1e-9),
        ]
    return checks


@claim(
    "jensen_shannon_sweeps",
    "a generator ten times too narrow and one ten times too wide score the same, to rounding "
    "error, at every width of the sweep (s ↔ σ²/s)",
)
def too_narrow_scores_as_too_wide(result: ExperimentResult):
    return at_most("largest gap V(s) − V(σ²/s)", result.scalars["width_symmetry_gap"], 1e-12)


@claim(
    "jensen_shannon_sweeps",
    "ten times too narrow or too wide, JS is far from its ceiling: between 50% and 75% of log 2",
)
def wrong_width_is_far_from_the_ceiling(result: ExperimentResult):
    return between("JS as a share of log 2", result.scalars["width_js_first_share"], 0.5, 0.75)


@claim(
    "jensen_shannon_sweeps",
    "six standard deviations away in the mean, JS is above 99% of log 2 and the value within "
    "0.01 of 0",
)
def far_mean_is_near_the_ceiling(result: ExperimentResult):
    s = result.scalars
    return [
        at_least("JS as a share of log 2", s["theta_js_first_share"], 0.99),
        at_least("value at the first θ", s["theta_first"], -0.01),
        at_least("value at the last θ", s["theta_last"], -0.01),
    ]


@claim(
    "jensen_shannon_mixture",
    "KL(p‖m) + KL(q‖m) equals 2·JS, and the value at D* equals −log 4 + 2·JS, to 1e-14",
)
def value_is_minus_log_4_plus_two_kl_to_the_mixture(result: ExperimentResult):
    s = result.scalars
    return [
        close_to("KL(p‖m) + KL(q‖m)", s["kl_p_m"] + s["kl_q_m"], s["two_js"], 1e-14),
        close_to("V(D*, G)", s["value"], s["value_by_js"], 1e-14),
        between("JS", s["js"], 0.0, s["log_2"]),
    ]


@claim("jensen_shannon_mixture", "the narrow generator's term KL(q‖m) is the larger one")
def narrow_generator_is_further_from_the_mixture(result: ExperimentResult):
    s = result.scalars
    return holds("KL(q‖m) > KL(p‖m)", s["kl_q_m"] > s["kl_p_m"], (s["kl_q_m"], s["kl_p_m"]))


@claim(
    "jensen_shannon_mixture",
    "on the figure's grid, minimax_value(p, q, optimal_discriminator(p, q)) is −∞",
)
def subtracting_from_one_gives_minus_infinity(result: ExperimentResult):
    value = result.scalars["naive_value"]
    return holds("the naive value is −∞", bool(value == -np.inf), value)
