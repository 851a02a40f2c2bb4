r"""The common-mistakes chapter: every snippet against the closed form of what it computes.

Each mistaken snippet is checked on its own against a formula written here in numpy (the value)
and against central differences (the gradient); the experiments' measurements are checked
against the same closed forms; the optimal discriminator under label smoothing is found a second
way, by scipy's scalar minimiser on the pointwise objective written out by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from scipy import optimize

from ganbook.book.part2.common_mistakes import measurements, mistakes
from ganbook.penalties import gradient_penalty

LOGITS = np.linspace(-9.0, 9.0, 37)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def central_difference(loss, logits: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Per-element slope of ``loss`` (a mean over the batch) times the batch size, in float64."""
    slopes = []
    for i in range(len(logits)):
        up, down = logits.copy(), logits.copy()
        up[i] += h
        down[i] -= h
        slopes.append((float(loss(torch.tensor(up))) - float(loss(torch.tensor(down)))) / (2 * h))
    return np.array(slopes) * len(logits)


on_probabilities = {  # snippet: its value as a function of D = σ(ℓ), in closed form
    mistakes.keras_generator_loss: lambda d: -np.log(d),
    mistakes.true_minimax_generator_loss: lambda d: np.log1p(-d),
    mistakes.flipped_generator_loss: lambda d: np.log(d),
}
on_logits = {
    mistakes.double_sigmoid_generator_loss: lambda ell: -np.log(sigmoid(sigmoid(ell))),
    mistakes.sigmoid_least_squares_generator_loss: lambda ell: 0.5 * (sigmoid(ell) - 1.0) ** 2,
    mistakes.handwritten_minimax_generator_loss: lambda ell: np.log1p(-sigmoid(ell)),
}


@pytest.mark.parametrize("snippet", list(on_probabilities), ids=lambda f: f.__name__)
def test_probability_snippets_compute_their_closed_forms(snippet):
    d = sigmoid(LOGITS)
    value = snippet(torch.tensor(d))
    assert float(value) == pytest.approx(np.mean(on_probabilities[snippet](d)), rel=1e-12)


@pytest.mark.parametrize("snippet", list(on_logits), ids=lambda f: f.__name__)
def test_logit_snippets_compute_their_closed_forms(snippet):
    value = snippet(torch.tensor(LOGITS))
    assert float(value) == pytest.approx(np.mean(on_logits[snippet](LOGITS)), rel=1e-12)


def test_the_experiment_gradients_match_central_differences(results):
    r = results["mistakes_generator_gradients"]
    keep = np.abs(r.arrays["logits"]) < 8.0  # away from the ends, where differences lose digits
    ell = r.arrays["logits"][keep]
    d = sigmoid(ell)
    expected = {  # the derivative of each closed form in ℓ, by hand
        "keras": -(1.0 - d),
        "true_minimax": -d,
        "flipped": 1.0 - d,
        "double_sigmoid": -(1.0 - sigmoid(d)) * d * (1.0 - d),
        "sigmoid_ls": -((1.0 - d) ** 2) * d,
    }
    for key, slope in expected.items():
        np.testing.assert_allclose(r.arrays[key][keep], slope, rtol=1e-9, atol=1e-15)
    for key, loss in {
        "double_sigmoid": mistakes.double_sigmoid_generator_loss,
        "sigmoid_ls": mistakes.sigmoid_least_squares_generator_loss,
    }.items():
        np.testing.assert_allclose(
            central_difference(loss, ell[::8]), expected[key][::8], atol=1e-7
        )


def test_the_keras_discriminator_loss_is_binary_cross_entropy_by_hand():
    real, fake = sigmoid(LOGITS), sigmoid(-LOGITS[::-1] / 3)
    value = mistakes.keras_discriminator_loss(torch.tensor(real), torch.tensor(fake))
    assert float(value) == pytest.approx(-np.mean(np.log(real)) - np.mean(np.log1p(-fake)))


def test_the_flipped_gradient_is_minus_the_correct_one_on_the_tiny_model(results):
    a = results["mistakes_flipped_sign"].arrays
    np.testing.assert_allclose(a["flipped"], -a["correct"], rtol=1e-12, atol=1e-15)
    assert np.linalg.norm(a["correct"]) > 0


def test_float32_rounds_the_sigmoid_to_one_and_the_log_to_minus_infinity():
    at = torch.tensor([measurements.logit(0.5), 20.0], dtype=torch.float32)
    assert torch.sigmoid(at)[1].item() == 1.0  # 1 − σ(20) ≈ 2e-9, below float32's spacing
    assert mistakes.handwritten_minimax_generator_loss(at).item() == -math.inf
    # the same formula in float64 is finite: the mistake is the rounding, not the formula
    exact = np.mean([math.log(0.5), -math.log1p(math.exp(20.0))])
    assert mistakes.handwritten_minimax_generator_loss(at.double()).item() == pytest.approx(exact)


def test_clipping_freezes_the_loss_below_the_clip_logit(results):
    s = results["mistakes_probabilities"].scalars
    ell = np.array([-30.0, -20.0, -17.0])  # all below logit(1e-7) ≈ -16.12
    value = mistakes.clipped_nonsaturating_generator_loss(torch.tensor(ell), 1e-7)
    assert float(value) == pytest.approx(-math.log(1e-7), rel=1e-12)
    np.testing.assert_allclose(
        central_difference(lambda t: mistakes.clipped_nonsaturating_generator_loss(t, 1e-7), ell),
        0.0,
        atol=1e-12,
    )
    assert s["clip_logit"] == pytest.approx(math.log(1e-7) - math.log1p(-1e-7))
    assert s["clipped_grad_at_rejected"] == 0.0
    assert s["package_nonsaturating_value_at_rejected"] == pytest.approx(20.0)


def smoothed_optimum_by_scipy(p: float, q: float, s: float) -> float:
    r"""$\arg\max_D\; p[t\log D + (1 - t)\log(1 - D)] + q\log(1 - D)$, $t = 1 - s/2$."""
    t = 1.0 - s / 2.0

    def negative(ell):
        log_d, log_1md = -np.logaddexp(0.0, -ell), -np.logaddexp(0.0, ell)
        return -(p * (t * log_d + (1.0 - t) * log_1md) + q * log_1md)

    best = optimize.minimize_scalar(
        negative, bounds=(-40, 40), method="bounded", options={"xatol": 1e-12}
    )
    return float(sigmoid(best.x))


def test_the_smoothed_optimal_discriminator_by_a_second_method(results):
    r = results["mistakes_label_smoothing"]
    a, s = r.arrays, r.scalars
    for i in range(0, len(a["x"]), 20):
        p, q = a["p"][i] / (a["p"][i] + a["q"][i]), a["q"][i] / (a["p"][i] + a["q"][i])
        assert a["smoothed"][i] == pytest.approx(smoothed_optimum_by_scipy(p, q, 0.25), abs=1e-7)
        assert a["plain"][i] == pytest.approx(smoothed_optimum_by_scipy(p, q, 0.0), abs=1e-7)
    assert s["real_target"] == 0.875  # TF-GAN's y(1 − s) + s/2 at y = 1, s = 1/4
    assert s["smoothed_at_middle"] == pytest.approx(0.4375, abs=1e-12)


def test_a_missing_detach_and_a_missing_zero_grad_on_an_independent_model():
    torch.manual_seed(0)
    g, d = torch.nn.Linear(3, 2).double(), torch.nn.Linear(2, 1).double()
    z, x = torch.randn(8, 3, dtype=torch.float64), torch.randn(8, 2, dtype=torch.float64)
    # a linear D: L_D's fake term is mean softplus(ℓ), ℓ = w·G(z) + b; its θ-gradient by hand
    ell = d(g(z)).squeeze(1)
    weight = torch.sigmoid(ell).detach() / len(z)  # d softplus(ℓ)/dℓ, over the batch
    by_hand = (weight[:, None] * d.weight.detach()).T @ z  # ∂/∂W_G of Σ weight·ℓ
    loss = torch.nn.functional.softplus(-d(x)).mean() + torch.nn.functional.softplus(ell).mean()
    loss.backward()  # no detach: G's weights receive the D loss's gradient
    torch.testing.assert_close(g.weight.grad, by_hand, rtol=1e-12, atol=1e-15)
    # no zero_grad: a second backward on the same batch doubles every gradient
    first = g.weight.grad.clone()
    (
        torch.nn.functional.softplus(-d(x)).mean() + torch.nn.functional.softplus(d(g(z))).mean()
    ).backward()
    torch.testing.assert_close(g.weight.grad, 2 * first, rtol=1e-12, atol=0.0)


def test_the_experiment_accumulates_one_gradient_per_backward(results):
    r = results["mistakes_detach_zero_grad"]
    np.testing.assert_allclose(r.arrays["accumulated_ratio"], [1.0, 2.0, 3.0, 4.0], rtol=1e-12)
    assert r.scalars["g_grad_norm_after_d_step_detached"] == 0.0
    assert r.scalars["g_grad_norm_after_d_step_leaked"] == pytest.approx(
        r.scalars["minimax_grad_norm"], rel=1e-12
    )


@pytest.mark.parametrize("batch", [4, 16, 64])
def test_the_penalties_of_a_linear_critic_by_hand(batch):
    w = torch.tensor([3.0, 4.0], dtype=torch.float64)  # ‖w‖ = 5 everywhere
    critic = lambda x: x @ w  # noqa: E731
    x_hat = torch.randn(batch, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    whole = mistakes.whole_batch_penalty(critic, x_hat.clone())
    assert whole.item() == pytest.approx((math.sqrt(batch) * 5.0 - 1.0) ** 2, rel=1e-12)
    per_example = mistakes.per_example_penalty(critic, x_hat.clone())
    assert per_example.item() == pytest.approx(16.0, rel=1e-12)
    assert gradient_penalty(critic, x_hat, x_hat).item() == pytest.approx(16.0, rel=1e-12)


def test_the_experiment_whole_batch_norm_is_root_b_times_the_rms(results):
    r = results["mistakes_whole_batch_norm"]
    norms = r.arrays["per_example_norms"]
    assert r.scalars["whole_batch_norm"] == pytest.approx(math.sqrt(np.sum(norms**2)), rel=1e-12)
    assert r.scalars["per_example_penalty"] == pytest.approx(np.mean((norms - 1.0) ** 2), rel=1e-12)
