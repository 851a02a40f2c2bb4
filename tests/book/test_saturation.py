"""The saturation chapter: every equality its prose derives, against independent computations.

The logit derivatives of both generator losses are checked by finite differences, the shift-toy
chain rule against the autograd gradients of the shift-toy chapter, the mean optimal output by
quadrature, $W_1$ against the closed form on the line, Adam's indifference to a constant factor
by running it, and the ring ensembles for the "same start, seed by seed" the prose promises.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy import integrate, stats

from ganbook.divergences import wasserstein_1d
from ganbook.losses import minimax_generator_loss, nonsaturating_generator_loss
from ganbook.measures import median_member, sample_w1
from ganbook.theory import gaussian_optimal_discriminator_logit


@pytest.mark.parametrize(
    ("loss", "closed_form"),
    [
        (minimax_generator_loss, lambda d: -d),  # d/dℓ log(1 - σ(ℓ)) = -σ(ℓ)
        (nonsaturating_generator_loss, lambda d: -(1.0 - d)),  # d/dℓ -log σ(ℓ) = -(1 - σ(ℓ))
    ],
)
def test_logit_derivatives_by_central_differences(loss, closed_form):
    ell = torch.linspace(-12.0, 12.0, 97, dtype=torch.float64)
    h = 1e-6
    slope = (loss(ell + h, reduction="none") - loss(ell - h, reduction="none")) / (2 * h)
    np.testing.assert_allclose(slope.numpy(), closed_form(torch.sigmoid(ell).numpy()), atol=1e-8)


def test_the_experiment_matches_the_closed_forms_everywhere(results):
    r = results["saturation_logit_gradients"]
    d = r.arrays["d"]
    np.testing.assert_allclose(r.arrays["saturating_dlogit"], -d, rtol=1e-10)
    np.testing.assert_allclose(r.arrays["nonsaturating_dscore"], -1.0 / d, rtol=1e-9)
    # the logit slope is the D slope times dD/dℓ = D(1 - D), for both losses
    for key in ("saturating", "nonsaturating"):
        chained = r.arrays[f"{key}_dscore"] * d * (1.0 - d)
        np.testing.assert_allclose(chained, r.arrays[f"{key}_dlogit"], rtol=1e-9, atol=1e-15)


def test_chain_rule_prediction_equals_the_shift_toy_autograd_gradients(results):
    grads, scores = results["shift_toy_gradients"], results["saturation_shift_toy_scores"]
    np.testing.assert_array_equal(grads.arrays["thetas"], scores.arrays["thetas"])
    for key in ("saturating", "nonsaturating"):
        # LogisticDiscriminator stores φ in float32 first: agreement to 1e-5, not 1e-12
        np.testing.assert_allclose(
            scores.arrays[f"predicted_{key}"], np.abs(grads.arrays[key]), rtol=1e-5, atol=1e-12
        )
    # the ratio of the two gradients is E D* / (1 - E D*)
    mean_d = scores.arrays["mean_d"]
    keep = np.abs(grads.arrays["nonsaturating"]) > 1e-6
    ratio = np.abs(grads.arrays["saturating"][keep] / grads.arrays["nonsaturating"][keep])
    np.testing.assert_allclose(ratio, (mean_d / (1.0 - mean_d))[keep], rtol=1e-5)


@pytest.mark.parametrize("theta", [-8.0, -2.0, 0.0, 3.0])
def test_mean_optimal_output_by_quadrature(results, theta):
    r = results["saturation_shift_toy_scores"]
    thetas = r.arrays["thetas"]
    i = int(np.argmin(np.abs(thetas - theta)))
    theta = float(thetas[i])

    def integrand(x):
        logit = gaussian_optimal_discriminator_logit(np.array([x]), 0.0, theta, 1.0)[0]
        return stats.norm.pdf(x, theta, 1.0) / (1.0 + np.exp(-logit))

    value, _ = integrate.quad(integrand, theta - 12, theta + 12, epsabs=1e-16, limit=200)
    # 80 Gauss-Hermite nodes (those of shift_toy_gradients) are exact to 1e-6 near the data and
    # to a few parts in a thousand at 8σ, where D* switches on far out in the tail
    assert r.arrays["mean_d"][i] == pytest.approx(value, rel=5e-3, abs=1e-14)


def test_sample_w1_is_the_wasserstein_distance_on_the_line():
    rng = np.random.default_rng(0)
    u, v = rng.normal(size=300), rng.normal(1.0, 2.0, size=300)
    embed = lambda a: np.stack([a, np.zeros_like(a)], axis=1)  # noqa: E731
    assert sample_w1(embed(u), embed(v)) == pytest.approx(wasserstein_1d(u, v), rel=1e-9)
    shifted = embed(u) + np.array([0.3, -0.4])  # every point moves by 0.5
    assert sample_w1(embed(u), shifted) == pytest.approx(0.5, rel=1e-9)


def test_adam_takes_the_same_steps_for_a_gradient_scaled_by_a_constant():
    # the note's argument: a steady factor in the gradient does not change Adam's steps
    paths = []
    for scale in (1.0, 1e-3):
        w = torch.zeros(5, dtype=torch.float64, requires_grad=True)
        adam = torch.optim.Adam([w], lr=2e-4, betas=(0.5, 0.999), eps=1e-12)
        target = torch.linspace(-1.0, 1.0, 5, dtype=torch.float64)
        for _ in range(50):
            adam.zero_grad()
            (scale * ((w - target) ** 2).sum()).backward()
            adam.step()
        paths.append(w.detach().clone())
    torch.testing.assert_close(paths[0], paths[1], rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("name", ["saturation_ring", "saturation_ring_strong_d"])
def test_ring_ensembles_pair_the_losses_seed_by_seed(results, name):
    r = results[name]
    a, members = r.arrays, r.scalars["members"]
    sat, nonsat = a["saturating_snapshots"], a["nonsaturating_snapshots"]
    assert sat.shape[:2] == nonsat.shape[:2] == (members, len(a["snapshot_steps"]))
    # same initial weights and snapshot latents within a seed: identical step-0 samples
    np.testing.assert_array_equal(sat[:, 0], nonsat[:, 0])
    # different seeds start from different weights
    assert not np.allclose(sat[0, 0], sat[1, 0])
    steps = r.scalars["steps"]
    for key in ("saturating", "nonsaturating"):
        assert (
            a[f"{key}_w1"].shape == a[f"{key}_modes"].shape == (members, len(a["snapshot_steps"]))
        )
        assert a[f"{key}_d_fake"].shape == a[f"{key}_g_grad_norm"].shape == (members, steps)
        assert np.all((a[f"{key}_d_fake"] > 0) & (a[f"{key}_d_fake"] < 1))
        assert np.all(a[f"{key}_w1"] > 0)
        # the summaries are those of the per-seed arrays
        final = a[f"{key}_w1"][:, -1]
        assert r.scalars[f"{key}_final_w1_median"] == pytest.approx(np.median(final))
        assert r.scalars[f"{key}_final_w1_max"] == pytest.approx(final.max())


def test_w1_of_a_stored_snapshot_is_recomputed_from_its_samples(results):
    # the W1 series is the W1 of the stored samples to the experiment's real sample, not a proxy
    from ganbook.engine.registry import RunContext
    from ganbook.measures import ring_data

    r = results["saturation_ring"]
    context = RunContext(torch.device("cpu"), 0, "test")
    real = ring_data(r.scalars["samples"], context.stream("w1-real")).numpy()
    last = r.arrays["nonsaturating_snapshots"][1, -1]
    assert sample_w1(last, real) == pytest.approx(r.arrays["nonsaturating_w1"][1, -1], rel=1e-9)


def test_the_shown_member_is_the_median_stall(results):
    r = results["saturation_ring_strong_d"]
    stall = r.arrays["saturating_steps_below"]
    assert r.scalars["shown_member"] == median_member(stall)
    assert r.scalars["members_longer_stall"] == int(
        (stall > r.arrays["nonsaturating_steps_below"]).sum()
    )


def test_mean_chord_is_the_closed_form(results):
    r = results["saturation_ring"].scalars
    radius = 2.0 / 1.414
    closed = radius / 8 * sum(2 * np.sin(k * np.pi / 8) for k in range(8))
    assert r["mean_chord"] == pytest.approx(closed, rel=1e-6)
    assert r["w1_point_at_centre"] == pytest.approx(radius, abs=0.01)


def mean_optimal_output(mu: float, theta: float, sigma: float) -> float:
    r"""$\mathbb{E}_{x \sim N(\theta, \sigma^2)} D^*(x)$ by adaptive quadrature."""

    def integrand(x):
        logit = gaussian_optimal_discriminator_logit(np.array([x]), mu, theta, sigma)[0]
        return stats.norm.pdf(x, theta, sigma) / (1.0 + np.exp(-logit))

    lo, hi = theta - 15 * sigma, theta + 15 * sigma
    return integrate.quad(integrand, lo, hi, epsabs=1e-13, epsrel=1e-12, limit=200)[0]


def test_fixed_optimum_gradients_match_quadrature_and_the_closed_form_kl(results):
    # at a fixed D* with logit slope φ1 = (μ − θ)/σ²: ∂/∂θ of the non-saturating loss is
    # −(1 − E D*) φ1 and of the saturating loss −E D* φ1, with E D* by adaptive quadrature;
    # ∂/∂θ KL(N(θ, σ²) ‖ N(μ, σ²)) = (θ − μ)/σ²
    r = results["saturation_ns_divergence"]
    mu, sigma = r.scalars["mu"], r.scalars["sigma"]
    for i, theta in enumerate(r.arrays["thetas"]):
        mean_d = mean_optimal_output(mu, float(theta), sigma)
        phi1 = (mu - theta) / sigma**2
        assert r.arrays["nonsaturating"][i] == pytest.approx(-(1.0 - mean_d) * phi1, rel=1e-7)
        assert r.arrays["saturating"][i] == pytest.approx(-mean_d * phi1, rel=1e-7)
        assert r.arrays["kl"][i] == pytest.approx((theta - mu) / sigma**2, rel=1e-7)
    np.testing.assert_allclose(r.arrays["nonsaturating"], r.arrays["kl_minus_two_js"], rtol=1e-6)
    np.testing.assert_allclose(r.arrays["saturating"], r.arrays["two_js"], rtol=1e-6)
