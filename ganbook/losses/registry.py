r"""The one registry of GAN losses, by short name, that the trainer and the docs both read.

Each entry is a `LossPair`: a discriminator loss, a generator loss, the paper they come from and
how the trainer must keep the discriminator in check (weight clipping or a gradient penalty).
The registry only names losses; it holds no hyperparameters, which belong to the trainer.

Examples
--------
>>> from ganbook.losses import get_loss, loss_names
>>> loss_names()
('minimax', 'non-saturating', 'least-squares', 'wasserstein', 'wgan-gp', 'hinge')
>>> get_loss("non-saturating").generator_loss.__name__
'nonsaturating_generator_loss'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ganbook._checks import require_choice
from ganbook.losses.hinge import hinge_discriminator_loss, hinge_generator_loss
from ganbook.losses.least_squares import (
    least_squares_discriminator_loss,
    least_squares_generator_loss,
)
from ganbook.losses.minimax import (
    minimax_discriminator_loss,
    minimax_generator_loss,
    nonsaturating_generator_loss,
)
from ganbook.losses.wasserstein import wasserstein_discriminator_loss, wasserstein_generator_loss

OUTPUT_KINDS = ("logit", "score")
r"""What a discriminator output means: a logit of P(real), or an unbounded critic score."""


@dataclass(frozen=True)
class LossPair:
    r"""A discriminator loss and the generator loss it is trained against, with their provenance.

    Parameters
    ----------
    name : str
        The short name under which the pair is registered, for example ``"wgan-gp"``.
    discriminator_loss : callable
        ``discriminator_loss(d_real, d_fake, *, reduction="mean")`` from `ganbook.losses`.
    generator_loss : callable
        ``generator_loss(d_fake, *, reduction="mean")`` from `ganbook.losses`.
    paper : str
        The paper the pair comes from: authors, year, title and arXiv identifier.
    uses_gradient_penalty : bool
        Whether the trainer adds `ganbook.penalties.gradient_penalty` to the discriminator loss.
    uses_weight_clipping : bool, default False
        Whether the trainer clips the discriminator's weights after each step
        (`ganbook.penalties.clip_weights_`).
    output : {"logit", "score"}, default "logit"
        ``"logit"`` if $\sigma$ of the discriminator output is a probability of "real",
        ``"score"`` if the output is an unbounded critic score.
    """

    name: str
    discriminator_loss: Callable[..., Any]
    generator_loss: Callable[..., Any]
    paper: str
    uses_gradient_penalty: bool
    uses_weight_clipping: bool = False
    output: str = "logit"

    def __post_init__(self) -> None:
        require_choice("output", self.output, OUTPUT_KINDS)


_GOODFELLOW = "Goodfellow et al. (2014), Generative Adversarial Nets, arXiv:1406.2661"

_PAIRS = (
    LossPair(
        "minimax",
        minimax_discriminator_loss,
        minimax_generator_loss,
        _GOODFELLOW,
        uses_gradient_penalty=False,
    ),
    LossPair(
        "non-saturating",
        minimax_discriminator_loss,
        nonsaturating_generator_loss,
        _GOODFELLOW,
        uses_gradient_penalty=False,
    ),
    LossPair(
        "least-squares",
        least_squares_discriminator_loss,
        least_squares_generator_loss,
        "Mao et al. (2017), Least Squares Generative Adversarial Networks, arXiv:1611.04076",
        uses_gradient_penalty=False,
        output="score",
    ),
    LossPair(
        "wasserstein",
        wasserstein_discriminator_loss,
        wasserstein_generator_loss,
        "Arjovsky, Chintala and Bottou (2017), Wasserstein GAN, arXiv:1701.07875",
        uses_gradient_penalty=False,
        uses_weight_clipping=True,
        output="score",
    ),
    LossPair(
        "wgan-gp",
        wasserstein_discriminator_loss,
        wasserstein_generator_loss,
        "Gulrajani et al. (2017), Improved Training of Wasserstein GANs, arXiv:1704.00028",
        uses_gradient_penalty=True,
        output="score",
    ),
    LossPair(
        "hinge",
        hinge_discriminator_loss,
        hinge_generator_loss,
        "Lim and Ye (2017), Geometric GAN, arXiv:1705.02894; Miyato et al. (2018), Spectral "
        "Normalization for Generative Adversarial Networks, arXiv:1802.05957",
        uses_gradient_penalty=False,
        output="score",
    ),
)

LOSSES: Mapping[str, LossPair] = MappingProxyType({pair.name: pair for pair in _PAIRS})
r"""Every registered `LossPair` by short name, read-only, in the order the book introduces them."""


def loss_names() -> tuple[str, ...]:
    r"""Return the registered short names, in the order the book introduces them."""
    return tuple(LOSSES)


def get_loss(name: str) -> LossPair:
    r"""Return the `LossPair` registered under ``name``.

    Parameters
    ----------
    name : str
        One of `loss_names`: ``"minimax"``, ``"non-saturating"``, ``"least-squares"``,
        ``"wasserstein"``, ``"wgan-gp"`` or ``"hinge"``.

    Returns
    -------
    LossPair
        The registered pair.

    Raises
    ------
    ValueError
        If ``name`` is not registered; the message lists the registered names.

    Examples
    --------
    >>> from ganbook.losses import get_loss
    >>> get_loss("wgan-gp").uses_gradient_penalty
    True
    """
    return LOSSES[require_choice("loss", name, LOSSES)]
