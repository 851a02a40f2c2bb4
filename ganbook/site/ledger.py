r"""The claims ledger: a generated page listing every claim of the book and its status in this build.

Each row names the chapter (linked to the sentence that makes the claim, through the marker that
``{{ claim EXPERIMENT.NAME }}`` leaves there), the statement, the values it was checked on and the
bound they had to meet, and whether it held.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from ganbook.experiments.claims import ClaimOutcome
from ganbook.site.markup import claim_anchor

LEDGER_URI = "reference/claims.md"
r"""Where the ledger appears in the site (it is generated; nothing is written into ``docs/``)."""


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: HTML escaped, pipes and newlines neutralised."""
    return html.escape(text).replace("|", "&#124;").replace("\n", " ")


def ledger_markdown(
    outcomes: Sequence[ClaimOutcome],
    citations: Mapping[str, tuple[str, str]],
    *,
    profile: str,
    seed_note: str,
) -> str:
    r"""The Markdown of the ledger page.

    Parameters
    ----------
    outcomes : sequence of ClaimOutcome
        Every claim checked in this build.
    citations : mapping
        Claim id to ``(page title, relative URL of the page from the ledger)``.
    profile : str
        The build's profile.
    seed_note : str
        One sentence about the seeds the results come from.
    """
    held = sum(o.held for o in outcomes)
    lines = [
        "# Claims ledger",
        "",
        f"Every sentence of this book about a computed result is checked by code when the site "
        f"is built. This build (profile `{profile}`) checked **{len(outcomes)} claims**: "
        f"**{held} held** and **{len(outcomes) - held} broke** (a build with a broken claim is "
        f"not published). {seed_note} Each row links to the sentence it checks; the "
        "✓ after that sentence links back here. `ganbook claims --seed-offset N` re-runs every "
        "experiment with its seeds shifted by N and checks every claim again.",
        "",
        "| Chapter | Statement | Checked on (found → needed) | Status |",
        "| --- | --- | --- | --- |",
    ]
    for outcome in outcomes:
        item = outcome.claim
        anchor = claim_anchor(item.id)
        if item.id in citations:
            title, url = citations[item.id]
            chapter = f'<span id="ledger-{anchor}"></span>[{_cell(title)}]({url}#{anchor})'
        else:
            chapter = f'<span id="ledger-{anchor}"></span>not cited'
        if outcome.error is not None:
            values = _cell(outcome.error)
        else:
            values = "<br>".join(
                _cell(f"{c.what}: {c.found} → {c.bound}") for c in outcome.checks
            )
        status = "held" if outcome.held else "**broke**"
        lines.append(
            f"| {chapter} | {_cell(item.statement)} <br><code>{item.id}</code> | {values} | "
            f"{status} |"
        )
    return "\n".join(lines) + "\n"
