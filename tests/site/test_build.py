"""The strict build: pages, figures, results, API coverage, offline assets, nothing left over."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import ganbook
from ganbook.engine import experiment_names, figure_names, get_figure, run_experiment
from ganbook.figures.captions import format_value as format_scalar
from ganbook.site.snapshot import (
    CheckRecord,
    ClaimRecord,
    FigureView,
    OutcomeRecord,
    SiteSnapshot,
    load_snapshot,
    save_snapshot,
    snapshot_key,
)

ROOT = Path(__file__).resolve().parents[2]

API_PAGES = {
    "ganbook.losses": "reference/api/losses/index.html",
    "ganbook.penalties": "reference/api/penalties/index.html",
    "ganbook.divergences": "reference/api/divergences/index.html",
    "ganbook.theory": "reference/api/theory/index.html",
    "ganbook.data": "reference/api/data/index.html",
    "ganbook.models": "reference/api/models/index.html",
    "ganbook.engine": "reference/api/pipeline/index.html",
    "ganbook.book": "reference/api/pipeline/index.html",
    "ganbook.measures": "reference/api/measures/index.html",
    "ganbook.exercises": "reference/api/exercises/index.html",
    "ganbook.devices": "reference/api/pipeline/index.html",
}


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def public_names(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:
        names = [
            n
            for n, v in vars(module).items()
            if not n.startswith("_") and getattr(v, "__module__", None) == module_name
        ]
    return sorted(names)


def test_the_build_logs_one_line_per_experiment(built_site):
    for name in experiment_names():
        line = rf"ganbook: experiment {re.escape(name)}: computed in [0-9.]+ s"
        assert re.search(line, built_site.log)


def test_every_figure_is_published_and_shown_with_its_provenance(built_site):
    pages = "\n".join(p.read_text() for p in html_pages(built_site.site_dir))
    for name in figure_names():
        spec = get_figure(name)
        assert (built_site.site_dir / "figures" / spec.filename).stat().st_size > 1000
        match = re.search(
            rf'<figure class="gb-figure" id="fig-{name}">(.*?)</figure>', pages, flags=re.S
        )
        assert match, f"figure {name} is on no page"
        caption = match.group(1)
        assert f"figures/{spec.filename}" in caption
        provenance = re.search(r'<span class="gb-provenance">(.*?)</span>', caption, re.S)
        assert provenance, name
        for experiment in spec.experiments:
            assert f"<code>{experiment}</code>" in provenance.group(1)
        assert "seed " in provenance.group(1)
        assert re.search(r"device (cpu|any)", provenance.group(1))
        assert re.search(r'href="https://github\.com/[^"]+\.py#L\d+"', provenance.group(1))


def test_results_in_prose_are_the_experiments_numbers(built_site):
    page = (built_site.site_dir / "part-1" / "shift-toy" / "index.html").read_text()
    spans = re.findall(r'<span class="gb-result" title="([\w-]+) · ([\w-]+)">([^<]*)</span>', page)
    assert len(spans) >= 5
    options = {"profile": "test", "device": "cpu", "cache_dir": built_site.cache_dir}
    for experiment, key, shown in spans:
        result, record = run_experiment(experiment, **options)
        assert record.hit, "the build must have cached what it showed"
        value = result.scalar(key)
        assert shown in {
            format_scalar(value, spec)
            for spec in (None, ".0f", ".1e", ".2f", ".3f", ".4f", ".2e", ".0e")
        }


def test_no_directive_survives_the_build(built_site):
    for page in html_pages(built_site.site_dir):
        text = page.read_text()
        if page.parent.name in ("rebuild", "pipeline"):
            continue  # these pages document the directives
        assert not re.search(r"\{\{\s*(figure|result)\b", text), page


@pytest.mark.parametrize("module_name", sorted(API_PAGES))
def test_the_api_reference_documents_every_public_name(built_site, module_name):
    page = (built_site.site_dir / API_PAGES[module_name]).read_text()
    missing = [
        name for name in public_names(module_name) if f'id="{module_name}.{name}"' not in page
    ]
    assert missing == [], f"undocumented in {API_PAGES[module_name]}: {missing}"


def test_math_library_is_served_by_the_site_itself(built_site):
    site = built_site.site_dir
    assert (site / "assets" / "mathjax" / "tex-mml-chtml.js").stat().st_size > 100_000
    assert list(
        (site / "assets" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff")
    )
    outside = re.compile(
        r'<(?:script|link(?![^>]*rel="canonical")|img|iframe)\b[^>]*(?:src|href)="(?:https?:)?//',
        re.I,
    )
    for page in html_pages(site):
        text = page.read_text()
        assert not outside.search(text), f"{page} loads something from another host"
        assert "fonts.googleapis" not in text
        assert "cdn.jsdelivr" not in text


def test_the_notebook_was_executed_without_mathjax_2(built_site):
    page = (built_site.site_dir / "part-1" / "shift-toy-training.nb" / "index.html").read_text()
    assert "theta after" in page  # a printed output of the executed cell
    assert "data:image/png;base64," in page  # the plot
    assert "MathJax.Hub" not in page
    assert "mathjax/2.7" not in page
    assert not re.search(r"<script[^>]*\bsrc=[\"']{2}", page)  # the loader's empty leftover
    assert "mermaid.esm" not in page  # mkdocs-jupyter's Mermaid loader (from cdnjs)
    assert "clipboard-copy" in page  # its copy buttons' script stays


@pytest.mark.usefixtures("built_site")
def test_nothing_is_written_into_docs():
    untracked = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all", "docs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    generated = [
        line for line in untracked.splitlines() if re.search(r"\.(svg|png|gif|ipynb)$", line)
    ]
    assert generated == []


def minimal_project(tmp_path: Path, page: str, cache: Path | None = None, only: str = "") -> Path:
    """A one-page project using the plugin (test profile, CPU); ``only`` limits the chapters."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(page)
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\nplugins:\n  - ganbook:\n      profile: test\n      device: cpu\n"
        f"      cache_dir: {cache or tmp_path / 'cache'}\n      only: '{only}'\n"
    )
    return config


@pytest.fixture(scope="module")
def shift_toy_cache(tmp_path_factory) -> Path:
    """One cache for the bad-directive builds: the first fills it with the shift toy."""
    return tmp_path_factory.mktemp("shift-toy-cache")


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("{{ result no_such_experiment.value }}", "unknown experiment 'no_such_experiment'"),
        ("{{ result shift_toy_value.no_such_key }}", "no scalar 'no_such_key'"),
        ("{{ figure no_such_figure }}", "unknown figure 'no_such_figure'"),
        ("{{ result shift_toy_value }}", "malformed directive"),
    ],
)
def test_an_unknown_name_fails_the_build(tmp_path, shift_toy_cache, page, message):
    config = minimal_project(
        tmp_path, f"# Page\n\n{page}\n", cache=shift_toy_cache, only="shift-toy"
    )
    node_modules = tmp_path / "node_modules"
    node_modules.symlink_to(ROOT / "node_modules")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-f", str(config)],
        cwd=tmp_path,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


def test_every_internal_link_resolves(built_site):
    site = built_site.site_dir
    broken = []
    for page in html_pages(site):
        for target in re.findall(r'<a\b[^>]*href="([^"#?]+)(?:[#?][^"]*)?"', page.read_text()):
            if re.match(r"^(?:[a-z]+:|//)", target):
                continue
            resolved = (page.parent / target).resolve()
            if not (resolved.is_file() or (resolved / "index.html").is_file()):
                broken.append(f"{page.relative_to(site)} -> {target}")
    assert broken == []


def test_no_page_is_a_placeholder():
    for page in (ROOT / "docs").rglob("*.md"):
        text = page.read_text()
        assert "PLACEHOLDER" not in text, page
        if "\n::: " not in "\n" + text:  # API pages are rendered from docstrings
            assert len(text.split()) > 40, f"{page} is too short to be a page of the book"


def _snapshot(figure_path: Path) -> SiteSnapshot:
    view = FigureView("f", "f.svg", str(figure_path), "A caption.", "Alt.", ("one",), "x.py#L1")
    outcome = OutcomeRecord(True, (CheckRecord("what", "1", "≥ 0", True),))
    return SiteSnapshot(
        profile="test",
        chapters=(),
        figures={"f": view},
        scalars={"e": {"x": 1.5, "n": 3, "inf": float("inf"), "s": "text", "b": True}},
        seed_offsets=(0,),
        claims=(ClaimRecord("e.c", "e", "A statement."),),
        outcomes={"e.c": outcome},
        known_figures=("f", "g"),
        known_experiments=("e",),
        files=(str(figure_path),),
    )


def test_a_snapshot_reads_back_as_written_while_its_figures_exist(tmp_path):
    figure = tmp_path / "f.svg"
    figure.write_text("<svg/>")
    snapshot = _snapshot(figure)
    save_snapshot(snapshot, tmp_path, "k" * 64)
    assert load_snapshot(tmp_path, "k" * 64) == snapshot
    assert load_snapshot(tmp_path, "j" * 64) is None  # another key: another build
    figure.unlink()
    assert load_snapshot(tmp_path, "k" * 64) is None


def test_the_snapshot_key_covers_the_code_the_options_and_the_chapters():
    base = {"package": "p", "profile": "test", "device": "cpu", "threads": 2}
    key = snapshot_key(**base)
    assert snapshot_key(**base) == key
    for change in (
        {"package": "q"},
        {"profile": "standard"},
        {"device": "auto"},
        {"threads": 1},
        {"chapters": ("wgan-gp",)},
        {"cited": {"result": ("wgan_clipping",)}},
    ):
        assert snapshot_key(**{**base, **change}) != key, change


def test_the_notebooks_run_ahead_of_their_pages_in_parallel(built_site):
    """`execute_ahead` runs every notebook before the pages, so mkdocs-jupyter reads its cache."""
    notebooks = sorted(ROOT.glob("docs/**/*.nb.py"))
    match = re.search(r"ganbook: executed (\d+) notebooks in [0-9.]+ s", built_site.log)
    assert match, "the build did not execute its notebooks ahead"
    assert int(match[1]) == len(notebooks)
    for path in notebooks:
        assert f"Cache hit: {path}" in built_site.log, f"{path.name} was executed twice"


def test_every_chapter_links_its_notebook_and_both_downloads(built_site):
    import nbformat

    from ganbook.book import CHAPTERS
    from ganbook.site.companions import STUB, companion_source, download_names, setup_cell

    for chapter in [c for c in CHAPTERS if c.page.startswith("part-")]:
        page = built_site.site_dir / chapter.page / "index.html"
        text = page.read_text(encoding="utf-8")
        source = companion_source(chapter.page)
        downloads = download_names(source)
        box = re.search(r'<div class="admonition example">(.*?)</div>', text, flags=re.S)
        assert box, f"{chapter.page}: no companion box"
        links = re.findall(r'href="([^"]+)"', box[1])
        folder = f"exercises/{chapter.slug}.nb/"
        assert f"../{folder}" in links, chapter.page
        for version in ("exercise", "solved"):
            target = getattr(downloads, version)
            assert f"../{folder}{Path(target).name}" in links, (chapter.page, version)
            notebook = nbformat.reads((built_site.site_dir / target).read_text(), as_version=4)
            nbformat.validate(notebook)
            code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
            assert code[0].strip() == setup_cell(ganbook.__version__).strip()
            assert not any("SOLUTION" in cell for cell in code)
            assert any(STUB in cell for cell in code) == (version == "exercise")
        notebook_page = (built_site.site_dir / chapter.page).parent / folder / "index.html"
        html = notebook_page.read_text(encoding="utf-8")
        assert f'href="{Path(downloads.exercise).name}" download' in html, notebook_page
        solutions = (ROOT / "docs" / source).read_text(encoding="utf-8").count("# BEGIN SOLUTION")
        passed = html.count("✓ ")  # each check that passed in the build printed one
        assert passed >= solutions, (
            f"{notebook_page}: {passed} checks passed, {solutions} exercises"
        )
