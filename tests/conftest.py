"""Fixtures shared by the whole suite: the book's experiments, run once on the test profile.

Every chapter test reads results through `results` (``results["ring_run"]``), which runs each
experiment at most once per test run into one cache directory. Under pytest-xdist the workers
share that directory, and a lock per experiment makes the first worker that needs a result compute
it while the others wait and then read it back as a cache hit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from ganbook.engine import ExperimentResult, run_experiment

from helpers import locked, shared_tmp_dir

PROFILE = "test"


class TestProfileResults(Mapping[str, ExperimentResult]):
    """The results of the book's experiments on the test profile, each computed on first use."""

    __test__ = False  # not a test class, despite its name

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._results: dict[str, ExperimentResult] = {}

    def __getitem__(self, name: str) -> ExperimentResult:
        if name not in self._results:
            with locked(self.cache_dir / f"{name}.lock"):
                self._results[name] = run_experiment(
                    name, profile=PROFILE, device="cpu", cache_dir=self.cache_dir
                )[0]
        return self._results[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._results)

    def __len__(self) -> int:
        return len(self._results)


@pytest.fixture(scope="session")
def results(tmp_path_factory) -> TestProfileResults:
    """``results[name]``: experiment ``name`` run on the test profile, once per test run."""
    return TestProfileResults(shared_tmp_dir(tmp_path_factory, "book-cache"))
