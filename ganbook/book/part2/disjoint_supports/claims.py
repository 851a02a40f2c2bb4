r"""Claims about this chapter's experiments (its ``experiments`` module), checked at every build.

The divergences of `disjoint_supports_divergences` are computed exactly (discrete distributions,
a linear program): those claims are equalities to rounding error. `disjoint_supports_gradients`
is a seed ensemble: every claim about it holds for every member and every generator $\theta$
(the scalars are minima and maxima over both).
"""

from __future__ import annotations

from ganbook.engine.claims import at_least, at_most, claim, close_to
from ganbook.engine.result import ExperimentResult


@claim(
    "disjoint_supports_divergences",
    "parallel lines: for θ ≠ 0, KL = ∞, JS = log 2 and TV = 1, and W₁ = |θ| by the linear "
    "program; all four are 0 at θ = 0",
)
def parallel_lines_only_w1_knows_the_distance(result: ExperimentResult):
    s = result.scalars
    return [
        close_to("finite values of KL off θ = 0", s["plane_kl_finite_off_zero"], 0, 0),
        at_most("largest |JS − log 2| off θ = 0", s["plane_js_gap"], 1e-12),
        at_most("largest |TV − 1| off θ = 0", s["plane_tv_gap"], 1e-12),
        at_most("largest |W₁ − |θ||", s["plane_w1_gap"], 1e-9),
        at_most("largest of the four at θ = 0", s["plane_at_zero"], 1e-9),
    ]


@claim(
    "disjoint_supports_divergences",
    "narrow uniforms: JS = min(|θ|/ε, 1)·log 2, TV = min(|θ|/ε, 1) and W₁ = |θ| to rounding "
    "error for every width; KL is infinite at every θ ≠ 0 and 0 at θ = 0",
)
def narrow_uniforms_follow_the_formulas(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("largest JS gap", s["line_js_gap"], 1e-12),
        at_most("largest TV gap", s["line_tv_gap"], 1e-12),
        at_most("largest W₁ gap", s["line_w1_gap"], 1e-12),
        close_to("finite values of KL off θ = 0", s["line_kl_finite_off_zero"], 0, 0),
        close_to("KL at θ = 0", s["line_kl_at_zero"], 0.0, 0.0),
    ]


@claim(
    "disjoint_supports_divergences",
    "two uniforms shifted by half their width have JS = ½ log 2",
    profiles=("standard", "full"),  # the test profile's coarse θ grid misses ε/2
)
def half_overlap_gives_half_log_2(result: ExperimentResult):
    s = result.scalars
    return [
        close_to("shift over width", s["theta_half_overlap"] / s["widest"], 0.5, 1e-12),
        close_to("JS there", s["js_half_overlap"], s["log_2"] / 2, 1e-12),
    ]


TRAINED = ("standard", "full")  # the test profile's runs are too short for the whole collapse


@claim(
    "disjoint_supports_gradients",
    "in every run, for every θ, the gradient through the classifier first grows (its first "
    "value is below a fifth of its peak, the peak above 0.2), then collapses by more than two "
    "orders of magnitude, to below 1e-2 at the end",
    profiles=TRAINED,
)
def classifier_gradient_grows_then_collapses(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("largest first value over peak", s["classifier_first_over_peak_max"], 0.2),
        at_least("smallest peak", s["classifier_peak_min"], 0.2),
        at_least("smallest drop from the peak to the end", s["classifier_drop_min"], 100.0),
        at_most("largest final gradient", s["classifier_final_max"], 1e-2),
    ]


@claim(
    "disjoint_supports_gradients",
    "in every run the classifier's JS estimate reaches log 2 to within 1e-4 for every θ: it "
    "cannot tell the generators apart",
    profiles=TRAINED,
)
def classifier_sees_log_2_everywhere(result: ExperimentResult):
    s = result.scalars
    return at_most(
        "log 2 minus the smallest final JS estimate", s["log_2"] - s["js_estimate_final_min"], 1e-4
    )


@claim(
    "disjoint_supports_gradients",
    "for the farthest generator, in every run, the classifier's gradient falls by more than 10 "
    "between two records at its steepest and by less than 3 between the last two: the fall "
    "slows down",
    profiles=TRAINED,
)
def the_fall_slows_down(result: ExperimentResult):
    s = result.scalars
    return [
        at_least("smallest steepest drop", s["farthest_steepest_drop_min"], 10.0),
        at_most("largest last drop", s["farthest_last_drop_max"], 3.0),
    ]


@claim(
    "disjoint_supports_gradients",
    "in every run the gradient through the WGAN-GP critic settles at 1 + |θ|/(2λ), within 0.05 "
    "over the second half of training, and its W₁ estimate at |θ|(1 + |θ|/(2λ)), within 0.06",
    profiles=TRAINED,
)
def critic_gradient_stays(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("largest gap to 1 + |θ|/(2λ), second half", s["critic_late_gap"], 0.05),
        at_least("smallest final critic gradient", s["critic_final_min"], 0.9),
        at_most("largest gap of the W₁ estimate", s["w1_estimate_gap"], 0.06),
    ]


@claim(
    "disjoint_supports_gradients",
    "through the exact critic f(x) = −x the generator's gradient is exactly 1",
)
def exact_critic_gives_one(result: ExperimentResult):
    return at_most("distance from 1", result.scalars["exact_critic_gap"], 1e-6)
