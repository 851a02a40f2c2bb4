"""The optimal discriminator and the minimax value against closed forms and the JS identity."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from scipy.special import expit
from scipy.stats import norm

from ganbook.divergences import js_divergence
from ganbook.theory import (
    gaussian_optimal_discriminator_logit,
    gaussian_optimal_logistic_parameters,
    gaussian_value_at_optimum,
    least_squares_optimal_discriminator,
    minimax_value,
    optimal_discriminator,
)

from helpers import random_pair

# --- optimal discriminator ------------------------------------------------------------------------


@pytest.mark.parametrize(("mu", "theta", "sigma"), [(0.0, 1.0, 1.0), (2.0, -1.0, 0.5), (0, 0, 3)])
def test_optimal_discriminator_matches_the_gaussian_closed_form(mu, theta, sigma):
    x = np.linspace(-6.0, 6.0, 241)
    d_star = optimal_discriminator(norm.pdf(x, mu, sigma), norm.pdf(x, theta, sigma))
    logit = gaussian_optimal_discriminator_logit(x, mu, theta, sigma)
    np.testing.assert_allclose(d_star, expit(logit), rtol=1e-10, atol=1e-14)


def test_gaussian_logit_is_the_log_density_ratio():
    x = np.linspace(-4.0, 4.0, 81)
    expected = norm.logpdf(x, 0.7, 1.3) - norm.logpdf(x, -0.4, 1.3)
    logit = gaussian_optimal_discriminator_logit(x, mu=0.7, theta=-0.4, sigma=1.3)
    np.testing.assert_allclose(logit, expected, atol=1e-12)


def test_optimal_discriminator_is_one_half_where_both_densities_vanish():
    d = optimal_discriminator([0.0, 0.3, 0.0, 0.7], [0.0, 0.0, 0.5, 0.5])
    np.testing.assert_array_equal(d, [0.5, 1.0, 0.0, 0.7 / 1.2])


def test_optimal_discriminator_keeps_the_shape_and_ignores_the_scale():
    rng = np.random.default_rng(0)
    p, q = rng.random((3, 4)), rng.random((3, 4))
    d = optimal_discriminator(p, q)
    assert d.shape == (3, 4)
    np.testing.assert_allclose(d, optimal_discriminator(7 * p, 7 * q), rtol=1e-15)


def test_optimal_discriminator_maximises_the_value():
    # V(D*, G) >= V(D, G) for random competitors D
    rng = np.random.default_rng(1)
    for _ in range(20):
        p, q = random_pair(rng, 10, zeros=False)
        best = minimax_value(p, q, optimal_discriminator(p, q))
        for _ in range(20):
            assert minimax_value(p, q, rng.random(10)) <= best + 1e-12


# --- minimax value --------------------------------------------------------------------------------


def test_value_at_the_optimal_discriminator_is_minus_log_4_plus_twice_js():
    # Goodfellow et al. (2014), Theorem 1: V(D*, G) = -log 4 + 2 JS(p_data, p_g)
    rng = np.random.default_rng(2)
    for trial in range(200):
        p, q = random_pair(rng, int(rng.integers(2, 30)), zeros=trial % 2 == 1, zero_share=0.4)
        value = minimax_value(p, q, optimal_discriminator(p, q))
        assert value == pytest.approx(-math.log(4) + 2 * js_divergence(p, q), abs=1e-12)


def test_value_is_zero_on_disjoint_supports_and_minus_log_4_when_equal():
    p, q = [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]
    assert minimax_value(p, q, optimal_discriminator(p, q)) == 0.0
    assert minimax_value(p, p, optimal_discriminator(p, p)) == pytest.approx(-math.log(4))


def test_value_uses_zero_log_zero_and_is_minus_infinity_on_a_wrong_certain_guess():
    assert minimax_value([1.0, 0.0], [0.0, 1.0], [1.0, 0.0]) == 0.0
    assert minimax_value([1.0, 0.0], [0.0, 1.0], [0.0, 0.0]) == -math.inf
    assert minimax_value([1.0, 0.0], [0.5, 0.5], [1.0, 0.0]) == -math.inf


def test_value_matches_a_direct_sum_for_interior_discriminators():
    rng = np.random.default_rng(3)
    p, q = random_pair(rng, 12, zeros=False)
    d = rng.uniform(0.01, 0.99, size=12)
    expected = sum(a * math.log(b) + c * math.log(1 - b) for a, c, b in zip(p, q, d, strict=True))
    assert minimax_value(p, q, d) == pytest.approx(expected, rel=1e-13)


# --- bad input ------------------------------------------------------------------------------------


def test_optimal_discriminator_rejects_negative_densities():
    with pytest.raises(ValueError, match=r"^p_model must be non-negative"):
        optimal_discriminator([0.5, 0.5], [0.5, -0.5])


def test_optimal_discriminator_rejects_non_finite_densities():
    with pytest.raises(ValueError, match=r"^p_data must be finite"):
        optimal_discriminator([np.inf, 0.5], [0.5, 0.5])


def test_optimal_discriminator_rejects_different_shapes():
    with pytest.raises(ValueError, match=r"^p_data and p_model must have the same shape"):
        optimal_discriminator([0.5, 0.5], [0.2, 0.3, 0.5])


def test_minimax_value_rejects_a_discriminator_outside_the_unit_interval():
    with pytest.raises(ValueError, match=r"^d must lie in \[0, 1\]"):
        minimax_value([0.5, 0.5], [0.5, 0.5], [0.5, 1.5])


def test_minimax_value_rejects_a_discriminator_of_another_shape():
    with pytest.raises(ValueError, match=r"^p_data and p_model and d must have the same shape"):
        minimax_value([0.5, 0.5], [0.5, 0.5], [0.5])


def test_minimax_value_rejects_negative_masses():
    with pytest.raises(ValueError, match=r"^p_data must be non-negative"):
        minimax_value([-0.5, 1.5], [0.5, 0.5], [0.5, 0.5])


def test_gaussian_logit_rejects_a_non_positive_sigma():
    with pytest.raises(ValueError, match=r"^sigma must be positive"):
        gaussian_optimal_discriminator_logit(0.0, 0.0, 1.0, sigma=0.0)


def test_gaussian_logit_rejects_a_non_finite_mean():
    with pytest.raises(ValueError, match=r"^mu must be finite"):
        gaussian_optimal_discriminator_logit(0.0, math.nan, 1.0)


def test_gaussian_logit_rejects_non_finite_points():
    with pytest.raises(ValueError, match=r"^x must be finite"):
        gaussian_optimal_discriminator_logit([0.0, math.inf], 0.0, 1.0)


# --- the least-squares optimal discriminator ------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [(0.0, 1.0), (-1.0, 1.0), (0.5, -2.0)])
def test_least_squares_optimum_minimises_the_pointwise_objective(a, b):
    # an independent route: a bounded scalar minimiser of ½ p (y − b)² + ½ q (y − a)² at each x
    rng = np.random.default_rng(4)
    p, q = rng.uniform(0.0, 2.0, 25), rng.uniform(0.0, 2.0, 25)
    d_star = least_squares_optimal_discriminator(p, q, a, b)
    low, high = min(a, b) - 1.0, max(a, b) + 1.0
    for pi, qi, di in zip(p, q, d_star, strict=True):
        found = minimize_scalar(
            lambda y, pi=pi, qi=qi: 0.5 * pi * (y - b) ** 2 + 0.5 * qi * (y - a) ** 2,
            bounds=(low, high),
            method="bounded",
            options={"xatol": 1e-12},
        )
        assert di == pytest.approx(found.x, abs=1e-6)  # the solver's own tolerance


def test_least_squares_optimum_with_the_binary_coding_is_the_classifier_s():
    x = np.linspace(-6.0, 6.0, 121)
    p, q = norm.pdf(x, 0.0, 1.0), norm.pdf(x, -2.0, 1.0)
    np.testing.assert_allclose(
        least_squares_optimal_discriminator(p, q), optimal_discriminator(p, q), rtol=1e-14
    )


def test_least_squares_optimum_is_the_midpoint_where_both_densities_vanish():
    d = least_squares_optimal_discriminator([0.0, 0.2, 0.0], [0.0, 0.0, 0.4], a=-1.0, b=3.0)
    np.testing.assert_allclose(d, [1.0, 3.0, -1.0], rtol=1e-15)


def test_least_squares_optimum_rejects_bad_input():
    with pytest.raises(ValueError, match="p_data"):
        least_squares_optimal_discriminator([-0.1, 0.5], [0.5, 0.5])
    with pytest.raises(ValueError, match="shape"):
        least_squares_optimal_discriminator([0.5, 0.5], [0.5, 0.5, 0.0])
    with pytest.raises(ValueError, match="a must be finite"):
        least_squares_optimal_discriminator([0.5], [0.5], a=math.inf)


# --- the logistic parameters of D* and V(D*, G) by quadrature -------------------------------------


@pytest.mark.parametrize(("mu", "theta", "sigma"), [(0.0, -3.0, 1.0), (1.0, 0.5, 2.0), (2, 2, 1)])
def test_logistic_parameters_are_the_closed_form(mu, theta, sigma):
    phi0, phi1 = gaussian_optimal_logistic_parameters(mu, theta, sigma)
    assert phi1 == pytest.approx((mu - theta) / sigma**2, abs=1e-14)
    assert phi0 == pytest.approx((theta**2 - mu**2) / (2 * sigma**2), abs=1e-14)


def test_value_at_optimum_is_minus_log_4_when_equal_and_zero_when_far_apart():
    assert gaussian_value_at_optimum(0.3, 0.3, 1.7) == pytest.approx(-math.log(4.0), abs=1e-12)
    assert gaussian_value_at_optimum(0.0, 60.0) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(
    ("mu", "theta", "sigma", "s"), [(0, 1.5, 1, 1), (1, -2, 0.5, 2), (0, 0, 1, 3)]
)
def test_value_at_optimum_is_minus_log_4_plus_twice_js_on_a_fine_grid(mu, theta, sigma, s):
    # an independent route: the JS divergence of the two densities on a fine grid
    x = np.linspace(-40.0, 40.0, 80001)
    p, q = norm.pdf(x, mu, sigma), norm.pdf(x, theta, s)
    js = js_divergence(p / p.sum(), q / q.sum())
    assert gaussian_value_at_optimum(mu, theta, sigma, s) == pytest.approx(
        -math.log(4.0) + 2.0 * js, abs=1e-9
    )


def test_value_at_optimum_is_symmetric_and_invariant_under_affine_maps():
    value = gaussian_value_at_optimum(0.5, -1.0, 1.2, 0.7)
    # V = KL(p‖m) + KL(q‖m) − log 4 is symmetric in p and q ...
    assert gaussian_value_at_optimum(-1.0, 0.5, 0.7, 1.2) == pytest.approx(value, abs=1e-12)
    # ... and unchanged by x ↦ (x − μ)/σ applied to both
    scaled = gaussian_value_at_optimum(0.0, (-1.0 - 0.5) / 1.2, 1.0, 0.7 / 1.2)
    assert scaled == pytest.approx(value, abs=1e-12)
    assert gaussian_value_at_optimum(0.0, 1.0) == gaussian_value_at_optimum(0.0, 1.0, 1.0, 1.0)


def test_value_at_optimum_rejects_a_non_positive_width():
    with pytest.raises(ValueError, match="model_sigma must be positive"):
        gaussian_value_at_optimum(0.0, 1.0, 1.0, 0.0)
