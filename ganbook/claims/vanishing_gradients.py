r"""Claims about `ganbook.experiments.vanishing_gradients`, checked at every build.

`disjoint_supports_gradients` is a seed ensemble: every claim holds for every member and every
generator $\theta$ (the scalars are minima and maxima over both).
"""

from __future__ import annotations

from ganbook.experiments.claims import at_least, at_most, claim
from ganbook.experiments.result import ExperimentResult

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
