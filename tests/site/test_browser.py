"""The built site in headless Chromium: pages load, math is typeset, images load, nothing leaks.

Playwright drives Debian's ``chromium`` (no browser download); the site is served from 127.0.0.1.
On CI (``CI=true``) a missing browser is a failure, not a skip.

What the browser saw is not all: `test_no_shipped_file_can_load_code_from_another_host` reads
every page and script of the built site for loaders of another host's code that did not fire
(a CDN fallback for a browser feature, a diagram the pages do not have), without a browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import (
    PageWatcher,
    serve_directory,
    site_pages,
    wait_for_typesetting,
)

from ganbook.site.offline import CDN_HOSTS, loads_remote_code

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(built_site) -> Iterator[str]:
    if built_site.published_url:  # requests are answered from the directory by the browser
        yield built_site.published_url
        return
    with serve_directory(built_site.site_dir, built_site.port) as url:
        yield url


# URL strings that may stay in the shipped scripts, since none of them loads code: XML
# namespaces, MathJax's link to its home page (its "About" dialog), and the repository facts
# that Material's bundle asks GitHub or GitLab for, only when mkdocs.yml sets a ``repo_url``.
INERT_URLS = (
    "http://www.w3.org/",
    "https://www.mathjax.org",
    "https://api.github.com/",
    "https://${",  # https://${host}/api/v4/projects/… (GitLab)
    "https://github.com/zloirock/core-js",  # TF.js's bundled core-js: its licence metadata
    "https://github.com/tensorflow/tfjs/issues",  # TF.js: "File an issue at …" in an error
)
# The literal URLs that TF.js's bundled core-js parses with `new URL(…)` to test the browser's
# URL support: parsed, never fetched. Exact strings, since a prefix such as "http://a" would
# let any URL through.
URL_PARSER_PROBES = frozenset(
    {"http://a", "http://a/c%20d?a=1&c=3", "https://a@b", "http://тест", "http://a#б", "http://x"}
)
URL_STRING = re.compile(r"""["'`]((?:https?://|//[\w-]+\.[\w.-]+/)[^"'`\s]*)""")
SCRIPT_TAG = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<code>.*?)</script\s*>", re.S | re.I)


def test_no_shipped_file_can_load_code_from_another_host(built_site):
    """No page or script of the site holds a loader for another host's code, fired or not."""
    site = built_site.site_dir
    pages = sorted(site.rglob("*.html"))
    scripts = sorted([*site.rglob("*.js"), *site.rglob("*.mjs")])
    assert len(pages) >= 10
    assert scripts
    assert list(site.rglob("*.map")) == [], "source maps are left out"
    for path in [*pages, *scripts]:
        text = path.read_text(encoding="utf-8", errors="replace")
        where = path.relative_to(site)
        named = [host for host in (*CDN_HOSTS, "unpkg", "cdnjs", "jsdelivr") if host in text]
        assert named == [], f"{where} names a CDN: {named}"
        assert not re.search(r"\bimport\s*\(\s*[\"'`](?:https?:)?//", text), where
        assert not re.search(r"\bimportScripts\s*\(\s*[\"'`](?:https?:)?//", text), where
    for path in pages:
        where = path.relative_to(site)
        for script in SCRIPT_TAG.finditer(path.read_text(encoding="utf-8")):
            src = re.search(r"""\bsrc\s*=\s*["']?([^"'\s>]*)""", script["attrs"])
            if src is not None:
                assert src.group(1), f"{where}: a <script> with an empty src"
                assert not re.match(r"(?:[a-z]+:)?//", src.group(1), re.I), f"{where}: {src[0]}"
            assert not loads_remote_code(script["code"]), f"{where}: {script['code'][:200]}"
    for path in scripts:
        text = path.read_text(encoding="utf-8", errors="replace")
        for url in URL_STRING.findall(text):
            inert = url.startswith(INERT_URLS) or url in URL_PARSER_PROBES
            assert inert, f"{path.relative_to(site)}: {url}"
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert not re.search(r"^repo_url:", config, re.M), "repo_url makes Material call GitHub"


def check_page(page, where: str):
    """Every formula typeset, no raw TeX left, every image decoded."""
    state = page.evaluate(
        """() => {
        const untypeset = [...document.querySelectorAll('.arithmatex')]
          .filter(el => !el.querySelector('mjx-container')).map(el => el.textContent.slice(0, 60));
        const errors = [...document.querySelectorAll('mjx-merror, [data-mjx-error]')]
          .map(el => el.getAttribute('data-mjx-error') || el.textContent);
        const images = [...document.querySelectorAll('article img')];
        const broken = images.filter(img => !img.complete || img.naturalWidth === 0)
          .map(img => img.getAttribute('src'));
        const numbersInMath = document.querySelectorAll('.arithmatex .gb-result').length;
        return {numbersInMath, untypeset, errors, images: images.length, broken,
                typeset: document.querySelectorAll('mjx-container').length};
    }"""
    )
    assert state["numbersInMath"] == 0, f"{where}: a quoted result inside a formula"
    assert state["untypeset"] == [], f"{where}: formulas left as raw TeX {state['untypeset']}"
    assert state["errors"] == [], f"{where}: MathJax errors {state['errors']}"
    assert state["broken"] == [], f"{where}: images that did not load {state['broken']}"
    return state


def test_every_page_loads_typesets_and_stays_offline(browser, server, built_site):
    pages = site_pages(built_site)
    assert len(pages) >= 10
    for relative in pages:
        page = browser.new_page()
        watcher = PageWatcher(page, server)
        page.goto(server + relative, wait_until="networkidle")
        wait_for_typesetting(page)
        page.wait_for_load_state("networkidle")
        check_page(page, relative)
        watcher.assert_clean(relative)
        page.close()


def test_math_is_typeset_where_the_book_has_math(browser, server):
    page = browser.new_page()
    watcher = PageWatcher(page, server)
    expectations = {
        "part-1/shift-toy/": 20,  # the chapter's formulas
        "reference/api/losses/": 9,  # docstring formulas through mkdocstrings
        "part-1/shift-toy-training.nb/": 3,  # notebook Markdown cells
    }
    for relative, at_least in expectations.items():
        page.goto(server + relative, wait_until="networkidle")
        wait_for_typesetting(page)
        count = page.evaluate("document.querySelectorAll('mjx-container').length")
        assert count >= at_least, f"{relative}: only {count} formulas typeset"
    watcher.assert_clean("math pages")
    page.close()


def test_instant_navigation_keeps_typesetting(browser, server):
    page = browser.new_page()
    watcher = PageWatcher(page, server)
    page.goto(server, wait_until="networkidle")
    stamp = wait_for_typesetting(page)
    page.evaluate("window.gbSameDocument = true")
    click_path = [
        ("nav.md-nav--primary", "The shift toy, exactly"),
        ("nav.md-nav--primary", "Notebook: training the shift toy"),
        ("nav.md-nav--primary", "Notation"),
        ("nav.md-nav--primary", "Rebuild the figures"),
        ("nav.md-nav--primary", "Reference"),
        ("article", "API"),
        ("article", "ganbook.losses"),
    ]
    for scope, link_text in click_path:
        page.locator(scope).get_by_role("link", name=link_text, exact=True).first.click()
        stamp = wait_for_typesetting(page, stamp)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.gbSameDocument === true"), f"{link_text}: a full reload"
        check_page(page, link_text)
    assert page.url.endswith("/reference/api/losses/")
    assert page.evaluate("document.querySelectorAll('mjx-container').length") >= 9
    watcher.assert_clean("click path")
    page.close()


def test_search_and_the_scripts_of_a_notebook_page_work(browser, server):
    """Material's search (its worker and index) finds a chapter; no script error on the way."""
    page = browser.new_page()
    watcher = PageWatcher(page, server)
    page.goto(server + "part-1/shift-toy-training.nb/", wait_until="networkidle")
    wait_for_typesetting(page)
    page.keyboard.press("/")
    page.keyboard.type("wasserstein")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=30_000)
    assert results.count() >= 1
    assert "asserstein" in results.first.inner_text()
    assert page.locator(".md-search-result__meta").inner_text() != ""
    watcher.assert_clean("search")
    page.close()
