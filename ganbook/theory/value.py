r"""The value of the minimax game at the optimal discriminator, for two Gaussians, by quadrature.

`gaussian_value_at_optimum` integrates $V(D^*, G)$ for data $N(\mu, \sigma^2)$ and a generator
$N(\theta, s^2)$ with an adaptive quadrature rule, from the log-densities alone. It shares no
code with the grid routes (`minimax_value`, `optimal_discriminator`, the divergences), so the
chapters use it as an independent check of $V(D^*, G) = -\log 4 + 2\,\mathrm{JS}$.
"""

from __future__ import annotations

import numpy as np
from scipy import integrate
from scipy.special import log_expit

from ganbook._checks import require_finite_number, require_positive

__all__ = ["gaussian_value_at_optimum"]


def _log_normal(x: np.ndarray, mean: float, std: float) -> np.ndarray:
    r"""$\log N(x; \text{mean}, \text{std}^2)$."""
    return -0.5 * ((x - mean) / std) ** 2 - np.log(std) - 0.5 * np.log(2.0 * np.pi)


def gaussian_value_at_optimum(
    mu: float, theta: float, sigma: float = 1.0, model_sigma: float | None = None
) -> float:
    r"""$V(D^*, G)$ for data $N(\mu, \sigma^2)$ and a generator $N(\theta, s^2)$, by quadrature.

    $$
    V(D^*, G) = \int p(x) \log \sigma\bigl(r(x)\bigr) + q(x) \log \sigma\bigl(-r(x)\bigr)\,dx,
    \qquad r = \log p - \log q
    $$

    since $D^* = p/(p + q) = \sigma(r)$ and $1 - D^* = \sigma(-r)$, with $\sigma$ the logistic
    sigmoid.

    Parameters
    ----------
    mu : float
        Mean of the data distribution.
    theta : float
        Mean of the generator's distribution (the shift generator $x = z + \theta$).
    sigma : float, default 1.0
        Standard deviation of the data, $> 0$.
    model_sigma : float, optional
        Standard deviation $s > 0$ of the generator; ``sigma`` when not given.

    Returns
    -------
    float
        The value, in $[-\log 4, 0)$: $-\log 4$ when the two coincide, towards 0 as they part.

    Notes
    -----
    Both log-sigmoids are evaluated stably (``scipy.special.log_expit``), so the integrand stays
    finite where one density underflows. The integral runs over the means $\pm 14$ of the larger
    standard deviation, with the two means as break points of the adaptive rule (QUADPACK's
    ``qagp``, up to 400 subintervals).

    References
    ----------
    Goodfellow, I. et al. (2014). Generative adversarial nets. *NeurIPS 27*, Theorem 1.

    Examples
    --------
    >>> round(gaussian_value_at_optimum(0.0, 0.0), 6)  # -log 4
    -1.386294
    >>> round(gaussian_value_at_optimum(0.0, 40.0), 6)
    0.0
    """
    mu, theta = require_finite_number("mu", mu), require_finite_number("theta", theta)
    sigma = require_positive("sigma", sigma)
    s = sigma if model_sigma is None else require_positive("model_sigma", model_sigma)

    def integrand(x):
        log_p, log_q = _log_normal(x, mu, sigma), _log_normal(x, theta, s)
        r = log_p - log_q
        return np.exp(log_p) * log_expit(r) + np.exp(log_q) * log_expit(-r)

    reach = 14.0 * max(sigma, s)
    low, high = min(mu, theta) - reach, max(mu, theta) + reach
    value, _ = integrate.quad(integrand, low, high, limit=400, points=sorted({mu, theta}))
    return float(value)
