r"""Claims about the experiments of `ganbook.experiments.two_players`, checked at every build.

The value landscape and simultaneous play are exact computations (quadrature, autograd): their
claims are equalities to rounding error. The two training experiments are seed ensembles: their
claims hold for every member, or count members, as the pages word them.
"""

from __future__ import annotations

import numpy as np

from ganbook.experiments.claims import at_least, at_most, between, claim, close_to, holds
from ganbook.experiments.result import ExperimentResult

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
