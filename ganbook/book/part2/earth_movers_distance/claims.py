r"""Claims about this chapter's experiments (its ``experiments`` module), checked at every build.

The worked example is solved exactly (two linear programs and a closed form): the claims are
equalities to rounding error and facts about the solver's plan and potentials.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.claims import at_least, at_most, between, claim, close_to, holds
from ganbook.engine.result import ExperimentResult

EXAMPLE = "emd_worked_example"


@claim(EXAMPLE, "the solver's plan is a coupling: non-negative, with marginals p and q")
def plan_is_a_coupling(result: ExperimentResult):
    return [
        at_most("largest marginal error", result.scalars["marginal_error"], 1e-9),
        at_least("smallest entry", float(result.arrays["plan"].min()), -1e-12),
    ]


@claim(
    EXAMPLE,
    "the largest entry of the plan moves mass from the inner slope of the right hump (between "
    "x = 9 and the hump's centre 12) inward, to the left",
)
def largest_entry_slides_the_right_hump_inward(result: ExperimentResult):
    s = result.scalars
    return [
        between("from", s["largest_entry_from"], 9.0, 12.0),
        holds("to the left of where it starts", s["largest_entry_to"] < s["largest_entry_from"]),
    ]


@claim(EXAMPLE, "less than half of the mass stays where it is")
def most_of_the_mass_moves(result: ExperimentResult):
    s = result.scalars
    return [
        between("mass on the diagonal", s["mass_stays"], 0.0, 0.5),
        close_to("mass that moves", s["mass_moves"], 1.0 - s["mass_stays"], 1e-12),
    ]


@claim(
    EXAMPLE,
    "the moving mass travels on average W₁ / (moving mass) steps; some of it travels `far` "
    "steps or more, and the longest move is at least that long",
)
def some_mass_travels_far(result: ExperimentResult):
    s = result.scalars
    moved = result.arrays["mass_by_distance"]
    mean = float(moved @ np.arange(moved.size)) / s["mass_moves"]
    return [
        close_to("mean move of the moving mass", s["mean_move_of_moving_mass"], mean, 1e-9),
        between("mass moving far", s["mass_moves_far"], 0.0, s["mass_moves"]),
        at_least("longest move, minus far", s["longest_move"] - s["far"], 0),
    ]


@claim(
    EXAMPLE,
    "the quantile plan is a different plan with the same cost: optimal plans are not unique",
)
def another_plan_costs_the_same(result: ExperimentResult):
    s = result.scalars
    return [
        holds("the plans differ", s["plans_differ"]),
        close_to(
            "cost of the quantile plan", s["distance_quantile_plan"], s["distance_primal"], 1e-9
        ),
    ]


@claim(EXAMPLE, "the dual linear program reaches the primal value")
def dual_equals_primal(result: ExperimentResult):
    s = result.scalars
    return close_to("dual value", s["distance_dual"], s["distance_primal"], 1e-9)


@claim(EXAMPLE, "the solver's potentials satisfy g = −f")
def potentials_are_opposite(result: ExperimentResult):
    return at_most("largest |f + g|", result.scalars["potential_sum_gap"], 1e-9)


@claim(EXAMPLE, "the solver's f changes by at most 1 per grid step, and by exactly 1 somewhere")
def potential_is_one_lipschitz(result: ExperimentResult):
    return close_to("largest step of f", result.scalars["potential_max_slope"], 1.0, 1e-9)


@claim(
    EXAMPLE,
    "the potential rebuilt from the cumulative distributions equals the solver's f, whose "
    "minimum lies in the model's hump (between x = 6 and 9)",
)
def potential_follows_the_cumulative_distributions(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("largest gap to the solver's f", s["potential_cdf_gap"], 1e-9),
        between("where f is lowest", s["f_min_at"], 6.0 - 1e-9, 9.0 + 1e-9),
    ]


@claim(EXAMPLE, "primal, dual, cumulative-distribution and quantile-plan routes agree to 1e-9")
def three_routes_one_number(result: ExperimentResult):
    s = result.scalars
    return [
        close_to(key, s[key], s["distance_primal"], 1e-9)
        for key in ("distance_dual", "distance_cdf", "distance_quantile_plan")
    ]
