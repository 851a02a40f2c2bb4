r"""Claims about this chapter's experiments (its ``experiments`` module), checked at every build.

`ring_run` is a seed ensemble: every claim about what its runs do is checked on every member (the
figures of one run show one of them, and what they show must not depend on which). `bce_terms` is
exact.
"""

from __future__ import annotations

from ganbook.engine.claims import at_most, between, claim, close_to
from ganbook.engine.result import ExperimentResult

# ---- bce_terms: exact (the package's loss and autograd on a grid of logits) --------------------


@claim(
    "bce_terms",
    "at ℓ = −4 the real term costs about |ℓ|: within 0.05 of 4",
)
def real_term_about_minus_logit_when_wrong(result: ExperimentResult):
    return close_to("real term at ℓ = −4", result.scalars["real_at_minus4"], 4.0, 0.05)


@claim("bce_terms", "both terms equal log 2 at ℓ = 0, to 1e-12")
def both_terms_log2_at_zero(result: ExperimentResult):
    s = result.scalars
    return [
        close_to("real term at ℓ = 0", s["real_at_zero"], s["log2"], 1e-12),
        close_to("fake term at ℓ = 0", s["fake_at_zero"], s["log2"], 1e-12),
    ]


@claim("bce_terms", "real term minus fake term is −ℓ on the whole grid, to 1e-12")
def difference_is_minus_logit(result: ExperimentResult):
    gap = result.scalars["max_difference_gap"]
    return at_most("largest |real − fake + ℓ| on the grid", gap, 1e-12)


@claim(
    "bce_terms",
    "the real term's slope is within 0.05 of −1 at ℓ = −4 (a confident mistake) and within 0.05 "
    "of 0 at ℓ = +4",
)
def slope_near_minus_one_on_mistakes(result: ExperimentResult):
    s = result.scalars
    return [
        between("slope of the real term at ℓ = −4", s["real_slope_at_minus4"], -1.0, -0.95),
        between("slope of the real term at ℓ = +4", s["real_slope_at_plus4"], -0.05, 0.0),
    ]
