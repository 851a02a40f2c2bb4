r"""Exact GAN theory on small problems: the optimal discriminator and the Dirac-GAN dynamics.

`optimal_discriminator` and `minimax_value` compute Goodfellow et al.'s $D^*$ and the value of the
game on a grid; `gaussian_optimal_discriminator_logit` is $D^*$'s closed form for two Gaussians.
`dirac_vector_field`, `dirac_jacobian` and `simulate_dirac` describe the training dynamics of the
Dirac-GAN of Mescheder et al. (2018). Pure numpy/scipy, usable by every layer of the package.
"""

from ganbook.theory.dirac import (
    DIRAC_GAMES,
    DiracGame,
    dirac_jacobian,
    dirac_vector_field,
    simulate_dirac,
)
from ganbook.theory.optimal import (
    gaussian_optimal_discriminator_logit,
    minimax_value,
    optimal_discriminator,
)

__all__ = [
    "DIRAC_GAMES",
    "DiracGame",
    "dirac_jacobian",
    "dirac_vector_field",
    "gaussian_optimal_discriminator_logit",
    "minimax_value",
    "optimal_discriminator",
    "simulate_dirac",
]
