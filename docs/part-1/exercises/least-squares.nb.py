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
# # Exercises: least squares
#
# Companion to the chapter *Least squares*. You write the least-squares discriminator's loss for
# any coding $a$, $b$, its optimal discriminator for a fixed generator, and the Pearson
# $\chi^2$ sum that the generator's objective at that optimum equals when $b - c = 1$ and
# $b - a = 2$. Each check compares your code with `ganbook`. On the site this notebook is shown
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

from ganbook.exercises import check_function
from ganbook.losses import least_squares_discriminator_loss, least_squares_generator_loss
from ganbook.theory import least_squares_optimal_discriminator

generator = torch.Generator().manual_seed(0)
codings = [(0.0, 1.0), (-1.0, 1.0), (0.5, 2.0)]  # (a, b): the 0-1 coding, Mao et al.'s, another
loss_cases = [  # (raw outputs on real data, on fakes, a, b), batches of different sizes
    (torch.randn(n, generator=generator) * 2, torch.randn(m, generator=generator) * 2, a, b)
    for (n, m), (a, b) in zip(((8, 8), (5, 11), (64, 1)), codings, strict=True)
]

# %% [markdown]
# ## Exercise 1: the discriminator's loss for any coding of the labels
#
# The discriminator's raw output $D(x)$, with no sigmoid, is regressed onto $b$ on real data and
# onto $a$ on generated data:
#
# $$
# \mathcal{L}_D = \tfrac12\,\frac{1}{n}\sum_i \bigl(D(x_i) - b\bigr)^2
#               + \tfrac12\,\frac{1}{m}\sum_j \bigl(D(G(z_j)) - a\bigr)^2.
# $$
#
# The two batches may differ in size: take each mean on its own. The factors $\tfrac12$ are part
# of the loss (they make each gradient read "output minus target").


# %%
def ls_discriminator_loss(d_real, d_fake, a, b):
    """The least-squares discriminator loss with fake label a and real label b."""
    # BEGIN SOLUTION
    return 0.5 * ((d_real - b) ** 2).mean() + 0.5 * ((d_fake - a) ** 2).mean()
    # END SOLUTION


# %%
check_function(
    ls_discriminator_loss,
    lambda d_real, d_fake, a, b: least_squares_discriminator_loss(
        d_real, d_fake, real_label=b, fake_label=a
    ),
    loss_cases,
)

# %% [markdown]
# ## Exercise 2: the optimal discriminator
#
# For a fixed generator, each point $x$ contributes
# $\tfrac12 p_{\text{data}}(x)(D(x) - b)^2 + \tfrac12 p_g(x)(D(x) - a)^2$ to the loss, and the
# derivative in $D(x)$ vanishes at
#
# $$
# D^*(x) = \frac{b\,p_{\text{data}}(x) + a\,p_g(x)}{p_{\text{data}}(x) + p_g(x)}.
# $$
#
# Write it for densities (or probabilities) on a grid. Where both vanish, every output is as
# good as any other; return $(a + b)/2$ there, the output of a discriminator that cannot tell
# the two apart, as the package does. Dividing by 0 first and repairing afterwards gives
# warnings; `np.divide(..., where=...)` avoids them.


# %%
def ls_optimal_discriminator(p_data, p_model, a, b):
    """D* of the least-squares discriminator at each grid point; (a + b)/2 where both vanish."""
    # BEGIN SOLUTION
    total = p_data + p_model
    undecided = np.full_like(total, (a + b) / 2)
    return np.divide(b * p_data + a * p_model, total, out=undecided, where=total > 0)
    # END SOLUTION


# %%
x = np.linspace(-6, 6, 121)


def gaussian(mean, width=1.0):
    """The density of N(mean, width**2) on the grid x."""
    return np.exp(-0.5 * ((x - mean) / width) ** 2) / (width * np.sqrt(2 * np.pi))


rng = np.random.default_rng(0)
p, q = rng.dirichlet(np.ones(8)), rng.dirichlet(np.ones(8))
p[[1, 4]], q[[1, 6]] = 0.0, 0.0  # cell 1: both vanish; cell 4: only generated; cell 6: only real
optimum_cases = [(gaussian(0), gaussian(-1), -1.0, 1.0), (gaussian(0), gaussian(2, 0.5), 0.0, 1.0)]
optimum_cases += [(p, q, a, b) for a, b in codings]
check_function(ls_optimal_discriminator, least_squares_optimal_discriminator, optimum_cases)

# %% [markdown]
# ## Exercise 3: least squares and Pearson's chi-squared divergence
#
# Write $p = p_{\text{data}}$ and $q = p_g$. With $b - c = 1$ and $b - a = 2$ (for example
# $a = -1$, $b = 1$, $c = 0$) the generator's objective at $D^*$ becomes
#
# $$
# 2C(G) = \sum_x \bigl(p(x) + q(x)\bigr)\bigl(D^*(x) - c\bigr)^2
#       = \sum_x \frac{\bigl(2q(x) - (p(x) + q(x))\bigr)^2}{p(x) + q(x)},
# $$
#
# Pearson's "(observed minus expected)² over expected", with $p + q$ expected and $2q$ observed.
# Write the right-hand side for two probability vectors. The check computes the left-hand side
# from the package's optimal discriminator and its generator loss. Cells where $p + q = 0$ add
# nothing: leave them out rather than divide 0 by 0.


# %%
def pearson_chi2(p_data, p_model):
    """The sum of (2 q - (p + q))^2 / (p + q) over the cells where p + q > 0."""
    # BEGIN SOLUTION
    expected = p_data + p_model
    keep = expected > 0
    return float(np.sum((2 * p_model[keep] - expected[keep]) ** 2 / expected[keep]))
    # END SOLUTION


# %%
def objective_at_optimum(p_data, p_model, a=-1.0, b=1.0, c=0.0):
    """2C(G): twice the generator's least-squares objective, weighted by p + q, at D*."""
    d_star = least_squares_optimal_discriminator(p_data, p_model, a=a, b=b)
    half_squares = least_squares_generator_loss(
        torch.as_tensor(d_star), real_label=c, reduction="none"
    )  # (D* - c)^2 / 2 at each cell
    return 2 * float(np.sum((p_data + p_model) * half_squares.numpy()))


def on_grid(mean):
    """N(mean, 1) on the grid x, as probabilities that sum to 1."""
    return gaussian(mean) / gaussian(mean).sum()


pearson_cases = [(on_grid(0), on_grid(theta)) for theta in (0.0, -1.0, -3.0)] + [(p, q), (q, p)]
check_function(pearson_chi2, objective_at_optimum, pearson_cases)

# %% [markdown]
# The same objective at $D^*$ for the package's default, the 0-1 coding ($a = 0$, $b = c = 1$),
# is not a divergence: it is $\sum_x q^2/(p + q)$, which is $\tfrac12$, not 0, once
# $q = p$. Here it is beside Mao et al.'s coding, both from the package's functions, as the
# generator's mean $\theta$ moves towards the data's mean 0.

# %%
for theta in (-3.0, -1.0, -0.5, 0.0):
    pearson = objective_at_optimum(on_grid(0), on_grid(theta))
    binary = objective_at_optimum(on_grid(0), on_grid(theta), a=0.0, b=1.0, c=1.0)
    print(f"theta = {theta:+.1f}: 2C(G) = {pearson:.4f} (a, b, c = -1, 1, 0), {binary:.4f} (0-1)")
