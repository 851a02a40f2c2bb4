r"""GAN losses: each family as a discriminator/generator pair, and the registry that names them.

Every loss takes raw discriminator outputs (logits or critic scores, any shape, real batch first)
and returns the mean over all elements; ``reduction="sum"`` sums instead, and ``reduction="none"``
returns the per-element terms (for a discriminator loss, the tuple ``(real_term, fake_term)``,
since the two batches may differ in size). The defaults are the papers' losses. One generator
loss, the relativistic one, also takes the real outputs (real first, as for a discriminator
loss); `LossPair.generator_loss_of` calls every generator loss the same way.

This package holds the mathematics of the losses only: no optimiser, no model, no penalty (see
`ganbook.penalties`).

Examples
--------
>>> import torch
>>> from ganbook.losses import get_loss
>>> pair = get_loss("hinge")
>>> pair.discriminator_loss(torch.tensor([0.5]), torch.tensor([-0.5, 0.0]))
tensor(1.2500)
"""

from ganbook.losses.hinge import hinge_discriminator_loss, hinge_generator_loss
from ganbook.losses.least_squares import (
    least_squares_discriminator_loss,
    least_squares_generator_loss,
)
from ganbook.losses.minimax import (
    minimax_discriminator_loss,
    minimax_generator_loss,
    nonsaturating_generator_loss,
)
from ganbook.losses.registry import LOSSES, LossPair, get_loss, loss_names
from ganbook.losses.relativistic import (
    relativistic_discriminator_loss,
    relativistic_generator_loss,
)
from ganbook.losses.wasserstein import wasserstein_discriminator_loss, wasserstein_generator_loss

__all__ = [
    "LOSSES",
    "LossPair",
    "get_loss",
    "hinge_discriminator_loss",
    "hinge_generator_loss",
    "least_squares_discriminator_loss",
    "least_squares_generator_loss",
    "loss_names",
    "minimax_discriminator_loss",
    "minimax_generator_loss",
    "nonsaturating_generator_loss",
    "relativistic_discriminator_loss",
    "relativistic_generator_loss",
    "wasserstein_discriminator_loss",
    "wasserstein_generator_loss",
]
