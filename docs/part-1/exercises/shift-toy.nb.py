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
# # Exercises: the shift toy, exactly
#
# Companion to the chapter *The shift toy*. For data $N(\mu, \sigma^2)$ and a generator
# $x = z + \theta$, $z \sim N(0, \sigma^2)$, you write the closed-form logit of the optimal
# discriminator, the value of the game at that discriminator as $-\log 4 + 2\,\mathrm{JS}$ on a
# grid, and the saturating generator's gradient with the discriminator held fixed. The checks
# compare your code with `ganbook`, and with computations that share none of your route: the
# value by adaptive quadrature, the gradient as the slope of that value. On the site this
# notebook is shown solved; the exercise version (download it from the chapter's page) has
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
from scipy.special import logit, rel_entr

from ganbook.exercises import check_function
from ganbook.losses import minimax_generator_loss
from ganbook.theory import (
    gaussian_optimal_discriminator_logit,
    gaussian_value_at_optimum,
    optimal_discriminator,
)

mu, sigma = 0.0, 1.0  # the shift toy's data, N(0, 1), as in the chapter
games = [(mu, -3.0, sigma), (mu, 1.5, sigma), (1.0, -1.0, 0.5), (2.0, 2.3, 3.0)]  # (mu, theta, σ)

# %% [markdown]
# ## Exercise 1: the optimal discriminator's logit
#
# For a fixed generator the best discriminator is
# $D^*(x) = p_{\text{data}}(x) / \bigl(p_{\text{data}}(x) + p_g(x)\bigr)$. For two Gaussians of
# the same width the log-ratio of the densities is affine in $x$:
#
# $$
# \log\frac{D^*(x)}{1 - D^*(x)} = \frac{(\mu - \theta)\,x + (\theta^2 - \mu^2)/2}{\sigma^2}.
# $$
#
# Write it for an array of points `x`. The check compares it with the package's closed form,
# then with the logit of `optimal_discriminator` computed from the two densities.


# %%
def optimal_logit(x, mu, theta, sigma):
    """The logit of D* at the points x, for data N(mu, sigma^2) and generator N(theta, sigma^2)."""
    # BEGIN SOLUTION
    return ((mu - theta) * x + (theta**2 - mu**2) / 2) / sigma**2
    # END SOLUTION


# %%
def density(x, mean, std):
    """The density of N(mean, std^2) at x."""
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * np.sqrt(2 * np.pi))


def logit_from_densities(x, mu, theta, sigma):
    """The logit of the package's D*, computed from the two densities at x."""
    return logit(optimal_discriminator(density(x, mu, sigma), density(x, theta, sigma)))


points = np.linspace(-4, 4, 41)
logit_cases = [(points * game[2] + game[0], *game) for game in games]
check_function(optimal_logit, gaussian_optimal_discriminator_logit, logit_cases)
check_function(
    optimal_logit, logit_from_densities, logit_cases, rtol=1e-6, what="optimal_logit() vs D*"
)

# %% [markdown]
# ## Exercise 2: the value of the game is a Jensen–Shannon divergence
#
# At the optimal discriminator the value of the game is
#
# $$
# V(D^*, G) = -\log 4 + 2\,\mathrm{JS}(p_{\text{data}} \,\|\, p_g),
# \qquad
# \mathrm{JS}(p \,\|\, q) = \tfrac12 \mathrm{KL}(p \,\|\, m) + \tfrac12 \mathrm{KL}(q \,\|\, m),
# \quad m = \tfrac12 (p + q).
# $$
#
# Compute the right-hand side on a grid: put both densities on
# `np.linspace(min(mu, theta) - 12 * sigma, max(mu, theta) + 12 * sigma, 4001)`, normalise each
# to probabilities that sum to 1, and take the divergences in nats. The check compares your
# number with the left-hand side, which the package integrates by adaptive quadrature with the
# closed-form $D^*$ and no grid. Far from the data a density can underflow to 0: a term
# $0 \log 0$ counts as 0 (`scipy.special.rel_entr` knows this).


# %%
def value_via_js(mu, theta, sigma):
    """-log 4 + 2 JS(p_data || p_g) for data N(mu, sigma^2) and generator N(theta, sigma^2)."""
    # BEGIN SOLUTION
    x = np.linspace(min(mu, theta) - 12 * sigma, max(mu, theta) + 12 * sigma, 4001)
    p = np.exp(-0.5 * ((x - mu) / sigma) ** 2)
    q = np.exp(-0.5 * ((x - theta) / sigma) ** 2)
    p, q = p / p.sum(), q / q.sum()
    m = 0.5 * (p + q)
    js = 0.5 * rel_entr(p, m).sum() + 0.5 * rel_entr(q, m).sum()
    return float(-np.log(4) + 2 * js)
    # END SOLUTION


# %%
value_cases = [*games, (mu, mu, sigma), (mu, mu - 8 * sigma, sigma)]
check_function(value_via_js, gaussian_value_at_optimum, value_cases, rtol=1e-7, atol=1e-10)

# %% [markdown]
# ## Exercise 3: the gradient that reaches the saturating generator
#
# The saturating generator minimises $\mathbb{E}_z \log\bigl(1 - D^*(z + \theta)\bigr)$. Hold
# $D^*$ at its optimum for the current $\theta$ (its logit's two coefficients are numbers,
# computed once), let only the sample $x = z + \theta$ move, and return
# $\partial \mathcal{L}_G / \partial \theta$. Use autograd through `minimax_generator_loss`
# (with `reduction="none"`, to weight each term) or the chain rule by hand.
#
# For the expectation over $z \sim N(0, \sigma^2)$ use the nodes and weights of
# `normal_nodes(sigma)` below: $\mathbb{E}_z f(z) \approx \sum_k w_k f(z_k)$. The check compares
# your number with the slope of the value curve $V(D^*, G)$ of Exercise 2, a central difference
# of the package's quadrature: the saturating gradient is the gradient of
# $2\,\mathrm{JS}$, as the chapter *Saturation and the non-saturating loss* derives.
#
# The pitfall: if the coefficients of $D^*$ are computed from a $\theta$ that autograd tracks,
# the gradient also differentiates the discriminator, which the generator's step holds fixed.


# %%
def normal_nodes(sigma):
    """Points z_k, evenly spaced over ±14σ, and weights w_k ∝ N(z_k; 0, σ²) that sum to 1."""
    z = np.linspace(-14, 14, 1001) * sigma
    w = np.exp(-0.5 * (z / sigma) ** 2)
    return torch.tensor(z), torch.tensor(w / w.sum())


# %%
def saturating_gradient(mu, theta, sigma):
    """d/dtheta of E_z log(1 - D*(z + theta)), with D* held at its optimum for theta."""
    # BEGIN SOLUTION
    z, w = normal_nodes(sigma)
    phi1 = (mu - theta) / sigma**2  # D*'s logit, fixed: plain numbers
    phi0 = (theta**2 - mu**2) / (2 * sigma**2)
    theta_ = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    terms = minimax_generator_loss(phi0 + phi1 * (z + theta_), reduction="none")
    (gradient,) = torch.autograd.grad((w * terms).sum(), theta_)
    return gradient
    # END SOLUTION


# %%
def slope_of_the_value(mu, theta, sigma, h=1e-4):
    """dV(D*, G)/dtheta by a central difference of the package's quadrature."""
    ahead = gaussian_value_at_optimum(mu, theta + h, sigma)
    behind = gaussian_value_at_optimum(mu, theta - h, sigma)
    return (ahead - behind) / (2 * h)


gradient_cases = [*games, (mu, mu - 6 * sigma, sigma)]
check_function(saturating_gradient, slope_of_the_value, gradient_cases, rtol=1e-6, atol=1e-10)

# %% [markdown]
# The value curve and its slope, from the package's quadrature alone, as the generator moves
# away from the data. The value climbs from $-\log 4$ towards 0. The slope, which is the
# saturating generator's gradient, grows in size at first, is falling by $4\sigma$, and at
# $8\sigma$ is about a thousandth of its size at $2\sigma$.

# %%
print(f"-log 4 = {-np.log(4):.4f}")
for offset in (0.5, 1, 2, 4, 6, 8):
    theta = mu - offset * sigma
    value = gaussian_value_at_optimum(mu, theta, sigma)
    slope = slope_of_the_value(mu, theta, sigma)
    print(f"theta = mu - {offset} sigma: V(D*, G) = {value:+.6f}, its slope {slope:+.2e}")
