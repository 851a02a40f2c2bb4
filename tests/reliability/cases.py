"""The rows of the reliability review, with the verdict each had when it was written.

``../shared/reviews/reliability-review.md`` tried 110 fault cases (plus controls, security and
packaging checks) on the checkout 04204c8. Every row of its sections 1–6 is proven by a test of
this folder marked ``@pytest.mark.case("ID")``, which asserts the verdict the row *should* have
had: a clear error or a recovery (`test_every_case_has_a_test` checks that none is missing).
"""

from __future__ import annotations

CLEAR_ERROR = "CLEAR ERROR"
RECOVERED = "RECOVERED"
TRACEBACK = "TRACEBACK"
SILENT_WRONG = "SILENT WRONG"
DATA_LOSS = "DATA LOSS/CORRUPTION"
CONTROL = "control"
PASS = "PASS"
NOTE = "NOTE"

REVIEWED: dict[str, str] = {
    # id: the verdict in the review (before the fixes)
    "1.01": CLEAR_ERROR,
    "1.02": CLEAR_ERROR,
    "1.03": CLEAR_ERROR,
    "1.03a": CLEAR_ERROR,
    "1.03b": CLEAR_ERROR,
    "1.03c": CLEAR_ERROR,
    "1.04": CLEAR_ERROR,
    "1.05": CLEAR_ERROR,
    "1.06": CLEAR_ERROR,
    "1.07": TRACEBACK,
    "1.08": CLEAR_ERROR,
    "1.09": CLEAR_ERROR,
    "1.10": CLEAR_ERROR,
    "1.11": CLEAR_ERROR,
    "1.11b": TRACEBACK,
    "1.12": RECOVERED,
    "1.13": CLEAR_ERROR,
    "1.14": CLEAR_ERROR,
    "1.15": TRACEBACK,
    "1.16": TRACEBACK,
    "1.17": TRACEBACK,
    "1.18": DATA_LOSS,
    "1.19": CLEAR_ERROR,
    "1.20": CLEAR_ERROR,
    "1.21": TRACEBACK,
    "1.22": TRACEBACK,
    "1.23": CLEAR_ERROR,
    "1.24": CLEAR_ERROR,
    "1.25": TRACEBACK,
    "1.26": TRACEBACK,
    "1.27": TRACEBACK,
    "1.28": SILENT_WRONG,
    "1.29": CONTROL,
    "1.30": TRACEBACK,
    "1.31": TRACEBACK,
    "1.32": TRACEBACK,
    "2.00": CONTROL,
    "2.01": TRACEBACK,
    "2.02": TRACEBACK,
    "2.03": CLEAR_ERROR,
    "2.04": CLEAR_ERROR,
    "2.05": SILENT_WRONG,
    "2.06": TRACEBACK,
    "2.07": TRACEBACK,
    "2.08": CLEAR_ERROR,
    "2.09": CLEAR_ERROR,
    "2.10": CLEAR_ERROR,
    "2.11": CLEAR_ERROR,
    "3.01": CLEAR_ERROR,
    "3.02": CLEAR_ERROR,
    "3.03": CLEAR_ERROR,
    "3.04": RECOVERED,
    "4.01": RECOVERED,
    "4.02": RECOVERED,
    "4.03": TRACEBACK,
    "4.03b": TRACEBACK,
    "4.03c": TRACEBACK,
    "4.03d": RECOVERED,
    "4.04": SILENT_WRONG,
    "4.05": RECOVERED,
    "4.06": RECOVERED,
    "4.07": RECOVERED,
    "4.08": RECOVERED,
    "4.09": RECOVERED,
    "4.10": TRACEBACK,
    "4.11": RECOVERED,
    "4.12": SILENT_WRONG,
    "4.13a": RECOVERED,
    "4.13b": TRACEBACK,
    "4.13c": TRACEBACK,
    "4.13d": TRACEBACK,
    "4.13e": RECOVERED,
    "4.14": TRACEBACK,
    "4.15": DATA_LOSS,
    "4.16": RECOVERED,
    "4.16b": RECOVERED,
    "4.17": RECOVERED,
    "4.18": TRACEBACK,
    "4.18b": RECOVERED,
    "4.19": DATA_LOSS,
    "4.20a": CLEAR_ERROR,
    "4.20c": SILENT_WRONG,
    "4.21": TRACEBACK,
    "5.01": CLEAR_ERROR,
    "5.02": CLEAR_ERROR,
    "5.03": CLEAR_ERROR,
    "5.03b": CLEAR_ERROR,
    "5.04": CLEAR_ERROR,
    "5.05": SILENT_WRONG,
    "5.06": SILENT_WRONG,
    "5.07": CLEAR_ERROR,
    "5.08": CLEAR_ERROR,
    "5.09": SILENT_WRONG,
    "5.10": SILENT_WRONG,
    "5.11": SILENT_WRONG,
    "5.12": CLEAR_ERROR,
    "5.20": CLEAR_ERROR,
    "5.21": CLEAR_ERROR,
    "5.22": CLEAR_ERROR,
    "5.23": CLEAR_ERROR,
    "5.24": CLEAR_ERROR,
    "5.25": TRACEBACK,
    "5.26": TRACEBACK,
    "5.27": RECOVERED,
    "6.01": TRACEBACK,
    "6.02": TRACEBACK,
    "6.03": TRACEBACK,
    "6.04": CLEAR_ERROR,
    "6.05": CLEAR_ERROR,
    "6.05b": TRACEBACK,
    "6.06": SILENT_WRONG,
    "6.07": SILENT_WRONG,
    "7.01": PASS,
    "7.02": NOTE,
    "7.03": PASS,
    "7.04": PASS,
    "7.05": PASS,
    "7.06": NOTE,
    "7.07": PASS,
    "7.08": NOTE,
    "8.00": PASS,
    "8.01": PASS,
    "8.02": PASS,
    "8.03": PASS,
    "8.04": NOTE,
    "8.05": PASS,
    "8.06": PASS,
}

BUGS_COUNTED_AS_CLEAR = ("5.12", "6.04")
"""Rows counted as clear errors that were bugs all the same (a false positive; an unnamed claim)."""


def must_be_tested(case_id: str) -> bool:
    """Whether ``case_id`` is a fault case (sections 1–6), which a test must prove."""
    return case_id[0] in "123456"


_RECOVERED_NOW = (
    "1.12 1.31 3.04 4.01 4.02 4.03 4.03b 4.03c 4.03d 4.04 4.05 4.06 4.07 4.08 4.09 4.10 4.11 "
    "4.12 4.13a 4.13b 4.13c 4.13d 4.13e 4.14 4.16 4.16b 4.17 4.18 4.18b 4.19 4.20c 5.12 5.27 6.07"
).split()

NOW: dict[str, str] = {
    case_id: (
        verdict
        if verdict in (CONTROL, PASS, NOTE)
        else RECOVERED
        if case_id in _RECOVERED_NOW
        else CLEAR_ERROR
    )
    for case_id, verdict in REVIEWED.items()
}
"""The verdict each row has now, as its test asserts it: a clear error or a recovery.

A clear error: exit status ≠ 0 (or the documented exception), one line naming the problem, no
traceback, nothing half-written. A recovery: the right result anyway (arrays identical to a
clean run), at most a warning line. 1.31 (a closed pipe) ends quietly with status 141.
"""
