r"""Divergences and distances between discrete distributions: the quantities GAN losses estimate.

`kl_divergence`, `js_divergence` and `total_variation` compare probability vectors on a common
grid; `earth_movers_distance` and `earth_movers_dual` solve the optimal transport problem between
probability vectors on any two supports; `wasserstein_1d` is its closed form on the real line.
Pure numpy/scipy: no torch, no sampling, usable by every layer of the package.
"""

from ganbook.divergences.discrete import js_divergence, kl_divergence, total_variation
from ganbook.divergences.transport import (
    DualResult,
    TransportResult,
    earth_movers_distance,
    earth_movers_dual,
    wasserstein_1d,
)

__all__ = [
    "DualResult",
    "TransportResult",
    "earth_movers_distance",
    "earth_movers_dual",
    "js_divergence",
    "kl_divergence",
    "total_variation",
    "wasserstein_1d",
]
