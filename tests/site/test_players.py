"""Every animation of the book is a player over the GIF's own frames, and the GIF is the fallback.

The build publishes each ``format="gif"`` figure as the GIF (the page's ``<img>``) and as PNG
frames (`ganbook.site.players`); ``docs/javascripts/players.js`` turns the figure into a player.
These tests check that the published frames are the GIF's pixels, then drive each player in
headless Chromium as a reader would: it plays, pauses, steps, scrubs, answers the keyboard,
starts paused for a reader who asks for reduced motion, fits 390 px, and leaves the GIF in place
when scripts are off.
"""

from __future__ import annotations

import io
import json
import re
from html import unescape

import numpy as np
from browsing import PageWatcher
from PIL import Image, ImageSequence

PAGE = "part-1/alternation/"
PLAYER = re.compile(r'<div class="gb-player" ([^>]*)>\s*<img src="([^"]+)"')


def players_in(built_site) -> list[tuple[list[str], list[int], str]]:
    """The ``(frame URLs, durations, GIF URL)`` of every player of the alternation page."""
    text = (built_site.site_dir / PAGE / "index.html").read_text(encoding="utf-8")
    found = []
    for attributes, gif in PLAYER.findall(text):
        data = dict(re.findall(r'data-(\w+)="([^"]*)"', attributes))
        found.append((json.loads(unescape(data["frames"])), json.loads(data["durations"]), gif))
    return found


def test_every_animation_of_the_site_is_a_player(built_site):
    gifs = sorted(p.stem for p in (built_site.site_dir / "figures").glob("*.gif"))
    assert gifs, "the site publishes no animation"
    shown = sorted(gif.rsplit("/", 1)[1].removesuffix(".gif") for *_, gif in players_in(built_site))
    assert shown == gifs


def test_the_published_frames_are_the_gifs_own_pixels_and_durations(built_site):
    page_dir = built_site.site_dir / PAGE
    for frames, durations, gif in players_in(built_site):
        animation = Image.open(page_dir / gif)
        expected = [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(animation)]
        assert len(frames) == len(durations) == len(expected) > 1, gif
        for url, truth in zip(frames, expected, strict=True):
            data = (page_dir / url).resolve().read_bytes()
            assert np.array_equal(np.asarray(Image.open(io.BytesIO(data)).convert("RGB")), truth)
        shown = [f.info["duration"] for f in ImageSequence.Iterator(Image.open(page_dir / gif))]
        assert durations == shown, gif


def open_players(browser, server, *, width=1280, reduced_motion="no-preference"):
    page = browser.new_page(viewport={"width": width, "height": 900}, reduced_motion=reduced_motion)
    watcher = PageWatcher(page, server)
    page.goto(server + PAGE, wait_until="networkidle")
    page.wait_for_function("window.ganbookPlayers && window.ganbookPlayers.mounted.length >= 2")
    return page, watcher


def state(page, k: int = 0) -> dict:
    return page.evaluate(
        """k => {
            const p = window.ganbookPlayers.mounted[k];
            const root = p.element;
            return {
                frame: p.frame(), count: p.count, playing: p.isPlaying(),
                src: root.querySelector("img").getAttribute("src"),
                slider: Number(root.querySelector(".gb-player-slider").value),
                counter: root.querySelector(".gb-player-counter").textContent,
                label: root.querySelector(".gb-player-play").getAttribute("aria-label"),
            };
        }""",
        k,
    )


def test_a_player_plays_pauses_steps_and_scrubs(browser, server):
    page, watcher = open_players(browser, server)
    first = state(page)
    assert first["playing"]
    assert first["label"] == "Pause"
    page.wait_for_function("window.ganbookPlayers.mounted[0].frame() >= 2", timeout=10_000)
    page.locator(".gb-player-play").first.click()
    paused = state(page)
    assert not paused["playing"]
    assert paused["label"] == "Play"
    page.wait_for_timeout(600)
    assert state(page)["frame"] == paused["frame"], "a paused player moved on"
    assert paused["src"].endswith(f"frame-{paused['frame']:03d}.png")
    assert paused["counter"] == f"{paused['frame'] + 1} / {paused['count']}"

    page.locator(".gb-player-next").first.click()
    assert state(page)["frame"] == paused["frame"] + 1
    page.locator(".gb-player-previous").first.click()
    page.locator(".gb-player-previous").first.click()
    assert state(page)["frame"] == paused["frame"] - 1

    last = paused["count"] - 1
    page.locator(".gb-player-slider").first.fill(str(last))
    scrubbed = state(page)
    assert scrubbed["frame"] == scrubbed["slider"] == last
    assert scrubbed["src"].endswith(f"frame-{last:03d}.png")
    page.locator(".gb-player-play").first.click()  # from the end, play starts over
    assert state(page)["playing"]
    page.wait_for_function("window.ganbookPlayers.mounted[0].frame() < 3", timeout=10_000)
    watcher.assert_clean("the players")
    page.close()


def test_a_player_answers_the_keyboard(browser, server):
    page, watcher = open_players(browser, server, reduced_motion="reduce")
    assert not state(page, 1)["playing"], "a reader asking for reduced motion got a moving player"
    page.locator(".gb-player").nth(1).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert state(page, 1)["frame"] == 2
    page.keyboard.press("ArrowLeft")
    assert state(page, 1)["frame"] == 1
    page.keyboard.press("End")
    assert state(page, 1)["frame"] == state(page, 1)["count"] - 1
    page.keyboard.press("Home")
    assert state(page, 1)["frame"] == 0
    page.keyboard.press(" ")
    assert state(page, 1)["playing"]
    page.keyboard.press("k")
    assert not state(page, 1)["playing"]
    page.locator(".gb-player-slider").nth(1).focus()
    page.keyboard.press("ArrowRight")
    assert state(page, 1)["frame"] == 1, "the slider's own arrow keys do not step the player"
    page.locator(".gb-player-play").nth(1).focus()
    page.keyboard.press(" ")  # the button's own Space: one toggle, not two
    assert state(page, 1)["playing"]
    assert not state(page, 0)["playing"], "keys for one player moved another"
    watcher.assert_clean("the players from the keyboard")
    page.close()


def test_the_players_fit_a_phone(browser, server):
    page, watcher = open_players(browser, server, width=390)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow} px of horizontal scrolling at 390 px"
    for k in range(2):
        box = page.locator(".gb-player-controls").nth(k).bounding_box()
        assert 0 <= box["x"]
        assert box["x"] + box["width"] <= 390
    watcher.assert_clean("the players at 390 px")
    page.close()


def test_without_scripts_the_gif_plays_in_place(browser, server, built_site):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page.goto(server + PAGE, wait_until="load")
    sources = page.locator(".gb-player img").evaluate_all("els => els.map(e => e.src)")
    assert len(sources) == len(players_in(built_site)) >= 2
    assert all(src.endswith(".gif") for src in sources), sources
    assert page.locator(".gb-player-controls").count() == 0
    page.close()
