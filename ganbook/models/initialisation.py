r"""Weight initialisations drawn on the CPU from a caller's ``torch.Generator``.

Two schemes: DCGAN's (Radford et al. 2016) and PyTorch's default for linear and convolution layers.
Layers are recognised with ``isinstance``, never by class name. Every number is drawn on the CPU in
the parameter's dtype and then copied into the parameter, so one seed gives the same weights on
every device. This module initialises; it does not define models.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ganbook._checks import require_cpu_generator

__all__ = ["dcgan_init_", "default_init_"]

_WEIGHTED = (
    nn.Linear,
    nn.Conv1d,
    nn.Conv2d,
    nn.Conv3d,
    nn.ConvTranspose1d,
    nn.ConvTranspose2d,
    nn.ConvTranspose3d,
)
_BATCH_NORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)


def _check(module, generator) -> None:
    r"""Check that ``module`` is a module and ``generator`` is None or a CPU generator."""
    if not isinstance(module, nn.Module):
        raise TypeError(f"module must be a torch.nn.Module, got {type(module).__name__}")
    if generator is not None:
        require_cpu_generator("generator", generator)


@torch.no_grad()
def _fill_normal_(tensor: torch.Tensor, mean: float, std: float, generator) -> None:
    r"""Overwrite ``tensor`` with N(mean, std²) numbers drawn on the CPU."""
    draw = torch.empty(tensor.shape, dtype=tensor.dtype).normal_(mean, std, generator=generator)
    tensor.copy_(draw)


@torch.no_grad()
def _fill_uniform_(tensor: torch.Tensor, low: float, high: float, generator) -> None:
    r"""Overwrite ``tensor`` with U[low, high) numbers drawn on the CPU."""
    draw = torch.empty(tensor.shape, dtype=tensor.dtype).uniform_(low, high, generator=generator)
    tensor.copy_(draw)


def dcgan_init_(module: nn.Module, *, generator: torch.Generator | None = None) -> nn.Module:
    r"""Initialise ``module`` in place as DCGAN does and return it.

    $$
    W \sim \mathcal{N}(0, 0.02^2), \quad b = 0; \qquad
    \gamma_{\mathrm{BN}} \sim \mathcal{N}(1, 0.02^2), \quad \beta_{\mathrm{BN}} = 0
    $$

    Weights of every linear, convolution and transposed-convolution layer are drawn from
    N(0, 0.02²) and their biases set to 0; every batch-norm scale is drawn from N(1, 0.02²) and its
    shift set to 0. Other parameters are left as they are. Submodules are visited in
    ``module.modules()`` order, weight before bias.

    Parameters
    ----------
    module : torch.nn.Module
        The network, on any device; its linear, convolution and batch-norm layers are set.
    generator : torch.Generator or None
        A CPU generator for the normal draws, so that the weights are reproducible; None uses
        the global CPU RNG.

    Returns
    -------
    torch.nn.Module
        ``module`` itself.

    Notes
    -----
    The paper says only that "all weights were initialized from a zero-centered Normal distribution
    with standard deviation 0.02"; zero biases and N(1, 0.02²) batch-norm scales follow the
    reference PyTorch DCGAN example.

    References
    ----------
    Radford, Metz and Chintala, "Unsupervised Representation Learning with Deep Convolutional
    Generative Adversarial Networks", ICLR 2016, section 4 (details of adversarial training).

    Examples
    --------
    >>> import torch
    >>> layer = dcgan_init_(torch.nn.Linear(4, 3), generator=torch.Generator().manual_seed(0))
    >>> layer.weight.shape, layer.bias.tolist()
    (torch.Size([3, 4]), [0.0, 0.0, 0.0])
    """
    _check(module, generator)
    for layer in module.modules():
        if isinstance(layer, _WEIGHTED):
            _fill_normal_(layer.weight, 0.0, 0.02, generator)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
        elif isinstance(layer, _BATCH_NORMS) and layer.affine:
            _fill_normal_(layer.weight, 1.0, 0.02, generator)
            nn.init.zeros_(layer.bias)
    return module


def default_init_(module: nn.Module, *, generator: torch.Generator | None = None) -> nn.Module:
    r"""Re-draw ``module``'s linear and convolution layers from PyTorch's default distribution.

    $$
    W_{ij},\ b_i \sim \mathcal{U}\left[-\tfrac{1}{\sqrt{\mathrm{fan\_in}}},
    \tfrac{1}{\sqrt{\mathrm{fan\_in}}}\right]
    $$

    This is the distribution of ``torch.nn.Linear.reset_parameters`` (Kaiming-uniform with
    $a = \sqrt{5}$), with $\mathrm{fan\_in}$ the number of inputs of one output unit, drawn here
    from ``generator`` so that construction is reproducible without global RNG state.

    Parameters
    ----------
    module : torch.nn.Module
        The network, on any device; only its linear and convolution layers are redrawn.
    generator : torch.Generator or None
        A CPU generator for the uniform draws; None uses the global CPU RNG.

    Returns
    -------
    torch.nn.Module
        ``module`` itself, with its weights and biases redrawn.

    References
    ----------
    He et al., "Delving Deep into Rectifiers", ICCV 2015 (the Kaiming-uniform family).

    Examples
    --------
    >>> import torch
    >>> layer = default_init_(torch.nn.Linear(4, 3), generator=torch.Generator().manual_seed(0))
    >>> bool(layer.weight.abs().max() <= 0.5)
    True
    """
    _check(module, generator)
    for layer in module.modules():
        if isinstance(layer, _WEIGHTED):
            bound = 1.0 / math.sqrt(layer.weight[0].numel())  # fan_in = size(1) * kernel size
            _fill_uniform_(layer.weight, -bound, bound, generator)
            if layer.bias is not None:
                _fill_uniform_(layer.bias, -bound, bound, generator)
    return module
