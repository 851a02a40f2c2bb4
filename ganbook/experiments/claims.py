"""Claims: what the prose says about an experiment's numbers, checked whenever they are computed.

A page that says "the saturating gradient falls below 1e-3 beyond 7.3σ" is only honest while the
code still produces that. Each such sentence has a claim function registered beside its
experiment; the site build checks every claim on the results it is about to publish and fails with
the claim's message if one no longer holds, and the test suite checks them too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ganbook._checks import require_choice
from ganbook.experiments.registry import PROFILES
from ganbook.experiments.result import ExperimentResult

CheckFunction = Callable[[ExperimentResult], None]


class ClaimFailedError(AssertionError):
    """The prose states something about a result that the result no longer shows."""


@dataclass(frozen=True)
class Claim:
    """A registered claim (see :func:`claim`)."""

    experiment: str
    statement: str
    check: CheckFunction
    profiles: tuple[str, ...]


_CLAIMS: list[Claim] = []


def claim(
    experiment: str, statement: str, *, profiles: tuple[str, ...] = PROFILES
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as a check of ``statement`` about ``experiment``.

    The function receives the experiment's result and raises ``AssertionError`` if the statement
    does not hold. ``profiles`` lists the profiles whose parameters make the statement meaningful
    (a tiny ``test`` run may be too short to show a training effect).
    """
    for profile in profiles:
        require_choice("profile", profile, PROFILES)

    def register(check: CheckFunction) -> CheckFunction:
        if not any(c.check.__qualname__ == check.__qualname__ for c in _CLAIMS):
            _CLAIMS.append(Claim(experiment, statement, check, tuple(profiles)))
        return check

    return register


def claims_for(experiment: str) -> list[Claim]:
    """Every claim registered about ``experiment``."""
    from ganbook.experiments.registry import get_experiment

    get_experiment(experiment)  # loads the catalogue, and checks the name
    return [c for c in _CLAIMS if c.experiment == experiment]


def check_claims(experiment: str, result: ExperimentResult, profile: str) -> int:
    """Check every claim about ``experiment`` that applies to ``profile``; return how many.

    Raises
    ------
    ClaimFailedError
        Naming the experiment, the statement and what the check found.
    """
    checked = 0
    for item in claims_for(experiment):
        if profile not in item.profiles:
            continue
        try:
            item.check(result)
        except AssertionError as error:
            raise ClaimFailedError(
                f"claim about {experiment} no longer holds: {item.statement!r} ({error})"
            ) from error
        checked += 1
    return checked
