"""The relativistic average losses (RaGAN) against an independent numpy route and TF-GAN's numbers.

The numpy route writes the paper's formula with probabilities taken through ``np.logaddexp``:
−log σ(t) = log(1 + e^−t) = logaddexp(0, −t) and −log(1 − σ(t)) = logaddexp(0, t), in float64,
sharing no code with `ganbook.losses`.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ganbook.losses import (
    get_loss,
    minimax_discriminator_loss,
    relativistic_discriminator_loss,
    relativistic_generator_loss,
)

# TF-GAN's ESRGAN example, tensorflow_gan/examples/esrgan/losses_test.py (`LossesTest.setUp`):
# its `ragan_generator_loss` / `ragan_discriminator_loss` add the means of the two cross-entropy
# terms, which is our mean reduction. Checked there with assertNear(..., 1e-5).
TFGAN_REAL = [-2.0, 0.4, 12.5, 2.7]  # _discriminator_real_logits
TFGAN_FAKE = [10.0, 4.4, -5.5, 3.6]  # _discriminator_gen_logits
TFGAN_G = 4.9401135  # _expected_g_loss
TFGAN_D = 4.390114  # _expected_d_loss


def numpy_ragan(real, fake) -> tuple[float, float]:
    """(L_D, L_G) of the paper, in float64, from the formula alone."""
    real, fake = np.asarray(real, dtype=np.float64), np.asarray(fake, dtype=np.float64)
    delta_real = real - fake.mean()  # C(x_r) − E C(x_f)
    delta_fake = fake - real.mean()  # C(x_f) − E C(x_r)
    neg_log_sigmoid = lambda t: np.logaddexp(0.0, -t)  # −log σ(t)  # noqa: E731
    neg_log_one_minus_sigmoid = lambda t: np.logaddexp(0.0, t)  # −log(1 − σ(t))  # noqa: E731
    d_loss = neg_log_sigmoid(delta_real).mean() + neg_log_one_minus_sigmoid(delta_fake).mean()
    g_loss = neg_log_sigmoid(delta_fake).mean() + neg_log_one_minus_sigmoid(delta_real).mean()
    return float(d_loss), float(g_loss)


def _batches(n_real: int, n_fake: int, shape=(), seed: int = 0, scale: float = 3.0):
    generator = torch.Generator().manual_seed(seed)
    real = scale * torch.randn((n_real, *shape), generator=generator, dtype=torch.float64)
    fake = scale * torch.randn((n_fake, *shape), generator=generator, dtype=torch.float64) - 1.0
    return real, fake


@pytest.mark.parametrize("shape", [(4,), (2, 2)], ids=str)
def test_tfgan_golden_values(shape):
    real = torch.tensor(TFGAN_REAL, dtype=torch.float32).reshape(shape)
    fake = torch.tensor(TFGAN_FAKE, dtype=torch.float32).reshape(shape)
    g_loss = relativistic_generator_loss(real, fake)
    d_loss = relativistic_discriminator_loss(real, fake)
    assert g_loss.dtype == d_loss.dtype == torch.float32
    assert g_loss.item() == pytest.approx(TFGAN_G, abs=1e-5)
    assert d_loss.item() == pytest.approx(TFGAN_D, abs=1e-5)


def test_the_golden_values_are_the_sum_of_the_two_expectations():
    # Our mean reduction (sum of the two expectations), computed by numpy, is TF-GAN's number.
    d_loss, g_loss = numpy_ragan(TFGAN_REAL, TFGAN_FAKE)
    assert d_loss == pytest.approx(TFGAN_D, abs=1e-6)
    assert g_loss == pytest.approx(TFGAN_G, abs=1e-6)


@pytest.mark.parametrize(
    ("n_real", "n_fake", "shape"),
    [(5, 5, ()), (7, 3, ()), (4, 6, (1,)), (3, 2, (1, 2, 2))],
    ids=["equal", "more-real", "column", "patch"],
)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_both_losses_match_the_numpy_formula(n_real, n_fake, shape, seed):
    real, fake = _batches(n_real, n_fake, shape, seed)
    d_loss, g_loss = numpy_ragan(real.numpy(), fake.numpy())
    assert relativistic_discriminator_loss(real, fake).item() == pytest.approx(d_loss, rel=1e-12)
    assert relativistic_generator_loss(real, fake).item() == pytest.approx(g_loss, rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_generator_loss_is_the_discriminator_loss_with_real_and_fake_swapped(seed):
    real, fake = _batches(6, 4, (1,), seed)
    torch.testing.assert_close(
        relativistic_discriminator_loss(fake, real), relativistic_generator_loss(real, fake)
    )
    swapped = relativistic_discriminator_loss(fake, real, reduction="none")
    real_term, fake_term = relativistic_generator_loss(real, fake, reduction="none")
    torch.testing.assert_close(swapped, (fake_term, real_term))


def test_the_two_losses_differ_by_twice_the_mean_logit_gap():
    # softplus(t) − softplus(−t) = t, so L_G − L_D = E Δ_r − E Δ_f = 2 (E d_real − E d_fake).
    real, fake = _batches(9, 5, (), seed=4)
    gap = relativistic_generator_loss(real, fake) - relativistic_discriminator_loss(real, fake)
    torch.testing.assert_close(gap, 2 * (real.mean() - fake.mean()))


def test_equal_batches_cost_log_4_for_both_players():
    x = torch.linspace(-3.0, 3.0, 5)
    # Δ_r and Δ_f are x − mean(x) here, each term's mean is the same: the value is 2·E softplus.
    expected = 2 * torch.nn.functional.softplus(x - x.mean()).mean()
    torch.testing.assert_close(relativistic_discriminator_loss(x, x), expected)
    torch.testing.assert_close(relativistic_generator_loss(x, x), expected)
    constant = torch.zeros(3)
    assert relativistic_discriminator_loss(constant, constant).item() == pytest.approx(np.log(4))


def test_with_a_constant_other_batch_the_loss_is_the_minimax_loss_of_shifted_logits():
    # A fake batch of one value c makes Δ_r = d_real − c; then L_D is the standard loss at
    # logits (d_real − c, c − E d_real): an independent route through another loss.
    real = torch.tensor([0.5, 2.0, -1.0], dtype=torch.float64)
    fake = torch.full((4,), 0.75, dtype=torch.float64)
    expected = minimax_discriminator_loss(real - 0.75, fake - real.mean())
    torch.testing.assert_close(relativistic_discriminator_loss(real, fake), expected)


@pytest.mark.parametrize("fn", [relativistic_discriminator_loss, relativistic_generator_loss])
@pytest.mark.parametrize("logit", [100.0, -100.0])
def test_finite_with_finite_gradients_at_logits_of_100_in_float32(fn, logit):
    real = torch.tensor([logit, -logit, logit], requires_grad=True)
    fake = torch.tensor([-logit, logit], requires_grad=True)
    value = fn(real, fake)
    assert value.dtype == torch.float32
    assert torch.isfinite(value)
    value.backward()
    assert torch.isfinite(real.grad).all()
    assert torch.isfinite(fake.grad).all()
    d_loss, g_loss = numpy_ragan(real.detach().numpy(), fake.detach().numpy())
    expected = d_loss if fn is relativistic_discriminator_loss else g_loss
    assert value.item() == pytest.approx(expected, rel=1e-6)


def test_confident_logits_cost_nothing_when_right_and_their_size_when_wrong():
    high, low = torch.full((4,), 100.0), torch.full((4,), -100.0)
    # reals at +100, fakes at −100: Δ_r = 200, Δ_f = −200; each wrong term costs softplus(200)
    assert relativistic_discriminator_loss(high, low).item() == pytest.approx(0.0, abs=1e-6)
    assert relativistic_generator_loss(high, low).item() == pytest.approx(400.0, rel=1e-6)
    assert relativistic_discriminator_loss(low, high).item() == pytest.approx(400.0, rel=1e-6)
    assert relativistic_generator_loss(low, high).item() == pytest.approx(0.0, abs=1e-6)


def test_reduction_modes_agree():
    real, fake = _batches(5, 3, (1,), seed=7)
    real_term, fake_term = relativistic_discriminator_loss(real, fake, reduction="none")
    assert real_term.shape == real.shape
    assert fake_term.shape == fake.shape
    torch.testing.assert_close(
        relativistic_discriminator_loss(real, fake), real_term.mean() + fake_term.mean()
    )
    torch.testing.assert_close(
        relativistic_discriminator_loss(real, fake, reduction="sum"),
        real_term.sum() + fake_term.sum(),
    )
    g_real, g_fake = relativistic_generator_loss(real, fake, reduction="none")
    torch.testing.assert_close(
        relativistic_generator_loss(real, fake, reduction="sum"), g_real.sum() + g_fake.sum()
    )
    # the inner batch means stay means whatever the reduction: "sum" is not "mean" times N
    delta_real = real - fake.mean()
    torch.testing.assert_close(real_term, torch.nn.functional.softplus(-delta_real))


def test_the_generator_gradient_reaches_the_fakes_through_both_terms():
    # ∂L_G/∂d_fake has a part from E log σ(Δ_f) and one through the mean in Δ_r: compare with
    # finite differences of the numpy formula.
    real, fake = _batches(4, 3, (), seed=3)
    fake = fake.clone().requires_grad_(True)
    relativistic_generator_loss(real, fake).backward()
    eps = 1e-6
    for i in range(3):
        up, down = fake.detach().numpy().copy(), fake.detach().numpy().copy()
        up[i] += eps
        down[i] -= eps
        numeric = (numpy_ragan(real.numpy(), up)[1] - numpy_ragan(real.numpy(), down)[1]) / (
            2 * eps
        )
        assert fake.grad[i].item() == pytest.approx(numeric, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("fn", [relativistic_discriminator_loss, relativistic_generator_loss])
@pytest.mark.parametrize(
    ("real_shape", "fake_shape"),
    [((4, 1), (4,)), ((4,), (4, 1)), ((2, 1, 3, 3), (2, 1, 2, 2)), ((), (3,))],
)
def test_batches_of_different_output_shapes_are_refused(fn, real_shape, fake_shape):
    with pytest.raises(ValueError, match=r"^d_real and d_fake must have the same shape apart"):
        fn(torch.zeros(real_shape), torch.zeros(fake_shape))


@pytest.mark.parametrize("fn", [relativistic_discriminator_loss, relativistic_generator_loss])
def test_batches_may_differ_in_size(fn):
    assert fn(torch.zeros(5, 1), torch.zeros(2, 1)).item() == pytest.approx(np.log(4))


def test_the_registered_pair_and_its_uniform_generator_call():
    pair = get_loss("relativistic")
    assert pair.discriminator_loss is relativistic_discriminator_loss
    assert pair.generator_loss is relativistic_generator_loss
    assert pair.generator_uses_real
    assert pair.output == "logit"
    real, fake = _batches(4, 4, (1,), seed=5)
    torch.testing.assert_close(
        pair.generator_loss_of(fake, real), relativistic_generator_loss(real, fake)
    )
    torch.testing.assert_close(
        pair.generator_loss_of(fake, real, reduction="sum"),
        relativistic_generator_loss(real, fake, reduction="sum"),
    )
    with pytest.raises(ValueError, match=r"'relativistic' needs the discriminator's outputs on"):
        pair.generator_loss_of(fake)
