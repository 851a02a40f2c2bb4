"""Known cases of the generator measures: closed forms, symmetric cases and constructed clusters."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ganbook.measures.generators import (
    class_coverage,
    class_histogram,
    class_histogram_kl,
    feature_frechet,
    frechet_distance,
    gaussian_fit,
    knn_radii,
    nearest_neighbour_distances,
    precision_recall,
    resampled_frechet,
)


def test_fd_identical_sets_is_zero():
    x = np.random.default_rng(0).normal(size=(200, 5))
    assert feature_frechet(x, x) == pytest.approx(0.0, abs=1e-9)


def test_fd_diagonal_gaussians_closed_form():
    mu1, mu2 = np.array([0.0, 1.0, -2.0]), np.array([1.0, 1.0, 0.5])
    s1, s2 = np.array([1.0, 2.0, 0.5]), np.array([3.0, 0.5, 0.5])
    expected = float(np.sum((mu1 - mu2) ** 2 + (s1 - s2) ** 2))
    got = frechet_distance(mu1, np.diag(s1**2), mu2, np.diag(s2**2))
    assert got == pytest.approx(expected, rel=1e-10)


def test_fd_symmetric_and_translation_adds_squared_norm():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(300, 4))
    b = rng.normal(size=(300, 4)) @ rng.normal(size=(4, 4))
    assert feature_frechet(a, b) == pytest.approx(feature_frechet(b, a), rel=1e-8)
    v = np.array([1.0, -2.0, 0.5, 3.0])
    assert feature_frechet(a, a + v) == pytest.approx(float(v @ v), rel=1e-8)


def test_gaussian_fit_is_unbiased():
    mu, cov = gaussian_fit(np.array([[0.0, 0.0], [2.0, 4.0]]))
    np.testing.assert_allclose(mu, [1.0, 2.0])
    np.testing.assert_allclose(cov, [[2.0, 4.0], [4.0, 8.0]])


def test_resampled_fd_same_distribution_small_vs_shifted():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(600, 3)), rng.normal(size=(600, 3))
    floor = resampled_frechet(a, b, n=200, resamples=5, rng=np.random.default_rng(3))
    shifted = resampled_frechet(a, b + 2.0, n=200, resamples=5, rng=np.random.default_rng(3))
    assert floor.shape == (5,)
    assert np.all(floor > 0)
    assert np.all(floor < 0.2)
    assert np.all(shifted > 10.0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: frechet_distance(np.zeros(2), np.eye(2), np.zeros(3), np.eye(3)), "mu2"),
        (lambda: frechet_distance(np.zeros(2), np.eye(3), np.zeros(2), np.eye(2)), "cov1"),
        (lambda: frechet_distance(np.array([np.nan]), np.eye(1), np.zeros(1), np.eye(1)), "NaN"),
        (lambda: feature_frechet(np.zeros((0, 2)), np.zeros((5, 2))), "rows"),
        (lambda: feature_frechet(np.zeros((5, 2)), np.zeros((5, 3))), "dimension"),
        (
            lambda: resampled_frechet(
                np.zeros((5, 2)), np.zeros((5, 2)), n=6, resamples=1, rng=np.random.default_rng()
            ),
            "exceed",
        ),
        (lambda: knn_radii(np.zeros((3, 2)), k=3), "k must"),
        (lambda: class_histogram(np.array([0, 10])), "lie in"),
        (lambda: class_histogram(np.array([], dtype=int)), "empty"),
    ],
)
def test_errors_name_the_problem(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_class_coverage_cases():
    balanced = np.repeat(np.arange(10), 20)
    assert class_coverage(balanced) == 1.0
    assert class_coverage(np.repeat(np.arange(9), 20)) == pytest.approx(0.9)
    assert class_coverage(np.zeros(50, dtype=int)) == pytest.approx(0.1)
    np.testing.assert_allclose(class_histogram(balanced), np.full(10, 0.1))


def test_class_histogram_kl_cases():
    assert class_histogram_kl(np.repeat(np.arange(10), 7)) == pytest.approx(0.0, abs=1e-12)
    assert class_histogram_kl(np.full(30, 4)) == pytest.approx(math.log(10))
    labels = np.array([0] * 30 + [1] * 10)  # shares 3/4, 1/4 over 10 classes
    expected = 0.75 * math.log(0.75 * 10) + 0.25 * math.log(0.25 * 10)
    assert class_histogram_kl(labels) == pytest.approx(expected)


def test_knn_radii_excludes_itself():
    np.testing.assert_allclose(knn_radii(np.array([[0.0], [1.0], [3.0], [7.0]]), k=2), [3, 2, 3, 6])


def _clusters(centres: np.ndarray, per: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.concatenate([c + 0.1 * rng.normal(size=(per, centres.shape[1])) for c in centres])


def test_precision_recall_known_cases():
    centres = 100.0 * np.eye(8)  # 8 well separated modes in 8-D
    real = _clusters(centres, 50, seed=0)
    assert precision_recall(real, real) == (1.0, 1.0)
    far = real + 1e4
    assert precision_recall(real, far) == (0.0, 0.0)
    half = real[: 4 * 50]  # a subset of the real rows: the first four of eight modes only
    precision, recall = precision_recall(real, half, k=3)
    assert precision == pytest.approx(1.0)
    assert recall == pytest.approx(0.5)


def test_nearest_neighbour_distance_of_a_copy_is_zero():
    rng = np.random.default_rng(4)
    train = rng.normal(size=(100, 1, 16, 16))
    distances = nearest_neighbour_distances(train[:10], train)
    np.testing.assert_array_equal(distances, np.zeros(10))
    moved = nearest_neighbour_distances(train[:1] + 1e3, train)
    assert moved[0] > 1e3
