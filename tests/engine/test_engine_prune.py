"""``ganbook cache prune``: what the current book no longer reaches goes, the rest stays."""

from __future__ import annotations

import json
import os
import time

from ganbook.cli import main
from ganbook.engine.build import render_figure
from ganbook.engine.cache import prune_cache
from ganbook.engine.registry import experiment
from ganbook.engine.result import ExperimentResult
from ganbook.engine.runner import entry_path, run_experiment

pytest_plugins = ["engine_fixtures"]
OPTIONS = {"profile": "test", "device": "cpu"}


def size(path) -> int:
    """The bytes of ``path``, with its digest file for a figure (they go together)."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*"))
    digest = path.with_name(path.name + ".sha256")
    return path.stat().st_size + (digest.stat().st_size if digest.is_file() else 0)


def populate(toys, cache):
    """A cache with current entries and every kind of unreachable one; return both sets."""
    toys(n="8")
    _, old_base = run_experiment("toy_base", cache_dir=cache, **OPTIONS)  # then its code changes
    old_figure = render_figure("toy_figure", cache_dir=cache, **OPTIONS).path

    toys()

    @experiment("toy_removed", uses_torch_device=False)
    def toy_removed(_params, _context):
        return ExperimentResult(scalars={"x": 1})

    _, removed = run_experiment("toy_removed", cache_dir=cache, **OPTIONS)
    toys()  # toy_removed is no longer registered
    current = {
        entry_path(cache, name, run_experiment(name, cache_dir=cache, **OPTIONS)[1].key)
        for name in ("toy_base", "toy_scaled", "shift_toy_gradients")
    }
    shifted = entry_path(
        cache,
        "toy_base",
        run_experiment("toy_base", cache_dir=cache, seed_offset=2, **OPTIONS)[1].key,
    )
    one_thread = run_experiment("toy_base", cache_dir=cache, threads=1, **OPTIONS)[1]
    current |= {entry_path(cache, "toy_base", one_thread.key)}
    figure = render_figure("toy_figure", cache_dir=cache, **OPTIONS).path
    staging = cache / "experiments" / ".toy_base-0123.tmp"
    staging.mkdir()
    (staging / "arrays.npz").write_bytes(b"half written")
    hours_ago = time.time() - 2 * 3600
    os.utime(staging, (hours_ago, hours_ago))  # a leftover; a recent one may be a write going on
    in_progress = cache / "experiments" / f".toy_base-4567.{os.getpid()}.abcdefgh"
    in_progress.mkdir()
    unreadable = cache / "experiments" / "toy_scaled-000000000000000000000000"
    unreadable.mkdir()
    (unreadable / "result.json").write_text("{not json")
    # an entry stored under a key that its record does not hold (copied by hand, say)
    foreign = cache / "experiments" / f"toy_base-{'f' * 24}"
    foreign.mkdir()
    record = json.loads((entry_path(cache, "toy_base", one_thread.key) / "result.json").read_text())
    (foreign / "result.json").write_text(json.dumps(record))
    stray = cache / "figures" / "gone_figure-0123456789abcdef01234567.svg"
    stray.write_text("<svg/>")
    unreachable = {
        entry_path(cache, "toy_base", old_base.key),
        entry_path(cache, "toy_removed", removed.key),
        old_figure,
        staging,
        unreadable,
        foreign,
        stray,
    }
    return (
        current | {figure, figure.with_name(figure.name + ".sha256"), in_progress},
        unreachable,
        shifted,
    )


def test_prune_removes_exactly_what_the_book_no_longer_reaches(toys, tmp_path):
    cache = tmp_path / "cache"
    reachable, unreachable, shifted = populate(toys, cache)
    sizes = {path: size(path) for path in unreachable}
    lines = []
    dry = prune_cache(cache, dry_run=True, report=lines.append)
    assert {path for path, _ in dry.removed} == unreachable
    assert all(path.exists() for path in unreachable), "a dry run removes nothing"
    assert lines[-1].startswith(f"would remove {len(unreachable)} entries")

    done = prune_cache(cache)
    assert {path for path, _ in done.removed} == unreachable
    assert done.freed == sum(sizes.values()) > 0
    assert not any(path.exists() for path in unreachable)
    assert not any(path.with_name(path.name + ".sha256").exists() for path in unreachable)
    assert all(path.exists() for path in reachable | {shifted})
    # what was kept is still a cache hit
    assert run_experiment("toy_scaled", cache_dir=cache, **OPTIONS)[1].hit
    assert not render_figure("toy_figure", cache_dir=cache, **OPTIONS).rendered

    again = prune_cache(cache, keep_offsets=False)
    assert [path for path, _ in again.removed] == [shifted]
    assert prune_cache(cache).removed == []


def test_the_cache_prune_command_prints_each_removal_and_the_bytes_freed(toys, tmp_path, capsys):
    cache = tmp_path / "cache"
    _, unreachable, _ = populate(toys, cache)
    assert main(["cache", "prune", "--cache-dir", str(cache), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.count("would remove ") == len(unreachable) + 1
    assert all(path.exists() for path in unreachable)
    assert main(["cache", "prune", "--cache-dir", str(cache)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(unreachable) + 1
    assert out[-1].startswith(f"removed {len(unreachable)} entries, ")
    assert "freed" in out[-1]
    assert not any(path.exists() for path in unreachable)
