# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercises: common mistakes
#
# Companion to the chapter *Common mistakes*. You write the minimax generator loss in the style
# of the tutorials, with binary cross-entropy on probabilities and the right label and sign; the
# non-saturating loss on logits, finite at any logit; the gradient that least squares behind a
# sigmoid passes to the logit; and the optimal discriminator under TF-GAN's default label
# smoothing. Each check compares your code with `ganbook`. On the site this notebook is shown
# solved; the exercise version (download it from the chapter's page) has
# `raise NotImplementedError` where your code goes.

# %%
# Run this cell first. Where ganbook is missing (a fresh or a hosted Jupyter), it
# installs the version of ganbook this book was built with, 0.1.0.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("ganbook") is None:
    pip = [sys.executable, "-m", "pip", "install", "ganbook==0.1.0"]
    subprocess.check_call(pip)

# %%
import numpy as np
import torch
import torch.nn.functional as F

from ganbook.exercises import check_function
from ganbook.losses import (
    least_squares_generator_loss,
    minimax_discriminator_loss,
    minimax_generator_loss,
    nonsaturating_generator_loss,
)

generator = torch.Generator().manual_seed(0)


def logit_gradient(loss):
    """The function that maps logits to the gradient of loss(logits) in them, by autograd."""

    def gradient(logits):
        logits = logits.detach().requires_grad_(True)
        (slope,) = torch.autograd.grad(loss(logits), logits)
        return slope

    return gradient


# %% [markdown]
# ## Exercise 1: the minimax generator loss, written with binary cross-entropy
#
# Tutorials write the generator's loss on the discriminator's probabilities $D(G(z))$ with
# binary cross-entropy, $\operatorname{bce}(p, y) = -\frac{1}{m}\sum_j \bigl[y_j \log p_j +
# (1 - y_j)\log(1 - p_j)\bigr]$. With target 1 that is $-\frac{1}{m}\sum_j \log D(G(z_j))$, the
# *non-saturating* loss, however it is labelled. The minimax generator minimises
#
# $$
# \mathcal{L}_G = \frac{1}{m}\sum_j \log\bigl(1 - D(G(z_j))\bigr).
# $$
#
# Write it with `F.binary_cross_entropy`: which target, and which sign? Minus the cross-entropy
# with target 1 is the flipped sign of section 2 of the chapter, which trains the generator the
# wrong way.


# %%
def minimax_loss_from_probabilities(fake_probabilities):
    """The minimax generator loss from the probabilities D(G(z)), with binary cross-entropy."""
    # BEGIN SOLUTION
    targets = torch.zeros_like(fake_probabilities)
    return -F.binary_cross_entropy(fake_probabilities, targets)
    # END SOLUTION


# %%
probabilities = [  # D(G(z)) away from 0 and 1, batches of different sizes
    (0.01 + 0.98 * torch.rand(n, generator=generator, dtype=torch.float64),) for n in (8, 33, 1)
]
check_function(
    minimax_loss_from_probabilities,
    lambda p: minimax_generator_loss(torch.logit(p)),  # the package's loss takes the logits
    probabilities,
)

# %% [markdown]
# ## Exercise 2: the non-saturating loss on logits
#
# A loss written on probabilities breaks at the ends. In float32, $\sigma(\ell)$ rounds to 0 for
# a confidently rejected fake and $\log\sigma(\ell)$ is $-\infty$; clipping the probability to
# $[\epsilon, 1 - \epsilon]$, as Keras does, makes the loss finite but flat below
# $\ell = \operatorname{logit}\epsilon$, so exactly those fakes get no gradient. On the logit
# itself the non-saturating loss is
#
# $$
# \mathcal{L}_G = -\frac{1}{m}\sum_j \log\sigma(\ell_j) = \frac{1}{m}\sum_j
# \operatorname{softplus}(-\ell_j),
# $$
#
# finite for every logit, with the gradient $-(1 - \sigma(\ell_j))/m$. Write it; the check
# includes fakes rejected at $\ell = -30$ and $\ell = -120$, in float32, and compares the gradient
# too.


# %%
def nonsaturating_loss(fake_logits):
    """The non-saturating generator loss from the discriminator's logits, the batch mean."""
    # BEGIN SOLUTION
    return F.softplus(-fake_logits).mean()
    # END SOLUTION


# %%
logits = [(torch.randn(n, generator=generator) * 3,) for n in (8, 33, 1)]
logits.append((torch.tensor([0.0, 20.0, -30.0, -120.0]),))
check_function(nonsaturating_loss, nonsaturating_generator_loss, logits)
check_function(
    logit_gradient(nonsaturating_loss),
    logit_gradient(nonsaturating_generator_loss),
    logits,
    what="the gradient of nonsaturating_loss() in the logits",
)

# %% [markdown]
# ## Exercise 3: least squares behind a sigmoid
#
# The least-squares generator loss regresses the discriminator's *raw* output $s$ onto 1,
# $\tfrac12 (s - 1)^2$ per fake, and its gradient $-(1 - s)$ does not vanish. Written with
# `MSELoss` on a discriminator that still ends in a sigmoid, the output is $D = \sigma(\ell)$
# instead. Derive the gradient of $\tfrac12(\sigma(\ell) - 1)^2$ in the logit $\ell$ and write it
# for each fake (no mean, one value per logit). Hint: $\sigma'(\ell) = \sigma(\ell)(1 -
# \sigma(\ell))$.


# %%
def sigmoid_least_squares_gradient(fake_logits):
    """d/dℓ of ½(σ(ℓ) − 1)², one value per logit."""
    # BEGIN SOLUTION
    d = torch.sigmoid(fake_logits)
    return (d - 1) * d * (1 - d)  # = -(1 - D)² D
    # END SOLUTION


# %%
def sigmoid_least_squares(fake_logits):
    """The package's least-squares loss on σ(ℓ), summed, so that its gradient is per fake."""
    return least_squares_generator_loss(torch.sigmoid(fake_logits), reduction="sum")


check_function(
    sigmoid_least_squares_gradient, logit_gradient(sigmoid_least_squares), logits, atol=1e-6
)

# %% [markdown]
# ## Exercise 4: the optimal discriminator under TF-GAN's label smoothing
#
# TF-GAN's `minimax_discriminator_loss` smooths the real labels by default, with $s = 0.25$: the
# real target becomes $t = 1 - s/2$, and fakes keep the label 0. At each $x$ the discriminator
# then maximises
#
# $$
# p_{\text{data}}(x)\bigl[t\log D + (1 - t)\log(1 - D)\bigr] + p_g(x)\log(1 - D).
# $$
#
# Set the derivative in $D$ to zero and write the maximiser $D^*_s(x)$ for densities on a grid.
# The check minimises the package's `minimax_discriminator_loss` with `label_smoothing=s` point by
# point (Newton's method on the logits) and compares the optimum with yours.


# %%
def smoothed_optimal_discriminator(p_data, p_model, s):
    """D*_s at each grid point, for label smoothing s (the real target is 1 - s/2)."""
    # BEGIN SOLUTION
    t = 1 - s / 2
    return t * p_data / (p_data + p_model)
    # END SOLUTION


# %%
def minimise_smoothed_loss(p_data, p_model, s):
    """The probabilities that minimise the package's smoothed loss at each point of the grid."""
    a, b = torch.as_tensor(p_data), torch.as_tensor(p_model)
    at = torch.zeros_like(a)  # one logit per grid point
    for _ in range(60):  # Newton's method; each point's objective is convex in its logit
        at.requires_grad_(True)
        real_term, fake_term = minimax_discriminator_loss(
            at, at, label_smoothing=s, reduction="none"
        )
        (slope,) = torch.autograd.grad((a * real_term + b * fake_term).sum(), at, create_graph=True)
        (curvature,) = torch.autograd.grad(slope.sum(), at)
        at = (at - slope / curvature).detach()
    return torch.sigmoid(at).numpy()


x = np.linspace(-3, 3, 61)
p_data = np.exp(-0.5 * x**2) / np.sqrt(2 * np.pi)
p_model = np.exp(-0.5 * ((x - 1) / 1.3) ** 2) / (1.3 * np.sqrt(2 * np.pi))
check_function(
    smoothed_optimal_discriminator,
    minimise_smoothed_loss,
    [
        (p_data, p_model, 0.25),
        (p_model, p_data, 0.25),
        (p_data, p_model, 0.5),
        (p_data, p_data, 0.0),
    ],
)

# %% [markdown]
# ## The gradients side by side
#
# The cell below prints, with the package's losses only, the gradient in the logit that each
# generator loss of the chapter passes to a fake that the discriminator confidently rejects,
# $D(G(z)) = 0.05$, and to one that fools it, $D(G(z)) = 0.95$. Gradient descent raises the logit
# where the gradient is negative.

# %%
fakes = torch.logit(torch.tensor([0.05, 0.95], dtype=torch.float64))
losses = {  # each summed over the fakes, so that its gradient is one value per fake
    "bce(D, 1), labelled minimax": lambda ell: nonsaturating_generator_loss(ell, reduction="sum"),
    "-bce(D, 0), the true minimax": lambda ell: minimax_generator_loss(ell, reduction="sum"),
    "-bce(D, 1), the flipped sign": lambda ell: -nonsaturating_generator_loss(ell, reduction="sum"),
    "a sigmoid too many": lambda ell: nonsaturating_generator_loss(
        torch.sigmoid(ell), reduction="sum"
    ),
    "least squares behind a sigmoid": sigmoid_least_squares,
}
print(f"{'':32} {'D = 0.05':>9} {'D = 0.95':>9}")
for name, loss in losses.items():
    slopes = logit_gradient(loss)(fakes)
    print(f"{name:32} {slopes[0].item():+9.4f} {slopes[1].item():+9.4f}")
