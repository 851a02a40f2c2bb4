r"""The one registry of GAN losses, by short name, that the trainer and the docs both read.

Each entry is a `LossPair`: a discriminator loss, a generator loss, the paper they come from,
how the trainer must keep the discriminator in check (weight clipping or a gradient penalty) and
whether the generator's loss needs the discriminator's outputs on real data (only the
relativistic pair's does). The registry only names losses; it holds no hyperparameters, which
belong to the trainer.

Examples
--------
>>> from ganbook.losses import get_loss, loss_names
>>> loss_names()
('minimax', 'non-saturating', 'least-squares', 'wasserstein', 'wgan-gp', 'hinge', 'relativistic')
>>> get_loss("non-saturating").generator_loss.__name__
'nonsaturating_generator_loss'
>>> get_loss("relativistic").generator_uses_real
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import torch

from ganbook._checks import require_bool, require_choice
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
from ganbook.losses.relativistic import (
    relativistic_discriminator_loss,
    relativistic_generator_loss,
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
        ``generator_loss(d_fake, *, reduction="mean")`` from `ganbook.losses`, or
        ``generator_loss(d_real, d_fake, *, reduction="mean")`` when ``generator_uses_real``.
        `generator_loss_of` calls either kind the same way.
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
    generator_uses_real : bool, default False
        Whether the generator loss takes the discriminator's outputs on a real batch as well
        (``generator_loss(d_real, d_fake)``): then the trainer evaluates the discriminator on a
        real batch in the generator's step too. Only the relativistic pair does.
    """

    name: str
    discriminator_loss: Callable[..., Any]
    generator_loss: Callable[..., Any]
    paper: str
    uses_gradient_penalty: bool
    uses_weight_clipping: bool = False
    output: str = "logit"
    generator_uses_real: bool = False

    def __post_init__(self) -> None:
        require_choice("output", self.output, OUTPUT_KINDS)
        require_bool("generator_uses_real", self.generator_uses_real)

    def generator_loss_of(
        self, d_fake: torch.Tensor, d_real: torch.Tensor | None = None, **options: Any
    ) -> Any:
        r"""The generator loss on ``d_fake``, given ``d_real`` as well where the loss needs it.

        One call for every pair: ``generator_loss(d_fake, **options)`` for most,
        ``generator_loss(d_real, d_fake, **options)`` for a pair with ``generator_uses_real``.

        Parameters
        ----------
        d_fake : torch.Tensor
            Discriminator outputs on generated data.
        d_real : torch.Tensor, optional
            Discriminator outputs on a real batch; required when ``generator_uses_real``,
            ignored otherwise (so a caller may pass it whatever the pair).
        **options
            Keyword options of the generator loss, such as ``reduction``.

        Returns
        -------
        torch.Tensor or tuple of torch.Tensor
            What the generator loss returns.

        Raises
        ------
        ValueError
            If the pair's generator loss needs ``d_real`` and none is given.

        Examples
        --------
        >>> import torch
        >>> from ganbook.losses import get_loss
        >>> get_loss("hinge").generator_loss_of(torch.tensor([1.0, 2.0]))
        tensor(-1.5000)
        >>> get_loss("relativistic").generator_loss_of(torch.zeros(2), torch.zeros(3))
        tensor(1.3863)
        """
        if not self.generator_uses_real:
            return self.generator_loss(d_fake, **options)
        if d_real is None:
            raise ValueError(
                f"the generator loss of {self.name!r} needs the discriminator's outputs on real "
                "data: pass d_real"
            )
        return self.generator_loss(d_real, d_fake, **options)


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
    LossPair(
        "relativistic",
        relativistic_discriminator_loss,
        relativistic_generator_loss,
        "Jolicoeur-Martineau (2018), The relativistic discriminator: a key element missing from "
        "standard GAN, arXiv:1807.00734",
        uses_gradient_penalty=False,
        generator_uses_real=True,
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
        ``"wasserstein"``, ``"wgan-gp"``, ``"hinge"`` or ``"relativistic"``.

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
