"""``GANBOOK_ONLY``: a preview that computes some chapters and says so everywhere else.

A small site with a page of each of three chapters is built strictly with ``GANBOOK_ONLY`` set to
one of them, then to another on the same cache: only the chosen chapter's experiments are
computed, and every other page shows placeholders, never the figures the cache still holds from
the earlier build. A third build with nothing changed reads the second build's snapshot back,
without importing torch, matplotlib or any chapter.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ganbook.book import get_chapter
from ganbook.engine import all_claims, figure_names, get_figure

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = ("earth-movers-distance", "shift-toy", "wgan-gp")
NOT_BUILT = "is not built in this preview"


def _owned_figures(slug: str) -> list[str]:
    package = get_chapter(slug).package
    return [n for n in figure_names() if get_figure(n).module == f"{package}.figures"]


def _first_result(slug: str) -> str:
    page = (ROOT / "docs" / f"{get_chapter(slug).page}.md").read_text(encoding="utf-8")
    return re.search(r"\{\{\s*result\s+([\w-]+\.[\w-]+)", page).group(1)


def _claim_about(slug: str) -> str:
    package = get_chapter(slug).package
    return next(c.id for c in all_claims() if c.module.startswith(f"{package}."))


def _page(slug: str) -> str:
    figures = "\n\n".join(f"{{{{ figure {name} }}}}" for name in _owned_figures(slug))
    return (
        f"# {slug}\n\nA number: {{{{ result {_first_result(slug)} }}}}.\n\n"
        f"A sentence a claim checks. {{{{ claim {_claim_about(slug)} }}}}\n\n{figures}\n"
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("only")
    docs = root / "docs"
    for slug in CHAPTERS:
        page = docs / f"{get_chapter(slug).page}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_page(slug), encoding="utf-8")
    (docs / "index.md").write_text("# Home\n\nThree chapters.\n", encoding="utf-8")
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    (root / "mkdocs.yml").write_text(
        "site_name: t\nstrict: true\nmarkdown_extensions: [md_in_html]\n"
        "plugins:\n  - ganbook:\n      profile: test\n"
        f"      device: cpu\n      workers: 1\n      cache_dir: {root / 'cache'}\n"
        '      only: !ENV [GANBOOK_ONLY, ""]\n',
        encoding="utf-8",
    )
    return root


def build(project: Path, only: str, site: str, *flags: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *flags, "-m", "mkdocs", "build", "--strict", "--site-dir", site],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "GANBOOK_ONLY": only},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def builds(project):
    return {
        "emd": build(project, "earth-movers-distance", "site-emd"),
        "shift": build(project, "shift-toy", "site-shift"),
        "again": build(project, "shift-toy", "site-again", "-X", "importtime"),
    }


def _log(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


def _html(project: Path, site: str, slug: str) -> str:
    page = get_chapter(slug).page
    return (project / site / page / "index.html").read_text(encoding="utf-8")


def test_only_the_chosen_chapters_experiments_are_computed(project, builds):
    computed = re.findall(r"ganbook: experiment (\w+): computed", _log(builds["emd"]))
    assert computed == ["emd_worked_example"]
    computed = re.findall(r"ganbook: experiment (\w+): computed", _log(builds["shift"]))
    assert sorted(computed) == ["shift_toy_densities", "shift_toy_gradients", "shift_toy_value"]
    stored = {p.name.rsplit("-", 1)[0] for p in (project / "cache" / "experiments").iterdir()}
    assert "wgan_gp" not in stored
    assert "wgan_clipping" not in stored


@pytest.mark.usefixtures("builds")
def test_other_chapters_show_placeholders_not_the_cached_figures(project):
    shift = _html(project, "site-shift", "shift-toy")
    for name in _owned_figures("shift-toy"):
        assert f'<figure class="gb-figure" id="fig-{name}">' in shift
    emd = _html(project, "site-shift", "earth-movers-distance")  # built before, still cached
    for name in _owned_figures("earth-movers-distance"):
        assert f"This figure (<code>{name}</code>) {NOT_BUILT} (GANBOOK_ONLY=shift-toy)" in emd
        assert not (project / "site-shift" / "figures" / get_figure(name).filename).exists()
    assert "<img" not in emd
    assert "[not built in this preview]" in emd
    marker = re.search(
        r'<a class="gb-claim gb-not-built" id="[^"]+" href="[^"]+" title="([^"]+)"', emd
    )
    assert marker
    assert marker.group(1).startswith("Not checked in this preview (GANBOOK_ONLY=shift-toy)")


@pytest.mark.usefixtures("builds")
def test_the_ledger_says_which_claims_were_not_checked(project):
    ledger = (project / "site-shift" / "reference" / "claims" / "index.html").read_text()
    outside = [c for c in all_claims() if not c.experiment.startswith("shift_toy_")]
    assert f"{len(outside)} claims about the chapters it did not build were not checked" in ledger
    assert ledger.count("not checked in this preview (GANBOOK_ONLY=shift-toy)") == len(outside)


def test_a_rebuild_with_nothing_changed_reads_the_snapshot(project, builds):
    log = _log(builds["again"])
    assert "nothing changed since the build of snapshot" in log
    assert "ganbook: experiment" not in log
    imported = set(re.findall(r"^import time:.*\|\s*([\w.]+)$", log, flags=re.MULTILINE))
    assert "mkdocs" in imported
    assert "torch" not in imported
    assert "matplotlib" not in imported
    assert not any(name.startswith("ganbook.book.") for name in imported)
    for slug in CHAPTERS:
        assert _html(project, "site-again", slug) == _html(project, "site-shift", slug)


def test_an_unknown_chapter_in_only_fails_the_build_listing_the_chapters(project):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--site-dir", "site-bad"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "GANBOOK_ONLY": "wgan-gp,no-such"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "unknown chapter 'no-such'" in result.stderr
    assert "earth-movers-distance" in result.stderr
