"""What the browser tests share: Chromium, a server for the built site, and the site's pages.

`test_browser` (loading, typesetting, offline) and `test_rendering` (layout and axe-core at two
widths) drive the same headless Chromium on the same built site. Either the site is served from
127.0.0.1 by `serve_directory`, or (for the published build, made for its public URL) every
request under that URL is answered from the site's directory by `answer_from_directory`.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """Debian's chromium (or ``$CHROMIUM``), or None where there is none."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@contextlib.contextmanager
def launch_chromium() -> Iterator:
    """A headless Chromium from Playwright; skip without one, except on CI, where it must be."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run must install Debian's chromium")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def serve_directory(site_dir: Path, port: int = 0) -> Iterator[str]:
    """Serve ``site_dir`` on 127.0.0.1 (``port`` 0: any free one); yield its URL."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site_dir))
    handler.log_message = lambda *_args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def answer_from_directory(page, url: str, site_dir: Path) -> None:
    """Answer every request of ``page`` under ``url`` from ``site_dir`` (404 where none is).

    The published site is built for its public URL; serving it there (and nowhere else) makes
    Material's instant navigation and every absolute link behave as they will when deployed,
    while requests to any other host still go out, where the tests catch them.
    """

    def answer(route):
        relative = route.request.url[len(url) :].split("#")[0].split("?")[0]
        path = site_dir / relative
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            route.fulfill(path=str(path))
        else:
            route.fulfill(status=404, body="not found")

    page.route(url + "**", answer)


def wait_for_typesetting(page, previous: str | None = None) -> str:
    """Wait until typeset.js has finished a pass after ``previous``; return its stamp."""
    page.wait_for_function(
        "prev => document.body.dataset.gbTypeset && document.body.dataset.gbTypeset !== prev",
        arg=previous,
        timeout=30_000,
    )
    # MathJax asks for a glyph's web font only when the glyph is first drawn: wait for those
    # requests too, or leaving the page aborts them (reported as failed requests).
    return page.evaluate("document.fonts.ready.then(() => document.body.dataset.gbTypeset)")


def site_pages(built_site) -> list[str]:
    """Every page of the built site, as a path relative to its root ("" for the home page)."""
    pages = []
    for path in sorted(built_site.site_dir.rglob("index.html")):
        relative = path.parent.relative_to(built_site.site_dir).as_posix()
        if not relative.startswith(("assets", "figures", "search")):
            pages.append("" if relative == "." else relative + "/")
    return pages


def surveyed_pages(built_site) -> list[str]:
    """`site_pages`, with the companion notebooks sampled: the first of each part only.

    The companion notebooks' pages share one template and one stylesheet, so their layout and
    contrast are those of any one of them; `test_browser` still loads every one (typesetting,
    console errors, offline).
    """
    pages, parts_seen = [], set()
    for relative in site_pages(built_site):
        parts = relative.split("/")
        if len(parts) > 2 and parts[1] == "exercises":
            if parts[0] in parts_seen:
                continue
            parts_seen.add(parts[0])
        pages.append(relative)
    return pages


class SiteFromDirectory:
    """A browser whose pages get every request under ``url`` answered from ``site_dir``."""

    def __init__(self, browser, site_dir: Path, url: str):
        self.browser, self.site_dir, self.url = browser, site_dir, url

    def new_page(self, **options):
        page = self.browser.new_page(**options)
        answer_from_directory(page, self.url, self.site_dir)
        return page


class PageWatcher:
    """Collects console errors, page errors and every request's host for one browser page."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_host = urlparse(base_url).netloc
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.failed: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("request", self._request)
        page.on("requestfailed", lambda req: self.failed.append(req.url))
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def _request(self, request):
        parsed = urlparse(request.url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.netloc != self.base_host:
            self.foreign.append(request.url)

    def _response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def assert_clean(self, where: str):
        assert self.errors == [], f"{where}: {self.errors}"
        assert self.foreign == [], f"{where}: requests to other hosts {self.foreign}"
        assert self.failed == [], f"{where}: failed requests {self.failed}"
