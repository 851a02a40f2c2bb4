r"""The least-squares GAN (LSGAN) losses: regression of the discriminator's output onto labels.

The discriminator's raw output is regressed onto a label with a squared error: $b$ for real
data and $a$ for generated data, while the generator pulls its samples' outputs towards $c$.
With $b - c = 1$ and $b - a = 2$ (for example $a = -1$, $b = 1$, $c = 0$) the generator minimises
the Pearson $\chi^2$ divergence $\chi^2_{\text{Pearson}}(p_{\text{data}} + p_g \,\|\, 2 p_g)$; the
defaults here, $a = 0$, $b = c = 1$, are the 0-1 coding scheme that the paper also proposes (and
TF-GAN's defaults).
"""

from __future__ import annotations

import torch

from ganbook._checks import require_finite_number
from ganbook.losses._reduction import check_reduction, check_scores, reduce_pair, reduce_term


def least_squares_discriminator_loss(
    d_real: torch.Tensor,
    d_fake: torch.Tensor,
    *,
    real_label: float = 1.0,
    fake_label: float = 0.0,
    reduction: str = "mean",
) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
    r"""Least-squares discriminator loss: real outputs regressed onto $b$, fake onto $a$.

    $$
    \mathcal{L}_D = \tfrac{1}{2}\,\mathbb{E}_{x \sim p_{\text{data}}}(d_{\text{real}} - b)^2
                    + \tfrac{1}{2}\,\mathbb{E}_{z \sim p_z}(d_{\text{fake}} - a)^2
    $$

    Parameters
    ----------
    d_real : torch.Tensor
        Raw discriminator outputs in (−∞, ∞) on real data (no sigmoid), any shape, floating point.
    d_fake : torch.Tensor
        Raw outputs in (−∞, ∞) on generated data, any shape; the batch may differ in size.
    real_label : float, default 1.0
        The target $b$ for real data, a finite number.
    fake_label : float, default 0.0
        The target $a$ for generated data, a finite number.
    reduction : {"mean", "sum", "none"}, default "mean"
        Reduce each term by ``"mean"`` or ``"sum"`` and add the two, or keep both (``"none"``).

    Returns
    -------
    torch.Tensor or tuple of torch.Tensor
        A scalar in [0, ∞), zero when every output equals its label; with ``reduction="none"``
        the tuple ``(real_term, fake_term)`` of per-element squared errors, shaped like ``d_real``
        and ``d_fake``.

    Raises
    ------
    TypeError
        If an input is not a floating-point tensor or a label is not a real number.
    ValueError
        If an input is empty, a label is not finite or ``reduction`` is unknown.

    Notes
    -----
    Same as TF-GAN's ``least_squares_discriminator_loss``: its defaults (``real_label=1``,
    ``fake_label=0``) and its factor 1/2 are the ones used here.

    References
    ----------
    Mao, X. et al. (2017). Least Squares Generative Adversarial Networks. ICCV. arXiv:1611.04076.

    Examples
    --------
    >>> import torch
    >>> from ganbook.losses import least_squares_discriminator_loss
    >>> least_squares_discriminator_loss(torch.tensor([1.0, 3.0]), torch.tensor([1.0]))
    tensor(1.5000)
    """
    # --8<-- [start:least_squares_discriminator_loss]
    d_real = check_scores("d_real", d_real)
    d_fake = check_scores("d_fake", d_fake)
    b = require_finite_number("real_label", real_label)
    a = require_finite_number("fake_label", fake_label)
    reduction = check_reduction(reduction)
    real_term = 0.5 * (d_real - b) ** 2  # ½ (D(x) - b)²
    fake_term = 0.5 * (d_fake - a) ** 2  # ½ (D(G(z)) - a)²
    return reduce_pair(real_term, fake_term, reduction)
    # --8<-- [end:least_squares_discriminator_loss]


def least_squares_generator_loss(
    d_fake: torch.Tensor, *, real_label: float = 1.0, reduction: str = "mean"
) -> torch.Tensor:
    r"""Least-squares generator loss: the outputs on generated data regressed onto $c$.

    $$
    \mathcal{L}_G = \tfrac{1}{2}\,\mathbb{E}_{z \sim p_z}(d_{\text{fake}} - c)^2
    $$

    Parameters
    ----------
    d_fake : torch.Tensor
        Raw discriminator outputs in (−∞, ∞) on generated data, any shape, floating point.
    real_label : float, default 1.0
        The value $c$ that the generator wants the discriminator to output on its samples.
    reduction : {"mean", "sum", "none"}, default "mean"
        How to reduce the per-element losses.

    Returns
    -------
    torch.Tensor
        A scalar in [0, ∞), zero when every output on generated data equals $c$; with
        ``reduction="none"`` the per-element squared errors, shaped like ``d_fake``.

    Raises
    ------
    TypeError
        If ``d_fake`` is not a floating-point tensor or ``real_label`` is not a real number.
    ValueError
        If ``d_fake`` is empty, ``real_label`` is not finite or ``reduction`` is unknown.

    Notes
    -----
    Same as TF-GAN's ``least_squares_generator_loss`` (default ``real_label=1``, factor 1/2).

    References
    ----------
    Mao, X. et al. (2017). Least Squares Generative Adversarial Networks. ICCV. arXiv:1611.04076.

    Examples
    --------
    Outputs 0 and 3 miss the target $c = 1$ by 1 and 2, so the loss is $(1 + 4) / 4$:

    >>> import torch
    >>> from ganbook.losses import least_squares_generator_loss
    >>> least_squares_generator_loss(torch.tensor([0.0, 3.0]))
    tensor(1.2500)
    """
    # --8<-- [start:least_squares_generator_loss]
    d_fake = check_scores("d_fake", d_fake)
    c = require_finite_number("real_label", real_label)
    reduction = check_reduction(reduction)
    term = 0.5 * (d_fake - c) ** 2  # ½ (D(G(z)) - c)²
    return reduce_term(term, reduction)
    # --8<-- [end:least_squares_generator_loss]
