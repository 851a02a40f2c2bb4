"""Dirac-GAN dynamics against Mescheder et al. (2018): eigenvalues, divergence, convergence."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ganbook.theory import DIRAC_GAMES, dirac_jacobian, dirac_vector_field, simulate_dirac


def norms(path: np.ndarray) -> np.ndarray:
    return np.hypot(path[:, 0], path[:, 1])


def logistic_loss(theta, psi):
    # L(theta, psi) = f(psi theta) + f(0), f(t) = -log(1 + e^{-t}), written independently
    return -np.log1p(np.exp(-psi * theta)) - math.log(2)


# --- the vector field and its Jacobian ------------------------------------------------------------


def test_gan_field_is_minus_and_plus_the_partial_derivatives_of_the_loss():
    rng = np.random.default_rng(0)
    theta, psi, eps = rng.normal(size=20), rng.normal(size=20), 1e-6
    d_theta, d_psi = dirac_vector_field(theta, psi, "gan")
    dl_dtheta = (logistic_loss(theta + eps, psi) - logistic_loss(theta - eps, psi)) / (2 * eps)
    dl_dpsi = (logistic_loss(theta, psi + eps) - logistic_loss(theta, psi - eps)) / (2 * eps)
    np.testing.assert_allclose(d_theta, -dl_dtheta, atol=1e-8)
    np.testing.assert_allclose(d_psi, dl_dpsi, atol=1e-8)


def test_regularisers_add_their_derivative_to_the_critic_direction():
    theta, psi = 0.3, np.array([-1.7, -0.2, 0.4, 2.0])
    base = dirac_vector_field(theta, psi, "gan")[1]
    r1 = dirac_vector_field(theta, psi, "r1", gamma=0.6)[1]
    np.testing.assert_allclose(r1 - base, -0.6 * psi)  # d/dpsi of -(gamma/2) psi^2
    gp = dirac_vector_field(theta, psi, "wgan-gp", lam=2.0)[1]
    wgan = dirac_vector_field(theta, psi, "wgan")[1]
    np.testing.assert_allclose(gp - wgan, [2.8, -3.2, 2.4, -4.0])  # -2 lam (|psi| - 1) sign(psi)


def test_field_is_vectorised_over_a_meshgrid():
    theta, psi = np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-1, 1, 3))
    for game in DIRAC_GAMES:
        d_theta, d_psi = dirac_vector_field(theta, psi, game)
        assert d_theta.shape == d_psi.shape == (3, 5)


def test_every_game_has_its_equilibrium_at_the_origin():
    for game in ("gan", "wgan", "r1"):
        assert dirac_vector_field(0.0, 0.0, game) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("game", "params"), [("gan", {}), ("wgan", {}), ("wgan-gp", {"lam": 3.0}), ("r1", {"gamma": 2})]
)
def test_analytic_jacobian_matches_finite_differences(game, params):
    rng = np.random.default_rng(1)
    eps = 1e-6
    for theta, psi in rng.normal(size=(10, 2)):
        numeric = np.empty((2, 2))
        for col, (dt, dp) in enumerate([(eps, 0.0), (0.0, eps)]):
            plus = dirac_vector_field(theta + dt, psi + dp, game, **params)
            minus = dirac_vector_field(theta - dt, psi - dp, game, **params)
            numeric[:, col] = (np.array(plus) - np.array(minus)) / (2 * eps)
        analytic = dirac_jacobian(game, theta=float(theta), psi=float(psi), **params)
        np.testing.assert_allclose(analytic, numeric, atol=1e-7)


def test_unregularised_gan_has_purely_imaginary_eigenvalues_at_the_equilibrium():
    eigenvalues = np.linalg.eigvals(dirac_jacobian("gan"))
    np.testing.assert_allclose(sorted(eigenvalues, key=np.imag), [-0.5j, 0.5j], atol=1e-15)


def test_r1_with_gamma_one_has_a_double_eigenvalue_minus_one_half():
    jacobian = dirac_jacobian("r1", gamma=1.0)
    np.testing.assert_array_equal(jacobian, [[0.0, -0.5], [0.5, -1.0]])
    np.testing.assert_allclose(np.linalg.eigvals(jacobian), [-0.5, -0.5], atol=1e-7)


@pytest.mark.parametrize("gamma", [0.3, 1.0, 3.0])
def test_r1_eigenvalues_follow_the_closed_form(gamma):
    # -gamma / 2 +- sqrt(gamma^2 / 4 - f'(0)^2) with f'(0) = 1/2 (Mescheder et al., 2018)
    root = np.sqrt(complex(gamma**2 / 4 - 0.25))
    expected = np.sort_complex([-gamma / 2 + root, -gamma / 2 - root])
    found = np.sort_complex(np.linalg.eigvals(dirac_jacobian("r1", gamma=gamma)))
    np.testing.assert_allclose(found, expected, atol=1e-7)


def test_wgan_gp_jacobian_is_undefined_where_its_field_jumps():
    with pytest.raises(ValueError, match=r"not differentiable at psi = 0"):
        dirac_jacobian("wgan-gp")


# --- trajectories ---------------------------------------------------------------------------------


@pytest.mark.parametrize("start", [(0.1, 0.1), (1.0, 1.0)])
def test_simultaneous_steps_on_the_unregularised_gan_move_away(start):
    radius = norms(simulate_dirac("gan", start=start, lr=0.1, steps=1000, mode="simultaneous"))
    assert np.all(np.diff(radius) > 0)  # every step moves outward
    assert radius[-1] > 1.8 * radius[0]


@pytest.mark.parametrize("start", [(0.1, 0.1), (1.0, 1.0)])
def test_alternating_steps_on_the_unregularised_gan_oscillate_without_converging(start):
    radius = norms(simulate_dirac("gan", start=start, lr=0.1, steps=3000, mode="alternating"))
    assert radius.min() > 0.9 * radius[0]
    assert radius.max() < 1.1 * radius[0]


@pytest.mark.parametrize("mode", ["simultaneous", "alternating"])
@pytest.mark.parametrize("gamma", [0.3, 1.0])
def test_r1_steps_converge_to_the_equilibrium(mode, gamma):
    path = simulate_dirac("r1", start=(1.0, 1.0), lr=0.1, steps=1000, mode=mode, gamma=gamma)
    assert norms(path)[-1] < 1e-3


def test_simultaneous_wgan_steps_grow_by_exactly_sqrt_one_plus_h_squared():
    # f(t) = t is linear: each step is sqrt(1 + h^2) times a rotation while |psi| < c
    h, steps = 0.1, 40
    radius = norms(simulate_dirac("wgan", start=(0.01, 0.0), lr=h, steps=steps))
    np.testing.assert_allclose(radius, 0.01 * (1 + h**2) ** (np.arange(steps + 1) / 2), rtol=1e-12)


def test_alternating_wgan_steps_are_the_area_preserving_linear_map():
    # psi' = psi + h theta, theta' = theta - h psi'  =>  (theta, psi) -> M (theta, psi)
    h = 0.1
    m = np.array([[1 - h**2, -h], [h, 1.0]])
    assert np.linalg.det(m) == pytest.approx(1.0)
    path = simulate_dirac("wgan", start=(0.3, -0.2), lr=h, steps=50, mode="alternating")
    expected = [np.linalg.matrix_power(m, k) @ [0.3, -0.2] for k in range(51)]
    np.testing.assert_allclose(path, expected, atol=1e-12)


@pytest.mark.parametrize("mode", ["simultaneous", "alternating"])
@pytest.mark.parametrize("clip", [0.5, 1.0])
def test_clipped_wgan_orbits_at_a_radius_about_the_clip_value(mode, clip):
    path = simulate_dirac("wgan", start=(1.0, 1.0), lr=0.1, steps=2000, mode=mode, clip=clip)
    assert np.abs(path[1:, 1]).max() <= clip  # clipped after every critic step
    tail = norms(path)[1000:]
    assert tail.min() > 0.95 * clip
    assert tail.max() < 1.2 * clip


@pytest.mark.parametrize("mode", ["simultaneous", "alternating"])
@pytest.mark.parametrize("lam", [1.0, 2.0])
def test_literal_wgan_gp_stalls_at_theta_minus_two_lambda(mode, lam):
    path = simulate_dirac("wgan-gp", start=(1.0, 1.0), lr=0.1, steps=1000, mode=mode, lam=lam)
    np.testing.assert_allclose(path[-1], [-2 * lam, 0.0], atol=1e-3)


def test_trajectory_has_one_row_per_step_plus_the_start():
    path = simulate_dirac("gan", start=(0.5, -0.25), steps=7)
    assert path.shape == (8, 2)
    np.testing.assert_array_equal(path[0], [0.5, -0.25])


# --- bad input ------------------------------------------------------------------------------------


def test_rejects_an_unknown_game():
    with pytest.raises(ValueError, match=r"^unknown game 'lsgan'"):
        simulate_dirac("lsgan")


def test_rejects_a_hyperparameter_the_game_does_not_take():
    with pytest.raises(TypeError, match=r"^game 'gan' got unexpected hyperparameter \['gamma'\]"):
        dirac_vector_field(0.0, 0.0, "gan", gamma=1.0)


def test_rejects_a_negative_gamma():
    with pytest.raises(ValueError, match=r"^gamma must be non-negative"):
        dirac_jacobian("r1", gamma=-1.0)


def test_rejects_a_negative_lambda():
    with pytest.raises(ValueError, match=r"^lam must be non-negative"):
        simulate_dirac("wgan-gp", lam=-0.1)


def test_rejects_a_non_positive_clip_value():
    with pytest.raises(ValueError, match=r"^clip must be positive"):
        simulate_dirac("wgan", clip=0.0)


def test_rejects_a_non_numeric_hyperparameter():
    with pytest.raises(TypeError, match=r"^gamma must be a real number"):
        simulate_dirac("r1", gamma="1")


def test_rejects_an_unknown_mode():
    with pytest.raises(ValueError, match=r"^unknown mode 'random'"):
        simulate_dirac("gan", mode="random")


def test_rejects_a_non_positive_learning_rate():
    with pytest.raises(ValueError, match=r"^lr must be positive"):
        simulate_dirac("gan", lr=0.0)


def test_rejects_a_non_positive_number_of_steps():
    with pytest.raises(ValueError, match=r"^steps must be at least 1"):
        simulate_dirac("gan", steps=0)


def test_rejects_a_start_that_is_not_a_pair():
    with pytest.raises(ValueError, match=r"^start must be a pair \(theta, psi\)"):
        simulate_dirac("gan", start=(1.0, 1.0, 1.0))


def test_rejects_a_non_finite_start():
    with pytest.raises(ValueError, match=r"^start must be finite"):
        simulate_dirac("gan", start=(math.nan, 1.0))


def test_rejects_fields_that_do_not_broadcast():
    with pytest.raises(ValueError, match=r"^theta and psi must broadcast together"):
        dirac_vector_field(np.zeros(3), np.zeros(2), "gan")


def test_rejects_a_non_finite_point_for_the_jacobian():
    with pytest.raises(ValueError, match=r"^psi must be finite"):
        dirac_jacobian("gan", psi=math.inf)
