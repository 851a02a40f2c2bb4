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
# # Exercises: Wasserstein GAN
#
# Companion to the chapter *Wasserstein GAN*. You write the critic's and the generator's losses
# from raw critic scores, the share of a critic's parameters that weight clipping puts on the
# walls $\pm c$, and the bound on the critic's Lipschitz constant $K$ that clipping gives; each
# check compares your code with `ganbook`. On the site this notebook is shown solved; the
# exercise version (download it from the chapter's page) has `raise NotImplementedError` where
# your code goes.

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
import copy

import numpy as np
import torch

from ganbook.data import eight_gaussians
from ganbook.exercises import check_function
from ganbook.losses import wasserstein_discriminator_loss, wasserstein_generator_loss
from ganbook.measures import (
    critic_weights,
    fraction_at_bound,
    gradient_norms_at_interpolates,
    sample_w1,
    spectral_norm_product,
)
from ganbook.models import MLPDiscriminator
from ganbook.penalties import clip_weights_

generator = torch.Generator().manual_seed(0)
cases = [  # (critic scores on real data, on fakes): raw numbers, batches of different sizes
    (torch.randn(n, generator=generator) * 3, torch.randn(m, generator=generator) * 3)
    for n, m in ((8, 8), (5, 11), (64, 1))
]
cases.append((torch.randn(16, 1, generator=generator), torch.randn(16, 1, generator=generator)))

# %% [markdown]
# ## Exercise 1: the critic's loss
#
# The critic $D$ outputs a score in $(-\infty, \infty)$, with no sigmoid after it. It maximises
# $\mathbb{E}_x D(x) - \mathbb{E}_z D(G(z))$, so as a loss to minimise it has
#
# $$
# \mathcal{L}_D = \frac{1}{m}\sum_{j} D(G(z_j)) - \frac{1}{n}\sum_{i} D(x_i).
# $$
#
# The two batches need not have the same size: take each mean on its own, not the mean of a
# difference.


# %%
def critic_loss(real_scores, fake_scores):
    """The Wasserstein critic loss from raw scores, the mean over each batch."""
    # BEGIN SOLUTION
    return fake_scores.mean() - real_scores.mean()
    # END SOLUTION


# %%
check_function(critic_loss, wasserstein_discriminator_loss, cases)

# %% [markdown]
# ## Exercise 2: the generator's loss
#
# The real term does not depend on the generator, so it drops out:
# $\mathcal{L}_G = -\frac{1}{m}\sum_j D(G(z_j))$. The number to watch during training is
# $-\mathcal{L}_D$, the critic's estimate of $K\,W_1$; $\mathcal{L}_G$ alone is no distance.


# %%
def generator_loss(fake_scores):
    """The Wasserstein generator loss from raw critic scores, the mean over the batch."""
    # BEGIN SOLUTION
    return -fake_scores.mean()
    # END SOLUTION


# %%
check_function(generator_loss, wasserstein_generator_loss, [(fake,) for _, fake in cases])

# %% [markdown]
# ## Exercise 3: the first clip puts the weights on the walls
#
# After every critic update WGAN clamps every parameter, weights and biases alike, to $[-c, c]$:
# $w \leftarrow \operatorname{clip}(w, -c, c)$. PyTorch initialises a linear layer's parameters
# uniformly in $\pm 1/\sqrt{\text{fan-in}}$, mostly far outside $[-0.01, 0.01]$, so the first clip
# already moves many of them onto the walls. Write the share of the critic's parameters that
# lie within 1% of $\pm c$ after one clip, $\#\{w : \bigl||w| - c\bigr| \le 0.01\,c\} / n$, with
# $n$ the number of parameters.
#
# Clip a copy (`copy.deepcopy`) or the values themselves, and leave the critic you are given
# unchanged. `critic.parameters()` yields the biases too.


# %%
def fraction_on_the_walls(critic, c):
    """The share of all of the critic's parameters within 1% of ±c once they are clipped."""
    # BEGIN SOLUTION
    values = torch.cat([p.detach().flatten() for p in critic.parameters()])
    clipped = values.clamp(-c, c)
    on_the_walls = (clipped.abs() - c).abs() <= 0.01 * c
    return on_the_walls.float().mean().item()
    # END SOLUTION


# %%
def clipped_share(critic, c):
    """The package's answer: clip a copy with clip_weights_, then count with fraction_at_bound."""
    return fraction_at_bound(critic_weights(clip_weights_(copy.deepcopy(critic), c)), c)


critics = [  # (critic, c): widths, depths and bounds that clip much, little or nothing
    (MLPDiscriminator(hidden=16, depth=2, generator=generator), 0.01),
    (MLPDiscriminator(hidden=32, depth=3, generator=generator), 0.05),
    (MLPDiscriminator(hidden=8, depth=1, generator=generator), 0.3),
    (MLPDiscriminator(hidden=8, depth=1, generator=generator), 1.0),
]
check_function(
    fraction_on_the_walls,
    clipped_share,
    critics,
    batch_of=lambda critic, *_: critic_weights(critic).size,  # a count is n times the share
)

# %% [markdown]
# ## Exercise 4: the bound on the Lipschitz constant that clipping gives
#
# A linear layer $h \mapsto W h + b$ changes distances by at most its spectral norm
# $\lVert W \rVert_2$, its largest singular value; ReLU never stretches distances and biases only
# shift. So a ReLU critic is $K$-Lipschitz with
#
# $$
# K \;\le\; \prod_{l} \lVert W_l \rVert_2 ,
# $$
#
# the product over its linear layers. Write that product. The spectral norm is not the
# Frobenius norm (`torch.linalg.matrix_norm(W, ord=2)`, not the default `"fro"`), and the biases
# take no part.


# %%
def lipschitz_bound(critic):
    """The product of the spectral norms of the critic's linear layers' weights."""
    # BEGIN SOLUTION
    bound = 1.0
    for module in critic.modules():
        if isinstance(module, torch.nn.Linear):
            bound *= torch.linalg.matrix_norm(module.weight.detach(), ord=2).item()
    return bound
    # END SOLUTION


# %%
clipped_critics = [(clip_weights_(copy.deepcopy(critic), c),) for critic, c in critics]
unclipped_critics = [(critic,) for critic, _ in critics]
check_function(lipschitz_bound, spectral_norm_product, clipped_critics + unclipped_critics)

# %% [markdown]
# ## What the bound leaves open
#
# The bound is some fixed number, but nobody chooses it. For a freshly clipped critic of the
# chapter's shape (3 hidden layers of 64 units, $c = 0.01$), the cell below compares it with the
# largest value it could take, $\prod_l c\sqrt{m_l n_l}$ for $m_l \times n_l$ layers, and with
# the largest gradient norm the critic actually has at 256 points between the ring of 8
# Gaussians and a standard normal cloud. It also prints the untrained critic's estimate
# $\mathbb{E}\,D(x) - \mathbb{E}\,D(\tilde x)$ next to the exact $W_1$ between the two clouds.
# Whatever training does to it, the estimate of a critic clipped to this $c$ can never exceed the
# first number times $W_1$: the dual bounds it by $K\,W_1$, and $K$ by the product.

# %%
c = 0.01
critic = clip_weights_(MLPDiscriminator(hidden=64, depth=3, generator=generator), c)
real = eight_gaussians(256, generator=generator)
fake = torch.randn(256, 2, generator=generator)
shapes = [m.weight.shape for m in critic.modules() if isinstance(m, torch.nn.Linear)]
largest = np.prod([c * np.sqrt(rows * cols) for rows, cols in shapes])
norms = gradient_norms_at_interpolates(critic, real, fake, generator)
with torch.no_grad():
    estimate = -wasserstein_discriminator_loss(critic(real), critic(fake)).item()
print(f"largest possible bound  {largest:.3e}")
print(f"this critic's bound     {spectral_norm_product(critic):.3e}")
print(f"largest gradient norm   {norms.max():.3e}")
print(f"critic's estimate       {estimate:.3e}")
print(f"exact W1 of the samples {sample_w1(real.numpy(), fake.numpy()):.3f}")
