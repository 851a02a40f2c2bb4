r"""Claims: what the prose says about an experiment's results, checked whenever they are computed.

A page that says "in 5 of 5 runs the samples cover at least 6 modes" is only honest while the code
still produces that. Each such sentence has a *claim*: a statement and a function that looks at
the experiment's result and returns one or more :class:`Check` values, each saying what was
measured (``found``), what the sentence needs (``bound``) and whether it holds. Checks are made
with the constructors below (:func:`at_least`, :func:`at_most`, :func:`between`,
:func:`close_to`, :func:`holds`), never with ``assert``, so they work under ``python -O``.

Claims are registered by each chapter's ``claims`` module, apart from the experiment code:
they are not part of any cache key, so editing a bound re-checks it without retraining. A claim
is keyed by its module and function name, and is cited on its page by the directive
``{{ claim EXPERIMENT.NAME }}`` (its :attr:`Claim.id`); two claims with one key or one id are an
error. Whatever a check function raises is reported as that claim failing, with what it raised.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ganbook._checks import require_choice
from ganbook.engine.registry import PROFILES, load_catalogue
from ganbook.engine.result import ExperimentResult

__all__ = [
    "Check",
    "Claim",
    "ClaimFailedError",
    "ClaimOutcome",
    "all_claims",
    "at_least",
    "at_most",
    "between",
    "check_claims",
    "claim",
    "claims_for",
    "close_to",
    "evaluate_claim",
    "get_claim",
    "holds",
]


class ClaimFailedError(RuntimeError):
    """The prose states something about a result that the result does not show."""


def _show(value: Any) -> str:
    """A number as prose would quote it: 4 significant digits, ints as they are."""
    if isinstance(value, (bool, str)):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    try:  # numpy scalars and arrays
        import numpy as np

        array = np.asarray(value)
        if array.ndim == 0:
            return _show(array.item())
        return _show(array.tolist())
    except (TypeError, ValueError):
        return repr(value)


@dataclass(frozen=True)
class Check:
    r"""One measured fact of a claim: what was measured, the value found, the bound, the verdict.

    Parameters
    ----------
    what : str
        The quantity, in words ("modes covered at the end, fewest over the 5 members").
    found : str
        The value found, formatted.
    bound : str
        What the sentence needs, formatted ("≥ 6").
    held : bool
        Whether ``found`` satisfies ``bound``.
    """

    what: str
    found: str
    bound: str
    held: bool


def _number(what: str, value: Any) -> float:
    """``value`` as a float; a NaN or a non-number is a failed check, not a pass."""
    if isinstance(value, bool):
        raise TypeError(f"{what}: expected a number, got the bool {value}")
    number = float(value)  # numpy scalars, ints; raises TypeError for anything else
    if math.isnan(number):
        raise ValueError(f"{what}: the value found is NaN")
    return number


def at_least(what: str, found: Any, bound: float) -> Check:
    r"""Holds when $\text{found} \ge \text{bound}$ (a NaN never holds)."""
    value = _number(what, found)
    return Check(what, _show(found), f"≥ {_show(bound)}", value >= bound)


def at_most(what: str, found: Any, bound: float) -> Check:
    r"""Holds when $\text{found} \le \text{bound}$ (a NaN never holds)."""
    value = _number(what, found)
    return Check(what, _show(found), f"≤ {_show(bound)}", value <= bound)


def between(what: str, found: Any, low: float, high: float) -> Check:
    r"""Holds when $\text{low} < \text{found} < \text{high}$ (open interval)."""
    value = _number(what, found)
    return Check(what, _show(found), f"in ({_show(low)}, {_show(high)})", low < value < high)


def close_to(what: str, found: Any, target: float, tolerance: float) -> Check:
    r"""Holds when $|\text{found} - \text{target}| \le \text{tolerance}$."""
    value = _number(what, found)
    bound = f"{_show(target)} ± {_show(tolerance)}"
    return Check(what, _show(found), bound, abs(value - target) <= tolerance)


def holds(what: str, condition: Any, found: Any = None) -> Check:
    r"""Holds when ``condition`` is true; ``found`` says what was seen (default: the condition)."""
    if not isinstance(condition, bool):
        try:
            condition = bool(condition.item())  # a numpy bool
        except AttributeError as error:
            raise TypeError(f"{what}: the condition must be a bool, got {condition!r}") from error
    shown = _show(condition if found is None else found)
    return Check(what, shown, "true", condition)


CheckFunction = Callable[[ExperimentResult], "Check | Iterable[Check]"]


@dataclass(frozen=True)
class Claim:
    """A registered claim (see :func:`claim`)."""

    experiment: str
    statement: str
    check: CheckFunction
    profiles: tuple[str, ...]
    module: str
    name: str

    @property
    def id(self) -> str:
        """``EXPERIMENT.NAME``: how pages cite the claim and how the ledger lists it."""
        return f"{self.experiment}.{self.name}"

    @property
    def key(self) -> tuple[str, str, str]:
        """``(module, experiment, function name)``: the claim's identity in the registry.

        One check may state the same thing of several experiments (each data set's summary),
        registered once for each.
        """
        return (self.module, self.experiment, self.name)


@dataclass(frozen=True)
class ClaimOutcome:
    """The verdict of one claim on one result: every check, or the error the check raised."""

    claim: Claim
    checks: tuple[Check, ...]
    error: str | None = None

    @property
    def held(self) -> bool:
        """True when the check ran, returned at least one check, and every check held."""
        return self.error is None and bool(self.checks) and all(c.held for c in self.checks)

    @property
    def found(self) -> str:
        """What was found, check by check (or the error)."""
        if self.error is not None:
            return self.error
        return "; ".join(f"{c.what}: {c.found}" for c in self.checks)

    @property
    def bound(self) -> str:
        """What the statement needs, check by check."""
        return "; ".join(f"{c.what} {c.bound}" for c in self.checks)

    def describe(self) -> str:
        """One line: the verdict, the claim, and the checks that broke (or all when it held)."""
        verdict = "held" if self.held else "BROKE"
        if self.error is not None:
            detail = f"raised {self.error}"
        else:
            shown = [c for c in self.checks if not c.held] or list(self.checks)
            detail = "; ".join(f"{c.what}: found {c.found}, needs {c.bound}" for c in shown)
        return f"{verdict:5s}  {self.claim.id}: {self.claim.statement!r}  [{detail}]"


_CLAIMS: dict[tuple[str, str, str], Claim] = {}


def claim(
    experiment: str, statement: str, *, profiles: tuple[str, ...] = PROFILES
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the check of ``statement`` about ``experiment``.

    The function receives the experiment's result and returns a :class:`Check` or an iterable
    of them. ``profiles`` lists the profiles whose parameters make the statement meaningful (a
    tiny ``test`` run may be too short to show a training effect).

    Raises
    ------
    ValueError
        For an unknown profile, an empty statement, or a second claim with the same module,
        experiment and function name, or the same id (``EXPERIMENT.NAME``).
    """
    for profile in profiles:
        require_choice("profile", profile, PROFILES)
    if not isinstance(statement, str) or not statement.strip():
        raise ValueError(f"a claim about {experiment!r} needs a statement")

    def register(check: CheckFunction) -> CheckFunction:
        item = Claim(
            experiment, statement, check, tuple(profiles), check.__module__, check.__name__
        )
        if item.key in _CLAIMS:
            raise ValueError(
                f"claim {item.module}.{item.name} about {experiment!r} is registered twice"
            )
        if any(other.id == item.id for other in _CLAIMS.values()):
            raise ValueError(f"two claims have the id {item.id!r}; rename one of them")
        _CLAIMS[item.key] = item
        return check

    return register


def all_claims() -> list[Claim]:
    """Every registered claim, in registration order (chapter by chapter)."""
    load_catalogue()  # each chapter's experiments, then its figures and claims
    return list(_CLAIMS.values())


def claims_for(experiment: str) -> list[Claim]:
    """Every claim registered about ``experiment`` (which must exist)."""
    from ganbook.engine.registry import get_experiment

    get_experiment(experiment)  # loads the experiments, and checks the name
    return [c for c in all_claims() if c.experiment == experiment]


def get_claim(claim_id: str) -> Claim:
    """The claim with id ``EXPERIMENT.NAME``; ``KeyError`` if there is none."""
    for item in all_claims():
        if item.id == claim_id:
            return item
    raise KeyError(f"no claim {claim_id!r}; `ganbook claims --list` shows them")


def evaluate_claim(item: Claim, result: ExperimentResult) -> ClaimOutcome:
    """Run ``item``'s check on ``result``; anything it raises makes the outcome a failure."""
    try:
        returned = item.check(result)
        checks = (returned,) if isinstance(returned, Check) else tuple(returned)
        if not checks or not all(isinstance(c, Check) for c in checks):
            raise TypeError("the check must return one or more Check values")
    except Exception as error:
        return ClaimOutcome(item, (), f"{type(error).__name__}: {error}")
    return ClaimOutcome(item, checks)


def outcomes_for(experiment: str, result: ExperimentResult, profile: str) -> list[ClaimOutcome]:
    """The outcome of every claim about ``experiment`` that applies to ``profile``."""
    return [
        evaluate_claim(item, result) for item in claims_for(experiment) if profile in item.profiles
    ]


def check_claims(experiment: str, result: ExperimentResult, profile: str) -> int:
    """Check every claim about ``experiment`` that applies to ``profile``; return how many.

    Raises
    ------
    ClaimFailedError
        Naming, for every claim that broke, the experiment, the statement and what was found.
    """
    outcomes = outcomes_for(experiment, result, profile)
    broken = [o for o in outcomes if not o.held]
    if broken:
        lines = "\n".join(o.describe() for o in broken)
        raise ClaimFailedError(f"{len(broken)} claim(s) about {experiment} broke:\n{lines}")
    return len(outcomes)
