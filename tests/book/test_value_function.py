"""The value function: every equality the chapter derives, against independent routes.

The value of the shift toy is recomputed here by adaptive quadrature with scipy (no torch, no
ganbook loss), derivatives by finite differences of that quadrature.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy import integrate, optimize, stats
from scipy.special import log_expit

from ganbook.book.part1.value_function.experiments import (
    game_value,
    play_field,
    reduced_value,
    symmetric_intercept,
)
from ganbook.theory import (
    dirac_jacobian,
    gaussian_optimal_discriminator_logit,
    gaussian_value_at_optimum,
)

MU, SIGMA, NODES = 2.0, 1.0, 60  # MU: a data mean away from 0, for the closed forms


def value_by_quadrature(theta, phi0, phi1, mu=MU, sigma=SIGMA) -> float:
    """V(θ, φ₀, φ₁) = ∫ p_data log σ(ℓ) + p_g log σ(−ℓ) dx by scipy's adaptive quadrature."""

    def integrand(x):
        logit = phi0 + phi1 * x
        return stats.norm.pdf(x, mu, sigma) * log_expit(logit) + stats.norm.pdf(
            x, theta, sigma
        ) * log_expit(-logit)

    low, high = min(mu, theta) - 12 * sigma, max(mu, theta) + 12 * sigma
    return integrate.quad(integrand, low, high, points=[mu, theta], limit=200, epsabs=1e-13)[0]


def ours(theta, phi0, phi1) -> float:
    t = [torch.tensor(float(v), dtype=torch.float64) for v in (theta, phi0, phi1)]
    return float(game_value(*t, MU, SIGMA, NODES))


@pytest.mark.parametrize(("theta", "phi0", "phi1"), [(-1, 0.3, 1.5), (2, 0, 0), (4, -2, -2.5)])
def test_gauss_hermite_through_the_loss_equals_adaptive_quadrature(theta, phi0, phi1):
    assert ours(theta, phi0, phi1) == pytest.approx(
        value_by_quadrature(theta, phi0, phi1), abs=1e-9
    )


@pytest.mark.parametrize(("theta", "phi1"), [(-1.0, 1.5), (0.5, -0.7), (3.5, 2.0), (2.0, 0.4)])
def test_the_symmetric_intercept_is_the_best_intercept(theta, phi1):
    best = optimize.minimize_scalar(
        lambda phi0: -value_by_quadrature(theta, phi0, phi1), bracket=(-5, 5), tol=1e-12
    )
    assert best.x == pytest.approx(symmetric_intercept(theta, phi1, MU), abs=1e-5)


@pytest.mark.parametrize("c", [0.3, 1.1])
def test_the_value_is_even_in_the_offset_from_the_symmetric_intercept(c):
    # V(c) = E_u[log σ(φ₁u + c) + log σ(φ₁u − c)] is even in c: the symmetry argument
    theta, phi1 = -0.5, 1.2
    phi0 = symmetric_intercept(theta, phi1, MU)
    assert value_by_quadrature(theta, phi0 + c, phi1) == pytest.approx(
        value_by_quadrature(theta, phi0 - c, phi1), abs=1e-10
    )


@pytest.mark.parametrize(("theta", "phi1"), [(-1.0, 1.5), (3.0, -0.4)])
def test_reduced_value_is_twice_one_expectation(theta, phi1):
    # V̄ = 2 E log σ(φ₁(δ/2 + σε)), δ = μ − θ, ε ~ N(0, 1)
    delta = MU - theta
    one = integrate.quad(
        lambda e: stats.norm.pdf(e) * log_expit(phi1 * (delta / 2 + SIGMA * e)),
        -12,
        12,
        epsabs=1e-13,
    )[0]
    value = reduced_value(
        *(torch.tensor(v, dtype=torch.float64) for v in (theta, phi1)), MU, SIGMA, NODES
    )
    assert float(value) == pytest.approx(2 * one, abs=1e-9)


@pytest.mark.parametrize("theta", [-1.0, 0.0, 1.0, 3.0])
def test_best_slope_is_the_optimal_discriminator_and_its_value_is_the_js_route(theta):
    def reduced(phi1):
        return value_by_quadrature(theta, symmetric_intercept(theta, phi1, MU), phi1)

    best = optimize.minimize_scalar(lambda p: -reduced(p), bracket=(-4, 4), tol=1e-12)
    assert best.x == pytest.approx((MU - theta) / SIGMA**2, abs=1e-5)
    assert -best.fun == pytest.approx(value_by_quadrature_at_optimum(theta), abs=1e-8)


def value_by_quadrature_at_optimum(theta: float) -> float:
    return gaussian_value_at_optimum(MU, theta, SIGMA)


def finite_difference_hessian(f, point, h=1e-3) -> np.ndarray:
    point = np.asarray(point, dtype=float)
    n = len(point)
    out = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            ei, ej = np.eye(n)[i] * h, np.eye(n)[j] * h
            out[i, j] = (
                f(point + ei + ej) - f(point + ei - ej) - f(point - ei + ej) + f(point - ei - ej)
            ) / (4 * h * h)
    return out


def test_reduced_hessian_matches_the_closed_form_and_finite_differences(results):
    closed = np.array([[0.0, -0.5], [-0.5, -(SIGMA**2) / 2]])

    def reduced(p):
        return value_by_quadrature(p[0], symmetric_intercept(p[0], p[1], MU), p[1])

    fd = finite_difference_hessian(reduced, [MU, 0.0])
    np.testing.assert_allclose(fd, closed, atol=1e-5)
    np.testing.assert_allclose(results["two_players_value"].arrays["hessian"], closed, atol=1e-10)
    assert np.linalg.det(closed) == pytest.approx(-0.25)


def closed_form_full_hessian(mu: float, sigma: float) -> np.ndarray:
    """The Hessian of V(θ, φ₀, φ₁) at the solution (μ, 0, 0)."""
    return np.array(
        [[0.0, 0.0, -0.5], [0.0, -0.5, -mu / 2], [-0.5, -mu / 2, -(mu**2 + sigma**2) / 2]]
    )


def test_full_hessian_matches_the_closed_form(results):
    # At μ = 2 (MU), where every term of the closed form is non-zero, by finite differences;
    # then the experiment's own Hessian at the book's μ.
    closed = closed_form_full_hessian(MU, SIGMA)
    fd = finite_difference_hessian(lambda p: value_by_quadrature(*p), [MU, 0.0, 0.0])
    np.testing.assert_allclose(fd, closed, atol=1e-5)
    book_mu = results["two_players_value"].scalars["mu"]
    np.testing.assert_allclose(
        results["two_players_value"].arrays["full_hessian"],
        closed_form_full_hessian(book_mu, SIGMA),
        atol=1e-10,
    )
    # D's block: determinant σ²/4 > 0 and trace < 0, so negative definite
    assert np.linalg.det(closed[1:, 1:]) == pytest.approx(SIGMA**2 / 4)


def test_play_jacobian_eigenvalues_and_the_dirac_limit(results):
    # numerical Jacobian of (−∂θ V̄, ∂φ₁ V̄) at the saddle, by central differences of autograd
    h = 1e-6
    columns = []
    for d in (np.array([h, 0.0]), np.array([0.0, h])):
        plus = np.array(play_field(MU + d[0], d[1], MU, SIGMA, NODES))
        minus = np.array(play_field(MU - d[0], -d[1], MU, SIGMA, NODES))
        columns.append((plus - minus) / (2 * h))
    jacobian = np.array(columns).T
    np.testing.assert_allclose(jacobian, [[0.0, 0.5], [-0.5, -(SIGMA**2) / 2]], atol=1e-7)
    s = results["two_players_play"].scalars
    lam = complex(-(SIGMA**2) / 4, np.sqrt(0.25 - SIGMA**4 / 16))
    assert (s["eig_real"], s["eig_imag"]) == pytest.approx((lam.real, lam.imag))
    eta = s["lr"]
    assert s["predicted_contraction"] == pytest.approx(np.sqrt(1 - eta * SIGMA**2 / 2 + eta**2 / 4))
    assert abs(1 + 2 * SIGMA**2 * lam) == pytest.approx(1.0)  # η = 2σ²: the boundary
    # σ → 0: no damping left, eigenvalues ±i/2, those of the unregularised Dirac-GAN
    limit = np.sort_complex(np.linalg.eigvals(np.array([[0.0, 0.5], [-0.5, 0.0]])))
    dirac = np.sort_complex(np.linalg.eigvals(dirac_jacobian("gan")))
    np.testing.assert_allclose(limit, dirac, atol=1e-12)


@pytest.mark.parametrize("theta", [-1.0, 0.5, 3.0])
def test_the_best_logistic_discriminator_is_the_optimal_one(theta):
    # D*'s logit is affine: intercept at x = 0, slope = logit(1) − logit(0)
    at_zero, at_one = gaussian_optimal_discriminator_logit(np.array([0.0, 1.0]), MU, theta, SIGMA)
    slope = at_one - at_zero
    assert slope == pytest.approx((MU - theta) / SIGMA**2)
    assert symmetric_intercept(theta, slope, MU) == pytest.approx(at_zero)
