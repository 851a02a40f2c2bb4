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
# # Exercises: common problems
#
# Companion to the chapter *Common problems*. You write the slope of the two generator losses
# with respect to a logit, which is where the gradient vanishes; the minibatch standard
# deviation and the packing that let a discriminator see a collapsed batch; and the R1 penalty
# that settles the game. Each check compares your code with `ganbook`: the losses, the
# trainer's `DiscriminatorInputs` and `ganbook.penalties`. On the site this notebook is shown
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
import torch

from ganbook.data import eight_gaussians
from ganbook.exercises import check_function
from ganbook.losses import minimax_generator_loss, nonsaturating_generator_loss
from ganbook.models import MLPDiscriminator
from ganbook.penalties import r1_penalty
from ganbook.training import DiscriminatorInputs

seeded = torch.Generator().manual_seed(0)

# %% [markdown]
# ## Exercise 1: where the generator's gradient vanishes
#
# The generator's gradient is the slope of its loss with respect to the discriminator's logit
# $\ell$ on a generated sample, times the slope of that logit with respect to its parameters.
# With $D = \sigma(\ell)$, the per-sample terms of the two losses of Part I are
# $\log(1 - \sigma(\ell))$ (saturating) and $-\log \sigma(\ell)$ (non-saturating). Write the
# first factor, $\partial(\text{term})/\partial \ell$, for every logit of a batch, in terms of
# $\sigma(\ell)$: differentiate with $\sigma'(\ell) = \sigma(\ell)(1 - \sigma(\ell))$. A
# confident discriminator gives generated samples very negative logits; the last two cases
# include such logits, and the cell after the check prints what each slope does there.


# %%
def logit_slope(fake_logits, saturating):
    """d(term)/dℓ for each logit, of the saturating term if `saturating`, else the other."""
    # BEGIN SOLUTION
    d = torch.sigmoid(fake_logits)
    return -d if saturating else -(1 - d)
    # END SOLUTION


# %%
def package_slope(fake_logits, saturating):
    """The slope of the package's per-sample terms, by automatic differentiation."""
    loss = minimax_generator_loss if saturating else nonsaturating_generator_loss
    logits = fake_logits.detach().clone().requires_grad_(True)
    return torch.autograd.grad(loss(logits, reduction="sum"), logits)[0]


confident = torch.tensor([-12.0, -8.0, -4.0, 0.0, 4.0])  # logits of a winning discriminator
slope_cases = [
    (torch.randn(16, generator=seeded) * 3, True),
    (torch.randn(16, generator=seeded) * 3, False),
    (confident, True),
    (confident, False),
]
check_function(logit_slope, package_slope, slope_cases)

# %%
print(f"{'logit':>14}: " + ", ".join(f"{v:8.0f}" for v in confident))
for name, saturating in (("saturating", True), ("non-saturating", False)):
    print(f"{name:>14}: " + ", ".join(f"{v:8.1e}" for v in package_slope(confident, saturating)))

# %% [markdown]
# ## Exercise 2: the minibatch standard deviation
#
# Every input of the discriminator gets one more feature: the standard deviation of each
# feature over the batch, averaged over the $d$ features,
#
# $$
# s = \frac{1}{d}\sum_{j=1}^{d}\sqrt{\frac{1}{B}\sum_{i=1}^{B}\bigl(x_{ij} - \bar x_{j}\bigr)^2},
# $$
#
# the same $s$ appended to every row. Write it for a batch of shape $(B, d)$, returning
# $(B, d + 1)$, and also for an ensemble's batches, $(K, B, d)$, each batch with its own $s$:
# reduce over the second last dimension, `dim=-2`. The standard deviation divides by $B$, not
# $B - 1$ (`unbiased=False`).


# %%
def with_minibatch_std(x):
    """The batch `x`, (..., B, d), with the minibatch standard deviation appended: (..., B, d+1)."""
    # BEGIN SOLUTION
    s = x.std(dim=-2, unbiased=False, keepdim=True).mean(dim=-1, keepdim=True)  # (..., 1, 1)
    return torch.cat([x, s.expand(*x.shape[:-1], 1)], dim=-1)
    # END SOLUTION


# %%
no_noise = None  # the inputs' noise stream; only instance noise draws from it
batches = [
    (eight_gaussians(64, generator=seeded),),
    (torch.randn(5, 3, generator=seeded),),
    (torch.randn(4, 16, 2, generator=seeded),),  # four members' batches at once
]
check_function(
    with_minibatch_std,
    lambda x: DiscriminatorInputs(minibatch_std=True).judged(x, no_noise),
    batches,
)

# %% [markdown]
# ## Exercise 3: packing
#
# A packed discriminator judges $m$ samples of one kind at once: consecutive examples
# $x_{(b-1)m+1}, \dots, x_{bm}$ are concatenated into one input of width $md$, so a batch of
# shape $(B, d)$ becomes $(B/m, md)$, and $(K, B, d)$ becomes $(K, B/m, md)$. Write it. A
# `reshape` of the last two dimensions does it, because the rows of a tensor are stored one
# after the other; a transpose before it would pack examples $b, b + B/m, \dots$ instead.


# %%
def packed(x, m):
    """The batch `x`, (..., B, d), packed by `m`: (..., B/m, m·d)."""
    # BEGIN SOLUTION
    batch, d = x.shape[-2:]
    return x.reshape(*x.shape[:-2], batch // m, m * d)
    # END SOLUTION


# %%
pack_cases = [(x, m) for (x,), m in zip(batches, (2, 5, 4), strict=True)]
check_function(packed, lambda x, m: DiscriminatorInputs(pack=m).judged(x, no_noise), pack_cases)

# %% [markdown]
# ## Exercise 4: the R1 penalty
#
# R1 penalises the discriminator's gradient with respect to its input, on real data only:
#
# $$
# R_1 = \mathbb{E}_{x \sim p_{\text{data}}} \bigl\lVert \nabla_x D(x) \bigr\rVert_2^2,
# $$
#
# and the discriminator's loss adds $\tfrac{\gamma}{2} R_1$. Write $R_1$ for a discriminator `D`
# and a real batch of shape $(N, d)$. Take the gradient with `torch.autograd.grad` of the sum of
# the outputs (each example's output depends on that example only, so the gradient of the sum
# holds every example's own gradient) with respect to a copy of the batch that requires it;
# pass `create_graph=True` so that a training step could differentiate the penalty in turn.
# Then square, sum over the $d$ coordinates, and average over the batch.


# %%
def r1(D, real):
    """The R1 penalty E‖∇ₓD(x)‖² over the real batch `real`, a scalar."""
    # BEGIN SOLUTION
    x = real.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(D(x).sum(), x, create_graph=True)
    return grad.pow(2).sum(dim=1).mean()
    # END SOLUTION


# %%
D = MLPDiscriminator(hidden=32, generator=seeded)
D_packed = MLPDiscriminator(in_dim=4, hidden=16, generator=seeded)
r1_cases = [
    (D, eight_gaussians(64, generator=seeded)),
    (D, torch.randn(7, 2, generator=seeded) * 2),
    (D_packed, torch.randn(16, 4, generator=seeded)),
]
check_function(r1, r1_penalty, r1_cases, rtol=1e-4, atol=1e-6)

# %% [markdown]
# What the minibatch standard deviation shows a discriminator, with the package's
# `DiscriminatorInputs`: the $s$ of a real batch of the ring against that of a collapsed batch,
# 64 points on one mode.

# %%
real_batch = eight_gaussians(64, generator=seeded)
collapsed = real_batch[:1] + 0.02 * torch.randn(64, 2, generator=seeded)
for name, batch in (("real batch", real_batch), ("collapsed batch", collapsed)):
    s = DiscriminatorInputs(minibatch_std=True).judged(batch, no_noise)[0, -1]
    print(f"{name:>15}: s = {s:.3f}")
