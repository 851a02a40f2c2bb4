"""The ``ganbook`` command line, as a user runs it (``python -m ganbook``)."""

from __future__ import annotations

import subprocess
import sys

from ganbook.experiments import experiment_names
from ganbook.figures import figure_names


def ganbook(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ganbook", *args], capture_output=True, text=True, check=False
    )


def test_list_names_every_experiment_and_figure():
    result = ganbook("list")
    assert result.returncode == 0
    for name in experiment_names() + figure_names():
        assert name in result.stdout


def test_run_prints_the_scalars_and_caches(tmp_path):
    args = ("run", "shift_toy_densities", "--profile", "test", "--cache-dir", str(tmp_path))
    first, second = ganbook(*args), ganbook(*args)
    assert "computed" in first.stdout and "max_gap_to_logistic" in first.stdout
    assert "cache hit" in second.stdout


def test_unknown_experiment_is_one_line_naming_it(tmp_path):
    result = ganbook("run", "no_such_thing", "--cache-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "no_such_thing" in result.stderr


def test_train_is_wired_into_the_main_command(tmp_path):
    bad = ganbook(
        "train",
        "ring",
        "--loss",
        "nope",
        "--steps",
        "3",
        "--seed",
        "0",
        "--out",
        str(tmp_path / "x"),
    )
    assert bad.returncode != 0 and "unknown loss 'nope'" in bad.stderr
    assert not (tmp_path / "x").exists()
    good = ganbook(
        "train",
        "gaussian1d",
        "--loss",
        "least-squares",
        "--dry-run",
        "--seed",
        "0",
        "--steps",
        "10",
        "--out",
        str(tmp_path / "y"),
    )
    assert good.returncode == 0, good.stderr
    assert (tmp_path / "y" / "history.npz").is_file()


def test_unknown_device_is_a_clear_error(tmp_path):
    result = ganbook("run", "shift_toy_densities", "--device", "tpu", "--cache-dir", str(tmp_path))
    assert result.returncode == 2 and "unknown device 'tpu'" in result.stderr
