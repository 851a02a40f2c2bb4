"""Argument checks shared by every public function: each raises an error that names the argument.

Only checks live here, never the mathematics. Each helper returns its (converted) argument so that a
caller can validate and assign in one line. torch is imported by the checks that need it, not with
this module, so that code which only validates numbers and choices does not load it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch


def require_tensor(name: str, value: Any) -> torch.Tensor:
    """Return ``value`` if it is a floating-point tensor; else ``TypeError`` naming ``name``."""
    import torch

    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(value).__name__}")
    if not value.is_floating_point():
        raise TypeError(f"{name} must be a floating-point tensor, got dtype {value.dtype}")
    return value


def require_finite_number(name: str, value: Any) -> float:
    """Return ``value`` as a float if it is a finite real number, else raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def require_positive(name: str, value: Any) -> float:
    """Return ``value`` if it is a finite number > 0, else raise naming ``name``."""
    value = require_finite_number(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return value


def require_non_negative(name: str, value: Any) -> float:
    """Return ``value`` if it is a finite number >= 0, else raise naming ``name``."""
    value = require_finite_number(name, value)
    if value < 0:
        raise ValueError(f"{name} must be non-negative, got {value}")
    return value


def require_positive_int(name: str, value: Any) -> int:
    """Return ``value`` if it is an int >= 1, else raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return value


def require_in_half_open(name: str, value: Any, low: float, high: float) -> float:
    """Return ``value`` if ``low <= value < high``, else raise naming ``name`` and the interval."""
    value = require_finite_number(name, value)
    if not low <= value < high:
        raise ValueError(f"{name} must lie in [{low}, {high}), got {value}")
    return value


def require_choice(name: str, value: Any, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise ``ValueError`` listing them."""
    choices = tuple(choices)
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {name} {value!r}; expected one of {listed}")
    return value


def require_generator(name: str, value: Any) -> torch.Generator | None:
    """Return ``value`` if it is ``None`` or a ``torch.Generator``, else raise ``TypeError``."""
    import torch

    if value is not None and not isinstance(value, torch.Generator):
        raise TypeError(f"{name} must be a torch.Generator or None, got {type(value).__name__}")
    return value


def require_non_empty_tensor(name: str, value: Any) -> torch.Tensor:
    """Return ``value`` if it is a floating-point tensor with at least one element, else raise."""
    value = require_tensor(name, value)
    if value.numel() == 0:
        raise ValueError(f"{name} must have at least one element, got shape {tuple(value.shape)}")
    return value


def require_bool(name: str, value: Any) -> bool:
    """Return ``value`` if it is a ``bool``, else raise ``TypeError`` naming ``name``."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__}")
    return value


def require_cpu_generator(name: str, value: Any) -> torch.Generator:
    """Return ``value`` if it is a CPU ``torch.Generator`` (``None`` refused), else raise."""
    import torch

    if not isinstance(value, torch.Generator):
        raise TypeError(f"{name} must be a torch.Generator, got {type(value).__name__}")
    if value.device.type != "cpu":
        raise ValueError(f"{name} must be a CPU torch.Generator, got one on {value.device}")
    return value


def require_device(name: str, value: Any) -> torch.device:
    """Return ``value`` as a ``torch.device`` if it names one, else raise naming ``name``."""
    import torch

    if not isinstance(value, (str, torch.device)):
        raise TypeError(f"{name} must be a str or torch.device, got {type(value).__name__}")
    try:
        return torch.device(value)
    except RuntimeError as error:
        raise ValueError(f"{name} is not a valid torch device: {value!r}") from error


def require_float_dtype(name: str, value: Any) -> torch.dtype:
    """Return ``value`` if it is a floating-point ``torch.dtype``, else raise naming ``name``."""
    import torch

    if not isinstance(value, torch.dtype) or not value.is_floating_point:
        raise TypeError(f"{name} must be a floating-point torch.dtype, got {value!r}")
    return value


def require_non_negative_int(name: str, value: Any) -> int:
    """Return ``value`` if it is an int >= 0, else raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must be non-negative, got {value}")
    return value
