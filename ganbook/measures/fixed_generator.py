r"""A discriminator trained against a generator that never moves: how close it gets to $D^*$.

- `fixed_generator_game`: a `GAN` whose generator's optimiser is never stepped, with its latents
  on a named stream of the run.
- `train_discriminator`: ``steps`` updates of the trainer's own `discriminator_step` on fresh real
  batches, with a callback after each.

The chapters on the optimal discriminator, on least squares and on disjoint supports train their
discriminators this way, each against its own fixed generator.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from ganbook.losses import get_loss
from ganbook.measures.toy_runs import Member
from ganbook.training import GAN, discriminator_step, reproducible_torch

__all__ = ["fixed_generator_game", "train_discriminator"]

Sampler = Callable[[int, torch.Generator], torch.Tensor]


def fixed_generator_game(
    generator: torch.nn.Module,
    discriminator: torch.nn.Module,
    d_optimiser: torch.optim.Optimizer,
    loss: str,
    context: Member,
    offset: int,
    gp_weight: float | None = None,
) -> GAN:
    r"""A `GAN` on ``context.device`` whose generator never moves (its optimiser is never stepped).

    The latents come from the named stream ``"fixed-generator-latents-OFFSET"`` of the context's
    seed, and `train_discriminator` draws the real batches from ``"fixed-generator-data-OFFSET"``:
    runs with different offsets, or different members of an ensemble, draw independent numbers.
    """
    return GAN(
        generator.to(context.device),
        discriminator.to(context.device),
        g_optimiser=torch.optim.SGD(generator.parameters(), lr=0.0),  # never stepped
        d_optimiser=d_optimiser,
        loss=get_loss(loss),
        rng=torch.Generator(context.device).manual_seed(
            context.stream_seed(f"fixed-generator-latents-{offset}")
        ),
        gp_weight=gp_weight,
    )


def train_discriminator(
    gan: GAN,
    sample_real: Sampler,
    *,
    steps: int,
    batch_size: int,
    context: Member,
    offset: int,
    after_step: Callable[[int], None],
    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
) -> None:
    r"""Run ``steps`` discriminator updates of `discriminator_step` while the generator stays put.

    $$
    \varphi_k = \varphi_{k-1} - \eta_k\,\widehat\nabla_\varphi L_D\bigl(D_\varphi(x^{(k)}),
    D_\varphi(G(z^{(k)}))\bigr), \qquad k = 1, \dots, \text{steps}
    $$

    Each step draws a fresh real batch from ``sample_real`` (on the CPU, from the named stream
    ``"fixed-generator-data-OFFSET"`` of ``context``) and fresh latents from ``gan.rng``; the
    generator's parameters are never updated. After step $k = 1, \dots, \text{steps}$ the
    callback ``after_step(k)`` may read the discriminator. Runs on one CPU thread, as
    `TrainConfig` does by default: models this small only lose time to a second thread (and lose
    a lot when the machine is shared).
    """
    device, data_rng = context.device, context.stream(f"fixed-generator-data-{offset}")
    with reproducible_torch(1):
        # --8<-- [start:train_discriminator]
        for k in range(1, steps + 1):
            x = sample_real(batch_size, data_rng).to(device)  # x ~ p_data, (B, 1)
            discriminator_step(gan, x)  # one update of φ on x and G(z), G fixed
            if scheduler is not None:
                scheduler.step()  # η_k = η_0 / (1 + k/τ)
            after_step(k)  # record φ, or probe D
        # --8<-- [end:train_discriminator]
