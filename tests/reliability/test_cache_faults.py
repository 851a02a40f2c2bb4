"""Section 4 of the reliability review (and 1.21, 1.22, 1.25): faults of the experiment cache.

Every case starts from a copy of a clean cache holding ``bce_terms`` and ``shift_toy_gradients``
(test profile, CPU) and the ``bce_terms`` figure, injects the fault for real (a truncated or
edited file, a read-only mount or a full tmpfs where this machine allows it, a process killed
with SIGKILL, concurrent writers), and checks what the engine does: a damaged entry is
discarded with one warning and recomputed to the same bits, never served, never a crash.

The killed and concurrent writers are forked from this process (cheap: nothing is imported
again) and only write, so no torch runs in a forked child. Builds (4.20a/c) go through
`build_all`, the engine part of the site plugin, with its executor computing in this process.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import select
import shutil
import signal
import threading
import time
from pathlib import Path

import faults
import numpy as np
import pytest

import ganbook.engine.executors as executors
import ganbook.engine.result as result_module
import ganbook.engine.runner as runner
from ganbook.engine.build import build_all, figure_digest_path, render_figure
from ganbook.engine.cache import prune_cache
from ganbook.engine.result import (
    ARRAYS_FILE,
    RESULT_FILE,
    CorruptResultError,
    load_result,
    record_digest,
    save_result,
)
from ganbook.engine.runner import (
    CacheDirectoryError,
    RunOptions,
    compute_result,
    entry_path,
    run_experiment,
)

OPTIONS = {"profile": "test", "device": "cpu"}
CLI_OPTIONS = ("--profile", "test", "--device", "cpu")
NAME, OTHER = "bce_terms", "shift_toy_gradients"
LOGGER = "mkdocs.plugins.ganbook"
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="the writers are forked")


# ---- the clean cache, and what a recovery must give back ------------------------------------


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """A clean cache: both experiments, the figure; and their results, read back from it."""
    root = tmp_path_factory.mktemp("clean-cache")
    results = {name: run_experiment(name, cache_dir=root, **OPTIONS) for name in (NAME, OTHER)}
    figure = render_figure(NAME, cache_dir=root, **OPTIONS)
    return {
        "root": root,
        "results": {name: result for name, (result, _) in results.items()},
        "keys": {name: record.key for name, (_, record) in results.items()},
        "figure": figure.path.relative_to(root),
        "figure_bytes": figure.path.read_bytes(),
    }


@pytest.fixture
def cache(clean, tmp_path) -> Path:
    """A private copy of the clean cache."""
    return Path(shutil.copytree(clean["root"], tmp_path / "cache"))


def entry(clean, cache: Path, name: str = NAME) -> Path:
    return entry_path(cache, name, clean["keys"][name])


def assert_identical(result, reference) -> None:
    """Every array equal with the same dtype, every scalar equal: the clean run's result."""
    assert sorted(result.arrays) == sorted(reference.arrays)
    for name, array in reference.arrays.items():
        assert result.arrays[name].dtype == array.dtype, name
        assert np.array_equal(result.arrays[name], array), name
    assert result.scalars == reference.scalars


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def hidden(cache: Path) -> list[str]:
    """Leftover staging directories and temporary files."""
    return [p.name for d in ("experiments", "figures") for p in (cache / d).glob(".*")]


def recovers(clean, cache, caplog, name: str = NAME, *, discarded: bool = True) -> None:
    """Run ``name``: recomputed (one discard warning), identical, stored, then a cache hit."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=LOGGER):
        result, record = run_experiment(name, cache_dir=cache, **OPTIONS)
    assert not record.hit
    assert_identical(result, clean["results"][name])
    lines = warnings_of(caplog)
    if discarded:
        assert len(lines) == 1, lines
        assert lines[0].startswith(f"ganbook: discarding cache entry of {name}: "), lines
    else:
        assert lines == []
    again, second = run_experiment(name, cache_dir=cache, **OPTIONS)
    assert second.hit, "the recomputed entry was not stored, or is not trusted"
    assert_identical(again, clean["results"][name])
    assert hidden(cache) == []


def rewrite_record(path: Path, change, *, forge_digest: bool = False) -> None:
    """Apply ``change`` to the JSON of ``path``; with ``forge_digest``, make the digest match."""
    record = json.loads(path.read_text())
    record = change(record)
    if forge_digest and isinstance(record, dict):
        record["digest"] = record_digest(record)
    path.write_text(json.dumps(record))


# ---- 1.21, 1.22, 1.25: refused before any work ---------------------------------------------


@pytest.mark.parametrize(
    "threads",
    [
        pytest.param("0", marks=pytest.mark.case("1.21")),
        pytest.param("-3", marks=pytest.mark.case("1.22")),
    ],
)
def test_threads_below_one_is_a_clear_error_before_any_work(threads, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "compute_result", _must_not_compute)
    monkeypatch.setattr(executors, "_run_local", _must_not_compute)
    outcome = faults.cli(
        "run", NAME, "--threads", threads, "--cache-dir", tmp_path / "c", *CLI_OPTIONS
    )
    faults.assert_clear_error(outcome, "threads", threads)
    assert not (tmp_path / "c").exists(), "something was written before the check"
    with pytest.raises(ValueError, match=f"threads must be at least 1, got {threads}"):
        RunOptions(threads=int(threads))


def _must_not_compute(*_args, **_kwargs):
    raise AssertionError("computed before the options were checked")


@pytest.mark.case("1.25")
@pytest.mark.parametrize("below", [False, True], ids=["file", "below-a-file"])
def test_a_cache_dir_that_is_a_file_is_a_clear_error_before_computing(below, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "compute_result", _must_not_compute)
    monkeypatch.setattr(executors, "_run_local", _must_not_compute)
    file = tmp_path / "o_file.txt"
    file.write_text("x\n")
    cache = file / "sub" if below else file
    with pytest.raises(CacheDirectoryError, match=re.escape(str(file))) as raised:
        run_experiment(NAME, cache_dir=cache, **OPTIONS)
    assert isinstance(raised.value, OSError)
    assert isinstance(raised.value, ValueError)
    outcome = faults.cli("run", NAME, "--cache-dir", cache, *CLI_OPTIONS)
    faults.assert_clear_error(outcome, str(file))
    assert file.read_text() == "x\n"


# ---- 4.01-4.11: damaged, edited, foreign and missing entries --------------------------------


@pytest.mark.case("4.01")
def test_a_truncated_array_file_is_discarded_and_recomputed(clean, cache, caplog):
    path = entry(clean, cache) / ARRAYS_FILE
    os.truncate(path, 100)
    recovers(clean, cache, caplog)


@pytest.mark.case("4.02")
def test_a_truncated_record_is_discarded_and_recomputed(clean, cache, caplog):
    os.truncate(entry(clean, cache) / RESULT_FILE, 300)
    recovers(clean, cache, caplog)


def _scalars_list(record):
    record["scalars"] = []
    return record


def _dict_scalar_null_meta(record):
    record["scalars"]["log2"] = {"nested": 1}
    record["meta"] = None
    return record


def _wrong_types(record):
    record["arrays_sha256"] = 12
    record["meta"] = "meta"
    return record


@pytest.mark.parametrize(
    ("content", "forge"),
    [
        pytest.param(lambda _r: [], False, marks=pytest.mark.case("4.03"), id="list"),
        pytest.param(lambda _r: None, False, marks=pytest.mark.case("4.03b"), id="null"),
        pytest.param(_scalars_list, False, marks=pytest.mark.case("4.03c"), id="scalars-list"),
        pytest.param(_scalars_list, True, marks=pytest.mark.case("4.03c"), id="scalars-forged"),
        pytest.param(_dict_scalar_null_meta, False, marks=pytest.mark.case("4.03d"), id="dict"),
        pytest.param(_dict_scalar_null_meta, True, marks=pytest.mark.case("4.03d"), id="forged"),
        pytest.param(_wrong_types, True, marks=pytest.mark.case("4.03d"), id="field-types"),
    ],
)
def test_a_record_of_the_wrong_shape_is_discarded_not_a_crash(clean, cache, caplog, content, forge):
    rewrite_record(entry(clean, cache) / RESULT_FILE, content, forge_digest=forge)
    recovers(clean, cache, caplog)  # and the second run is a hit: the entry is not stuck


@pytest.mark.case("4.04")
@pytest.mark.parametrize("field", ["scalar", "meta"])
def test_an_edited_value_in_valid_json_is_never_served(clean, cache, caplog, field):
    path = entry(clean, cache) / RESULT_FILE

    def edit(record):
        if field == "scalar":
            record["scalars"]["log2"] = record["scalars"]["log2"] - 0.1
        else:
            record["meta"]["seed"] = record["meta"]["seed"] + 1
        return record

    rewrite_record(path, edit)
    with pytest.raises(CorruptResultError, match="does not match its recorded digest"):
        load_result(entry(clean, cache), clean["keys"][NAME])
    recovers(clean, cache, caplog)


def _swap(first: Path, second: Path) -> None:
    temp = first.with_name(first.name + ".swap")
    os.rename(first, temp)
    os.rename(second, first)
    os.rename(temp, second)


@pytest.mark.parametrize(
    "what",
    [
        pytest.param(RESULT_FILE, marks=pytest.mark.case("4.05")),
        pytest.param(ARRAYS_FILE, marks=pytest.mark.case("4.06")),
        pytest.param("", marks=pytest.mark.case("4.07")),  # the entry directories themselves
    ],
)
def test_swapped_files_or_entries_are_foreign_and_recomputed(clean, cache, caplog, what):
    _swap(entry(clean, cache) / what, entry(clean, cache, OTHER) / what)
    recovers(clean, cache, caplog, NAME)
    recovers(clean, cache, caplog, OTHER)


@pytest.mark.parametrize(
    "missing",
    [
        pytest.param(ARRAYS_FILE, marks=pytest.mark.case("4.08")),
        pytest.param(RESULT_FILE, marks=pytest.mark.case("4.09")),
    ],
)
def test_half_an_entry_is_discarded_and_recomputed(clean, cache, caplog, missing):
    (entry(clean, cache) / missing).unlink()
    recovers(clean, cache, caplog)


@pytest.mark.case("4.10")
def test_an_entry_replaced_by_a_file_is_discarded_and_recomputed(clean, cache, caplog):
    path = entry(clean, cache)
    shutil.rmtree(path)
    path.write_text("not a directory\n")
    recovers(clean, cache, caplog)
    assert path.is_dir()


class _Evil:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.mark.case("4.11")
def test_a_pickled_array_with_matching_hashes_is_not_loaded(clean, cache, caplog, tmp_path):
    marker = tmp_path / "pwned"
    path = entry(clean, cache)
    with open(path / ARRAYS_FILE, "wb") as stream:
        np.savez(stream, logit=np.array([_Evil(marker)], dtype=object))

    def forge(record):
        record["arrays_sha256"] = result_module.sha256_bytes((path / ARRAYS_FILE).read_bytes())
        return record

    rewrite_record(path / RESULT_FILE, forge, forge_digest=True)
    recovers(clean, cache, caplog)
    assert not marker.exists()


# ---- 4.12, 4.20c: cached figures are verified -----------------------------------------------


def _truncate(path: Path) -> None:
    os.truncate(path, 1000)


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))


def _drop_digest(path: Path) -> None:
    figure_digest_path(path).unlink()


@pytest.mark.case("4.12")
@pytest.mark.parametrize("damage", [_truncate, _flip_a_byte, _drop_digest])
def test_a_damaged_cached_figure_is_rendered_again_never_served(clean, cache, caplog, damage):
    path = cache / clean["figure"]
    damage(path)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        figure = render_figure(NAME, cache_dir=cache, **OPTIONS)
    assert figure.rendered
    assert figure.path == path
    assert path.read_bytes() == clean["figure_bytes"]
    lines = warnings_of(caplog)
    if damage is _drop_digest:
        assert lines == []  # an older cache's figure, or an interrupted write: quietly redrawn
    else:
        assert len(lines) == 1, lines
        assert lines[0].startswith(f"ganbook: discarding cached figure {NAME}: ")
    assert not render_figure(NAME, cache_dir=cache, **OPTIONS).rendered
    assert hidden(cache) == []


@contextlib.contextmanager
def _in_process_executor(monkeypatch):
    """The local executor, computing in this process (spawning a worker takes seconds)."""

    def run_here(missing, results, collector, _workers):
        for name in missing:
            needs = {m: results[m] for m in runner.expanded_needs(name)}
            result, record = compute_result(name, collector.options, needs)
            collector.add(result, record)
            results[name] = result

    monkeypatch.setattr(executors, "_run_local", run_here)
    yield


@pytest.mark.parametrize(
    "damaged",
    [
        pytest.param("experiment", marks=pytest.mark.case("4.20a")),
        pytest.param("figure", marks=pytest.mark.case("4.20c")),
    ],
)
def test_a_build_never_serves_a_damaged_entry(clean, cache, caplog, monkeypatch, damaged):
    if damaged == "experiment":
        os.truncate(entry(clean, cache) / ARRAYS_FILE, 10)
    else:
        os.truncate(cache / clean["figure"], 500)
    with _in_process_executor(monkeypatch), caplog.at_level(logging.WARNING, logger=LOGGER):
        built = build_all(cache_dir=cache, only=NAME, **OPTIONS)
        lines = warnings_of(caplog)
        again = build_all(cache_dir=cache, only=NAME, **OPTIONS)
    assert len(lines) == 1, lines
    kind = "cache entry of" if damaged == "experiment" else "cached figure"
    assert lines[0].startswith(f"ganbook: discarding {kind} {NAME}: "), lines
    assert built.records[NAME].hit == (damaged == "figure")
    assert_identical(built.results[NAME], clean["results"][NAME])
    assert built.figures[NAME].path.read_bytes() == clean["figure_bytes"]
    assert again.records[NAME].hit
    assert not again.figures[NAME].rendered
    assert all(o.held for o in built.outcomes)


# ---- 4.13, 4.14: a cache that cannot be written ---------------------------------------------


@pytest.mark.case("4.13a")
def test_a_read_only_cache_of_hits_works(clean, cache, caplog):
    before = faults.tree_digest(cache)
    with faults.read_only(cache), caplog.at_level(logging.WARNING, logger=LOGGER):
        result, record = run_experiment(NAME, cache_dir=cache, **OPTIONS)
    assert record.hit
    assert_identical(result, clean["results"][NAME])
    assert warnings_of(caplog) == []
    assert faults.tree_digest(cache) == before


def _not_stored(caplog, name: str = NAME) -> list[str]:
    lines = warnings_of(caplog)
    assert lines, "no warning that the result was not stored"
    assert lines[-1].startswith(f"ganbook: the result of {name} was computed but not stored")
    return lines


@pytest.mark.case("4.13b")
def test_forcing_a_run_in_a_read_only_cache_keeps_the_result(clean, cache, caplog):
    before = faults.tree_digest(cache)
    with faults.read_only(cache), caplog.at_level(logging.WARNING, logger=LOGGER):
        result, record = run_experiment(NAME, cache_dir=cache, force=True, **OPTIONS)
    assert not record.hit
    assert_identical(result, clean["results"][NAME])
    assert len(_not_stored(caplog)) == 1
    assert faults.tree_digest(cache) == before


@pytest.mark.case("4.13c")
def test_a_corrupt_entry_in_a_read_only_cache_is_recomputed_in_memory(clean, cache, caplog):
    os.truncate(entry(clean, cache) / ARRAYS_FILE, 100)
    before = faults.tree_digest(cache)
    with faults.read_only(cache), caplog.at_level(logging.WARNING, logger=LOGGER):
        result, record = run_experiment(NAME, cache_dir=cache, **OPTIONS)
    assert not record.hit
    assert_identical(result, clean["results"][NAME])
    lines = _not_stored(caplog)
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"ganbook: discarding cache entry of {NAME}: ")
    assert faults.tree_digest(cache) == before  # the removal failed, quietly


@pytest.mark.case("4.13d")
def test_a_miss_in_a_read_only_cache_is_computed_and_not_stored(clean, tmp_path, caplog):
    cache = tmp_path / "empty"
    with faults.read_only(cache), caplog.at_level(logging.WARNING, logger=LOGGER):
        result, record = run_experiment(NAME, cache_dir=cache, **OPTIONS)
    assert not record.hit
    assert_identical(result, clean["results"][NAME])
    assert len(_not_stored(caplog)) == 1
    assert list(cache.iterdir()) == []


@pytest.mark.case("4.13e")
@pytest.mark.parametrize("digest", [True, False], ids=["hit", "older-cache"])
def test_figures_from_a_read_only_cache(clean, cache, tmp_path, caplog, digest):
    """All hits: served. A figure of an older cache (no digest) is drawn to a temporary file."""
    if not digest:
        figure_digest_path(cache / clean["figure"]).unlink()
    before = faults.tree_digest(cache)
    out = tmp_path / "figs"
    with faults.read_only(cache), caplog.at_level(logging.WARNING, logger=LOGGER):
        outcome = faults.cli(
            "figures", "--only", NAME, "--out", out, "--cache-dir", cache, *CLI_OPTIONS
        )
    assert outcome.rc == 0, outcome.text
    assert f"figure {NAME}: {'cache hit' if digest else 'rendered'}" in outcome.out
    assert (out / f"{NAME}.svg").read_bytes() == clean["figure_bytes"]
    assert faults.tree_digest(cache) == before
    lines = warnings_of(caplog)
    if digest:
        assert lines == []
    else:
        assert len(lines) == 1, lines
        assert lines[0].startswith(f"ganbook: figure {NAME} was rendered but not stored")


@pytest.mark.case("4.14")
def test_a_full_disk_keeps_the_result_and_leaves_nothing_half_written(clean, tmp_path, caplog):
    disk = tmp_path / "tiny"
    with faults.full_disk(disk), caplog.at_level(logging.WARNING, logger=LOGGER):
        result, record = run_experiment(NAME, cache_dir=disk / "cache", **OPTIONS)
        experiments = disk / "cache" / "experiments"
        left = list(experiments.iterdir()) if experiments.is_dir() else []
    assert not record.hit
    assert_identical(result, clean["results"][NAME])
    assert "No space left on device" in _not_stored(caplog)[-1]
    assert left == []


# ---- 4.16-4.18b: killed and concurrent writers -----------------------------------------------


def _fork(body) -> tuple[int, int]:
    """Run ``body(say)`` in a forked child; ``say(line)`` reports to the parent. (pid, fd)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never back into pytest
        code = 1
        try:
            os.close(read)

            def say(line: str) -> None:
                os.write(write, (line + "\n").encode())

            body(say)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _wait_for(fd: int, marker: str, timeout: float = 30.0) -> str:
    seen, deadline = "", time.monotonic() + timeout
    while marker not in seen:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(fd, 4096).decode() if ready else ""
        if not chunk:
            raise AssertionError(f"the child never said {marker!r}; it said {seen!r}")
        seen += chunk
    return seen


def _kill(pid: int, fd: int) -> int:
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return status


def _hang_in_compute(cache: Path):
    """A child's body: run ``NAME`` with ``--force``, and hang in its computation."""

    def body(say):
        def hang(*_args, **_kwargs):
            say("COMPUTING")
            time.sleep(60)

        runner.compute_result = hang  # the child's copy of the module
        run_experiment(NAME, cache_dir=cache, force=True, **OPTIONS)

    return body


@needs_fork
@pytest.mark.parametrize(
    "entry_there",
    [
        pytest.param(True, marks=pytest.mark.case("4.16")),
        pytest.param(False, marks=pytest.mark.case("4.16b")),
    ],
)
def test_a_run_killed_mid_experiment_leaves_the_cache_as_it_was(clean, cache, caplog, entry_there):
    if not entry_there:
        shutil.rmtree(entry(clean, cache))
    before = faults.tree_digest(cache)
    status = _kill(*_wait(_fork(_hang_in_compute(cache)), "COMPUTING"))
    assert os.WIFSIGNALED(status)
    assert faults.tree_digest(cache) == before
    assert hidden(cache) == []
    if entry_there:
        result, record = run_experiment(NAME, cache_dir=cache, **OPTIONS)
        assert record.hit
        assert_identical(result, clean["results"][NAME])
    else:
        recovers(clean, cache, caplog, discarded=False)


def _wait(started: tuple[int, int], marker: str) -> tuple[int, int]:
    _wait_for(started[1], marker)
    return started


@needs_fork
@pytest.mark.case("4.17")
def test_a_run_killed_while_saving_leaves_the_old_entry_and_its_leftover_is_swept(clean, cache):
    before = faults.tree_digest(cache)
    result = clean["results"][NAME]
    target, key = entry(clean, cache), clean["keys"][NAME]

    def save_slowly(say):
        real = result_module._swap_in

        def slow(*args):
            say("SAVING")  # the staging directory is complete, not yet renamed in
            time.sleep(60)
            real(*args)

        result_module._swap_in = slow
        save_result(result, target, key)

    _kill(*_wait(_fork(save_slowly), "SAVING"))
    leftovers = [cache / "experiments" / name for name in hidden(cache)]
    assert len(leftovers) == 1, leftovers
    assert leftovers[0].is_dir()
    again, record = run_experiment(NAME, cache_dir=cache, **OPTIONS)
    assert record.hit  # the old entry, intact
    assert_identical(again, clean["results"][NAME])
    # a recent leftover of a dead writer is kept a minute (another host's pid may look dead)
    assert leftovers[0].exists()
    minutes_ago = time.time() - 120
    os.utime(leftovers[0], (minutes_ago, minutes_ago))
    assert [path for path, _ in prune_cache(cache, dry_run=True).removed] == leftovers
    run_experiment(NAME, cache_dir=cache, **OPTIONS)  # opening the cache sweeps it
    assert hidden(cache) == []
    assert faults.tree_digest(cache) == before


@needs_fork
@pytest.mark.case("4.18")
def test_two_writers_of_one_entry_do_not_crash_each_other(clean, cache):
    """Both pause before each rename into the entry, so that their swaps interleave."""
    result = clean["results"][NAME]
    target, key = entry(clean, cache), clean["keys"][NAME]
    gate = cache.parent / "gate"
    gate.mkdir()

    def writer(say):
        real = os.rename

        def slow_rename(src, dst):
            if Path(dst) == target:
                time.sleep(0.5)
            real(src, dst)

        result_module.os.rename = slow_rename  # the child's own os module
        (gate / str(os.getpid())).touch()
        while len(list(gate.iterdir())) < 2:
            time.sleep(0.01)
        save_result(result, target, key)
        say("SAVED")

    children = [_fork(writer) for _ in range(2)]
    for pid, fd in children:
        said = _wait_for(fd, "SAVED")
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        assert os.WIFEXITED(status), said
        assert os.WEXITSTATUS(status) == 0, said
    assert_identical(load_result(target, key), clean["results"][NAME])
    assert hidden(cache) == []


@pytest.mark.case("4.18b")
def test_concurrent_first_writers_all_succeed(clean, tmp_path):
    result, key = clean["results"][NAME], clean["keys"][NAME]
    for trial in range(10):
        target = entry_path(tmp_path / f"c{trial}", NAME, key)
        barrier = threading.Barrier(3)
        real_swap = result_module._swap_in
        errors = []

        def swap_together(*args, real_swap=real_swap, barrier=barrier):
            barrier.wait(timeout=10)
            real_swap(*args)

        def write(target=target, errors=errors):
            try:
                save_result(result, target, key)
            except BaseException as error:  # any escape is the failure
                errors.append(error)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(result_module, "_swap_in", swap_together)
            threads = [threading.Thread(target=write) for _ in range(3)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        assert errors == []
        assert_identical(load_result(target, key), result)
        assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_an_entry_of_the_older_format_is_recomputed_quietly(clean, cache, caplog):
    """Entries written before the digest (format 1) are recomputed, with no warning."""

    def older(record):
        record["format"] = 1
        del record["digest"]
        return record

    rewrite_record(entry(clean, cache) / RESULT_FILE, older)
    recovers(clean, cache, caplog, discarded=False)
