"""KL, JS and total variation against closed forms, scipy's entropies and their definitions."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.stats import entropy, norm

from ganbook.divergences import js_divergence, kl_divergence, total_variation

from helpers import random_pair

DIVERGENCES = [kl_divergence, js_divergence, total_variation]


def gaussian_on_grid(mu: float, sigma: float) -> np.ndarray:
    """N(mu, sigma^2) density on a fine uniform grid, times the spacing, normalised to sum 1."""
    x = np.linspace(-30.0, 30.0, 30_001)
    p = norm.pdf(x, mu, sigma) * (x[1] - x[0])
    return p / p.sum()


@pytest.mark.parametrize("divergence", DIVERGENCES)
@pytest.mark.parametrize(("seed", "n"), [(0, 50), (4, 20)])
def test_a_distribution_is_at_divergence_zero_from_itself(divergence, seed, n):
    p, _ = random_pair(np.random.default_rng(seed), n, zeros=True)
    assert divergence(p, p) == 0.0


# --- KL -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mu1", "s1", "mu2", "s2"), [(0, 1, 0, 1), (0, 1, 1, 1), (0.5, 1, -1, 2), (1, 2, 0, 1.5)]
)
def test_kl_of_gaussians_on_a_grid_matches_the_closed_form(mu1, s1, mu2, s2):
    closed_form = math.log(s2 / s1) + (s1**2 + (mu1 - mu2) ** 2) / (2 * s2**2) - 0.5
    value = kl_divergence(gaussian_on_grid(mu1, s1), gaussian_on_grid(mu2, s2))
    assert value == pytest.approx(closed_form, abs=1e-7)


def test_kl_is_infinite_where_q_vanishes_under_p():
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf


def test_kl_ignores_points_where_p_vanishes():
    # 0 log(0 / q) = 0, even where q = 0 too
    assert kl_divergence([1.0, 0.0, 0.0], [0.5, 0.5, 0.0]) == pytest.approx(math.log(2))


def test_kl_agrees_with_scipy_relative_entropy():
    rng = np.random.default_rng(1)
    for _ in range(20):
        p, q = random_pair(rng, 12)
        assert kl_divergence(p, q) == pytest.approx(entropy(p, q), rel=1e-12)


# --- JS -------------------------------------------------------------------------------------------


def test_js_equals_entropy_of_mixture_minus_mean_entropy():
    # JS(p, q) = H((p + q) / 2) - (H(p) + H(q)) / 2, with Shannon entropies from scipy
    rng = np.random.default_rng(2)
    for _ in range(30):
        p, q = random_pair(rng, 9, zeros=True)
        expected = entropy((p + q) / 2) - (entropy(p) + entropy(q)) / 2
        assert js_divergence(p, q) == pytest.approx(expected, abs=1e-12)


def test_js_is_symmetric_and_bounded_by_log_2():
    rng = np.random.default_rng(3)
    for _ in range(30):
        p, q = random_pair(rng, 7, zeros=True)
        assert js_divergence(p, q) == pytest.approx(js_divergence(q, p), abs=1e-15)
        assert 0.0 <= js_divergence(p, q) <= math.log(2) + 1e-15


def test_js_is_log_2_on_disjoint_supports():
    p = [0.2, 0.8, 0.0, 0.0, 0.0]
    q = [0.0, 0.0, 0.1, 0.3, 0.6]
    assert js_divergence(p, q) == pytest.approx(math.log(2), abs=1e-15)


# --- total variation ------------------------------------------------------------------------------


def test_total_variation_is_the_largest_difference_over_events():
    # the definition sup_A |p(A) - q(A)|, by enumerating every subset A of a small grid
    rng = np.random.default_rng(5)
    for _ in range(10):
        p, q = random_pair(rng, 6, zeros=True)
        events = itertools.product([False, True], repeat=6)
        sup = max(abs(p[list(a)].sum() - q[list(a)].sum()) for a in events)
        assert total_variation(p, q) == pytest.approx(sup, abs=1e-15)


def test_total_variation_is_a_bounded_symmetric_metric_and_meets_pinsker():
    rng = np.random.default_rng(6)
    for _ in range(20):
        p, q = random_pair(rng, 8)
        r, _ = random_pair(rng, 8)
        tv = total_variation(p, q)
        assert 0.0 <= tv <= 1.0
        assert tv == total_variation(q, p)
        assert tv <= total_variation(p, r) + total_variation(r, q) + 1e-15
        assert tv <= math.sqrt(kl_divergence(p, q) / 2)
    assert total_variation([0.5, 0.5, 0.0], [0.0, 0.0, 1.0]) == 1.0
    assert total_variation(p, p) == 0.0


# --- bad input ------------------------------------------------------------------------------------

GOOD = [0.25, 0.75]


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_rejects_negative_entries(divergence):
    with pytest.raises(ValueError, match=r"^q must be non-negative"):
        divergence(GOOD, [1.5, -0.5])


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_rejects_vectors_that_do_not_sum_to_one(divergence):
    with pytest.raises(ValueError, match=r"^p must sum to 1"):
        divergence([0.25, 0.75 + 1e-6], GOOD)


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_accepts_sums_within_the_tolerance(divergence):
    assert np.isfinite(divergence([0.25, 0.75 + 1e-10], GOOD))


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_rejects_vectors_of_different_lengths(divergence):
    with pytest.raises(ValueError, match=r"^p and q must have the same length, got 2 and 3"):
        divergence(GOOD, [0.2, 0.3, 0.5])


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_rejects_non_finite_entries(divergence):
    with pytest.raises(ValueError, match=r"^p must be finite"):
        divergence([np.nan, 1.0], GOOD)


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_rejects_matrices(divergence):
    with pytest.raises(ValueError, match=r"^q must be 1-D, got shape \(1, 2\)"):
        divergence(GOOD, [GOOD])


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_rejects_empty_vectors(divergence):
    with pytest.raises(ValueError, match=r"^p must not be empty"):
        divergence([], GOOD)


@pytest.mark.parametrize("divergence", DIVERGENCES)
def test_rejects_non_numeric_input(divergence):
    with pytest.raises(TypeError, match=r"^p must be an array of real numbers"):
        divergence(["a", "b"], GOOD)
