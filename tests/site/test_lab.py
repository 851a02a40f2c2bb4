"""The lab in headless Chromium: the package's losses, training, controls, the address, offline.

The lab (``docs/lab/index.md``, ``docs/javascripts/lab.js``) trains a 2-D GAN with TensorFlow.js,
which the site serves itself. Its losses are reachable as ``window.ganbookLab.losses[NAME]``;
the first test evaluates each on random logits or scores and compares it with `ganbook.losses`
in Python. The others train the ring, measure the speed, and drive the page as a reader would:
buttons, keys, the address that holds the set-up, and a phone-sized screen.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from browsing import PageWatcher
from scipy.stats import wasserstein_distance

from ganbook.losses import get_loss, loss_names

LAB = "lab/"
LOSSES = ("minimax", "non-saturating", "least-squares", "wasserstein", "wgan-gp", "hinge")


def open_lab(browser, server, query: str = "", width: int = 1280):
    """The lab's page, loaded and mounted, with a watcher of its errors and requests."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    watcher = PageWatcher(page, server)
    page.goto(server + LAB + query, wait_until="networkidle")
    page.wait_for_function("window.ganbookLab && window.ganbookLab.current", timeout=60_000)
    page.evaluate("window.ganbookLab.ready")
    return page, watcher


def python_losses(name: str, d_real: np.ndarray, d_fake: np.ndarray) -> tuple[float, float]:
    pair = get_loss(name)
    real, fake = torch.as_tensor(d_real), torch.as_tensor(d_fake)
    return (
        float(pair.discriminator_loss(real, fake)),
        float(pair.generator_loss_of(fake, real)),
    )


def test_the_lab_offers_every_loss_of_the_registry(browser, server):
    page, watcher = open_lab(browser, server)
    names = page.evaluate("window.ganbookLab.lossNames")
    assert sorted(names) == sorted(loss_names())
    assert set(LOSSES) <= set(names)
    watcher.assert_clean("the lab")
    page.close()


@pytest.mark.parametrize(("n_real", "n_fake"), [(7, 13), (1, 5), (64, 64)])
def test_every_loss_of_the_lab_is_the_packages_to_1e_5(browser, server, n_real, n_fake):
    page, watcher = open_lab(browser, server)
    rng = np.random.default_rng(n_real * 100 + n_fake)
    for name in page.evaluate("window.ganbookLab.lossNames"):
        d_real = rng.normal(0.0, 3.0, n_real)
        d_fake = rng.normal(0.0, 3.0, n_fake)
        ours = page.evaluate(
            "([name, r, f]) => window.ganbookLab.losses[name](r, f)",
            [name, d_real.tolist(), d_fake.tolist()],
        )
        expected = python_losses(name, d_real, d_fake)
        found = (ours["discriminator"], ours["generator"])
        for what, value, truth in zip(("discriminator", "generator"), found, expected, strict=True):
            assert value == pytest.approx(truth, rel=1e-5, abs=1e-6), (name, what, n_real, n_fake)
    watcher.assert_clean("the lab's losses")
    page.close()


def radial_w1(samples: dict) -> float:
    r"""$W_1$ between the fakes' and the real points' distances from the centre, by scipy.

    The ring's modes all lie at one radius, so this distance falls as soon as the generator
    spreads its points to the ring's scale, whichever modes it lands on; the sliced $W_1$ also
    sees which modes, and swings from round to round as the fakes hop between them.
    """
    fake, real = (np.linalg.norm(np.reshape(samples[k], (-1, 2)), axis=1) for k in ("fake", "real"))
    return float(wasserstein_distance(fake, real))


def test_training_the_ring_brings_the_fakes_closer_to_the_data(browser, server):
    """Non-saturating on the ring at the lab's defaults: 300 rounds in each of five seeds.

    The distance of the lab's own evaluation points, computed here in Python, falls to below
    0.7 of its start in every seed (measured: at most 0.49 of it).
    """
    page, watcher = open_lab(browser, server, "?data=ring&loss=non-saturating")
    lab = "window.ganbookLab.current"
    ratios = []
    for seed in range(5):
        page.evaluate(f"{lab}.set({{seed: {seed}}})")
        start = radial_w1(page.evaluate(f"{lab}.samples()"))
        end = page.evaluate(f"{lab}.train(300)")
        assert end["rounds"] == 300
        assert np.isfinite([end["dLoss"], end["gLoss"], end["slicedW1"]]).all(), (seed, end)
        ratios.append(radial_w1(page.evaluate(f"{lab}.samples()")) / start)
    assert max(ratios) < 0.7, ratios
    watcher.assert_clean("training the ring")
    page.close()


def test_the_same_seed_gives_the_same_run(browser, server):
    page, watcher = open_lab(browser, server, "?data=ring&loss=hinge&seed=3")
    first = page.evaluate("window.ganbookLab.current.train(20)")
    page.evaluate("window.ganbookLab.current.reset()")
    second = page.evaluate("window.ganbookLab.current.train(20)")
    for key in ("dLoss", "gLoss", "slicedW1"):
        assert first[key] == pytest.approx(second[key], rel=1e-4), key
    watcher.assert_clean("reset")
    page.close()


def test_the_lab_trains_at_a_useful_speed_in_headless_chromium(browser, server):
    page, watcher = open_lab(browser, server, "?data=ring&loss=non-saturating")
    speed = page.evaluate("window.ganbookLab.current.speed(100)")
    print(f"lab: {speed:.1f} generator steps per second (headless Chromium, default size)")
    assert speed >= 10, f"{speed:.1f} generator steps per second"
    watcher.assert_clean("speed")
    page.close()


def test_the_buttons_and_keys_step_the_players(browser, server):
    page, watcher = open_lab(browser, server, "?data=two&loss=minimax")
    lab = "window.ganbookLab.current"
    before = page.evaluate(f"{lab}.metrics().rounds")
    page.get_by_role("button", name="Round", exact=True).click()
    assert page.evaluate(f"{lab}.metrics().rounds") == before + 1
    page.get_by_role("button", name="Round", exact=True).focus()
    page.keyboard.press("r")
    assert page.evaluate(f"{lab}.metrics().rounds") == before + 2
    play = page.get_by_role("button", name="Play")
    play.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"{lab}.isPlaying() && {lab}.metrics().rounds > {before + 3}")
    page.keyboard.press(" ")
    page.wait_for_function(f"!{lab}.isPlaying()")
    watcher.assert_clean("buttons and keys")
    page.close()


def test_the_address_holds_the_set_up_and_a_bad_value_falls_back(browser, server):
    page, watcher = open_lab(browser, server, "?data=grid&loss=hinge&ncritic=3")
    settings = page.evaluate("window.ganbookLab.current.settings()")
    assert (settings["data"], settings["loss"], int(settings["ncritic"])) == ("grid", "hinge", 3)
    page.evaluate("window.ganbookLab.current.set({loss: 'least-squares'})")
    assert "loss=least-squares" in page.url
    page.close()
    page, watcher = open_lab(browser, server, "?loss=no-such-loss&data=ring")
    settings = page.evaluate("window.ganbookLab.current.settings()")
    assert settings["loss"] in LOSSES
    assert settings["data"] == "ring"
    watcher.assert_clean("a bad value in the address")
    page.close()


def test_the_lab_fits_a_phone_screen(browser, server):
    page, watcher = open_lab(browser, server, width=390)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow} px of horizontal scrolling at 390 px"
    box = page.locator("#ganbook-lab canvas").first.bounding_box()
    assert box is not None
    assert 0 <= box["x"] <= box["x"] + box["width"] <= 390
    watcher.assert_clean("390 px")
    page.close()
