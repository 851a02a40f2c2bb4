r"""The optimal discriminator of the least-squares GAN (Mao et al., 2017).

The discriminator of LSGAN regresses its raw output onto $b$ on real data and onto $a$ on
generated data. For a fixed generator the regression has a pointwise optimum, the weighted mean
of the two targets by the two densities. Pure numpy, like the rest of `ganbook.theory`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ganbook._checks import require_finite_number
from ganbook.divergences._validation import as_non_negative_array, require_same_shape

__all__ = ["least_squares_optimal_discriminator"]


def least_squares_optimal_discriminator(
    p_data: Any, p_model: Any, a: float = 0.0, b: float = 1.0
) -> np.ndarray:
    r"""The discriminator that minimises the least-squares GAN loss for a fixed generator.

    $$
    D^*(x) = \frac{b\,p_\text{data}(x) + a\,p_g(x)}{p_\text{data}(x) + p_g(x)}
    $$

    Parameters
    ----------
    p_data : array_like, any shape
        Density or probability vector of the data at each grid point, finite, $\ge 0$.
    p_model : array_like, same shape as ``p_data``
        Density or probability vector of the generator at the same points, finite, $\ge 0$.
    a : float, default 0.0
        The target of the discriminator on generated data (the "fake" label).
    b : float, default 1.0
        The target on real data (the "real" label).

    Returns
    -------
    numpy.ndarray, same shape
        $D^*$ at each point, between $a$ and $b$; $(a + b)/2$ where both densities vanish.

    Notes
    -----
    Pointwise, $\tfrac12 p (y - b)^2 + \tfrac12 q (y - a)^2$ is a parabola in $y$ whose vertex is
    $y = (b p + a q)/(p + q)$ (Mao et al., 2017, Proposition 1). Where $p = q = 0$ every $y$ is
    optimal; we return $(a + b)/2$, the output of a discriminator that cannot tell the two
    apart, as `ganbook.theory.optimal_discriminator` returns $\tfrac12$. With the 0-1 coding
    ($a = 0$, $b = 1$) the two coincide: $D^* = p_\text{data} / (p_\text{data} + p_g)$.

    References
    ----------
    Mao, X. et al. (2017). Least squares generative adversarial networks. *ICCV*, Proposition 1.

    Examples
    --------
    >>> least_squares_optimal_discriminator([0.2, 0.5, 0.0, 0.0], [0.6, 0.5, 0.3, 0.0], a=-1.0)
    array([-0.5,  0. , -1. ,  0. ])
    """
    p_data = as_non_negative_array("p_data", p_data)
    p_model = as_non_negative_array("p_model", p_model)
    require_same_shape(("p_data", "p_model"), p_data, p_model)
    a, b = require_finite_number("a", a), require_finite_number("b", b)
    total = p_data + p_model
    # (b p + a q) / (p + q), and (a + b) / 2 where the denominator is 0
    undecided = np.full_like(total, (a + b) / 2.0)
    return np.divide(b * p_data + a * p_model, total, out=undecided, where=total > 0)
