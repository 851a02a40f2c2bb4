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
# # Exercises: the discriminator is a classifier
#
# Companion to the chapter *The discriminator is a classifier*. You write the discriminator's
# cross-entropy example by example from logits and labels, its gradient with respect to the
# logit in closed form, and the real term with one-sided label smoothing. Each check compares
# your code with `ganbook`'s `minimax_discriminator_loss`. On the site this notebook is shown
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

from ganbook.exercises import check_function
from ganbook.losses import minimax_discriminator_loss

generator = torch.Generator().manual_seed(0)
cases = []  # (logits, labels): batches of different sizes, labels 1 (real) and 0 (fake)
for n in (8, 13, 1):
    logits = torch.randn(n, generator=generator) * 4
    labels = torch.randint(0, 2, (n,), generator=generator).float()
    cases.append((logits, labels))
cases.append((torch.tensor([120.0, -120.0, 300.0, -300.0]), torch.tensor([0.0, 1.0, 1.0, 0.0])))


def package_cross_entropy(logits, labels):
    """Per example: the package's real term where the label is 1, its fake term where it is 0."""
    real_term, fake_term = minimax_discriminator_loss(logits, logits, reduction="none")
    return torch.where(labels == 1, real_term, fake_term)


# %% [markdown]
# ## Exercise 1: the cross-entropy of each example
#
# The discriminator outputs a logit $\ell$ and $D = \sigma(\ell)$. For one example with label
# $y$ (1 for real, 0 for generated) its loss is the cross-entropy
#
# $$
# -\bigl[\,y \log \sigma(\ell) + (1 - y) \log\bigl(1 - \sigma(\ell)\bigr)\bigr].
# $$
#
# Return one value per example, not their mean. Compute it from the logit without taking
# $\sigma$ first: $-\log \sigma(\ell) = \log(1 + e^{-\ell})$ and
# $-\log(1 - \sigma(\ell)) = \log(1 + e^{\ell})$, which `torch.nn.functional.softplus` computes
# without overflow. The last case holds confident mistakes, $|\ell|$ up to 300 on the wrong side.


# %%
def cross_entropy(logits, labels):
    """The binary cross-entropy of each example, from its logit and its label (1 or 0)."""
    # BEGIN SOLUTION
    softplus = torch.nn.functional.softplus
    return labels * softplus(-logits) + (1 - labels) * softplus(logits)
    # END SOLUTION


# %%
check_function(cross_entropy, package_cross_entropy, cases)

# %% [markdown]
# ## Exercise 2: the gradient with respect to the logit
#
# With $\sigma'(\ell) = \sigma(\ell)\bigl(1 - \sigma(\ell)\bigr)$, the two terms have the slopes
#
# $$
# \frac{\partial}{\partial \ell}\bigl[-\log \sigma(\ell)\bigr] = \sigma(\ell) - 1,
# \qquad
# \frac{\partial}{\partial \ell}\bigl[-\log(1 - \sigma(\ell))\bigr] = \sigma(\ell),
# $$
#
# in one line $D(x) - y$, the prediction minus the label. Write it in closed form, without
# autograd; the check differentiates the package's loss with autograd.


# %%
def logit_gradient(logits, labels):
    """The derivative of each example's cross-entropy with respect to its logit."""
    # BEGIN SOLUTION
    return torch.sigmoid(logits) - labels
    # END SOLUTION


# %%
def package_gradient(logits, labels):
    """Autograd through the package's per-example terms."""
    logits = logits.detach().clone().requires_grad_(True)
    package_cross_entropy(logits, labels).sum().backward()
    return logits.grad


check_function(logit_gradient, package_gradient, cases)

# %% [markdown]
# ## Exercise 3: one-sided label smoothing
#
# Label smoothing is off by default. With an amount $s \in [0, 1)$ of one-sided smoothing, the
# package (following TF-GAN) maps the real label 1 to the target $t = 1 - s/2$, and the real term
# becomes the cross-entropy against that target:
#
# $$
# -t \log \sigma(\ell) - (1 - t) \log\bigl(1 - \sigma(\ell)\bigr).
# $$
#
# Fake labels are never smoothed. Write the real term of each example for logits on real data.
# The target is $1 - s/2$, not $1 - s$.


# %%
def smoothed_real_term(real_logits, smoothing):
    """The real term of each example with one-sided label smoothing of amount `smoothing`."""
    # BEGIN SOLUTION
    t = 1 - smoothing / 2
    softplus = torch.nn.functional.softplus
    return t * softplus(-real_logits) + (1 - t) * softplus(real_logits)
    # END SOLUTION


# %%
smoothing_cases = [(logits, s) for (logits, _), s in zip(cases, (0.0, 0.25, 0.5, 0.9), strict=True)]
check_function(
    smoothed_real_term,
    lambda logits, s: minimax_discriminator_loss(
        logits, logits, label_smoothing=s, reduction="none"
    )[0],
    smoothing_cases,
)

# %% [markdown]
# The package's terms at three logits: an undecided detective, $\ell = 0$, pays $\log 2$ on
# either kind of example, and a real example called fake with confidence, $\ell = -4$, costs
# about $|\ell|$ and gets a slope close to $-1$, where one called real, $\ell = 4$, gets almost
# none. With smoothing, the real term no longer falls to 0 as $\ell$ grows.

# %%
probe = torch.tensor([-4.0, 0.0, 4.0], requires_grad=True)
real_term, fake_term = minimax_discriminator_loss(probe, probe, reduction="none")
(slope,) = torch.autograd.grad(real_term.sum(), probe)
smoothed, _ = minimax_discriminator_loss(probe, probe, label_smoothing=0.2, reduction="none")
for k, logit in enumerate(probe.tolist()):
    print(
        f"logit {logit:+.0f}: real term {real_term[k]:.4f}, fake term {fake_term[k]:.4f}, "
        f"real slope {slope[k]:+.4f}, real term with s = 0.2: {smoothed[k]:.4f}"
    )
