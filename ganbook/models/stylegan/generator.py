r"""The small StyleGAN2-style generator: synthesis from a constant, truncation, style mixing."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ganbook._checks import (
    require_bool,
    require_finite_number,
    require_generator,
    require_in_half_open,
    require_positive_int,
    require_tensor,
)
from ganbook.models.stylegan._common import _draw_normal, _require_rows
from ganbook.models.stylegan.mapping import MappingNetwork
from ganbook.models.stylegan.modulation import ModulatedConv2d, NoiseInjection


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
            return self.broadcast(w)
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

    def broadcast(self, w: torch.Tensor) -> torch.Tensor:
        r"""The same $w$ in every layer: styles (N, n_layers, w_dim) from w (N, w_dim).

        What the forward does with the $w$ it maps from $z$; give the result to the forward after
        changing $w$ (say, by :meth:`truncate`).
        """
        w = _require_rows("w", w, self.w_dim)
        return w[:, None, :].expand(-1, self.n_layers, -1)

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
