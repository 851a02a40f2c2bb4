r"""Claims about this chapter's experiments (its ``experiments`` module), checked at every build.

The value landscape and simultaneous play are exact computations (quadrature, autograd): their
claims are equalities to rounding error. The two training experiments are seed ensembles: their
claims hold for every member, or count members, as the pages word them.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.claims import at_least, at_most, between, claim, close_to, holds
from ganbook.engine.result import ExperimentResult

LOG4, LOG2 = float(np.log(4.0)), float(np.log(2.0))
TRAINED = ("standard", "full")  # the test profile's runs are too short to show these effects


@claim("two_players_value", "V̄ stays below 0 everywhere on the grid")
def value_never_reaches_zero(result: ExperimentResult):
    return at_most("largest V̄ on the grid", result.scalars["value_max"], -1e-6)


@claim(
    "two_players_value",
    "with the wrong sign of the slope V̄ is very low, below the colour floor −4 of the map",
)
def value_very_low_where_the_slope_is_wrong(result: ExperimentResult):
    a = result.arrays
    worst = np.unravel_index(np.argmin(a["value"]), a["value"].shape)  # (φ₁, θ) indices
    wrong = (a["phi1s"][worst[0]] * (result.scalars["mu"] - a["thetas"][worst[1]])) < 0
    return [
        at_most("smallest V̄ on the grid", result.scalars["value_min"], -4.0),
        holds("at the minimum the slope points away from the data", bool(wrong)),
    ]


@claim("two_players_value", "(μ, 0) is a stationary point of V̄ with value −log 4")
def saddle_is_stationary(result: ExperimentResult):
    s = result.scalars
    return [
        close_to("V̄ at (μ, 0)", s["value_at_saddle"], -LOG4, 1e-12),
        at_most("norm of the play field at (μ, 0)", s["grad_norm_at_saddle"], 1e-12),
    ]


@claim(
    "two_players_value",
    "the Hessian of V̄ at (μ, 0) is [[0, −1/2], [−1/2, −σ²/2]]: negative determinant, one "
    "eigenvalue of each sign, a saddle",
)
def reduced_hessian_is_a_saddle(result: ExperimentResult):
    s = result.scalars
    half_var = s["sigma"] ** 2 / 2
    return [
        close_to("∂²V̄/∂θ²", s["h_theta_theta"], 0.0, 1e-10),
        close_to("∂²V̄/∂θ∂φ₁", s["h_theta_phi1"], -0.5, 1e-10),
        close_to("∂²V̄/∂φ₁²", s["h_phi1_phi1"], -half_var, 1e-10),
        at_most("determinant", s["h_det"], -0.2),
        at_most("smaller eigenvalue", s["h_eig_min"], -0.1),
        at_least("larger eigenvalue", s["h_eig_max"], 0.1),
    ]


@claim(
    "two_players_value",
    "in (θ, φ₀, φ₁) the discriminator's block of the Hessian is negative definite and the whole "
    "Hessian has 1 positive and 2 negative eigenvalues: still a saddle",
)
def full_hessian_is_a_saddle(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("largest eigenvalue of the discriminator's block", s["d_block_eig_max"], -1e-3),
        close_to("positive eigenvalues", s["full_positive_eigs"], 1, 0),
        close_to("negative eigenvalues", s["full_negative_eigs"], 2, 0),
    ]


@claim("two_players_play", "simultaneous play carries θ past μ, by more than a quarter")
def play_overshoots(result: ExperimentResult):
    return at_least("largest θ − μ on the path", result.scalars["theta_overshoot"], 0.25)


@claim(
    "two_players_play",
    "the path winds around the saddle more than twice and ends within 1e-3 of it",
)
def play_spirals_into_the_saddle(result: ExperimentResult):
    s = result.scalars
    return [
        at_least("turns around the saddle", s["turns"], 2.0),
        at_most("final distance to the saddle", s["final_distance"], 1e-3),
    ]


@claim(
    "two_players_play",
    "the eigenvalues of J are −σ²/4 ± i·sqrt(1/4 − σ⁴/16): a spiral inwards",
)
def play_eigenvalues(result: ExperimentResult):
    s = result.scalars
    return [
        close_to("real part", s["eig_real"], -(s["sigma"] ** 2) / 4, 1e-12),
        close_to("imaginary part", s["eig_imag"], np.sqrt(0.25 - s["sigma"] ** 4 / 16), 1e-12),
        at_most("real part (inwards)", s["eig_real"], -1e-3),
    ]


@claim(
    "two_players_play",
    "a straight-line fit to the log-distance over the second half gives the contraction "
    "|1 + ηλ| per step that the linearisation predicts, to 1e-3",
)
def play_contracts_as_predicted(result: ExperimentResult):
    s = result.scalars
    return [
        close_to("fitted factor", s["measured_contraction"], s["predicted_contraction"], 1e-3),
        between("predicted factor", s["predicted_contraction"], 0.0, 1.0),
    ]
