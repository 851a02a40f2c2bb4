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
# # Exercises: training by alternation
#
# Companion to the chapter *Training by alternation*. On the shift toy, a `ShiftGenerator`
# $x = z + \theta$ against a `LogisticDiscriminator` $\ell(x) = \phi_0 + \phi_1 x$, you write one
# discriminator step, one generator step, and then one step of the trainer: the two in turn, on
# one random stream. Each check runs the package's own `discriminator_step` and `generator_step`
# from the same parameters and the same seed, and compares. On the site this notebook is shown
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
import math

import torch

from ganbook.data import gaussian_1d
from ganbook.exercises import check_function
from ganbook.losses import get_loss, minimax_discriminator_loss, nonsaturating_generator_loss
from ganbook.models import LogisticDiscriminator, ShiftGenerator
from ganbook.training import GAN, discriminator_step, generator_step

torch.set_num_threads(1)
mu, sigma = 0.0, 1.0  # the real data are N(0, 1), as in the chapter
data_rng = torch.Generator().manual_seed(0)
cases = [  # (theta, phi0, phi1, real batch x, seed of the latents, learning rate)
    (-3.0, 0.0, 0.0, gaussian_1d(8, mean=mu, std=sigma, generator=data_rng), 0, 0.1),
    (-1.0, 0.3, 0.5, gaussian_1d(32, mean=mu, std=sigma, generator=data_rng), 1, 0.5),
    (2.0, -0.2, -1.0, gaussian_1d(5, mean=mu, std=sigma, generator=data_rng), 2, 0.05),
]


def latents(rng, n):
    """Draw z ~ N(0, 1) of shape (n, 1) from rng, as the trainer's `sample_latent` does."""
    return torch.randn((n, 1), generator=rng)


def package_game(theta, phi0, phi1, seed, lr):
    """The package's GAN: the two players, plain SGD for each, the non-saturating loss pair."""
    G, D = ShiftGenerator(theta=theta), LogisticDiscriminator(phi0=phi0, phi1=phi1)
    g_optimiser = torch.optim.SGD(G.parameters(), lr=lr)
    d_optimiser = torch.optim.SGD(D.parameters(), lr=lr)
    rng = torch.Generator().manual_seed(seed)
    return GAN(G, D, g_optimiser, d_optimiser, get_loss("non-saturating"), rng)


def parameters(gan):
    """(theta, phi0, phi1) of the package's game, as one tensor."""
    return torch.stack([gan.generator.theta, gan.discriminator.phi0, gan.discriminator.phi1])


# %% [markdown]
# ## Exercise 1: the discriminator's step
#
# Build the players, `ShiftGenerator(theta=theta)` and
# `LogisticDiscriminator(phi0=phi0, phi1=phi1)`, and seed a stream
# `rng = torch.Generator().manual_seed(seed)`. Then, as the trainer does:
#
# 1. draw one latent per real example, `z = latents(rng, len(x))`, and make the fake batch
#    $\tilde x = G(z)$ under `torch.no_grad()`;
# 2. compute $\mathcal{L}_D$ = `minimax_discriminator_loss(D(x), D(x_fake))`;
# 3. take one step of plain gradient descent on the discriminator's parameters only,
#    $\phi \leftarrow \phi - \eta\, \nabla_\phi \mathcal{L}_D$ with $\eta$ = `lr` (a
#    `torch.optim.SGD` over `D.parameters()` does exactly that).
#
# Return `torch.stack([G.theta, D.phi0, D.phi1])` after the step. The generator must not move.


# %%
def discriminator_update(theta, phi0, phi1, x, seed, lr):
    """(theta, phi0, phi1) after one discriminator step on the real batch x."""
    # BEGIN SOLUTION
    G, D = ShiftGenerator(theta=theta), LogisticDiscriminator(phi0=phi0, phi1=phi1)
    optimiser = torch.optim.SGD(D.parameters(), lr=lr)
    rng = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        x_fake = G(latents(rng, len(x)))  # no graph: nothing reaches the generator
    loss = minimax_discriminator_loss(D(x), D(x_fake))
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    return torch.stack([G.theta, D.phi0, D.phi1])
    # END SOLUTION


# %%
def package_discriminator_step(theta, phi0, phi1, x, seed, lr):
    gan = package_game(theta, phi0, phi1, seed, lr)
    discriminator_step(gan, x)
    return parameters(gan)


check_function(discriminator_update, package_discriminator_step, cases)

# %% [markdown]
# ## Exercise 2: the generator's step
#
# Now the other half, with the discriminator held where it is: draw `n` latents from the stream
# seeded with `seed`, compute the non-saturating loss
# $\mathcal{L}_G = -\frac{1}{n}\sum_j \log \sigma\bigl(\ell(G(z_j))\bigr)$ =
# `nonsaturating_generator_loss(D(G(z)))`, this time *with* a graph, and take one step of plain
# gradient descent on $\theta$ alone. The backward pass fills the discriminator's gradients too;
# do not step them. Return `torch.stack([G.theta, D.phi0, D.phi1])` after the step.


# %%
def generator_update(theta, phi0, phi1, n, seed, lr):
    """(theta, phi0, phi1) after one generator step on n fresh latents."""
    # BEGIN SOLUTION
    G, D = ShiftGenerator(theta=theta), LogisticDiscriminator(phi0=phi0, phi1=phi1)
    optimiser = torch.optim.SGD(G.parameters(), lr=lr)
    rng = torch.Generator().manual_seed(seed)
    loss = nonsaturating_generator_loss(D(G(latents(rng, n))))
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    return torch.stack([G.theta, D.phi0, D.phi1])
    # END SOLUTION


# %%
def package_generator_step(theta, phi0, phi1, n, seed, lr):
    gan = package_game(theta, phi0, phi1, seed, lr)
    generator_step(gan, n)
    return parameters(gan)


generator_cases = [
    (theta, phi0, phi1, len(x), seed, lr) for theta, phi0, phi1, x, seed, lr in cases
]
check_function(generator_update, package_generator_step, generator_cases)

# %% [markdown]
# ## Exercise 3: one step of the trainer
#
# One step of `train` is a discriminator step and then a generator step, on one random stream.
# Seed a single `rng` with `seed`, make the discriminator's step with the first latents drawn
# from it, then the generator's step with *new* latents drawn from the same `rng` (one per real
# example), through the discriminator as the first step left it. Return
# `torch.stack([G.theta, D.phi0, D.phi1])` at the end.
#
# Two mistakes change the numbers: reusing the discriminator's latents for the generator, and
# letting the generator face the discriminator from before its step.


# %%
def alternating_step(theta, phi0, phi1, x, seed, lr):
    """(theta, phi0, phi1) after one discriminator step and then one generator step."""
    # BEGIN SOLUTION
    G, D = ShiftGenerator(theta=theta), LogisticDiscriminator(phi0=phi0, phi1=phi1)
    g_optimiser = torch.optim.SGD(G.parameters(), lr=lr)
    d_optimiser = torch.optim.SGD(D.parameters(), lr=lr)
    rng = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        x_fake = G(latents(rng, len(x)))
    d_loss = minimax_discriminator_loss(D(x), D(x_fake))
    d_optimiser.zero_grad()
    d_loss.backward()
    d_optimiser.step()
    g_loss = nonsaturating_generator_loss(D(G(latents(rng, len(x)))))  # fresh z, updated D
    g_optimiser.zero_grad()
    g_loss.backward()
    g_optimiser.step()
    return torch.stack([G.theta, D.phi0, D.phi1])
    # END SOLUTION


# %%
def package_alternating_step(theta, phi0, phi1, x, seed, lr):
    gan = package_game(theta, phi0, phi1, seed, lr)
    discriminator_step(gan, x)
    generator_step(gan, len(x))
    return parameters(gan)


check_function(alternating_step, package_alternating_step, cases)

# %% [markdown]
# A short run of the package's steps, in the chapter's setting (Adam with betas $(0.5, 0.999)$
# at learning rate 0.02, batches of 256, $\theta$ starting at $-3$), but for 400 steps only and
# one seed. The printout compares the last quarter's mean outputs and losses with their values
# at the game's solution: $D = \tfrac12$, $\mathcal{L}_D = \log 4$ and, for the non-saturating
# loss, $\mathcal{L}_G = \log 2$.

# %%
G, D = ShiftGenerator(theta=-3.0), LogisticDiscriminator()
gan = GAN(
    G,
    D,
    torch.optim.Adam(G.parameters(), lr=0.02, betas=(0.5, 0.999)),
    torch.optim.Adam(D.parameters(), lr=0.02, betas=(0.5, 0.999)),
    get_loss("non-saturating"),
    torch.Generator().manual_seed(1),
)
steps, tail = 400, []
for step in range(steps):
    d_record = discriminator_step(gan, gaussian_1d(256, mean=mu, std=sigma, generator=data_rng))
    g_record = generator_step(gan, 256)
    if step >= 3 * steps // 4:
        d_real = torch.sigmoid(d_record.d_real).mean().item()  # D(x) on the real batch
        d_fake = torch.sigmoid(d_record.d_fake).mean().item()  # D(G(z)) on the fakes
        tail.append((d_real, d_fake, d_record.loss.item(), g_record.loss.item()))
means = [sum(column) / len(tail) for column in zip(*tail, strict=True)]
print(f"theta after {steps} steps: {G.theta.item():.3f} (mu = {mu}), phi1 = {D.phi1.item():.3f}")
print(f"last quarter: D(x) {means[0]:.4f}, D(G(z)) {means[1]:.4f} (1/2 at the solution)")
print(f"last quarter: L_D {means[2]:.4f} (log 4 = {math.log(4):.4f}), ", end="")
print(f"L_G {means[3]:.4f} (log 2 = {math.log(2):.4f})")
