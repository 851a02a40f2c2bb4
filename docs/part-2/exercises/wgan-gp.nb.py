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
# # Exercises: WGAN-GP
#
# Companion to the chapter *WGAN-GP*. You write the interpolates between real and generated
# points, the critic's gradient norm at each of them, one norm per example, and from these the
# gradient penalty; each check compares your code with `ganbook.penalties`. On the site this
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
import torch

from ganbook.exercises import check_function
from ganbook.models import MLPDiscriminator
from ganbook.penalties import (
    gradient_penalty,
    interpolation_points,
    penalty_of_gradient_norms,
    r1_penalty,
)

generator = torch.Generator().manual_seed(0)
critic = MLPDiscriminator(hidden=32, depth=2, generator=generator)  # points of the plane
image_critic = MLPDiscriminator(in_dim=16, hidden=32, depth=2, generator=generator)


def critic_of_images(x):
    """A critic of 4 × 4 one-channel images, shape (N, 1, 4, 4): the MLP on the flat pixels."""
    return image_critic(x.flatten(1))


batches = [  # (critic, real, fake): points of the plane and small images, batches of any size
    (critic, torch.randn(64, 2, generator=generator), 3 + torch.randn(64, 2, generator=generator)),
    (critic, torch.randn(5, 2, generator=generator), torch.randn(5, 2, generator=generator) * 4),
    (critic, torch.randn(1, 2, generator=generator), torch.randn(1, 2, generator=generator)),
    (
        critic_of_images,
        torch.randn(8, 1, 4, 4, generator=generator),
        torch.randn(8, 1, 4, 4, generator=generator) + 2,
    ),
]

# %% [markdown]
# ## Exercise 1: the interpolates
#
# WGAN-GP checks the critic's gradient between the data and the samples. For a real point $x$, a
# generated point $\tilde x$ and $\alpha \sim U[0, 1)$ it takes
#
# $$
# \hat x = x + \alpha (\tilde x - x),
# $$
#
# with one $\alpha$ per example, shared by all of that example's coordinates (or pixels). Draw
# the $\alpha$s with `torch.rand(shape, generator=rng, dtype=real.dtype)` from
# `rng = torch.Generator().manual_seed(seed)`, as the package does, so that the check can compare
# your points with its own: `shape` is $(N, 1, \dots, 1)$, as many dimensions as `real` has, so
# that it broadcasts over every axis but the first. One $\alpha$ for the whole batch, or one per
# coordinate, gives other points.


# %%
def interpolates(real, fake, seed):
    """The points x + α(x̃ − x), one α ~ U[0, 1) per example, drawn from a generator seeded seed."""
    # BEGIN SOLUTION
    rng = torch.Generator().manual_seed(seed)
    shape = (real.shape[0],) + (1,) * (real.dim() - 1)
    alpha = torch.rand(shape, generator=rng, dtype=real.dtype)
    return real + alpha * (fake - real)
    # END SOLUTION


# %%
def package_interpolates(real, fake, seed):
    return interpolation_points(real, fake, torch.Generator().manual_seed(seed))


check_function(
    interpolates,
    package_interpolates,
    [(real, fake, seed) for seed, (_, real, fake) in enumerate(batches)],
)

# %% [markdown]
# ## Exercise 2: one gradient norm per example
#
# The penalty needs $\lVert \nabla D(\hat x_i) \rVert_2$ for each example $i$. One backward pass
# gives all of them: differentiate the sum $\sum_i D(\hat x_i)$ with respect to the whole batch;
# row $i$ of the result is $\partial D(\hat x_i) / \partial \hat x_i$, because no other term of
# the sum depends on $\hat x_i$ (as long as the critic has no batch normalisation). Then take one
# norm per row, over all of the row's coordinates: flatten each example first.
#
# Use `torch.autograd.grad(scores.sum(), x, create_graph=True)` on an `x` that requires a
# gradient; `create_graph=True` keeps the norms differentiable in the critic's parameters, which
# training needs. The classic bug is `torch.linalg.vector_norm(gradients)` without `dim=1`: one
# norm for the whole batch.


# %%
def gradient_norms(critic, x):
    """The norms ‖∇D(x_i)‖₂, one per example of the batch x, shape (N,)."""
    # BEGIN SOLUTION
    x = x.detach().requires_grad_(True)
    (gradients,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return torch.linalg.vector_norm(gradients.flatten(1), dim=1)
    # END SOLUTION


# %%
def package_norms(critic, x):
    """From the package's R1 penalty, E‖∇D(x)‖², on one example at a time: its square root."""
    return torch.stack([r1_penalty(critic, x[i : i + 1]).sqrt() for i in range(len(x))])


check_function(
    gradient_norms,
    package_norms,
    [(critic, real) for critic, real, _ in batches]
    + [(critic, fake) for critic, _, fake in batches],
)

# %% [markdown]
# ## Exercise 3: the gradient penalty
#
# Put the two together. The penalty is the mean over the batch of the squared distance of each
# example's norm from 1,
#
# $$
# \mathcal{P} = \frac{1}{N} \sum_{i=1}^{N} \bigl( \lVert \nabla D(\hat x_i) \rVert_2 - 1 \bigr)^2,
# $$
#
# at the interpolates of Exercise 1 drawn with `seed`. The trainer adds $\lambda \mathcal{P}$,
# $\lambda = 10$, to the critic's loss; the penalty itself has no $\lambda$. It is two-sided: it
# pulls norms below 1 up as well as norms above 1 down.


# %%
def penalty(critic, real, fake, seed):
    """The WGAN-GP gradient penalty at interpolates drawn with seed, without λ."""
    # BEGIN SOLUTION
    norms = gradient_norms(critic, interpolates(real, fake, seed))
    return ((norms - 1) ** 2).mean()
    # END SOLUTION


# %%
def package_penalty(critic, real, fake, seed):
    return gradient_penalty(critic, real, fake, rng=torch.Generator().manual_seed(seed))


check_function(
    penalty,
    package_penalty,
    [(critic, real, fake, seed) for seed, (critic, real, fake) in enumerate(batches)],
    batch_of=lambda _critic, real, *_: len(real),  # the penalty is a mean over the batch
)

# %% [markdown]
# ## The whole-batch norm, on a linear critic
#
# A linear critic $D(x) = \langle w, x \rangle$ with $\lVert w \rVert = 5$ has the same gradient
# everywhere, so the right penalty is $(5 - 1)^2 = 16$ whatever the interpolates. The norm of the
# whole $(B, 2)$ gradient tensor is $\sqrt{B}$ times the root mean square of the per-example norms,
# so the buggy penalty is $(5\sqrt{B} - 1)^2$, and it vanishes only when the per-example norms are
# $1/\sqrt{B}$. The cell below computes the right one with `gradient_penalty` and the buggy one
# from the norm of the whole gradient tensor, for a batch of 256.

# %%
w = torch.tensor([3.0, 4.0])
real, fake = torch.randn(256, 2, generator=generator), torch.randn(256, 2, generator=generator)
x_hat = interpolation_points(real, fake, generator).requires_grad_(True)
(gradients,) = torch.autograd.grad((x_hat @ w).sum(), x_hat)
whole_batch = torch.linalg.vector_norm(gradients).reshape(1)  # no dim=1: the bug
print(f"per example: {gradient_penalty(lambda x: x @ w, real, fake, rng=generator).item():.1f}")
print(f"whole batch: {penalty_of_gradient_norms(whole_batch).item():.1f}")
print(f"the buggy penalty's target for the per-example norms: {1 / 256**0.5:.4f}")
