r"""Claims about this chapter's experiments (its ``experiments`` module), checked at every build."""

from __future__ import annotations

import numpy as np

from ganbook.engine.claims import at_least, at_most, between, claim, close_to, holds
from ganbook.engine.result import ExperimentResult

# ---- saturation_logit_gradients: exact (autograd against the closed forms) --------------------


@claim(
    "saturation_logit_gradients",
    "autograd through the package's two generator losses gives -σ(ℓ) and -(1 - σ(ℓ)) in the "
    "logit, -1/(1 - D) and -1/D in D",
)
def autograd_matches_the_closed_forms(result: ExperimentResult):
    return at_most(
        "largest relative error of the four gradients over the grid",
        result.scalars["max_relative_error"],
        1e-9,
    )


@claim(
    "saturation_logit_gradients",
    "at D(G(z)) = 0.01 the saturating gradient in the logit has size 0.01 and the non-saturating "
    "one 0.99, 99 times larger",
)
def gradients_at_the_probe(result: ExperimentResult):
    s = result.scalars
    probe = s["probe"]
    return [
        close_to("|saturating gradient| at the probe", s["saturating_at_probe"], probe, 1e-12),
        close_to(
            "|non-saturating gradient| at the probe",
            s["nonsaturating_at_probe"],
            1.0 - probe,
            1e-12,
        ),
        close_to("their ratio", s["ratio_at_probe"], (1.0 - probe) / probe, 1e-9),
    ]


@claim(
    "saturation_logit_gradients",
    "the two gradients in the logit are equal only at D(G(z)) = 1/2, where both have size 1/2",
)
def gradients_meet_at_one_half(result: ExperimentResult):
    s, a = result.scalars, result.arrays
    gap = np.abs(a["saturating_dlogit"] - a["nonsaturating_dlogit"])
    meeting = float(a["d"][int(np.argmin(gap))])
    return [
        close_to("|saturating gradient| at D = 1/2", s["saturating_at_half"], 0.5, 1e-15),
        close_to("|non-saturating gradient| at D = 1/2", s["nonsaturating_at_half"], 0.5, 1e-15),
        close_to("D where the two curves are closest", meeting, 0.5, 1e-9),
    ]


@claim(
    "saturation_logit_gradients",
    "in D the saturating slope has size 1/(1 - D), about 1 at D = 0.01, and the non-saturating "
    "one 1/D, 100 there",
)
def slopes_in_d(result: ExperimentResult):
    s = result.scalars
    probe = s["probe"]
    return [
        close_to(
            "|∂L/∂D|, saturating, at the probe",
            s["saturating_dscore_at_probe"],
            1.0 / (1.0 - probe),
            1e-9,
        ),
        close_to(
            "|∂L/∂D|, non-saturating, at the probe",
            s["nonsaturating_dscore_at_probe"],
            1.0 / probe,
            1e-9,
        ),
    ]


# ---- saturation_shift_toy_scores: exact (Gauss-Hermite quadrature of the closed-form D*) ------


@claim(
    "saturation_shift_toy_scores",
    "at |θ - μ| = 2σ the optimal detective still gives fakes about 0.2 on average, at 8σ less "
    "than 1e-4",
)
def mean_score_at_two_and_eight_sigma(result: ExperimentResult):
    s = result.scalars
    return [
        between("E D*(G(z)) at 2σ", s["mean_d_at_2sigma"], 0.15, 0.3),
        at_most("E D*(G(z)) at 8σ", s["mean_d_at_8sigma"], 1e-4),
    ]


@claim(
    "saturation_shift_toy_scores",
    "the ratio of the two gradients at 8σ is E D*/(1 - E D*)",
)
def ratio_is_the_odds_of_the_mean_score(result: ExperimentResult):
    s = result.scalars
    odds = s["mean_d_at_8sigma"] / (1.0 - s["mean_d_at_8sigma"])
    return close_to("ratio at 8σ over E D*/(1 - E D*)", s["ratio_at_8sigma"] / odds, 1.0, 1e-12)


@claim(
    "saturation_shift_toy_scores",
    "as θ moves away from μ the detective's mean output on fakes falls: from 1/2 at θ = μ, "
    "strictly, all the way out",
)
def mean_score_falls_with_distance(result: ExperimentResult):
    thetas, mean_d = result.arrays["thetas"], result.arrays["mean_d"]
    left = mean_d[thetas <= 0.0]  # μ = 0: from far left up to μ
    return [
        holds("E D* increases strictly from the far left up to μ", bool(np.all(np.diff(left) > 0))),
        close_to("E D* at θ = μ", left[-1], 0.5, 1e-9),
    ]


# ---- saturation_ring: a seed ensemble in the DCGAN setting -------------------------------------

KEYS = ("saturating", "nonsaturating")


@claim(
    "saturation_ring",
    "in the DCGAN setting the discriminator never became confident: in every seed and with both "
    "losses its mean output on fakes stayed above 0.1 at every step",
    profiles=("standard", "full"),
)
def discriminator_never_confident(result: ExperimentResult):
    return [
        at_least(
            f"smallest mean D(G(z)) over steps and seeds, {key}",
            result.arrays[f"{key}_d_fake"].min(),
            0.1,
        )
        for key in KEYS
    ]


@claim(
    "saturation_ring",
    "over the first steps the median gradient norms of the two losses were of the same size: "
    "within a factor of three of each other in every seed",
    profiles=("standard", "full"),
)
def gradient_norms_of_the_same_size(result: ExperimentResult):
    ratio = result.arrays["early_grad_ratio"]  # non-saturating over saturating, per seed
    return [
        at_least(
            "smallest ratio of the median norms (non-saturating / saturating)", ratio.min(), 1 / 3
        ),
        at_most("largest ratio of the median norms", ratio.max(), 3.0),
    ]


@claim(
    "saturation_ring",
    "the saturating loss was not worse across the board: in at least one seed it ended closer "
    "to the data (a lower final W1) than the non-saturating loss from the same start",
    profiles=("standard", "full"),
)
def saturating_not_worse_across_the_board(result: ExperimentResult):
    return at_least(
        "seeds in which the saturating run ended with the lower W1",
        result.scalars["members_saturating_lower"],
        1,
    )


# ---- saturation_ring_strong_d: a seed ensemble with a near-optimal discriminator --------------


@claim(
    "saturation_ring_strong_d",
    "with a near-optimal discriminator the detective wins early in every seed and with both "
    "losses: the mean D(G(z)) falls below 0.01 within the first 50 steps",
    profiles=("standard", "full"),
)
def detective_wins_early_in_both_runs(result: ExperimentResult):
    checks = []
    for key in KEYS:
        first = result.arrays[f"{key}_first_below"]  # -1 where it never fell below
        checks.append(at_least(f"earliest first step below, {key}", first.min(), 1))
        checks.append(at_most(f"latest first step below, {key}", first.max(), 50))
    return checks


@claim(
    "saturation_ring_strong_d",
    "in every seed the saturating run spends more steps with D(G(z)) below 0.01 than the "
    "non-saturating run from the same start",
    profiles=("standard", "full"),
)
def saturating_stalls_longer_in_every_seed(result: ExperimentResult):
    a = result.arrays
    sat, nonsat = a["saturating_steps_below"], a["nonsaturating_steps_below"]
    return holds(
        "steps below, saturating > non-saturating, seed by seed ([saturating], [non-saturating])",
        bool(np.all(sat > nonsat)),
        [sat.tolist(), nonsat.tolist()],
    )


@claim(
    "saturation_ring_strong_d",
    "while the detective wins in both runs, the non-saturating generator's gradient norm is more "
    "than ten times the saturating one's, in every seed",
    profiles=("standard", "full"),
)
def gradient_ratio_in_the_window(result: ExperimentResult):
    return at_least(
        "smallest ratio of the median gradient norms in the window (non-saturating / saturating)",
        result.arrays["window_grad_ratio"].min(),
        10.0,
    )


@claim(
    "saturation_ring_strong_d",
    "by the end of that window the median saturating generator has moved less than half as far "
    "as the median non-saturating one",
    profiles=("standard", "full"),
)
def saturating_generator_moves_less(result: ExperimentResult):
    s = result.scalars
    ratio = s["saturating_moved_in_window_median"] / s["nonsaturating_moved_in_window_median"]
    return at_most("median distance moved, saturating over non-saturating", ratio, 0.5)


@claim(
    "saturation_ring_strong_d",
    "both losses end collapsed: no run of any seed covers more than three of the eight modes",
    profiles=("standard", "full"),
)
def both_losses_end_collapsed(result: ExperimentResult):
    return [
        at_most(
            f"most modes covered at the end, {key}", result.arrays[f"{key}_modes"][:, -1].max(), 3
        )
        for key in KEYS
    ]


@claim(
    "saturation_ring_strong_d",
    "W1 charges a point mass on one mode more than a point mass at the centre; the first is "
    "close to the mean chord of exercise 4",
)
def w1_of_point_masses(result: ExperimentResult):
    s = result.scalars
    return [
        holds(
            "W1 of a point at the centre < W1 of a point on a mode",
            s["w1_point_at_centre"] < s["w1_point_on_mode"],
            (s["w1_point_at_centre"], s["w1_point_on_mode"]),
        ),
        close_to(
            "W1 of a point on a mode, against the mean chord",
            s["w1_point_on_mode"],
            s["mean_chord"],
            0.15,
        ),
    ]


@claim(
    "saturation_ring_strong_d",
    "at the end of the window the W1 of every saturating run is close to that of a point mass "
    "at the centre (within 0.25)",
    profiles=("standard", "full"),
)
def stalled_blob_scores_like_a_central_point(result: ExperimentResult):
    a, s = result.arrays, result.scalars
    steps = list(a["snapshot_steps"])
    w1 = a["saturating_w1"][:, steps.index(s["window_stop"])]
    gap = np.abs(w1 - s["w1_point_at_centre"])
    return at_most("largest |W1 − W1 of the central point| over the seeds", gap.max(), 0.25)


# ---- saturation_ns_divergence: exact (autograd at a fixed D* against finite differences) -------


@claim(
    "saturation_ns_divergence",
    "with D* held fixed at the current θ, the gradient of the non-saturating loss equals the "
    "gradient of KL(p_g ‖ p_data) − 2 JS(p_data, p_g), at every θ of the grid, to a relative 1e-6",
)
def nonsaturating_follows_kl_minus_two_js(result: ExperimentResult):
    return at_most(
        "largest relative gap between autograd and the central difference over the θ grid",
        result.scalars["ns_max_relative_error"],
        1e-6,
    )


@claim(
    "saturation_ns_divergence",
    "by the same steps the saturating loss follows the gradient of 2 JS, to a relative 1e-6",
)
def saturating_follows_two_js(result: ExperimentResult):
    return at_most(
        "largest relative gap between autograd and the central difference over the θ grid",
        result.scalars["sat_max_relative_error"],
        1e-6,
    )


@claim(
    "saturation_ns_divergence",
    "at every θ of the grid the −2 JS part pushes the generator away from the data (its gradient "
    "has the opposite sign to the KL part's), and the KL part is more than twice as large",
)
def js_part_pushes_away(result: ExperimentResult):
    a = result.arrays
    same = np.sign(a["kl"]) == np.sign(a["two_js"])  # so ∇(−2 JS) = −∇(2 JS) opposes ∇KL
    return [
        holds("∇KL and ∇(2 JS) have the same sign at every θ", bool(np.all(same))),
        holds(
            "∇KL points away from μ at every θ (θ − μ times the gradient, smallest shown)",
            bool(np.all((a["thetas"] - result.scalars["mu"]) * a["kl"] > 0)),
            float(np.min((a["thetas"] - result.scalars["mu"]) * a["kl"])),
        ),
        at_least(
            "|∇KL| / |∇(2 JS)|, smallest over the grid", result.scalars["kl_over_js_min"], 2.0
        ),
    ]
