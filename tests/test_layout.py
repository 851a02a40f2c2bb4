"""The book's layout rules, read from the files themselves: one home per chapter.

A chapter is a page with code behind it: ``docs/part-2/wgan-gp.md`` is explained by the package
``ganbook/book/part2/wgan_gp/`` (experiments, figures, claims and the parts they import, nothing
else) and tested by
``tests/book/test_wgan_gp.py``. These tests parse ``mkdocs.yml``, the pages and the sources
directly (YAML, regular expressions, `ast`) rather than asking `ganbook.book` what it holds, and
compare what they find with `CHAPTERS`.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path, PurePosixPath

import pytest
import yaml

from ganbook.book import CHAPTERS
from ganbook.engine import all_claims, experiment_names, figure_names, get_experiment
from ganbook.engine.registry import get_grid, grid_names
from ganbook.site.ledger import LEDGER_URI

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BOOK = ROOT / "ganbook" / "book"
CHAPTER_FILES = {"__init__.py", "experiments.py", "figures.py", "claims.py"}
DIRECTIVE = re.compile(r"(?<!\\)\{\{\s*(?:figure|result|claim)\b")  # `\{{` shows one literally
SNIPPET = re.compile(r"""--8<--\s+["']?(?P<path>[^"':\s]+)""")
LANDING = "index.md"
"""The home page shows what-is-a-gan's landing figure: it uses a directive but is no chapter."""


class _MkDocsLoader(yaml.SafeLoader):
    """A safe loader reading mkdocs.yml's ``!ENV`` and ``!!python/name:`` tags as plain values."""


_MkDocsLoader.add_constructor("!ENV", lambda _loader, _node: None)
_MkDocsLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/name:", lambda _loader, suffix, _node: suffix
)


def nav_pages() -> list[str]:
    """Every page file of mkdocs.yml's nav under ``docs/``, in order (not the generated ledger)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkDocsLoader)
    pages: list[str] = []

    def walk(item) -> None:
        if isinstance(item, str):
            pages.append(item)
        elif isinstance(item, list):
            for entry in item:
                walk(entry)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)

    walk(config["nav"])
    assert LEDGER_URI in pages, "the claims ledger, a page the plugin generates, is in the nav"
    return [page for page in pages if page != LEDGER_URI]


def chapter_dir(page: str) -> Path:
    """``part-2/wgan-gp`` ↦ ``ganbook/book/part2/wgan_gp``, written out from the naming rule."""
    part, slug = PurePosixPath(page).parts
    return BOOK / part.replace("-", "") / slug.replace("-", "_")


def chapter_of_path(path: PurePosixPath) -> str | None:
    """The page of the chapter whose package holds ``path`` (relative to the repository)."""
    for chapter in CHAPTERS:
        if PurePosixPath(chapter_dir(chapter.page).relative_to(ROOT)) in path.parents:
            return chapter.page
    return None


def chapter_of_module(module: str) -> str | None:
    """The page of the chapter whose package is ``module`` or holds it."""
    for chapter in CHAPTERS:
        if module == chapter.package or module.startswith(chapter.package + "."):
            return chapter.page
    return None


def has_code(page: str) -> bool:
    """Whether the page computes something: a directive, chapter code included, or imported."""
    text = (DOCS / page).read_text(encoding="utf-8")
    if DIRECTIVE.search(text) or re.search(r"^\s*(from|import) ganbook\.book\b", text, re.M):
        return True
    snippets = (PurePosixPath(m["path"]) for m in SNIPPET.finditer(text))
    return any(chapter_of_path(path) is not None for path in snippets)


def imported_modules(path: Path) -> list[str]:
    """The absolute names of the modules that the Python file ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the file's package, up level - 1 packages
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names.append(base)
            names += [f"{base}.{alias.name}" for alias in node.names]
    return names


def registered_names(decorator: str) -> list[str]:
    """The first argument of every ``@decorator("name", ...)`` in the chapters' sources."""
    names = []
    for path in sorted(BOOK.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                for call in node.decorator_list:
                    if (
                        isinstance(call, ast.Call)
                        and getattr(call.func, "id", getattr(call.func, "attr", None)) == decorator
                        and call.args
                        and isinstance(call.args[0], ast.Constant)
                    ):
                        names.append(call.args[0].value)
    return names


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda chapter: chapter.slug)
def test_every_chapter_has_its_page_in_the_nav_and_its_package(chapter):
    assert (DOCS / f"{chapter.page}.md").is_file(), f"no page docs/{chapter.page}.md"
    assert f"{chapter.page}.md" in nav_pages(), f"docs/{chapter.page}.md is not in mkdocs.yml's nav"
    assert (chapter_dir(chapter.page) / "__init__.py").is_file(), chapter_dir(chapter.page)
    assert chapter.package == ".".join(chapter_dir(chapter.page).relative_to(ROOT).parts)


def chapter_pages_of_the_nav() -> list[str]:
    """The nav's pages with code, but the home page, without ``.md``, in the nav's order."""
    with_code = [page for page in nav_pages() if has_code(page)]
    assert LANDING in with_code, "the home page should show the landing figure"
    with_code.remove(LANDING)
    return [page.removesuffix(".md") for page in with_code]


def test_the_chapters_are_the_pages_with_code():
    assert sorted(chapter.page for chapter in CHAPTERS) == sorted(chapter_pages_of_the_nav())


def test_the_chapters_are_listed_in_the_order_of_the_nav():
    assert [chapter.page for chapter in CHAPTERS] == chapter_pages_of_the_nav()


def test_a_page_includes_code_only_from_its_own_chapter():
    for page in nav_pages():
        text = (DOCS / page).read_text(encoding="utf-8")
        for match in SNIPPET.finditer(text):
            owner = chapter_of_path(PurePosixPath(match["path"]))
            assert owner in (None, page.removesuffix(".md")), f"{page} includes {match['path']}"


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_a_chapter_package_holds_its_three_modules_and_nothing_else():
    """Experiments, figures and claims, and the parts of them that sit beside them.

    A chapter's experiments may keep parts in their own modules (the code a page shows, the
    tools that measure it); each must be imported by a module of the same chapter.
    """
    chapter_dirs = {chapter_dir(chapter.page) for chapter in CHAPTERS}
    for path in sorted(BOOK.rglob("*")):
        if "__pycache__" in path.parts:
            continue
        relative = path.relative_to(BOOK)
        if path.parent in chapter_dirs:
            if path.name in CHAPTER_FILES:
                continue
            own_imports = {
                name
                for sibling in path.parent.glob("*.py")
                if sibling != path
                for name in imported_modules(sibling)
            }
            assert path.suffix == ".py", f"{path.relative_to(ROOT)} is not a chapter module"
            assert module_name(path) in own_imports, (
                f"{path.relative_to(ROOT)} is not a chapter module, nor imported by one"
            )
        elif path.is_dir():
            assert path in chapter_dirs or len(relative.parts) == 1, f"{relative}: no chapter"
            assert (path / "__init__.py").is_file(), f"{relative} is not a package"
        else:  # ganbook/book/__init__.py and the parts' __init__.py
            assert path.name == "__init__.py", f"{path.relative_to(ROOT)}: not in a chapter"
            assert len(relative.parts) <= 2


def registered(decorator: str) -> list[str]:
    """What the registry holds for ``decorator``: experiments (not grid cells), grids, figures."""
    if decorator == "figure":
        return figure_names()
    if decorator == "experiment_grid":
        return grid_names()
    return sorted(set(experiment_names()) - {c for g in grid_names() for c in get_grid(g).cells})


@pytest.mark.parametrize("decorator", ["experiment", "experiment_grid", "figure"])
def test_experiment_and_figure_names_are_unique(decorator):
    names = registered_names(decorator)
    assert names, f"no @{decorator}(...) found under ganbook/book"
    assert [name for name, count in Counter(names).items() if count > 1] == []
    assert sorted(names) == registered(decorator)  # the scan saw every registration, no other


def test_no_chapter_imports_another_chapter():
    for path in sorted(BOOK.rglob("*.py")):
        own = chapter_of_path(PurePosixPath(path.relative_to(ROOT)))
        if own is None:
            continue
        for module in imported_modules(path):
            other = chapter_of_module(module)
            assert other in (None, own), f"{path.relative_to(ROOT)} imports {module} ({other})"


def test_every_experiment_and_claim_lives_in_a_chapter():
    for name in experiment_names():
        assert chapter_of_module(get_experiment(name).module), f"{name} is in no chapter"
    for item in all_claims():
        about = chapter_of_module(get_experiment(item.experiment).module)
        assert chapter_of_module(item.module) == about, (
            f"claim {item.id} is registered in {item.module}, not in the chapter of its experiment"
        )


def test_chapter_tests_are_at_their_chapters_test_file_and_test_only_that_chapter():
    test_files = {chapter.test_file: chapter.page for chapter in CHAPTERS}
    assert test_files["tests/book/test_wgan_gp.py"] == "part-2/wgan-gp"
    for path in sorted((ROOT / "tests" / "book").glob("test_*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if path.name == "test_chapters.py":  # the claims of every chapter, one test each
            continue
        assert relative in test_files, f"{relative} is the test file of no chapter"
        for module in imported_modules(path):
            other = chapter_of_module(module)
            assert other in (None, test_files[relative]), f"{relative} imports {module}"
