r"""Exact GAN theory on small problems: the optimal discriminators and the Dirac-GAN dynamics.

`optimal_discriminator` and `minimax_value` compute Goodfellow et al.'s $D^*$ and the value of the
game on a grid; `gaussian_optimal_discriminator_logit` and `gaussian_optimal_logistic_parameters`
are $D^*$'s closed form for two Gaussians of equal variance, and `gaussian_value_at_optimum` is
$V(D^*, G)$ for two Gaussians by quadrature. `least_squares_optimal_discriminator` is the
optimum of Mao et al.'s least-squares discriminator, $(b\,p + a\,q)/(p + q)$.
`nonsaturating_divergence` is $\mathrm{KL}(p_g \,\|\, p_\text{data}) - 2\,\mathrm{JS}$, whose
gradient the non-saturating generator loss follows at a fixed $D^*$ (Arjovsky and Bottou, 2017).
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
from ganbook.theory.least_squares import least_squares_optimal_discriminator
from ganbook.theory.optimal import (
    gaussian_optimal_discriminator_logit,
    gaussian_optimal_logistic_parameters,
    minimax_value,
    nonsaturating_divergence,
    optimal_discriminator,
)
from ganbook.theory.value import gaussian_value_at_optimum

__all__ = [
    "DIRAC_GAMES",
    "DiracGame",
    "dirac_jacobian",
    "dirac_vector_field",
    "gaussian_optimal_discriminator_logit",
    "gaussian_optimal_logistic_parameters",
    "gaussian_value_at_optimum",
    "least_squares_optimal_discriminator",
    "minimax_value",
    "nonsaturating_divergence",
    "optimal_discriminator",
    "simulate_dirac",
]
