r"""`nonsaturating_divergence` and the gradient identity of Arjovsky and Bottou (2017, Thm 2.5).

With $D^* = p_\text{data} / (p_\text{data} + p_{g_0})$ held fixed, the gradient of the
non-saturating loss $-\sum_i q_i(\theta) \log D^*_i$ at $\theta_0$ equals the gradient of
$\mathrm{KL}(q \,\|\, p_\text{data}) - 2\,\mathrm{JS}(p_\text{data}, q)$, and the saturating loss
$\sum_i q_i(\theta) \log(1 - D^*_i)$ follows $2\,\mathrm{JS}$. Here $q(\theta)$ is a softmax over
a few atoms, so the loss's gradient has a closed form (the softmax Jacobian) and the divergence's
gradient is taken by central differences of the package's function: two independent routes. The
divergence itself is checked against the closed-form KL of two Gaussians of unequal variance,
which pins the order of KL's arguments.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from ganbook.divergences import js_divergence
from ganbook.theory import nonsaturating_divergence


def softmax(theta: np.ndarray) -> np.ndarray:
    e = np.exp(theta - theta.max())
    return e / e.sum()


def loss_gradient(theta0: np.ndarray, weight: np.ndarray) -> np.ndarray:
    r"""$\nabla_\theta \sum_i q_i(\theta)\, w_i$ at $\theta_0$, the softmax Jacobian times $w$.

    $$
    \nabla_\theta \sum_i q_i w_i = (\operatorname{diag} q - q q^\top)\, w
    $$
    """
    q = softmax(theta0)
    return (np.diag(q) - np.outer(q, q)) @ weight


def central_difference(f, theta0: np.ndarray, h: float = 1e-5) -> np.ndarray:
    grad = np.empty_like(theta0)
    for i in range(len(theta0)):
        e = np.zeros_like(theta0)
        e[i] = h
        grad[i] = (f(theta0 + e) - f(theta0 - e)) / (2 * h)
    return grad


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_nonsaturating_gradient_at_a_fixed_optimum_is_that_of_kl_minus_two_js(seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(6))
    theta0 = rng.normal(size=6)
    d_star = p / (p + softmax(theta0))  # the optimum for q(θ0), then held fixed
    by_formula = loss_gradient(theta0, -np.log(d_star))
    by_divergence = central_difference(lambda t: nonsaturating_divergence(p, softmax(t)), theta0)
    np.testing.assert_allclose(by_divergence, by_formula, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_saturating_gradient_at_a_fixed_optimum_is_that_of_two_js(seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(6))
    theta0 = rng.normal(size=6)
    d_star = p / (p + softmax(theta0))
    by_formula = loss_gradient(theta0, np.log1p(-d_star))
    by_divergence = central_difference(lambda t: 2.0 * js_divergence(p, softmax(t)), theta0)
    np.testing.assert_allclose(by_divergence, by_formula, rtol=1e-6, atol=1e-9)


def test_the_identity_needs_the_optimum_of_the_current_generator():
    # with D* of another generator the two gradients differ: the identity is not a tautology
    rng = np.random.default_rng(3)
    p = rng.dirichlet(np.ones(6))
    theta0 = rng.normal(size=6)
    stale = p / (p + softmax(theta0 + rng.normal(size=6)))
    by_formula = loss_gradient(theta0, -np.log(stale))
    by_divergence = central_difference(lambda t: nonsaturating_divergence(p, softmax(t)), theta0)
    assert np.max(np.abs(by_divergence - by_formula)) > 1e-2


def test_kl_minus_two_js_of_two_gaussians_has_the_closed_form_kl():
    # KL(N(1, 2²) ‖ N(0, 1)) = log(1/2) + (2² + 1²)/2 − 1/2; the reverse order differs
    x = np.linspace(-30.0, 30.0, 60001)
    p_data = stats.norm.pdf(x, 0.0, 1.0)
    p_model = stats.norm.pdf(x, 1.0, 2.0)
    p_data, p_model = p_data / p_data.sum(), p_model / p_model.sum()
    kl = np.log(0.5) + (4.0 + 1.0) / 2.0 - 0.5
    found = nonsaturating_divergence(p_data, p_model) + 2.0 * js_divergence(p_data, p_model)
    assert found == pytest.approx(kl, rel=1e-8)


def test_zero_at_equality_and_inputs_validated():
    p = np.array([0.2, 0.3, 0.5])
    assert nonsaturating_divergence(p, p) == 0.0
    assert nonsaturating_divergence([0.5, 0.5, 0.0], [0.5, 0.0, 0.5]) == np.inf
    with pytest.raises(ValueError, match="same"):
        nonsaturating_divergence([0.5, 0.5], [0.2, 0.3, 0.5])
