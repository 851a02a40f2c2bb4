"""Parity with TF-GAN: its golden numbers, reproduced with its settings passed explicitly.

Inputs and expected values come from TF-GAN's tests, `tensorflow_gan/python/losses/
losses_impl_test.py` (github.com/tensorflow/gan): the class `_LossesTest.init_constants` holds the
discriminator outputs and each test class (`MinimaxLossTest`, `ModifiedLossTest`,
`LeastSquaresLossTest`, `WassersteinLossTest`, `HingeWassersteinLossTest`,
`GradientPenaltyTest`) its `_expected_*_loss`. TF-GAN checks them in float32 with
`assertAlmostEqual(..., 5)` (6 places for the penalty), that is to within 5e-6 (5e-7). The
relativistic average losses are not in TF-GAN's library but in its ESRGAN example, whose test
`tensorflow_gan/examples/esrgan/losses_test.py` has its own logits and checks to within 1e-5. Only
the numbers are taken from TF-GAN, never its code.

Where TF-GAN's definition differs from ours, the comment beside the test derives the mapping.
"""

from __future__ import annotations

import math

import pytest
import torch

import ganbook.losses as losses
from ganbook.penalties import gradient_penalty

# _LossesTest.init_constants
REAL = [-5.0, 1.4, 12.5, 2.7]  # _discriminator_real_outputs_np
FAKE = [10.0, 4.4, -5.5, 3.6]  # _discriminator_gen_outputs_np
PLACES_5 = 5e-6  # assertAlmostEqual(a, b, 5): round(a - b, 5) == 0
PLACES_6 = 5e-7

# TF-GAN's `minimax_discriminator_loss` (and `modified_discriminator_loss`, the same function)
# defaults to label_smoothing=0.25; ours defaults to 0, so the setting is passed explicitly.
TFGAN_LABEL_SMOOTHING = 0.25

# TF-GAN's `minimax_generator_loss(d)` is `-minimax_discriminator_loss(ones_like(d), d,
# label_smoothing=0)`: the negated discriminator loss with a constant real logit of 1. Hence
#   TF-GAN = -[-log σ(1) - E log(1 - σ(d))] = E log(1 - σ(d)) + log σ(1) = ours + log σ(1),
# a constant offset log σ(1) = -log(1 + e^-1) ≈ -0.3132617 that changes no gradient.
TFGAN_MINIMAX_GENERATOR_OFFSET = -math.log1p(math.exp(-1.0))

# (test class, our loss, keyword arguments, offset added to ours, TF-GAN's expected value)
GENERATOR_CASES = [
    (
        "MinimaxLossTest",
        losses.minimax_generator_loss,
        {},
        TFGAN_MINIMAX_GENERATOR_OFFSET,
        -4.82408,
    ),
    # TF-GAN's `modified_generator_loss` with its default label_smoothing=0 is our
    # non-saturating loss.
    ("ModifiedLossTest", losses.nonsaturating_generator_loss, {}, 0.0, 1.38582),
    # TF-GAN's least-squares defaults (real_label=1, fake_label=0) and its factor 1/2 are ours.
    ("LeastSquaresLossTest", losses.least_squares_generator_loss, {}, 0.0, 17.69625),
    ("WassersteinLossTest", losses.wasserstein_generator_loss, {}, 0.0, -3.12500),
    # TF-GAN's `wasserstein_hinge_generator_loss` is its Wasserstein generator loss.
    ("HingeWassersteinLossTest", losses.hinge_generator_loss, {}, 0.0, -3.12500),
]
DISCRIMINATOR_CASES = [
    (
        "MinimaxLossTest",
        losses.minimax_discriminator_loss,
        {"label_smoothing": TFGAN_LABEL_SMOOTHING},
        6.19637,
    ),
    (
        "ModifiedLossTest",
        losses.minimax_discriminator_loss,
        {"label_smoothing": TFGAN_LABEL_SMOOTHING},
        6.19637,
    ),
    ("LeastSquaresLossTest", losses.least_squares_discriminator_loss, {}, 41.73375),
    ("WassersteinLossTest", losses.wasserstein_discriminator_loss, {}, 0.22500),
    # TF-GAN's `wasserstein_hinge_discriminator_loss` with its default hinges (1, 1).
    ("HingeWassersteinLossTest", losses.hinge_discriminator_loss, {}, 6.7500),
]
# TF-GAN's `test_*_patch` reshapes the same four outputs to [2, 2] and expects the same values.
SHAPES = [(4,), (2, 2)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize(
    ("fn", "kwargs", "offset", "expected"),
    [case[1:] for case in GENERATOR_CASES],
    ids=[case[0] for case in GENERATOR_CASES],
)
def test_generator_loss_reproduces_tfgan(fn, kwargs, offset, expected, shape):
    d_fake = torch.tensor(FAKE, dtype=torch.float32).reshape(shape)
    value = fn(d_fake, **kwargs)
    assert value.dtype == torch.float32
    assert value.item() + offset == pytest.approx(expected, abs=PLACES_5)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize(
    ("fn", "kwargs", "expected"),
    [case[1:] for case in DISCRIMINATOR_CASES],
    ids=[case[0] for case in DISCRIMINATOR_CASES],
)
def test_discriminator_loss_reproduces_tfgan(fn, kwargs, expected, shape):
    d_real = torch.tensor(REAL, dtype=torch.float32).reshape(shape)
    d_fake = torch.tensor(FAKE, dtype=torch.float32).reshape(shape)
    value = fn(d_real, d_fake, **kwargs)
    assert value.dtype == torch.float32
    assert value.item() == pytest.approx(expected, abs=PLACES_5)


@pytest.mark.parametrize(
    ("fn", "kwargs", "expected"),
    [case[1:] for case in DISCRIMINATOR_CASES],
    ids=[case[0] for case in DISCRIMINATOR_CASES],
)
def test_unreduced_discriminator_terms_add_up_to_tfgan(fn, kwargs, expected):
    # TF-GAN's Reduction.NONE returns real + fake element by element (shape [4]); ours returns
    # the pair (real_term, fake_term), since our batches may differ in size.
    real_term, fake_term = fn(torch.tensor(REAL), torch.tensor(FAKE), reduction="none", **kwargs)
    assert (real_term + fake_term).shape == (4,)
    assert (real_term + fake_term).mean().item() == pytest.approx(expected, abs=PLACES_5)


def test_smoothed_real_target_is_tfgans_one_minus_half_the_smoothing():
    # tf.losses.sigmoid_cross_entropy maps labels y to y(1 - s) + s/2; for y = 1 that is 1 - s/2.
    d_real = torch.tensor(REAL, dtype=torch.float64)
    smoothed, _ = losses.minimax_discriminator_loss(
        d_real, d_real, label_smoothing=TFGAN_LABEL_SMOOTHING, reduction="none"
    )
    target = torch.full_like(d_real, 1.0 * (1 - TFGAN_LABEL_SMOOTHING) + TFGAN_LABEL_SMOOTHING / 2)
    expected = torch.nn.functional.binary_cross_entropy_with_logits(
        d_real, target, reduction="none"
    )
    torch.testing.assert_close(smoothed, expected)


# GradientPenaltyTest: one example, critic D(x) = 2x element by element (its `dummy_d` variable
# initialised to 2.0), whose gradient of the summed output is 2 in each of the 4 coordinates:
# ‖∇D‖ = 4 wherever α falls, so the penalty is (4 - 1)² = 9, one-sided too, and (4/2 - 1)² = 1
# with target 2. TF-GAN adds ε = 1e-10 under the square root; its effect is far below 5e-7.
GP_REAL = [[-12.3, 23.2, 16.3, -43.2]]  # _real_data_np
GP_FAKE = [[3.1, 2.3, -12.3, 32.1]]  # _generated_data_np


@pytest.mark.parametrize(
    ("kwargs", "expected", "places"),
    [
        ({}, 9.0, PLACES_6),  # test_all_correct
        ({"one_sided": True}, 9.0, PLACES_5),  # test_loss_using_one_sided_mode
        ({"target": 2.0}, 1.0, PLACES_5),  # test_loss_with_gradient_norm_target
    ],
    ids=["default", "one_sided", "target_2"],
)
def test_gradient_penalty_reproduces_tfgan(kwargs, expected, places):
    real = torch.tensor(GP_REAL, dtype=torch.float32)
    fake = torch.tensor(GP_FAKE, dtype=torch.float32)
    value = gradient_penalty(lambda x: 2.0 * x, real, fake, **kwargs)
    assert value.dtype == torch.float32
    assert value.item() == pytest.approx(expected, abs=places)


# RaGAN: `LossesTest.setUp` of TF-GAN's ESRGAN example. Its `ragan_generator_loss(d_real, d_fake)`
# and `ragan_discriminator_loss(d_real, d_fake)` take the real logits first, as ours do, and return
# the sum of the means of the two cross-entropy terms: our mean reduction.
RAGAN_REAL = [-2.0, 0.4, 12.5, 2.7]  # _discriminator_real_logits
RAGAN_FAKE = [10.0, 4.4, -5.5, 3.6]  # _discriminator_gen_logits
RAGAN_TOLERANCE = 1e-5  # assertNear(expected, value, 1e-5)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        (losses.relativistic_generator_loss, 4.9401135),  # _expected_g_loss
        (losses.relativistic_discriminator_loss, 4.390114),  # _expected_d_loss
    ],
    ids=["ragan_generator_loss", "ragan_discriminator_loss"],
)
def test_relativistic_losses_reproduce_tfgan(fn, expected, shape):
    d_real = torch.tensor(RAGAN_REAL, dtype=torch.float32).reshape(shape)
    d_fake = torch.tensor(RAGAN_FAKE, dtype=torch.float32).reshape(shape)
    value = fn(d_real, d_fake)
    assert value.dtype == torch.float32
    assert value.item() == pytest.approx(expected, abs=RAGAN_TOLERANCE)
