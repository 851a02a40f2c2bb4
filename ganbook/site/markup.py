r"""The three Markdown directives that put computed content into pages.

``{{ figure NAME }}``
    inserts the registered figure ``NAME`` with its caption and provenance;
``{{ result EXPERIMENT.KEY [FORMAT] }}``
    inserts the scalar ``KEY`` of experiment ``EXPERIMENT``, formatted with the Python format
    spec ``FORMAT`` (default ``.3g``);
``{{ claim EXPERIMENT.NAME }}``
    marks the sentence before it as the one the claim ``EXPERIMENT.NAME`` checks: a small link
    to its row in the claims ledger, which links back here.

Anything else written between ``{{`` and ``}}`` with the word ``figure``, ``result`` or ``claim``
is an error, so a typo fails the build instead of showing raw braces. A backslash before the braces
(``\{{ result ... }}``) writes the directive literally, for pages that document it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

DIRECTIVE = re.compile(r"(?<!\\)\{\{\s*(figure|result|claim)\b(?P<body>[^}]*)\}\}")
ESCAPED = re.compile(r"\\(\{\{\s*(?:figure|result|claim)\b)")
CLAIM_BODY = re.compile(r"^\s*(?P<id>[\w-]+\.[\w-]+)\s*$")
RESULT_BODY = re.compile(r"^\s*(?P<exp>[\w-]+)\.(?P<key>[\w-]+)(?:\s+(?P<fmt>[^\s}]+))?\s*$")
UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")
FIGURE_BODY = re.compile(r"^\s*(?P<name>[\w-]+)\s*$")


class MarkupError(ValueError):
    """A directive names an unknown figure, experiment or key, or is malformed."""


def result_html(experiment: str, key: str, text: str) -> str:
    """The ``<span class="gb-result">`` wrapping a quoted number."""
    title = html.escape(f"{experiment} · {key}", quote=True)
    return f'<span class="gb-result" title="{title}">{html.escape(text)}</span>'


def expand(
    markdown: str,
    *,
    figure: Callable[[str], str],
    result: Callable[[str, str, str | None], str],
    where: str,
    claim: Callable[[str], str] | None = None,
) -> str:
    """Replace every directive in ``markdown``; raise :class:`MarkupError` naming ``where``."""

    def replace(match: re.Match) -> str:
        kind, body = match.group(1), match.group("body")
        line_start = markdown.rfind("\n", 0, match.start()) + 1
        if len(UNESCAPED_DOLLAR.findall(markdown[line_start : match.start()])) % 2:
            raise MarkupError(
                f"{where}: {match.group(0)!r} sits inside $...$ math, where HTML cannot go; "
                "put the number outside the formula"
            )
        try:
            if kind == "claim":
                parsed = CLAIM_BODY.match(body)
                if not parsed or claim is None:
                    raise MarkupError(f"malformed directive {match.group(0)!r}")
                return claim(parsed["id"])
            if kind == "figure":
                parsed = FIGURE_BODY.match(body)
                if not parsed:
                    raise MarkupError(f"malformed directive {match.group(0)!r}")
                return figure(parsed["name"])
            parsed = RESULT_BODY.match(body)
            if not parsed:
                raise MarkupError(f"malformed directive {match.group(0)!r}")
            return result(parsed["exp"], parsed["key"], parsed["fmt"])
        except (KeyError, ValueError) as error:
            message = error.args[0] if error.args else str(error)
            raise MarkupError(f"{where}: {message}") from error

    return ESCAPED.sub(r"\1", DIRECTIVE.sub(replace, markdown))


def names_in(markdown: str, kind: str) -> list[str]:
    """What the well-formed directives of ``kind`` in ``markdown`` name, in order.

    ``figure`` gives figure names, ``result`` experiment names, ``claim`` claim ids; malformed
    directives are skipped (`expand` reports them).

    Examples
    --------
    >>> names_in("{{ result a.x }} and {{ result b.y .2f }}, {{ figure f }}", "result")
    ['a', 'b']
    """
    body, group = {
        "figure": (FIGURE_BODY, "name"),
        "result": (RESULT_BODY, "exp"),
        "claim": (CLAIM_BODY, "id"),
    }[kind]
    names = []
    for match in DIRECTIVE.finditer(markdown):
        if match.group(1) == kind:
            parsed = body.match(match.group("body"))
            if parsed:
                names.append(parsed[group])
    return names


def claim_ids_in(markdown: str) -> list[str]:
    """The claim ids cited by ``{{ claim ... }}`` directives in ``markdown``, in order."""
    return names_in(markdown, "claim")


def claim_anchor(claim_id: str) -> str:
    """The HTML id of a claim's marker on its page (ledger rows use ``ledger-`` + the same)."""
    return "claim-" + re.sub(r"[^\w-]", "-", claim_id)
