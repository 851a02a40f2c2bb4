"""Jensen–Shannon: every step from V(D*, G) to 2 JS − log 4, and the chapter's Gaussian sweeps.

Each step of the derivation is recomputed on random distributions (with exact zeros too), the
four routes to the value on Gaussians are compared, and the JS bounds are checked directly.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import xlogy

from ganbook.book.part2.jensen_shannon.experiments import (
    four_routes,
    gaussian_probabilities,
    value_at_optimum,
)
from ganbook.divergences import earth_movers_distance, js_divergence, kl_divergence
from ganbook.theory import gaussian_value_at_optimum, minimax_value, optimal_discriminator

from helpers import random_pair

LOG_2, LOG_4 = math.log(2.0), math.log(4.0)


def entropy(p: np.ndarray) -> float:
    return float(-np.sum(xlogy(p, p)))


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
    assert gaussian_value_at_optimum(0.0, 0.0, 1.0, 1.0) == pytest.approx(-LOG_4, abs=1e-12)


@pytest.mark.parametrize(("theta", "s"), [(0.0, 1.0), (1.5, 1.0), (0.0, 0.2), (-2.0, 3.0)])
def test_four_routes_agree_on_gaussians(theta, s):
    x = np.linspace(-60, 60, 12001)
    routes = four_routes(x, 0.0, 1.0, theta, s)
    np.testing.assert_allclose(routes, routes[3], atol=1e-10)


def test_value_is_symmetric_under_inverting_the_width():
    # JS(N(0,1), N(0,s²)) is invariant under x -> x/s, so V(s) = V(1/s)
    for s in (0.1, 0.37, 2.5):
        assert gaussian_value_at_optimum(0.0, 0.0, 1.0, s) == pytest.approx(
            gaussian_value_at_optimum(0.0, 0.0, 1.0, 1.0 / s), abs=1e-12
        )


def test_gaussian_probabilities_have_no_subnormal_mass():
    p = gaussian_probabilities(np.linspace(-80, 80, 1601), 0.0, 0.1)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all((p == 0.0) | (p >= np.finfo(float).tiny))


def test_js_breaks_the_triangle_inequality_on_the_pages_example_and_its_root_keeps_it():
    r"""$p = (1, 0)$, $q = (\tfrac12, \tfrac12)$, $r = (0, 1)$: the page's counterexample.

    $\mathrm{JS}(p, r) = \log 2$ and $\mathrm{JS}(p, q) = \mathrm{JS}(q, r) = \tfrac34\log\tfrac43$,
    whose sum is below $\log 2$; $2\sqrt{\tfrac34\log\tfrac43} \ge \sqrt{\log 2}$.
    """
    p, q, r = np.array([1.0, 0.0]), np.array([0.5, 0.5]), np.array([0.0, 1.0])
    leg = 0.75 * math.log(4.0 / 3.0)
    assert js_divergence(p, r) == pytest.approx(LOG_2, rel=1e-14)
    assert js_divergence(p, q) == pytest.approx(leg, rel=1e-14)
    assert js_divergence(q, r) == pytest.approx(leg, rel=1e-14)
    assert js_divergence(p, q) + js_divergence(q, r) < js_divergence(p, r)
    assert math.sqrt(js_divergence(p, q)) + math.sqrt(js_divergence(q, r)) >= math.sqrt(LOG_2)
    assert (4 / 3) ** 3 == pytest.approx(64 / 27)  # the page's arithmetic
    assert 2 < 64 / 27 < 4


def test_root_js_and_w1_keep_the_triangle_inequality_on_random_triples():
    r"""$\sqrt{\mathrm{JS}}$ (Endres and Schindelin 2003) and $W_1$ are metrics: random checks.

    $W_1$ is the package's transport linear program on random points of the plane with the
    Euclidean cost; it is also symmetric and zero only on equal distributions.
    """
    rng = np.random.default_rng(11)
    points = rng.normal(size=(6, 2))
    cost = np.linalg.norm(points[:, None] - points[None], axis=-1)
    for _ in range(300):
        p, q, r = rng.dirichlet(np.full(6, 0.5), size=3)
        slack = np.sqrt(js_divergence(p, q)) + np.sqrt(js_divergence(q, r))
        slack -= np.sqrt(js_divergence(p, r))
        assert slack >= -1e-12
    for _ in range(30):
        p, q, r = rng.dirichlet(np.ones(6), size=3)
        pq, qr, pr = (
            earth_movers_distance(a, b, cost).distance for a, b in ((p, q), (q, r), (p, r))
        )
        assert pr <= pq + qr + 1e-9
        assert earth_movers_distance(q, p, cost).distance == pytest.approx(pq, abs=1e-9)
        assert earth_movers_distance(p, p, cost).distance == pytest.approx(0.0, abs=1e-12)
        assert pq > 0


def test_kl_is_not_symmetric_and_cross_entropy_is_not_zero_at_equal_distributions():
    r"""KL fails symmetry and the triangle inequality; $H(p, p) = H(p) > 0$, $H(p,q) \ne H(q,p)$."""
    p, q, r = np.array([0.9, 0.1]), np.array([0.5, 0.5]), np.array([0.1, 0.9])
    assert kl_divergence(p, q) != pytest.approx(kl_divergence(q, p), rel=1e-3)
    assert kl_divergence(p, r) > kl_divergence(p, q) + kl_divergence(q, r)

    def cross_entropy(a, b):
        return float(-np.sum(xlogy(a, b)))

    assert cross_entropy(p, p) == pytest.approx(entropy(p), rel=1e-14)
    assert cross_entropy(p, p) > 0.3
    assert cross_entropy(p, q) != pytest.approx(cross_entropy(q, p), rel=1e-3)
