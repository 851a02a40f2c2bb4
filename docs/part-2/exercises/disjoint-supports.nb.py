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
# # Exercises: when the supports do not overlap
#
# Companion to the chapter *When the supports do not overlap*. You write KL, Jensen–Shannon,
# total variation and $W_1$ for the two parallel lines in closed form, the same distances for
# two narrow uniforms, the gradient the generator receives through an affine classifier, and
# the slope at which a WGAN-GP affine critic settles; each check compares your code with what
# `ganbook` computes on grids, by autograd or by minimising its loss. On the site this notebook
# is shown solved; the exercise version (download it from the chapter's page) has
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
from scipy.optimize import minimize_scalar

from ganbook.divergences import (
    earth_movers_distance,
    js_divergence,
    kl_divergence,
    total_variation,
    wasserstein_1d,
)
from ganbook.exercises import check_function
from ganbook.losses import (
    minimax_discriminator_loss,
    minimax_generator_loss,
    wasserstein_discriminator_loss,
    wasserstein_generator_loss,
)
from ganbook.models import LogisticDiscriminator, ShiftGenerator
from ganbook.penalties import gradient_penalty

# %% [markdown]
# ## Exercise 1: two parallel lines
#
# The data put $x = 0$ and draw $y$ from $U[0, 1]$; the generator puts $x = \theta$ and draws
# the same $y$:
#
# $$
# p_{\text{data}} = \delta_0 \times U[0, 1], \qquad p_g = \delta_\theta \times U[0, 1].
# $$
#
# Return the four distances $\mathrm{KL}(p_{\text{data}} \,\|\, p_g)$, $\mathrm{JS}$, $\delta$
# and $W_1$, in that order, as a function of $\theta$, in closed form: for $\theta \ne 0$ they
# are $\infty$ (`np.inf`), $\log 2$, 1 and $|\theta|$, and at $\theta = 0$ all four are 0.
# The check puts each segment on 11 points of the plane and computes them with
# `ganbook.divergences` on the union of the two supports, $W_1$ by the transport linear
# program with the Euclidean cost. Mind the sign of $\theta$: a distance is never negative.


# %%
def parallel_lines(theta):
    """(KL, JS, TV, W1) between the segment at x = 0 and the segment at x = theta."""
    # BEGIN SOLUTION
    if theta == 0:
        return np.zeros(4)
    return np.array([np.inf, np.log(2.0), 1.0, abs(theta)])
    # END SOLUTION


# %%
def on_the_plane(theta, rows=11):
    """The four distances with the package, each segment on `rows` points of the plane."""
    y = np.linspace(0.0, 1.0, rows)
    data = np.column_stack([np.zeros(rows), y])
    fake = np.column_stack([np.full(rows, float(theta)), y])
    points, where = np.unique(np.vstack([data, fake]), axis=0, return_inverse=True)
    where = where.ravel()  # each sample's index among the distinct points of the union
    p = np.bincount(where[:rows], minlength=len(points)) / rows
    q = np.bincount(where[rows:], minlength=len(points)) / rows
    cost = np.linalg.norm(points[:, None, :] - points[None, :, :], axis=-1)
    w1 = earth_movers_distance(p, q, cost).distance
    return np.array([kl_divergence(p, q), js_divergence(p, q), total_variation(p, q), w1])


check_function(parallel_lines, on_the_plane, [(0.0,), (0.5,), (-1.0,), (3.0,)])

# %% [markdown]
# ## Exercise 2: narrow uniforms on a line
#
# Give the data a width: $p_{\text{data}} = U[-\varepsilon/2, \varepsilon/2]$ and
# $p_g = U[\theta - \varepsilon/2, \theta + \varepsilon/2]$. While $|\theta| < \varepsilon$ the
# two overlap on a share $1 - |\theta|/\varepsilon$ of each, where $p = q = m$ and the integrand
# of JS is 0; on the rest each sees $m = p/2$ and contributes $\log 2$. So
#
# $$
# \mathrm{JS} = \min\!\Bigl(\frac{|\theta|}{\varepsilon}, 1\Bigr) \log 2, \qquad
# \delta = \min\!\Bigl(\frac{|\theta|}{\varepsilon}, 1\Bigr), \qquad
# W_1 = |\theta|.
# $$
#
# Return $(\mathrm{JS}, \delta, W_1)$. The check computes them with `js_divergence`,
# `total_variation` and `wasserstein_1d` on a grid of spacing 0.005, on which every shift of
# the cases is a whole number of points. Once $|\theta| \ge \varepsilon$ the first two stop
# growing: do not let them exceed $\log 2$ and 1.


# %%
def narrow_uniforms(theta, eps):
    """(JS, TV, W1) between U[-eps/2, eps/2] and the same uniform shifted by theta."""
    # BEGIN SOLUTION
    share = min(abs(theta) / eps, 1.0)
    return np.array([share * np.log(2.0), share, abs(theta)])
    # END SOLUTION


# %%
def on_a_grid(theta, eps, spacing=0.005):
    """The three with the package: each uniform on eps/spacing points of a grid."""
    width, shift = round(eps / spacing), round(abs(theta) / spacing)  # in grid points
    x = spacing * np.arange(width + shift)
    p, q = np.zeros(x.size), np.zeros(x.size)
    p[:width], q[shift:] = 1.0 / width, 1.0 / width  # q is p moved |θ| to the right
    return np.array([js_divergence(p, q), total_variation(p, q), wasserstein_1d(x, x, p, q)])


uniforms = [(0.0, 0.5), (0.1, 0.5), (-0.25, 0.5), (0.45, 0.2), (1.0, 0.05), (-0.3, 0.2)]
check_function(narrow_uniforms, on_a_grid, uniforms)

# %% [markdown]
# ## Exercise 3: the generator's gradient through a classifier
#
# The generator is the shift $\tilde x = z + \theta$, and the classifier is affine in $x$,
# $D(x) = \sigma(\phi_0 + \phi_1 x)$. The saturating generator loss is the mean of
# $\log(1 - D(\tilde x_j))$ over the latents $z_j$, and by the chain rule, with
# $\frac{d}{d\ell} \log\bigl(1 - \sigma(\ell)\bigr) = -\sigma(\ell)$,
#
# $$
# \frac{\partial}{\partial \theta}\, \frac{1}{N} \sum_{j} \log\bigl(1 - D(z_j + \theta)\bigr)
# = -\frac{\phi_1}{N} \sum_{j} \sigma\bigl(\phi_0 + \phi_1 (z_j + \theta)\bigr).
# $$
#
# Write the derivative; `z` is a tensor of shape $(N, 1)$ of latents spread evenly over
# $[-\varepsilon/2, \varepsilon/2]$, $\varepsilon = 0.1$, so the generated samples are a
# uniform of width $\varepsilon$ around $\theta$, as in the chapter. The check asks autograd for
# the same gradient through the package's `ShiftGenerator`, `LogisticDiscriminator` and
# `minimax_generator_loss`, for the generator at $\theta = 1$ and classifiers
# $\sigma\bigl(k(\theta/2 - x)\bigr)$ of growing sharpness $k$: each separates the data at 0
# from the samples at $\theta$ a little more confidently than the last.


# %%
def saturating_gradient(phi0, phi1, theta, z):
    """d/dθ of mean log(1 - sigmoid(phi0 + phi1 (z + θ))), the generator's saturating loss."""
    # BEGIN SOLUTION
    logits = phi0 + phi1 * (z + theta)
    return -phi1 * torch.sigmoid(logits).mean()
    # END SOLUTION


# %%
def by_autograd(phi0, phi1, theta, z):
    """The same gradient, by autograd through the package's models and loss, in float64."""
    classifier = LogisticDiscriminator(phi0, phi1).double()
    generator = ShiftGenerator(theta).double()
    loss = minimax_generator_loss(classifier(generator(z)))
    (gradient,) = torch.autograd.grad(loss, generator.theta)
    return gradient


eps, theta = 0.1, 1.0
z = eps * ((torch.arange(512, dtype=torch.float64) + 0.5) / 512 - 0.5)[:, None]  # midpoints
sharpness = [0.5, 2.0, 10.0, 40.0, 200.0]
classifiers = [(k * theta / 2, -k, theta, z) for k in sharpness]
check_function(saturating_gradient, by_autograd, classifiers)
for k, case in zip(sharpness, classifiers, strict=True):
    print(f"k = {k:5}: the generator's gradient is {by_autograd(*case).item():.3e}")

# %% [markdown]
# ## Exercise 4: where a WGAN-GP affine critic settles
#
# Put the data at 0 and the generator's samples at $\theta$, and let the critic be affine,
# $f(x) = \phi_0 + \phi_1 x$. Its gradient is $\phi_1$ everywhere, so its WGAN-GP loss is
#
# $$
# \mathbb{E} f(\tilde x) - \mathbb{E} f(x) + \lambda \bigl(\lVert \nabla f \rVert - 1\bigr)^2
# = \phi_1 \theta + \lambda (|\phi_1| - 1)^2 .
# $$
#
# For $\theta > 0$ it is smallest at
#
# $$
# \phi_1 = -\Bigl(1 + \frac{\theta}{2\lambda}\Bigr),
# $$
#
# a slope a little steeper than 1: the soft penalty lets the critic trade some of it for a
# larger difference of means. Return that $\phi_1$ for any $\theta \ne 0$; for $\theta < 0$ the
# picture is mirrored. The check minimises the package's `wasserstein_discriminator_loss` plus
# $\lambda$ times `gradient_penalty` over $\phi_1$ numerically: first on a coarse grid, then
# with a bounded scalar solver around the best grid point.


# %%
def penalised_slope(theta, gp_weight):
    """The slope phi1 that minimises phi1 θ + λ (|phi1| - 1)² (data at 0, samples at θ)."""
    # BEGIN SOLUTION
    return -np.sign(theta) * (1.0 + abs(theta) / (2.0 * gp_weight))
    # END SOLUTION


# %%
def by_minimising(theta, gp_weight):
    """The package's critic loss with its gradient penalty, minimised over the slope."""
    real = torch.zeros(8, 1, dtype=torch.float64)
    fake = torch.full((8, 1), float(theta), dtype=torch.float64)

    def loss(phi1):
        def critic(x):
            return phi1 * x  # an affine critic (φ0 cancels in the loss and the penalty)

        mean_gap = wasserstein_discriminator_loss(critic(real), critic(fake))
        alphas = torch.Generator().manual_seed(0)  # the interpolates, irrelevant here: ∇f = φ1
        penalty = gradient_penalty(critic, real, fake, rng=alphas)
        return (mean_gap + gp_weight * penalty).item()

    grid = np.linspace(-5.0, 5.0, 101)
    best = grid[np.argmin([loss(phi1) for phi1 in grid])]
    bounds = (best - 0.05, best + 0.05)
    return minimize_scalar(loss, bounds=bounds, method="bounded", options={"xatol": 1e-10}).x


slopes = [(0.5, 10.0), (1.0, 10.0), (2.0, 10.0), (1.0, 1.0), (3.0, 0.5), (-1.0, 10.0)]
check_function(penalised_slope, by_minimising, slopes)

# %% [markdown]
# ## A classifier and a critic, trained
#
# The chapter trains both from scratch against a generator that never moves. The cell below
# does a short version of it: uniforms of width $\varepsilon = 0.1$, the generator at
# $\theta = 1$, an affine classifier on `minimax_discriminator_loss` and an affine critic on
# `wasserstein_discriminator_loss` plus $10 \times$ `gradient_penalty`, each with Adam
# (learning rate 0.05, $\beta = (0.5, 0.9)$) on fresh batches of 256. At a few steps it prints
# the generator's gradient through each, by autograd: through the classifier with
# `minimax_generator_loss`, through the critic with `wasserstein_generator_loss`, both on the
# midpoint latents of Exercise 3.

# %%
batches = torch.Generator().manual_seed(0)
generator = ShiftGenerator(theta).double()
classifier, critic = LogisticDiscriminator().double(), LogisticDiscriminator().double()
optimisers = [
    torch.optim.Adam(module.parameters(), lr=0.05, betas=(0.5, 0.9))
    for module in (classifier, critic)
]


def gradient_through(module, generator_loss):
    (gradient,) = torch.autograd.grad(generator_loss(module(generator(z))), generator.theta)
    return gradient.item()


for step in range(1, 301):
    real = eps * (torch.rand(256, 1, generator=batches, dtype=torch.float64) - 0.5)
    with torch.no_grad():
        fake = generator(eps * (torch.rand(256, 1, generator=batches, dtype=torch.float64) - 0.5))
    classifier_loss = minimax_discriminator_loss(classifier(real), classifier(fake))
    critic_loss = wasserstein_discriminator_loss(critic(real), critic(fake))
    critic_loss = critic_loss + 10.0 * gradient_penalty(critic, real, fake, rng=batches)
    for optimiser, loss in zip(optimisers, (classifier_loss, critic_loss), strict=True):
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    if step in (1, 10, 30, 100, 300):
        through_classifier = gradient_through(classifier, minimax_generator_loss)
        through_critic = gradient_through(critic, wasserstein_generator_loss)
        print(
            f"step {step:3d}: through the classifier {through_classifier:10.3e}, "
            f"through the critic {through_critic:6.3f}"
        )
