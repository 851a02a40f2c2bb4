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
# # Exercises: which loss?
#
# Companion to the chapter *Which loss?*. You write two of the losses in the study that the
# earlier chapters did not derive, the hinge loss and the relativistic average losses of both
# players, from the discriminator's raw outputs; then the mass that a sample puts on each mode
# of a mixture, from which the study counts the modes covered. Each check compares your code
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
import torch
import torch.nn.functional as F

from ganbook.data import (
    EIGHT_GAUSSIANS_STD,
    TWENTY_FIVE_GAUSSIANS_STD,
    eight_gaussians,
    eight_gaussians_centres,
    samples_per_mode,
    twenty_five_gaussians,
    twenty_five_gaussians_centres,
)
from ganbook.exercises import check_function
from ganbook.losses import (
    hinge_discriminator_loss,
    relativistic_discriminator_loss,
    relativistic_generator_loss,
)
from ganbook.measures import sample_w1

seeded = torch.Generator().manual_seed(0)
cases = [  # (outputs on real data, outputs on fakes), batches of different sizes and shapes
    (torch.randn(8, generator=seeded) * 2, torch.randn(8, generator=seeded) * 2),
    (torch.randn(5, generator=seeded), torch.randn(11, generator=seeded)),
    (torch.randn(64, 1, generator=seeded) * 3, torch.randn(32, 1, generator=seeded) * 3),
]

# %% [markdown]
# ## Exercise 1: the hinge loss of the discriminator
#
# The hinge loss (Lim and Ye 2017) asks for real scores of at least $+1$ and generated scores
# of at most $-1$, and charges nothing beyond these margins:
#
# $$
# \mathcal{L}_D = \mathbb{E}_{x} \max\bigl(0, 1 - D(x)\bigr)
#               + \mathbb{E}_{z} \max\bigl(0, 1 + D(G(z))\bigr),
# $$
#
# each expectation the mean over its own batch. The generator's loss is the Wasserstein one,
# $-\mathbb{E}_z D(G(z))$, with no margin. Write the discriminator's.


# %%
def hinge_loss(d_real, d_fake):
    """The hinge discriminator loss from the raw scores, the mean over each batch."""
    # BEGIN SOLUTION
    return F.relu(1.0 - d_real).mean() + F.relu(1.0 + d_fake).mean()
    # END SOLUTION


# %%
beyond_margins = [(torch.tensor([1.0, 2.5, 7.0]), torch.tensor([-1.0, -4.0]))]  # costs 0
check_function(hinge_loss, hinge_discriminator_loss, cases + beyond_margins)

# %% [markdown]
# ## Exercise 2: the relativistic average discriminator
#
# A relativistic average discriminator (Jolicoeur-Martineau 2018) judges each sample against
# the mean logit of the *other* batch:
#
# $$
# \Delta_{\text{r}} = d_{\text{real}} - \mathbb{E}\, d_{\text{fake}}, \qquad
# \Delta_{\text{f}} = d_{\text{fake}} - \mathbb{E}\, d_{\text{real}}, \qquad
# \mathcal{L}_D = -\mathbb{E} \log \sigma(\Delta_{\text{r}})
#                 - \mathbb{E} \log\bigl(1 - \sigma(\Delta_{\text{f}})\bigr).
# $$
#
# Write $\mathcal L_D$. As for the minimax loss, use
# $-\log\sigma(t) = \operatorname{softplus}(-t)$ and
# $-\log(1 - \sigma(t)) = \operatorname{softplus}(t)$: the last case has relative logits near
# $\pm 100$, where $1 - \sigma(t)$ rounds to 0 in float32.


# %%
def relativistic_d_loss(d_real, d_fake):
    """The relativistic average discriminator loss from the logits, the mean over each batch."""
    # BEGIN SOLUTION
    delta_real = d_real - d_fake.mean()
    delta_fake = d_fake - d_real.mean()
    return F.softplus(-delta_real).mean() + F.softplus(delta_fake).mean()
    # END SOLUTION


# %%
large = [(torch.tensor([50.0, 60.0]), torch.tensor([-40.0, -45.0, -50.0]))]
check_function(relativistic_d_loss, relativistic_discriminator_loss, cases + large)

# %% [markdown]
# ## Exercise 3: the relativistic average generator
#
# The generator's loss is the discriminator's with the roles of real and fake swapped: it wants
# its samples to look more real than the average real one, and the real ones less real than the
# average fake,
#
# $$
# \mathcal{L}_G = -\mathbb{E} \log \sigma(\Delta_{\text{f}})
#                 - \mathbb{E} \log\bigl(1 - \sigma(\Delta_{\text{r}})\bigr).
# $$
#
# Unlike every other generator loss of the book, it needs the discriminator's outputs on real
# data too, so it takes both batches, real first.


# %%
def relativistic_g_loss(d_real, d_fake):
    """The relativistic average generator loss from the logits, the mean over each batch."""
    # BEGIN SOLUTION
    delta_real = d_real - d_fake.mean()
    delta_fake = d_fake - d_real.mean()
    return F.softplus(-delta_fake).mean() + F.softplus(delta_real).mean()
    # END SOLUTION


# %%
check_function(relativistic_g_loss, relativistic_generator_loss, cases + large)

# %% [markdown]
# ## Exercise 4: the mass on every mode
#
# The study measures a member's samples by the mass it puts on each mode: a point is on mode $k$
# when $c_k$ is its nearest centre and it lies within three standard deviations $\sigma$ of it,
#
# $$
# m_k = \frac{1}{N}\,\#\bigl\{ i : k = \arg\min_j \lVert x_i - c_j \rVert,\
# \lVert x_i - c_k \rVert \le 3\sigma \bigr\}.
# $$
#
# A mode is covered when $m_k$ is at least a quarter of the uniform share $1/K$, and the
# high-quality share is $\sum_k m_k$. Write $m$, shape $(K,)$, for points $(N, 2)$ and centres
# $(K, 2)$. Each point counts once at most, for its nearest centre only.


# %%
def mode_mass(points, centres, std):
    """The share of `points` on each of the modes `centres` (nearest, within 3 std): (K,)."""
    # BEGIN SOLUTION
    distance = torch.cdist(points, centres.to(points.dtype))  # (N, K)
    nearest_distance, nearest = distance.min(dim=1)
    counts = torch.bincount(nearest[nearest_distance <= 3 * std], minlength=len(centres))
    return counts / len(points)
    # END SOLUTION


# %%
def package_mass(points, centres, std):
    """The same shares from the package's counts."""
    return samples_per_mode(points, centres, 3 * std) / len(points)


ring, ring_centres = eight_gaussians(1000, generator=seeded), eight_gaussians_centres()
grid, grid_centres = twenty_five_gaussians(1000, generator=seeded), twenty_five_gaussians_centres()
mass_cases = [
    (ring, ring_centres, EIGHT_GAUSSIANS_STD),
    (ring[ring[:, 0] > 0.5], ring_centres, EIGHT_GAUSSIANS_STD),  # three modes only
    (torch.randn(500, 2, generator=seeded), ring_centres, EIGHT_GAUSSIANS_STD),  # diffuse
    (grid, grid_centres, TWENTY_FIVE_GAUSSIANS_STD),  # the grid of 25
]
check_function(mode_mass, package_mass, mass_cases)

# %% [markdown]
# The study's three numbers for a few samples of 500 points on the ring, from the package's
# functions: modes covered, the high-quality share and the exact $W_1$ to as many real points,
# beside the $W_1$ between two real samples, its floor.

# %%
real = eight_gaussians(500, generator=seeded)
more = eight_gaussians(1600, generator=seeded)
samples = {
    "real (the floor)": eight_gaussians(500, generator=seeded),
    "three modes": more[more[:, 0] > 0.5][:500],
    "real, blurred": more[:500] + 0.05 * torch.randn(500, 2, generator=seeded),
    "diffuse": torch.randn(500, 2, generator=seeded),
}
for name, points in samples.items():
    mass = package_mass(points, ring_centres, EIGHT_GAUSSIANS_STD)
    covered = int((mass >= 0.25 / len(ring_centres)).sum())
    w1 = sample_w1(points.numpy(), real.numpy())
    print(f"{name:>16}: {covered} modes, {mass.sum():.2f} on a mode, W1 = {w1:.3f}")
