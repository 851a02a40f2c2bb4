"""Every companion notebook's exercise version runs in a fresh kernel, and its checks are real.

The solved version is what the site shows: the build executes it in a fresh kernel (nbclient,
through mkdocs-jupyter, ``allow_errors: false``), and `tests/site/test_build.py` checks that each
of its checks printed its ✓ there; running it here too would only run it twice. The exercise
version (the download, every solution replaced by ``raise NotImplementedError``) is run to the end
with errors allowed, and every exercise must be caught by a check: each function that holds a
solution is named by an `ExerciseError` "… is not written yet", and no other error occurs (so the
checks are real, and nothing else in the notebook breaks while the reader works).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from ganbook.book import CHAPTERS
from ganbook.site.companions import (
    companion_source,
    exercise_version,
    to_ipynb,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = [c.page for c in CHAPTERS if c.page.startswith("part-")]
TIME_LIMIT_S = 60  # the bound for one notebook on this machine's CPU
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def source_of(page: str) -> tuple[Path, str]:
    path = ROOT / "docs" / companion_source(page)
    return path, path.read_text(encoding="utf-8")


def run(text: str, *, allow_errors: bool) -> tuple[nbformat.NotebookNode, float]:
    notebook = nbformat.reads(to_ipynb(text).decode(), as_version=4)
    client = NotebookClient(
        notebook,
        timeout=TIME_LIMIT_S,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(ROOT)}},
    )
    start = time.perf_counter()
    client.execute()
    return notebook, time.perf_counter() - start


def errors_of(notebook) -> list[tuple[str, str]]:
    return [
        (output.ename, ANSI.sub("", output.evalue))
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]


def functions_with_solutions(source: str) -> list[str]:
    """The name of the function around each ``# BEGIN SOLUTION``."""
    names, current = [], None
    for line in source.splitlines():
        match = re.match(r"^\s*def (\w+)\(", line)
        if match:
            current = match[1]
        elif line.strip() == "# BEGIN SOLUTION":
            names.append(current)
    return names


@pytest.mark.parametrize("page", NOTEBOOKS, ids=lambda page: page.split("/")[1])
def test_the_exercise_versions_checks_name_every_unwritten_function(page):
    path, source = source_of(page)
    notebook, seconds = run(exercise_version(source, where=str(path)), allow_errors=True)
    assert seconds < TIME_LIMIT_S
    errors = errors_of(notebook)
    assert errors, "the exercise version passes its checks with nothing written"
    assert {name for name, _ in errors} == {"ExerciseError"}, errors
    said = " ".join(message for _, message in errors)
    for function in functions_with_solutions(source):
        assert f"{function}() is not written yet" in said, f"no check catches {function}()"
