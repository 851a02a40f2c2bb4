r"""Claims about this chapter's experiments (its ``experiments`` module), checked at every build."""

from __future__ import annotations

from ganbook.engine.claims import at_least, at_most, between, claim, close_to, holds
from ganbook.engine.result import ExperimentResult

# ---- exact: closed forms against generic solvers and independent sums -------------------------


@claim(
    "least_squares_optimal_discriminator",
    "a generic scalar minimiser of the pointwise objective lands on (b p + a q)/(p + q) for both "
    "codings",
)
def minimiser_is_the_weighted_average(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("largest gap to the formula, a = -1, b = 1", s["pearson_max_gap"], 1e-6),
        at_most("largest gap to the formula, a = 0, b = 1", s["binary_max_gap"], 1e-6),
    ]


@claim(
    "least_squares_optimal_discriminator",
    "with a = 0, b = 1 the least-squares optimum is the classifier's D* = p/(p + q)",
)
def binary_optimum_is_the_classifiers(result: ExperimentResult):
    return at_most(
        "largest gap to ganbook.theory.optimal_discriminator",
        result.scalars["binary_vs_classifier_gap"],
        1e-12,
    )


@claim(
    "least_squares_pearson",
    "2C(G) equals the sum of (2q - (p + q))^2/(p + q) to rounding error, and is 0 at θ = μ",
)
def two_c_is_pearson_chi2(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("largest |2C(G) − χ²| over θ", s["max_gap"], 1e-12),
        close_to("2C(G) at θ = μ", s["at_mu"], 0.0, 1e-15),
    ]


@claim(
    "least_squares_pearson",
    "the other order of the arguments gives a different number: at θ = μ - σ it exceeds 2C(G) "
    "by more than 0.1",
)
def swapped_order_differs(result: ExperimentResult):
    s = result.scalars
    return at_least(
        "swapped order minus 2C(G) at θ = μ − σ", s["swapped_at_1sigma"] - s["at_1sigma"], 0.1
    )


@claim(
    "least_squares_pearson",
    "with the 0-1 coding 2C(G) is the sum of q^2/(p + q), smallest at θ = μ, where it is ½",
)
def binary_coding_is_not_a_divergence(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("largest |2C(G) − Σ q²/(p + q)| over θ", s["binary_max_gap"], 1e-12),
        close_to("2C(G) at θ = μ", s["binary_at_mu"], 0.5, 1e-12),
        close_to("smallest 2C(G) over θ", s["binary_min"], 0.5, 1e-12),
        close_to("θ where it is smallest (μ = 0)", s["binary_argmin"], 0.0, 1e-12),
    ]


@claim(
    "least_squares_generator_losses",
    "on (0, 1) the least-squares gradient s - 1 equals the non-saturating one -(1 - σ(ℓ)) to "
    "rounding error",
)
def least_squares_equals_nonsaturating_on_the_unit_interval(result: ExperimentResult):
    return at_most(
        "largest gap between the two gradients on (0, 1)",
        result.scalars["ls_vs_nonsaturating_gap"],
        1e-12,
    )


@claim(
    "least_squares_generator_losses",
    "at D(G(z)) = 0.01 the gradients in the network's output have sizes 0.01 (saturating), 0.99 "
    "(non-saturating and least squares) and 0.99 · 0.01 · 0.99 (least squares after a sigmoid)",
)
def gradients_at_the_probe(result: ExperimentResult):
    s = result.scalars
    d = s["probe"]
    return [
        close_to("saturating", s["saturating_at_probe"], d, 1e-12),
        close_to("non-saturating", s["nonsaturating_at_probe"], 1 - d, 1e-12),
        close_to("least squares", s["ls_at_probe"], 1 - d, 1e-12),
        close_to(
            "least squares after a sigmoid", s["ls_sigmoid_at_probe"], (1 - d) * d * (1 - d), 1e-12
        ),
        holds(
            "after a sigmoid it is smaller than the saturating gradient",
            s["ls_sigmoid_at_probe"] < s["saturating_at_probe"],
            (s["ls_sigmoid_at_probe"], s["saturating_at_probe"]),
        ),
    ]


@claim(
    "least_squares_shift_toy_gradient",
    "at its own optimal discriminator the least-squares generator gradient vanishes far from the "
    "data: below 1e-3 at 8σ for both codings",
)
def least_squares_saturates_at_its_optimum(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("gradient at 8σ, a = -1, b = 1, c = 0", s["pearson_at_8sigma"], 1e-3),
        at_most("gradient at 8σ, a = 0, b = c = 1", s["binary_at_8sigma"], 1e-3),
    ]


@claim(
    "least_squares_shift_toy_gradient",
    "the least-squares gradient is largest near the data (within 3σ), and still sizeable at 2σ",
)
def least_squares_gradient_peaks_near_the_data(result: ExperimentResult):
    s = result.scalars
    return [
        between("θ of the largest gradient (μ = 0, σ = 1)", s["pearson_peak_theta"], -3.0, 3.0),
        at_least("gradient at 2σ, a = -1, b = 1, c = 0", s["pearson_at_2sigma"], 0.05),
    ]


# ---- least_squares_trained_discriminator: a seed ensemble of MLP discriminators ---------------


@claim(
    "least_squares_trained_discriminator",
    "in every seed the discriminator trained by discriminator_step with the least-squares loss "
    "approaches D*: its error, weighted by where the samples are, falls at least fivefold",
)
def trained_discriminators_approach_the_optimum(result: ExperimentResult):
    return at_least(
        "smallest ratio initial / final weighted error over the seeds",
        result.scalars["rms_ratio_min"],
        5.0,
    )


@claim(
    "least_squares_trained_discriminator",
    "after training the weighted error is below 0.1 in every seed",
    profiles=("standard", "full"),
)
def trained_discriminators_are_close(result: ExperimentResult):
    return at_most(
        "largest final weighted error over the seeds", result.scalars["final_rms_max"], 0.1
    )


@claim(
    "least_squares_trained_discriminator",
    "where no sample lands, every seed's output runs out of the range [0, 1] that D* never leaves",
    profiles=("standard", "full"),
)
def outputs_leave_the_range_of_d_star(result: ExperimentResult):
    s = result.scalars
    return [
        between("D* at the left end of the grid", s["far_left_target"], -1e-12, 1 + 1e-12),
        between("D* at the right end of the grid", s["far_right_target"], -1e-12, 1 + 1e-12),
        at_least(
            "smallest over the seeds of how far the output leaves [0, 1] at the grid's ends",
            s["outside_min"],
            1e-3,
        ),
    ]


# ---- least_squares_ring: a seed ensemble in the DCGAN setting ----------------------------------


@claim(
    "least_squares_ring",
    "the least-squares discriminator never became confident: after the first steps its mean "
    "score on fakes, whose target is 0, stayed above 0.03 in every seed",
    profiles=("standard", "full"),
)
def least_squares_discriminator_never_confident(result: ExperimentResult):
    return at_least(
        "smallest mean raw score on fakes after settling, over the seeds",
        result.scalars["ls_min_d_fake_min"],
        0.03,
    )


@claim(
    "least_squares_ring",
    "the least-squares loss can train the ring in the DCGAN setting: in at least one seed it "
    "ends with W1 below 0.5",
    profiles=("standard", "full"),
)
def least_squares_can_train_the_ring(result: ExperimentResult):
    return at_most("smallest final W1 over the seeds", result.scalars["ls_final_w1_min"], 0.5)
