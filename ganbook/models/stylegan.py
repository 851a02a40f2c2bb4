r"""A small StyleGAN2-style generator for 16×16 single-channel images (the upsampled digits).

The pieces are StyleGAN's (Karras et al. 2019) with StyleGAN2's weight demodulation (Karras et
al. 2020) in place of AdaIN: a mapping network $z \mapsto w$, a learned constant 4×4 input,
modulated 3×3 convolutions at 4×4, 8×8 and 16×16 with per-layer noise, and a modulated toRGB
(1 channel) at the end. This module defines the networks; it does not sample latents or train.
It is not StyleGAN at scale: no progressive growing, no skip or residual architecture, no
equalised learning rate, no path-length regulariser.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ganbook._checks import (
    require_bool,
    require_finite_number,
    require_generator,
    require_in_half_open,
    require_positive,
    require_positive_int,
    require_tensor,
)

__all__ = [
    "MappingNetwork",
    "ModulatedConv2d",
    "NoiseInjection",
    "StyleGenerator",
    "modulated_weights",
]


def _require_rows(name: str, x, width: int) -> torch.Tensor:
    r"""``x`` if it is a float tensor of shape (N, width) with N ≥ 1, else a one-line error."""
    x = require_tensor(name, x)
    if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] != width:
        raise ValueError(f"{name} must have shape (N, {width}) with N >= 1, got {tuple(x.shape)}")
    return x


def _draw_normal(shape, generator: torch.Generator | None, like: torch.Tensor) -> torch.Tensor:
    r"""N(0, 1) numbers of ``shape``, drawn on the CPU from ``generator``, on ``like``'s device."""
    draw = torch.randn(shape, generator=generator, dtype=like.dtype)
    return draw.to(like.device)


class MappingNetwork(nn.Module):
    r"""StyleGAN's mapping network: a latent $z$ to an intermediate latent $w$.

    $$
    w = f(z) = A_L\,\mathrm{lrelu}\bigl(\cdots \mathrm{lrelu}(A_1 \bar z)\bigr), \qquad
    \bar z = \frac{z}{\sqrt{\tfrac{1}{d}\sum_{i=1}^{d} z_i^2 + \epsilon}}
    $$

    with $A_\ell$ affine layers, $\mathrm{lrelu}(u) = \max(u, 0.2u)$ between them (not after the
    last), and $\bar z$ the paper's normalisation of $z$ to unit root mean square.

    Parameters
    ----------
    latent_dim : int
        Size $d$ of $z$, at least 1.
    w_dim : int
        Size of $w$ and of every hidden layer, at least 1.
    layers : int
        Number of affine layers $L \ge 1$ (the paper uses 8; a few suffice here).
    generator : torch.Generator or None
        CPU generator for the initial weights, $\mathcal{N}(0, 2/\text{fan\_in})$ with zero
        biases: He's scale, which the paper's equalised learning rate also gives at the start,
        so that $w$ neither shrinks nor grows through the layers.

    References
    ----------
    Karras, Laine and Aila, "A Style-Based Generator Architecture for Generative Adversarial
    Networks", CVPR 2019, arXiv:1812.04948, section 2 and appendix C.

    Examples
    --------
    >>> import torch
    >>> f = MappingNetwork(8, 16, layers=2, generator=torch.Generator().manual_seed(0))
    >>> f(torch.randn(5, 8)).shape
    torch.Size([5, 16])
    """

    def __init__(
        self,
        latent_dim: int = 32,
        w_dim: int = 64,
        layers: int = 3,
        *,
        eps: float = 1e-8,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        self.latent_dim = require_positive_int("latent_dim", latent_dim)
        self.w_dim = require_positive_int("w_dim", w_dim)
        require_positive_int("layers", layers)
        self.eps = require_positive("eps", eps)
        blocks: list[nn.Module] = []
        for k in range(layers):
            blocks.append(nn.Linear(self.latent_dim if k == 0 else self.w_dim, self.w_dim))
            if k < layers - 1:
                blocks.append(nn.LeakyReLU(0.2))
        self.net = nn.Sequential(*blocks)
        require_generator("generator", generator)
        with torch.no_grad():
            for layer in self.net:
                if isinstance(layer, nn.Linear):  # He's N(0, 2/fan_in): w keeps its scale
                    fan_in = layer.weight.shape[1]
                    draw = _draw_normal(layer.weight.shape, generator, layer.weight)
                    layer.weight.copy_(draw * math.sqrt(2.0 / fan_in))
                    layer.bias.zero_()

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        r"""Map latents (N, latent_dim) to intermediate latents (N, w_dim)."""
        z = _require_rows("z", z, self.latent_dim)
        # --8<-- [start:mapping]
        z_bar = z * torch.rsqrt(z.pow(2).mean(dim=1, keepdim=True) + self.eps)  # unit RMS
        return self.net(z_bar)  # w = f(z̄), (N, latent_dim) -> (N, w_dim)
        # --8<-- [end:mapping]


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


class StyleGenerator(nn.Module):
    r"""A small StyleGAN2-style generator: latent $z$ (or per-layer $w$) to a 16×16 image.

    $$
    w = f(z), \quad h_0 = c_{4\times 4}, \quad
    h_\ell = \mathrm{lrelu}\bigl(\mathrm{conv}_{w''_\ell}(\uparrow h_{\ell-1}) + b_\ell\,\xi_\ell
    + \beta_\ell\bigr), \quad G = \tanh\bigl(\mathrm{conv}_{w'}(h_L) + \beta\bigr)
    $$

    Layers, each a 3×3 modulated, demodulated convolution with noise, bias and LeakyReLU(0.2):
    ``convs_per_resolution`` of them at 4×4 on the learned constant, as many at 8×8 and at
    16×16 (the first of each doubling after a bilinear upsampling ↑), then a 1×1 modulated
    toRGB to 1 channel without demodulation. That is ``n_layers`` $= 3r + 1$ style inputs for
    $r$ convolutions per resolution, in this order; those of the 4×4 and 8×8 layers are the
    *coarse* ones (``coarse_layers``), those of the 16×16 layers and toRGB the *fine* ones
    (``fine_layers``).

    Parameters
    ----------
    latent_dim : int
        Size of $z$.
    w_dim : int
        Size of $w$.
    channels : int or tuple of three ints
        Widths of the feature maps at 4×4, 8×8 and 16×16 (one int: the same at all three). The
        paper's widths shrink with resolution too; the 16×16 layers cost the most.
    mapping_layers : int
        Affine layers of the mapping network.
    convs_per_resolution : int
        Modulated convolutions at each of 4×4, 8×8, 16×16: 2 as in the paper; 1 halves the
        cost.
    grouped : bool
        Run every modulated convolution as one grouped convolution (True) or by the equal
        scaling route (False, faster to train on a CPU); see `ModulatedConv2d`.
    noise_generator : torch.Generator or None
        The default stream of the per-layer noise when the forward is given none: with a
        seeded CPU generator, training draws its noise from it, not from torch's global RNG,
        so that a run is reproducible from its seeds alone.
    w_avg_beta : float
        EMA rate of the tracked $\bar w$: $\bar w \leftarrow \beta \bar w + (1 - \beta)\,
        \overline{w}_{\text{batch}}$, updated in training mode when the forward maps $z$ (the
        paper's 0.995).
    generator : torch.Generator or None
        CPU generator for every initial weight and the constant input.

    Attributes
    ----------
    latent_dim, w_dim, n_layers : int
        Sizes of $z$ and $w$, and the number of style inputs the forward takes per example.
    coarse_layers, fine_layers : tuple of int
        Indices of the style inputs of the 4×4 and 8×8 layers, and of the 16×16 layers and
        toRGB.
    w_avg : torch.Tensor
        Buffer of shape (w_dim,), the running mean $\bar w$ used by :meth:`truncate`.

    Notes
    -----
    Departures from StyleGAN2: no equalised learning rate, bilinear upsampling before a plain
    3×3 convolution instead of a transposed one with a blur, one toRGB at the end instead of
    skip connections, no mixing regularisation during training.

    References
    ----------
    Karras, Laine and Aila (2019), arXiv:1812.04948. Karras et al. (2020), arXiv:1912.04958.

    Examples
    --------
    >>> import torch
    >>> G = StyleGenerator(generator=torch.Generator().manual_seed(0))
    >>> G(torch.randn(4, G.latent_dim)).shape
    torch.Size([4, 1, 16, 16])
    >>> w = G.mapping(torch.randn(4, G.latent_dim))
    >>> G(w[:, None].expand(-1, G.n_layers, -1), noise=False).shape  # styles given per layer
    torch.Size([4, 1, 16, 16])
    """

    def __init__(
        self,
        latent_dim: int = 32,
        w_dim: int = 64,
        channels: int | tuple[int, int, int] = (32, 32, 16),
        mapping_layers: int = 3,
        *,
        convs_per_resolution: int = 2,
        grouped: bool = True,
        w_avg_beta: float = 0.995,
        noise_generator: torch.Generator | None = None,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        self.latent_dim = require_positive_int("latent_dim", latent_dim)
        self.w_dim = require_positive_int("w_dim", w_dim)
        widths = (channels,) * 3 if isinstance(channels, int) else tuple(channels)
        if len(widths) != 3:
            raise ValueError(f"channels must be an int or three ints, got {channels!r}")
        widths = tuple(require_positive_int("channels", c) for c in widths)
        per = require_positive_int("convs_per_resolution", convs_per_resolution)
        self.noise_generator = require_generator("noise_generator", noise_generator)
        self.w_avg_beta = require_in_half_open("w_avg_beta", w_avg_beta, 0.0, 1.0)
        require_generator("generator", generator)
        self.mapping = MappingNetwork(latent_dim, w_dim, mapping_layers, generator=generator)
        self.resolutions = tuple(r for r in (4, 8, 16) for _ in range(per))  # of each conv
        width = dict(zip((4, 8, 16), widths, strict=True))
        sizes = [width[4]] + [width[r] for r in self.resolutions]  # in and out of each conv
        self.const = nn.Parameter(_draw_normal((1, width[4], 4, 4), generator, torch.empty(0)))
        self.convs = nn.ModuleList(
            ModulatedConv2d(
                sizes[k], sizes[k + 1], 3, w_dim=w_dim, grouped=grouped, generator=generator
            )
            for k in range(len(self.resolutions))
        )
        self.noises = nn.ModuleList(NoiseInjection(sizes[k + 1]) for k in range(len(sizes) - 1))
        self.biases = nn.ParameterList(nn.Parameter(torch.zeros(c)) for c in sizes[1:])
        self.to_rgb = ModulatedConv2d(
            widths[2], 1, 1, w_dim=w_dim, demodulate=False, grouped=grouped, generator=generator
        )
        self.rgb_bias = nn.Parameter(torch.zeros(1))
        self.n_layers = len(self.resolutions) + 1  # one style input per conv, and toRGB's
        self.coarse_layers = tuple(k for k, r in enumerate(self.resolutions) if r <= 8)
        self.fine_layers = tuple(range(len(self.coarse_layers), self.n_layers))
        self.register_buffer("w_avg", torch.zeros(w_dim))

    def _styles(self, inputs: torch.Tensor) -> torch.Tensor:
        r"""Per-layer styles (N, n_layers, w_dim) from z (N, latent_dim) or from given w."""
        inputs = require_tensor("inputs", inputs)
        if inputs.ndim == 2:
            w = self.mapping(inputs)  # (N, latent_dim) -> (N, w_dim); checks the shape
            if self.training:
                self._track_w_avg(w)
            return w[:, None, :].expand(-1, self.n_layers, -1)
        if inputs.ndim == 3 and inputs.shape[1:] == (self.n_layers, self.w_dim) and len(inputs):
            return inputs
        raise ValueError(
            f"the generator takes z of shape (N, {self.latent_dim}) or w of shape "
            f"(N, {self.n_layers}, {self.w_dim}), got {tuple(inputs.shape)}"
        )

    @torch.no_grad()
    def _track_w_avg(self, w: torch.Tensor) -> None:
        # --8<-- [start:w_avg]
        batch_mean = w.detach().mean(dim=0)  # mean w of this batch
        self.w_avg.lerp_(batch_mean, 1.0 - self.w_avg_beta)  # w̄ ← β w̄ + (1 − β) batch mean
        # --8<-- [end:w_avg]

    def forward(
        self,
        inputs: torch.Tensor | list[torch.Tensor] | tuple[torch.Tensor, ...],
        *,
        noise: bool = True,
        noise_generator: torch.Generator | None = None,
    ) -> torch.Tensor:
        r"""Generate images (N, 1, 16, 16) in (−1, 1).

        Parameters
        ----------
        inputs : torch.Tensor or sequence of torch.Tensor
            Latents $z$ of shape (N, latent_dim), mapped once and used by every layer; or styles
            $w$ of shape (N, n_layers, w_dim), one per layer (style mixing, truncation), or a
            list of ``n_layers`` tensors of shape (N, w_dim).
        noise : bool
            Add per-layer noise; False gives the deterministic image of the styles.
        noise_generator : torch.Generator or None
            Where the noise is drawn from; None uses the generator given at construction, or
            the global RNG if there was none.
        """
        if isinstance(inputs, (list, tuple)):
            if len(inputs) != self.n_layers:
                raise ValueError(
                    f"a list of styles needs {self.n_layers} entries, got {len(inputs)}"
                )
            inputs = torch.stack([_require_rows("w", w, self.w_dim) for w in inputs], dim=1)
        styles = self._styles(inputs)  # (N, n_layers, w_dim)
        noise = require_bool("noise", noise)
        noise_generator = require_generator("noise_generator", noise_generator)
        if noise_generator is None:
            noise_generator = self.noise_generator
        # --8<-- [start:synthesis]
        h = self.const.expand(styles.shape[0], -1, -1, -1)  # learned constant, (N, c, 4, 4)
        for k, (conv, inject) in enumerate(zip(self.convs, self.noises, strict=True)):
            if h.shape[-1] < self.resolutions[k]:  # 4 -> 8 -> 16
                h = F.interpolate(h, scale_factor=2, mode="bilinear", align_corners=False)
            h = conv(h, styles[:, k])  # modulated, demodulated 3×3 convolution
            h = inject(h, generator=noise_generator, enabled=noise)  # + b_c ξ
            h = F.leaky_relu(h + self.biases[k].view(1, -1, 1, 1), 0.2)
        x = self.to_rgb(h, styles[:, -1]) + self.rgb_bias  # modulated 1×1, no demodulation
        return torch.tanh(x)  # (N, 1, 16, 16)
        # --8<-- [end:synthesis]

    def truncate(self, w: torch.Tensor, psi: float) -> torch.Tensor:
        r"""The truncation trick in $W$: move $w$ towards the tracked mean $\bar w$.

        $$
        w' = \bar w + \psi\,(w - \bar w)
        $$

        Parameters
        ----------
        w : torch.Tensor
            Shape (N, w_dim) or (N, n_layers, w_dim).
        psi : float
            $\psi$; 1 leaves $w$ as it is, 0 gives $\bar w$ for every latent.

        Examples
        --------
        >>> import torch
        >>> G = StyleGenerator(generator=torch.Generator().manual_seed(0))
        >>> w = torch.randn(3, G.w_dim)
        >>> torch.equal(G.truncate(w, 1.0), w), torch.equal(G.truncate(w, 0.0)[0], G.w_avg)
        (True, True)
        """
        w = require_tensor("w", w)
        if w.ndim not in (2, 3) or w.shape[-1] != self.w_dim:
            raise ValueError(f"w must end in w_dim = {self.w_dim}, got shape {tuple(w.shape)}")
        psi = require_finite_number("psi", psi)
        if psi == 1.0:
            return w
        # --8<-- [start:truncate]
        w_bar = self.w_avg.to(w.dtype)  # tracked mean of w during training
        return w_bar + psi * (w - w_bar)  # w' = w̄ + ψ (w − w̄)
        # --8<-- [end:truncate]

    def mix(self, w_coarse: torch.Tensor, w_fine: torch.Tensor) -> torch.Tensor:
        r"""Per-layer styles for style mixing: ``w_coarse`` in the coarse layers, ``w_fine`` else.

        Both of shape (N, w_dim); returns (N, n_layers, w_dim).
        """
        w_coarse = _require_rows("w_coarse", w_coarse, self.w_dim)
        w_fine = _require_rows("w_fine", w_fine, self.w_dim)
        if len(w_coarse) != len(w_fine):
            raise ValueError("w_coarse and w_fine must have as many rows")
        layers = [w_coarse if k in self.coarse_layers else w_fine for k in range(self.n_layers)]
        return torch.stack(layers, dim=1)
