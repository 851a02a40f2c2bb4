r"""Caption and alt-text templates: every number a caption quotes comes from a result.

A figure's caption and alt text are templates. ``{EXPERIMENT.KEY}`` or ``{EXPERIMENT.KEY:FORMAT}``
is replaced by the scalar ``KEY`` of that experiment's result, formatted with the Python format
spec ``FORMAT`` (default ``.3g`` for floats, ``d`` for ints); the experiment must be one the figure
draws from. Typed numbers are not allowed in the literal text (a test checks every figure), so a
caption cannot say "400 steps" of a 300-step run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ganbook.engine.result import ExperimentResult

__all__ = ["PLACEHOLDER", "fill_template", "format_value", "literal_text", "typed_numbers"]

PLACEHOLDER = re.compile(
    r"\{(?P<exp>[a-z][a-z0-9_]*)\.(?P<key>[A-Za-z0-9_]+)(?::(?P<fmt>[^{}]+))?\}"
)
r"""``{experiment.key}`` or ``{experiment.key:format}`` in a caption or alt-text template."""


def format_value(value: float | int | str | bool, spec: str | None = None) -> str:
    """Format a result for prose: ``spec`` for numbers (default ``.3g``), strings unchanged.

    Examples
    --------
    >>> format_value(0.000391)
    '0.000391'
    >>> format_value(1234.5678, ",.1f")
    '1,234.6'
    >>> format_value(3000, ",")
    '3,000'
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return format(value, spec or (".3g" if isinstance(value, float) else "d"))


def fill_template(template: str, results: Mapping[str, ExperimentResult], where: str) -> str:
    """Replace every placeholder of ``template`` by the scalar it names.

    Raises
    ------
    KeyError
        Naming ``where`` and the placeholder when the experiment is not one of ``results`` or
        its result has no such scalar.
    """

    def replace(match: re.Match) -> str:
        experiment, key = match["exp"], match["key"]
        if experiment not in results:
            known = ", ".join(sorted(results))
            raise KeyError(f"{where}: {match[0]!r} names {experiment!r}, not one of: {known}")
        try:
            value = results[experiment].scalar(key)
        except KeyError as error:
            raise KeyError(f"{where}: {match[0]!r}: {error.args[0]}") from error
        return format_value(value, match["fmt"])

    return PLACEHOLDER.sub(replace, template)


def literal_text(template: str) -> str:
    """``template`` with its placeholders removed: the words typed by hand."""
    return PLACEHOLDER.sub(" ", template)


_MATH = re.compile(r"(?<!\\)\$[^$]*(?<!\\)\$")
_NOTATION = re.compile(r"\b[123]-D\b|\bW1\b|\bR1\b|\bL2\b")
_NUMBER = re.compile(r"\d[\d,.]*")


def typed_numbers(template: str) -> list[str]:
    r"""The numbers typed by hand in a caption or alt-text template.

    Placeholders are filled from results, so they are allowed; so are constants inside inline
    math (``$\log 4$``) and the notation ``1-D``, ``2-D``, ``W1``, ``R1``, ``L2``. Anything
    else that contains a digit is returned.

    Examples
    --------
    >>> typed_numbers("after {ring_run.steps:,} steps, 400 of them on the 2-D ring")
    ['400']
    """
    text = _NOTATION.sub(" ", _MATH.sub(" ", literal_text(template)))
    return _NUMBER.findall(text)
