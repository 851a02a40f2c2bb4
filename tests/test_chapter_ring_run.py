"""Chapters "What a GAN is" and "The discriminator is a classifier": their numbers, rechecked.

The experiments run at the test profile. The cross-entropy terms are checked against numpy's
``logaddexp`` and scipy's ``expit``; mode counts and nearest modes are recounted with numpy from
centres written out by hand; the segmented run is compared bit for bit with an uninterrupted
`train()` of the same config, whose final discriminator must reproduce the last map.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from scipy.special import expit

from ganbook.experiments import check_claims, claims_for, get_experiment, run_experiment
from ganbook.experiments.registry import RunContext
from ganbook.experiments.ring_run import plane_grid, ring_config, ring_data, ring_players
from ganbook.figures.registry import get_figure
from ganbook.losses import minimax_discriminator_loss
from ganbook.training import train

FIGURES = ("landing_ring", "ring_run_samples", "ring_run_latent", "ring_run_discriminator")
STD = 0.02 / 1.414  # the ring's per-mode standard deviation, from gan_toy.py's constants


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    return {
        name: run_experiment(name, profile="test", device="cpu", cache_dir=cache)[0]
        for name in ("ring_run", "bce_terms")
    }


def centres() -> np.ndarray:
    angle = np.arange(8) * np.pi / 4
    return 2.0 / 1.414 * np.stack([np.cos(angle), np.sin(angle)], axis=1)


def distances(points: np.ndarray) -> np.ndarray:
    return np.sqrt(((points[:, None, :] - centres()[None, :, :]) ** 2).sum(axis=2))  # (N, 8)


@pytest.mark.parametrize("name", ["ring_run", "bce_terms"])
def test_the_claims_of_the_chapters_hold_on_the_test_profile(results, name):
    expected = [c for c in claims_for(name) if "test" in c.profiles]
    assert expected, f"{name} should have a claim the test profile checks"
    assert check_claims(name, results[name], "test") == len(expected)


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
    # a detective sure of itself, |ℓ| = 100 in float32: finite loss, finite non-zero gradient
    d = torch.tensor([-100.0, 100.0], requires_grad=True)
    loss = minimax_discriminator_loss(d[:1], d[1:])  # both confident mistakes
    (grad,) = torch.autograd.grad(loss, d)
    assert torch.isfinite(loss) and loss.item() == pytest.approx(200.0)
    np.testing.assert_allclose(grad.numpy(), [-1.0, 1.0])


def test_mode_counts_and_nearest_modes_agree_with_a_numpy_recount(results):
    a, s = results["ring_run"].arrays, results["ring_run"].scalars
    for samples, covered in zip(a["snapshots"], a["coverage"], strict=True):
        d = distances(samples)
        close = d.min(axis=1) <= 3.0 * STD
        counts = np.bincount(d.argmin(axis=1)[close], minlength=8)
        assert int((counts >= 20).sum()) == covered
    d = distances(a["latent_x"])
    np.testing.assert_array_equal(a["latent_mode"], d.argmin(axis=1))
    assert s["on_mode_fraction"] == pytest.approx(np.mean(d.min(axis=1) <= 3.0 * STD))
    assert s["ring_radius"] == pytest.approx(2.0 / 1.414, rel=1e-6)
    assert s["modes_final"] == a["coverage"][-1]


def test_the_final_numbers_of_the_discriminator_follow_from_its_logits(results):
    a, s = results["ring_run"].arrays, results["ring_run"].scalars
    real, fake = a["real_logit_final"], a["fake_logit_final"]
    loss = np.mean(np.logaddexp(0.0, -real)) + np.mean(np.logaddexp(0.0, fake))
    assert s["d_loss_final"] == pytest.approx(loss, rel=1e-9)
    assert s["d_real_mean_final"] == pytest.approx(expit(real).mean(), rel=1e-12)
    assert s["d_fake_mean_final"] == pytest.approx(expit(fake).mean(), rel=1e-12)


def test_the_segmented_run_is_the_uninterrupted_run(results):
    exp = get_experiment("ring_run")
    params = exp.params_for("test")
    context = RunContext(torch.device("cpu"), exp.seed, "test")
    G, D = ring_players(params, context)
    history = train(G, D, ring_data, ring_config(params, context), progress=False)
    a = results["ring_run"].arrays
    np.testing.assert_array_equal(a["snapshot_steps"], history.snapshot_steps)
    np.testing.assert_array_equal(a["snapshots"], history.snapshots.astype(np.float64))
    # the last map of D is the uninterrupted run's final discriminator on the grid
    grid = plane_grid(params["extent"], params["grid"])
    with torch.no_grad():
        logits = D(torch.as_tensor(grid, dtype=torch.float32))[:, 0].double().numpy()
    np.testing.assert_allclose(a["d_grid"][-1].ravel(), expit(logits), atol=1e-6)
    with torch.no_grad():
        real = D(torch.as_tensor(a["real"], dtype=torch.float32))[:, 0].double().numpy()
    np.testing.assert_allclose(a["real_logit_final"], real, atol=1e-5)


def test_the_grid_is_row_by_row_with_y_along_rows():
    grid = plane_grid(1.0, 3).reshape(3, 3, 2)
    np.testing.assert_array_equal(grid[0, :, 1], [-1.0, -1.0, -1.0])  # row 0 is y = -1
    np.testing.assert_array_equal(grid[:, 0, 0], [-1.0, -1.0, -1.0])  # column 0 is x = -1


@pytest.mark.parametrize("name", [*FIGURES, "bce_terms"])
def test_every_figure_of_the_chapters_draws_from_the_test_results(results, name):
    spec = get_figure(name)
    fig = spec.draw({e: results[e] for e in spec.experiments})
    assert len(fig.axes) >= 2
    plt.close(fig)
