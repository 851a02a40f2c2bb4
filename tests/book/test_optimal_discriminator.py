"""The optimal discriminator: every step of its derivation, against independent computations.

The pointwise maximiser against a bounded scalar solver, the posterior against a simulation of the
fair coin, the minibatch loss against a quadrature of V(D, G), the logistic φ* against D* itself.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy import integrate, optimize, stats
from scipy.special import expit, xlogy

from ganbook.book.part2.optimal_discriminator.experiments import pointwise_objective
from ganbook.losses import minimax_discriminator_loss
from ganbook.models import LogisticDiscriminator
from ganbook.theory import (
    gaussian_optimal_logistic_parameters,
    minimax_value,
    optimal_discriminator,
)

from helpers import random_pair


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
    phi0, phi1 = gaussian_optimal_logistic_parameters(mu, theta, sigma)
    assert phi1 == pytest.approx((mu - theta) / sigma**2, abs=1e-14)
    assert phi0 == pytest.approx((theta**2 - mu**2) / (2 * sigma**2), abs=1e-14)
    x = np.linspace(-5, 5, 101)
    d_star = optimal_discriminator(stats.norm.pdf(x, mu, sigma), stats.norm.pdf(x, theta, sigma))
    np.testing.assert_allclose(expit(phi0 + phi1 * x), d_star, atol=1e-12)


def _minimise_over_logit_tables(loss_of_logits, points: int) -> np.ndarray:
    r"""$\sigma(\phi)$ at the minimiser over one free logit $\phi_k$ per point (L-BFGS, float64)."""
    phi = torch.zeros(points, dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.LBFGS(
        [phi], lr=1.0, max_iter=500, tolerance_grad=1e-13, tolerance_change=1e-15
    )

    def closure():
        optimiser.zero_grad()
        loss = loss_of_logits(phi)
        loss.backward()
        return loss

    optimiser.step(closure)
    return torch.sigmoid(phi).detach().numpy()


def test_batch_sizes_do_not_move_the_minimiser_of_the_separately_averaged_loss():
    r"""Unequal batches: the package's loss keeps $a/(a+b)$; pooling or weighting gives $a/(a+2b)$.

    A batch of $I$ real and $J = 2I$ generated samples on four points, with empirical
    distributions $a$ and $b$. The package's loss averages each batch on its own,
    $-\tfrac1I\sum_i \log\sigma(\phi_{x_i}) - \tfrac1J\sum_j \log(1-\sigma(\phi_{\tilde x_j}))$,
    so its minimiser is $a/(a+b)$ whatever $I$ and $J$. One cross-entropy averaged over the pooled
    batch (PyTorch's own BCE, an independent implementation), or the package's two averages
    weighted $1 : 2$, are minimised at $Ia/(Ia+Jb) = a/(a+2b)$.
    """
    real_counts, fake_counts = np.array([30, 15, 10, 5]), np.array([10, 30, 40, 40])
    real_index = torch.as_tensor(np.repeat(np.arange(4), real_counts))  # I = 60
    fake_index = torch.as_tensor(np.repeat(np.arange(4), fake_counts))  # J = 120 = 2I
    a, b = real_counts / real_counts.sum(), fake_counts / fake_counts.sum()
    assert len(fake_index) == 2 * len(real_index)

    def package_loss(phi, fakes=fake_index):
        return minimax_discriminator_loss(phi[real_index], phi[fakes])

    separate = _minimise_over_logit_tables(package_loss, 4)
    np.testing.assert_allclose(separate, a / (a + b), atol=1e-7)
    # twice as many fakes again (each repeated): same empirical b, same minimiser
    doubled = torch.cat([fake_index, fake_index])
    separate_doubled = _minimise_over_logit_tables(lambda phi: package_loss(phi, doubled), 4)
    np.testing.assert_allclose(separate_doubled, separate, atol=1e-7)

    def pooled_bce(phi):
        logits = torch.cat([phi[real_index], phi[fake_index]])
        targets = torch.cat([torch.ones(len(real_index)), torch.zeros(len(fake_index))])
        return torch.nn.functional.binary_cross_entropy_with_logits(
            logits, targets.to(torch.float64)
        )

    def weighted_one_to_two(phi):
        real_term, fake_term = minimax_discriminator_loss(
            phi[real_index], phi[fake_index], reduction="none"
        )
        return real_term.mean() + 2.0 * fake_term.mean()

    tilted = a / (a + 2 * b)
    np.testing.assert_allclose(_minimise_over_logit_tables(pooled_bce, 4), tilted, atol=1e-7)
    np.testing.assert_allclose(
        _minimise_over_logit_tables(weighted_one_to_two, 4), tilted, atol=1e-7
    )
    # the package's "sum" reduction is the pooled cross-entropy times I + J: tilted too
    summed = _minimise_over_logit_tables(
        lambda phi: minimax_discriminator_loss(phi[real_index], phi[fake_index], reduction="sum"),
        4,
    )
    np.testing.assert_allclose(summed, tilted, atol=1e-6)
    assert np.all(np.abs(tilted - a / (a + b)) > 0.05)  # the two answers are far apart
