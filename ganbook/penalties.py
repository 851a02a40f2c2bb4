r"""Ways of keeping a discriminator in check: gradient penalties and weight clipping.

The penalties are differentiable functions of the critic's parameters (their input gradients are
built with ``create_graph=True``), to be added to a discriminator loss from `ganbook.losses`:
the WGAN-GP gradient penalty, and R1 and R2, the squared gradient norm on real and on
generated data. All detach the data they are given: they are discriminator-only terms and send
no gradient to the generator. Weight clipping is an in-place operation on a module, applied
after each optimiser step. This module holds no coefficients ($\lambda$, $\gamma$, $c$): the
trainer does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F

from ganbook._checks import (
    require_bool,
    require_generator,
    require_non_empty_tensor,
    require_positive,
)

Critic = Callable[[torch.Tensor], torch.Tensor]


def _check_batch(name: str, value: Any) -> torch.Tensor:
    value = require_non_empty_tensor(name, value)
    if value.dim() < 1:
        raise ValueError(f"{name} must have a batch dimension, got a 0-d tensor")
    return value


def _check_critic(critic: Any) -> Critic:
    if not callable(critic):
        raise TypeError(f"critic must be callable, got {type(critic).__name__}")
    return critic


def _input_gradients(critic: Critic, x: torch.Tensor) -> torch.Tensor:
    r"""Return ∇ₓ Σ D(x), flattened to ``(N, -1)``, as a differentiable function of the critic."""
    x = x.detach().requires_grad_(True)
    scores = critic(x)
    # Σ over the batch: example i's gradient is ∂D(x_i)/∂x_i as long as the critic treats the
    # examples independently (no batch normalisation in training mode).
    (gradients,) = torch.autograd.grad(scores.sum(), x, create_graph=True)
    return gradients.reshape(x.shape[0], -1)


def _mean_squared_gradient_norm(critic: Critic, x: torch.Tensor) -> torch.Tensor:
    r"""$\frac{1}{N}\sum_i \lVert \nabla_x D(x_i) \rVert_2^2$: R1 on real data, R2 on fake."""
    squared_norms = _input_gradients(critic, x).pow(2).sum(dim=1)  # ‖∇D(x_i)‖₂²
    return squared_norms.mean()


def gradient_penalty(
    critic: Critic,
    real: torch.Tensor,
    fake: torch.Tensor,
    *,
    target: float = 1.0,
    one_sided: bool = False,
    rng: torch.Generator | None = None,
) -> torch.Tensor:
    r"""WGAN-GP gradient penalty: the critic's gradient norm pulled towards ``target``.

    $$
    \mathcal{P} = \mathbb{E}_{\hat x}\Bigl(\frac{\lVert \nabla_{\hat x} D(\hat x) \rVert_2}{K}
                  - 1\Bigr)^2,
    \qquad \hat x = x + \alpha (\tilde x - x), \quad \alpha \sim U[0, 1)
    $$

    with $x$ real, $\tilde x$ generated, one $\alpha$ per example, the norm taken per example over
    all non-batch dimensions and $K$ the ``target``. With ``one_sided=True`` only norms above the
    target are penalised: $\max(0, \lVert\nabla D\rVert_2 / K - 1)^2$.

    Parameters
    ----------
    critic : callable
        Maps a batch shaped like ``real`` to scores of shape ``(N,)``, ``(N, 1)`` or any
        ``(N, ...)`` (a patch critic's scores are summed per example). It must treat examples
        independently.
    real : torch.Tensor
        Real batch, shape ``(N, ...)``, floating point, at least one element.
    fake : torch.Tensor
        Generated batch, the same shape as ``real``.
    target : float, default 1.0
        The target norm $K > 0$ (the Lipschitz constant aimed for).
    one_sided : bool, default False
        Penalise only norms above the target (Petzka et al. 2018).
    rng : torch.Generator, optional
        Generator for $\alpha$, on the device of ``real``; ``None`` uses torch's global one.

    Returns
    -------
    torch.Tensor
        A scalar in [0, ∞) with the dtype of ``real``, differentiable with respect to the
        critic's parameters; the trainer multiplies it by $\lambda$ (10 in the paper).

    Raises
    ------
    TypeError
        If ``critic`` is not callable, an input is not a floating-point tensor, ``one_sided`` is
        not a bool or ``rng`` is not a ``torch.Generator``.
    ValueError
        If an input is empty or 0-d, ``real`` and ``fake`` differ in shape or ``target`` is not
        positive.

    Notes
    -----
    TF-GAN's ``wasserstein_gradient_penalty`` adds $\epsilon = 10^{-10}$ under the square root;
    this one takes the norm as it is (its derivative at a zero gradient is taken as 0). A critic
    with batch normalisation in training mode mixes the examples, so the per-example gradient is
    no longer the gradient of $D(\hat x_i)$; the paper uses layer normalisation instead.

    References
    ----------
    Gulrajani, I. et al. (2017). Improved Training of Wasserstein GANs. NeurIPS. arXiv:1704.00028.

    Petzka, H., Fischer, A. and Lukovnikov, D. (2018). On the regularization of Wasserstein GANs.
    ICLR. arXiv:1709.08894 (the one-sided penalty).

    Examples
    --------
    A linear critic $D(x) = \langle w, x \rangle$ has gradient norm $\lVert w \rVert = 5$
    everywhere, so the penalty is $(5 - 1)^2$ whatever $\alpha$ is:

    >>> import torch
    >>> from ganbook.penalties import gradient_penalty
    >>> w = torch.tensor([3.0, 4.0])
    >>> gradient_penalty(lambda x: x @ w, torch.zeros(8, 2), torch.ones(8, 2))
    tensor(16.)
    """
    # --8<-- [start:gradient_penalty]
    critic = _check_critic(critic)
    real = _check_batch("real", real)
    fake = _check_batch("fake", fake)
    if real.shape != fake.shape:
        raise ValueError(
            f"real and fake must have the same shape, got {tuple(real.shape)} and "
            f"{tuple(fake.shape)}"
        )
    k = require_positive("target", target)
    one_sided = require_bool("one_sided", one_sided)
    rng = require_generator("rng", rng)
    x_hat = interpolation_points(real, fake, rng)  # x̂ = x + α(x̃ − x), one α per example
    norms = torch.linalg.vector_norm(_input_gradients(critic, x_hat), dim=1)  # ‖∇D(x̂_i)‖₂
    return penalty_of_gradient_norms(norms, target=k, one_sided=one_sided)
    # --8<-- [end:gradient_penalty]


def interpolation_points(
    real: torch.Tensor, fake: torch.Tensor, rng: torch.Generator | None
) -> torch.Tensor:
    r"""The points $\hat x_i = x_i + \alpha_i(\tilde x_i - x_i)$, $\alpha_i \sim U[0, 1)$.

    One $\alpha$ per example (the first axis), drawn from ``rng`` on the device of ``real``;
    both inputs are detached. `gradient_penalty` evaluates the critic's gradient there; the
    ensemble trainer draws each member's points with this function from that member's stream.
    """
    alpha_shape = (real.shape[0],) + (1,) * (real.dim() - 1)  # one α per example
    alpha = torch.rand(alpha_shape, generator=rng, device=real.device, dtype=real.dtype)
    return real.detach() + alpha * (fake.detach() - real.detach())  # x̂ = x + α(x̃ - x)


def penalty_of_gradient_norms(
    norms: torch.Tensor, *, target: float = 1.0, one_sided: bool = False
) -> torch.Tensor:
    r"""$\frac{1}{N}\sum_i \bigl(\lVert \nabla D(\hat x_i) \rVert_2 / K - 1\bigr)^2$, last axis.

    ``norms`` holds the per-example gradient norms along its last axis (shape ``(N,)``, or
    ``(members, N)`` for a stacked ensemble, which gives one penalty per member). With
    ``one_sided`` only norms above the target are penalised: $\max(0, \lVert\nabla D\rVert/K -
    1)^2$.
    """
    excess = norms / target - 1.0
    if one_sided:
        excess = F.relu(excess)  # max(0, ‖∇D‖/K - 1)
    return (excess**2).mean(dim=-1)


def r1_penalty(critic: Critic, real: torch.Tensor) -> torch.Tensor:
    r"""R1 penalty: the squared norm of the discriminator's gradient on real data.

    $$
    R_1 = \mathbb{E}_{x \sim p_{\text{data}}} \lVert \nabla_x D(x) \rVert_2^2
    $$

    with the squared norm taken per example over all non-batch dimensions. The regulariser in
    the paper is $\frac{\gamma}{2} R_1$; the trainer multiplies by $\gamma / 2$.

    Parameters
    ----------
    critic : callable
        Maps a batch shaped like ``real`` to logits or scores of shape ``(N,)``, ``(N, 1)`` or
        any ``(N, ...)`` (summed per example). It must treat examples independently.
    real : torch.Tensor
        Real batch, shape ``(N, ...)``, floating point, at least one element.

    Returns
    -------
    torch.Tensor
        A scalar in [0, ∞) with the dtype of ``real``, differentiable with respect to the
        critic's parameters.

    Raises
    ------
    TypeError
        If ``critic`` is not callable or ``real`` is not a floating-point tensor.
    ValueError
        If ``real`` is empty or 0-d.

    References
    ----------
    Mescheder, L., Geiger, A. and Nowozin, S. (2018). Which Training Methods for GANs do
    actually Converge? ICML. arXiv:1801.04406.

    Examples
    --------
    >>> import torch
    >>> from ganbook.penalties import r1_penalty
    >>> w = torch.tensor([3.0, 4.0])
    >>> r1_penalty(lambda x: x @ w, torch.ones(8, 2))  # ‖w‖² = 25
    tensor(25.)
    """
    # --8<-- [start:r1_penalty]
    critic = _check_critic(critic)
    real = _check_batch("real", real)
    return _mean_squared_gradient_norm(critic, real)  # E‖∇D(x)‖₂² on real data
    # --8<-- [end:r1_penalty]


def r2_penalty(critic: Critic, fake: torch.Tensor) -> torch.Tensor:
    r"""R2 penalty: the squared norm of the discriminator's gradient on generated data.

    $$
    R_2 = \mathbb{E}_{\tilde x \sim p_g} \lVert \nabla_{\tilde x} D(\tilde x) \rVert_2^2
    $$

    with the squared norm taken per example over all non-batch dimensions: `r1_penalty` on the
    generator's distribution instead of the data's. The regulariser in the paper is
    $\frac{\gamma}{2} R_2$. The generated batch is detached, so no gradient reaches the
    generator.

    Parameters
    ----------
    critic : callable
        Maps a batch shaped like ``fake`` to logits or scores of shape ``(N,)``, ``(N, 1)`` or
        any ``(N, ...)`` (summed per example). It must treat examples independently.
    fake : torch.Tensor
        Generated batch $\tilde x = G(z)$, shape ``(N, ...)``, floating point, at least one
        element.

    Returns
    -------
    torch.Tensor
        A scalar in [0, ∞) with the dtype of ``fake``, differentiable with respect to the
        critic's parameters.

    Raises
    ------
    TypeError
        If ``critic`` is not callable or ``fake`` is not a floating-point tensor.
    ValueError
        If ``fake`` is empty or 0-d.

    Notes
    -----
    Mescheder et al. (2018) define $R_1$ on $p_{\text{data}}$ and $R_2$ on $p_\theta$, the
    generator's distribution, and prove local convergence with either. The trainer has no
    switch for $R_2$ (only ``r1_gamma``); add $\frac{\gamma}{2} R_2$ to a discriminator loss
    by hand.

    References
    ----------
    Mescheder, L., Geiger, A. and Nowozin, S. (2018). Which Training Methods for GANs do
    actually Converge? ICML. arXiv:1801.04406 (the regularisers $R_1$ and $R_2$).

    Examples
    --------
    For $D(x) = \tfrac12 \lVert x \rVert^2$ the gradient is $x$ itself, so the penalty is
    $\mathbb{E}\lVert \tilde x \rVert^2$, here $(25 + 1) / 2$:

    >>> import torch
    >>> from ganbook.penalties import r2_penalty
    >>> fake = torch.tensor([[3.0, 4.0], [0.0, 1.0]])
    >>> r2_penalty(lambda x: 0.5 * x.pow(2).sum(dim=1), fake).item()
    13.0
    """
    # --8<-- [start:r2_penalty]
    critic = _check_critic(critic)
    fake = _check_batch("fake", fake)
    return _mean_squared_gradient_norm(critic, fake)  # E‖∇D(x̃)‖₂² on generated data
    # --8<-- [end:r2_penalty]


def clip_weights_(module: torch.nn.Module, c: float) -> torch.nn.Module:
    r"""Clamp every parameter of ``module`` in place to $[-c, c]$ (the WGAN critic constraint).

    $$
    w \leftarrow \operatorname{clip}(w, -c, c) \quad \text{for every parameter } w
    $$

    Parameters
    ----------
    module : torch.nn.Module
        The critic; all its parameters (weights and biases) are clamped.
    c : float
        The clipping bound, $c > 0$ (0.01 in the paper).

    Returns
    -------
    torch.nn.Module
        ``module`` itself, so that the call can be chained.

    Raises
    ------
    TypeError
        If ``module`` is not a ``torch.nn.Module`` or ``c`` is not a real number.
    ValueError
        If ``c`` is not a finite positive number.

    References
    ----------
    Arjovsky, M., Chintala, S. and Bottou, L. (2017). Wasserstein Generative Adversarial
    Networks. ICML. arXiv:1701.07875 (Algorithm 1, the clipping step).

    Examples
    --------
    >>> import torch
    >>> from ganbook.penalties import clip_weights_
    >>> layer = torch.nn.Linear(2, 1)
    >>> with torch.no_grad():
    ...     _ = layer.weight.copy_(torch.tensor([[0.5, -0.003]]))
    >>> clip_weights_(layer, 0.01).weight
    Parameter containing:
    tensor([[ 0.0100, -0.0030]], requires_grad=True)
    """
    # --8<-- [start:clip_weights_]
    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"module must be a torch.nn.Module, got {type(module).__name__}")
    c = require_positive("c", c)
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.clamp_(-c, c)  # w ← clip(w, -c, c)
    return module
    # --8<-- [end:clip_weights_]
