"""The discriminator is a classifier: its cross-entropy terms, against numpy and scipy.

The terms and their slopes are checked against numpy's ``logaddexp`` and scipy's ``expit``; the
chapter's figures are drawn from the test-profile results.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from scipy.special import expit

from ganbook.engine.figures import get_figure
from ganbook.losses import minimax_discriminator_loss


def test_the_cross_entropy_terms_match_logaddexp_and_their_slopes_are_d_minus_y(results):
    a, s = results["bce_terms"].arrays, results["bce_terms"].scalars
    logit = a["logit"]
    np.testing.assert_allclose(a["real_term"], np.logaddexp(0.0, -logit), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(a["fake_term"], np.logaddexp(0.0, logit), rtol=1e-12, atol=1e-15)
    # ∂/∂ℓ of the cross-entropy is D − y: σ(ℓ) − 1 for a real example, σ(ℓ) for a fake one
    np.testing.assert_allclose(a["real_slope"], expit(logit) - 1.0, atol=1e-12)
    np.testing.assert_allclose(a["fake_slope"], expit(logit), atol=1e-12)
    # real − fake = log((1 − σ)/σ) = −ℓ, and both are log 2 at ℓ = 0
    np.testing.assert_allclose(a["real_term"] - a["fake_term"], -logit, atol=1e-12)
    assert s["real_at_zero"] == pytest.approx(np.log(2.0), abs=1e-12)
    assert s["sigma_at_minus4"] == pytest.approx(1.0 / (1.0 + np.exp(4.0)), abs=1e-12)
    assert s["real_at_minus4"] == pytest.approx(np.log1p(np.exp(4.0)), abs=1e-12)


def test_one_minus_sigma_is_sigma_of_minus_the_logit_and_huge_logits_stay_finite():
    logit = np.linspace(-30.0, 30.0, 121)
    np.testing.assert_allclose(1.0 - expit(logit), expit(-logit), rtol=1e-9, atol=1e-15)
    # a detective sure of itself and wrong, |ℓ| = 100 in float32: finite loss and gradient
    d = torch.tensor([-100.0, 100.0], requires_grad=True)
    loss = minimax_discriminator_loss(d[:1], d[1:])  # both confident mistakes
    (grad,) = torch.autograd.grad(loss, d)
    assert torch.isfinite(loss)
    assert loss.item() == pytest.approx(200.0)
    np.testing.assert_allclose(grad.numpy(), [-1.0, 1.0])


@pytest.mark.parametrize("name", ["ring_run_discriminator", "bce_terms"])
def test_every_figure_of_the_chapter_draws_from_the_test_results(results, name):
    spec = get_figure(name)
    fig = spec.draw({e: results[e] for e in spec.experiments})
    assert len(fig.axes) >= 2
    plt.close(fig)
