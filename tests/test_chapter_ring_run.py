"""Chapters "What a GAN is" and "The discriminator is a classifier": their numbers, rechecked.

The experiments run at the test profile. The cross-entropy terms are checked against numpy's
``logaddexp`` and scipy's ``expit``; mode counts, nearest modes and mode shares are recounted with
numpy from centres written out by hand; every summary scalar is recomputed from the per-member
arrays; the last member of the ensemble is compared with an independent `train()` of its config,
whose final discriminator must reproduce that member's last map.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from scipy.special import expit
from scipy.stats import spearmanr

from ganbook.experiments import check_claims, claims_for, get_experiment, run_experiment
from ganbook.experiments.registry import RunContext
from ganbook.experiments.ring_run import rank_correlation, ring_config, ring_players
from ganbook.figures.registry import get_figure
from ganbook.losses import minimax_discriminator_loss
from ganbook.measures import plane_grid, ring_data
from ganbook.training import train

FIGURES = (
    "landing_ring",
    "ring_run_samples",
    "ring_run_coverage",
    "ring_run_latent",
    "ring_run_discriminator",
)
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


def shares(points: np.ndarray) -> np.ndarray:
    d = distances(points)
    close = d.min(axis=1) <= 3.0 * STD
    return np.bincount(d.argmin(axis=1)[close], minlength=8) / len(points)


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
    # a detective sure of itself and wrong, |ℓ| = 100 in float32: finite loss and gradient
    d = torch.tensor([-100.0, 100.0], requires_grad=True)
    loss = minimax_discriminator_loss(d[:1], d[1:])  # both confident mistakes
    (grad,) = torch.autograd.grad(loss, d)
    assert torch.isfinite(loss) and loss.item() == pytest.approx(200.0)
    np.testing.assert_allclose(grad.numpy(), [-1.0, 1.0])


def test_every_member_has_its_own_run(results):
    a, s = results["ring_run"].arrays, results["ring_run"].scalars
    members = s["members"]
    assert members == get_experiment("ring_run").params_for("test")["members"]
    for key in ("snapshots", "coverage", "d_grid", "latent_x", "latent_share", "island_rank"):
        assert a[key].shape[0] == members, key
    # distinct seeds give distinct runs, from the first snapshot on
    assert not np.allclose(a["snapshots"][0, 0], a["snapshots"][1, 0])


def test_mode_counts_nearest_modes_and_shares_agree_with_a_numpy_recount(results):
    a, s = results["ring_run"].arrays, results["ring_run"].scalars
    for k in range(s["members"]):
        for samples, covered, on in zip(
            a["snapshots"][k], a["coverage"][k], a["on_mode_share"][k], strict=True
        ):
            counted = shares(samples.astype(np.float64)) * len(samples)
            assert int((np.rint(counted) >= 20).sum()) == covered
            assert on == pytest.approx(counted.sum() / len(samples))
        d = distances(a["latent_x"][k])
        np.testing.assert_array_equal(a["latent_mode"][k], d.argmin(axis=1))
        np.testing.assert_array_equal(a["latent_on_mode"][k], d.min(axis=1) <= 3.0 * STD)
        np.testing.assert_allclose(a["latent_share"][k], shares(a["latent_x"][k]))
        np.testing.assert_allclose(
            a["fake_mode_share"][k], shares(a["snapshots"][k, -1].astype(np.float64))
        )
    assert s["ring_radius"] == pytest.approx(2.0 / 1.414, rel=1e-6)


def test_the_summary_scalars_follow_from_the_members_arrays(results):
    a, s = results["ring_run"].arrays, results["ring_run"].scalars
    final = a["coverage"][:, -1]
    assert (s["modes_final_min"], s["modes_final_max"]) == (final.min(), final.max())
    assert s["modes_final_median"] == np.median(final)
    radius = np.linalg.norm(a["snapshots"].astype(np.float64), axis=3).mean(axis=2)
    assert s["start_radius_max"] == pytest.approx(radius[:, 0].max())
    assert s["final_radius_min"] == pytest.approx(radius[:, -1].min())
    on = a["latent_on_mode"].mean(axis=1)
    assert (s["latent_on_mode_min"], s["latent_on_mode_max"]) == (on.min(), on.max())
    area = (a["d_grid"][:, -1] < 0.1).mean(axis=(1, 2))
    assert s["confident_fake_area_min"] == pytest.approx(area.min())
    islands = (a["d_grid"][:, -1] > 0.5).mean(axis=(1, 2))
    assert s["members_small_islands"] == (islands < 0.05).sum()
    assert s["members_islands_underfilled"] == (a["island_rank"] < 0).sum()
    # the member shown is the median by its final share of samples on a mode
    by_share = np.argsort(a["on_mode_share"][:, -1], kind="stable")
    assert s["shown_member"] == by_share[(s["members"] - 1) // 2]


def test_the_final_numbers_of_the_discriminator_follow_from_its_logits(results):
    a, s = results["ring_run"].arrays, results["ring_run"].scalars
    losses = []
    for real, fake in zip(a["real_logit_final"], a["fake_logit_final"], strict=True):
        losses.append(np.mean(np.logaddexp(0.0, -real)) + np.mean(np.logaddexp(0.0, fake)))
    np.testing.assert_allclose(a["d_loss_final"], losses, rtol=1e-9)
    assert s["d_loss_final_max"] == pytest.approx(max(losses), rel=1e-9)
    assert s["d_real_mean_final_min"] == pytest.approx(expit(a["real_logit_final"]).mean(1).min())
    assert s["d_fake_mean_final_max"] == pytest.approx(expit(a["fake_logit_final"]).mean(1).max())
    # D on the final samples between the modes and on them, split by a numpy recount
    finals = a["snapshots"][:, -1]
    for k, (fake, samples) in enumerate(zip(a["fake_logit_final"], finals, strict=True)):
        on = distances(samples.astype(np.float64)).min(axis=1) <= 3.0 * STD
        between = expit(fake[~on]).mean() if (~on).any() else np.nan
        at_modes = expit(fake[on]).mean() if on.any() else np.nan
        np.testing.assert_allclose(a["d_fake_off_mode"][k], between, rtol=1e-12)
        np.testing.assert_allclose(a["d_fake_on_mode"][k], at_modes, rtol=1e-12)


def test_the_rank_correlation_is_spearmans_and_zero_for_a_constant_sequence():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=8), rng.normal(size=8)
    assert rank_correlation(x, y) == pytest.approx(spearmanr(x, y).statistic)
    assert rank_correlation(x, -x) == pytest.approx(-1.0)
    assert rank_correlation(x, np.zeros(8)) == 0.0


def test_a_member_of_the_ensemble_is_the_train_run_of_its_config(results):
    exp = get_experiment("ring_run")
    params = exp.params_for("test")
    member = RunContext(torch.device("cpu"), exp.seed, "test").members(params["members"])[-1]
    G, D = ring_players(params, member)
    history = train(G, D, ring_data, ring_config(params, member), progress=False)
    a = results["ring_run"].arrays
    np.testing.assert_array_equal(a["snapshot_steps"], history.snapshot_steps)
    # batched float32 products round differently from single ones: equal to float32 noise
    np.testing.assert_allclose(a["snapshots"][-1], history.snapshots, atol=1e-5)
    # the last map of D is the lone run's final discriminator on the grid
    grid = plane_grid(params["extent"], params["grid"])
    with torch.no_grad():
        logits = D(torch.as_tensor(grid, dtype=torch.float32))[:, 0].double().numpy()
    np.testing.assert_allclose(a["d_grid"][-1, -1].ravel(), expit(logits), atol=1e-5)
    with torch.no_grad():
        real = D(torch.as_tensor(a["real"], dtype=torch.float32))[:, 0].double().numpy()
    np.testing.assert_allclose(a["real_logit_final"][-1], real, atol=1e-4)


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
