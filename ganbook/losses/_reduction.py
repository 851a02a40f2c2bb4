r"""The one reduction rule shared by every loss in `ganbook.losses`.

A loss first computes a per-element term for each batch it sees (one for a generator loss; a real
and a fake one for a discriminator loss) and then hands the terms to this module. The two batches
may differ in size, so a two-input loss is reduced batch by batch and the results are added:

- ``"mean"``: mean(real term) + mean(fake term), the mini-batch estimate of the expectations;
- ``"sum"``: sum(real term) + sum(fake term);
- ``"none"``: the tuple ``(real_term, fake_term)``, each with the shape of its input.

This module holds no mathematics of any loss, only the reduction and the input checks.
"""

from __future__ import annotations

from typing import Any

import torch

from ganbook._checks import require_choice, require_non_empty_tensor

REDUCTIONS = ("mean", "sum", "none")
r"""The accepted values of every loss's ``reduction`` argument."""


def check_scores(name: str, value: Any) -> torch.Tensor:
    r"""Return discriminator outputs ``value`` if they are a non-empty floating-point tensor."""
    return require_non_empty_tensor(name, value)


def check_reduction(reduction: Any) -> str:
    r"""Return ``reduction`` if it is one of `REDUCTIONS`, else raise ``ValueError`` naming it."""
    return require_choice("reduction", reduction, REDUCTIONS)


def reduce_term(term: torch.Tensor, reduction: str) -> torch.Tensor:
    r"""Reduce the per-element term of a one-input loss: its mean, its sum, or itself."""
    if reduction == "mean":
        return term.mean()
    if reduction == "sum":
        return term.sum()
    return term


def reduce_pair(
    real_term: torch.Tensor, fake_term: torch.Tensor, reduction: str
) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
    r"""Reduce the real and fake terms of a two-input loss separately and add them.

    With ``reduction="none"`` the two per-element terms are returned as ``(real_term, fake_term)``,
    since batches of different sizes cannot be added element by element.
    """
    if reduction == "none":
        return real_term, fake_term
    return reduce_term(real_term, reduction) + reduce_term(fake_term, reduction)
