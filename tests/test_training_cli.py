"""``ganbook train``: the files it writes, one-line errors, identical runs in fresh processes."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest
import torch

from ganbook.apps.datasets import DATASETS
from ganbook.apps.train_cli import add_train_command, main, run_train
from ganbook.training import History, load_checkpoint

FILES = ["checkpoint.pt", "history.json", "history.npz", "history.timing.json", "samples.png"]


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ganbook")
    add_train_command(parser.add_subparsers(dest="command"))
    return parser.parse_args(["train", *argv])


def test_the_lead_command_writes_the_run(tmp_path, capsys):
    out = tmp_path / "x"
    args = parse("ring", "--loss", "wgan-gp", "--steps", "3", "--seed", "1", "--out", str(out))
    assert run_train(args) == 0
    assert sorted(p.name for p in out.iterdir()) == FILES
    history = History.load(out / "history")
    assert history.steps.tolist() == [1, 2, 3]
    assert history.metadata["config"]["loss"] == "wgan-gp"
    assert history.metadata["config"]["seed"] == 1
    assert load_checkpoint(out / "checkpoint.pt")["step"] == 3
    assert (out / "samples.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "ring/wgan-gp: 3 steps" in capsys.readouterr().out


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_a_dry_run_trains_three_steps_on_every_dataset(tmp_path, dataset):
    out = tmp_path / dataset
    assert main(["train", dataset, "--dry-run", "--steps", "500", "--out", str(out)]) == 0
    assert History.load(out / "history").steps.tolist() == [1, 2, 3]


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["mnist"], "unknown dataset 'mnist'"),
        (["ring", "--loss", "vanilla"], "unknown loss 'vanilla'"),
        (["ring", "--steps", "0"], "steps must be at least 1"),
        (["ring", "--device", "tpu"], "unknown device 'tpu'"),
    ],
)
def test_a_bad_argument_exits_2_with_one_line_naming_it(tmp_path, capsys, argv, named):
    out = tmp_path / "out"
    assert main(["train", *argv, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    assert named in captured.err
    assert captured.err.startswith("ganbook train: error:")
    assert "Traceback" not in captured.err
    assert not out.exists()


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_on_a_machine_without_one_exits_2(tmp_path, capsys):
    assert main(["train", "ring", "--dry-run", "--device", "cuda", "--out", str(tmp_path)]) == 2
    assert "no CUDA GPU" in capsys.readouterr().err


def test_a_diverged_run_exits_1_with_one_line(tmp_path, capsys, monkeypatch):
    from ganbook.training import TrainingDivergedError

    def diverge(*_args, **_kwargs):
        raise TrainingDivergedError(2, "g_loss", "minimax", float("nan"))

    monkeypatch.setattr("ganbook.apps.train_cli.train", diverge)
    assert main(["train", "ring", "--dry-run", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "step 2" in err
    assert "generator" in err
    assert not (tmp_path / "out").exists()


def _same(a, b) -> bool:
    """Whether two loaded checkpoints hold the same values (tensors bitwise), recursively."""
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and a.dtype == b.dtype and torch.equal(a, b)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _cli(out, *argv: str) -> None:
    command = [sys.executable, "-m", "ganbook.apps.train_cli", "train", *argv, "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


@pytest.mark.parametrize(
    "argv",
    [
        # the command, with 40 steps instead of 200 to keep the suite fast
        ("ring", "--loss", "wgan-gp", "--steps", "40", "--seed", "1"),
        # convolutions with two threads: their bits depend on the pinned thread count
        ("digits", "--loss", "non-saturating", "--steps", "6", "--seed", "2", "--threads", "2"),
    ],
    ids=["ring-wgan-gp", "digits-2-threads"],
)
def test_two_fresh_processes_write_identical_files(tmp_path, argv):
    _cli(tmp_path / "a", *argv)
    _cli(tmp_path / "b", *argv)
    for name in ["history.npz", "history.json", "samples.png"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    # torch.save stamps each file with a random serialization id: compare what it holds,
    # all of it but the wall-clock times
    checkpoints = [load_checkpoint(tmp_path / run / "checkpoint.pt") for run in ("a", "b")]
    for checkpoint in checkpoints:
        del checkpoint["wall_time"]
    assert _same(*checkpoints)
    a, b = History.load(tmp_path / "a" / "history"), History.load(tmp_path / "b" / "history")
    assert a.identical(b)
    assert a.steps.size == int(argv[argv.index("--steps") + 1])
