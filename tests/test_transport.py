"""Earth mover's distance (primal and dual LP) and 1-D W1 against scipy, POT and duality."""

from __future__ import annotations

import numpy as np
import ot
import pytest
from scipy.stats import wasserstein_distance

from ganbook.divergences import (
    DualResult,
    TransportResult,
    earth_movers_distance,
    earth_movers_dual,
    wasserstein_1d,
)


def random_simplex(rng: np.random.Generator, n: int, zeros: bool = False) -> np.ndarray:
    """A random probability vector of length n, optionally with some exact zeros."""
    w = rng.random(n)
    if zeros:
        w[rng.random(n) < 0.3] = 0.0
        w[rng.integers(n)] = 1.0
    return w / w.sum()


def line_problem(rng: np.random.Generator, n: int, m: int, zeros: bool = False):
    """Weighted points x (n) and y (m) on the line and the cost |x_i - y_j|."""
    x, y = rng.normal(size=n), rng.normal(1.0, 2.0, size=m)
    p, q = random_simplex(rng, n, zeros), random_simplex(rng, m, zeros)
    return x, y, p, q, np.abs(x[:, None] - y[None, :])


# --- the primal LP --------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "m"), [(1, 4), (5, 5), (7, 4), (12, 9)])
def test_emd_on_the_line_equals_scipy_wasserstein_distance(n, m):
    rng = np.random.default_rng(n * 100 + m)
    for zeros in (False, True):
        x, y, p, q, cost = line_problem(rng, n, m, zeros)
        expected = wasserstein_distance(x, y, u_weights=p, v_weights=q)
        assert earth_movers_distance(p, q, cost).distance == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_emd_in_the_plane_equals_pot_emd2(seed):
    rng = np.random.default_rng(seed)
    n, m = 8 + seed, 10 - seed
    x, y = rng.normal(size=(n, 2)), rng.normal(0.5, 1.0, size=(m, 2))
    p, q = random_simplex(rng, n), random_simplex(rng, m)
    cost = np.linalg.norm(x[:, None, :] - y[None, :, :], axis=-1)  # Euclidean
    expected = ot.emd2(p, q, cost)
    assert earth_movers_distance(p, q, cost).distance == pytest.approx(expected, abs=1e-9)


def test_the_plan_is_a_coupling_whose_cost_is_the_distance():
    rng = np.random.default_rng(10)
    _, _, p, q, cost = line_problem(rng, 9, 6, zeros=True)
    result = earth_movers_distance(p, q, cost)
    assert isinstance(result, TransportResult)
    assert result.plan.shape == (9, 6)
    assert np.all(result.plan >= 0)
    np.testing.assert_allclose(result.plan.sum(axis=1), p, atol=1e-9)
    np.testing.assert_allclose(result.plan.sum(axis=0), q, atol=1e-9)
    assert result.distance == pytest.approx(np.sum(result.plan * cost), abs=1e-12)


def test_emd_is_zero_from_a_distribution_to_itself_and_moves_a_point_mass():
    p = [0.1, 0.2, 0.3, 0.4]
    grid = np.arange(4.0)
    cost = np.abs(grid[:, None] - grid[None, :])
    assert earth_movers_distance(p, p, cost).distance == pytest.approx(0.0, abs=1e-12)
    # delta_0 to delta_3 on the grid 0..3 costs 3; JS and TV would saturate
    assert earth_movers_distance([1, 0, 0, 0], [0, 0, 0, 1], cost).distance == pytest.approx(3.0)


# --- the dual LP ----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_dual_value_equals_primal_value(seed):
    rng = np.random.default_rng(seed)
    n, m = 3 + seed, 8 - seed
    p, q = random_simplex(rng, n, zeros=seed % 2 == 1), random_simplex(rng, m)
    cost = rng.random((n, m)) * 5  # not a metric: duality holds for any cost
    primal = earth_movers_distance(p, q, cost)
    dual = earth_movers_dual(p, q, cost)
    assert isinstance(dual, DualResult)
    assert dual.distance == pytest.approx(primal.distance, abs=1e-9)


def test_dual_potentials_are_feasible_normalised_and_certify_the_plan():
    rng = np.random.default_rng(20)
    _, _, p, q, cost = line_problem(rng, 8, 7, zeros=True)
    dual = earth_movers_dual(p, q, cost)
    plan = earth_movers_distance(p, q, cost).plan
    assert dual.f.shape == (8,)
    assert dual.g.shape == (7,)
    assert dual.f[0] == 0.0
    slack = cost - dual.f[:, None] - dual.g[None, :]
    assert slack.min() >= -1e-9  # f_i + g_j <= C_ij
    # complementary slackness: mass moves only along tight pairs
    assert np.sum(plan * slack) == pytest.approx(0.0, abs=1e-9)
    assert p @ dual.f + q @ dual.g == pytest.approx(dual.distance, abs=1e-12)


# --- wasserstein_1d -------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "m"), [(1, 1), (5, 5), (10, 3), (40, 17)])
def test_wasserstein_1d_equals_scipy_without_weights(n, m):
    rng = np.random.default_rng(n + m)
    u, v = rng.normal(size=n), rng.exponential(size=m)
    assert wasserstein_1d(u, v) == pytest.approx(wasserstein_distance(u, v), abs=1e-12)


@pytest.mark.parametrize(("n", "m"), [(3, 7), (20, 20), (15, 4)])
def test_wasserstein_1d_equals_scipy_with_weights(n, m):
    rng = np.random.default_rng(10 * n + m)
    u, v = rng.normal(size=n), rng.normal(0.3, 2.0, size=m)
    wu, wv = rng.random(n) * 3, rng.random(m)  # unnormalised on purpose
    wu[0] = 0.0  # a zero weight is allowed
    expected = wasserstein_distance(u, v, u_weights=wu, v_weights=wv)
    assert wasserstein_1d(u, v, wu, wv) == pytest.approx(expected, abs=1e-12)
    # one side weighted, the other uniform
    expected = wasserstein_distance(u, v, u_weights=wu)
    assert wasserstein_1d(u, v, u_weights=wu) == pytest.approx(expected, abs=1e-12)


def test_wasserstein_1d_handles_ties_and_equals_the_lp():
    rng = np.random.default_rng(30)
    u, v = rng.integers(0, 4, size=9).astype(float), rng.integers(0, 4, size=6).astype(float)
    p, q = random_simplex(rng, 9), random_simplex(rng, 6)
    cost = np.abs(u[:, None] - v[None, :])
    expected = earth_movers_distance(p, q, cost).distance
    assert wasserstein_1d(u, v, p, q) == pytest.approx(expected, abs=1e-9)


def test_wasserstein_1d_of_a_shift_is_the_shift():
    u = np.random.default_rng(31).normal(size=50)
    assert wasserstein_1d(u, u + 2.5) == pytest.approx(2.5, abs=1e-12)
    assert wasserstein_1d(u, u[::-1]) == 0.0


# --- bad input ------------------------------------------------------------------------------------

P, Q = [0.5, 0.5], [0.2, 0.3, 0.5]
COST = np.ones((2, 3))


@pytest.mark.parametrize("solver", [earth_movers_distance, earth_movers_dual])
def test_rejects_a_cost_of_the_wrong_shape(solver):
    with pytest.raises(ValueError, match=r"^cost must have shape \(2, 3\)"):
        solver(P, Q, np.ones((3, 2)))


@pytest.mark.parametrize("solver", [earth_movers_distance, earth_movers_dual])
def test_rejects_a_negative_cost(solver):
    with pytest.raises(ValueError, match=r"^cost must be non-negative"):
        solver(P, Q, COST - 2)


@pytest.mark.parametrize("solver", [earth_movers_distance, earth_movers_dual])
def test_rejects_a_non_finite_cost(solver):
    with pytest.raises(ValueError, match=r"^cost must be finite"):
        solver(P, Q, np.full((2, 3), np.inf))


@pytest.mark.parametrize("solver", [earth_movers_distance, earth_movers_dual])
def test_rejects_marginals_that_do_not_sum_to_one(solver):
    with pytest.raises(ValueError, match=r"^q must sum to 1"):
        solver(P, [0.2, 0.3, 0.6], COST)


@pytest.mark.parametrize("solver", [earth_movers_distance, earth_movers_dual])
def test_rejects_negative_marginals(solver):
    with pytest.raises(ValueError, match=r"^p must be non-negative"):
        solver([1.5, -0.5], Q, COST)


def test_wasserstein_1d_rejects_matrices_of_values():
    with pytest.raises(ValueError, match=r"^u_values must be 1-D"):
        wasserstein_1d([[0.0, 1.0]], [0.0])


def test_wasserstein_1d_rejects_empty_values():
    with pytest.raises(ValueError, match=r"^v_values must not be empty"):
        wasserstein_1d([0.0], [])


def test_wasserstein_1d_rejects_non_finite_values():
    with pytest.raises(ValueError, match=r"^v_values must be finite"):
        wasserstein_1d([0.0], [np.nan])


def test_wasserstein_1d_rejects_weights_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"^u_weights must have one weight per value \(2\)"):
        wasserstein_1d([0.0, 1.0], [0.0], u_weights=[1.0])


def test_wasserstein_1d_rejects_negative_weights():
    with pytest.raises(ValueError, match=r"^v_weights must be non-negative"):
        wasserstein_1d([0.0], [0.0, 1.0], v_weights=[2.0, -1.0])


def test_wasserstein_1d_rejects_weights_that_sum_to_zero():
    with pytest.raises(ValueError, match=r"^u_weights must have a positive sum"):
        wasserstein_1d([0.0, 1.0], [0.0], u_weights=[0.0, 0.0])
