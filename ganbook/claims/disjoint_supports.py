r"""Claims about `ganbook.experiments.disjoint_supports`, checked at every build.

The divergences are computed exactly (discrete distributions, a linear program): the claims are
equalities to rounding error.
"""

from __future__ import annotations

from ganbook.experiments.claims import at_most, claim, close_to
from ganbook.experiments.result import ExperimentResult


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
