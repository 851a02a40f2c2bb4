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
# # Exercises: one objective, two players
#
# Companion to the chapter *One objective, two players*. You write the two losses of the minimax
# game from the discriminator's logits, then the value of the game on a grid, and each check
# compares your code with `ganbook`. On the site this notebook is shown solved; the exercise
# version (download it from the chapter's page) has `raise NotImplementedError` where your code
# goes.

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

from ganbook.exercises import check_function
from ganbook.losses import minimax_discriminator_loss, minimax_generator_loss
from ganbook.theory import minimax_value

generator = torch.Generator().manual_seed(0)
cases = [  # (logits on real data, logits on fakes), batches of different sizes
    (torch.randn(n, generator=generator) * 3, torch.randn(m, generator=generator) * 3)
    for n, m in ((8, 8), (5, 11), (1, 64))
]

# %% [markdown]
# ## Exercise 1: the discriminator's loss from logits
#
# The discriminator outputs a logit $d$; its probability that the input is real is
# $\sigma(d) = 1/(1 + e^{-d})$. It minimises
#
# $$
# \mathcal{L}_D = -\frac{1}{n}\sum_{i} \log \sigma(d^{\text{real}}_i)
#                 - \frac{1}{m}\sum_{j} \log\bigl(1 - \sigma(d^{\text{fake}}_j)\bigr).
# $$
#
# Write it without computing $\sigma$ and then a log: $-\log\sigma(d) = \operatorname{softplus}(-d)$
# and $-\log(1 - \sigma(d)) = \operatorname{softplus}(d)$ stay finite for logits of any size.


# %%
def discriminator_loss(real_logits, fake_logits):
    """The minimax discriminator loss, the mean over each batch."""
    # BEGIN SOLUTION
    real_term = torch.nn.functional.softplus(-real_logits).mean()
    fake_term = torch.nn.functional.softplus(fake_logits).mean()
    return real_term + fake_term
    # END SOLUTION


# %%
check_function(discriminator_loss, minimax_discriminator_loss, cases)
huge_logits = [(torch.tensor([200.0, -150.0]), torch.tensor([-300.0, 120.0]))]
check_function(
    discriminator_loss, minimax_discriminator_loss, huge_logits, what="at logits of ±300"
)

# %% [markdown]
# ## Exercise 2: the generator's loss
#
# In the minimax game the generator maximises what the discriminator minimises, but only the
# fake term depends on it, so it minimises
# $\frac{1}{m}\sum_j \log\bigl(1 - \sigma(d^{\text{fake}}_j)\bigr)$.


# %%
def generator_loss(fake_logits):
    """The minimax (saturating) generator loss, the mean over the batch."""
    # BEGIN SOLUTION
    return -torch.nn.functional.softplus(fake_logits).mean()
    # END SOLUTION


# %%
check_function(generator_loss, minimax_generator_loss, [(fake,) for _, fake in cases])

# %% [markdown]
# ## Exercise 3: the value of the game on a grid
#
# For densities on a grid of cells of width $\Delta x$, the value is
# $V(D, G) = \sum_x \bigl[p_{\text{data}}(x) \log D(x) + p_g(x) \log(1 - D(x))\bigr]\,\Delta x$.
# With probabilities per cell (which sum to 1) the $\Delta x$ is already inside.


# %%
def value(p_data, p_model, d):
    """The value V(D, G) for probabilities per cell and D's probabilities on the same cells."""
    # BEGIN SOLUTION
    return float(np.sum(p_data * np.log(d) + p_model * np.log1p(-d)))
    # END SOLUTION


# %%
x = np.linspace(-4, 4, 81)
p_data = np.exp(-0.5 * x**2) / np.exp(-0.5 * x**2).sum()
p_model = np.exp(-0.5 * (x - 1.5) ** 2) / np.exp(-0.5 * (x - 1.5) ** 2).sum()
d = 1 / (1 + np.exp(-(0.3 - x)))
check_function(value, minimax_value, [(p_data, p_model, d), (p_model, p_data, 1 - d)])
