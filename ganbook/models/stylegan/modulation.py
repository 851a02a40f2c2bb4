r"""StyleGAN2's modulated and demodulated convolution, and StyleGAN's per-pixel noise."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ganbook._checks import (
    require_bool,
    require_generator,
    require_positive,
    require_positive_int,
    require_tensor,
)
from ganbook.models.stylegan._common import _draw_normal, _require_rows


def modulated_weights(
    weight: torch.Tensor, style: torch.Tensor, *, demodulate: bool = True, eps: float = 1e-8
) -> torch.Tensor:
    r"""StyleGAN2's per-example weights: modulated by the style, then optionally demodulated.

    $$
    w'_{ijk} = s_i \, w_{ijk}, \qquad
    w''_{ijk} = \frac{w'_{ijk}}{\sqrt{\sum_{i,k} {w'_{ijk}}^2 + \epsilon}}
    $$

    for input channel $i$, output channel $j$ and kernel position $k$. After demodulation each
    output channel's weights have unit norm, so for inputs of unit variance (independent across
    channels and positions) the output has unit variance: $\mathrm{Var}(y_j) = \sum_{i,k}
    {w''_{ijk}}^2 \,\mathrm{Var}(x) \approx 1$, away from the zero-padded borders.

    Parameters
    ----------
    weight : torch.Tensor
        Shared weights $w$, shape (C_out, C_in, K, K).
    style : torch.Tensor
        Styles $s$, shape (N, C_in).
    demodulate : bool
        Divide by the norm (StyleGAN2's replacement of AdaIN's normalisation).
    eps : float
        $\epsilon > 0$, against division by zero.

    Returns
    -------
    torch.Tensor
        Shape (N, C_out, C_in, K, K): one set of weights per example.

    Examples
    --------
    >>> import torch
    >>> w = modulated_weights(torch.randn(3, 2, 3, 3), torch.randn(4, 2))
    >>> w.shape, torch.allclose(w.pow(2).sum(dim=(2, 3, 4)), torch.ones(4, 3))
    (torch.Size([4, 3, 2, 3, 3]), True)
    """
    # --8<-- [start:modulated_weights]
    w = weight.unsqueeze(0) * style[:, None, :, None, None]  # w'_ijk = s_i w_ijk, (N, O, I, K, K)
    if demodulate:
        sigma_inv = torch.rsqrt(w.pow(2).sum(dim=(2, 3, 4), keepdim=True) + eps)  # 1/σ_j
        w = w * sigma_inv  # w''_ijk = w'_ijk / sqrt(Σ_{i,k} w'_ijk² + ε)
    return w
    # --8<-- [end:modulated_weights]


class ModulatedConv2d(nn.Module):
    r"""A convolution whose weights are scaled per example by a style from $w$ (StyleGAN2).

    $$
    s = A(w), \qquad y = w'' * x
    $$

    with $A$ a learned affine map (bias initialised to 1, so that $s \approx 1$ at the start, as
    in the paper) and $w''$ from `modulated_weights`. The per-example convolutions run as one
    grouped convolution: the batch is folded into the channels, (1, N·C_in, H, W), and the N
    weight sets into N groups.

    Parameters
    ----------
    in_channels, out_channels : int
        $C_{\text{in}}$, $C_{\text{out}}$, at least 1.
    kernel_size : int
        Odd side $K$ of the kernel; "same" padding $K // 2$.
    w_dim : int
        Size of $w$.
    demodulate : bool
        Normalise each output channel's weights (off for toRGB, as in the paper).
    grouped : bool
        Compute it as one grouped convolution (the paper's "fused" form); False computes the
        same numbers by scaling the inputs by $s_i$, convolving with the shared $w$ and scaling
        the outputs by $1/\sigma_j$, which trains faster on a CPU.
    generator : torch.Generator or None
        CPU generator for the initial weights: $w_{ijk} \sim \mathcal{N}(0, 1/(C_{\text{in}}K^2))$,
        the affine map's weights from $\mathcal{N}(0, 1/\text{w\_dim})$ and its bias 1.

    Notes
    -----
    The paper scales weights at run time (equalised learning rate) and draws them from
    $\mathcal{N}(0, 1)$; here they are initialised at He's scale and trained as they are.

    References
    ----------
    Karras et al., "Analyzing and Improving the Image Quality of StyleGAN", CVPR 2020,
    arXiv:1912.04958, section 2.2 and equations 1 to 3.

    Examples
    --------
    >>> import torch
    >>> conv = ModulatedConv2d(4, 6, 3, w_dim=8, generator=torch.Generator().manual_seed(0))
    >>> conv(torch.randn(2, 4, 5, 5), torch.randn(2, 8)).shape
    torch.Size([2, 6, 5, 5])
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        *,
        w_dim: int = 64,
        demodulate: bool = True,
        grouped: bool = True,
        eps: float = 1e-8,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        self.grouped = require_bool("grouped", grouped)
        self.in_channels = require_positive_int("in_channels", in_channels)
        self.out_channels = require_positive_int("out_channels", out_channels)
        self.kernel_size = require_positive_int("kernel_size", kernel_size)
        if kernel_size % 2 == 0:
            raise ValueError(f"kernel_size must be odd, got {kernel_size}")
        self.w_dim = require_positive_int("w_dim", w_dim)
        self.demodulate = require_bool("demodulate", demodulate)
        self.eps = require_positive("eps", eps)
        require_generator("generator", generator)
        self.affine = nn.Linear(self.w_dim, self.in_channels)  # A: w -> s
        shape = (self.out_channels, self.in_channels, kernel_size, kernel_size)
        self.weight = nn.Parameter(torch.empty(shape))
        with torch.no_grad():
            draw = _draw_normal(self.affine.weight.shape, generator, self.affine.weight)
            self.affine.weight.copy_(draw / math.sqrt(self.w_dim))  # N(0, 1/w_dim)
            self.affine.bias.fill_(1.0)  # s = 1 + A w: 1 on average (the paper's bias init)
            fan_in = in_channels * kernel_size**2
            self.weight.copy_(_draw_normal(shape, generator, self.weight) / math.sqrt(fan_in))

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        r"""Convolve ``x`` (N, C_in, H, W) with weights modulated by ``w`` (N, w_dim)."""
        x = require_tensor("x", x)
        if x.ndim != 4 or x.shape[1] != self.in_channels:
            raise ValueError(
                f"x must have shape (N, {self.in_channels}, H, W), got {tuple(x.shape)}"
            )
        w = _require_rows("w", w, self.w_dim)
        if w.shape[0] != x.shape[0]:
            raise ValueError(f"x and w must have as many rows, got {x.shape[0]} and {w.shape[0]}")
        n, _, height, width = x.shape
        s = self.affine(w)  # style s = A(w), (N, C_in)
        if not self.grouped:
            return self._scaled(x, s)
        # --8<-- [start:modulated_conv]
        weights = modulated_weights(self.weight, s, demodulate=self.demodulate, eps=self.eps)
        x = x.reshape(1, n * self.in_channels, height, width)  # fold the batch into channels
        weights = weights.reshape(n * self.out_channels, self.in_channels, *self.weight.shape[2:])
        y = F.conv2d(x, weights, padding=self.kernel_size // 2, groups=n)  # N groups at once
        return y.reshape(n, self.out_channels, height, width)  # (N, C_out, H, W)
        # --8<-- [end:modulated_conv]

    def _scaled(self, x: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
        r"""The same convolution by scaling: inputs by $s_i$, outputs by $1/\sigma_j$."""
        # --8<-- [start:scaled_conv]
        y = F.conv2d(x * s[:, :, None, None], self.weight, padding=self.kernel_size // 2)
        if self.demodulate:  # σ_j² = Σ_{i,k} (s_i w_ijk)² = Σ_i s_i² Σ_k w_ijk²
            sigma_sq = s.pow(2) @ self.weight.pow(2).sum(dim=(2, 3)).T  # (N, C_out)
            y = y * torch.rsqrt(sigma_sq + self.eps)[:, :, None, None]
        return y
        # --8<-- [end:scaled_conv]


class NoiseInjection(nn.Module):
    r"""StyleGAN's per-pixel noise: one $\mathcal{N}(0, 1)$ image, scaled per channel, added.

    $$
    y_{c,h,v} = x_{c,h,v} + b_c \, \xi_{h,v}, \qquad \xi_{h,v} \sim \mathcal{N}(0, 1)
    $$

    with one noise image $\xi$ per example, shared by the channels, and a learned scale $b_c$
    per channel, initialised to 0 (as in the paper).

    Parameters
    ----------
    channels : int
        Number of channels $C$, at least 1.

    Examples
    --------
    >>> import torch
    >>> noise = NoiseInjection(3)
    >>> x = torch.ones(2, 3, 4, 4)
    >>> torch.equal(noise(x, generator=torch.Generator().manual_seed(0)), x)  # b = 0 at first
    True
    """

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.channels = require_positive_int("channels", channels)
        self.scale = nn.Parameter(torch.zeros(channels))

    def forward(
        self, x: torch.Tensor, *, generator: torch.Generator | None = None, enabled: bool = True
    ) -> torch.Tensor:
        r"""Add $b_c \xi$ to ``x`` (N, C, H, W); ``enabled=False`` returns ``x`` unchanged.

        The noise is drawn from ``generator`` (on the CPU unless it lives on ``x``'s device),
        or from the global RNG on ``x``'s device when it is None.
        """
        if not enabled:
            return x
        n, _, height, width = x.shape
        shape = (n, 1, height, width)
        if generator is None:
            xi = torch.randn(shape, device=x.device, dtype=x.dtype)
        else:
            xi = torch.randn(shape, generator=generator, device=generator.device, dtype=x.dtype)
            xi = xi.to(x.device)
        return x + self.scale.view(1, -1, 1, 1) * xi  # y = x + b_c ξ
