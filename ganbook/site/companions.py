r"""Each chapter's companion notebook: one source, a solved page and two downloads.

A chapter of Parts I–III has an exercise notebook, ``docs/PART/exercises/SLUG.nb.py``, a jupytext
percent script. mkdocs-jupyter executes it at every build and shows it, solved, as a page. In it,
each solution lies between two marker lines inside a function the reader is asked to write::

    def discriminator_loss(real_logits, fake_logits):
        # BEGIN SOLUTION
        return ...
        # END SOLUTION

The build removes the solutions to make the exercise version, in which each block becomes
``raise NotImplementedError(...)`` (so the notebook's checks, `ganbook.exercises`, say "not
written yet"), and publishes both versions as ``.ipynb`` files beside the page
(`download_names`). The chapter's page links the notebook and both files (`companion_markdown`).

The first code cell of every notebook is `setup_cell`: it installs the book's version of
``ganbook`` with pip where the package is missing, so a download runs in a fresh or hosted Jupyter.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
STUB = 'raise NotImplementedError("exercise: replace this line with your code")'
_MARKER = re.compile(r"^(?P<indent>[ \t]*)# (?P<which>BEGIN|END) SOLUTION\s*$")


class CompanionError(ValueError):
    """A companion notebook's solution markers are malformed; the message names file and line."""


def companion_source(page: str) -> str:
    """The companion notebook of the chapter ``page`` (``part-1/value-function``), under docs.

    Examples
    --------
    >>> companion_source("part-1/value-function")
    'part-1/exercises/value-function.nb.py'
    """
    path = PurePosixPath(page)
    return f"{path.parent}/exercises/{path.name}.nb.py"


@dataclass(frozen=True)
class Downloads:
    """Where the two ``.ipynb`` versions of a companion notebook lie, relative to the site."""

    exercise: str
    solved: str


def download_names(source: str) -> Downloads:
    """The site paths of a notebook's downloads: beside its page, in the page's directory.

    Examples
    --------
    >>> download_names("part-1/exercises/value-function.nb.py")
    Downloads(exercise='part-1/exercises/value-function.nb/value-function-exercise.ipynb', \
solved='part-1/exercises/value-function.nb/value-function-solved.ipynb')
    """
    path = PurePosixPath(source)
    stem = path.name.removesuffix(".nb.py")
    folder = f"{path.parent}/{stem}.nb"
    return Downloads(f"{folder}/{stem}-exercise.ipynb", f"{folder}/{stem}-solved.ipynb")


def setup_cell(version: str) -> str:
    """The first code cell of every companion notebook, for the book's ``version`` of ganbook."""
    return (
        "# Run this cell first. Where ganbook is missing (a fresh or a hosted Jupyter), it\n"
        f"# installs the version of ganbook this book was built with, {version}.\n"
        "import importlib.util\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        'if importlib.util.find_spec("ganbook") is None:\n'
        f'    pip = [sys.executable, "-m", "pip", "install", "ganbook=={version}"]\n'
        "    subprocess.check_call(pip)\n"
    )


def _blocks(source: str, where: str) -> list[tuple[int, int, str]]:
    """The ``(begin line, end line, indent)`` of every solution block, 0-based; checked."""
    blocks, begin = [], None
    for number, line in enumerate(source.splitlines()):
        match = _MARKER.match(line)
        if match is None:
            if BEGIN in line or END in line:
                raise CompanionError(
                    f"{where}:{number + 1}: a solution marker must stand alone on its line"
                )
            continue
        indent, which = match["indent"], match["which"]
        if which == "BEGIN":
            if begin is not None:
                raise CompanionError(
                    f"{where}:{number + 1}: {BEGIN} inside the block opened at line {begin[0] + 1}"
                )
            if not indent:
                raise CompanionError(
                    f"{where}:{number + 1}: a solution must lie inside the function the reader "
                    "writes (an indented block), so that the exercise version still runs"
                )
            begin = (number, indent)
        else:
            if begin is None:
                raise CompanionError(f"{where}:{number + 1}: {END} without a {BEGIN}")
            if indent != begin[1]:
                raise CompanionError(
                    f"{where}:{number + 1}: {END} is not indented like its {BEGIN} "
                    f"(line {begin[0] + 1})"
                )
            blocks.append((begin[0], number, indent))
            begin = None
    if begin is not None:
        raise CompanionError(f"{where}:{begin[0] + 1}: {BEGIN} is never closed")
    return blocks


def solution_count(source: str, *, where: str = "the notebook") -> int:
    """How many solution blocks ``source`` holds (its markers checked)."""
    return len(_blocks(source, where))


def exercise_version(source: str, *, where: str = "the notebook", only: int | None = None) -> str:
    r"""``source`` with every solution block replaced by `STUB` at the block's indentation.

    With ``only`` = k, just the k-th block (from 0) is replaced and the other solutions stay: the
    version a reader has who has done every exercise but that one.

    Raises
    ------
    CompanionError
        When the markers are unbalanced, nested, unindented or share a line, or when there is no
        solution block at all (an exercise notebook with nothing to write).

    Examples
    --------
    >>> text = "def f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION\n"
    >>> print(exercise_version(text))
    def f():
        raise NotImplementedError("exercise: replace this line with your code")
    <BLANKLINE>
    """
    blocks = _blocks(source, where)
    if not blocks:
        raise CompanionError(f"{where}: no {BEGIN} block, so there is nothing to exercise")
    if only is not None:
        if not 0 <= only < len(blocks):
            raise CompanionError(
                f"{where}: there is no solution block {only}; it has {len(blocks)}"
            )
        blocks = [blocks[only]]
    lines = source.splitlines()
    out, position = [], 0
    for begin, end, indent in blocks:
        out.extend(lines[position:begin])
        out.append(indent + STUB)
        position = end + 1
    out.extend(lines[position:])
    return "\n".join(out) + "\n"


def solved_version(source: str, *, where: str = "the notebook") -> str:
    """``source`` without the marker lines (the solutions stay), after checking the markers."""
    _blocks(source, where)
    kept = [line for line in source.splitlines() if _MARKER.match(line) is None]
    return "\n".join(kept) + "\n"


def to_ipynb(source: str) -> bytes:
    """A jupytext percent script as an ``.ipynb`` file (nbformat 4, no outputs), deterministic."""
    import jupytext
    import nbformat

    notebook = jupytext.reads(source, fmt="py:percent")
    notebook.metadata.pop("jupytext", None)
    for number, cell in enumerate(notebook.cells):  # nbformat's ids are random
        cell["id"] = f"cell-{number}"
    return nbformat.writes(notebook).encode("utf-8") + b"\n"


def companion_markdown(title: str, chapter: str, source: str) -> str:
    """The box a chapter's page ends with: the notebook's page and its two downloads.

    Parameters
    ----------
    title : str
        The notebook's title (its first heading).
    chapter : str
        The chapter page's source, under docs (``part-1/value-function.md``).
    source : str
        The notebook's source, under docs (`companion_source`).

    Returns
    -------
    str
        Markdown whose links are relative to the chapter's source, so that MkDocs checks them.
    """
    folder = PurePosixPath(chapter).parent

    def link(target: str) -> str:
        return posixpath.relpath(target, folder)

    downloads = download_names(source)
    return (
        '\n\n!!! example "Exercises: write it yourself"\n\n'
        f"    The companion notebook, [{title}]({link(source)}), has you write the pieces of "
        "this chapter, and checks each against `ganbook`. Its page shows it solved and run. To "
        f"do the exercises, download [the exercise version (.ipynb)]({link(downloads.exercise)})"
        " and open it in Jupyter, on your machine or a hosted one: its first cell installs the "
        f"package. The [solved version (.ipynb)]({link(downloads.solved)}) is there too, and "
        f"[Rebuild the figures]({link('reference/rebuild.md')}#exercise-notebooks) says more.\n"
    )


_TITLE = re.compile(r"^# # (?P<title>.+)$", re.MULTILINE)


def notebook_title(source: str, *, where: str = "the notebook") -> str:
    """The first level-one heading of a percent script's Markdown (``# # Exercises: …``)."""
    match = _TITLE.search(source)
    if match is None:
        raise CompanionError(f"{where}: no title (a Markdown cell starting `# # `)")
    return match["title"].strip()


def is_companion(src_uri: str) -> bool:
    """Whether ``src_uri`` (under docs) is a companion notebook (``PART/exercises/SLUG.nb.py``).

    Examples
    --------
    >>> is_companion("part-2/exercises/wgan-gp.nb.py")
    True
    >>> is_companion("part-1/shift-toy-training.nb.py")
    False
    """
    parts = PurePosixPath(src_uri).parts
    return len(parts) == 3 and parts[1] == "exercises" and parts[2].endswith(".nb.py")


def chapter_of(source: str) -> str:
    """The chapter page (under docs, with ``.md``) of the companion notebook ``source``.

    Examples
    --------
    >>> chapter_of("part-1/exercises/value-function.nb.py")
    'part-1/value-function.md'
    """
    path = PurePosixPath(source)
    return f"{path.parent.parent}/{path.name.removesuffix('.nb.py')}.md"


def with_companion_box(markdown: str, box: str) -> str:
    """``markdown`` with ``box`` placed before its ``## References`` section, or at its end."""
    match = re.search(r"^## References\s*$", markdown, re.MULTILINE)
    if match is None:
        return markdown.rstrip("\n") + box
    return markdown[: match.start()].rstrip("\n") + box + "\n" + markdown[match.start() :]


def with_downloads(page_html: str, source: str) -> str:
    """A companion notebook's page with a line offering its two downloads after its title."""
    downloads = download_names(source)
    exercise = PurePosixPath(downloads.exercise).name
    solved = PurePosixPath(downloads.solved).name
    line = (
        '<p class="gb-downloads">Download this notebook: '
        f'<a href="{exercise}" download>the exercise version (.ipynb)</a>, to do the exercises; '
        f'<a href="{solved}" download>the solved version (.ipynb)</a>; or '
        f'<a href="{PurePosixPath(source).name}">its source</a>, a jupytext script. Open a '
        "notebook in Jupyter: its first code cell installs ganbook where it is missing.</p>"
    )
    end = page_html.find("</h1>")
    if end < 0:
        return line + page_html
    end += len("</h1>")
    return page_html[:end] + line + page_html[end:]
