r"""One discriminator update and one generator update: the two halves of the papers' algorithm box.

Each step returns a `StepRecord`: references to tensors it computed anyway (the loss, the raw
outputs) and the per-parameter gradient norms, all left on the device. Nothing is copied to the
host and nothing is reduced here: ``recorder`` copies the numbers out and reduces them later.
This module knows the players, their optimisers and the loss; it does not loop, sample real
data (the loop hands each step its real batch), check for divergence or write files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import torch
from torch import nn

from ganbook.losses import LossPair
from ganbook.penalties import clip_weights_, gradient_penalty, r1_penalty
from ganbook.training.inputs import DiscriminatorInputs

__all__ = [
    "GAN",
    "Penalty",
    "StepRecord",
    "discriminator_step",
    "generator_step",
    "sample_latent",
]

Penalty = Callable[..., torch.Tensor]
r"""``penalty(critic, real, fake, *, rng)`` returning a 0-d tensor, as `gradient_penalty` does."""


@dataclass
class GAN:
    r"""The two players, their optimisers and the game they play: all a step needs.

    Parameters
    ----------
    generator : torch.nn.Module
        $G_\theta$, with a ``latent_dim`` attribute; maps (N, latent_dim) to samples.
    discriminator : torch.nn.Module
        $D_\varphi$; maps samples to raw outputs (logits or scores) of shape (N, 1) or (N,).
    g_optimiser, d_optimiser : torch.optim.Optimizer
        Optimisers over the generator's and the discriminator's parameters.
    loss : LossPair
        The registry entry: the two losses and whether $D$ outputs logits.
    rng : torch.Generator
        On the training device: draws $z$ and the penalty's interpolation weights $\alpha$.
    gp_weight, r1_gamma, clip_value : float or None
        $\lambda$, $\gamma$ and $c$; ``None`` switches the term off.
    r1_every : int
        Lazy R1: the term is added on every ``r1_every``-th discriminator update only, weighted
        by ``r1_every`` (1: on every update).
    d_updates : int
        Discriminator updates made so far; decides which updates carry a lazy R1 term.
    inputs : DiscriminatorInputs
        What $D$ sees of a batch (instance noise, minibatch std, packing); every call of $D$,
        a penalty's included, goes through `judge`, so none of them is missed.
    penalty : callable
        The term that ``gp_weight`` weighs, called as ``penalty(critic, real, fake, rng=rng)``:
        `ganbook.penalties.gradient_penalty` unless another is plugged in (a variant, or a
        deliberately wrong one for a demonstration).
    """

    generator: nn.Module
    discriminator: nn.Module
    g_optimiser: torch.optim.Optimizer
    d_optimiser: torch.optim.Optimizer
    loss: LossPair
    rng: torch.Generator
    gp_weight: float | None = None
    r1_gamma: float | None = None
    clip_value: float | None = None
    penalty: Penalty = gradient_penalty
    r1_every: int = 1
    d_updates: int = 0
    inputs: DiscriminatorInputs = field(default_factory=DiscriminatorInputs)

    def judge(self, x: torch.Tensor) -> torch.Tensor:
        r"""$D$'s raw outputs on the batch ``x`` as `inputs` presents it (unchanged by default)."""
        if not self.inputs.active:
            return self.discriminator(x)

        def noise(like: torch.Tensor) -> torch.Tensor:
            return torch.randn(like.shape, generator=self.rng, device=like.device)

        return self.discriminator(self.inputs.judged(x, noise))


def sample_latent(gan: GAN, n: int) -> torch.Tensor:
    r"""Draw $z \sim \mathcal{N}(0, I)$ of shape (n, latent_dim) on the device of ``gan.rng``."""
    # --8<-- [start:sample_latent]
    shape = (n, gan.generator.latent_dim)
    return torch.randn(shape, generator=gan.rng, device=gan.rng.device)
    # --8<-- [end:sample_latent]


class StepRecord(NamedTuple):
    r"""What one update leaves for the `History`: detached device tensors, nothing reduced."""

    loss: torch.Tensor  # 0-d: the loss without penalty
    penalty: torch.Tensor | None  # 0-d: the added penalty, None without one
    d_real: torch.Tensor | None  # D's raw outputs on the real batch (None for a G step)
    d_fake: torch.Tensor  # D's raw outputs on the generated batch
    grad_norms: list[torch.Tensor]  # ‖∇w‖₂ of each parameter with a gradient, 0-d each


def _grad_norms(optimiser: torch.optim.Optimizer) -> list[torch.Tensor]:
    r"""$\lVert\nabla w\rVert_2$ of every parameter the optimiser updates (one fused call)."""
    grads = [p.grad for group in optimiser.param_groups for p in group["params"]]
    return list(torch._foreach_norm([g for g in grads if g is not None]))


def _penalty(gan: GAN, x: torch.Tensor, x_fake: torch.Tensor) -> torch.Tensor | None:
    r"""$\lambda\,\mathrm{GP} + \tfrac{k\gamma}{2} R_1$, each only if asked for; None if neither.

    R1 comes on every $k$-th discriminator update only, $k$ = ``r1_every`` (lazy regularisation).
    """
    penalty = None
    if gan.gp_weight is not None:  # λ · E(‖∇D(x̂)‖₂ − 1)², or the penalty plugged in
        penalty = gan.gp_weight * gan.penalty(gan.judge, x, x_fake, rng=gan.rng)
    if gan.r1_gamma is not None and gan.d_updates % gan.r1_every == 0:  # lazy: every k-th update
        r1 = 0.5 * gan.r1_every * gan.r1_gamma * r1_penalty(gan.judge, x)  # kγ/2·E‖∇D(x)‖²
        penalty = r1 if penalty is None else penalty + r1
    return penalty


def discriminator_step(gan: GAN, x: torch.Tensor) -> StepRecord:
    r"""One update of the discriminator on a real batch ``x`` and as many generated examples.

    $$
    \varphi \leftarrow \varphi - \eta_D\,\widehat{\nabla}_\varphi \Bigl[
    L_D\bigl(D_\varphi(x), D_\varphi(\tilde x)\bigr) + \mathcal{R}\Bigr],
    \qquad \tilde x = G_\theta(z),\ z \sim \mathcal{N}(0, I)
    $$

    then, for WGAN, every weight clipped to $[-c, c]$. $\tilde x$ is computed without a graph:
    this step must not update, or even differentiate through, the generator.

    Parameters
    ----------
    gan : GAN
        The players; the discriminator and its optimiser are updated in place.
    x : torch.Tensor
        Real batch, shape (B, *sample_shape), on the training device.

    Returns
    -------
    StepRecord
        $L_D$, the penalty $\mathcal{R}$ (or None), $D(x)$, $D(\tilde x)$ and the gradient
        norms of $\varphi$'s parameters, detached, on the device.
    """
    # --8<-- [start:discriminator_step]
    z = sample_latent(gan, x.shape[0])  # z ~ N(0, I), one latent per real example
    with torch.no_grad():
        x_fake = gan.generator(z)  # x̃ = G(z), built without a graph: detached from G
    d_real = gan.judge(x)  # D(x) on the real batch
    d_fake = gan.judge(x_fake)  # D(x̃) on the generated batch
    loss = gan.loss.discriminator_loss(d_real, d_fake)  # L_D, the paper's discriminator loss
    penalty = _penalty(gan, x, x_fake)  # R = λ·GP + γ/2·R1 (None when neither is used)
    gan.d_optimiser.zero_grad(set_to_none=True)  # forget the gradients of earlier steps
    (loss if penalty is None else loss + penalty).backward()  # ∇_φ (L_D + R)
    grad_norms = _grad_norms(gan.d_optimiser)  # ‖∇_φ‖₂ per parameter, recorded, not used
    gan.d_optimiser.step()  # φ ← φ − η_D · (the optimiser's update direction)
    if gan.clip_value is not None:
        clip_weights_(gan.discriminator, gan.clip_value)  # WGAN: w ← clip(w, −c, c)
    # --8<-- [end:discriminator_step]
    gan.d_updates += 1
    penalty = None if penalty is None else penalty.detach()
    return StepRecord(loss.detach(), penalty, d_real.detach(), d_fake.detach(), grad_norms)


def generator_step(gan: GAN, batch_size: int, x: torch.Tensor | None = None) -> StepRecord:
    r"""One update of the generator against the discriminator as it now is.

    $$
    \theta \leftarrow \theta - \eta_G\,\widehat{\nabla}_\theta\,
    L_G\bigl(D_\varphi(G_\theta(z))\bigr), \qquad z \sim \mathcal{N}(0, I)
    $$

    The gradient flows through $D$ into $G$; $D$'s own parameter gradients, also computed, are
    discarded (the next discriminator step zeroes them first). A generator loss that also needs
    the discriminator on real data (``gan.loss.generator_uses_real``, the relativistic pair)
    is $L_G\bigl(D_\varphi(x), D_\varphi(G_\theta(z))\bigr)$ on the real batch ``x``; $D(x)$
    is evaluated without a graph, since it does not depend on $\theta$.

    Parameters
    ----------
    gan : GAN
        The players; the generator and its optimiser are updated in place.
    batch_size : int
        Number of latents $B$.
    x : torch.Tensor, optional
        A real batch on the training device, required when ``gan.loss.generator_uses_real``
        and ignored (not even evaluated) otherwise.

    Returns
    -------
    StepRecord
        $L_G$, $D(G(z))$ and the gradient norms of $\theta$'s parameters, detached, on the
        device (no penalty, no real outputs).

    Raises
    ------
    ValueError
        If the loss needs a real batch and ``x`` is None.
    """
    if gan.loss.generator_uses_real and x is None:
        raise ValueError(
            f"the generator loss of {gan.loss.name!r} needs a real batch: pass x to generator_step"
        )
    # --8<-- [start:generator_step]
    z = sample_latent(gan, batch_size)  # fresh z ~ N(0, I)
    d_fake = gan.judge(gan.generator(z))  # D(G(z)), with D as just updated
    d_real = None
    if gan.loss.generator_uses_real:  # the relativistic loss compares with D(x) on real data
        with torch.no_grad():
            d_real = gan.judge(x)  # D(x): a constant for θ
    loss = gan.loss.generator_loss_of(d_fake, d_real)  # L_G, the paper's generator loss
    gan.g_optimiser.zero_grad(set_to_none=True)  # forget the gradients of earlier steps
    loss.backward()  # ∇_θ L_G, through D into G
    grad_norms = _grad_norms(gan.g_optimiser)  # ‖∇_θ‖₂ per parameter, recorded, not used
    gan.g_optimiser.step()  # θ ← θ − η_G · (the optimiser's update direction)
    # --8<-- [end:generator_step]
    return StepRecord(loss.detach(), None, None, d_fake.detach(), grad_norms)
