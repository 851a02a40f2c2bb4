r"""The named datasets of ``ganbook train``: a real-data sampler, the models and the batch size.

| name | data | models | batch |
| --- | --- | --- | --- |
| ``ring`` | `eight_gaussians` | MLP G and D, 3 × 128 ReLU, latent 2 | 256 |
| ``grid`` | `twenty_five_gaussians` | the same | 256 |
| ``swissroll`` | `swiss_roll` | the same | 256 |
| ``digits`` | 16×16 digits | DCGAN G and D, 32 channels, latent 64 | 64 |
| ``gaussian1d`` | $\mathcal{N}(3, 1)$ | `ShiftGenerator` from 0, `LogisticDiscriminator` | 256 |

The toys use the WGAN-GP toy code's batch of 256 (its width of 512 is cut to 128 to fit a CPU);
digits snapshot 64 images (an 8 × 8 grid) rather than 512.
``gaussian1d`` is the book's shift toy, chosen over a small MLP because its one parameter
$\theta$ has a known target $\mu = 3$; its learning rates are raised to 1e-2 for every loss,
since the papers' rates (for images) would need tens of thousands of steps to move $\theta$ by 3.
This module names and builds; it does not train.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from ganbook._checks import require_choice
from ganbook.data import (
    eight_gaussians,
    gaussian_1d,
    load_digits_dataset,
    sample_rows,
    swiss_roll,
    twenty_five_gaussians,
)
from ganbook.models import (
    DCGANDiscriminator,
    DCGANGenerator,
    LogisticDiscriminator,
    MLPDiscriminator,
    MLPGenerator,
    ShiftGenerator,
)

__all__ = ["DATASETS", "SHIFT_TOY_MEAN", "Dataset", "get_dataset"]

SHIFT_TOY_MEAN = 3.0
r"""Mean $\mu$ of the real data of ``gaussian1d``; the generator starts at $\theta = 0$."""

Sampler = Callable[[int, torch.Generator], torch.Tensor]


def _toy(sample: Callable[..., torch.Tensor]) -> Callable[[torch.device], Sampler]:
    return lambda device: lambda n, generator: sample(n, generator=generator, device=device)


def _digits(device: torch.device) -> Sampler:
    images = load_digits_dataset(size=16, device=device)  # (1200, 1, 16, 16), loaded once
    return lambda n, generator: sample_rows(images, n, generator=generator)


def _shift_toy(device: torch.device) -> Sampler:
    def sample(n: int, generator: torch.Generator) -> torch.Tensor:
        return gaussian_1d(n, mean=SHIFT_TOY_MEAN, generator=generator, device=device)

    return sample


def _mlps(rng: torch.Generator) -> tuple[nn.Module, nn.Module]:
    return MLPGenerator(generator=rng), MLPDiscriminator(generator=rng)


def _dcgans(rng: torch.Generator) -> tuple[nn.Module, nn.Module]:
    return DCGANGenerator(generator=rng), DCGANDiscriminator(generator=rng)


def _shift_models(_rng: torch.Generator) -> tuple[nn.Module, nn.Module]:
    return ShiftGenerator(theta=0.0), LogisticDiscriminator()  # deterministic: no draw


@dataclass(frozen=True)
class Dataset:
    r"""A named dataset of the command line and the models it is trained with.

    Parameters
    ----------
    name : str
        The command-line name.
    kind : {"points", "line", "images"}
        2-D points, 1-D values or images: how the samples are drawn in a figure.
    make_sampler : callable
        ``make_sampler(device)`` returns ``data(n, generator)`` for `ganbook.training.train`.
    make_models : callable
        ``make_models(rng)`` returns ``(generator, discriminator)`` initialised from ``rng``.
    overrides : dict
        `TrainConfig` fields this dataset sets (batch size, learning rates).
    """

    name: str
    kind: str
    make_sampler: Callable[[torch.device], Sampler]
    make_models: Callable[[torch.Generator], tuple[nn.Module, nn.Module]]
    overrides: dict[str, Any] = field(default_factory=dict)

    def build(self, seed: int, device: torch.device) -> tuple[nn.Module, nn.Module, Sampler]:
        r"""The models, initialised from ``seed`` on the CPU, and the sampler on ``device``.

        Examples
        --------
        >>> import torch
        >>> G, D, data = get_dataset("ring").build(0, torch.device("cpu"))
        >>> data(4, torch.Generator().manual_seed(0)).shape, G.latent_dim
        (torch.Size([4, 2]), 2)
        """
        generator, discriminator = self.make_models(torch.Generator().manual_seed(seed))
        return generator, discriminator, self.make_sampler(device)


_TOY_BATCH = {"batch_size": 256}  # the WGAN-GP toy code's batch
_DIGITS = {"batch_size": 64, "snapshot_size": 64}  # an 8 × 8 grid is what a figure shows
DATASETS: dict[str, Dataset] = {
    "ring": Dataset("ring", "points", _toy(eight_gaussians), _mlps, _TOY_BATCH),
    "grid": Dataset("grid", "points", _toy(twenty_five_gaussians), _mlps, _TOY_BATCH),
    "swissroll": Dataset("swissroll", "points", _toy(swiss_roll), _mlps, _TOY_BATCH),
    "digits": Dataset("digits", "images", _digits, _dcgans, _DIGITS),
    "gaussian1d": Dataset(
        "gaussian1d", "line", _shift_toy, _shift_models, {**_TOY_BATCH, "d_lr": 1e-2, "g_lr": 1e-2}
    ),
}
r"""Every dataset of ``ganbook train`` by name."""


def get_dataset(name: str) -> Dataset:
    r"""Return the `Dataset` called ``name``; ``ValueError`` naming it and the choices otherwise.

    Examples
    --------
    >>> get_dataset("digits").kind
    'images'
    """
    return DATASETS[require_choice("dataset", name, DATASETS)]
