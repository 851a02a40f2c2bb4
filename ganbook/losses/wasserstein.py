r"""The Wasserstein GAN losses: a critic's score difference between real and generated data.

By the Kantorovich-Rubinstein duality, $W_1(p_{\text{data}}, p_g)$ is the supremum of
$\mathbb{E} f(x) - \mathbb{E} f(G(z))$ over 1-Lipschitz critics $f$. The losses below are that
objective written to be minimised. They do not constrain the critic: pair them with weight
clipping (`ganbook.penalties.clip_weights_`, WGAN) or a gradient penalty
(`ganbook.penalties.gradient_penalty`, WGAN-GP).
"""

from __future__ import annotations

import torch

from ganbook.losses._reduction import check_reduction, check_scores, reduce_pair, reduce_term


def wasserstein_discriminator_loss(
    d_real: torch.Tensor, d_fake: torch.Tensor, *, reduction: str = "mean"
) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
    r"""Wasserstein critic loss: the mean score on generated data minus that on real data.

    $$
    \mathcal{L}_D = \mathbb{E}_{z \sim p_z}\, d_{\text{fake}}
                    - \mathbb{E}_{x \sim p_{\text{data}}}\, d_{\text{real}}
    $$

    For a 1-Lipschitz critic at its optimum, $-\mathcal{L}_D$ estimates
    $W_1(p_{\text{data}}, p_g)$.

    Parameters
    ----------
    d_real : torch.Tensor
        Critic scores in (−∞, ∞) on real data (not probabilities), any shape, floating point.
    d_fake : torch.Tensor
        Critic scores in (−∞, ∞) on generated data, any shape; the batch may differ in size.
    reduction : {"mean", "sum", "none"}, default "mean"
        Reduce each term by ``"mean"`` or ``"sum"`` and add the two, or keep both (``"none"``).

    Returns
    -------
    torch.Tensor or tuple of torch.Tensor
        A scalar in (−∞, ∞), or with ``reduction="none"`` the tuple
        ``(real_term, fake_term) = (-d_real, d_fake)``.

    Raises
    ------
    TypeError
        If ``d_real`` or ``d_fake`` is not a floating-point tensor of critic scores.
    ValueError
        If ``d_real`` or ``d_fake`` is empty, or ``reduction`` is unknown.

    Notes
    -----
    The WGAN paper's critic maximises $\mathbb{E} f(x) - \mathbb{E} f(G(z))$; this loss is its
    negative, as in TF-GAN's ``wasserstein_discriminator_loss``. The Lipschitz constraint is not
    part of the loss.

    References
    ----------
    Arjovsky, M., Chintala, S. and Bottou, L. (2017). Wasserstein Generative Adversarial
    Networks. ICML. arXiv:1701.07875.

    Gulrajani, I. et al. (2017). Improved Training of Wasserstein GANs. NeurIPS. arXiv:1704.00028.

    Examples
    --------
    >>> import torch
    >>> from ganbook.losses import wasserstein_discriminator_loss
    >>> wasserstein_discriminator_loss(torch.tensor([1.0, 3.0]), torch.tensor([-1.0]))
    tensor(-3.)
    """
    # --8<-- [start:wasserstein_discriminator_loss]
    d_real = check_scores("d_real", d_real)
    d_fake = check_scores("d_fake", d_fake)
    reduction = check_reduction(reduction)
    real_term = -d_real  # -f(x)
    fake_term = d_fake  # f(G(z))
    return reduce_pair(real_term, fake_term, reduction)
    # --8<-- [end:wasserstein_discriminator_loss]


def wasserstein_generator_loss(d_fake: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""Wasserstein generator loss: the negative mean critic score on generated data.

    $$
    \mathcal{L}_G = -\mathbb{E}_{z \sim p_z}\, d_{\text{fake}}
    $$

    The real term of the critic's objective does not depend on the generator, so it is left out.

    Parameters
    ----------
    d_fake : torch.Tensor
        Critic scores in (−∞, ∞) on generated data, any shape, floating point.
    reduction : {"mean", "sum", "none"}, default "mean"
        How to reduce the per-element losses.

    Returns
    -------
    torch.Tensor
        A scalar in (−∞, ∞), or with ``reduction="none"`` the per-element losses ``-d_fake``.

    Raises
    ------
    TypeError
        If the critic scores ``d_fake`` are not a floating-point tensor.
    ValueError
        If ``d_fake`` is empty or ``reduction`` is unknown.

    Notes
    -----
    Same as TF-GAN's ``wasserstein_generator_loss``.

    References
    ----------
    Arjovsky, M., Chintala, S. and Bottou, L. (2017). Wasserstein Generative Adversarial
    Networks. ICML. arXiv:1701.07875.

    Examples
    --------
    >>> import torch
    >>> from ganbook.losses import wasserstein_generator_loss
    >>> wasserstein_generator_loss(torch.tensor([1.0, 2.0]))
    tensor(-1.5000)
    """
    # --8<-- [start:wasserstein_generator_loss]
    d_fake = check_scores("d_fake", d_fake)
    reduction = check_reduction(reduction)
    term = -d_fake  # -f(G(z))
    return reduce_term(term, reduction)
    # --8<-- [end:wasserstein_generator_loss]
