r"""What the pages quote about a seed ensemble: the spread of a per-member value, a member shown.

- `spread`, `add_spread`: minimum, median and maximum of one value per member, as scalars.
- `median_member`: the member of an ensemble that a one-run figure shows, by a stated rule.
- `one_sided_p`: the one-sided Mann–Whitney test that one ensemble beats another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.stats import mannwhitneyu

__all__ = ["add_spread", "median_member", "one_sided_p", "spread"]


def spread(
    name: str, values: np.ndarray, fmt: Callable[[Any], float | int] = float
) -> dict[str, float | int]:
    r"""``NAME_min``, ``NAME_median`` and ``NAME_max`` of one value per member, each ``fmt``-ed.

    Members without the value (NaN) are left out; if none has it, all three are NaN (a claim
    on them then fails rather than passes).

    Examples
    --------
    >>> spread("w1", np.array([0.3, np.nan, 0.1, 0.2]))
    {'w1_min': 0.1, 'w1_median': 0.2, 'w1_max': 0.3}
    """
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if not len(values):
        return {f"{name}_{what}": float("nan") for what in ("min", "median", "max")}
    return {
        f"{name}_min": fmt(values.min()),
        f"{name}_median": fmt(np.median(values)),
        f"{name}_max": fmt(values.max()),
    }


def add_spread(scalars: dict[str, Any], name: str, values: np.ndarray) -> None:
    r"""Add ``NAME_median``, ``NAME_min`` and ``NAME_max`` of a per-member array to ``scalars``.

    The median is a float; the extremes keep the kind of the values (an int for counts), which
    is how the saturation and least-squares pages quote them.

    Examples
    --------
    >>> scalars = {}
    >>> add_spread(scalars, "modes", np.array([8, 5, 6]))
    >>> scalars
    {'modes_median': 6.0, 'modes_min': 5, 'modes_max': 8}
    """
    values = np.asarray(values)
    kind = int if np.issubdtype(values.dtype, np.integer) else float
    scalars[f"{name}_median"] = float(np.median(values))
    scalars[f"{name}_min"] = kind(values.min())
    scalars[f"{name}_max"] = kind(values.max())


def median_member(values: np.ndarray) -> int:
    r"""The index of the member whose value is the median (the lower one for an even count).

    The rule by which a figure of one run picks its run from a seed ensemble: sort the members
    by ``values`` (say, the final $W_1$ to the data) and take the middle one, ties broken by
    member index.

    Examples
    --------
    >>> median_member(np.array([0.3, 0.1, 0.9, 0.2, 0.5]))
    0
    """
    order = np.argsort(np.asarray(values, dtype=float), kind="stable")
    return int(order[(len(order) - 1) // 2])


# --8<-- [start:one_sided]
def one_sided_p(better: np.ndarray, worse: np.ndarray, higher_is_better: bool) -> float:
    r"""The one-sided Mann–Whitney $U$ test's $p$ that ``better`` beats ``worse`` in the median.

    $H_1$: a value of ``better`` tends to be larger (``higher_is_better``) or smaller than one of
    ``worse``; exact $p$ for small samples, ties counted half.
    """
    side = "greater" if higher_is_better else "less"
    if np.array_equal(np.unique(better), np.unique(worse)) and len(np.unique(better)) == 1:
        return 1.0  # every value the same: no evidence either way (scipy would divide by zero)
    return float(mannwhitneyu(better, worse, alternative=side).pvalue)


# --8<-- [end:one_sided]
