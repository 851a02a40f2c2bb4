r"""A header above every code snippet a page includes: file, section, permalink, released lines.

Pages show code from ``ganbook/`` with pymdownx.snippets, one include per line inside a fenced
block::

    ```python
    --8<-- "ganbook/losses/minimax.py:nonsaturating_generator_loss"
    ```

`annotate_snippets` runs on a page's Markdown before it is converted (after the ganbook
directives are expanded) and puts, before the fence of each such block, one small paragraph per
include: the file and the section, a link to exactly those lines of the file at the tag of the
released version (`source_url`), and a ``¶`` permalink to the paragraph itself, whose anchor
(``snippet-SECTION``) an instructor can cite together with the version. The paragraph is
Markdown (attr_list gives it its id and class), so it works inside tabs and admonitions, at the
fence's indentation.

The section's lines are those between the markers ``--8<-- [start:NAME]`` and
``--8<-- [end:NAME]`` of the source file, the markers excluded: what pymdownx.snippets shows.
An include of a whole file (``"path"``) or of a line range (``"path:START:END"``) links to those
lines. An include that names a missing file or section is an error (`SnippetError`), as it is
for pymdownx.snippets with ``check_paths``.

The repository and the tag come from one place: `REPOSITORY`, and ``v`` + the version of the
installed ``ganbook`` distribution (`release_tag`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

REPOSITORY = "https://github.com/ganbook/ganbook"
"""The public repository: the tag links of snippet headers (and the Cite page) point into it."""

INCLUDE = re.compile(r'^(?P<indent>[ \t]*)--8<--[ \t]+"(?P<target>[^"]+)"[ \t]*$')
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
MARKER = re.compile(r"--8<--\s*\[(?P<kind>start|end):(?P<name>[^\]]+)\]")


class SnippetError(ValueError):
    """An include that names a file or section that does not exist."""


@dataclass(frozen=True)
class Include:
    """One ``--8<-- "path[:section]"`` line: what it includes and which lines of the file."""

    path: str
    section: str | None
    first: int  # 1-based, inclusive
    last: int


def release_tag() -> str:
    """The git tag of the released version: ``v`` + the installed ``ganbook``'s version."""
    try:
        return f"v{version('ganbook')}"
    except PackageNotFoundError:  # a source tree that was never installed
        return "main"


def source_url(include: Include, tag: str | None = None) -> str:
    """The include's lines on the repository's web view at ``tag`` (default `release_tag`)."""
    tag = tag or release_tag()
    return f"{REPOSITORY}/blob/{tag}/{include.path}#L{include.first}-L{include.last}"


def section_lines(text: str, name: str) -> tuple[int, int]:
    """The 1-based first and last line of section ``name`` of ``text``, markers excluded.

    Raises
    ------
    SnippetError
        If the section has no start marker, no end marker after it, or no line between them.
    """
    start = end = None
    for number, line in enumerate(text.splitlines(), start=1):
        for match in MARKER.finditer(line):
            if match["name"] != name:
                continue
            if match["kind"] == "start" and start is None:
                start = number
            elif match["kind"] == "end" and start is not None and end is None:
                end = number
    if start is None or end is None or end - start < 2:
        raise SnippetError(f"no section {name!r} (start and end markers around code)")
    return start + 1, end - 1


def resolve(target: str, root: Path) -> Include:
    """What the include target ``path``, ``path:section`` or ``path:START:END`` shows."""
    path, _, rest = target.partition(":")
    file = root / path
    if not file.is_file():
        raise SnippetError(f"snippet {target!r}: no file {path}")
    text = file.read_text(encoding="utf-8")
    count = len(text.splitlines())
    numbers = re.fullmatch(r"(\d*)(?::(\d*))?", rest) if rest else None
    if not rest:
        return Include(path, None, 1, count)
    if numbers:
        first = int(numbers[1] or 1)
        last = min(int(numbers[2] or count), count)
        return Include(path, None, first, last)
    try:
        first, last = section_lines(text, rest)
    except SnippetError as error:
        raise SnippetError(f"snippet {target!r}: {error}") from None
    return Include(path, rest, first, last)


def anchor_id(include: Include, taken: set[str]) -> str:
    """``snippet-SECTION`` (or ``snippet-FILESTEM``), made unique on the page by a suffix."""
    base = include.section or Path(include.path).stem
    base = "snippet-" + re.sub(r"[^A-Za-z0-9_-]+", "-", base).strip("-")
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


def header_markdown(include: Include, anchor: str, tag: str) -> str:
    """The header paragraph of one include (Markdown with attr_list), without indentation."""
    what = f"`{include.path}`"
    if include.section:
        what += f", section `{include.section}`"
    lines = (
        f"line {include.first}"
        if include.first == include.last
        else f"lines {include.first}–{include.last}"
    )
    label = html.escape(f"Permalink to this snippet ({include.section or include.path})")
    return (
        f"{what} · [{lines} at {tag}]({source_url(include, tag)}){{ .gb-snippet-source }} · "
        f'[¶](#{anchor}){{ .gb-snippet-anchor title="Permalink to this snippet" '
        f'aria-label="{label}" }}\n'
        f"{{: #{anchor} .gb-snippet }}"
    )


def annotate_snippets(markdown: str, root: Path, tag: str | None = None) -> str:
    """``markdown`` with a header paragraph before every fenced block that includes snippets.

    ``root`` is the directory the include paths are relative to (pymdownx.snippets'
    ``base_path``). Includes outside a fenced block (Markdown included as Markdown) are left
    alone.
    """
    if "--8<--" not in markdown:
        return markdown
    tag = tag or release_tag()
    lines = markdown.split("\n")
    headers: dict[int, list[Include]] = {}  # fence opener line index -> its includes
    opener: tuple[int, str, str] | None = None  # (index, indent, fence)
    for index, line in enumerate(lines):
        fence = FENCE.match(line)
        if opener is None:
            if fence:
                opener = (index, fence["indent"], fence["fence"])
            continue
        if (
            fence
            and fence["fence"][0] == opener[2][0]
            and len(fence["fence"]) >= len(opener[2])
            and not fence["info"].strip()
        ):
            opener = None
            continue
        include = INCLUDE.match(line)
        if include:
            headers.setdefault(opener[0], []).append(resolve(include["target"], root))
    if not headers:
        return markdown
    taken: set[str] = set()
    out: list[str] = []
    for index, line in enumerate(lines):
        if index in headers:
            indent = FENCE.match(line)["indent"]
            if out and out[-1].strip():
                out.append("")
            for include in headers[index]:
                paragraph = header_markdown(include, anchor_id(include, taken), tag)
                out.extend(indent + part for part in paragraph.split("\n"))
                out.append("")
        out.append(line)
    return "\n".join(out)
