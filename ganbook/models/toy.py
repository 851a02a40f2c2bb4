r"""The one-parameter models of the 1-D shift toy: a shift generator and a logistic discriminator.

With real data N(μ, σ²) and latent z ~ N(0, σ²), the generator's distribution is N(θ, σ²) and the
optimal discriminator is exactly logistic in x, so both players fit these two tiny modules. They
hold parameters and compute; they do not sample latents or train.
"""

from __future__ import annotations

import torch
from torch import nn

from ganbook._checks import require_finite_number

__all__ = ["LogisticDiscriminator", "ShiftGenerator"]


def _scalar_parameter(name: str, value: float) -> nn.Parameter:
    r"""A 0-d float32 ``Parameter`` holding ``value``, checked to be a finite number."""
    return nn.Parameter(torch.tensor(require_finite_number(name, value), dtype=torch.float32))


class ShiftGenerator(nn.Module):
    r"""Generator that shifts its latent by one learnable scalar.

    $$
    x = z + \theta
    $$

    Parameters
    ----------
    theta : float
        Initial shift $\theta$, any finite number. Stored as a 0-d float32 ``Parameter``.

    Attributes
    ----------
    theta : torch.nn.Parameter
        The shift, shape ().
    latent_dim : int
        Always 1: the latent has shape (N, 1).

    References
    ----------
    Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, section 3 (the generator
    $G(z; \theta_g)$ as a map from latent noise to data).

    Examples
    --------
    >>> import torch
    >>> g = ShiftGenerator(theta=2.0)
    >>> g(torch.zeros(3, 1)).shape
    torch.Size([3, 1])
    >>> g(torch.zeros(2, 1)).squeeze(1).tolist()
    [2.0, 2.0]
    """

    latent_dim: int = 1

    def __init__(self, theta: float = 0.0) -> None:
        super().__init__()
        self.theta = _scalar_parameter("theta", theta)  # ()

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        r"""Shift ``z`` of shape (N, 1) by θ, giving shape (N, 1)."""
        # --8<-- [start:shift_generator_forward]
        return z + self.theta  # x = z + θ: (N, 1) -> (N, 1)
        # --8<-- [end:shift_generator_forward]

    def extra_repr(self) -> str:
        """The parameter in the module's printed form."""
        return f"theta={self.theta.item():.4g}"


class LogisticDiscriminator(nn.Module):
    r"""Discriminator whose logit is affine in its 1-D input; the losses apply the sigmoid.

    $$
    \ell(x) = \varphi_0 + \varphi_1 x, \qquad D(x) = \sigma(\ell(x))
    $$

    Parameters
    ----------
    phi0 : float
        Initial intercept $\varphi_0$, any finite number.
    phi1 : float
        Initial slope $\varphi_1$, any finite number.

    Attributes
    ----------
    phi0, phi1 : torch.nn.Parameter
        0-d float32 parameters.

    Notes
    -----
    For real data N(μ, σ²) and generator N(θ, σ²) the optimal discriminator has this form, with
    $\varphi_1 = (\mu - \theta)/\sigma^2$ and $\varphi_0 = (\theta^2 - \mu^2)/(2\sigma^2)$.

    References
    ----------
    Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Proposition 1 (the optimal
    discriminator).

    Examples
    --------
    >>> import torch
    >>> d = LogisticDiscriminator(phi0=1.0, phi1=2.0)
    >>> d(torch.tensor([[0.0], [1.0]])).squeeze(1).tolist()
    [1.0, 3.0]
    """

    def __init__(self, phi0: float = 0.0, phi1: float = 0.0) -> None:
        super().__init__()
        self.phi0 = _scalar_parameter("phi0", phi0)  # ()
        self.phi1 = _scalar_parameter("phi1", phi1)  # ()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        r"""Return the logit φ₀ + φ₁x, shape (N, 1) for ``x`` of shape (N, 1)."""
        return self.phi0 + self.phi1 * x  # logit: (N, 1) -> (N, 1)

    def extra_repr(self) -> str:
        """The parameters in the module's printed form."""
        return f"phi0={self.phi0.item():.4g}, phi1={self.phi1.item():.4g}"
