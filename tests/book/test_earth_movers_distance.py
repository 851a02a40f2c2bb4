"""The earth mover's distance chapter: every equality its prose derives, on its worked example.

The chapter's numbers come from `emd_worked_example`; here they are recomputed by routes that
share no code with the package (numpy sums, scipy.stats, POT) and the derivations are checked.
"""

from __future__ import annotations

import numpy as np
import ot
import pytest
from scipy.stats import wasserstein_distance


def problem(result):
    a = result.arrays
    cost = np.abs(a["x"][:, None] - a["x"][None, :])
    return a["x"], a["p"], a["q"], cost


def test_the_example_is_a_bimodal_and_a_unimodal_histogram(results):
    example = results["emd_worked_example"]
    _, p, q, _ = problem(example)
    assert p.sum() == pytest.approx(1.0)
    assert q.sum() == pytest.approx(1.0)
    assert 12 <= p.size <= 20
    assert modes(p) == 2
    assert modes(q) == 1


def modes(weights: np.ndarray) -> int:
    """How many times the histogram turns from rising to falling (a flat top counts once)."""
    signs = np.sign(np.round(np.diff(weights), 12))
    signs = signs[signs != 0]
    return int(np.sum((signs[:-1] > 0) & (signs[1:] < 0)))


def test_primal_equals_dual_equals_cdf_formula_equals_scipy_and_pot(results):
    example = results["emd_worked_example"]
    x, p, q, cost = problem(example)
    s = example.scalars
    by_cdfs = np.sum(np.abs(np.cumsum(p) - np.cumsum(q))[:-1] * np.diff(x))  # ∫|F_p - F_q|
    for value in (
        s["distance_dual"],
        s["distance_cdf"],
        by_cdfs,
        wasserstein_distance(x, x, u_weights=p, v_weights=q),
        ot.emd2(p, q, cost),
    ):
        assert value == pytest.approx(s["distance_primal"], abs=1e-9)


def test_the_solvers_plan_is_a_coupling_whose_cost_is_the_distance(results):
    example = results["emd_worked_example"]
    _, p, q, cost = problem(example)
    plan = example.arrays["plan"]
    assert plan.min() >= -1e-12
    np.testing.assert_allclose(plan.sum(axis=1), p, atol=1e-9)  # sum_j gamma_ij = p_i
    np.testing.assert_allclose(plan.sum(axis=0), q, atol=1e-9)  # sum_i gamma_ij = q_j
    assert np.sum(plan * cost) == pytest.approx(example.scalars["distance_primal"], abs=1e-12)


def test_the_quantile_plan_is_another_optimal_coupling_and_pots_plan_costs_the_same(results):
    example = results["emd_worked_example"]
    _, p, q, cost = problem(example)
    monotone = example.arrays["quantile_plan"]
    np.testing.assert_allclose(monotone.sum(axis=1), p, atol=1e-12)
    np.testing.assert_allclose(monotone.sum(axis=0), q, atol=1e-12)
    distance = example.scalars["distance_primal"]
    assert np.sum(monotone * cost) == pytest.approx(distance, abs=1e-12)
    assert np.sum(ot.emd(p, q, cost) * cost) == pytest.approx(distance, abs=1e-9)
    # monotone: no two moves cross (i < k and j > l with both entries positive)
    i, j = np.nonzero(monotone > 1e-15)
    order = np.lexsort((j, i))
    assert np.all(np.diff(j[order]) >= 0)


def test_weak_duality_and_complementary_slackness(results):
    example = results["emd_worked_example"]
    _, p, q, cost = problem(example)
    f, g, plan = example.arrays["f"], example.arrays["g"], example.arrays["plan"]
    slack = cost - f[:, None] - g[None, :]
    assert slack.min() >= -1e-9  # f_i + g_j <= C_ij
    # sum p f + sum q g = sum_ij gamma_ij (f_i + g_j) <= sum_ij gamma_ij C_ij, equal on tight pairs
    assert p @ f + q @ g == pytest.approx(np.sum(plan * (f[:, None] + g[None, :])), abs=1e-12)
    assert np.sum(plan * slack) == pytest.approx(0.0, abs=1e-9)


def test_potentials_have_the_kantorovich_rubinstein_form(results):
    example = results["emd_worked_example"]
    x, p, q, _ = problem(example)
    f, g = example.arrays["f"], example.arrays["g"]
    np.testing.assert_allclose(g, -f, atol=1e-9)
    assert np.all(np.abs(np.diff(f)) <= np.diff(x) + 1e-9)  # 1-Lipschitz
    assert (p - q) @ f == pytest.approx(example.scalars["distance_primal"], abs=1e-9)
    # the c-transform of a 1-Lipschitz f is -f: min_i (|x_i - x_j| - f_i) = -f_j
    transform = np.min(np.abs(x[:, None] - x[None, :]) - f[:, None], axis=0)
    np.testing.assert_allclose(transform, -f, atol=1e-12)


def test_no_one_lipschitz_critic_beats_the_distance():
    # weak duality in KR form, on random histograms and random 1-Lipschitz functions
    rng = np.random.default_rng(0)
    x = np.sort(rng.normal(size=12))
    for _ in range(20):
        p, q = rng.dirichlet(np.ones(12)), rng.dirichlet(np.ones(12))
        distance = wasserstein_distance(x, x, p, q)
        steps = rng.uniform(-1, 1, size=11) * np.diff(x)
        f = np.concatenate([[0.0], np.cumsum(steps)])
        assert (p - q) @ f <= distance + 1e-12


def test_summation_by_parts_gives_the_slope_rule(results):
    example = results["emd_worked_example"]
    x, p, q, _ = problem(example)
    cdf_p, cdf_q = np.cumsum(p), np.cumsum(q)
    rng = np.random.default_rng(1)
    f = rng.normal(size=x.size)  # any function on the grid
    # sum_i (p_i - q_i) f_i = sum_i (F_q(x_i) - F_p(x_i)) (f_{i+1} - f_i)
    assert (p - q) @ f == pytest.approx(np.sum((cdf_q - cdf_p)[:-1] * np.diff(f)), abs=1e-12)
    np.testing.assert_allclose(example.arrays["f_from_cdfs"], example.arrays["f"], atol=1e-9)


def test_mass_by_distance_adds_up_to_the_plan(results):
    example = results["emd_worked_example"]
    moved = example.arrays["mass_by_distance"]
    s = example.scalars
    assert moved.sum() == pytest.approx(1.0, abs=1e-12)
    assert moved @ np.arange(moved.size) == pytest.approx(s["distance_primal"], abs=1e-12)
    assert s["mass_stays"] + s["mass_moves"] == pytest.approx(1.0)
    assert s["mean_move_of_moving_mass"] * s["mass_moves"] == pytest.approx(s["distance_primal"])
    plan = example.arrays["plan"]
    i, j = np.unravel_index(np.argmax(plan), plan.shape)
    assert s["largest_entry"] == plan[i, j]
    assert (s["largest_entry_from"], s["largest_entry_to"]) == (i, j)
