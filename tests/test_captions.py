"""Captions and alt texts are templates: every number they show comes from a result."""

from __future__ import annotations

import pytest

from ganbook.engine import ExperimentResult, figure_names, get_figure
from ganbook.figures.captions import PLACEHOLDER, fill_template, typed_numbers


@pytest.mark.parametrize("name", figure_names())
def test_no_typed_number_in_a_caption_or_alt_text(name):
    spec = get_figure(name)
    for what, template in (("caption", spec.caption), ("alt text", spec.alt)):
        assert typed_numbers(template) == [], f"{name}'s {what} types {typed_numbers(template)}"


@pytest.mark.parametrize("name", figure_names())
def test_placeholders_name_the_figures_own_experiments(name):
    spec = get_figure(name)
    for template in (spec.caption, spec.alt):
        for match in PLACEHOLDER.finditer(template):
            assert match["exp"] in spec.experiments, f"{name}: {match[0]} is not its experiment"


def test_the_lint_catches_the_stale_alt_text_of_the_old_saturation_figure():
    assert typed_numbers("points after 400 generator steps") == ["400"]
    assert typed_numbers("after {saturation_ring.steps} generator steps, $\\log 4$, 2-D") == []


def test_a_template_is_filled_from_the_result_and_an_unknown_key_is_named():
    results = {"ring": ExperimentResult(scalars={"steps": 3000, "w1": 0.1234})}
    assert fill_template("{ring.steps:,} steps, W1 {ring.w1:.2f}", results, "x") == (
        "3,000 steps, W1 0.12"
    )
    with pytest.raises(KeyError, match=r"caption of f.*no scalar 'stepz'"):
        fill_template("{ring.stepz}", results, "caption of f")
    with pytest.raises(KeyError, match="not one of: ring"):
        fill_template("{other.steps}", results, "caption of f")
