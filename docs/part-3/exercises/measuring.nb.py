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
# # Exercises: measuring a generator
#
# Companion to the chapter *Measuring a generator*. You write the Fréchet distance between two
# Gaussians, the KL divergence of a class histogram from uniform, precision and recall by
# $k$-nearest-neighbour balls, and the count of the ring's modes that a sample covers; each
# check compares your code with `ganbook.measures`. On the site this notebook is shown solved;
# the exercise version (download it from the chapter's page) has `raise NotImplementedError`
# where your code goes.

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

from ganbook.data import (
    EIGHT_GAUSSIANS_STD,
    count_covered_modes,
    eight_gaussians,
    eight_gaussians_centres,
    load_digits_dataset,
)
from ganbook.exercises import check_function
from ganbook.measures import (
    class_histogram_kl,
    frechet_distance,
    precision_recall,
    resampled_frechet,
)

rng = np.random.default_rng(0)
seeded = torch.Generator().manual_seed(0)


def random_covariance(d, rank=None):
    """A random symmetric positive semi-definite d × d matrix, of full rank unless `rank`."""
    a = rng.normal(size=(d, rank or d + 2))
    return a @ a.T / a.shape[1]


# %% [markdown]
# ## Exercise 1: the Fréchet distance between two Gaussians
#
# The Fréchet distance is the squared 2-Wasserstein distance between
# $\mathcal N(\mu_r, \Sigma_r)$ and $\mathcal N(\mu_g, \Sigma_g)$, in closed form:
#
# $$
# \mathrm{FD} = \lVert \mu_r - \mu_g \rVert_2^2
# + \operatorname{tr}\Bigl(\Sigma_r + \Sigma_g - 2\,\bigl(\Sigma_r \Sigma_g\bigr)^{1/2}\Bigr).
# $$
#
# Write it. The square root is the pitfall: $\Sigma_r \Sigma_g$ is not symmetric, and a general
# matrix square root of it (`scipy.linalg.sqrtm`) may come back complex, with small imaginary
# parts from rounding (take its real part). Only the trace is needed, and
# $\operatorname{tr}(\Sigma_r\Sigma_g)^{1/2} =
# \operatorname{tr}\bigl(\Sigma_r^{1/2}\Sigma_g\Sigma_r^{1/2}\bigr)^{1/2}$, the sum of the square
# roots of the eigenvalues of a symmetric positive semi-definite matrix (`np.linalg.eigh`; clip
# to 0 the tiny negative ones that rounding leaves), which stays accurate when a covariance is
# singular, as one fitted to fewer samples than dimensions is.


# %%
def frechet(mu_r, cov_r, mu_g, cov_g):
    """The Fréchet distance between N(mu_r, cov_r) and N(mu_g, cov_g), a float."""
    # BEGIN SOLUTION
    values, vectors = np.linalg.eigh(cov_r)
    root_r = (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T  # Σ_r^{1/2}
    cross = np.linalg.eigvalsh(root_r @ cov_g @ root_r)
    trace_root = np.sqrt(np.clip(cross, 0.0, None)).sum()  # tr (Σ_r Σ_g)^{1/2}
    diff = mu_r - mu_g
    return float(diff @ diff + np.trace(cov_r) + np.trace(cov_g) - 2.0 * trace_root)
    # END SOLUTION


# %%
sigma = random_covariance(8)
gaussian_cases = [
    (np.zeros(1), np.eye(1), np.ones(1), 4 * np.eye(1)),  # 1 + (1 + 4 - 2 · 2) = 2
    (rng.normal(size=3), random_covariance(3), rng.normal(size=3), random_covariance(3)),
    (rng.normal(size=8), sigma, rng.normal(size=8), random_covariance(8)),
    (np.zeros(8), sigma, np.zeros(8), sigma),  # one Gaussian twice: 0
    (np.zeros(6), random_covariance(6, rank=3), np.ones(6), random_covariance(6, rank=2)),
]
check_function(frechet, frechet_distance, gaussian_cases, atol=1e-6)

# %% [markdown]
# ## Exercise 2: the KL divergence of a class histogram from uniform
#
# The classifier's labels give a histogram $\hat p$ over the $C$ classes,
# $\hat p_c = \#\{i : y_i = c\} / N$. Its divergence from the uniform histogram, in nats, is
#
# $$
# \mathrm{KL}(\hat p \,\Vert\, u) = \sum_{c=0}^{C-1} \hat p_c \log \frac{\hat p_c}{1/C}
# = \log C - H(\hat p).
# $$
#
# Write it for integer labels in $0, \dots, C-1$. A class that never occurs has $\hat p_c = 0$
# and contributes $0 \log 0 = 0$: leave it out of the sum rather than compute $\log 0$
# (`np.bincount(labels, minlength=C)` counts every class, the empty ones too).


# %%
def kl_from_uniform(labels, n_classes):
    """KL(p̂ ‖ u) in nats, for the histogram p̂ of `labels` over `n_classes` classes."""
    # BEGIN SOLUTION
    p = np.bincount(labels, minlength=n_classes) / len(labels)
    p = p[p > 0]
    return float(np.sum(p * np.log(p * n_classes)))
    # END SOLUTION


# %%
label_cases = [
    (rng.integers(0, 10, size=500), 10),  # nearly uniform: close to 0
    (rng.integers(0, 8, size=400), 10),  # two classes missing: close to log(10/8)
    (np.full(30, 3), 10),  # a single class: log 10
    (rng.choice(4, size=64, p=[0.7, 0.1, 0.1, 0.1]), 4),
]
check_function(kl_from_uniform, class_histogram_kl, label_cases)

# %% [markdown]
# ## Exercise 3: precision and recall by nearest-neighbour balls
#
# Let $r_k(x)$ be the distance from $x$ to its $k$-th nearest neighbour *in its own set*, not
# counting $x$ itself. A generated point counts towards precision when it lies in the ball of
# some real point, and a real point counts towards recall when it lies in the ball of some
# generated one:
#
# $$
# \text{precision} = \frac{1}{|G|} \sum_{g \in G}
# \bigl[\exists\, r \in R:\ \lVert g - r \rVert \le r_k(r)\bigr],
# \qquad
# \text{recall} = \frac{1}{|R|} \sum_{r \in R}
# \bigl[\exists\, g \in G:\ \lVert r - g \rVert \le r_k(g)\bigr].
# $$
#
# Return the pair `(precision, recall)`. The pitfall is $r_k$: in a matrix of the distances
# within one set, each point's distance to itself is 0, so the $k$-th smallest of its row is the
# $(k-1)$-th neighbour. Set the diagonal to infinity first. Note that the ball is that of the
# *other* set's point, $r_k(r)$ for precision, not the radius of the point being tested.


# %%
def precision_and_recall(real, fake, k):
    """Improved precision and recall of `fake` against `real` (rows are points), a pair."""

    # BEGIN SOLUTION
    def radii(x):
        within = np.linalg.norm(x[:, None] - x[None], axis=2)
        np.fill_diagonal(within, np.inf)
        return np.sort(within, axis=1)[:, k - 1]  # r_k of every point of x

    between = np.linalg.norm(fake[:, None] - real[None], axis=2)  # (|G|, |R|)
    precision = np.mean(np.any(between <= radii(real)[None, :], axis=1))
    recall = np.mean(np.any(between.T <= radii(fake)[None, :], axis=1))
    return float(precision), float(recall)
    # END SOLUTION


# %%
ring = eight_gaussians(300, generator=seeded).double().numpy()
collapsed = ring[np.linalg.norm(ring - ring[0], axis=1) < 0.1]  # the real points of one mode
pr_cases = [
    (ring, eight_gaussians(200, generator=seeded).double().numpy(), 3),  # real against real
    (ring, collapsed + rng.normal(scale=0.01, size=collapsed.shape), 3),  # one mode only
    (ring, rng.normal(size=(150, 2)), 3),  # a diffuse cloud
    (rng.normal(size=(80, 5)), rng.normal(0.5, 1.0, size=(60, 5)), 5),  # five dimensions
]
check_function(precision_and_recall, lambda r, f, k: precision_recall(r, f, k=k), pr_cases)

# %% [markdown]
# ## Exercise 4: the ring's modes that a sample covers
#
# On the ring of eight Gaussians, each of standard deviation $\sigma$, a sample point belongs to
# its nearest centre $c_k$ and lies on it when $\lVert x - c_k \rVert \le 3\sigma$. A mode is
# covered when at least 20 of the points lie on it. Write the count, for points of shape
# $(N, 2)$ and centres of shape $(8, 2)$. Each point counts for its nearest centre only, and only
# if it is within $3\sigma$ of that one.


# %%
def modes_covered(points, centres, std):
    """The number of modes with at least 20 of `points` within 3 std of them, nearest first."""
    # BEGIN SOLUTION
    distance = torch.cdist(points, centres.to(points.dtype))  # (N, 8)
    nearest_distance, nearest = distance.min(dim=1)
    counts = torch.bincount(nearest[nearest_distance <= 3 * std], minlength=len(centres))
    return int((counts >= 20).sum())
    # END SOLUTION


# %%
centres = eight_gaussians_centres()
ring_points = eight_gaussians(1000, generator=seeded)
mode_cases = [
    (ring_points, centres, EIGHT_GAUSSIANS_STD),  # the data: all 8
    (ring_points[ring_points[:, 1] > -0.5], centres, EIGHT_GAUSSIANS_STD),  # three modes cut
    (eight_gaussians(120, generator=seeded), centres, EIGHT_GAUSSIANS_STD),  # about 15 a mode
    (torch.randn(1000, 2, generator=seeded), centres, EIGHT_GAUSSIANS_STD),  # a diffuse cloud
]
check_function(modes_covered, count_covered_modes, mode_cases)

# %% [markdown]
# The Fréchet distance between two *real* samples is positive and shrinks as the samples grow.
# With the package's `resampled_frechet`, here on the digits' 256 pixels rather than on a
# classifier's features: held-out digits against training digits, five draws at each size.

# %%
train = load_digits_dataset(size=16).reshape(-1, 256).double().numpy()
heldout = load_digits_dataset(size=16, split="heldout").reshape(-1, 256).double().numpy()
for n in (100, 200, 400):
    floor = resampled_frechet(heldout, train, n=n, resamples=5, rng=np.random.default_rng(1))
    print(f"n = {n}: real-vs-real FD from {floor.min():.1f} to {floor.max():.1f}")
