r"""The losses of the original GAN: the minimax game and its non-saturating generator loss.

The discriminator outputs a logit $d$ and $D = \sigma(d)$ is its probability that the input is
real. Every term is computed from the logit with `torch.nn.functional.logsigmoid`, using
$\log(1 - \sigma(d)) = \log \sigma(-d)$, so that no probability is ever rounded to 0 or 1.

This module is not a trainer: it only turns discriminator outputs into numbers.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ganbook._checks import require_in_half_open
from ganbook.losses._reduction import check_reduction, check_scores, reduce_pair, reduce_term


def minimax_discriminator_loss(
    d_real: torch.Tensor,
    d_fake: torch.Tensor,
    *,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
    r"""Discriminator loss of the original GAN: binary cross-entropy, real labelled 1, fake 0.

    $$
    \mathcal{L}_D = -\mathbb{E}_{x \sim p_{\text{data}}} \log \sigma(d_{\text{real}})
                    - \mathbb{E}_{z \sim p_z} \log\bigl(1 - \sigma(d_{\text{fake}})\bigr)
    $$

    with $d_{\text{real}} = D(x)$ and $d_{\text{fake}} = D(G(z))$ the discriminator's logits.
    With label smoothing $s$ the real target becomes $t = 1 - s/2$ and the real term becomes the
    cross-entropy $-t \log \sigma(d_{\text{real}}) - (1 - t) \log(1 - \sigma(d_{\text{real}}))$.

    Parameters
    ----------
    d_real : torch.Tensor
        Logits in (−∞, ∞) of the discriminator on real data, any shape (for example ``(N,)``,
        ``(N, 1)`` or a patch map ``(N, 1, H, W)``), floating point.
    d_fake : torch.Tensor
        Logits in (−∞, ∞) on generated data, any shape; the batch may differ in size from
        ``d_real``.
    label_smoothing : float, default 0.0
        Amount $s \in [0, 1)$ of one-sided label smoothing: the real target is $1 - s/2$, as in
        TF-GAN. ``0.0`` is the paper's loss.
    reduction : {"mean", "sum", "none"}, default "mean"
        Reduce each term by ``"mean"`` or ``"sum"`` and add the two, or keep both (``"none"``).

    Returns
    -------
    torch.Tensor or tuple of torch.Tensor
        A scalar in [0, ∞), or with ``reduction="none"`` the tuple ``(real_term, fake_term)`` of
        per-element losses shaped like ``d_real`` and ``d_fake``.

    Raises
    ------
    TypeError
        If an input is not a floating-point tensor.
    ValueError
        If an input is empty, ``label_smoothing`` lies outside [0, 1) or ``reduction`` is unknown.

    Notes
    -----
    TF-GAN's ``minimax_discriminator_loss`` (and ``modified_discriminator_loss``) default to
    ``label_smoothing=0.25``, a real target of 0.875; here the default is the paper's loss.
    Label smoothing follows TF-GAN's mapping of a label $y$ to $y(1 - s) + s/2$, which for the
    real label $y = 1$ gives $1 - s/2$; fake labels are never smoothed.

    References
    ----------
    Goodfellow, I. et al. (2014). Generative Adversarial Nets. NeurIPS. arXiv:1406.2661.

    Salimans, T. et al. (2016). Improved Techniques for Training GANs. NeurIPS.
    arXiv:1606.03498 (one-sided label smoothing).

    Examples
    --------
    >>> import torch
    >>> from ganbook.losses import minimax_discriminator_loss
    >>> minimax_discriminator_loss(torch.zeros(4), torch.zeros(2))  # 2 log 2
    tensor(1.3863)
    >>> minimax_discriminator_loss(torch.tensor([2.0, 0.0]), torch.tensor([-1.0]))
    tensor(0.7233)
    """
    # --8<-- [start:minimax_discriminator_loss]
    d_real = check_scores("d_real", d_real)
    d_fake = check_scores("d_fake", d_fake)
    s = require_in_half_open("label_smoothing", label_smoothing, 0.0, 1.0)
    reduction = check_reduction(reduction)
    t = 1.0 - s / 2.0  # target for real data: the label 1 smoothed towards 1/2
    # -t log σ(d_real) - (1 - t) log(1 - σ(d_real)), with log(1 - σ(d)) = log σ(-d)
    real_term = -(t * F.logsigmoid(d_real) + (1.0 - t) * F.logsigmoid(-d_real))
    fake_term = -F.logsigmoid(-d_fake)  # -log(1 - σ(d_fake))
    return reduce_pair(real_term, fake_term, reduction)
    # --8<-- [end:minimax_discriminator_loss]


def minimax_generator_loss(d_fake: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""Generator loss of the minimax game: the saturating form, with no added constant.

    $$
    \mathcal{L}_G = \mathbb{E}_{z \sim p_z} \log\bigl(1 - \sigma(d_{\text{fake}})\bigr)
    $$

    This is the fake term of the discriminator's objective with its sign flipped: the generator
    minimises what the discriminator maximises. Its gradient with respect to the logit is
    $-\sigma(d_{\text{fake}})$, which vanishes when the discriminator confidently rejects the
    samples ($\sigma(d_{\text{fake}}) \to 0$), which is why the generator saturates early in
    training.

    Parameters
    ----------
    d_fake : torch.Tensor
        Logits in (−∞, ∞) of the discriminator on generated data, any shape, floating point.
    reduction : {"mean", "sum", "none"}, default "mean"
        How to reduce the per-element losses.

    Returns
    -------
    torch.Tensor
        A scalar in (−∞, 0], or with ``reduction="none"`` the per-element terms
        $\log \sigma(-d_{\text{fake}})$, shaped like ``d_fake``.

    Raises
    ------
    TypeError
        If the logits ``d_fake`` are not a floating-point tensor.
    ValueError
        If ``d_fake`` is empty or ``reduction`` is unknown.

    Notes
    -----
    TF-GAN's ``minimax_generator_loss`` returns the negated discriminator loss evaluated with a
    constant real logit of 1: $-\bigl[-\log\sigma(1) - \mathbb{E}\log(1 - \sigma(d_{\text{fake}}))
    \bigr]$, that is this loss plus the constant $\log \sigma(1) = -\log(1 + e^{-1})
    \approx -0.31326$. The constant changes no gradient; this function leaves it out.

    References
    ----------
    Goodfellow, I. et al. (2014). Generative Adversarial Nets. NeurIPS. arXiv:1406.2661.

    Examples
    --------
    >>> import torch
    >>> from ganbook.losses import minimax_generator_loss
    >>> minimax_generator_loss(torch.tensor([0.0, -2.0]))  # (log 1/2 + log σ(2)) / 2
    tensor(-0.4100)
    """
    # --8<-- [start:minimax_generator_loss]
    d_fake = check_scores("d_fake", d_fake)
    reduction = check_reduction(reduction)
    term = F.logsigmoid(-d_fake)  # log(1 - σ(d_fake)) = log σ(-d_fake)
    return reduce_term(term, reduction)
    # --8<-- [end:minimax_generator_loss]


def nonsaturating_generator_loss(d_fake: torch.Tensor, *, reduction: str = "mean") -> torch.Tensor:
    r"""Non-saturating generator loss: the generator maximises the log-probability of "real".

    $$
    \mathcal{L}_G = -\mathbb{E}_{z \sim p_z} \log \sigma(d_{\text{fake}})
    $$

    It has the same fixed point as `minimax_generator_loss` but its gradient with respect to the
    logit, $-(1 - \sigma(d_{\text{fake}}))$, stays near $-1$ exactly where the minimax form
    saturates: when the discriminator rejects the samples.

    Parameters
    ----------
    d_fake : torch.Tensor
        Logits in (−∞, ∞) on generated data, as for `minimax_generator_loss`.
    reduction : {"mean", "sum", "none"}, default "mean"
        How to reduce the per-element losses.

    Returns
    -------
    torch.Tensor
        A scalar in [0, ∞), or with ``reduction="none"`` the per-element terms
        $-\log \sigma(d_{\text{fake}})$, shaped like ``d_fake``.

    Raises
    ------
    TypeError, ValueError
        In the same cases as `minimax_generator_loss`, which takes the same arguments.

    Notes
    -----
    This is TF-GAN's ``modified_generator_loss`` with its default ``label_smoothing=0.0``; the
    generator loss takes no label smoothing here.

    References
    ----------
    Goodfellow, I. et al. (2014). Generative Adversarial Nets. NeurIPS. arXiv:1406.2661
    (section 3, the heuristic "maximise log D(G(z))").

    Examples
    --------
    >>> import torch
    >>> from ganbook.losses import nonsaturating_generator_loss
    >>> nonsaturating_generator_loss(torch.tensor([0.0, 2.0]))  # (log 2 - log σ(2)) / 2
    tensor(0.4100)
    """
    # --8<-- [start:nonsaturating_generator_loss]
    d_fake = check_scores("d_fake", d_fake)
    reduction = check_reduction(reduction)
    term = -F.logsigmoid(d_fake)  # -log σ(d_fake)
    return reduce_term(term, reduction)
    # --8<-- [end:nonsaturating_generator_loss]
