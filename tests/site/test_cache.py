"""The content-addressed cache: hits, what an edit invalidates, corruption, interruption, bytes.

Edits are made to a copy of the package in a temporary directory, run through the real CLI in a
subprocess, so the repository itself is never touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ganbook.engine import run_experiment
from ganbook.engine.result import ARRAYS_FILE
from ganbook.engine.runner import entry_path

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def package_copy(tmp_path) -> Path:
    """A private copy of the ganbook package, importable from the returned directory."""
    shutil.copytree(
        ROOT / "ganbook", tmp_path / "ganbook", ignore=shutil.ignore_patterns("__pycache__")
    )
    return tmp_path


def run_cli(package_root: Path, *args: str, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(package_root), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "ganbook",
            *args,
            "--only",
            "shift_toy",
            "--profile",
            "test",
            "--device",
            "cpu",
            "--cache-dir",
            str(cache),
        ],
        cwd=package_root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def states(output: str) -> dict[str, str]:
    """``{"experiment NAME" or "figure NAME": "computed" | "cache hit" | "rendered"}``."""
    found = {}
    for line in output.splitlines():
        if line.startswith(("experiment ", "figure ")):
            name, _, rest = line.partition(": ")
            found[name] = "cache hit" if rest.startswith("cache hit") else rest.split(" in ")[0]
    return found


def test_second_run_computes_nothing(package_copy, tmp_path):
    cache = tmp_path / "cache"
    first = states(
        run_cli(package_copy, "figures", "--out", str(tmp_path / "a"), cache=cache).stdout
    )
    assert first
    assert all(state in ("computed", "rendered") for state in first.values())
    second = states(
        run_cli(package_copy, "figures", "--out", str(tmp_path / "b"), cache=cache).stdout
    )
    assert set(second) == set(first)
    assert all(state == "cache hit" for state in second.values()), second


def test_editing_a_figure_redraws_it_without_rerunning_its_experiment(package_copy, tmp_path):
    cache = tmp_path / "cache"
    run_cli(package_copy, "figures", "--out", str(tmp_path / "a"), cache=cache)
    drawing = package_copy / "ganbook" / "book" / "part1" / "shift_toy" / "figures.py"
    drawing.write_text(drawing.read_text().replace('"value"', '"value of the game"'))
    after = states(
        run_cli(package_copy, "figures", "--out", str(tmp_path / "b"), cache=cache).stdout
    )
    assert after["figure shift_toy_value_vs_js"] == "rendered"
    assert after["experiment shift_toy_value"] == "cache hit"
    assert all(state == "cache hit" for name, state in after.items() if name.startswith("exp"))
    assert (tmp_path / "a" / "shift_toy_value_vs_js.svg").read_bytes() != (
        tmp_path / "b" / "shift_toy_value_vs_js.svg"
    ).read_bytes()


def test_editing_an_experiment_reruns_it_and_redraws_its_figures(package_copy, tmp_path):
    cache = tmp_path / "cache"
    run_cli(package_copy, "figures", "--out", str(tmp_path / "a"), cache=cache)
    code = package_copy / "ganbook" / "book" / "part1" / "shift_toy" / "experiments.py"
    code.write_text(code.read_text() + "\n# an edit that changes no number still invalidates\n")
    after = states(
        run_cli(package_copy, "figures", "--out", str(tmp_path / "b"), cache=cache).stdout
    )
    assert after["experiment shift_toy_value"] == "computed"
    assert after["figure shift_toy_value_vs_js"] == "rendered"


def test_editing_code_an_experiment_imports_reruns_it(package_copy, tmp_path):
    cache = tmp_path / "cache"
    run_cli(package_copy, "figures", "--out", str(tmp_path / "a"), cache=cache)
    losses = package_copy / "ganbook" / "losses" / "minimax.py"
    losses.write_text(losses.read_text() + "\n# edited\n")
    after = states(
        run_cli(package_copy, "figures", "--out", str(tmp_path / "b"), cache=cache).stdout
    )
    assert after["experiment shift_toy_gradients"] == "computed"


def test_two_cold_runs_give_byte_identical_figures(package_copy, tmp_path):
    for name in ("a", "b"):
        run_cli(package_copy, "figures", "--out", str(tmp_path / name), cache=tmp_path / f"c{name}")
    files_a = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files_a == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert files_a
    for name in files_a:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_a_corrupt_entry_is_discarded_and_recomputed(tmp_path):
    options = {"profile": "test", "device": "cpu", "cache_dir": tmp_path}
    first, record = run_experiment("shift_toy_gradients", **options)
    entry = entry_path(tmp_path, "shift_toy_gradients", record.key)
    (entry / ARRAYS_FILE).write_bytes(b"not an npz file")
    again, again_record = run_experiment("shift_toy_gradients", **options)
    assert not again_record.hit
    np.testing.assert_array_equal(again.arrays["saturating"], first.arrays["saturating"])
    assert run_experiment("shift_toy_gradients", **options)[1].hit


def test_a_foreign_entry_is_not_trusted(tmp_path):
    options = {"profile": "test", "device": "cpu", "cache_dir": tmp_path}
    _, record = run_experiment("shift_toy_densities", **options)
    _, other = run_experiment("shift_toy_gradients", **options)
    mine = entry_path(tmp_path, "shift_toy_densities", record.key)
    shutil.rmtree(mine)
    shutil.copytree(entry_path(tmp_path, "shift_toy_gradients", other.key), mine)
    result, again = run_experiment("shift_toy_densities", **options)
    assert not again.hit
    assert "d_star" in result.arrays


def test_a_failure_while_saving_leaves_no_entry_and_keeps_the_result(tmp_path, monkeypatch, caplog):
    import ganbook.engine.result as result_module

    def broken_savez(*_args, **_kwargs):
        raise OSError("disk full")

    options = {"profile": "test", "device": "cpu"}
    clean, _ = run_experiment("shift_toy_densities", **options, cache_dir=tmp_path / "clean")
    monkeypatch.setattr(result_module.np, "savez", broken_savez)
    result, record = run_experiment("shift_toy_densities", **options, cache_dir=tmp_path / "c")
    assert not record.hit
    np.testing.assert_array_equal(result.arrays["d_star"], clean.arrays["d_star"])
    assert "not stored in the cache" in caplog.text
    assert "disk full" in caplog.text
    assert list((tmp_path / "c" / "experiments").iterdir()) == []


def test_a_run_killed_mid_experiment_leaves_no_entry(tmp_path):
    cache = tmp_path / "cache"
    # the standard profile of this experiment takes a few seconds: kill it half-way
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ganbook",
            "run",
            "shift_toy_value",
            "--device",
            "cpu",
            "--cache-dir",
            str(cache),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.5)
    assert process.poll() is None, "the experiment finished before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.wait()
    entries = list((cache / "experiments").glob("*")) if (cache / "experiments").exists() else []
    assert [p for p in entries if not p.name.startswith(".")] == []
    _, record = run_experiment("shift_toy_value", profile="test", device="cpu", cache_dir=cache)
    assert not record.hit
