"""Every equality derived in Part II's chapters on D*, Jensen–Shannon and disjoint supports.

One test per step of a derivation, checked numerically against an independent computation
(a solver, a simulation, a quadrature, a linear program) wherever there is one.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
from scipy import integrate, optimize, stats
from scipy.special import expit, xlogy

from ganbook.divergences import (
    earth_movers_distance,
    earth_movers_dual,
    js_divergence,
    kl_divergence,
    total_variation,
    wasserstein_1d,
)
from ganbook.experiments import check_claims, claims_for, run_experiment
from ganbook.experiments.disjoint_supports import parallel_lines, uniform_on_grid
from ganbook.experiments.jensen_shannon import (
    four_routes,
    gaussian_probabilities,
    value_at_optimum,
    value_by_quadrature,
)
from ganbook.experiments.optimal_discriminator import logistic_parameters, pointwise_objective
from ganbook.experiments.vanishing_gradients import NarrowShiftGenerator
from ganbook.losses import (
    minimax_discriminator_loss,
    minimax_generator_loss,
    wasserstein_generator_loss,
)
from ganbook.models import LogisticDiscriminator
from ganbook.theory import minimax_value, optimal_discriminator

LOG_2, LOG_4 = math.log(2.0), math.log(4.0)
EXPERIMENTS = (
    "jensen_shannon_sweeps",
    "jensen_shannon_mixture",
    "disjoint_supports_divergences",
    "disjoint_supports_gradients",
)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    return {
        name: run_experiment(name, profile="test", device="cpu", cache_dir=cache)[0]
        for name in EXPERIMENTS
    }


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_the_claims_that_apply_to_the_test_profile_hold_on_it(results, name):
    expected = sum("test" in c.profiles for c in claims_for(name))
    assert check_claims(name, results[name], "test") == expected >= 1


def test_every_member_trains_its_own_discriminators(results):
    r = results["disjoint_supports_gradients"]
    grads = r.arrays["classifier_grad"]  # (members, thetas, records)
    assert grads.shape[:2] == (r.scalars["members"], len(r.arrays["thetas"]))
    assert r.scalars["members"] >= 2 and not np.array_equal(grads[0], grads[1])
    # the exact critic's gradient does not depend on the member: exactly 1 for every θ
    np.testing.assert_allclose(r.arrays["exact_critic_grad"], 1.0, atol=1e-6)


def random_pair(rng: np.random.Generator, n: int, zeros: bool = False):
    p, q = rng.random(n), rng.random(n)
    if zeros:
        p[rng.random(n) < 0.3] = 0.0
        q[rng.random(n) < 0.3] = 0.0
        p[0] = q[-1] = 1.0
    return p / p.sum(), q / q.sum()


def entropy(p: np.ndarray) -> float:
    return float(-np.sum(xlogy(p, p)))


# --- Chapter: the optimal discriminator ----------------------------------------------------------


def test_pointwise_maximiser_is_a_over_a_plus_b():
    rng = np.random.default_rng(0)
    for a, b in rng.exponential(size=(50, 2)):
        y = a / (a + b)
        # first-order condition a/y - b/(1 - y) = 0, second derivative -a/y² - b/(1-y)² < 0
        assert a / y - b / (1 - y) == pytest.approx(0.0, abs=1e-9)
        assert -a / y**2 - b / (1 - y) ** 2 < 0
        solved = optimize.minimize_scalar(
            lambda t, a=a, b=b: -pointwise_objective([a], [b], np.array([t]))[0, 0],
            bounds=(1e-12, 1 - 1e-12),
            method="bounded",
            options={"xatol": 1e-12},
        ).x
        assert solved == pytest.approx(y, abs=1e-7)
        assert optimal_discriminator([a], [b])[0] == pytest.approx(y, rel=1e-15)


def test_pointwise_maximum_value_is_a_log_a_plus_b_log_b_minus_total_log_total():
    rng = np.random.default_rng(1)
    a, b = rng.exponential(size=(2, 40))
    y = np.linspace(1e-6, 1 - 1e-6, 200001)
    best = pointwise_objective(a, b, y).max(axis=1)
    closed = xlogy(a, a) + xlogy(b, b) - xlogy(a + b, a + b)
    np.testing.assert_allclose(best, closed, atol=1e-8)
    assert np.all(best <= closed + 1e-15)


def test_pointwise_maximiser_at_the_edges():
    # a = 0: only b log(1 - y) is left, best at y = 0; b = 0: best at y = 1
    np.testing.assert_array_equal(optimal_discriminator([0.0, 0.4], [0.3, 0.0]), [0.0, 1.0])


def test_optimal_discriminator_is_the_bayes_posterior_with_equal_priors():
    # simulate: a fair coin picks real or fake, then x is drawn; count P(real | x)
    rng = np.random.default_rng(2)
    p, q = random_pair(rng, 6)
    n = 400_000
    real = rng.random(n) < 0.5
    x = np.where(real, rng.choice(6, n, p=p), rng.choice(6, n, p=q))
    posterior = np.array([real[x == k].mean() for k in range(6)])
    np.testing.assert_allclose(posterior, optimal_discriminator(p, q), atol=6e-3)
    # and Bayes' formula with priors 1/2: (p/2) / (p/2 + q/2)
    np.testing.assert_allclose(optimal_discriminator(p, q), (p / 2) / (p / 2 + q / 2), rtol=1e-15)


def test_batch_discriminator_loss_is_an_estimate_of_minus_v():
    # the averaged sums of the minibatch loss become the expectations of V(D, G) as B grows
    mu, theta, phi0, phi1 = 0.0, -1.0, 0.3, 0.8
    d = LogisticDiscriminator(phi0=phi0, phi1=phi1).double()
    rng = torch.Generator().manual_seed(0)
    real = mu + torch.randn(1_000_000, 1, generator=rng, dtype=torch.float64)
    fake = theta + torch.randn(1_000_000, 1, generator=rng, dtype=torch.float64)
    estimate = -minimax_discriminator_loss(d(real), d(fake)).item()

    def integrand(x):
        logit = phi0 + phi1 * x
        return stats.norm.pdf(x, mu) * np.log(expit(logit)) + stats.norm.pdf(x, theta) * np.log(
            expit(-logit)
        )

    exact, _ = integrate.quad(integrand, -15, 15)
    assert estimate == pytest.approx(exact, abs=3e-3)


def test_optimal_discriminator_maximises_v_over_every_discriminator():
    rng = np.random.default_rng(3)
    for _ in range(20):
        p, q = random_pair(rng, 12)
        best = minimax_value(p, q, optimal_discriminator(p, q))
        for _ in range(20):
            assert minimax_value(p, q, rng.uniform(0.01, 0.99, 12)) <= best + 1e-15


@pytest.mark.parametrize(("mu", "theta", "sigma"), [(0.0, -3.0, 1.0), (1.0, 0.5, 2.0)])
def test_logistic_parameters_are_the_closed_form_phi_star(mu, theta, sigma):
    phi0, phi1 = logistic_parameters(mu, theta, sigma)
    assert phi1 == pytest.approx((mu - theta) / sigma**2, abs=1e-14)
    assert phi0 == pytest.approx((theta**2 - mu**2) / (2 * sigma**2), abs=1e-14)
    x = np.linspace(-5, 5, 101)
    d_star = optimal_discriminator(stats.norm.pdf(x, mu, sigma), stats.norm.pdf(x, theta, sigma))
    np.testing.assert_allclose(expit(phi0 + phi1 * x), d_star, atol=1e-12)


# --- Chapter: Jensen–Shannon ---------------------------------------------------------------------


@pytest.mark.parametrize("zeros", [False, True])
def test_every_step_of_the_jensen_shannon_derivation(zeros):
    rng = np.random.default_rng(4)
    for _ in range(30):
        p, q = random_pair(rng, 15, zeros)
        m = (p + q) / 2
        d = optimal_discriminator(p, q)
        total = p + q
        one_minus_d = np.divide(q, total, out=np.full_like(q, 0.5), where=total > 0)
        steps = [
            minimax_value(p, q, d),  # V(D*, G)
            np.sum(xlogy(p, d)) + np.sum(xlogy(q, one_minus_d)),  # substitute D* = p / (p + q)
            np.sum(xlogy(p, p))
            - np.sum(xlogy(p, 2 * m))  # p log(p / 2m) ...
            + np.sum(xlogy(q, q))
            - np.sum(xlogy(q, 2 * m)),  # ... + q log(q / 2m)
            kl_divergence(p, m) + kl_divergence(q, m) - LOG_4,  # pull log 2 out twice
            2 * js_divergence(p, q) - LOG_4,  # the definition of JS
            2 * (entropy(m) - entropy(p) / 2 - entropy(q) / 2) - LOG_4,  # Lin's entropy form
        ]
        np.testing.assert_allclose(steps, steps[0], atol=1e-13)


def test_value_at_optimum_splits_into_real_and_fake_terms():
    rng = np.random.default_rng(5)
    for zeros in (False, True):
        p, q = random_pair(rng, 20, zeros)
        assert value_at_optimum(p, q) == pytest.approx(
            minimax_value(p, q, optimal_discriminator(p, q)), abs=1e-14
        )


def test_subtracting_d_star_from_one_loses_the_far_tail():
    # why value_at_optimum does not compute 1 - D*: with q/p below 2^-53, D* rounds to 1
    p, q = np.array([1.0 - 1e-20, 1e-20]), np.array([1e-20, 1.0 - 1e-20])
    assert minimax_value(p, q, optimal_discriminator(p, q)) == -np.inf
    assert value_at_optimum(p, q) == pytest.approx(2 * js_divergence(p, q) - LOG_4, abs=1e-15)


def test_js_is_zero_only_at_equality_and_at_most_log_2():
    rng = np.random.default_rng(6)
    for _ in range(50):
        p, q = random_pair(rng, 10, zeros=True)
        js = js_divergence(p, q)
        assert 0.0 < js <= LOG_2 + 1e-15
        assert js_divergence(p, p) == pytest.approx(0.0, abs=1e-15)
        # each KL(p || m) <= log 2 because m >= p / 2
        assert kl_divergence(p, (p + q) / 2) <= LOG_2 + 1e-15


def test_minimum_of_the_value_is_minus_log_4_at_equality():
    rng = np.random.default_rng(7)
    p, _ = random_pair(rng, 30)
    assert value_at_optimum(p, p) == pytest.approx(-LOG_4, abs=1e-15)
    assert value_by_quadrature(0.0, 1.0, 0.0, 1.0) == pytest.approx(-LOG_4, abs=1e-12)


@pytest.mark.parametrize(("theta", "s"), [(0.0, 1.0), (1.5, 1.0), (0.0, 0.2), (-2.0, 3.0)])
def test_four_routes_agree_on_gaussians(theta, s):
    x = np.linspace(-60, 60, 12001)
    routes = four_routes(x, 0.0, 1.0, theta, s)
    np.testing.assert_allclose(routes, routes[3], atol=1e-10)


def test_value_is_symmetric_under_inverting_the_width():
    # JS(N(0,1), N(0,s²)) is invariant under x -> x/s, so V(s) = V(1/s)
    for s in (0.1, 0.37, 2.5):
        assert value_by_quadrature(0.0, 1.0, 0.0, s) == pytest.approx(
            value_by_quadrature(0.0, 1.0, 0.0, 1.0 / s), abs=1e-12
        )


def test_gaussian_probabilities_have_no_subnormal_mass():
    p = gaussian_probabilities(np.linspace(-80, 80, 1601), 0.0, 0.1)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all((p == 0.0) | (p >= np.finfo(float).tiny))


# --- Chapter: when the supports do not overlap ---------------------------------------------------


@pytest.mark.parametrize("theta", [-0.7, 0.05, 1.0, 3.0])
def test_parallel_lines_kl_infinite_js_log_2_tv_1_w1_theta(theta):
    kl, js, tv, w1 = parallel_lines(theta, rows=7)
    assert kl == np.inf
    assert js == pytest.approx(LOG_2, abs=1e-15)
    assert tv == pytest.approx(1.0, abs=1e-15)
    assert w1 == pytest.approx(abs(theta), abs=1e-12)


def test_parallel_lines_coincide_at_zero():
    np.testing.assert_allclose(parallel_lines(0.0, rows=7), 0.0, atol=1e-12)


def test_parallel_lines_w1_by_the_dual_and_by_projection():
    theta, rows = 0.6, 9
    y = (np.arange(rows) + 0.5) / rows
    u = np.full(rows, 1.0 / rows)
    cost = np.hypot(theta, y[:, None] - y[None, :])
    assert earth_movers_dual(u, u, cost).distance == pytest.approx(theta, abs=1e-9)
    # x ↦ first coordinate is 1-Lipschitz, so W1 >= W1 of the projections = |θ|; the shift
    # (x, y) ↦ (x + θ, y) is a coupling of cost |θ|: W1 = |θ|
    assert wasserstein_1d(np.zeros(rows), np.full(rows, theta)) == pytest.approx(theta)


def test_narrow_uniform_closed_forms():
    size, count = 200, 20
    p = uniform_on_grid(size, 80, count, 0)
    for shift in (-25, -7, 0, 3, 19, 20, 40):
        q = uniform_on_grid(size, 80, count, shift)
        t = min(abs(shift) / count, 1.0)
        assert js_divergence(p, q) == pytest.approx(t * LOG_2, abs=1e-15)
        assert total_variation(p, q) == pytest.approx(t, abs=1e-15)
        assert kl_divergence(p, q) == (0.0 if shift == 0 else np.inf)
        x = 0.01 * np.arange(size)
        assert wasserstein_1d(x, x, p, q) == pytest.approx(0.01 * abs(shift), abs=1e-13)


def test_w1_of_a_shift_by_linear_programming():
    x = 0.05 * np.arange(30)
    p = uniform_on_grid(30, 5, 6, 0)
    q = uniform_on_grid(30, 5, 6, 9)
    cost = np.abs(x[:, None] - x[None, :])
    assert earth_movers_distance(p, q, cost).distance == pytest.approx(0.45, abs=1e-9)
    # the critic f(x) = -x attains the dual bound: E_p f - E_q f = W1
    assert p @ -x - q @ -x == pytest.approx(earth_movers_dual(p, q, cost).distance, abs=1e-9)


def test_narrow_shift_generator_is_uniform_around_theta():
    g = NarrowShiftGenerator(theta=1.5, width=0.1)
    z = torch.randn(200_000, 1, generator=torch.Generator().manual_seed(0))
    x = g(z).detach().double().squeeze(1).numpy()
    assert x.min() >= 1.45 - 1e-6 and x.max() <= 1.55 + 1e-6
    assert stats.kstest((x - 1.45) / 0.1, "uniform").pvalue > 1e-3


def test_saturating_gradient_through_a_sharpening_classifier_vanishes():
    # logit φ1 (x - θ/2): the step of D* at the midpoint, sharper as φ1 -> -∞
    theta, width = 1.0, 0.1
    u = (torch.arange(256, dtype=torch.float64) + 0.5) / 256
    grads = []
    for slope in (1.0, 10.0, 50.0, 200.0):
        g = NarrowShiftGenerator(theta, width).double()
        d = LogisticDiscriminator(phi0=slope * theta / 2, phi1=-slope).double()
        x = g(torch.special.ndtri(u).unsqueeze(1))
        (grad,) = torch.autograd.grad(minimax_generator_loss(d(x)), g.shift.theta)
        # closed form: d/dθ E log(1 - σ(ℓ)) = E[σ(ℓ)] · slope, ℓ = slope (θ/2 - x)
        expected = (expit(slope * (theta / 2 - x.detach().numpy())) * slope).mean()
        assert abs(grad.item()) == pytest.approx(expected, rel=1e-9)
        grads.append(abs(grad.item()))
    assert grads[-1] < 1e-30 < 0.1 < grads[0]
    assert all(a > b for a, b in itertools.pairwise(grads))


def test_gradient_through_the_optimal_critic_is_one():
    for theta in (0.3, 2.0, -1.0):
        g = NarrowShiftGenerator(theta, 0.1).double()
        critic = LogisticDiscriminator(phi0=0.0, phi1=-math.copysign(1.0, theta)).double()
        x = g(torch.randn(64, 1, generator=torch.Generator().manual_seed(0), dtype=torch.float64))
        (grad,) = torch.autograd.grad(wasserstein_generator_loss(critic(x)), g.shift.theta)
        assert abs(grad.item()) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize(("theta", "lam"), [(0.5, 10.0), (2.0, 10.0), (1.0, 1.0)])
def test_penalised_linear_critic_has_slope_one_plus_theta_over_two_lambda(theta, lam):
    # critic ψx: minimise E f(x̃) − E f(x) + λ(|ψ| − 1)² = ψθ + λ(|ψ| − 1)² over ψ
    def objective(psi):
        return psi * theta + lam * (abs(psi) - 1) ** 2

    # two local minima, ψ = ±1 − θ/(2λ); the global one has the sign of −θ
    grid = np.linspace(-5, 5, 100001)
    best = grid[np.argmin(objective(grid))]
    polished = optimize.minimize_scalar(
        objective, bounds=(best - 0.01, best + 0.01), method="bounded", options={"xatol": 1e-12}
    ).x
    assert polished == pytest.approx(-(1 + theta / (2 * lam)), abs=1e-8)
