r"""The least-squares chapter: every equality its prose derives, against independent computations.

The optimal discriminator is found by brute force over a grid of outputs; Mao et al.'s identity
$2C(G) = \sum (2q - (p + q))^2/(p + q)$ is checked on random discrete distributions, with the
general form for any coding, the f-divergence reading of the note, and the 0-1 coding; the
gradient statements by finite differences of the package's losses.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ganbook.book.part1.least_squares.experiments import (
    BINARY_CODING,
    PEARSON_CODING,
    pearson_terms,
)
from ganbook.losses import least_squares_generator_loss, nonsaturating_generator_loss
from ganbook.theory import least_squares_optimal_discriminator


@pytest.fixture
def pairs():
    """Random discrete distributions p, q on 50 points, some with zeros in q."""
    rng = np.random.default_rng(1)
    out = []
    for k in range(20):
        p, q = rng.dirichlet(np.ones(50)), rng.dirichlet(np.ones(50) * 0.3)
        if k % 4 == 0:
            q[rng.choice(50, 5, replace=False)] = 0.0
            q /= q.sum()
        out.append((p, q))
    return out


@pytest.mark.parametrize(("a", "b"), [(-1.0, 1.0), (0.0, 1.0), (0.5, 3.0)])
def test_optimum_by_brute_force_over_outputs(a, b):
    rng = np.random.default_rng(2)
    p, q = rng.uniform(0.01, 1.0, 200), rng.uniform(0.01, 1.0, 200)
    outputs = np.linspace(min(a, b) - 1, max(a, b) + 1, 40001)  # spacing 1e-4 or so
    loss = 0.5 * p[:, None] * (outputs - b) ** 2 + 0.5 * q[:, None] * (outputs - a) ** 2
    best = outputs[np.argmin(loss, axis=1)]
    spacing = outputs[1] - outputs[0]
    np.testing.assert_allclose(least_squares_optimal_discriminator(p, q, a, b), best, atol=spacing)


def test_optimum_is_a_sigmoid_of_the_log_ratio():
    # (b p + a q)/(p + q) = a + (b - a) σ(log p/q): flat where one density dwarfs the other
    rng = np.random.default_rng(3)
    p, q = rng.uniform(1e-6, 1.0, 100), rng.uniform(1e-6, 1.0, 100)
    a, b = -1.0, 1.0
    sigmoid = 1.0 / (1.0 + q / p)
    d_star = least_squares_optimal_discriminator(p, q, a, b)
    np.testing.assert_allclose(d_star, a + (b - a) * sigmoid)


def two_c_by_loops(p, q, a, b, c):
    """2C(G) point by point: D* at each point, then both expectations."""
    total = 0.0
    for pi, qi in zip(p, q, strict=True):
        if pi + qi == 0:
            continue
        d = (b * pi + a * qi) / (pi + qi)
        total += pi * (d - c) ** 2 + qi * (d - c) ** 2
    return total


def test_two_c_is_pearson_chi2_for_random_distributions(pairs):
    for p, q in pairs:
        two_c, chi2 = pearson_terms(p, q, PEARSON_CODING)
        assert two_c == pytest.approx(two_c_by_loops(p, q, -1.0, 1.0, 0.0), rel=1e-12)
        mask = p + q > 0
        observed, expected = 2 * q[mask], (p + q)[mask]
        assert two_c == pytest.approx(((observed - expected) ** 2 / expected).sum(), rel=1e-12)
        assert chi2 == pytest.approx(two_c, rel=1e-12)


def test_any_coding_with_b_minus_c_one_and_b_minus_a_two_gives_the_same_value(pairs):
    for p, q in pairs[:5]:
        reference = pearson_terms(p, q, PEARSON_CODING)[0]
        for a, b, c in ((0.0, 2.0, 1.0), (-3.0, -1.0, -2.0), (1.5, 3.5, 2.5)):
            coding = {"a": a, "b": b, "c": c}
            assert pearson_terms(p, q, coding)[0] == pytest.approx(reference, rel=1e-12)


def test_general_identity_for_any_coding(pairs):
    # 2C = Σ ((b - c)(p + q) - (b - a) q)^2 / (p + q), for any a, b, c
    rng = np.random.default_rng(4)
    for p, q in pairs[:5]:
        a, b, c = rng.normal(size=3)
        two_c, general = pearson_terms(p, q, {"a": a, "b": b, "c": c})
        assert two_c == pytest.approx(two_c_by_loops(p, q, a, b, c), rel=1e-10)
        assert general == pytest.approx(two_c, rel=1e-10)


def test_f_divergence_reading_of_the_note(pairs):
    # D_f(P || Q) = Σ Q f(P/Q), f(u) = (u - 1)^2: the identity is D_f(2q || p + q)
    f = lambda u: (u - 1.0) ** 2  # noqa: E731
    for p, q in pairs:
        big_p, big_q = 2 * q, p + q
        mask = big_q > 0
        d_f = (big_q[mask] * f(big_p[mask] / big_q[mask])).sum()
        assert d_f == pytest.approx(pearson_terms(p, q, PEARSON_CODING)[0], rel=1e-12)
        if np.all(q > 0):  # the other order is a different number
            swapped = (big_p * f(big_q / big_p)).sum()
            assert abs(swapped - d_f) > 1e-3 * d_f


def test_binary_coding_is_sum_of_q_squared_over_p_plus_q_with_minimum_at_p(pairs):
    for p, q in pairs:
        mask = p + q > 0
        closed = (q[mask] ** 2 / (p + q)[mask]).sum()
        assert pearson_terms(p, q, BINARY_CODING)[0] == pytest.approx(closed, rel=1e-12)
    p = pairs[0][0]
    at_p = pearson_terms(p, p, BINARY_CODING)[0]
    assert at_p == pytest.approx(0.5, rel=1e-12)
    rng = np.random.default_rng(5)
    for _ in range(20):  # any other q scores more
        q = np.clip(p + 0.01 * rng.normal(size=p.size), 1e-12, None)
        assert pearson_terms(p, q / q.sum(), BINARY_CODING)[0] > at_p


def test_least_squares_raw_gradient_equals_nonsaturating_logit_gradient():
    # at D = s = σ(ℓ): d/ds ½(s - 1)^2 = s - 1 and d/dℓ -log σ(ℓ) = σ(ℓ) - 1, by differences
    d = torch.linspace(0.01, 0.99, 99, dtype=torch.float64)
    ell, h = torch.logit(d), 1e-6

    def slope(loss, x):
        return (loss(x + h, reduction="none") - loss(x - h, reduction="none")) / (2 * h)

    ls = slope(least_squares_generator_loss, d)
    ns = slope(nonsaturating_generator_loss, ell)
    np.testing.assert_allclose(ls.numpy(), ns.numpy(), atol=1e-8)
    np.testing.assert_allclose(ls.numpy(), (d - 1).numpy(), atol=1e-8)


def test_experiment_gradients_agree_with_the_formulas(results):
    r = results["least_squares_generator_losses"]
    d = r.arrays["d"]
    np.testing.assert_allclose(r.arrays["ls_grad"], d - 1.0, atol=1e-14)
    np.testing.assert_allclose(r.arrays["ls_sigmoid_grad"], (d - 1.0) * d * (1.0 - d), atol=1e-14)
    np.testing.assert_allclose(r.arrays["saturating_grad"], -d, atol=1e-14)


def test_least_squares_shift_toy_gradient_by_finite_differences(results):
    # |∂/∂θ ½ E_z (D*(z + θ) - c)^2| with D* frozen at θ0, by a central difference in the shift
    from scipy import integrate, stats

    r = results["least_squares_shift_toy_gradient"]
    thetas = r.arrays["thetas"]
    i = int(np.argmin(np.abs(thetas + 2.0)))
    theta0 = float(thetas[i])
    a, b, c = PEARSON_CODING["a"], PEARSON_CODING["b"], PEARSON_CODING["c"]

    def d_star(x):  # the optimum for the generator at θ0, held fixed
        p, q = stats.norm.pdf(x, 0.0, 1.0), stats.norm.pdf(x, theta0, 1.0)
        return least_squares_optimal_discriminator(p, q, a, b)

    def objective(theta):
        term = lambda z: stats.norm.pdf(z) * 0.5 * (d_star(z + theta) - c) ** 2  # noqa: E731
        return integrate.quad(term, -12, 12, epsabs=1e-13, limit=200)[0]

    h = 1e-4
    slope = (objective(theta0 + h) - objective(theta0 - h)) / (2 * h)
    assert r.arrays["pearson"][i] == pytest.approx(abs(slope), rel=1e-5)


def test_the_ring_ensemble_shares_the_saturation_chapter_start(results):
    logit = results["saturation_ring"]
    ls = results["least_squares_ring"].arrays
    # seed k of every loss starts from the same weights and snapshot latents
    np.testing.assert_array_equal(
        ls["ls_snapshots"][:, 0], logit.arrays["saturating_snapshots"][:, 0]
    )
    np.testing.assert_array_equal(ls["snapshot_steps"], logit.arrays["snapshot_steps"])


def test_trained_discriminator_ensemble_errors_are_recomputed_from_the_outputs(results):
    r = results["least_squares_trained_discriminator"]
    a = r.arrays
    members = r.scalars["members"]
    assert a["outputs"].shape == (members, len(a["record_at"]), len(a["x"]))
    assert not np.allclose(a["outputs"][0, 0], a["outputs"][1, 0])  # different initial weights
    # the error is the RMS gap to D*, weighted by the mixture the samples come from
    weights = a["p"] + a["q"]
    final = a["outputs"][:, -1]
    rms = np.sqrt(((final - a["target"]) ** 2 * weights).sum(axis=1) / weights.sum())
    np.testing.assert_allclose(rms, a["rms"][:, -1], rtol=1e-12)
    assert r.scalars["final_rms_max"] == pytest.approx(rms.max())
    # D* with the 0-1 coding is the classifier's p / (p + q)
    np.testing.assert_allclose(a["target"], a["p"] / (a["p"] + a["q"]), rtol=1e-12)
