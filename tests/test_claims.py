"""Claims tie sentences of the prose to results: declarative, loud when broken, never silent."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch

from ganbook.cli import main
from ganbook.engine import (
    ClaimFailedError,
    ExperimentResult,
    all_claims,
    check_claims,
    claims_for,
    experiment_names,
    get_experiment,
    run_experiment,
)
from ganbook.engine import claims as machinery
from ganbook.engine.fingerprint import experiment_roots, module_closure
from ganbook.engine.registry import RunContext, derived_seed, expanded_needs
from ganbook.engine.runner import experiment_key
from ganbook.site.markup import claim_ids_in

ROOT = Path(__file__).resolve().parents[1]


def _trains(name: str) -> bool:
    """Whether ``name``, or an experiment it needs (transitively), runs on a torch device."""
    todo, seen = [name], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if get_experiment(current).uses_torch_device:
            return True
        todo.extend(expanded_needs(current))
    return False


ANALYTIC = [name for name in experiment_names() if not _trains(name)]
"""Experiments cheap enough to run at the published profile here: nothing they need trains."""


@pytest.fixture
def scratch_claims():
    """Claims registered by a test are removed after it."""
    before = dict(machinery._CLAIMS)
    yield
    machinery._CLAIMS.clear()
    machinery._CLAIMS.update(before)


@pytest.mark.parametrize("name", ANALYTIC)
def test_claims_hold_on_the_published_profile(name, tmp_path):
    # Analytic experiments are cheap: check the very numbers the site publishes.
    result, _ = run_experiment(name, profile="standard", device="cpu", cache_dir=tmp_path)
    assert check_claims(name, result, "standard") == len(
        [c for c in claims_for(name) if "standard" in c.profiles]
    )


def test_a_broken_claim_names_the_experiment_the_statement_and_the_value(tmp_path):
    result, _ = run_experiment("bce_terms", profile="test", device="cpu", cache_dir=tmp_path)
    check_claims("bce_terms", result, "standard")  # holds as computed
    broken = ExperimentResult(arrays=dict(result.arrays), scalars={**result.scalars})
    broken.scalars["real_at_zero"] = 0.9
    with pytest.raises(ClaimFailedError, match=r"bce_terms\.\w+.*found 0\.9"):
        check_claims("bce_terms", broken, "standard")


@pytest.mark.usefixtures("scratch_claims")
def test_anything_a_check_raises_is_that_claim_failing():
    @machinery.claim("bce_terms", "a check that divides by a zero percentile")
    def divides_by_zero(_result):
        return machinery.at_least("ratio", 1.0 / 0.0, 2.0)

    @machinery.claim("bce_terms", "a check that forgets to return its checks")
    def returns_nothing(_result):
        machinery.at_least("x", 3, 2)

    @machinery.claim("bce_terms", "a check that finds NaN")
    def finds_nan(_result):
        return machinery.at_most("x", float("nan"), 1.0)

    empty = ExperimentResult()
    for check, expected in (
        (divides_by_zero, "ZeroDivisionError"),
        (returns_nothing, "TypeError"),
        (finds_nan, "NaN"),
    ):
        item = machinery.get_claim(f"bce_terms.{check.__name__}")
        outcome = machinery.evaluate_claim(item, empty)
        assert not outcome.held
        assert expected in outcome.error
        assert "bce_terms" in outcome.describe()
        assert item.statement in outcome.describe()


def test_a_false_claim_fails_under_python_O():
    script = textwrap.dedent(
        """
        import sys
        from ganbook.engine import claims as m
        from ganbook.engine import ExperimentResult
        assert False, "asserts are stripped under -O, so this line does nothing"
        @m.claim("bce_terms", "three is at least four")
        def three_is_at_least_four(result):
            return m.at_least("three", 3, 4)
        outcome = m.evaluate_claim(m.get_claim("bce_terms.three_is_at_least_four"),
                                   ExperimentResult())
        print("held" if outcome.held else "broke", sys.flags.optimize)
        """
    )
    env = {**os.environ, "PYTHONOPTIMIZE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["broke", "1"]


@pytest.mark.usefixtures("scratch_claims")
def test_duplicate_claims_are_errors_not_silently_dropped():
    def check(_result):
        return machinery.holds("x", True)

    check.__module__ = "ganbook.book.part9.somewhere.claims"
    machinery.claim("bce_terms", "one")(check)
    with pytest.raises(ValueError, match="registered twice"):
        machinery.claim("bce_terms", "the same function again")(check)

    def same_name(_result):
        return machinery.holds("x", True)

    same_name.__name__ = "check"
    same_name.__module__ = "ganbook.book.part9.elsewhere.claims"
    with pytest.raises(ValueError, match=r"id 'bce_terms\.check'"):
        machinery.claim("bce_terms", "another module, the same id")(same_name)


def test_claims_are_not_part_of_any_cache_key():
    for name in experiment_names():
        for roots in (
            experiment_roots(get_experiment(name).compute),
            (get_experiment(name).module,),
        ):
            closure = module_closure(*roots)
            assert not any(m.endswith(".claims") for m in closure), name
        assert "ganbook.engine.claims" not in closure, name


def test_every_claim_is_cited_once_on_a_page_and_every_citation_exists():
    cited = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        cited += claim_ids_in(page.read_text(encoding="utf-8"))
    known = [c.id for c in all_claims()]
    assert sorted(set(cited)) == sorted(cited), "a claim is cited twice"
    assert set(cited) - set(known) == set(), "a page cites an unknown claim"
    assert set(known) - set(cited) == set(), "a claim is not cited on any page"


def test_claims_live_apart_from_experiments_and_use_no_assert():
    for item in all_claims():
        assert item.module.startswith("ganbook.book."), item.id
        assert item.module.endswith(".claims"), item.id
    for path in (ROOT / "ganbook" / "book").rglob("claims.py"):
        assert not re.search(r"^\s*assert\b", path.read_text(), re.MULTILINE), path


def test_named_streams_of_nearby_seeds_never_coincide():
    seeds = {derived_seed(s, name) for s in range(50) for name in ("init-g", "init-d", "data")}
    assert len(seeds) == 150
    members = [
        m.seed for s in range(20) for m in RunContext(torch.device("cpu"), s, "t").members(5)
    ]
    assert len(set(members)) == 100
    first = RunContext(torch.device("cpu"), 0, "test").stream("x")
    again = RunContext(torch.device("cpu"), 0, "test").stream("x")
    assert torch.equal(torch.rand(4, generator=first), torch.rand(4, generator=again))


def test_a_seed_offset_changes_the_key_and_the_seed(tmp_path):
    options = {"profile": "test", "device": "cpu", "threads": 2}
    keys = {experiment_key("ring_run", seed_offset=n, **options) for n in range(4)}
    assert len(keys) == 4
    result, _ = run_experiment("bce_terms", profile="test", cache_dir=tmp_path, seed_offset=3)
    assert result.meta["seed"] == get_experiment("bce_terms").seed + 3
    assert result.meta["seed_offset"] == 3
    with pytest.raises(ValueError, match="seed_offset"):
        run_experiment("bce_terms", profile="test", cache_dir=tmp_path, seed_offset=-1)


@pytest.mark.usefixtures("scratch_claims")
def test_the_claims_command_prints_a_line_per_claim_and_fails_on_a_broken_one(tmp_path, capsys):
    args = ["claims", "--only", "bce_terms", "--profile", "test", "--cache-dir", str(tmp_path)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert re.search(r"^held\s+bce_terms\.", out, re.MULTILINE)
    assert "0 broke" in out

    @machinery.claim("bce_terms", "log 2 is above one")
    def log2_above_one(result):
        return machinery.at_least("log 2", result.scalar("log2"), 1.0)

    assert main(args) == 1
    out = capsys.readouterr().out
    assert "BROKE  bce_terms.log2_above_one: 'log 2 is above one'" in out
    assert "found 0.6931, needs ≥ 1" in out


def test_every_check_constructor_is_exact_at_its_bounds():
    assert machinery.at_least("x", 2, 2).held
    assert not machinery.at_least("x", 1.999, 2).held
    assert machinery.at_most("x", 2, 2).held
    assert not machinery.at_most("x", 2.001, 2).held
    assert not machinery.between("x", 1, 1, 2).held
    assert machinery.between("x", 1.5, 1, 2).held
    assert machinery.close_to("x", 1.04, 1.0, 0.05).held
    assert not machinery.close_to("x", 1.06, 1.0, 0.05).held
    assert not machinery.holds("x", np.bool_(False)).held
    assert machinery.holds("x", True, found="a sentence").found == "a sentence"
    with pytest.raises(TypeError):
        machinery.at_least("x", True, 0)
