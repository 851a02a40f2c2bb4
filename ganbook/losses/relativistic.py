r"""The relativistic average GAN losses (RaGAN): real against the average fake, and back.

A standard discriminator judges each sample on its own: $D(x) = \sigma(C(x))$ with $C$ the
logit. A relativistic average discriminator judges each sample against the other batch's mean
logit: how much more real a real sample looks than the average generated one,

$$
\Delta_{\text{r}} = C(x_r) - \mathbb{E}_{x_f} C(x_f), \qquad
\Delta_{\text{f}} = C(x_f) - \mathbb{E}_{x_r} C(x_r),
$$

and both players use the binary cross-entropy of these relative logits. Unlike every other
generator loss of `ganbook.losses`, the generator's loss here needs the discriminator's outputs on
real data too: half of its signal comes from making real samples look *less* real than the
average fake. Every term is computed from the relative logits with
`torch.nn.functional.softplus`, using $-\log\sigma(t) = \operatorname{softplus}(-t)$ and
$-\log(1 - \sigma(t)) = \operatorname{softplus}(t)$.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ganbook.losses._reduction import check_reduction, check_scores, reduce_pair


def _relative_logits(d_real: torch.Tensor, d_fake: torch.Tensor) -> tuple[torch.Tensor, ...]:
    r"""Check both batches and return $(\Delta_r, \Delta_f)$, each shaped like its own input.

    The means run over every element of the other batch, so the two batches may differ in size;
    they are a discriminator's outputs on two batches, so they must agree in every dimension but
    the first (a ``(N, 1)`` batch against a ``(N,)`` one is a mistake, not a broadcast).
    """
    d_real = check_scores("d_real", d_real)
    d_fake = check_scores("d_fake", d_fake)
    if d_real.dim() != d_fake.dim() or d_real.shape[1:] != d_fake.shape[1:]:
        raise ValueError(
            "d_real and d_fake must have the same shape apart from the batch dimension, got "
            f"{tuple(d_real.shape)} and {tuple(d_fake.shape)}"
        )
    delta_real = d_real - d_fake.mean()  # Δ_r = C(x_r) − E C(x_f)
    delta_fake = d_fake - d_real.mean()  # Δ_f = C(x_f) − E C(x_r)
    return delta_real, delta_fake


def relativistic_discriminator_loss(
    d_real: torch.Tensor, d_fake: torch.Tensor, *, reduction: str = "mean"
) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
    r"""RaGAN discriminator loss: real data more real than the average fake, and vice versa.

    $$
    \mathcal{L}_D = -\mathbb{E}_{x_r \sim p_{\text{data}}} \log \sigma(\Delta_{\text{r}})
                    - \mathbb{E}_{x_f \sim p_g} \log\bigl(1 - \sigma(\Delta_{\text{f}})\bigr),
    \qquad
    \begin{aligned}
    \Delta_{\text{r}} &= d_{\text{real}} - \mathbb{E}\, d_{\text{fake}},\\
    \Delta_{\text{f}} &= d_{\text{fake}} - \mathbb{E}\, d_{\text{real}},
    \end{aligned}
    $$

    with $d = C(x)$ the discriminator's logits and the inner means taken over the mini-batch.

    Parameters
    ----------
    d_real : torch.Tensor
        Logits in (−∞, ∞) of the discriminator on real data, any shape (``(N,)``, ``(N, 1)``, a
        patch map ``(N, 1, H, W)``), floating point.
    d_fake : torch.Tensor
        Logits in (−∞, ∞) on generated data, the shape of ``d_real`` except that the batch
        (first dimension) may differ in size.
    reduction : {"mean", "sum", "none"}, default "mean"
        Reduce each term by ``"mean"`` or ``"sum"`` and add the two, or keep both (``"none"``).
        The batch means inside $\Delta$ are means whatever the reduction.

    Returns
    -------
    torch.Tensor or tuple of torch.Tensor
        A scalar in [0, ∞), or with ``reduction="none"`` the tuple ``(real_term, fake_term)``
        of per-element terms $\operatorname{softplus}(-\Delta_r)$ and
        $\operatorname{softplus}(\Delta_f)$, shaped like ``d_real`` and ``d_fake``.

    Raises
    ------
    TypeError
        If an input is not a floating-point tensor.
    ValueError
        If an input is empty, the two differ in shape apart from the batch dimension, or
        ``reduction`` is unknown.

    Notes
    -----
    Each element's term depends on the whole other batch through its mean, so with
    ``reduction="none"`` the terms are not independent per example. The mean-reduced value is the
    sum of the two expectations, as in the paper and in TF-GAN's ``ragan_discriminator_loss`` (its
    ESRGAN example), whose golden values this function reproduces; the author's released code
    halves the sum, which scales the gradients by 1/2 and changes nothing else.

    References
    ----------
    Jolicoeur-Martineau, A. (2018). The relativistic discriminator: a key element missing from
    standard GAN. arXiv:1807.00734; ICLR 2019 (the relativistic average standard GAN, RaSGAN).

    Examples
    --------
    Equal logits everywhere make every relative logit 0, and each term costs $\log 2$:

    >>> import torch
    >>> from ganbook.losses import relativistic_discriminator_loss
    >>> relativistic_discriminator_loss(torch.zeros(3), torch.zeros(2))  # 2 log 2
    tensor(1.3863)
    >>> relativistic_discriminator_loss(torch.tensor([2.0, 0.0]), torch.tensor([-1.0]))
    tensor(0.3079)
    """
    # --8<-- [start:relativistic_discriminator_loss]
    delta_real, delta_fake = _relative_logits(d_real, d_fake)  # Δ_r, Δ_f
    reduction = check_reduction(reduction)
    real_term = F.softplus(-delta_real)  # -log σ(Δ_r)
    fake_term = F.softplus(delta_fake)  # -log(1 - σ(Δ_f))
    return reduce_pair(real_term, fake_term, reduction)
    # --8<-- [end:relativistic_discriminator_loss]


def relativistic_generator_loss(
    d_real: torch.Tensor, d_fake: torch.Tensor, *, reduction: str = "mean"
) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
    r"""RaGAN generator loss: the discriminator's loss with the labels of real and fake swapped.

    $$
    \mathcal{L}_G = -\mathbb{E}_{x_f \sim p_g} \log \sigma(\Delta_{\text{f}})
                    - \mathbb{E}_{x_r \sim p_{\text{data}}} \log\bigl(1 - \sigma(\Delta_{\text{r}})
                    \bigr)
    $$

    with $\Delta_{\text{r}} = d_{\text{real}} - \mathbb{E}\, d_{\text{fake}}$ and
    $\Delta_{\text{f}} = d_{\text{fake}} - \mathbb{E}\, d_{\text{real}}$ as in
    `relativistic_discriminator_loss`. It equals that loss with the two batches exchanged:
    ``relativistic_generator_loss(r, f) == relativistic_discriminator_loss(f, r)``; and since
    $\operatorname{softplus}(t) - \operatorname{softplus}(-t) = t$, the two losses differ by
    $\mathcal{L}_G - \mathcal{L}_D = 2(\mathbb{E}\, d_{\text{real}} - \mathbb{E}\,
    d_{\text{fake}})$ (mean reduction). The generator
    is rewarded both for raising its samples above the average real logit and for pulling real
    logits below the average fake one, which it does through the mean in $\Delta_{\text{r}}$.

    Parameters
    ----------
    d_real : torch.Tensor
        Logits in (−∞, ∞) of the discriminator on real data; the generator's gradient does not
        flow through them, but their values enter the loss.
    d_fake : torch.Tensor
        Logits in (−∞, ∞) on generated data, the shape of ``d_real`` except for the batch size.
    reduction : {"mean", "sum", "none"}, default "mean"
        Reduce each term by ``"mean"`` or ``"sum"`` and add the two, or keep both (``"none"``).

    Returns
    -------
    torch.Tensor or tuple of torch.Tensor
        A scalar in [0, ∞), or with ``reduction="none"`` the tuple ``(real_term, fake_term)``
        of per-element terms $\operatorname{softplus}(\Delta_r)$ and
        $\operatorname{softplus}(-\Delta_f)$, shaped like ``d_real`` and ``d_fake``.

    Raises
    ------
    TypeError, ValueError
        In the same cases as `relativistic_discriminator_loss`.

    Notes
    -----
    The argument order is the discriminator losses' (real first), not the other generator
    losses' single ``d_fake``: a trainer must evaluate the discriminator on a real batch for the
    generator's step too (`ganbook.losses.LossPair.generator_uses_real`). The mean-reduced value
    is the sum of the two expectations, as in TF-GAN's ``ragan_generator_loss``; the author's
    code halves it.

    References
    ----------
    Jolicoeur-Martineau, A. (2018). The relativistic discriminator: a key element missing from
    standard GAN. arXiv:1807.00734; ICLR 2019 (the relativistic average standard GAN, RaSGAN).

    Examples
    --------
    >>> import torch
    >>> from ganbook.losses import relativistic_generator_loss
    >>> relativistic_generator_loss(torch.zeros(3), torch.zeros(2))  # 2 log 2
    tensor(1.3863)
    >>> relativistic_generator_loss(torch.tensor([2.0, 0.0]), torch.tensor([-1.0]))
    tensor(4.3079)
    """
    # --8<-- [start:relativistic_generator_loss]
    delta_real, delta_fake = _relative_logits(d_real, d_fake)  # Δ_r, Δ_f
    reduction = check_reduction(reduction)
    real_term = F.softplus(delta_real)  # -log(1 - σ(Δ_r))
    fake_term = F.softplus(-delta_fake)  # -log σ(Δ_f)
    return reduce_pair(real_term, fake_term, reduction)
    # --8<-- [end:relativistic_generator_loss]
