r"""Claims about this chapter's experiments (its ``experiments`` module), checked at every build.

Every experiment of the shift toy is exact (closed forms, quadrature): its claims are equalities
to rounding error and inequalities between computed values.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.claims import at_least, at_most, between, claim, close_to, holds
from ganbook.engine.result import ExperimentResult

LOG4 = float(np.log(4.0))


@claim("shift_toy_densities", "the grid D* equals the closed-form logistic D* to rounding error")
def grid_d_star_is_logistic(result: ExperimentResult):
    return at_most("largest gap", result.scalars["max_gap_to_logistic"], 1e-12)


@claim("shift_toy_value", "V(D*, G) by quadrature and −log 4 + 2·JS on a grid agree to 1e-8")
def value_is_minus_log_4_plus_2_js(result: ExperimentResult):
    return at_most("largest gap between the routes", result.scalars["max_gap"], 1e-8)


@claim("shift_toy_value", "the minimum of V(D*, G) is −log 4, reached at θ = μ")
def minimum_at_theta_equal_mu(result: ExperimentResult):
    s = result.scalars
    return [
        close_to("minimum", s["minimum"], -LOG4, 1e-9),
        close_to("where, θ − μ", s["argmin_theta"] - s["mu"], 0.0, 1e-12),
    ]


@claim("shift_toy_value", "far from the data the value approaches 0 from below (within 0.05)")
def value_flattens_towards_zero(result: ExperimentResult):
    return between("value at the farthest θ", result.scalars["value_far"], -0.05, 0.0)


@claim(
    "shift_toy_gradients",
    "at |θ − μ| = 2σ both gradients are of order one (between 0.1 and 10), the saturating one "
    "the smaller",
)
def both_gradients_of_order_one_near_the_data(result: ExperimentResult):
    s = result.scalars
    return [
        between("saturating at 2σ", s["saturating_at_2sigma"], 0.1, 10.0),
        between("non-saturating at 2σ", s["nonsaturating_at_2sigma"], 0.1, 10.0),
        holds(
            "saturating below non-saturating",
            s["saturating_at_2sigma"] < s["nonsaturating_at_2sigma"],
        ),
    ]


@claim(
    "shift_toy_gradients",
    "at 8σ the saturating gradient is below 1e-3 while the non-saturating one is above 1",
)
def saturating_vanishes_far_out(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("saturating at 8σ", s["saturating_at_8sigma"], 1e-3),
        at_least("non-saturating at 8σ", s["nonsaturating_at_8sigma"], 1.0),
    ]


@claim(
    "shift_toy_gradients",
    "beyond vanishing_distance (between 5σ and 8σ) the saturating gradient stays below the "
    "threshold at every θ",
)
def saturating_stays_below_the_threshold(result: ExperimentResult):
    s, a = result.scalars, result.arrays
    beyond = np.abs(a["thetas"] - s["mu"]) >= s["vanishing_distance"]
    largest = float(np.abs(a["saturating"][beyond]).max())
    return [
        between("vanishing distance, in σ", s["vanishing_distance"], 5.0, 8.0),
        at_most("largest saturating gradient beyond it", largest, s["threshold"]),
    ]
