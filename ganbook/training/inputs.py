r"""What the discriminator sees: three remedies that change its input, not its loss.

- *Instance noise* (Sønderby et al. 2017; Arjovsky and Bottou 2017): every example, real or
  generated, reaches $D$ with Gaussian noise added, $\tilde x = x + \sigma\varepsilon$. The two
  distributions then overlap, and $D$ cannot become arbitrarily sharp.
- *Minibatch standard deviation* (Karras et al. 2018, §3): the standard deviation of each
  feature over the minibatch, averaged over the features, is appended to every example as one
  more input, so a batch with too little variety is visible to $D$.
- *Packing* (PacGAN, Lin et al. 2018): $D$ judges ``pack`` examples of one kind at once, all
  real or all generated, concatenated into one input of ``pack`` times the width.

`DiscriminatorInputs` applies them in that order to a batch of shape ``(..., B, d)`` (a
leading axis is an ensemble's members) and says how wide $D$'s input must be. Both trainers
call $D$ only through it, on real batches, generated batches and a penalty's points alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

__all__ = ["DiscriminatorInputs", "Noise"]

Noise = Callable[[torch.Tensor], torch.Tensor]
r"""``noise(x)``: standard normal noise of ``x``'s shape, from the run's own stream(s)."""


@dataclass(frozen=True)
class DiscriminatorInputs:
    r"""The remedies a run applies to $D$'s input; the default applies none.

    For a batch $x_{1..B}$ of $d$-vectors:

    $$
    \tilde x_i = x_i + \sigma\varepsilon_i, \qquad
    s = \frac{1}{d}\sum_{j=1}^{d}\sqrt{\frac{1}{B}\sum_{i=1}^{B}\bigl(\tilde x_{ij}
    - \bar{\tilde x}_{j}\bigr)^2}, \qquad
    D\bigl([\tilde x_{(b-1)m+1}, s, \dots, \tilde x_{bm}, s]\bigr),\ b = 1..B/m
    $$

    with $\sigma$ = ``noise_std`` (no noise when None), $s$ appended only with
    ``minibatch_std`` and $m$ = ``pack``.

    Parameters
    ----------
    noise_std : float or None
        $\sigma > 0$ of the instance noise; None for none.
    minibatch_std : bool
        Append the minibatch standard deviation $s$ to every example.
    pack : int
        Examples per input of $D$, $m \ge 1$; the batch size must be a multiple of it.
    """

    noise_std: float | None = None
    minibatch_std: bool = False
    pack: int = 1

    @property
    def active(self) -> bool:
        r"""Whether any remedy is on (if not, $D$ sees the batch as it is)."""
        return self.noise_std is not None or self.minibatch_std or self.pack != 1

    def width(self, sample_dim: int) -> int:
        r"""The input width $D$ needs for examples of ``sample_dim`` features: $m(d + [s])$."""
        return self.pack * (sample_dim + int(self.minibatch_std))

    def judged(self, x: torch.Tensor, noise: Noise) -> torch.Tensor:
        r"""The batch ``x`` of shape ``(..., B, d)`` as $D$ sees it: ``(..., B / m, m(d + [s]))``.

        ``noise`` draws the instance noise (called once, only when ``noise_std`` is set).

        Raises
        ------
        ValueError
            If $B$ is not a multiple of ``pack``.
        """
        # --8<-- [start:judged]
        if self.noise_std is not None:  # instance noise: x + σε, for real and fake alike
            x = x + self.noise_std * noise(x)
        if self.minibatch_std:  # s: each feature's std over the batch, averaged over features
            s = x.std(dim=-2, unbiased=False, keepdim=True).mean(dim=-1, keepdim=True)
            x = torch.cat([x, s.expand(*x.shape[:-1], 1)], dim=-1)  # s appended to every row
        if self.pack != 1:  # PacGAN: m consecutive examples side by side, one input of D
            batch = x.shape[-2]
            if batch % self.pack:
                raise ValueError(f"a batch of {batch} cannot be packed by {self.pack}")
            x = x.reshape(*x.shape[:-2], batch // self.pack, self.pack * x.shape[-1])
        # --8<-- [end:judged]
        return x
