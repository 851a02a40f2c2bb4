r"""The claims ledger: a generated page listing every claim of the book and its status.

Each row names the chapter (linked to the sentence that makes the claim, through the marker that
``{{ claim EXPERIMENT.NAME }}`` leaves there), the statement, the values it was checked on and the
bound they had to meet, and whether it held.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from ganbook.site.markup import claim_anchor

if TYPE_CHECKING:
    from ganbook.site.snapshot import ClaimRecord, OutcomeRecord

LEDGER_URI = "reference/claims.md"
r"""Where the ledger appears in the site (it is generated; nothing is written into ``docs/``)."""


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: HTML escaped, pipes and newlines neutralised."""
    return html.escape(text).replace("|", "&#124;").replace("\n", " ")


def ledger_markdown(
    claims: Sequence[ClaimRecord],
    outcomes: Mapping[str, OutcomeRecord],
    citations: Mapping[str, tuple[str, str]],
    *,
    profile: str,
    seed_note: str,
    preview: str | None = None,
    built: Collection[str] = (),
) -> str:
    r"""The Markdown of the ledger page.

    Parameters
    ----------
    claims : sequence of ClaimRecord or Claim
        Every claim of the book, in the book's order (anything with ``id``, ``experiment`` and
        ``statement``).
    outcomes : mapping
        Claim id to its outcome (`OutcomeRecord` or `ClaimOutcome`), for the claims checked in
        this build (those whose profiles include the build's).
    citations : mapping
        Claim id to ``(page title, URL of the page relative to the ledger's URL)``; the link is
        raw HTML, since its target is an id in raw HTML that Markdown's anchor check cannot see.
    profile : str
        The build's profile.
    seed_note : str
        One sentence about the seeds the results come from.
    preview : str, optional
        For a partial build, what it built (``GANBOOK_ONLY=wgan-gp``): the claims about
        experiments outside ``built`` are marked as not checked in this preview.
    built : collection of str
        The experiments a partial build computed.
    """
    held = sum(o.held for o in outcomes.values())
    outside = set() if preview is None else {c.id for c in claims if c.experiment not in built}
    unchecked = len(claims) - len(outcomes) - len(outside)
    skipped = (
        f" {unchecked} claims are about longer runs than this profile makes and were not checked."
        if unchecked
        else ""
    )
    if outside:
        skipped += (
            f" **This is a preview ({preview}): {len(outside)} claims about the chapters it did "
            "not build were not checked.**"
        )
    lines = [
        "# Claims ledger",
        "",
        f"Every sentence of this book about a computed result is checked by code when the site "
        f"is built. This build (profile `{profile}`) checked **{len(outcomes)} claims**: "
        f"**{held} held** and **{len(outcomes) - held} broke** (a build with a broken claim is "
        f"not published).{skipped} {seed_note} Each row links to the sentence it checks; the "
        "✓ after that sentence links back here. `ganbook claims --seed-offset N` re-runs every "
        "experiment with its seeds shifted by N and checks every claim again.",
        "",
        "| Chapter | Statement | Checked on (found → needed) | Status |",
        "| --- | --- | --- | --- |",
    ]
    for item in claims:
        outcome = outcomes.get(item.id)
        anchor = claim_anchor(item.id)
        if item.id in citations:
            title, url = citations[item.id]
            chapter = f'<a id="ledger-{anchor}" href="{url}#{anchor}">{_cell(title)}</a>'
        else:
            chapter = f'<span id="ledger-{anchor}"></span>not cited'
        if outcome is None and item.id in outside:
            values, status = f"not checked in this preview ({_cell(preview)})", "not checked"
        elif outcome is None:
            values, status = "not checked in this profile", "not checked"
        elif outcome.error is not None:
            values = _cell(outcome.error)
        else:
            values = "<br>".join(_cell(f"{c.what}: {c.found} → {c.bound}") for c in outcome.checks)
        if outcome is not None:
            status = "held" if outcome.held else "**broke**"
        lines.append(
            f"| {chapter} | {_cell(item.statement)} <br><code>{item.id}</code> | {values} | "
            f"{status} |"
        )
    return "\n".join(lines) + "\n"
