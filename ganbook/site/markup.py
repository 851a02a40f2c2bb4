r"""The four Markdown directives that put computed content into pages, and their checks.

``{{ figure NAME }}``
    inserts the registered figure ``NAME`` with its caption and provenance;
``{{ result EXPERIMENT.KEY [FORMAT] }}``
    inserts the scalar ``KEY`` of experiment ``EXPERIMENT``, formatted with the Python format
    spec ``FORMAT`` (default ``.3g``);
``{{ table EXPERIMENT.KEY }}``
    inserts the scalar ``KEY``, a Markdown table that the experiment wrote (a header row, its
    separator, one row per line), as the rows of a table; the directive stands alone on its
    line, where a table can start;
``{{ claim EXPERIMENT.NAME }}``
    marks the sentence before it as the one the claim ``EXPERIMENT.NAME`` checks: a small link
    to its row in the claims ledger, which links back here.

The directives are expanded in the page's Markdown, before it is converted, so `expand` first
finds the places where HTML cannot go and a directive would be published wrong:

- fenced code blocks (`````` ``` `````` or ``~~~``, indented too, as in admonitions and tabs) and
  inline code spans, which would show the HTML as code;
- math: ``$$ … $$`` and ``\[ … \]`` (across lines), ``\begin{env} … \end{env}``, ``\( … \)`` and
  ``$ … $``, where MathJax would show the HTML as TeX. Inline ``$`` follows pymdownx.arithmatex's
  "smart dollar" rules, so a lone ``$`` (a price) does not open math: an opening ``$`` is not
  followed by whitespace, a closing one is not preceded by whitespace, and math does not cross a
  blank line. A backslash escapes a ``$``;
- the attributes of an HTML tag (``<abbr title="{{ result … }}">``), which the HTML would break.

A directive word there (``figure``, ``result``, ``table``, ``claim``, in any case or misspelt
close to one, such as ``Result`` or ``results``) is a `MarkupError`; other ``{{`` text there,
such as TeX's ``{{a}}`` or BibTeX's ``{{The authors}}`` in a code block, is left alone. In prose,
any ``{{ word`` is a directive: a word other than the four (``{{ Result … }}``,
``{{ results … }}``, any ``{{ name … }}``) or a directive without its closing ``}}`` is an error
too, so a typo fails the build instead of showing raw braces. Every error names the page and the
1-based line.

A backslash before the braces (``\{{ result ... }}``) writes the directive literally, anywhere
(in code blocks too), for pages that document it.
"""

from __future__ import annotations

import bisect
import difflib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

KINDS = ("figure", "result", "table", "claim")

DIRECTIVE = re.compile(r"(?<!\\)\{\{\s*(figure|result|table|claim)\b(?P<body>[^{}]*)\}\}")
CLAIM_BODY = re.compile(r"^\s*(?P<id>[\w-]+\.[\w-]+)\s*$")
RESULT_BODY = re.compile(r"^\s*(?P<exp>[\w-]+)\.(?P<key>[\w-]+)(?:\s+(?P<fmt>[^\s}]+))?\s*$")
FIGURE_BODY = re.compile(r"^\s*(?P<name>[\w-]+)\s*$")
TABLE_BODY = re.compile(r"^\s*(?P<exp>[\w-]+)\.(?P<key>[\w-]+)\s*$")

# ``{{ word``, escaped or not: every place that may be a directive.
OPENING = re.compile(r"(?P<escape>\\)?\{\{\s*(?P<word>[A-Za-z_][\w-]*)")
# The rest of a directive after its opening: a body without braces, then ``}}``.
CLOSING = re.compile(r"(?P<body>[^{}]*)\}\}")

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
FENCE_CLOSE = re.compile(r"^[ \t>]*(?P<fence>`{3,}|~{3,})[ \t]*$")
# Lines that Markdown processes on their own, within a block (see `_blocks`).
HEADING = re.compile(r"^[ \t>]*#{1,6}[ \t]")
TITLE = re.compile(r"^[ \t>]*(?:!!!|\?\?\?\+?|===\+?)[ \t]")
LIST_ITEM = re.compile(r"^[ \t>]*(?:[-*+]|\d+[.)])[ \t]")
TABLE_ROW = re.compile(r"^[ \t>]*\|")
# Python-Markdown's code span: N backticks, anything, N backticks (not crossing a blank line).
CODE_SPAN = re.compile(r"(?<![\\`])(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)", re.DOTALL)
# pymdownx.arithmatex's block and inline syntax, tried left to right; ``\.`` is an escape.
MATH = re.compile(
    r"""
      \$\$(?:\\.|[^\\])+?\$\$                                        # $$ ... $$
    | \\\[(?:\\[^\]]|[^\\])+?\\\]                                    # \[ ... \]
    | \\begin\{(?P<env>[a-z]+\*?)\}(?:\\.|[^\\])+?\\end\{(?P=env)\}  # \begin{env} ... \end{env}
    | \\\((?:\\[^)]|[^\\])+?\\\)                                     # \( ... \)
    | (?P<escape>\\.)                                                # \$, \\ ...: not math
    | \$(?!\s)(?:\\.|[^\\$])+?(?<!\s)\$                              # smart $ ... $
    """,
    re.DOTALL | re.VERBOSE,
)
HTML_TAG = re.compile(
    r"""<[A-Za-z][\w:-]*
        (?:\s+[A-Za-z_:@][\w:.@-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*
        \s*/?>""",
    re.VERBOSE,
)

WHERE_HTML_CANNOT_GO = {  # region kind: (where it is, what to do)
    "code": ("a code block, where it would be shown as code", "move it out of the block"),
    "code span": ("an inline code span, where it would be shown as code", "move it out"),
    "math": (
        "math, where HTML cannot go (MathJax would show it as TeX)",
        "put the number outside the formula",
    ),
    "tag": ("an HTML tag's attributes, which the inserted HTML would break", "move it out"),
}


class MarkupError(ValueError):
    """A directive names an unknown figure, experiment or key, is malformed, or is misplaced."""


@dataclass(frozen=True)
class Region:
    """A span ``[start, end)`` of a page's Markdown where directives cannot go."""

    start: int
    end: int
    kind: str  # a key of WHERE_HTML_CANNOT_GO


def result_html(experiment: str, key: str, text: str) -> str:
    """The ``<span class="gb-result">`` wrapping a quoted number."""
    title = html.escape(f"{experiment} · {key}", quote=True)
    return f'<span class="gb-result" title="{title}">{html.escape(text)}</span>'


TABLE_SEPARATOR = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+$")
r"""The second row of a Markdown table: ``| --- | :---: |``, one cell per column."""


def table_markdown(value: object) -> str:
    r"""A scalar holding a Markdown table, checked and HTML-escaped, as a table directive shows it.

    The table is a header row, its separator row and at least one body row, each a line that
    starts and ends with ``|``, every row with the header's number of cells; anything else is
    a ``ValueError`` that says what is wrong. Each line's text is HTML-escaped, as a result is.

    Examples
    --------
    >>> table_markdown("| a | b |\n| --- | --- |\n| 1 < 2 | 3 |")
    '| a | b |\n| --- | --- |\n| 1 &lt; 2 | 3 |'
    """
    if not isinstance(value, str):
        raise ValueError(f"a table directive needs a Markdown table, got {type(value).__name__}")
    lines = value.strip("\n").split("\n")
    if len(lines) < 3 or not TABLE_SEPARATOR.match(lines[1].strip()):
        raise ValueError("not a Markdown table: it needs a header row, a separator, and a row")
    columns = lines[0].strip().count("|")
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not (line.startswith("|") and line.endswith("|")) or line.count("|") != columns:
            raise ValueError(
                f"row {number} of the table is not a row of {columns - 1} cells: {line[:60]!r}"
            )
    return "\n".join(html.escape(line.strip(), quote=False) for line in lines)


def looks_like_directive(word: str) -> bool:
    """Whether ``word`` is a directive's name in any case, or a near miss of one.

    Examples
    --------
    >>> [looks_like_directive(w) for w in ("result", "Result", "results", "figures", "The")]
    [True, True, True, True, False]
    """
    return bool(difflib.get_close_matches(word.lower(), KINDS, n=1, cutoff=0.75))


def _mask(text: str, regions: list[Region]) -> str:
    """``text`` with every region blanked out (newlines kept, so offsets and lines stay)."""
    pieces, last = [], 0
    for region in regions:
        pieces.append(text[last : region.start])
        pieces.append(re.sub(r"[^\n]", " ", text[region.start : region.end]))
        last = region.end
    pieces.append(text[last:])
    return "".join(pieces)


def _fences(markdown: str) -> list[Region]:
    """The fenced code blocks, from the opening fence's line to the closing one's (or the end)."""
    regions: list[Region] = []
    opened: tuple[int, str] | None = None  # (start offset, fence)
    offset = 0
    for line in markdown.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        if opened is None:
            match = FENCE_OPEN.match(bare)
            if match and not (match["fence"][0] == "`" and "`" in match["info"]):
                opened = (offset, match["fence"])
        else:
            match = FENCE_CLOSE.match(bare)
            fence = opened[1]
            if match and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence):
                regions.append(Region(opened[0], offset + len(bare), "code"))
                opened = None
        offset += len(line)
    if opened is not None:
        regions.append(Region(opened[0], len(markdown), "code"))
    return regions


def _blocks(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each block of ``text``, as far as inline math can reach.

    A block ends at a blank line. A heading line is a block of its own, and so is the title line
    of an admonition or tab that starts a block. In a block that starts as a list, each item is
    one; in a block that starts as a table, each row is one. (Markdown processes each on its
    own; a ``+`` or ``|`` that starts a line of a formula is not mistaken for one.)
    """
    blocks: list[tuple[int, int]] = []
    start, offset, kind = 0, 0, None
    for line in text.splitlines(keepends=True):
        end = offset + len(line)
        if not line.strip(" \t>\r\n"):
            blocks.append((start, offset))
            start, kind = end, None
        elif HEADING.match(line) or (kind is None and TITLE.match(line)):
            blocks += [(start, offset), (offset, end)]
            start, kind = end, None
        elif kind is None:
            kind = "list" if LIST_ITEM.match(line) else "table" if TABLE_ROW.match(line) else "text"
        elif (kind == "list" and LIST_ITEM.match(line)) or kind == "table":
            blocks.append((start, offset))
            start = offset
        offset = end
    blocks.append((start, len(text)))
    return [(a, b) for a, b in blocks if b > a]


def regions(markdown: str) -> list[Region]:
    r"""Where directives cannot go in ``markdown``: code, code spans, math and HTML tags, sorted.

    Examples
    --------
    >>> [(r.kind, "x $a$ `b` \\(c\\) <i title='d'>"[r.start : r.end])
    ...  for r in regions("x $a$ `b` \\(c\\) <i title='d'>")]
    [('math', '$a$'), ('code span', '`b`'), ('math', '\\(c\\)'), ('tag', "<i title='d'>")]
    """
    found = _fences(markdown)
    text = _mask(markdown, found)
    for start, end in _blocks(text):
        block = text[start:end]
        spans = [
            Region(start + m.start(), start + m.end(), "code span")
            for m in CODE_SPAN.finditer(block)
        ]
        found += spans
        block = _mask(text, spans)[start:end]
        maths = [
            Region(start + m.start(), start + m.end(), "math")
            for m in MATH.finditer(block)
            if m["escape"] is None
        ]
        found += maths
        block = _mask(text, sorted(spans + maths, key=lambda r: r.start))[start:end]
        tags = HTML_TAG.finditer(block)
        found += [Region(start + m.start(), start + m.end(), "tag") for m in tags]
    return sorted(found, key=lambda r: r.start)


def _region_at(found: list[Region], starts: list[int], position: int) -> Region | None:
    index = bisect.bisect_right(starts, position) - 1
    if index >= 0 and found[index].start <= position < found[index].end:
        return found[index]
    return None


def expand(
    markdown: str,
    *,
    figure: Callable[[str], str],
    result: Callable[[str, str, str | None], str],
    where: str,
    claim: Callable[[str], str] | None = None,
    table: Callable[[str, str], str] | None = None,
    first_line: int = 1,
) -> str:
    """Replace every directive in ``markdown``; raise :class:`MarkupError` naming page and line.

    ``where`` names the page and ``first_line`` is the line of the page's source that
    ``markdown`` starts on (after a front matter, say). An exception from ``figure``,
    ``result`` or ``claim`` (``KeyError`` for an unknown name, ``ValueError`` for a bad format,
    or any other) becomes a `MarkupError` that quotes the directive.

    Examples
    --------
    >>> expand("x = {{ result e.k }}", figure=str, result=lambda e, k, f: "1.5", where="p.md")
    'x = 1.5'
    >>> expand("`{{ result e.k }}`", figure=str, result=str, where="p.md")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ganbook.site.markup.MarkupError: p.md:1: '{{ result e.k }}' sits inside an inline code span...
    """
    found = regions(markdown)
    starts = [region.start for region in found]
    pieces: list[str] = []
    last = 0

    def fail(position: int, message: str) -> MarkupError:
        line = first_line + markdown.count("\n", 0, position)
        return MarkupError(f"{where}:{line}: {message}")

    for opening in OPENING.finditer(markdown):
        if opening.start() < last:
            continue  # inside a directive already replaced
        word = opening["word"]
        closing = CLOSING.match(markdown, opening.end())
        end = closing.end() if closing else opening.end()
        text = markdown[opening.start() : end]
        shown = text if "\n" not in text and len(text) <= 120 else text.split("\n")[0][:80] + "…"
        if opening["escape"]:
            if looks_like_directive(word):  # \{{ result … }}: the directive, literally
                pieces += [markdown[last : opening.start()], text[1:]]
                last = end
            continue
        region = _region_at(found, starts, opening.start())
        if region is not None:
            if looks_like_directive(word):
                where_it_is, fix = WHERE_HTML_CANNOT_GO[region.kind]
                raise fail(
                    opening.start(),
                    f"{shown!r} sits inside {where_it_is}: {fix}, or write \\{{{{ … }}}} to show "
                    "the directive literally",
                )
            continue  # TeX's or code's own braces
        if closing is None:
            rest = markdown[opening.start() :].split("\n", 1)[0]
            raise fail(opening.start(), f"unclosed directive {rest!r}: no '}}}}' after it")
        if word not in KINDS:
            close = difflib.get_close_matches(word.lower(), KINDS, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise fail(
                opening.start(),
                f"unknown directive {shown!r}: the directives are figure, result, table and claim"
                f"{hint} (write \\{{{{ to show braces literally)",
            )
        if word == "table" and not _alone_on_its_line(markdown, opening.start(), end):
            raise fail(
                opening.start(),
                f"{shown!r} shares its line with other text: a table directive stands alone on "
                "its line, with a blank line before it",
            )
        try:
            replaced = _replace(word, closing["body"], text, figure, result, claim, table)
        except Exception as error:
            message = error.args[0] if len(error.args) == 1 else str(error)
            if not isinstance(error, (KeyError, ValueError)):
                message = f"{type(error).__name__}: {error}"
            if not (isinstance(error, MarkupError) and message.startswith("malformed")):
                message = f"{text!r}: {message}"
            raise fail(opening.start(), message) from error
        pieces += [markdown[last : opening.start()], replaced]
        last = end
    pieces.append(markdown[last:])
    return "".join(pieces)


def _replace(
    kind: str,
    body: str,
    text: str,
    figure: Callable[[str], str],
    result: Callable[[str, str, str | None], str],
    claim: Callable[[str], str] | None,
    table: Callable[[str, str], str] | None = None,
) -> str:
    """What the directive ``text`` (of ``kind``, with ``body``) expands to."""
    if kind == "table":
        parsed = TABLE_BODY.match(body)
        if not parsed or table is None:
            raise MarkupError(f"malformed directive {text!r}")
        return table(parsed["exp"], parsed["key"])
    if kind == "claim":
        parsed = CLAIM_BODY.match(body)
        if not parsed or claim is None:
            raise MarkupError(f"malformed directive {text!r}")
        return claim(parsed["id"])
    if kind == "figure":
        parsed = FIGURE_BODY.match(body)
        if not parsed:
            raise MarkupError(f"malformed directive {text!r}")
        return figure(parsed["name"])
    parsed = RESULT_BODY.match(body)
    if not parsed:
        raise MarkupError(f"malformed directive {text!r}")
    return result(parsed["exp"], parsed["key"], parsed["fmt"])


def names_in(markdown: str, kind: str) -> list[str]:
    """What the well-formed directives of ``kind`` in ``markdown`` name, in order.

    ``figure`` gives figure names, ``result`` and ``table`` experiment names, ``claim`` claim
    ids; malformed
    directives are skipped (`expand` reports them).

    Examples
    --------
    >>> names_in("{{ result a.x }} and {{ result b.y .2f }}, {{ figure f }}", "result")
    ['a', 'b']
    """
    body, group = {
        "figure": (FIGURE_BODY, "name"),
        "result": (RESULT_BODY, "exp"),
        "table": (TABLE_BODY, "exp"),
        "claim": (CLAIM_BODY, "id"),
    }[kind]
    names = []
    for match in DIRECTIVE.finditer(markdown):
        if match.group(1) == kind:
            parsed = body.match(match.group("body"))
            if parsed:
                names.append(parsed[group])
    return names


def cited_experiments(markdown: str) -> list[str]:
    r"""The experiments whose scalars ``markdown`` quotes, by result or table directives.

    Examples
    --------
    >>> cited_experiments("{{ result a.x }}\n\n{{ table b.rows }}")
    ['a', 'b']
    """
    return names_in(markdown, "result") + names_in(markdown, "table")


def _alone_on_its_line(markdown: str, start: int, end: int) -> bool:
    """Whether ``markdown[start:end]`` is all of its line but for spaces (a quote's ``>`` too)."""
    line_start = markdown.rfind("\n", 0, start) + 1
    line_end = markdown.find("\n", end)
    before = markdown[line_start:start].replace(">", "")
    after = markdown[end : len(markdown) if line_end < 0 else line_end]
    return not before.strip() and not after.strip()


def claim_ids_in(markdown: str) -> list[str]:
    """The claim ids cited by ``{{ claim ... }}`` directives in ``markdown``, in order."""
    return names_in(markdown, "claim")


def claim_anchor(claim_id: str) -> str:
    """The HTML id of a claim's marker on its page (ledger rows use ``ledger-`` + the same)."""
    return "claim-" + re.sub(r"[^\w-]", "-", claim_id)
