r"""The hinge GAN losses: a margin loss for the discriminator, a linear one for the generator.

The discriminator is penalised only when a real score falls below $+1$ or a generated score
rises above $-1$; scores beyond the margins cost nothing. The generator uses the Wasserstein
generator loss unchanged.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ganbook.losses._reduction import check_reduction, check_scores, reduce_pair
from ganbook.losses.wasserstein import wasserstein_generator_loss


def hinge_discriminator_loss(
    d_real: torch.Tensor, d_fake: torch.Tensor, *, reduction: str = "mean"
) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
    r"""Hinge discriminator loss: real scores pushed above $+1$, generated scores below $-1$.

    $$
    \mathcal{L}_D = \mathbb{E}_{x \sim p_{\text{data}}} \max(0, 1 - d_{\text{real}})
                    + \mathbb{E}_{z \sim p_z} \max(0, 1 + d_{\text{fake}})
    $$

    Parameters
    ----------
    d_real : torch.Tensor
        Discriminator scores in (−∞, ∞) on real data (no sigmoid), any shape, floating point.
    d_fake : torch.Tensor
        Scores in (−∞, ∞) on generated data, any shape; the batch may differ in size.
    reduction : {"mean", "sum", "none"}, default "mean"
        Reduce each term by ``"mean"`` or ``"sum"`` and add the two, or keep both (``"none"``).

    Returns
    -------
    torch.Tensor or tuple of torch.Tensor
        A scalar in [0, ∞), zero once every real score is at least 1 and every generated score at
        most −1; with ``reduction="none"`` the tuple ``(real_term, fake_term)`` of per-element
        margins ``max(0, 1 - d_real)`` and ``max(0, 1 + d_fake)``.

    Raises
    ------
    TypeError
        If an input is not a floating-point tensor.
    ValueError
        If an input is empty or ``reduction`` is unknown.

    Notes
    -----
    Same as TF-GAN's ``wasserstein_hinge_discriminator_loss`` with its default margins
    ``real_hinge=1.0`` and ``generated_hinge=1.0``; the margins are fixed at 1 here.

    References
    ----------
    Lim, J. H. and Ye, J. C. (2017). Geometric GAN. arXiv:1705.02894 (the margin loss).

    Miyato, T. et al. (2018). Spectral Normalization for Generative Adversarial Networks. ICLR.
    arXiv:1802.05957 (the hinge pair with spectral normalisation).

    Examples
    --------
    >>> import torch
    >>> from ganbook.losses import hinge_discriminator_loss
    >>> hinge_discriminator_loss(torch.tensor([2.0, 0.0]), torch.tensor([-3.0, 0.5]))
    tensor(1.2500)
    """
    # --8<-- [start:hinge_discriminator_loss]
    d_real = check_scores("d_real", d_real)
    d_fake = check_scores("d_fake", d_fake)
    reduction = check_reduction(reduction)
    real_term = F.relu(1.0 - d_real)  # max(0, 1 - D(x))
    fake_term = F.relu(1.0 + d_fake)  # max(0, 1 + D(G(z)))
    return reduce_pair(real_term, fake_term, reduction)
    # --8<-- [end:hinge_discriminator_loss]


def hinge_generator_loss(d_fake: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""Hinge generator loss: the negative mean discriminator score on generated data.

    $$
    \mathcal{L}_G = -\mathbb{E}_{z \sim p_z}\, d_{\text{fake}}
    $$

    This is `wasserstein_generator_loss`; it has its own name so that every loss family comes as
    a discriminator/generator pair.

    Parameters
    ----------
    d_fake : torch.Tensor
        Discriminator scores on generated data, as for `wasserstein_generator_loss`.
    reduction : {"mean", "sum", "none"}, default "mean"
        As for `wasserstein_generator_loss`.

    Returns
    -------
    torch.Tensor
        ``wasserstein_generator_loss(d_fake, reduction=reduction)``.

    Raises
    ------
    TypeError, ValueError
        Exactly when `wasserstein_generator_loss` does.

    Notes
    -----
    Same as TF-GAN's ``wasserstein_hinge_generator_loss``, which is its Wasserstein generator
    loss. Lim and Ye (2017) derive this generator loss; Miyato et al. (2018) train with the hinge
    pair and spectral normalisation.

    References
    ----------
    Lim, J. H. and Ye, J. C. (2017). Geometric GAN. arXiv:1705.02894 (the linear generator loss).

    Miyato, T. et al. (2018). Spectral Normalization for Generative Adversarial Networks. ICLR.
    arXiv:1802.05957.

    Examples
    --------
    Only the discriminator's loss has margins; the generator's does not:

    >>> import torch
    >>> from ganbook.losses import hinge_generator_loss
    >>> hinge_generator_loss(torch.tensor([1.0, 2.0]))
    tensor(-1.5000)
    """
    # --8<-- [start:hinge_generator_loss]
    return wasserstein_generator_loss(d_fake, reduction=reduction)  # -E D(G(z))
    # --8<-- [end:hinge_generator_loss]
