r"""What the StyleGAN modules share: a shape check for rows of latents, seeded normal draws."""

from __future__ import annotations

import torch

from ganbook._checks import require_tensor


def _require_rows(name: str, x, width: int) -> torch.Tensor:
    r"""``x`` if it is a float tensor of shape (N, width) with N ≥ 1, else a one-line error."""
    x = require_tensor(name, x)
    if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] != width:
        raise ValueError(f"{name} must have shape (N, {width}) with N >= 1, got {tuple(x.shape)}")
    return x


def _draw_normal(shape, generator: torch.Generator | None, like: torch.Tensor) -> torch.Tensor:
    r"""N(0, 1) numbers of ``shape``, drawn on the CPU from ``generator``, on ``like``'s device."""
    draw = torch.randn(shape, generator=generator, dtype=like.dtype)
    return draw.to(like.device)
