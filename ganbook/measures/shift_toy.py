r"""The shift toy that several chapters share: data $N(\mu, \sigma^2)$, generator $x = z + \theta$.

- `SHIFT_TOY`: the data, $N(0, 1)$.
- `SHIFT_TOY_THETAS`, `SHIFT_TOY_THETAS_TEST`, `theta_grid`: the $\theta$ grid over which the
  generator's gradient is shown (the shift-toy chapter computes it by autograd, the saturation
  and least-squares chapters predict it), so that every chapter evaluates the same points.
- `nearest_index`: the entry of a grid closest to a value (say, $\theta = \mu - 8\sigma$).
- `optimal_logistic_discriminator`: the optimal discriminator as a `LogisticDiscriminator`,
  for autograd through it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ganbook.models import LogisticDiscriminator
from ganbook.theory import gaussian_optimal_logistic_parameters

__all__ = [
    "SHIFT_TOY",
    "SHIFT_TOY_THETAS",
    "SHIFT_TOY_THETAS_TEST",
    "nearest_index",
    "optimal_logistic_discriminator",
    "theta_grid",
]

SHIFT_TOY = {"mu": 0.0, "sigma": 1.0}
r"""The data of the shift toy, $N(\mu, \sigma^2)$ with $\mu = 0$ and $\sigma = 1$."""
SHIFT_TOY_THETAS = {"theta_span": 10.0, "thetas": 401}
r"""The generator's gradient is shown at 401 values of $\theta$ in $\mu \pm 10$."""
SHIFT_TOY_THETAS_TEST = {"thetas": 81}
r"""`SHIFT_TOY_THETAS` on the test profile."""


def theta_grid(params: Mapping[str, Any]) -> np.ndarray:
    r"""``params["thetas"]`` evenly spaced values of $\theta$ in $\mu \pm$ ``params["theta_span"]``.

    Examples
    --------
    >>> theta_grid({"mu": 1.0, "theta_span": 2.0, "thetas": 3}).tolist()
    [-1.0, 1.0, 3.0]
    """
    mu, span = params["mu"], params["theta_span"]
    return np.linspace(mu - span, mu + span, params["thetas"])


def nearest_index(values: np.ndarray, target: float) -> int:
    r"""Index of the entry of ``values`` closest to ``target`` (the first one on a tie)."""
    return int(np.argmin(np.abs(values - target)))


def optimal_logistic_discriminator(mu: float, theta: float, sigma: float) -> LogisticDiscriminator:
    r"""The optimal discriminator of the shift toy as a float64 :class:`LogisticDiscriminator`.

    $D^*$ is exactly logistic here (`gaussian_optimal_logistic_parameters`); its parameters do
    not require a gradient, so autograd through it differentiates the input only.
    """
    phi0, phi1 = gaussian_optimal_logistic_parameters(mu, theta, sigma)
    model = LogisticDiscriminator(phi0=phi0, phi1=phi1).double()
    return model.requires_grad_(False)
