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
# # Exercises: saturation and the non-saturating loss
#
# Companion to the chapter *Saturation and the non-saturating loss*. You write the gradients of
# the two generator losses with respect to the discriminator's logit, then the generator's
# gradient on the shift toy at the optimal discriminator as the detective's mean score times the
# slope of its logit, and last the divergence $\mathrm{KL}(p_g \,\|\, p_{\text{data}}) -
# 2\,\mathrm{JS}$ whose gradient the non-saturating loss follows. Each check compares your code
# with `ganbook`. On the site this notebook is shown solved; the exercise version (download it
# from the chapter's page) has `raise NotImplementedError` where your code goes.

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
from numpy.polynomial.hermite_e import hermegauss
from scipy.special import rel_entr

from ganbook.divergences import js_divergence
from ganbook.exercises import check_function
from ganbook.losses import minimax_generator_loss, nonsaturating_generator_loss
from ganbook.measures import SHIFT_TOY, optimal_logistic_discriminator
from ganbook.theory import nonsaturating_divergence

torch.set_num_threads(1)
mu, sigma = SHIFT_TOY["mu"], SHIFT_TOY["sigma"]  # the real data are N(0, 1)
generator = torch.Generator().manual_seed(0)
logit_cases = [(torch.randn(n, generator=generator) * 5,) for n in (8, 3, 50)]
logit_cases.append((torch.tensor([-40.0, -4.6, 0.0, 4.6, 40.0]),))

# %% [markdown]
# ## Exercise 1: the two losses' gradients with respect to the logit
#
# With $D = \sigma(\ell)$, the saturating loss of one fake is $\log(1 - \sigma(\ell))$ and the
# non-saturating one $-\log \sigma(\ell)$. Their slopes in the logit are
#
# $$
# \frac{\partial}{\partial \ell} \log\bigl(1 - \sigma(\ell)\bigr) = -\sigma(\ell),
# \qquad
# \frac{\partial}{\partial \ell} \bigl(-\log \sigma(\ell)\bigr) = -\bigl(1 - \sigma(\ell)\bigr).
# $$
#
# Write both for each logit in closed form, without autograd, and return
# `torch.stack([saturating, nonsaturating])`, shape `(2, n)`. The check differentiates the
# package's `minimax_generator_loss` and `nonsaturating_generator_loss`, example by example.


# %%
def logit_gradients(logits):
    """Per fake: the saturating and the non-saturating loss's derivative in the logit."""
    # BEGIN SOLUTION
    score = torch.sigmoid(logits)
    return torch.stack([-score, -(1 - score)])
    # END SOLUTION


# %%
def package_logit_gradients(logits):
    """Autograd through the package's two generator losses, one term per example."""
    rows = []
    for loss in (minimax_generator_loss, nonsaturating_generator_loss):
        logits_ = logits.detach().clone().requires_grad_(True)
        (gradient,) = torch.autograd.grad(loss(logits_, reduction="none").sum(), logits_)
        rows.append(gradient)
    return torch.stack(rows)


check_function(logit_gradients, package_logit_gradients, logit_cases)

# %% [markdown]
# ## Exercise 2: on the shift toy, the gradient follows the detective's score
#
# The shift toy's generator is $x = z + \theta$ with $z \sim N(0, \sigma^2)$, against data
# $N(\mu, \sigma^2)$. Its optimal discriminator has the affine logit
# $\ell^*(x) = \phi_0^* + \phi_1^* x$ with
# $\phi_0^* = (\theta^2 - \mu^2)/(2\sigma^2)$ and $\phi_1^* = (\mu - \theta)/\sigma^2$. Hold it
# fixed: $x$ moves one-for-one with $\theta$, so $\partial \ell^* / \partial \theta = \phi_1^*$,
# and by the chain rule, over a batch of latents $z_1, \dots, z_n$,
#
# $$
# \frac{\partial \mathcal{L}_G^{\text{sat}}}{\partial\theta} = -\bar D \,\phi_1^*,
# \qquad
# \frac{\partial \mathcal{L}_G^{\text{ns}}}{\partial\theta} = -(1 - \bar D)\,\phi_1^*,
# \qquad
# \bar D = \frac{1}{n}\sum_j \sigma\bigl(\ell^*(z_j + \theta)\bigr).
# $$
#
# Return `torch.stack([saturating, nonsaturating])` for the latents `z` (shape `(n, 1)`, float64)
# without autograd. The check asks autograd for both gradients through the package's losses and
# its optimal discriminator. Keep the signs: the chapter's figure plots sizes.


# %%
def predicted_gradients(theta, z, mu, sigma):
    """The two generator losses' derivatives in theta, at the optimal discriminator held fixed."""
    # BEGIN SOLUTION
    phi1 = (mu - theta) / sigma**2
    phi0 = (theta**2 - mu**2) / (2 * sigma**2)
    mean_score = torch.sigmoid(phi0 + phi1 * (z + theta)).mean()
    return torch.stack([-mean_score * phi1, -(1 - mean_score) * phi1])
    # END SOLUTION


# %%
def package_shift_gradients(theta, z, mu, sigma):
    """Autograd in theta through D*(z + theta), with D* held at its optimum for this theta."""
    d_star = optimal_logistic_discriminator(mu, theta, sigma)  # float64, no parameter gradients
    rows = []
    for loss in (minimax_generator_loss, nonsaturating_generator_loss):
        theta_ = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
        (gradient,) = torch.autograd.grad(loss(d_star(z + theta_)), theta_)
        rows.append(gradient)
    return torch.stack(rows)


def shift_latents(n, sigma, seed):
    return sigma * torch.randn((n, 1), generator=torch.Generator().manual_seed(seed)).double()


shift_cases = [  # theta 2 and 8 standard deviations below mu, one above, and another sigma
    (mu - 2 * sigma, shift_latents(256, sigma, 1), mu, sigma),
    (mu - 8 * sigma, shift_latents(64, sigma, 2), mu, sigma),
    (mu + 1.5 * sigma, shift_latents(9, sigma, 3), mu, sigma),
    (1.0, shift_latents(100, 0.5, 4), 2.0, 0.5),
]
check_function(predicted_gradients, package_shift_gradients, shift_cases, rtol=1e-7, atol=1e-12)

# %% [markdown]
# ## Exercise 3: what the non-saturating loss descends
#
# With $D^*$ held fixed, the non-saturating loss has the gradient of
#
# $$
# \mathrm{KL}(p_g \,\|\, p_{\text{data}}) - 2\,\mathrm{JS}(p_{\text{data}}, p_g),
# \qquad
# \mathrm{JS}(p, q) = \tfrac12 \mathrm{KL}(p \,\|\, m) + \tfrac12 \mathrm{KL}(q \,\|\, m),
# \quad m = \tfrac12 (p + q).
# $$
#
# Write it for two probability vectors on one grid, in nats, with
# $\mathrm{KL}(p \,\|\, q) = \sum_x p(x) \log\bigl(p(x)/q(x)\bigr)$. Mind the order of the KL's
# arguments, and that a cell where the first argument is 0 adds 0 ($0 \log 0 = 0$):
# `scipy.special.rel_entr` computes $p \log(p/q)$ with that convention.


# %%
def kl_minus_two_js(p_data, p_model):
    """KL(p_model || p_data) - 2 JS(p_data, p_model), in nats."""
    # BEGIN SOLUTION
    m = 0.5 * (p_data + p_model)
    kl = np.sum(rel_entr(p_model, p_data))
    two_js = np.sum(rel_entr(p_data, m)) + np.sum(rel_entr(p_model, m))
    return float(kl - two_js)
    # END SOLUTION


# %%
rng = np.random.default_rng(0)
p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
q_with_zeros = q * np.array([1, 0, 1, 1, 0, 1]) / (q * np.array([1, 0, 1, 1, 0, 1])).sum()
grid = np.linspace(-8, 8, 801)
gaussian = np.exp(-0.5 * grid**2) / np.exp(-0.5 * grid**2).sum()
shifted = np.exp(-0.5 * (grid + 2) ** 2) / np.exp(-0.5 * (grid + 2) ** 2).sum()
divergence_cases = [(p, q), (q, p), (p, q_with_zeros), (gaussian, shifted), (p, p)]
check_function(kl_minus_two_js, nonsaturating_divergence, divergence_cases)

# %% [markdown]
# The chapter's check, in small, by two routes that share no code. One holds $D^*$ fixed and
# asks autograd for $\partial \mathcal{L}_G / \partial\theta$ through the package's losses, the
# expectation over $z$ a Gauss–Hermite sum. The other takes a central difference in $\theta$ of
# the package's `nonsaturating_divergence` (for the non-saturating loss) and of
# $2\,\mathrm{JS}$ (for the saturating one), on a grid, with no discriminator at all.

# %%
nodes, weights = hermegauss(80)  # E f(z) for z ~ N(0, 1) is sum(weights * f(nodes))
weights = torch.tensor(weights / weights.sum())
x_grid = np.linspace(-25, 25, 20001)


def on_grid(mean):
    density = np.exp(-0.5 * ((x_grid - mean) / sigma) ** 2)
    return density / density.sum()


def two_js(p_model):
    return 2 * js_divergence(on_grid(mu), p_model)


def ns_divergence(p_model):
    return nonsaturating_divergence(on_grid(mu), p_model)


routes = (("saturating", minimax_generator_loss, two_js),)
routes += (("non-saturating", nonsaturating_generator_loss, ns_divergence),)
h = 1e-3
for theta in (mu - 2 * sigma, mu + 1.5 * sigma):
    d_star = optimal_logistic_discriminator(mu, theta, sigma)
    theta_ = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    scores = d_star(torch.tensor(sigma * nodes).unsqueeze(1) + theta_).squeeze(1)
    for name, loss, divergence in routes:
        expected_loss = (weights * loss(scores, reduction="none")).sum()
        (autograd,) = torch.autograd.grad(expected_loss, theta_, retain_graph=True)
        difference = (divergence(on_grid(theta + h)) - divergence(on_grid(theta - h))) / (2 * h)
        print(
            f"theta = {theta:+.1f}, {name:14s}: autograd {autograd.item():+.6f}, "
            f"central difference of the divergence {difference:+.6f}"
        )
