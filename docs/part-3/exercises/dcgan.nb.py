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
# # Exercises: DCGAN on real digits
#
# Companion to the chapter *DCGAN on real digits*. You write the output sides of a transposed
# convolution and of a convolution, checked against the layers of the package's DCGAN networks;
# the logarithm of the discriminator's probability from its logit, stable at any logit; and the
# nearest-neighbour distance that tests whether a generator copies its training digits. On the
# site this notebook is shown solved; the exercise version (download it from the chapter's page)
# has `raise NotImplementedError` where your code goes.

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

from ganbook.data import load_digits_dataset
from ganbook.exercises import check_function
from ganbook.losses import minimax_generator_loss, nonsaturating_generator_loss
from ganbook.measures import nearest_neighbour_distances
from ganbook.models import DCGANDiscriminator, DCGANGenerator

seeded = torch.Generator().manual_seed(0)
G = DCGANGenerator(latent_dim=100, channels=16, generator=seeded).eval()  # the chapter's sizes
D = DCGANDiscriminator(channels=16, batch_norm=True, generator=seeded).eval()


def side_through(network, kind, side, kernel, stride, padding):
    """The output side of the layer of `network` of this kind and geometry, on a square map."""
    for layer in network.net:
        if isinstance(layer, kind) and layer.kernel_size[0] == kernel:
            if (layer.stride[0], layer.padding[0]) == (stride, padding):
                with torch.no_grad():
                    return layer(torch.zeros(1, layer.in_channels, side, side)).shape[-1]
    raise ValueError(f"no {kind.__name__} with k={kernel}, s={stride}, p={padding} in the network")


# The shapes a batch of two takes through the generator, read from a forward pass.
x = torch.zeros(2, G.latent_dim, 1, 1)
with torch.no_grad():
    for layer in G.net:
        y = layer(x)
        print(f"{type(layer).__name__:>15}: {tuple(x.shape)} -> {tuple(y.shape)}")
        x = y

# %% [markdown]
# ## Exercise 1: the side a transposed convolution produces
#
# A transposed convolution with kernel $k$, stride $s$ and padding $p$ spreads each of the
# $n \times n$ input pixels into a $k \times k$ patch, placed $s$ pixels apart, and trims $p$
# from each border. Its output side is
#
# $$
# n_{\text{out}} = (n - 1)s - 2p + k.
# $$
#
# Write it. The check passes maps of several sides through the generator's own transposed
# convolutions ($k = 4, s = 1, p = 0$ for the first, $k = 4, s = 2, p = 1$ for the other two).


# %%
def transposed_output_side(side, kernel, stride, padding):
    """The side of the output of a transposed convolution, for an input of side `side`."""
    # BEGIN SOLUTION
    return (side - 1) * stride - 2 * padding + kernel
    # END SOLUTION


# %%
transposed_cases = [(1, 4, 1, 0), (4, 4, 2, 1), (8, 4, 2, 1)]  # the generator's three layers
transposed_cases += [(2, 4, 1, 0), (5, 4, 2, 1), (13, 4, 2, 1)]  # the same layers, other sides
check_function(
    transposed_output_side,
    lambda n, k, s, p: side_through(G, torch.nn.ConvTranspose2d, n, k, s, p),
    transposed_cases,
)

# %% [markdown]
# ## Exercise 2: the side a convolution produces
#
# A convolution with kernel $k$, stride $s$ and padding $p$ fits
# $\lfloor (n + 2p - k)/s \rfloor + 1$ windows along a side of $n$ pixels:
#
# $$
# n_{\text{out}} = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1.
# $$
#
# The check uses the discriminator's convolutions ($k = 4, s = 2, p = 1$) on even sides, which
# they halve, and on odd ones, where the floor matters: a window that would run past the padded
# border is not computed. Use integer division, `//`, not `/`.


# %%
def conv_output_side(side, kernel, stride, padding):
    """The side of the output of a convolution, for an input of side `side`."""
    # BEGIN SOLUTION
    return (side + 2 * padding - kernel) // stride + 1
    # END SOLUTION


# %%
conv_cases = [(16, 4, 2, 1), (8, 4, 2, 1), (4, 4, 2, 1)]  # the discriminator's three layers
conv_cases += [(15, 4, 2, 1), (7, 4, 2, 1), (5, 4, 2, 1)]  # odd sides, where the floor matters
check_function(
    conv_output_side,
    lambda n, k, s, p: side_through(D, torch.nn.Conv2d, n, k, s, p),
    conv_cases,
)

# %% [markdown]
# ## Exercise 3: the log of D(x) from the logit
#
# The discriminator returns the logit $\ell(x)$, and $D(x) = \sigma(\ell(x))$. The losses need
# $\log D(x) = \log \sigma(\ell)$ and $\log(1 - D(x)) = \log \sigma(-\ell)$. Write
# $\log \sigma(\ell)$ for every element of a tensor of logits, without computing $\sigma$ and
# then a logarithm: in float32, $\sigma(\ell)$ rounds to 0 for $\ell$ below about $-104$ and its
# logarithm is $-\infty$. Use $\log \sigma(\ell) = -\operatorname{softplus}(-\ell)$, or
# `torch.nn.functional.logsigmoid`. The second check applies your function to $-\ell$ and
# compares it with $\log(1 - D(x))$.


# %%
def log_d(logits):
    """The logarithm log σ(ℓ), element by element, for logits of any size and shape."""
    # BEGIN SOLUTION
    return -torch.nn.functional.softplus(-logits)
    # END SOLUTION


# %%
logit_cases = [
    (torch.randn(8, generator=seeded) * 3,),
    (torch.randn(5, 1, generator=seeded) * 10,),
    (torch.tensor([-300.0, -104.0, -20.0, 0.0, 20.0, 104.0, 300.0]),),
]
check_function(
    log_d, lambda logits: -nonsaturating_generator_loss(logits, reduction="none"), logit_cases
)
check_function(
    lambda logits: log_d(-logits),
    lambda logits: minimax_generator_loss(logits, reduction="none"),
    logit_cases,
    what="log_d(-logits), that is log(1 - D(x)),",
)

# %% [markdown]
# ## Exercise 4: the distance to the nearest training digit
#
# To ask whether a generator copies, the chapter finds for every image $q_i$ the nearest of the
# training images $x_j$, by the Euclidean distance over all pixels:
#
# $$
# d_i = \min_j \lVert q_i - x_j \rVert_2 .
# $$
#
# Write it for queries of shape $(n, 1, 16, 16)$ and references of shape $(m, 1, 16, 16)$ (or any
# shapes with the same number of values per row), returning the $n$ distances. Flatten each row
# first. A copy must come out at distance exactly 0: compute the differences themselves, in
# float64, rather than $\lVert q \rVert^2 + \lVert x \rVert^2 - 2 q^\top x$, whose rounding leaves
# about $10^{-3}$ where the answer is 0 (and can even go negative under the square root).


# %%
def nearest_distances(queries, references):
    """The distance from each query to its nearest reference, rows flattened: shape (n,)."""
    # BEGIN SOLUTION
    q = np.asarray(queries, dtype=np.float64).reshape(len(queries), -1)
    x = np.asarray(references, dtype=np.float64).reshape(len(references), -1)
    return np.sqrt(((q[:, None, :] - x[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    # END SOLUTION


# %%
train = load_digits_dataset(size=16).numpy()  # (1200, 1, 16, 16) in [-1, 1]
heldout = load_digits_dataset(size=16, split="heldout").numpy()  # (597, 1, 16, 16)
rng = np.random.default_rng(0)
image_cases = [
    (heldout[:40], train[:300]),  # new digits against training digits
    (train[100:110], train[:300]),  # copies: every distance is 0
    (rng.normal(size=(6, 3, 4)), rng.normal(size=(9, 3, 4))),  # other shapes
]
check_function(nearest_distances, nearest_neighbour_distances, image_cases)

# %% [markdown]
# The chapter reads the distances of generated digits against those of held-out ones, real
# digits that no network has seen. Here, with the package's function, are both for the
# held-out digits and for the samples of the generator above, untrained: a copy would be at
# distance 0.

# %%
with torch.no_grad():
    untrained = G(torch.randn(600, G.latent_dim, generator=seeded)).numpy()
for name, images in (("held-out digits", heldout), ("untrained generator", untrained)):
    d = nearest_neighbour_distances(images, train)
    print(f"{name:>19}: smallest {d.min():.2f}, 1st percentile {np.quantile(d, 0.01):.2f}, "
          f"median {np.median(d):.2f}")  # fmt: skip
