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
# # Exercises: StyleGAN's generator
#
# Companion to the chapter *StyleGAN's generator*. You write the mapping network's forward pass,
# StyleGAN2's modulation and demodulation of a convolution's weights, the modulated convolution
# itself, and the truncation trick; each check compares your code with the parts of the
# package's `StyleGenerator`. On the site this notebook is shown solved; the exercise version
# (download it from the chapter's page) has `raise NotImplementedError` where your code goes.

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

from ganbook.exercises import check_function
from ganbook.models import MappingNetwork, ModulatedConv2d, StyleGenerator, modulated_weights

seeded = torch.Generator().manual_seed(0)


def randn(*shape):
    """Standard normal numbers of `shape`, from the notebook's seeded stream."""
    return torch.randn(*shape, generator=seeded)


G = StyleGenerator(latent_dim=32, w_dim=64, generator=seeded)
print(f"{G.n_layers} style inputs; coarse {G.coarse_layers}, fine {G.fine_layers}")

# %% [markdown]
# ## Exercise 1: the mapping network
#
# The mapping network first normalises the latent to unit root mean square, then applies its
# affine layers, with LeakyReLU between them:
#
# $$
# w = f(z) = A_L\,\mathrm{lrelu}\bigl(\cdots \mathrm{lrelu}(A_1 \bar z)\bigr), \qquad
# \bar z = \frac{z}{\sqrt{\tfrac{1}{d}\sum_i z_i^2 + \epsilon}}.
# $$
#
# Write $f$ for a batch of latents of shape $(N, d)$. The layers are `mapping.net` (a
# `torch.nn.Sequential`, LeakyReLUs included) and $\epsilon$ is `mapping.eps`. The pitfall: the
# mean runs over the $d$ coordinates of each latent, one number per row, not over the batch.


# %%
def map_to_w(mapping, z):
    """The intermediate latents w = f(z) of the mapping network `mapping`, shape (N, w_dim)."""
    # BEGIN SOLUTION
    z_bar = z / torch.sqrt(z.pow(2).mean(dim=1, keepdim=True) + mapping.eps)
    return mapping.net(z_bar)
    # END SOLUTION


# %%
mapping_cases = [
    (G.mapping, randn(8, 32)),
    (G.mapping, 5 * randn(3, 32)),  # a larger latent: the normalisation removes its scale
    (MappingNetwork(4, 16, layers=2, generator=seeded), randn(5, 4)),
]
# float32 networks: rounding differs between two correct orders of the same operations
check_function(map_to_w, lambda mapping, z: mapping(z), mapping_cases, rtol=1e-4, atol=1e-6)

# %% [markdown]
# ## Exercise 2: modulation and demodulation
#
# The shared weights $w_{ijk}$ of a convolution (output channel $j$, input channel $i$, kernel
# position $k$; shape $(C_{\text{out}}, C_{\text{in}}, K, K)$) are modulated per example by the
# style $s$ (shape $(N, C_{\text{in}})$), then demodulated:
#
# $$
# w'_{ijk} = s_i\,w_{ijk}, \qquad
# w''_{ijk} = \frac{w'_{ijk}}{\sqrt{\sum_{i,k} {w'_{ijk}}^2 + \epsilon}}, \qquad \epsilon = 10^{-8}.
# $$
#
# Return the per-example weights, shape $(N, C_{\text{out}}, C_{\text{in}}, K, K)$; with
# `demodulate=False`, $w'$ only (toRGB's case). The sum runs over the input channels and the
# kernel positions of one output channel, dimensions 2, 3 and 4 of that tensor, so that each
# output channel's weights become a unit vector; the style scales the *input* channels.


# %%
def modulate(weight, style, demodulate):
    """StyleGAN2's per-example weights from `weight` (O, I, K, K) and `style` (N, I)."""
    # BEGIN SOLUTION
    w = weight[None] * style[:, None, :, None, None]  # (N, O, I, K, K)
    if demodulate:
        w = w / torch.sqrt(w.pow(2).sum(dim=(2, 3, 4), keepdim=True) + 1e-8)
    return w
    # END SOLUTION


# %%
weight_cases = [
    (randn(3, 2, 3, 3), randn(4, 2), True),
    (randn(16, 8, 3, 3), 1 + randn(5, 8), True),
    (randn(1, 16, 1, 1), randn(3, 16), False),  # toRGB: modulation only
]
check_function(
    modulate,
    lambda weight, style, demodulate: modulated_weights(weight, style, demodulate=demodulate),
    weight_cases,
    rtol=1e-4,
    atol=1e-6,
    batch_of=lambda *_case: None,  # the first argument is weights, not a batch
)

# %% [markdown]
# ## Exercise 3: the modulated convolution
#
# A `ModulatedConv2d` maps $w$ to the style $s = A(w)$ with its affine map `layer.affine`, and
# convolves each example with its own weights $w''$, with "same" padding $K // 2$. Write its
# forward pass for a batch $x$ of shape $(N, C_{\text{in}}, H, W)$ and $w$ of shape
# $(N, \text{w\_dim})$; the shared weights are `layer.weight`, and `layer.demodulate` says
# whether to demodulate. Two routes give the same numbers: fold the batch into the channels and
# run one grouped convolution (`groups=N`); or scale the inputs by $s_i$, convolve with the
# shared weights and scale each output channel by $1/\sigma_j$, with
# $\sigma_j^2 = \sum_i s_i^2 \sum_k w_{ijk}^2 + \epsilon$. The package's layer takes the first.


# %%
def modulated_conv(layer, x, w):
    """The output of the modulated convolution `layer` on `x`, styled by `w`: (N, C_out, H, W)."""
    # BEGIN SOLUTION
    s = layer.affine(w)  # (N, C_in)
    padding = layer.weight.shape[-1] // 2
    y = F.conv2d(x * s[:, :, None, None], layer.weight, padding=padding)
    if layer.demodulate:
        sigma_sq = s.pow(2) @ layer.weight.pow(2).sum(dim=(2, 3)).T  # (N, C_out)
        y = y / torch.sqrt(sigma_sq + layer.eps)[:, :, None, None]
    return y
    # END SOLUTION


# %%
conv_cases = [
    (G.convs[0], randn(4, 32, 4, 4), randn(4, 64)),  # the first 3×3 layer, at 4×4
    (G.convs[-1], randn(2, 16, 16, 16), randn(2, 64)),  # the last, at 16×16
    (G.to_rgb, randn(3, 16, 16, 16), randn(3, 64)),  # toRGB: 1×1, not demodulated
]
with torch.no_grad():
    check_function(
        modulated_conv, lambda layer, x, w: layer(x, w), conv_cases, rtol=1e-4, atol=1e-5
    )

# %% [markdown]
# ## Exercise 4: the truncation trick
#
# Truncation moves every $w$ towards the mean $\bar w$ that the generator tracked in training,
# by a factor $\psi$:
#
# $$
# w' = \bar w + \psi\,(w - \bar w).
# $$
#
# Write it for $w$ of shape $(N, \text{w\_dim})$ or per layer, $(N, L, \text{w\_dim})$; the mean
# is the buffer `G.w_avg`, of shape $(\text{w\_dim},)$, which broadcasts over both.


# %%
def truncate(G, w, psi):
    """The truncated styles w' = w̄ + ψ (w − w̄), the shape of `w`."""
    # BEGIN SOLUTION
    return G.w_avg + psi * (w - G.w_avg)
    # END SOLUTION


# %%
with torch.no_grad():  # a w̄ as training would leave it: the mean w of many latents
    G.w_avg.copy_(G.mapping(randn(2048, G.latent_dim)).mean(dim=0))
    w = G.mapping(randn(6, G.latent_dim))
truncation_cases = [(G, w, 0.7), (G, w, 0.0), (G, G.broadcast(w), 0.5), (G, w[:1], 1.5)]
check_function(truncate, lambda G, w, psi: G.truncate(w, psi), truncation_cases)

# %% [markdown]
# Demodulation normalises a layer's gain, whatever the style. With the package's layers, the
# variance of a $3 \times 3$ convolution's output for unit-variance inputs, away from the
# zero-padded border, as the styles grow (here by scaling $w$, which scales $s = A(w)$ around
# its bias of 1), with and without demodulation:

# %%
x, w = randn(64, 16, 20, 20), randn(64, 8)
for demodulate in (True, False):
    layer = ModulatedConv2d(16, 16, 3, w_dim=8, demodulate=demodulate, generator=seeded)
    with torch.no_grad():
        variances = [layer(x, scale * w)[..., 1:-1, 1:-1].var().item() for scale in (0, 1, 4)]
    print(f"demodulate={demodulate!s:>5}: " + ", ".join(f"{v:.2f}" for v in variances))
