"""What a GAN is: the ring run's numbers, rechecked.

The experiment runs at the test profile. Mode counts, nearest modes and mode shares are recounted
with numpy from centres written out by hand; every summary scalar is recomputed from the
per-member arrays; the last member of the ensemble is compared with an independent `train()` of
its config, whose final discriminator must reproduce that member's last map.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from scipy.special import expit
from scipy.stats import spearmanr

from ganbook.book.part1.what_is_a_gan.experiments import rank_correlation
from ganbook.engine import get_experiment
from ganbook.engine.figures import get_figure
from ganbook.engine.registry import RunContext
from ganbook.measures import plane_grid, ring_data, toy_config, toy_players
from ganbook.training import train

FIGURES = (
    "landing_ring",
    "ring_run_samples",
    "ring_run_coverage",
    "ring_run_latent",
)


STD = 0.02 / 1.414  # the ring's per-mode standard deviation, from gan_toy.py's constants


def centres() -> np.ndarray:
    angle = np.arange(8) * np.pi / 4
    return 2.0 / 1.414 * np.stack([np.cos(angle), np.sin(angle)], axis=1)


def distances(points: np.ndarray) -> np.ndarray:
    return np.sqrt(((points[:, None, :] - centres()[None, :, :]) ** 2).sum(axis=2))  # (N, 8)


def shares(points: np.ndarray) -> np.ndarray:
    d = distances(points)
    close = d.min(axis=1) <= 3.0 * STD
    return np.bincount(d.argmin(axis=1)[close], minlength=8) / len(points)


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
    G, D = toy_players(params, member)
    lr, samples = params["lr"], params["samples"]
    config = toy_config(params["loss"], params, member, d_lr=lr, g_lr=lr, snapshot_size=samples)
    history = train(G, D, ring_data, config, progress=False)
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


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_of_the_chapter_draws_from_the_test_results(results, name):
    spec = get_figure(name)
    fig = spec.draw({e: results[e] for e in spec.experiments})
    assert len(fig.axes) >= 2
    plt.close(fig)


def test_mode_shares_follow_from_a_numpy_recount_of_the_latent_cloud(results):
    ring, r = results["ring_run"], results["ring_run_mode_shares"]
    recount = np.stack([shares(x) for x in ring.arrays["latent_x"]])  # (members, 8)
    np.testing.assert_allclose(r.arrays["smallest"], recount.min(axis=1))
    np.testing.assert_allclose(r.arrays["largest"], recount.max(axis=1))
    shown = np.sort(recount[int(ring.scalars["shown_member"])])
    assert r.scalars["shown_smallest"] == pytest.approx(shown[0])
    assert r.scalars["shown_largest"] == pytest.approx(shown[-1])
    assert r.scalars["shown_modes_under_half"] == int((shown < 1 / 16).sum())
    assert r.scalars["members_some_mode_under_quarter"] == int((recount.min(axis=1) < 1 / 32).sum())
    assert r.scalars["uniform_share"] == 1 / 8
