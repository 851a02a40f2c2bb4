"""The chapter "Measuring a generator": its results' shapes, its demonstration, its formulas.

The experiments run on the test profile against *stand-ins* for the ensembles they read (the
DCGAN chapter's, the ring chapters'), built here, so that these tests check this chapter's code
and not the other chapters' training. Each formula the page states is recomputed by a route that
shares no code with the package: 1-D Gaussians, brute-force neighbour balls, a histogram by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from ganbook.book.part3.measuring.comparisons import CLASSES, overlapping_pairs, without
from ganbook.book.part3.measuring.experiments import (
    TOY_RUNS,
    digit_classifier,
    measuring,
    measuring_toys,
)
from ganbook.data import load_digits_dataset
from ganbook.engine.registry import RunContext, get_experiment
from ganbook.engine.result import ExperimentResult
from ganbook.measures.generators import class_histogram_kl, frechet_distance, precision_recall


def context(**needed) -> RunContext:
    return RunContext(device=torch.device("cpu"), seed=0, profile="test", needed=needed)


def standin_dcgan(members: int = 2, samples: int = 600) -> ExperimentResult:
    r"""Training digits drawn with replacement plus pixel noise, more for each member."""
    x = load_digits_dataset(size=16, split="train")[:, 0].numpy()
    rng = np.random.default_rng(0)
    final = [
        np.clip(
            x[rng.choice(len(x), samples)] + rng.normal(0, 0.1 * (k + 1), (samples, 16, 16)), -1, 1
        )
        for k in range(members)
    ]
    return ExperimentResult(
        arrays={"final_samples": np.stack(final).astype(np.float32)},
        scalars={"members": members, "steps": 1, "latent_dim": 16, "eval_samples": samples},
    )


def trained_classifier() -> ExperimentResult:
    r"""The ``digit_classifier`` result on the test profile."""
    return digit_classifier(get_experiment("digit_classifier").params_for("test"), context())


@pytest.fixture(scope="module")
def measured() -> ExperimentResult:
    params = get_experiment("measuring").params_for("test")
    return measuring(params, context(dcgan=standin_dcgan(), digit_classifier=trained_classifier()))


def test_the_result_holds_one_row_per_member_and_the_demonstration(measured):
    a, s = measured.arrays, measured.scalars
    assert a["member_fd"].shape == (s["members"], s["resamples"])
    assert (
        a["floor_fd"].shape == a["collapsed_fd"].shape == a["noisy_fd"].shape == (s["resamples"],)
    )
    assert a["member_histogram"].shape == (s["members"], CLASSES)
    for name in ("precision", "recall", "coverage", "kl"):
        assert a[f"member_{name}"].shape == (s["members"],)
    assert a["one_class_fd"].shape == (CLASSES,)
    assert np.allclose(a["member_histogram"].sum(axis=1), 1.0)
    assert 0.0 <= s["accuracy"] <= 1.0
    assert s["feature_dim"] == 128


def test_the_demonstration_removes_the_classes_whose_removal_the_fd_notices_least(measured):
    a, s = measured.arrays, measured.scalars
    removed = a["removed_classes"]
    assert len(removed) == s["removed"]
    assert set(removed) == set(np.argsort(a["one_class_fd"], kind="stable")[: s["removed"]])
    _, labels = load_digits_dataset(size=16, split="heldout", with_labels=True)
    share = np.isin(labels.numpy(), removed).mean()
    assert s["removed_share"] == pytest.approx(share)


def test_without_keeps_exactly_the_other_classes():
    labels = np.array([0, 1, 2, 1, 3, 0, 9])
    kept = without(labels, [1, 0])
    assert kept.tolist() == [2, 4, 6]
    assert not np.isin(labels[kept], [0, 1]).any()


def test_overlapping_pairs_counts_members_whose_ranges_of_draws_meet():
    fd = np.array([[1.0, 3.0], [2.0, 5.0], [6.0, 7.0], [7.0, 9.0]])  # 0–1 meet, 2–3 touch
    assert overlapping_pairs(fd) == 2


def test_the_noise_is_chosen_so_that_both_damaged_sets_have_one_median_fd(measured):
    s = measured.scalars
    assert 0.0 < s["noise_sigma"] < 2.0
    assert s["noisy_fd_median"] == pytest.approx(s["collapsed_fd_median"], rel=0.35)


def test_the_fd_of_two_gaussians_is_the_closed_form_of_the_page():
    # diagonal covariances commute: (Σ_r Σ_g)^{1/2} = diag(√(a b)), so the trace is Σ(√a − √b)²
    mu_r, mu_g = np.array([0.0, 1.0, -2.0]), np.array([1.0, 1.0, 0.0])
    var_r, var_g = np.array([1.0, 4.0, 0.25]), np.array([9.0, 1.0, 0.25])
    expected = ((mu_r - mu_g) ** 2).sum() + ((np.sqrt(var_r) - np.sqrt(var_g)) ** 2).sum()
    found = frechet_distance(mu_r, np.diag(var_r), mu_g, np.diag(var_g))
    assert found == pytest.approx(expected, rel=1e-9)


def histogram(labels) -> np.ndarray:
    return np.bincount(np.asarray(labels), minlength=CLASSES) / len(labels)


@pytest.mark.parametrize("missing", [1, 2, 5])
def test_the_kl_from_uniform_of_m_missing_equal_classes_is_log_ten_over_ten_minus_m(missing):
    labels = np.repeat(np.arange(missing, CLASSES), 7)  # equal shares of the other classes
    assert class_histogram_kl(labels, n_classes=CLASSES) == pytest.approx(
        math.log(CLASSES / (CLASSES - missing))
    )


def test_the_kl_from_uniform_is_log_ten_minus_the_entropy():
    labels = np.random.default_rng(1).integers(0, CLASSES, 300)
    p = histogram(labels)
    entropy = -(p[p > 0] * np.log(p[p > 0])).sum()
    assert class_histogram_kl(labels, n_classes=CLASSES) == pytest.approx(math.log(10) - entropy)


def brute_force_precision_recall(real, fake, k):
    r"""The page's definitions, one pair of points at a time."""

    def radius(points, i):
        d = sorted(np.linalg.norm(points[i] - points[j]) for j in range(len(points)))
        return d[k]  # d[0] = 0 is the point itself

    real_r = [radius(real, i) for i in range(len(real))]
    fake_r = [radius(fake, i) for i in range(len(fake))]
    precision = np.mean(
        [
            any(np.linalg.norm(g - r) <= rr for r, rr in zip(real, real_r, strict=False))
            for g in fake
        ]
    )
    recall = np.mean(
        [
            any(np.linalg.norm(r - g) <= rg for g, rg in zip(fake, fake_r, strict=False))
            for r in real
        ]
    )
    return precision, recall


@pytest.mark.parametrize("seed", [0, 1])
def test_precision_and_recall_are_the_shares_inside_the_other_sets_k_nn_balls(seed):
    rng = np.random.default_rng(seed)
    real = rng.normal(size=(40, 3))
    fake = rng.normal(size=(30, 3)) * 1.5 + 0.7
    found = precision_recall(real, fake, k=3)
    assert np.allclose(found, brute_force_precision_recall(real, fake, 3))


def standin_ring(key_names) -> ExperimentResult:
    r"""A ring result with final snapshots: member 0 on the modes, member 1 a diffuse cloud."""
    from ganbook.measures.samples import ring_data

    on = ring_data(400, torch.Generator().manual_seed(0)).numpy()
    diffuse = np.random.default_rng(0).normal(size=(400, 2))
    snapshots = np.stack([on, diffuse])[:, None]  # (members, 1 snapshot, 400, 2)
    arrays = {}
    for key in key_names:
        arrays[f"{key}_snapshots"] = snapshots.astype(np.float32)
        arrays[f"{key}_w1"] = np.array([[0.1], [0.8]])
    return ExperimentResult(arrays=arrays, scalars={"w1_floor": 0.09})


def test_the_toy_measures_put_precision_beside_the_share_on_a_mode():
    needed = {name: standin_ring([k for n, k in TOY_RUNS if n == name]) for name, _ in TOY_RUNS}
    params = get_experiment("measuring_toys").params_for("test")
    result = measuring_toys(params, context(**needed))
    a, s = result.arrays, result.scalars
    assert s["members"] == 2 * len(TOY_RUNS)
    assert a["precision"].shape == (s["members"],)
    assert (a["modes"][::2] == 8).all()
    assert (a["on_mode"][::2] > 0.9).all()
    assert (a["precision"][1::2] < a["precision"][::2]).all()  # the diffuse cloud is off the data
    assert s["real_modes"] == 8
    assert s["real_precision"] > 0.8
