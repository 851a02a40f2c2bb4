"""The Dirac-GAN chapter: every equality its prose derives, against independent computations.

The Jacobian at the equilibrium, the eigenvalue closed forms, the linearised update maps of
simultaneous and alternating steps, and the stall point of the literal WGAN-GP penalty are
derived on the page; here each is recomputed by hand or by finite differences and compared with
`ganbook.theory` and with the chapter's experiments.
"""

from __future__ import annotations

import numpy as np
import pytest

from ganbook.book.part2.dirac_gan.experiments import r1_closed_form, step_map
from ganbook.theory import dirac_jacobian, dirac_vector_field, simulate_dirac

H = 0.1  # the chapter's step size


def f_prime_at_zero(game: str) -> float:
    """f'(0) by a central difference of f, written here independently of ganbook."""
    f = {"gan": lambda t: -np.log1p(np.exp(-t)), "wgan": lambda t: t}[game]
    return (f(1e-6) - f(-1e-6)) / 2e-6


@pytest.mark.parametrize(
    ("game", "base", "params", "r_second"),
    [("gan", "gan", {}, 0.0), ("wgan", "wgan", {}, 0.0), ("r1", "gan", {"gamma": 0.7}, -0.7)],
)
def test_jacobian_at_the_equilibrium_is_the_rotation_plus_the_regulariser(
    game, base, params, r_second
):
    # J(0, 0) = [[0, -f'(0)], [f'(0), R''(0)]]
    a = f_prime_at_zero(base)
    expected = np.array([[0.0, -a], [a, r_second]])
    np.testing.assert_allclose(dirac_jacobian(game, **params), expected, atol=1e-9)


def test_unregularised_eigenvalues_are_plus_minus_i_over_two_and_wgan_plus_minus_i(results):
    s = results["dirac_eigenvalues"].scalars
    for game, imag in (("gan", 0.5), ("wgan", 1.0)):
        values = np.sort_complex(np.linalg.eigvals(dirac_jacobian(game)))
        np.testing.assert_allclose(values, [-1j * imag, 1j * imag], atol=1e-15)
        assert (s[f"{game}_eig_real"], s[f"{game}_eig_imag"]) == pytest.approx((0.0, imag))


def test_r1_eigenvalues_solve_the_characteristic_polynomial(results):
    # det(J - lambda I) = lambda^2 + gamma lambda + 1/4, roots -gamma/2 +- sqrt(gamma^2/4 - 1/4)
    r = results["dirac_eigenvalues"]
    gammas, computed = r.arrays["gammas"], r.arrays["eigenvalues"]
    for gamma, pair in zip(gammas, computed, strict=True):
        np.testing.assert_allclose(np.polyval([1.0, gamma, 0.25], pair), 0.0, atol=1e-7)
    closed = r1_closed_form(gammas)
    np.testing.assert_allclose(np.sort_complex(closed), np.sort_complex(computed), atol=1e-7)
    s = r.scalars
    assert s["r1_eig_real"] == pytest.approx(-0.5)
    assert s["r1_eig_other_real"] == pytest.approx(-0.5)


def test_r1_eigenvalues_lie_on_the_circle_of_radius_one_half_below_gamma_one(results):
    # complex pair: |lambda|^2 = det J = f'(0)^2 = 1/4
    r = results["dirac_eigenvalues"]
    below = r.arrays["gammas"] < 1.0
    np.testing.assert_allclose(np.abs(r.arrays["eigenvalues"][below]), 0.5, atol=1e-12)
    for gamma in (0.2, 0.9):
        assert np.linalg.det(dirac_jacobian("r1", gamma=gamma)) == pytest.approx(0.25)


def test_the_slowest_r1_mode_decays_fastest_at_gamma_one_and_like_one_over_four_gamma_after():
    def slowest(gamma):
        return np.linalg.eigvals(dirac_jacobian("r1", gamma=gamma)).real.max()

    gammas = np.linspace(0.0, 3.0, 301)
    rates = np.array([slowest(g) for g in gammas])
    assert gammas[np.argmin(rates)] == pytest.approx(1.0)
    assert rates.min() == pytest.approx(-0.5, abs=1e-7)
    assert slowest(100.0) == pytest.approx(-1 / 400, rel=1e-4)


@pytest.mark.parametrize(("game", "params"), [("gan", {}), ("wgan", {}), ("r1", {"gamma": 1.0})])
def test_simultaneous_update_is_identity_plus_h_times_jacobian(game, params):
    jacobian = dirac_jacobian(game, **params)
    measured = step_map(game, "simultaneous", H, **params)
    np.testing.assert_allclose(measured, np.eye(2) + H * jacobian, atol=1e-8)


@pytest.mark.parametrize(("game", "params"), [("gan", {}), ("wgan", {}), ("r1", {"gamma": 1.0})])
def test_alternating_update_is_the_derived_matrix_with_determinant_one_plus_h_b(game, params):
    jacobian = dirac_jacobian(game, **params)
    a, b = jacobian[1, 0], jacobian[1, 1]  # f'(0) and R''(0)
    derived = np.array([[1 - H**2 * a**2, -H * a * (1 + H * b)], [H * a, 1 + H * b]])
    measured = step_map(game, "alternating", H, **params)
    np.testing.assert_allclose(measured, derived, atol=1e-8)
    assert np.linalg.det(derived) == pytest.approx(1 + H * b)


def test_step_radii_quoted_in_the_chapter(results):
    s = results["dirac_eigenvalues"].scalars
    assert s["gan_sim_step_radius"] == pytest.approx(abs(1 + 0.5j * H))  # sqrt(1 + h^2/4)
    assert s["wgan_sim_step_radius"] == pytest.approx(abs(1 + 1j * H))  # sqrt(1 + h^2)
    assert s["gan_alt_step_radius"] == pytest.approx(1.0)
    assert s["r1_sim_step_radius"] == pytest.approx(1 - H / 2, abs=1e-4)  # 1 + h(-1/2), double
    assert s["r1_alt_step_det"] == pytest.approx(1 - H * 1.0)


@pytest.mark.parametrize("lam", [0.5, 1.0, 3.0])
def test_wgan_gp_field_on_each_half_plane_is_a_shifted_damped_oscillator(lam):
    rng = np.random.default_rng(3)
    theta = rng.normal(scale=3, size=50)
    psi = np.abs(rng.normal(size=50)) + 1e-3
    for sign in (1.0, -1.0):
        d_theta, d_psi = dirac_vector_field(theta, sign * psi, "wgan-gp", lam=lam)
        np.testing.assert_allclose(d_theta, -sign * psi)  # theta-dot = -psi
        # psi-dot = (theta + 2 lam sign) - 2 lam psi: centred at (-2 lam sign, 0)
        np.testing.assert_allclose(d_psi, (theta + 2 * lam * sign) - 2 * lam * sign * psi)
    # the one-sided field vanishes at its centre, on the edge psi = 0+
    edge = dirac_vector_field(-2 * lam, 1e-12, "wgan-gp", lam=lam)
    np.testing.assert_allclose(edge, (0.0, 0.0), atol=1e-10)


@pytest.mark.parametrize("lam", [0.5, 1.0, 2.0, 4.0])
def test_one_sided_wgan_gp_eigenvalues_are_minus_lambda_plus_minus_sqrt(lam):
    jacobian = dirac_jacobian("wgan-gp", theta=-2 * lam, psi=0.3, lam=lam)
    np.testing.assert_allclose(jacobian, [[0.0, -1.0], [1.0, -2 * lam]])
    root = np.sqrt(complex(lam**2 - 1))
    np.testing.assert_allclose(
        np.sort_complex(np.linalg.eigvals(jacobian)),
        np.sort_complex([-lam + root, -lam - root]),
        atol=1e-7,
    )


def test_wgan_gp_stalls_where_the_derivation_says(results):
    r = results["dirac_wgan_gp_stall"]
    s = r.scalars
    for lam, path in zip(r.arrays["lams"], r.arrays["paths"], strict=True):
        if lam >= 1:
            np.testing.assert_allclose(path[-1], [-2 * lam, 0.0], atol=1e-6)
            assert path[:, 1].min() >= 0.0  # overdamped: psi never crosses the edge
    assert s["paper_final_theta"] == pytest.approx(-2 * s["paper_lam"], abs=1e-6)
    stalled = results["dirac_trajectories"].scalars
    lam = stalled["lam"]
    assert stalled["wgan_gp_sim_final_theta"] == pytest.approx(-2 * lam, abs=1e-6)


def test_the_trajectories_are_those_of_ganbook_theory(results):
    r = results["dirac_trajectories"]
    s = r.scalars
    path = simulate_dirac("r1", (1.0, 1.0), s["lr"], s["steps"], "alternating", gamma=s["gamma"])
    np.testing.assert_array_equal(r.arrays["path_r1_alt"], path)


def test_exercise_stall_for_lambda_three_and_its_mirror():
    # rest point (-2 lam, 0) from (1, 1); the field is odd, so (1, -1) ends at (2 lam, 0)
    np.testing.assert_allclose(
        simulate_dirac("wgan-gp", (1.0, 1.0), H, 3000, lam=3.0)[-1], [-6.0, 0.0], atol=1e-6
    )
    np.testing.assert_allclose(
        simulate_dirac("wgan-gp", (1.0, -1.0), H, 3000, lam=3.0)[-1], [6.0, 0.0], atol=1e-6
    )
    z = np.random.default_rng(4).normal(size=(2, 20))
    for game in ("gan", "wgan-gp", "r1"):
        np.testing.assert_allclose(
            np.stack(dirac_vector_field(-z[0], -z[1], game)),
            -np.stack(dirac_vector_field(z[0], z[1], game)),
        )


def test_exercise_wgan_doubling_steps(results):
    s = results["dirac_eigenvalues"].scalars
    assert s["wgan_sim_doubling_steps"] == pytest.approx(np.log(2) / np.log(np.sqrt(1 + H**2)))
    radius = np.hypot(*simulate_dirac("wgan", (0.01, 0.0), H, 140, clip=10.0).T)
    assert radius[139] < 2 * radius[0] < radius[140]


BOOK_CONVENTION = {  # (f, R) written here: f of the game, R of its regulariser
    "gan": (lambda t: -np.log1p(np.exp(-t)), lambda psi: 0.0 * psi),
    "wgan": (lambda t: t, lambda psi: 0.0 * psi),
    "wgan-gp": (lambda t: t, lambda psi: -0.7 * (np.abs(psi) - 1.0) ** 2),
    "r1": (lambda t: -np.log1p(np.exp(-t)), lambda psi: -0.35 * psi**2),
}
BOOK_PARAMS = {"gan": {}, "wgan": {}, "wgan-gp": {"lam": 0.7}, "r1": {"gamma": 0.7}}


@pytest.mark.parametrize("game", sorted(BOOK_CONVENTION))
def test_the_other_sign_convention_mirrors_the_field_in_the_theta_axis(game):
    r"""With $D$ high on the data the objective is $f(-\psi\theta) + f(0)$: the field is mirrored.

    Gradient play on $L'(\theta, \psi) = f(-\psi\theta) + f(0)$, by central differences of $L'$
    and $R$ written here, equals the package's field at $(\theta, -\psi)$ with its $\psi$
    component negated: $v'(\theta, \psi) = (v_\theta(\theta, -\psi), -v_\psi(\theta, -\psi))$.
    """
    f, regulariser = BOOK_CONVENTION[game]
    rng = np.random.default_rng(7)
    theta, psi = rng.uniform(-2, 2, 50), rng.uniform(0.1, 2, 50) * rng.choice([-1, 1], 50)
    h = 1e-6

    def objective(t, p):
        return f(-p * t) + f(0.0)

    d_theta = -(objective(theta + h, psi) - objective(theta - h, psi)) / (2 * h)
    d_psi = (objective(theta, psi + h) - objective(theta, psi - h)) / (2 * h) + (
        regulariser(psi + h) - regulariser(psi - h)
    ) / (2 * h)
    mirrored_theta, mirrored_psi = dirac_vector_field(theta, -psi, game, **BOOK_PARAMS[game])
    np.testing.assert_allclose(d_theta, mirrored_theta, atol=1e-7)
    np.testing.assert_allclose(d_psi, -mirrored_psi, atol=1e-7)
