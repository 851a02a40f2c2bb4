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
# # Exercises: what a GAN is
#
# Companion to the chapter *What a GAN is*. You draw samples from a generator in two strokes,
# then write the two measures the chapter reads its runs on the ring of 8 Gaussians with: how
# many modes a sample covers, and what share of it lies on some mode. Each check compares your
# code with `ganbook`. On the site this notebook is shown solved; the exercise version (download
# it from the chapter's page) has `raise NotImplementedError` where your code goes.

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

from ganbook.data import (
    EIGHT_GAUSSIANS_STD,
    count_covered_modes,
    eight_gaussians,
    eight_gaussians_centres,
)
from ganbook.exercises import check_function
from ganbook.measures import mode_shares, on_mode
from ganbook.models import MLPGenerator

torch.set_num_threads(1)
seeded = torch.Generator().manual_seed(0)
generators = [  # untrained generators: two with the chapter's 2-D latent, one with a 4-D one
    MLPGenerator(latent_dim=2, hidden=32, generator=seeded),
    MLPGenerator(latent_dim=2, hidden=16, depth=2, generator=seeded),
    MLPGenerator(latent_dim=4, hidden=16, generator=seeded),
]

# %% [markdown]
# ## Exercise 1: a sample in two strokes
#
# A generator makes a sample in two steps: draw a latent code $z \sim N(0, I)$, then push it
# through the network, $\tilde x = G(z)$. Write a function that draws `n` latents from a
# `torch.Generator` seeded with `seed` and returns the `n` samples.
#
# The latent has `G.latent_dim` coordinates, so $z$ has shape `(n, G.latent_dim)`; draw it in one
# call, `torch.randn(shape, generator=rng)`, as the trainer's `sample_latent` does, so that the
# same seed gives the same numbers.


# %%
def sample(G, n, seed):
    """The n samples G(z), with z ~ N(0, I) drawn from a generator seeded by seed."""
    # BEGIN SOLUTION
    rng = torch.Generator().manual_seed(seed)
    z = torch.randn((n, G.latent_dim), generator=rng)  # the first stroke: z ~ N(0, I)
    return G(z)  # the second stroke: a forward pass
    # END SOLUTION


# %%
def package_samples(G, n, seed):
    """The package's generator G on latents drawn as the trainer draws them."""
    rng = torch.Generator().manual_seed(seed)
    return G(torch.randn((n, G.latent_dim), generator=rng)).detach()


cases = [(generators[0], 5, 0), (generators[1], 64, 1), (generators[2], 9, 2)]
check_function(sample, package_samples, cases)

# %% [markdown]
# ## Exercise 2: how many modes a sample covers
#
# The ring's eight modes sit at the centres $c_k$ = `eight_gaussians_centres()`, each with a
# standard deviation $\sigma$ = `EIGHT_GAUSSIANS_STD`. Assign each sample $x_i$ to its nearest
# centre, and count it for that centre when it lies within $3\sigma$ of it:
#
# $$
# n_k = \#\bigl\{\, i : k = \arg\min_j \lVert x_i - c_j \rVert_2,\
#       \lVert x_i - c_k \rVert_2 \le 3\sigma \,\bigr\}.
# $$
#
# A mode is covered when $n_k \ge 20$. Return the number of covered modes, an integer from 0 to
# 8. `torch.cdist(samples, centres)` gives every distance at once.


# %%
def covered_modes(samples):
    """The number of the ring's modes with at least 20 samples within 3 standard deviations."""
    # BEGIN SOLUTION
    distance = torch.cdist(samples, eight_gaussians_centres())  # (N, 8)
    nearest_distance, nearest = distance.min(dim=1)
    counts = torch.bincount(nearest[nearest_distance <= 3 * EIGHT_GAUSSIANS_STD], minlength=8)
    return int((counts >= 20).sum())
    # END SOLUTION


# %%
real = eight_gaussians(2000, generator=torch.Generator().manual_seed(1))
mode = torch.cdist(real, eight_gaussians_centres()).argmin(dim=1)
few_modes = real[mode < 3]  # only three of the modes
nineteen = torch.cat([real[mode < 5], real[mode == 5][:19]])  # five modes, and 19 on a sixth
blob = package_samples(generators[0], 2000, 3)  # an untrained generator: a blob near the origin
ring_cases = [(real,), (few_modes,), (nineteen,), (blob,)]
check_function(
    covered_modes,
    lambda samples: count_covered_modes(samples, eight_gaussians_centres(), EIGHT_GAUSSIANS_STD),
    ring_cases,
)

# %% [markdown]
# ## Exercise 3: the share of a sample that lies on a mode
#
# Almost all of the real data lie on the modes; a generator that folds its latent plane puts
# some of its samples on the bridges between them. Write the share of the samples that lie
# within $3\sigma$ of their nearest mode, a number between 0 and 1 (a mean, not a count).


# %%
def share_on_modes(samples):
    """The fraction of the samples within 3 standard deviations of the nearest mode's centre."""
    # BEGIN SOLUTION
    nearest_distance = torch.cdist(samples, eight_gaussians_centres()).min(dim=1).values
    return (nearest_distance <= 3 * EIGHT_GAUSSIANS_STD).float().mean()
    # END SOLUTION


# %%
angle = torch.rand(500, generator=torch.Generator().manual_seed(4)) * 2 * torch.pi
circle = 2 / 1.414 * torch.stack([angle.cos(), angle.sin()], dim=1)  # the ring's circle, evenly
half = torch.cat([real[:1000], blob[:1000]])
check_function(
    share_on_modes,
    lambda samples: on_mode(samples.double().numpy())[1].mean(),
    [(real,), (blob,), (half,), (circle,)],
)

# %% [markdown]
# The package's `mode_shares` splits the share on the modes into one share per mode. Here are
# the real data, points spread evenly over the ring's circle, and the untrained generator: the
# data give each mode about an eighth, the circle puts a little on every mode and most of its
# points between them, and the blob at the origin covers nothing.

# %%
for name, points in (("real data", real), ("even circle", circle), ("untrained G", blob)):
    shares = mode_shares(points.double().numpy())
    print(f"{name:12s} shares per mode: {[round(float(s), 3) for s in shares]}")
