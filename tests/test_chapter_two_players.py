"""Chapters 3, 4 and 7 of Part I: every equality their prose derives, against independent routes.

The value of the shift toy is recomputed here by adaptive quadrature with scipy (no torch, no
ganbook loss), derivatives by finite differences of that quadrature; the trainer's two steps are
replayed by hand from the same random stream; the training experiments are seed ensembles, and
their members are checked against runs of `train` on their own.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy import integrate, optimize, stats
from scipy.special import log_expit

from ganbook.data import gaussian_1d
from ganbook.experiments import check_claims, claims_for, run_experiment
from ganbook.experiments.registry import RunContext, get_experiment
from ganbook.experiments.shift_toy import value_at_optimum_by_quadrature
from ganbook.experiments.two_players import (
    game_value,
    play_field,
    reduced_value,
    symmetric_intercept,
)
from ganbook.losses import get_loss, minimax_discriminator_loss, nonsaturating_generator_loss
from ganbook.measures import median_member
from ganbook.models import LogisticDiscriminator, ShiftGenerator
from ganbook.theory import dirac_jacobian, gaussian_optimal_discriminator_logit
from ganbook.training import GAN, TrainConfig, discriminator_step, generator_step, train

EXPERIMENTS = (
    "two_players_value",
    "two_players_play",
    "alternation_shift",
    "alternation_ring",
    "shift_toy_densities",
    "shift_toy_value",
    "shift_toy_gradients",
)
MU, SIGMA, NODES = 2.0, 1.0, 60


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    return {
        name: run_experiment(name, profile="test", device="cpu", cache_dir=cache)[0]
        for name in EXPERIMENTS
    }


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_the_claims_of_the_chapters_hold_on_the_test_profile(results, name):
    expected = sum("test" in c.profiles for c in claims_for(name))
    assert check_claims(name, results[name], "test") == expected >= 1


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
    return value_at_optimum_by_quadrature(MU, theta, SIGMA)


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


def test_full_hessian_matches_the_closed_form(results):
    closed = np.array(
        [[0.0, 0.0, -0.5], [0.0, -0.5, -MU / 2], [-0.5, -MU / 2, -(MU**2 + SIGMA**2) / 2]]
    )
    fd = finite_difference_hessian(lambda p: value_by_quadrature(*p), [MU, 0.0, 0.0])
    np.testing.assert_allclose(fd, closed, atol=1e-5)
    np.testing.assert_allclose(
        results["two_players_value"].arrays["full_hessian"], closed, atol=1e-10
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


def test_equilibrium_values_of_the_losses_at_d_one_half():
    zeros = torch.zeros(7)  # logit 0: D = ½
    assert float(minimax_discriminator_loss(zeros, zeros)) == pytest.approx(np.log(4.0))
    assert float(nonsaturating_generator_loss(zeros)) == pytest.approx(np.log(2.0))


def test_discriminator_step_leaves_the_generator_alone_and_generator_step_draws_fresh_z():
    generator, discriminator = ShiftGenerator(theta=-1.0), LogisticDiscriminator(0.1, 0.2)
    gan = GAN(
        generator,
        discriminator,
        g_optimiser=torch.optim.SGD(generator.parameters(), lr=0.1),
        d_optimiser=torch.optim.SGD(discriminator.parameters(), lr=0.1),
        loss=get_loss("non-saturating"),
        rng=torch.Generator().manual_seed(5),
    )
    replay = torch.Generator().manual_seed(5)
    z_d, z_g = (torch.randn(8, 1, generator=replay) for _ in range(2))
    x = torch.full((8, 1), 2.0)
    record = discriminator_step(gan, x)
    assert generator.theta.item() == -1.0 and generator.theta.grad is None  # no graph into G
    torch.testing.assert_close(record.d_fake, LogisticDiscriminator(0.1, 0.2)(z_d - 1.0))
    with torch.no_grad():
        expected = discriminator(z_g - 1.0)  # D as just updated, on G(fresh z)
    g_record = generator_step(gan, 8)
    torch.testing.assert_close(g_record.d_fake, expected)
    assert not torch.equal(z_d, z_g) and generator.theta.item() != -1.0


def test_thetas_read_from_the_snapshots_end_at_each_members_trained_shift(results):
    r = results["alternation_shift"]
    thetas = r.arrays["thetas"]  # (members, snapshots)
    assert thetas.shape[0] == r.scalars["members"] >= 2
    np.testing.assert_allclose(thetas[:, 0], r.scalars["theta0"], atol=1e-6)
    np.testing.assert_allclose(thetas[:, -1], r.arrays["final_theta"], atol=1e-5)


def test_a_member_of_the_shift_ensemble_is_the_run_train_gives_its_seed(results):
    r = results["alternation_shift"]
    s = r.scalars
    context = RunContext(torch.device("cpu"), get_experiment("alternation_shift").seed, "test")
    member = context.members(s["members"])[1]
    config = TrainConfig.for_loss(
        "non-saturating",
        steps=s["steps"],
        batch_size=s["batch_size"],
        d_lr=s["lr"],
        g_lr=s["lr"],
        snapshot_every=25,
        seed=member.seed,
        device="cpu",
    )
    generator = ShiftGenerator(theta=s["theta0"])

    def data(n, rng):
        return gaussian_1d(n, mean=s["mu"], std=s["sigma"], generator=rng)

    history = train(generator, LogisticDiscriminator(), data, config, progress=False)
    np.testing.assert_array_equal(history.d_loss, r.arrays["d_loss"][1])
    assert generator.theta.item() == pytest.approx(r.arrays["final_theta"][1], abs=1e-7)
    assert not np.array_equal(r.arrays["d_loss"][0], r.arrays["d_loss"][1])  # own streams


def test_the_figures_of_one_run_show_the_median_member(results):
    shift, ring = results["alternation_shift"], results["alternation_ring"]
    gaps = np.abs(shift.arrays["final_theta"] - shift.scalars["mu"])
    assert shift.scalars["shown_member"] == median_member(gaps)
    assert ring.scalars["shown_member"] == median_member(ring.arrays["modes"][:, -1])
    # the ring's per-member arrays: (members, steps) series, (members, snapshots, S, 2) samples
    members = ring.scalars["members"]
    assert ring.arrays["d_loss"].shape == (members, ring.scalars["steps"])
    assert ring.arrays["snapshots"].shape[:2] == (members, len(ring.arrays["snapshot_steps"]))


@pytest.mark.parametrize("theta", [-1.0, 0.5, 3.0])
def test_the_best_logistic_discriminator_is_the_optimal_one(theta):
    # D*'s logit is affine: intercept at x = 0, slope = logit(1) − logit(0)
    at_zero, at_one = gaussian_optimal_discriminator_logit(np.array([0.0, 1.0]), MU, theta, SIGMA)
    slope = at_one - at_zero
    assert slope == pytest.approx((MU - theta) / SIGMA**2)
    assert symmetric_intercept(theta, slope, MU) == pytest.approx(at_zero)
