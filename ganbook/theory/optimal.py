r"""The optimal discriminator of the minimax GAN and the value of the game it plays.

Goodfellow et al. (2014) show that for a fixed generator the best discriminator is
$D^* = p_\text{data} / (p_\text{data} + p_g)$, and that the game's value at $D^*$ is
$-\log 4 + 2\,\mathrm{JS}(p_\text{data}, p_g)$. This module computes both on a grid (probability
vectors or densities), plus the closed-form logit of $D^*$ for two Gaussians of equal variance. It
does not train anything: the discriminators here are exact.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import xlogy

from ganbook._checks import require_finite_number, require_positive
from ganbook.divergences._validation import (
    as_float_array,
    as_non_negative_array,
    require_same_shape,
)
from ganbook.divergences.discrete import js_divergence, kl_divergence


def optimal_discriminator(p_data: Any, p_model: Any) -> np.ndarray:
    r"""The discriminator that maximises the minimax GAN value for a fixed generator.

    $$
    D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}
    $$

    Parameters
    ----------
    p_data : array_like, any shape
        Density or probability vector of the data at each grid point, finite, $\ge 0$.
    p_model : array_like, same shape as ``p_data``
        Density or probability vector of the generator at the same points, finite, $\ge 0$.

    Returns
    -------
    numpy.ndarray, same shape, values in [0, 1]
        $D^*$ at each point; $\tfrac12$ where both densities vanish.

    Notes
    -----
    Pointwise, $a \log y + b \log(1 - y)$ is maximised on $[0, 1]$ by $y = a / (a + b)$
    (Goodfellow et al., 2014, Proposition 1). Where $a = b = 0$ every $y$ is optimal; we return
    $\tfrac12$, the value of a discriminator that cannot tell the two apart. Since $D^*$ depends
    on the ratio only, densities and probability vectors on the same grid give the same result.

    References
    ----------
    Goodfellow, I. et al. (2014). Generative adversarial nets. *NeurIPS 27*, Proposition 1.

    Examples
    --------
    >>> optimal_discriminator([0.2, 0.5, 0.0, 0.0], [0.6, 0.5, 0.3, 0.0])
    array([0.25, 0.5 , 0.  , 0.5 ])
    """
    # --8<-- [start:optimal_discriminator]
    p_data = as_non_negative_array("p_data", p_data)
    p_model = as_non_negative_array("p_model", p_model)
    require_same_shape(("p_data", "p_model"), p_data, p_model)
    total = p_data + p_model
    # p_data / (p_data + p_model), and 1/2 where the denominator is 0
    return np.divide(p_data, total, out=np.full_like(total, 0.5), where=total > 0)
    # --8<-- [end:optimal_discriminator]


def minimax_value(p_data: Any, p_model: Any, d: Any) -> float:
    r"""Value of the minimax GAN game for a discriminator ``d`` on a discrete grid.

    $$
    V(D, G) = \sum_x p_\text{data}(x) \log D(x) + \sum_x p_g(x) \log\bigl(1 - D(x)\bigr)
    $$

    Parameters
    ----------
    p_data : array_like, any shape
        Probability vector of the data (non-negative; sums to 1 for $V$ to be an expectation).
    p_model : array_like, same shape as ``p_data``
        Probability vector of the generator on the same grid, non-negative.
    d : array_like, same shape as ``p_data``
        Discriminator output (a probability, not a logit) at each point, in $[0, 1]$.

    Returns
    -------
    float
        The value in $[-\infty, 0]$; $-\infty$ when $D = 0$ where $p_\text{data} > 0$, or $D = 1$
        where $p_g > 0$.

    Notes
    -----
    Terms with zero mass are 0 ($0 \log 0 = 0$), so a discriminator may be 0 or 1 where the
    distribution that would be penalised has no mass. At $D = D^*$ the value is
    $-\log 4 + 2\,\mathrm{JS}(p_\text{data}, p_g)$ (Goodfellow et al., 2014, Theorem 1), which
    the tests check on random pairs.

    References
    ----------
    Goodfellow, I. et al. (2014). Generative adversarial nets. *NeurIPS 27*, equation 1 and
    Theorem 1.

    Examples
    --------
    When the generator matches the data the best the discriminator can do is $-\log 4$:

    >>> p = [0.25, 0.75]
    >>> round(minimax_value(p, p, optimal_discriminator(p, p)), 4)
    -1.3863
    """
    p_data = as_non_negative_array("p_data", p_data)
    p_model = as_non_negative_array("p_model", p_model)
    d = as_float_array("d", d)
    require_same_shape(("p_data", "p_model", "d"), p_data, p_model, d)
    if np.any((d < 0) | (d > 1)):
        raise ValueError(f"d must lie in [0, 1], got range [{d.min():g}, {d.max():g}]")
    # sum p_data log D + sum p_model log(1 - D); xlogy(0, 0) = 0 and xlogy(a > 0, 0) = -inf
    return float(np.sum(xlogy(p_data, d)) + np.sum(xlogy(p_model, 1.0 - d)))


def gaussian_optimal_discriminator_logit(
    x: Any, mu: float, theta: float, sigma: float = 1.0
) -> np.ndarray:
    r"""Closed-form logit of the optimal discriminator between two Gaussians of equal variance.

    $$
    \operatorname{logit} D^*(x) = \log \frac{p_\text{data}(x)}{p_g(x)}
    = \frac{(\mu - \theta)\, x + (\theta^2 - \mu^2)/2}{\sigma^2}
    $$

    for data $\mathcal N(\mu, \sigma^2)$ and generator $\mathcal N(\theta, \sigma^2)$.

    Parameters
    ----------
    x : array_like, any shape
        Points at which to evaluate the logit, finite.
    mu : float
        Mean of the data distribution.
    theta : float
        Mean of the generator distribution (the shift generator $x = z + \theta$).
    sigma : float, default 1.0
        Common standard deviation, $> 0$.

    Returns
    -------
    numpy.ndarray, same shape as ``x``
        $\log D^*(x) - \log(1 - D^*(x))$; $D^*$ is its logistic sigmoid.

    Notes
    -----
    With equal variances the log density ratio is affine in $x$, so $D^*$ is exactly a logistic
    regression: the logistic discriminator of the 1-D toy can represent it. The logit is 0 at the
    midpoint $(\mu + \theta)/2$ and identically 0 when $\theta = \mu$.

    References
    ----------
    Goodfellow, I. et al. (2014). Generative adversarial nets. *NeurIPS 27*, Proposition 1.

    Examples
    --------
    >>> gaussian_optimal_discriminator_logit([0.0, 0.5, 1.0], mu=0.0, theta=1.0)
    array([ 0.5,  0. , -0.5])
    """
    x = as_float_array("x", x)
    mu = require_finite_number("mu", mu)
    theta = require_finite_number("theta", theta)
    sigma = require_positive("sigma", sigma)
    # ((mu - theta) x + (theta^2 - mu^2) / 2) / sigma^2
    return ((mu - theta) * x + (theta**2 - mu**2) / 2.0) / sigma**2


def gaussian_optimal_logistic_parameters(
    mu: float, theta: float, sigma: float = 1.0
) -> tuple[float, float]:
    r"""$(\phi_0^*, \phi_1^*)$ with $D^*(x) = \sigma(\phi_0^* + \phi_1^* x)$ for two Gaussians.

    $$
    \phi_0^* = \frac{\theta^2 - \mu^2}{2\sigma^2}, \qquad \phi_1^* = \frac{\mu - \theta}{\sigma^2}
    $$

    for data $\mathcal N(\mu, \sigma^2)$ and generator $\mathcal N(\theta, \sigma^2)$: the
    optimal discriminator is exactly a `LogisticDiscriminator` with these parameters.

    Parameters
    ----------
    mu, theta : float
        Means of the data and of the generator.
    sigma : float, default 1.0
        Common standard deviation, $> 0$.

    Returns
    -------
    (float, float)
        The intercept and the slope of the logit of $D^*$.

    Notes
    -----
    Both are read off `gaussian_optimal_discriminator_logit`: $\phi_0^*$ is the logit at
    $x = 0$ and $\phi_1^*$ the logit at $x = 1$ minus that at $x = 0$ (exact for an affine
    function, up to rounding).

    Examples
    --------
    >>> gaussian_optimal_logistic_parameters(mu=0.0, theta=1.0)
    (0.5, -1.0)
    """
    at_zero, at_one = gaussian_optimal_discriminator_logit(np.array([0.0, 1.0]), mu, theta, sigma)
    return float(at_zero), float(at_one - at_zero)


def nonsaturating_divergence(p_data: Any, p_model: Any) -> float:
    r"""The divergence whose gradient the non-saturating generator loss follows at a fixed $D^*$.

    $$
    \mathrm{KL}(p_g \,\|\, p_\text{data}) - 2\,\mathrm{JS}(p_\text{data}, p_g)
    $$

    With $D^* = p_\text{data} / (p_\text{data} + p_{g_0})$ computed for the current generator
    $p_{g_0}$ and then held fixed, the gradient of $-\mathbb{E}_{x \sim p_g} \log D^*(x)$ with
    respect to the generator's parameters, at $p_g = p_{g_0}$, equals the gradient of this
    divergence (Arjovsky and Bottou, 2017, Theorem 2.5).

    Parameters
    ----------
    p_data, p_model : array_like, shape (n,)
        Probability vectors on the same grid (non-negative, summing to 1), as for
        `ganbook.divergences.kl_divergence`.

    Returns
    -------
    float
        $\mathrm{KL}(p_\text{model} \,\|\, p_\text{data}) - 2\,\mathrm{JS}$, in nats; ``inf``
        where $p_\text{data} = 0 < p_\text{model}$; 0 when the two are equal.

    Notes
    -----
    The gradient identity holds only at $p_g = p_{g_0}$, because $D^*$ is the optimum for
    $p_{g_0}$; the value of this function away from $p_{g_0}$ is not what the generator's loss
    measures there. The same steps show that the saturating loss $\mathbb{E} \log(1 - D^*(x))$
    follows the gradient of $2\,\mathrm{JS}(p_\text{data}, p_g)$.

    References
    ----------
    Arjovsky, M. and Bottou, L. (2017). Towards principled methods for training generative
    adversarial networks. *ICLR 2017*, Theorem 2.5.

    Examples
    --------
    >>> p = [0.25, 0.75]
    >>> nonsaturating_divergence(p, p)
    0.0
    >>> round(nonsaturating_divergence([0.5, 0.5], [0.9, 0.1]), 4)
    0.1646
    """
    return float(kl_divergence(p_model, p_data) - 2.0 * js_divergence(p_data, p_model))
