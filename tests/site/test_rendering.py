"""Every page at a laptop's and a phone's width: layout, math, code, figures, and axe-core.

At 1280 and 390 CSS pixels, on every page of the built site:

- the page never scrolls sideways (the document is no wider than the viewport);
- a display formula or a code block wider than the column scrolls inside its own box (it is
  never cut off by an ancestor that hides overflow), and such a box can be reached from the
  keyboard;
- the table of contents shows text, never raw TeX (no ``$``, no backslash).

Every figure file is at most 400 KB. axe-core (served from ``node_modules``, injected from the
file: the site and its test stay offline) checks every page in the light and in the dark scheme;
a serious or critical violation fails the test, except the ones listed in `MATERIAL_CAUSED`,
which the theme's own markup causes and the project cannot change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browsing import (
    answer_from_directory,
    launch_chromium,
    surveyed_pages,
    wait_for_typesetting,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"laptop": (1280, 800), "phone": (390, 844)}
FIGURE_LIMIT = 400 * 1024

# (rule id, CSS selector prefix of the offending node or "" for any) -> why the project cannot
# fix it. Only violations of Material's own markup belong here; anything in the article's content,
# the project's CSS, or markup the ganbook plugin writes must be fixed instead.
MATERIAL_CAUSED: dict[tuple[str, str], str] = {
    ("aria-dialog-name", ".md-search"): (
        "Material's search overlay is a role=dialog without a name; its markup comes from the "
        "theme's partials/search.html, which the project does not override"
    ),
    ("aria-progressbar-name", ".md-progress"): (
        "navigation.instant.progress: Material's progress bar is a role=progressbar without a "
        "name, written by the theme's bundle"
    ),
}


@pytest.fixture(scope="module")
def chromium():
    with launch_chromium() as browser:
        yield browser


def open_page(chromium, built_site, server: str, width: int, height: int, dark: bool = False):
    """A page of ``width`` x ``height`` CSS pixels, in the dark scheme if ``dark``."""
    page = chromium.new_page(
        viewport={"width": width, "height": height},
        color_scheme="dark" if dark else "light",
    )
    if built_site.published_url:
        answer_from_directory(page, server, built_site.site_dir)
    return page


LAYOUT = """() => {
  const root = document.documentElement;
  const viewport = root.clientWidth;
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).slice(0, 2).join('.') : '');
  // The first element, in document order, that reaches past the viewport's right edge
  // without an ancestor that scrolls or clips it.
  const sticking = [];
  if (root.scrollWidth > viewport + 1) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= viewport + 1) continue;
      let contained = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (!/visible/.test(getComputedStyle(a).overflowX)) { contained = true; break; }
      }
      if (!contained) { sticking.push(describe(el) + ' right=' + Math.round(r.right)); }
      if (sticking.length >= 5) break;
    }
  }
  // A box that is wider than it shows: it must scroll (not be clipped) and be focusable.
  const problems = [];
  const check = (el, what) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0) return;  // in a closed <details> or an inactive tab
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const overflow = getComputedStyle(a).overflowX;
      if (/auto|scroll/.test(overflow)) {
        if (a.scrollWidth > a.clientWidth + 1 && !a.hasAttribute('tabindex') &&
            !a.querySelector('a, button, input, [tabindex]')) {
          problems.push(what + ' scrolls in a box the keyboard cannot reach: ' + describe(a));
        }
        return;
      }
      if (/hidden|clip/.test(overflow)) {
        const b = a.getBoundingClientRect();
        if (r.right > b.right + 1 || r.left < b.left - 1) {
          problems.push(what + ' clipped by ' + describe(a) + ': ' + el.textContent.slice(0, 50));
        }
        return;
      }
    }
  };
  document.querySelectorAll('mjx-container[display="true"]').forEach(el => check(el, 'formula'));
  document.querySelectorAll('mjx-container.gb-wide-inline')
    .forEach(el => check(el, 'inline formula'));
  document.querySelectorAll('.md-typeset pre > code').forEach(el => {
    if (el.scrollWidth > el.clientWidth + 1) {
      if (!/auto|scroll/.test(getComputedStyle(el).overflowX)) {
        problems.push('code block does not scroll: ' + el.textContent.slice(0, 50));
      } else if (!el.hasAttribute('tabindex')) {
        problems.push('scrolling code block not focusable: ' + el.textContent.slice(0, 50));
      }
    }
  });
  const toc = [...document.querySelectorAll('nav.md-nav--secondary .md-nav__link')]
    .map(a => a.textContent.trim()).filter(text => /[$\\\\]/.test(text));
  const images = [...document.querySelectorAll('article img')]
    .filter(img => img.getBoundingClientRect().right > viewport + 1)
    .map(img => img.getAttribute('src'));
  return {scrollWidth: root.scrollWidth, viewport, sticking, problems, toc, images};
}"""


AXE_RUN = """async (options) => {
  const result = await axe.run(document, Object.assign({resultTypes: ['violations']}, options));
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, help: v.help, targets: v.nodes.map(n => n.target.join(' '))}));
}"""
# Only these of axe's rules depend on colour; the dark scheme changes nothing else on a page.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
# What Material's palette toggle does: the scheme is an attribute of <body>.
TO_DARK = """() => {
  // Material eases colour changes over a quarter second: axe must see the final colours.
  const still = document.createElement('style');
  still.textContent = '*, *::before, *::after { transition: none !important; }';
  document.head.appendChild(still);
  const background = () => getComputedStyle(document.body).backgroundColor;
  const light = background();
  document.body.setAttribute('data-md-color-scheme', 'slate');
  return [light, background()];
}"""


def excused(rule: str, target: str) -> bool:
    return any(
        rule == excused_rule and target.startswith(prefix)
        for (excused_rule, prefix) in MATERIAL_CAUSED
    )


def axe_failures(page, where: str, options: dict) -> list[str]:
    failures = []
    for violation in page.evaluate(AXE_RUN, options):
        targets = [t for t in violation["targets"] if not excused(violation["id"], t)]
        if targets:
            failures.append(
                f"{where}: {violation['id']} ({violation['help']}): "
                f"{targets[:4]}{' …' if len(targets) > 4 else ''}"
            )
    return failures


def layout_failures(page, where: str) -> list[str]:
    state = page.evaluate(LAYOUT)
    failures = []
    if state["scrollWidth"] > state["viewport"] + 1:
        failures.append(f"{where}: the page is {state['scrollWidth']}px wide; {state['sticking']}")
    failures += [f"{where}: {problem}" for problem in state["problems"]]
    if state["toc"]:
        failures.append(f"{where}: raw TeX in the table of contents {state['toc']}")
    if state["images"]:
        failures.append(f"{where}: images wider than the page {state['images']}")
    return failures


@pytest.fixture(scope="module")
def survey(chromium, built_site, server) -> dict[str, list[str]]:
    """Every page once at each width; at the laptop's width axe-core in both schemes.

    Returns the failures per check: ``laptop`` and ``phone`` (layout, TOC, images), ``light``
    and ``dark`` (axe-core). The dark scheme is switched on the loaded page as Material's toggle
    does, and checked with axe's colour rules: nothing else on a page depends on the scheme.
    One load per page and width keeps the whole survey to a few minutes on two cores; of the
    companion notebooks, which share one template, one per part is surveyed (`surveyed_pages`).
    """
    pages = surveyed_pages(built_site)
    assert len(pages) >= 10
    failures: dict[str, list[str]] = {"laptop": [], "phone": [], "light": [], "dark": []}
    axe_installed = AXE.is_file()
    for device, (width, height) in WIDTHS.items():
        page = open_page(chromium, built_site, server, width, height)
        for relative in pages:
            where = f"{relative or 'index'} at {width}px"
            page.goto(server + relative, wait_until="load")
            wait_for_typesetting(page)
            failures[device] += layout_failures(page, where)
            if device == "laptop" and axe_installed:
                page.add_script_tag(path=str(AXE))
                failures["light"] += axe_failures(page, f"{relative or 'index'} (light)", {})
                light, dark = page.evaluate(TO_DARK)
                assert light != dark, f"{where}: the slate scheme left the background {light}"
                failures["dark"] += axe_failures(
                    page, f"{relative or 'index'} (dark)", {"runOnly": COLOUR_RULES}
                )
        page.close()
    return failures


@pytest.mark.parametrize("device", WIDTHS)
def test_pages_fit_at_laptop_and_phone_widths(survey, device):
    assert survey[device] == [], "\n".join(survey[device])


def test_no_figure_file_is_over_400_kb(built_site):
    """Every figure, and every frame of an animation's player, stays small."""
    figures = sorted(f for f in (built_site.site_dir / "figures").rglob("*") if f.is_file())
    assert len(figures) >= 10
    heavy = {
        f.relative_to(built_site.site_dir).as_posix(): f.stat().st_size // 1024
        for f in figures
        if f.stat().st_size > FIGURE_LIMIT
    }
    assert heavy == {}, f"figures over 400 KB (sizes in KB): {heavy}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(survey, scheme):
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: `npm ci` installs axe-core (package-lock.json)")
        pytest.skip("axe-core is not installed (npm ci)")
    assert survey[scheme] == [], "\n".join(survey[scheme])


def test_every_notebook_page_offers_its_notebook_for_download(built_site):
    """mkdocs-jupyter's ``include_source`` ships the notebook beside its page; the page links it."""
    notebooks = sorted(built_site.site_dir.rglob("*.nb/index.html"))
    assert notebooks, "no notebook page in the site"
    for page in notebooks:
        source = page.parent / f"{page.parent.name}.py"
        assert source.is_file(), f"{source} is not shipped (include_source)"
        html = page.read_text(encoding="utf-8")
        assert f'href="{source.name}"' in html, f"{page.parent.name}: no link to {source.name}"
