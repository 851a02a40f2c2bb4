r"""f-divergences between discrete distributions: Kullback-Leibler, Jensen-Shannon, total variation.

A discrete distribution is a probability vector $p \in \Delta^{n-1}$: non-negative entries that sum
to 1. A density sampled on a uniform grid becomes one when multiplied by the grid spacing. This
module holds the three divergences the book compares with the Wasserstein distance; it does not
estimate divergences from samples.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import rel_entr

from ganbook.divergences._validation import as_probability_pair


def kl_divergence(p: Any, q: Any) -> float:
    r"""Kullback-Leibler divergence of ``p`` from ``q``, in nats.

    $$
    \mathrm{KL}(p \,\|\, q) = \sum_i p_i \log \frac{p_i}{q_i}
    $$

    Parameters
    ----------
    p, q : array_like, shape (n,)
        Probability vectors: non-negative, summing to 1 within 1e-9.

    Returns
    -------
    float
        The divergence in $[0, \infty]$; ``inf`` when some $q_i = 0 < p_i$.

    Notes
    -----
    Terms with $p_i = 0$ are 0 (the convention $0 \log 0 = 0$), whatever $q_i$ is. The divergence
    is not symmetric. For densities on a fine grid it approximates the integral
    $\int p \log(p/q)\,dx$.

    References
    ----------
    Kullback, S. and Leibler, R. A. (1951). On information and sufficiency. *The Annals of
    Mathematical Statistics* 22(1), 79-86.

    Examples
    --------
    >>> round(kl_divergence([0.5, 0.5], [0.9, 0.1]), 4)
    0.5108
    >>> kl_divergence([0.5, 0.5], [1.0, 0.0])
    inf
    """
    p, q = as_probability_pair(p, q)
    # sum_i p_i log(p_i / q_i), with 0 log(0 / q) = 0 and p log(p / 0) = inf
    return float(np.sum(rel_entr(p, q)))


def js_divergence(p: Any, q: Any) -> float:
    r"""Jensen-Shannon divergence between ``p`` and ``q``, in nats.

    $$
    \mathrm{JS}(p, q) = \tfrac12 \mathrm{KL}(p \,\|\, m) + \tfrac12 \mathrm{KL}(q \,\|\, m),
    \qquad m = \tfrac12 (p + q)
    $$

    Parameters
    ----------
    p, q : array_like, shape (n,)
        Probability vectors on the same grid, as for `kl_divergence`.

    Returns
    -------
    float
        The divergence in $[0, \log 2]$: 0 exactly when $p = q$, $\log 2$ exactly when the
        supports of $p$ and $q$ are disjoint.

    Notes
    -----
    The divergence is symmetric and always finite, because $m_i \ge p_i / 2$. It is the
    divergence the original GAN minimises when the discriminator is optimal:
    $V(D^*, G) = -\log 4 + 2\,\mathrm{JS}(p_\text{data}, p_g)$ (Goodfellow et al., 2014,
    Theorem 1; see `ganbook.theory.minimax_value`). Its saturation at $\log 2$ on disjoint
    supports is the argument of Arjovsky et al. (2017) for the Wasserstein distance.

    References
    ----------
    Lin, J. (1991). Divergence measures based on the Shannon entropy. *IEEE Transactions on
    Information Theory* 37(1), 145-151.

    Goodfellow, I. et al. (2014). Generative adversarial nets. *NeurIPS 27*.

    Arjovsky, M., Chintala, S. and Bottou, L. (2017). Wasserstein generative adversarial
    networks. *ICML 2017*.

    Examples
    --------
    >>> round(js_divergence([1.0, 0.0], [0.0, 1.0]), 4)  # log 2
    0.6931
    >>> round(js_divergence([0.5, 0.5], [0.9, 0.1]), 4)
    0.1017
    """
    p, q = as_probability_pair(p, q)
    total = p + q  # = 2m, without halving: a subnormal p_i / 2 would round to 0
    # p_i log(p_i / m_i) = p_i log(p_i / total_i) + p_i log 2, term by term so that equal entries
    # cancel exactly; rounding can still leave -1e-17 overall, and JS >= 0
    terms = rel_entr(p, total) + rel_entr(q, total) + np.log(2.0) * (p + q)
    return max(0.0, float(0.5 * np.sum(terms)))


def total_variation(p: Any, q: Any) -> float:
    r"""Total variation distance between ``p`` and ``q``.

    $$
    \delta(p, q) = \tfrac12 \sum_i |p_i - q_i| = \max_{A} |p(A) - q(A)|
    $$

    Parameters
    ----------
    p, q : array_like, shape (n,)
        Probability vectors on one grid (non-negative, summing to 1 within 1e-9), in any order.

    Returns
    -------
    float
        The distance in $[0, 1]$: 0 exactly when $p = q$, 1 exactly on disjoint supports.

    Notes
    -----
    A metric, and like the Jensen-Shannon divergence blind to how far apart disjoint supports
    are. Pinsker's inequality bounds it by the KL divergence:
    $\delta(p, q) \le \sqrt{\mathrm{KL}(p \,\|\, q) / 2}$.

    References
    ----------
    Arjovsky, M., Chintala, S. and Bottou, L. (2017). Wasserstein generative adversarial
    networks. *ICML 2017*, section 2.

    Examples
    --------
    >>> total_variation([0.5, 0.5, 0.0], [0.0, 0.5, 0.5])
    0.5
    """
    p, q = as_probability_pair(p, q)
    # 1/2 sum_i |p_i - q_i|
    return float(0.5 * np.sum(np.abs(p - q)))
