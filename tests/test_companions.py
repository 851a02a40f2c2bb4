"""The companion notebooks' tooling and conventions (`ganbook.site.companions`).

The markers are checked on small sources written here; the conventions on every chapter's
notebook: it exists, its first code cell installs the book's version, it imports only the public
API, and it has something to exercise. `test_companion_notebooks` runs them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jupytext
import nbformat
import pytest

import ganbook
from ganbook.book import CHAPTERS
from ganbook.site.companions import (
    STUB,
    CompanionError,
    chapter_of,
    companion_source,
    download_names,
    exercise_version,
    is_companion,
    notebook_title,
    setup_cell,
    solution_count,
    solved_version,
    to_ipynb,
    with_companion_box,
    with_downloads,
)

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CHAPTERS_WITH_NOTEBOOKS = [c for c in CHAPTERS if c.page.startswith("part-")]
PUBLIC_MODULES = {
    "ganbook",
    "ganbook.losses",
    "ganbook.penalties",
    "ganbook.divergences",
    "ganbook.theory",
    "ganbook.data",
    "ganbook.models",
    "ganbook.measures",
    "ganbook.training",
    "ganbook.exercises",
}

SOURCE = """\
# %% [markdown]
# # Exercises: a test

# %%
def double(x):
    \"\"\"Twice x.\"\"\"
    # BEGIN SOLUTION
    y = 2 * x
    return y
    # END SOLUTION


# %%
def triple(x):
    # BEGIN SOLUTION
    return 3 * x
    # END SOLUTION
"""


def test_the_exercise_version_replaces_each_solution_and_nothing_else():
    exercise = exercise_version(SOURCE)
    assert "2 * x" not in exercise
    assert "3 * x" not in exercise
    assert "BEGIN SOLUTION" not in exercise
    assert exercise.count(f"    {STUB}") == 2
    assert '"""Twice x."""' in exercise
    namespace = {}
    exec(compile(exercise, "exercise", "exec"), namespace)
    with pytest.raises(NotImplementedError, match="exercise: replace this line"):
        namespace["double"](1)
    only_first = exercise_version(SOURCE, only=0)
    assert "2 * x" not in only_first
    assert "3 * x" in only_first


def test_the_solved_version_keeps_the_solutions_without_the_markers():
    solved = solved_version(SOURCE)
    assert "SOLUTION" not in solved
    namespace = {}
    exec(compile(solved, "solved", "exec"), namespace)
    assert namespace["double"](2) == 4
    assert namespace["triple"](2) == 6
    assert solution_count(SOURCE) == 2


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "def f():\n    # BEGIN SOLUTION\n    return 1\n",
            r"x:2: # BEGIN SOLUTION is never closed",
        ),
        ("def f():\n    return 1\n    # END SOLUTION\n", r"x:3: # END SOLUTION without a"),
        ("# BEGIN SOLUTION\nx = 1\n# END SOLUTION\n", r"x:1: a solution must lie inside"),
        ("def f():\n    # BEGIN SOLUTION\n    # BEGIN SOLUTION\n", r"x:3: .* inside the block"),
        ("def f():\n    # BEGIN SOLUTION\n  # END SOLUTION\n", r"x:3: .* not indented like"),
        ("def f():\n    return 1  # BEGIN SOLUTION\n", r"x:2: a solution marker must stand"),
        ("def f():\n    return 1\n", r"x: no # BEGIN SOLUTION block"),
    ],
)
def test_malformed_markers_are_refused_with_file_and_line(source, message):
    with pytest.raises(CompanionError, match=message):
        exercise_version(source, where="x")


def test_a_percent_script_becomes_a_valid_notebook_with_the_same_cells():
    notebook = nbformat.reads(to_ipynb(solved_version(SOURCE)).decode(), as_version=4)
    nbformat.validate(notebook)
    assert [cell.cell_type for cell in notebook.cells] == ["markdown", "code", "code"]
    assert notebook.cells[1].source.startswith("def double(x):")
    assert to_ipynb(SOURCE) == to_ipynb(SOURCE)


def test_the_paths_and_the_boxes():
    assert companion_source("part-2/wgan-gp") == "part-2/exercises/wgan-gp.nb.py"
    assert chapter_of("part-2/exercises/wgan-gp.nb.py") == "part-2/wgan-gp.md"
    assert is_companion("part-2/exercises/wgan-gp.nb.py")
    assert not is_companion("part-2/wgan-gp.md")
    downloads = download_names("part-2/exercises/wgan-gp.nb.py")
    assert downloads.exercise == "part-2/exercises/wgan-gp.nb/wgan-gp-exercise.ipynb"
    page = "# T\n\ntext\n\n## References\n\nrefs\n"
    boxed = with_companion_box(page, "\n\nBOX\n")
    assert boxed.index("BOX") < boxed.index("## References")
    assert with_companion_box("# T\n", "\n\nBOX\n").endswith("BOX\n")
    html = with_downloads("<div><h1>T</h1><p>x</p></div>", "part-2/exercises/wgan-gp.nb.py")
    assert html.index("</h1>") < html.index("wgan-gp-exercise.ipynb") < html.index("<p>x</p>")


def companion_path(chapter) -> Path:
    return DOCS / companion_source(chapter.page)


def code_cells(path: Path) -> list[str]:
    notebook = jupytext.reads(path.read_text(encoding="utf-8"), fmt="py:percent")
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def test_every_chapter_of_parts_one_to_three_has_a_companion_notebook():
    missing = [c.page for c in CHAPTERS_WITH_NOTEBOOKS if not companion_path(c).is_file()]
    assert missing == []
    sources = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.glob("*/exercises/*.nb.py"))
    assert sources == sorted(companion_source(c.page) for c in CHAPTERS_WITH_NOTEBOOKS)


@pytest.mark.parametrize("chapter", CHAPTERS_WITH_NOTEBOOKS, ids=lambda c: c.slug)
def test_a_companion_notebook_follows_the_conventions(chapter):
    path = companion_path(chapter)
    source = path.read_text(encoding="utf-8")
    assert notebook_title(source).startswith("Exercises: ")
    assert code_cells(path)[0].strip() == setup_cell(ganbook.__version__).strip(), (
        "the first code cell must be setup_cell(ganbook.__version__)"
    )
    assert solution_count(source, where=str(path)) >= 2
    headings = re.findall(r"^# #+ (.+)$", source, flags=re.MULTILINE)
    assert [h for h in headings if "$" in h] == [], "math in a heading is raw TeX in the TOC"
    tree = ast.parse(re.sub(r"^%.*$", "", source, flags=re.MULTILINE))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ganbook"):
            assert node.module in PUBLIC_MODULES, f"{path.name} imports from {node.module}"
            assert not [a.name for a in node.names if a.name.startswith("_")], path.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("ganbook"):
                    assert alias.name in PUBLIC_MODULES, f"{path.name} imports {alias.name}"
