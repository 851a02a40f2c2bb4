"""When the supports do not overlap: the divergences' closed forms and the gradients G receives.

KL, JS, TV and W1 of parallel lines and of shifted narrow uniforms against their closed forms and a
linear program; the generator's gradient through a sharpening classifier against its closed form;
the trained discriminators of the chapter's experiment, member by member.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
from scipy import optimize, stats
from scipy.special import expit

from ganbook.book.part2.disjoint_supports.experiments import (
    NarrowShiftGenerator,
    parallel_lines,
    uniform_on_grid,
)
from ganbook.divergences import (
    earth_movers_distance,
    earth_movers_dual,
    js_divergence,
    kl_divergence,
    total_variation,
    wasserstein_1d,
)
from ganbook.losses import minimax_generator_loss, wasserstein_generator_loss
from ganbook.models import LogisticDiscriminator

LOG_2 = math.log(2.0)


def test_every_member_trains_its_own_discriminators(results):
    r = results["disjoint_supports_gradients"]
    grads = r.arrays["classifier_grad"]  # (members, thetas, records)
    assert grads.shape[:2] == (r.scalars["members"], len(r.arrays["thetas"]))
    assert r.scalars["members"] >= 2
    assert not np.array_equal(grads[0], grads[1])
    # the exact critic's gradient does not depend on the member: exactly 1 for every θ
    np.testing.assert_allclose(r.arrays["exact_critic_grad"], 1.0, atol=1e-6)


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
    assert x.min() >= 1.45 - 1e-6
    assert x.max() <= 1.55 + 1e-6
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
