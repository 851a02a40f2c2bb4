r"""The contract every toy sampler of `ganbook.data` follows, as three small helpers.

A sampler takes the sample count first and a keyword-only, required ``torch.Generator`` seeded by
the caller; global RNG state is never read. All random numbers are drawn on the CPU in float64 with
that generator, the sample is computed in float64, and only then cast to ``dtype`` and moved to
``device``. Hence one seed gives the same sample on every device, and a float32 sample is the
float64 sample rounded. This module holds the checks and the draws; it defines no distribution.
"""

from __future__ import annotations

import torch

from ganbook._checks import (
    require_cpu_generator,
    require_device,
    require_float_dtype,
    require_positive_int,
)

DeviceLike = str | torch.device


def check_sampler_arguments(n, generator, device, dtype) -> tuple[int, torch.device, torch.dtype]:
    r"""Validate the arguments every sampler shares; return ``n``, ``device`` and ``dtype``."""
    require_cpu_generator("generator", generator)
    return (
        require_positive_int("n", n),
        require_device("device", device),
        require_float_dtype("dtype", dtype),
    )


def standard_normal(n: int, k: int, generator: torch.Generator) -> torch.Tensor:
    r"""Standard normal draws of shape (n, k), float64, on the CPU."""
    return torch.randn(n, k, generator=generator, dtype=torch.float64)
