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
# # Exercises: the optimal discriminator
#
# Companion to the chapter *The optimal discriminator*. You write the best discriminator
# $D^*$ for a fixed generator on a grid, the value of the integrand at that maximum, the
# discriminator that a loss with unequal weights on the real and the fake term learns instead,
# and the parameters of $D^*$ as a logistic regression in the shift toy; each check compares
# your code with `ganbook`. On the site this notebook is shown solved; the exercise version
# (download it from the chapter's page) has `raise NotImplementedError` where your code goes.

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
from scipy import stats
from scipy.special import xlogy

from ganbook.data import gaussian_1d
from ganbook.exercises import check_function
from ganbook.losses import get_loss
from ganbook.models import LogisticDiscriminator, ShiftGenerator
from ganbook.theory import (
    gaussian_optimal_logistic_parameters,
    minimax_value,
    optimal_discriminator,
)
from ganbook.training import GAN, discriminator_step

rng = np.random.default_rng(0)


def random_probabilities(shape, zeros):
    """A probability array of the given shape, with about a share `zeros` of it set to 0."""
    p = rng.random(shape) * (rng.random(shape) >= zeros)
    return p / p.sum()


x = np.linspace(-5, 5, 101)
pairs = [  # (p_data, p_model) on the same points: a docstring's example, densities, random, 2-D
    (np.array([0.2, 0.5, 0.0, 0.0]), np.array([0.6, 0.5, 0.3, 0.0])),
    (stats.norm.pdf(x, 0, 1), stats.norm.pdf(x, -1, 1)),
    (random_probabilities(12, 0.3), random_probabilities(12, 0.3)),
    (random_probabilities((3, 5), 0.4), random_probabilities((3, 5), 0.4)),
]
no_batch = {"batch_of": lambda *_: None}  # values per point, not means over a batch

# %% [markdown]
# ## Exercise 1: the optimal discriminator
#
# At each point $x$, with $a = p_{\text{data}}(x)$ and $b = p_g(x)$, the integrand
# $a \log y + b \log(1 - y)$ is largest at $y = a/(a + b)$, so
#
# $$
# D^*(x) = \frac{p_{\text{data}}(x)}{p_{\text{data}}(x) + p_g(x)}.
# $$
#
# Where both densities vanish every $y$ is optimal; return $\tfrac12$ there, as the package
# does. Work element by element on arrays of any shape. A plain `a / (a + b)` gives NaN at
# $0/0$ (and a warning): `np.divide` with its `out=` and `where=` arguments divides only where
# the denominator is positive.


# %%
def best_discriminator(p_data, p_model):
    """D* = p_data / (p_data + p_model) at every point, and 1/2 where both vanish."""
    # BEGIN SOLUTION
    total = p_data + p_model
    return np.divide(p_data, total, out=np.full_like(total, 0.5), where=total > 0)
    # END SOLUTION


# %%
check_function(best_discriminator, optimal_discriminator, pairs, **no_batch)

# %% [markdown]
# ## Exercise 2: the integrand at its maximum
#
# Put $y = a/(a + b)$ back into the integrand. At the maximum it is worth
#
# $$
# a \log \frac{a}{a + b} + b \log \frac{b}{a + b}
# = a \log a + b \log b - (a + b) \log(a + b),
# $$
#
# the expression the next chapter adds up over $x$. Write it point by point. A term with
# $a = 0$ is 0 (the convention $0 \log 0 = 0$), but `0 * np.log(0)` is NaN:
# `scipy.special.xlogy(a, y)` computes $a \log y$ with that convention.


# %%
def best_integrand(a, b):
    """The largest value of a log y + b log(1 - y) over y, at every point."""
    # BEGIN SOLUTION
    total = a + b
    return xlogy(a, a) + xlogy(b, b) - xlogy(total, total)
    # END SOLUTION


# %%
def package_best_integrand(a, b):
    """minimax_value at D*, one point at a time: the integrand at its maximum."""
    d = optimal_discriminator(a, b)
    values = [minimax_value(*point) for point in zip(a.ravel(), b.ravel(), d.ravel(), strict=True)]
    return np.reshape(values, np.shape(a))


check_function(best_integrand, package_best_integrand, pairs, **no_batch)

# %% [markdown]
# ## Exercise 3: unequal weights move the prior
#
# The package's loss averages the real half and the fake half of a batch separately, which
# gives the two terms equal weight. With $I$ real and $J$ generated samples and the two *sums*
# of log-losses added (or one cross-entropy averaged over all $I + J$ samples), the pointwise
# objective becomes $I\,a \log y + J\,b \log(1 - y)$, maximised at
#
# $$
# y = \frac{I a}{I a + J b},
# $$
#
# Bayes' rule with the prior $I/(I + J)$ on "real". Write it, with $\tfrac12$ again where
# $a = b = 0$. With $I = J$ it is $D^*$.


# %%
def pooled_discriminator(p_data, p_model, n_real, n_fake):
    """The maximiser of I a log y + J b log(1 - y) at every point, 1/2 where a = b = 0."""
    # BEGIN SOLUTION
    real = n_real * p_data
    total = real + n_fake * p_model
    return np.divide(real, total, out=np.full_like(total, 0.5), where=total > 0)
    # END SOLUTION


# %%
def package_pooled(p_data, p_model, n_real, n_fake):
    """D* of the weighted densities I p_data and J p_model."""
    return optimal_discriminator(n_real * p_data, n_fake * p_model)


counts = [(1, 2), (3, 1), (64, 128), (5, 5)]  # (I, J): real and generated samples
weighted = [(p, q, i, j) for (p, q), (i, j) in zip(pairs, counts, strict=True)]
check_function(pooled_discriminator, package_pooled, weighted, **no_batch)

# %% [markdown]
# ## Exercise 4: in the shift toy, D* is a logistic regression
#
# With data $N(\mu, \sigma^2)$ and generator $N(\theta, \sigma^2)$ the log-ratio
# $\log(p_{\text{data}}/p_g)$ is affine in $x$, so $D^*(x) = \sigma(\phi_0^* + \phi_1^* x)$ with
#
# $$
# \phi_1^* = \frac{\mu - \theta}{\sigma^2}, \qquad
# \phi_0^* = \frac{\theta^2 - \mu^2}{2\sigma^2}.
# $$
#
# Return the pair $(\phi_0^*, \phi_1^*)$. The denominators hold the variance $\sigma^2$, not
# the standard deviation; derive the signs from $\log p_{\text{data}} - \log p_g$ rather than
# from memory.


# %%
def logistic_parameters(mu, theta, sigma):
    """(phi0*, phi1*) of D* = sigmoid(phi0* + phi1* x): data N(mu, sigma²), G N(theta, sigma²)."""
    # BEGIN SOLUTION
    phi1 = (mu - theta) / sigma**2
    phi0 = (theta**2 - mu**2) / (2 * sigma**2)
    return phi0, phi1
    # END SOLUTION


# %%
shift_toys = [(0.0, 3.0, 1.0), (0.0, -1.0, 1.0), (1.0, 1.0, 2.0), (0.5, -1.5, 0.7)]
check_function(logistic_parameters, gaussian_optimal_logistic_parameters, shift_toys)

# %% [markdown]
# ## Training towards D*
#
# The chapter trains a `LogisticDiscriminator` against a generator that never moves. The cell
# below does a short version of it with the package's `discriminator_step`: the generator is
# `ShiftGenerator` at $\theta = -3$, the data are $N(0, 1)$, the discriminator starts at
# $\phi = (0, 0)$, and plain SGD takes 300 steps on batches of 256 with the rate
# $\eta_k = 2 / (1 + k/50)$. It prints the fitted parameters at a few steps next to
# $(\phi_0^*, \phi_1^*)$ from `gaussian_optimal_logistic_parameters`.

# %%
theta = -3.0
discriminator = LogisticDiscriminator()
g = ShiftGenerator(theta)
sgd = torch.optim.SGD(discriminator.parameters(), lr=2.0)
decay = torch.optim.lr_scheduler.LambdaLR(sgd, lambda k: 1.0 / (1.0 + k / 50.0))
gan = GAN(
    g,
    discriminator,
    g_optimiser=torch.optim.SGD(g.parameters(), lr=0.0),  # never stepped
    d_optimiser=sgd,
    loss=get_loss("minimax"),
    rng=torch.Generator().manual_seed(1),
)
data_rng = torch.Generator().manual_seed(2)
phi0_star, phi1_star = gaussian_optimal_logistic_parameters(0.0, theta, 1.0)
print(f"D*        phi0 = {phi0_star:6.3f}  phi1 = {phi1_star:6.3f}")
for k in range(1, 301):
    discriminator_step(gan, gaussian_1d(256, generator=data_rng))
    decay.step()
    if k in (10, 30, 100, 300):
        phi0, phi1 = discriminator.phi0.item(), discriminator.phi1.item()
        print(f"step {k:3d}  phi0 = {phi0:6.3f}  phi1 = {phi1:6.3f}")
