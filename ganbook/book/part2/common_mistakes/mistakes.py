r"""The mistakes of the common-mistakes chapter, written the way readers copy them.

Each snippet is shown on the page (``--8<--`` sections) and measured by the chapter's experiments
against `ganbook.losses`. They are not part of the library: nothing outside this chapter should
call them.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ganbook.losses import minimax_discriminator_loss, nonsaturating_generator_loss


# --8<-- [start:keras_style_pair]
def keras_discriminator_loss(real_output, fake_output):
    """BCE on probabilities (D ends in a sigmoid): real labelled 1, fake 0."""
    real_loss = F.binary_cross_entropy(real_output, torch.ones_like(real_output))
    fake_loss = F.binary_cross_entropy(fake_output, torch.zeros_like(fake_output))
    return real_loss + fake_loss


def keras_generator_loss(fake_output):
    """Called "minimax" in the tutorial: BCE with label 1 on the fakes."""
    return F.binary_cross_entropy(fake_output, torch.ones_like(fake_output))
    # --8<-- [end:keras_style_pair]


# --8<-- [start:true_minimax]
def true_minimax_generator_loss(fake_output):
    r"""The real minimax generator loss in the same style: $\mathbb{E}\log(1 - D(G(z)))$."""
    return -F.binary_cross_entropy(fake_output, torch.zeros_like(fake_output))
    # --8<-- [end:true_minimax]


# --8<-- [start:flipped_sign]
def flipped_generator_loss(fake_output):
    """Meant as "non-saturating", with the sign flipped."""
    return torch.mean(-F.binary_cross_entropy(fake_output, torch.ones_like(fake_output)))
    # --8<-- [end:flipped_sign]


# --8<-- [start:probabilities_as_logits]
def double_sigmoid_generator_loss(fake_logits):
    """Probabilities passed to a loss that expects logits: the sigmoid is applied twice."""
    fake_output = torch.sigmoid(fake_logits)
    return F.binary_cross_entropy_with_logits(fake_output, torch.ones_like(fake_output))
    # --8<-- [end:probabilities_as_logits]


# --8<-- [start:handwritten_log]
def handwritten_minimax_generator_loss(fake_logits):
    """The saturating loss typed from the formula: a log of a rounded probability."""
    return torch.log(1 - torch.sigmoid(fake_logits)).mean()
    # --8<-- [end:handwritten_log]


# --8<-- [start:clipped_log]
def clipped_nonsaturating_generator_loss(fake_logits, epsilon=1e-7):
    """Keras's ``binary_crossentropy(from_logits=False)``: probabilities clipped to [ε, 1 − ε]."""
    fake_output = torch.clamp(torch.sigmoid(fake_logits), epsilon, 1 - epsilon)
    return -torch.log(fake_output).mean()
    # --8<-- [end:clipped_log]


# --8<-- [start:sigmoid_least_squares]
def sigmoid_least_squares_generator_loss(fake_logits):
    r"""Least squares on a sigmoid output: $\tfrac12\,\mathbb{E}(\sigma(\ell) - 1)^2$."""
    fake_output = torch.sigmoid(fake_logits)
    return 0.5 * F.mse_loss(fake_output, torch.ones_like(fake_output))
    # --8<-- [end:sigmoid_least_squares]


# --8<-- [start:tfgan_default]
def tfgan_default_discriminator_loss(real_logits, fake_logits, **kwargs):
    """What ``tfgan.losses.minimax_discriminator_loss(real, fake)`` computes by default."""
    return minimax_discriminator_loss(real_logits, fake_logits, label_smoothing=0.25, **kwargs)
    # --8<-- [end:tfgan_default]


# --8<-- [start:missing_detach]
def discriminator_backward(generator, discriminator, x, z):
    """The discriminator's backward pass, with the fake batch not detached."""
    fake = generator(z)
    loss = minimax_discriminator_loss(discriminator(x), discriminator(fake))
    loss.backward()  # fills the discriminator's .grad, and the generator's too
    # --8<-- [end:missing_detach]


# --8<-- [start:missing_zero_grad]
def generator_step(generator, discriminator, z, optimiser):
    """One generator step, with ``optimiser.zero_grad()`` left out."""
    loss = nonsaturating_generator_loss(discriminator(generator(z)))
    loss.backward()  # adds this gradient to whatever .grad holds
    optimiser.step()
    # --8<-- [end:missing_zero_grad]


# --8<-- [start:whole_batch_norm]
def whole_batch_penalty(critic, x_hat):
    """The WGAN-GP penalty with one norm over the whole batch of gradients."""
    x_hat = x_hat.requires_grad_(True)
    (gradients,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return (gradients.norm() - 1) ** 2  # one norm of the (B, 2) tensor
    # --8<-- [end:whole_batch_norm]


# --8<-- [start:per_example_norm]
def per_example_penalty(critic, x_hat):
    """The fix: one norm per example, then the mean."""
    x_hat = x_hat.requires_grad_(True)
    (gradients,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return ((gradients.norm(dim=1) - 1) ** 2).mean()
    # --8<-- [end:per_example_norm]
