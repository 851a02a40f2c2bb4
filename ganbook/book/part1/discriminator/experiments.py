r"""Experiments of "The discriminator is a classifier": its cross-entropy, term by term.

`bce_terms` evaluates the two terms of the discriminator's cross-entropy against the logit through
the package's loss, with their slopes by autograd: exact, so not an ensemble. The chapter's
trained discriminators are those of `ring_run` (the chapter "What a GAN is"), which its figures
read by name. Nothing here draws.
"""

from __future__ import annotations

import numpy as np
import torch

from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.losses import minimax_discriminator_loss


@experiment(
    "bce_terms",
    params={"logit_range": [-6.0, 6.0], "points": 241},
    test={"points": 61},
    uses_torch_device=False,
    title="The two terms of the discriminator's cross-entropy against the logit",
)
def bce_terms(params, _context: RunContext) -> ExperimentResult:
    logit = torch.linspace(*params["logit_range"], params["points"], dtype=torch.float64)
    logit.requires_grad_(True)
    # the same logits once as real (label 1) and once as fake (label 0)
    real_term, fake_term = minimax_discriminator_loss(logit, logit, reduction="none")
    (real_slope,) = torch.autograd.grad(real_term.sum(), logit)
    (fake_slope,) = torch.autograd.grad(fake_term.sum(), logit)
    at = {value: int(torch.argmin((logit - value).abs())) for value in (-4.0, 0.0, 4.0)}
    real, fake = real_term.detach().numpy(), fake_term.detach().numpy()
    return ExperimentResult(
        arrays={
            "logit": logit.detach().numpy(),
            "real_term": real,
            "fake_term": fake,
            "real_slope": real_slope.numpy(),
            "fake_slope": fake_slope.numpy(),
        },
        scalars={
            "log2": float(np.log(2.0)),
            "sigma_at_minus4": float(torch.sigmoid(logit[at[-4.0]]).item()),
            "real_at_zero": float(real[at[0.0]]),
            "fake_at_zero": float(fake[at[0.0]]),
            "real_at_minus4": float(real[at[-4.0]]),
            "real_at_plus4": float(real[at[4.0]]),
            "real_slope_at_minus4": float(real_slope[at[-4.0]]),
            "real_slope_at_plus4": float(real_slope[at[4.0]]),
            "max_difference_gap": float(np.max(np.abs((real - fake) + logit.detach().numpy()))),
        },
    )
