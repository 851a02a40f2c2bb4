"""Every fault case of the reliability review is proven by a test of this folder."""

from __future__ import annotations

import re
from pathlib import Path

from cases import REVIEWED, must_be_tested

HERE = Path(__file__).parent
_MARK = re.compile(r"""case\(\s*["'](\d\.\d\d[a-z]?)["']""")


def marked_cases() -> set[str]:
    """The ids named by ``@pytest.mark.case("ID")`` (or ``case("ID")`` in a parameter list)."""
    found: set[str] = set()
    for path in HERE.glob("test_*.py"):
        found.update(_MARK.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_case_has_a_test():
    missing = sorted(c for c in REVIEWED if must_be_tested(c) and c not in marked_cases())
    assert not missing, f"reliability cases without a test: {', '.join(missing)}"


def test_no_test_names_an_unknown_case():
    unknown = sorted(marked_cases() - set(REVIEWED))
    assert not unknown, f"tests name cases the review does not have: {', '.join(unknown)}"


def test_no_fault_case_is_left_a_traceback_silent_or_lossy():
    from cases import CLEAR_ERROR, NOW, RECOVERED

    left = {c: v for c, v in NOW.items() if must_be_tested(c) and v not in (CLEAR_ERROR, RECOVERED)}
    assert set(left.values()) <= {"control"}, left
