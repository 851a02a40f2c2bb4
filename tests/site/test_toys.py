"""The steppable toys in headless Chromium compute what `ganbook.theory` computes.

``docs/javascripts/toys.js`` ports the closed forms of two chapters to the browser: the shift
toy (the optimal logistic discriminator, the value, the generator's gradient at $D^*$) and the
Dirac-GAN (the vector fields, their Jacobians, discrete trajectories). Its pure functions are
reachable as ``window.ganbookToys``; these tests evaluate them at several points and compare them
with the Python the chapters' figures are computed from, then drive the two widgets as a reader
would: buttons, a narrow screen, no errors, nothing fetched from another host.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from browsing import PageWatcher

from ganbook.book.part1.saturation.experiments import generator_gradients_at_fixed_optimum
from ganbook.theory.dirac import dirac_jacobian, dirac_vector_field, simulate_dirac
from ganbook.theory.optimal import gaussian_optimal_logistic_parameters
from ganbook.theory.value import gaussian_value_at_optimum

SHIFT_PAGE = "part-1/shift-toy/"
DIRAC_PAGE = "part-2/dirac-gan/"
GAMES = {"gan": {}, "wgan": {"clip": 0.5}, "wgan-gp": {"lam": 1.0}, "r1": {"gamma": 0.3}}
FINE_GRID = {"z_span": 12.0, "z_points": 40_001}  # the Python's quadrature, made fine


def open_page(browser, server, relative: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    watcher = PageWatcher(page, server)
    page.goto(server + relative, wait_until="networkidle")
    page.wait_for_function("window.ganbookToys && window.ganbookToys.mounted.length > 0")
    return page, watcher


@pytest.fixture(scope="module")
def toys(browser, server):
    """A page with the toys' functions loaded, for the comparisons."""
    page, watcher = open_page(browser, server, SHIFT_PAGE)
    yield page
    watcher.assert_clean("the shift toy's page")
    page.close()


def js(page, expression: str, *args):
    return page.evaluate(f"(args) => {expression}", list(args))


@pytest.mark.parametrize(("mu", "sigma", "theta"), [(0.0, 1.0, 1.0), (1.5, 0.5, -2.0), (0, 2, 7)])
def test_the_shift_toys_optimal_discriminator_and_value_are_the_packages(toys, mu, sigma, theta):
    d = js(toys, "window.ganbookToys.shift.optimalDiscriminator(...args)", mu, sigma, theta)
    phi0, phi1 = gaussian_optimal_logistic_parameters(mu, theta, sigma)
    assert d["b"] == pytest.approx(phi0, rel=1e-12, abs=1e-12)
    assert d["a"] == pytest.approx(phi1, rel=1e-12, abs=1e-12)
    value = js(toys, "window.ganbookToys.shift.value(...args)", mu, sigma, theta, d["a"], d["b"])
    assert value == pytest.approx(gaussian_value_at_optimum(mu, theta, sigma), rel=1e-7)


@pytest.mark.parametrize("gap", [0.5, 1.0, 2.0, 4.0, 6.0, 8.0])
def test_the_shift_toys_gradients_at_the_optimum_are_the_packages(toys, gap):
    mu, sigma, theta = 0.0, 1.0, -gap
    expected = generator_gradients_at_fixed_optimum(mu, theta, sigma, FINE_GRID)
    for loss, key in (("minimax", "saturating"), ("non-saturating", "nonsaturating")):
        found = js(
            toys, "window.ganbookToys.shift.generatorGradient(...args)", mu, sigma, theta, loss
        )
        truth = expected[key]
        assert found == pytest.approx(truth, rel=1e-6, abs=1e-12), (loss, gap)


def test_the_shift_toys_gradients_match_the_published_magnitudes(toys):
    """Independent of the Python: the gradient magnitudes at σ = 1 the book's notes record."""
    published = {  # |θ − μ|: (saturating, non-saturating), as recorded, to their last digit
        0.5: ("0.235", "0.265"), 1.0: ("0.398", "0.602"), 2.0: ("0.450", "1.55"),
        4.0: ("0.137", "3.86"), 6.0: ("1.25e-2", "5.99"), 8.0: ("3.9e-4", "8.00"),
    }  # fmt: skip
    for gap, (saturating, nonsaturating) in published.items():
        for loss, text in (("minimax", saturating), ("non-saturating", nonsaturating)):
            recorded = Decimal(text)
            half_digit = 0.5 * 10.0 ** recorded.as_tuple().exponent
            found = js(
                toys, "window.ganbookToys.shift.generatorGradient(...args)", 0, 1, -gap, loss
            )
            assert abs(abs(found) - float(recorded)) <= half_digit, (loss, gap, found)


@pytest.mark.parametrize("game", GAMES)
def test_the_dirac_fields_and_jacobians_are_the_packages(toys, game):
    params = GAMES[game]
    points = [(1.0, 1.0), (-0.7, 0.3), (2.0, -1.5), (0.1, 0.05), (-3.0, -0.4)]
    for theta, psi in points:
        found = js(toys, "window.ganbookToys.dirac.field(...args)", game, theta, psi, params)
        expected = dirac_vector_field(theta, psi, game, **params)
        np.testing.assert_allclose(found, np.asarray(expected, dtype=float), rtol=1e-12, atol=1e-14)
        found = js(toys, "window.ganbookToys.dirac.jacobian(...args)", game, theta, psi, params)
        expected = dirac_jacobian(game, theta, psi, **params)
        np.testing.assert_allclose(found, expected, rtol=1e-12, atol=1e-14)
        eigen = js(toys, "window.ganbookToys.dirac.eigenvalues(args[0])", expected.tolist())
        by_parts = lambda z: (round(z.real, 9), round(z.imag, 9))  # noqa: E731
        ours = sorted((complex(e["re"], e["im"]) for e in eigen), key=by_parts)
        theirs = sorted(np.linalg.eigvals(expected), key=by_parts)
        np.testing.assert_allclose(ours, theirs, atol=1e-9)


@pytest.mark.parametrize("mode", ["simultaneous", "alternating"])
@pytest.mark.parametrize("game", GAMES)
def test_the_dirac_trajectories_are_the_packages(toys, game, mode):
    options = {"start": [1.0, 0.8], "lr": 0.1, "steps": 300, "mode": mode, **GAMES[game]}
    found = np.array(js(toys, "window.ganbookToys.dirac.simulate(...args)", game, options))
    expected = simulate_dirac(game, (1.0, 0.8), lr=0.1, steps=300, mode=mode, **GAMES[game])
    assert found.shape == expected.shape == (301, 2)
    np.testing.assert_allclose(found, expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(("relative", "width"), [(SHIFT_PAGE, 1280), (DIRAC_PAGE, 390)])
def test_the_toys_step_from_their_buttons_and_fit_the_screen(browser, server, relative, width):
    page, watcher = open_page(browser, server, relative, width=width)
    toy = page.locator(".gb-toy").first
    before = page.evaluate("JSON.stringify(window.ganbookToys.mounted[0].state())")
    step = toy.get_by_role("button", name="step", exact=False).first
    step.scroll_into_view_if_needed()
    step.click()
    after = page.evaluate("JSON.stringify(window.ganbookToys.mounted[0].state())")
    assert after != before, "a step button changed nothing"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{relative}: {overflow} px of horizontal scrolling at {width} px"
    watcher.assert_clean(relative)
    page.close()
