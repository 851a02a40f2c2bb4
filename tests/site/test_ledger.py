"""The generated claims ledger: one row per claim, linked both ways with the sentence it checks."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from ganbook.engine import all_claims
from ganbook.site.markup import claim_anchor


def _read(site_dir, url_path: str) -> str:
    return (site_dir / url_path.lstrip("/") / "index.html").read_text(encoding="utf-8")


def test_the_ledger_lists_every_claim_with_its_status(built_site):
    ledger = _read(built_site.site_dir, "reference/claims/")
    rows = re.findall(r"<tr>\s*<td>(.*?)</tr>", ledger, re.DOTALL)
    claims = all_claims()
    assert len(rows) == len(claims)
    statuses = [re.findall(r"<td>([^<]*(?:<strong>[^<]*</strong>)?)</td>\s*$", r)[-1] for r in rows]
    assert "broke" not in " ".join(statuses)
    if built_site.published_url:  # the published build checks every claim
        assert set(statuses) == {"held"}
        assert re.search(rf"checked <strong>{len(claims)} claims</strong>", ledger)
    for item in claims:
        assert f"<code>{item.id}</code>" in ledger


def test_each_ledger_row_and_its_sentence_link_to_each_other(built_site):
    site = built_site.site_dir
    ledger = _read(site, "reference/claims/")
    base = "http://site/reference/claims/"
    for item in all_claims():
        anchor = claim_anchor(item.id)
        link = re.search(
            rf'<a href="([^"#]*)#{anchor}" id="ledger-{anchor}"|'
            rf'<a id="ledger-{anchor}" href="([^"#]*)#{anchor}"',
            ledger,
        )
        assert link, f"{item.id}: no link from the ledger to its sentence"
        target = urljoin(base, link.group(1) or link.group(2))
        page = _read(site, target.removeprefix("http://site/"))
        marker = re.search(rf'<a class="gb-claim" id="{anchor}" href="([^"]+)"', page)
        assert marker, f"{item.id}: the page {target} has no marker"
        back = urljoin(target, marker.group(1))
        assert back == base + f"#ledger-{anchor}", (item.id, back)
