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
# # Notebook: training the shift toy
#
# [Download this notebook](shift-toy-training.nb.py) (a jupytext percent script: open it in
# JupyterLab with jupytext, or convert it with `jupytext --to ipynb shift-toy-training.nb.py`).
#
# This page is a notebook, executed from scratch every time the site is built. It trains the
# [shift toy](../shift-toy/) by automatic differentiation: a generator $x = z + \theta$ against a
# logistic discriminator $D(x) = \sigma(\phi_0 + \phi_1 x)$, with the losses of `ganbook.losses`.
# Copy the cells into your own notebook; they use only the public API of `ganbook`.
#
# The real data are $N(\mu, 1)$ with $\mu = 0$, as everywhere in the book. The generator starts at
# $\theta = -3$. The optimal
# discriminator of this game is exactly logistic, so the little discriminator can represent it.

# %%
import matplotlib.pyplot as plt
import torch

from ganbook.data import gaussian_1d
from ganbook.losses import minimax_discriminator_loss, nonsaturating_generator_loss
from ganbook.models import LogisticDiscriminator, ShiftGenerator

torch.set_num_threads(1)
mu, theta0, steps, batch = 0.0, -3.0, 400, 256
data_rng = torch.Generator().manual_seed(0)
noise_rng = torch.Generator().manual_seed(1)

# %% [markdown]
# One training step alternates the two players. The discriminator takes a step on a *detached*
# fake batch, then the generator takes a step on fresh noise, through the discriminator it now
# faces. The `detach` only saves work: `opt_d` holds the discriminator's parameters alone, and
# `opt_g.zero_grad()` clears whatever the discriminator's backward pass left in the generator's
# `.grad` before the generator's own pass, so the generator would not move either way. (Without
# that `zero_grad`, it would: see [Common mistakes](../../part-2/common-mistakes/).)


# %%
def train(generator_loss, steps=steps, lr_d=0.2, lr_g=0.2):
    G, D = ShiftGenerator(theta=theta0), LogisticDiscriminator()
    opt_g = torch.optim.SGD(G.parameters(), lr=lr_g)
    opt_d = torch.optim.SGD(D.parameters(), lr=lr_d)
    thetas = []
    for _ in range(steps):
        real = gaussian_1d(batch, mean=mu, std=1.0, generator=data_rng)
        fake = G(gaussian_1d(batch, generator=noise_rng)).detach()
        loss_d = minimax_discriminator_loss(D(real), D(fake))
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()

        fake = G(gaussian_1d(batch, generator=noise_rng))
        loss_g = generator_loss(D(fake))
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        thetas.append(G.theta.item())
    return thetas


thetas = train(nonsaturating_generator_loss)
peak = max(range(steps), key=thetas.__getitem__)
print(f"theta after {steps} steps: {thetas[-1]:.3f} (the real mean is {mu})")
print(f"highest theta: {thetas[peak]:.3f}, at step {peak + 1}")

# %% [markdown]
# The shift $\theta$ climbs towards $\mu$, runs past it (the highest $\theta$ printed above), and
# swings back: the overshoot of [the two players' game](../value-function/), where the
# discriminator's slope lags behind the generator. Then it settles near $\mu$: the discriminator
# can no longer tell the two clouds apart, its slope $\phi_1$ shrinks, and both players'
# gradients become small and noisy.

# %%
fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
ax.plot(thetas, label=r"$\theta$ (non-saturating loss)")
ax.axhline(mu, color="gray", ls=":", label=r"$\mu$")
ax.set_xlabel("training step")
ax.set_ylabel(r"$\theta$")
ax.legend(frameon=False)
plt.show()
