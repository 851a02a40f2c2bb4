"""Every chapter's claims, checked on the test profile: one test per chapter of the book.

A chapter's experiments are those defined in its package. The ones that some claim checks on the
test profile are run through the session's `results` fixture (``tests/conftest.py``), so each runs
once for this test and for the chapter's own tests; the others (the trainer benchmark) would
only cost time here, and the site build runs them all.
"""

from __future__ import annotations

import pytest

from ganbook.book import CHAPTERS
from ganbook.engine.claims import claims_for, outcomes_for

from helpers import chapter_experiments

NO_TEST_PROFILE_CLAIMS = {
    "performance": "its timings measure the machine that builds the site; no claim checks them",
}
"""Chapters with no claim that applies to the test profile, and why."""


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda chapter: chapter.slug)
def test_claims_hold_on_the_test_profile(chapter, results):
    defined = chapter_experiments(chapter)
    assert defined, f"{chapter.package} defines no experiment"
    names = [n for n in defined if any("test" in c.profiles for c in claims_for(n))]
    outcomes = [o for name in names for o in outcomes_for(name, results[name], "test")]
    broken = [o.describe() for o in outcomes if not o.held]
    assert not broken, "\n".join(broken)
    if chapter.slug in NO_TEST_PROFILE_CLAIMS:
        assert not outcomes, f"{chapter.slug} has claims now: remove it from NO_TEST_PROFILE_CLAIMS"
    else:
        assert outcomes, f"no claim about {chapter.slug}'s experiments applies to the test profile"
