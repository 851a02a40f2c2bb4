r"""Checks for numpy arguments of the pure-math layer: probability vectors, samples, weights, costs.

Every helper converts its argument to a float64 ``numpy`` array, raises a ``ValueError`` (or a
``TypeError`` for non-numeric input) whose message names the argument and the problem, and returns
the array. Scalar checks live in ``ganbook._checks``; this module holds only the array checks that
`ganbook.divergences` and `ganbook.theory` share. It contains no mathematics.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: Largest tolerated distance between the sum of a probability vector and 1.
SUM_TOLERANCE = 1e-9


def as_float_array(name: str, value: Any) -> np.ndarray:
    r"""Return ``value`` as a finite float64 array, else raise naming ``name``."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of real numbers ({error})") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got a NaN or an infinite entry")
    return array


def _require_non_negative(name: str, array: np.ndarray) -> np.ndarray:
    r"""Return ``array`` if no entry is negative, else raise naming ``name`` and the minimum."""
    if np.any(array < 0):
        raise ValueError(f"{name} must be non-negative, got minimum {array.min():g}")
    return array


def as_non_negative_array(name: str, value: Any) -> np.ndarray:
    r"""Return ``value`` as a finite, non-negative float64 array, else raise naming ``name``."""
    return _require_non_negative(name, as_float_array(name, value))


def as_vector(name: str, value: Any) -> np.ndarray:
    r"""Return ``value`` as a finite, non-empty 1-D float64 array, else raise naming ``name``."""
    array = as_float_array(name, value)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    return array


def as_probability_vector(name: str, value: Any) -> np.ndarray:
    r"""Return ``value`` if it is 1-D, non-negative and sums to 1 within ``SUM_TOLERANCE``."""
    vector = _require_non_negative(name, as_vector(name, value))
    total = vector.sum()
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise ValueError(f"{name} must sum to 1 (within {SUM_TOLERANCE:g}), got {total!r}")
    return vector


def as_probability_pair(
    p: Any, q: Any, *, same_length: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    r"""Return probability vectors ``p`` and ``q`` (of the same length if asked), else raise."""
    p = as_probability_vector("p", p)
    q = as_probability_vector("q", q)
    if same_length and p.size != q.size:
        raise ValueError(f"p and q must have the same length, got {p.size} and {q.size}")
    return p, q


def as_weights(name: str, value: Any, size: int) -> np.ndarray:
    r"""Return ``value`` as ``size`` non-negative weights with a positive sum, else raise."""
    weights = as_vector(name, value)
    if weights.size != size:
        raise ValueError(f"{name} must have one weight per value ({size}), got {weights.size}")
    _require_non_negative(name, weights)
    if weights.sum() <= 0:
        raise ValueError(f"{name} must have a positive sum")
    return weights


def as_cost_matrix(name: str, value: Any, shape: tuple[int, int]) -> np.ndarray:
    r"""Return ``value`` as a finite, non-negative matrix of the given ``shape``, else raise."""
    cost = as_float_array(name, value)
    if cost.shape != shape:
        raise ValueError(f"{name} must have shape {shape} (len(p), len(q)), got {cost.shape}")
    return _require_non_negative(name, cost)


def require_same_shape(names: tuple[str, ...], *arrays: np.ndarray) -> None:
    r"""Raise ``ValueError`` naming ``names`` unless all ``arrays`` have the same shape."""
    shapes = [array.shape for array in arrays]
    if any(shape != shapes[0] for shape in shapes):
        listed = ", ".join(f"{n} {s}" for n, s in zip(names, shapes, strict=True))
        raise ValueError(f"{' and '.join(names)} must have the same shape, got {listed}")
