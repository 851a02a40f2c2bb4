"""``ganbook train`` as a careless or unlucky user runs it: rows 1.01–1.18, 1.32, 3.x, 4.15, 4.19.

Every failure must be one line and an exit status, before any training step where it can be
known then; and no run is ever lost or mixed with another: the folder given to ``--out`` holds
the old run (or nothing) or the complete new one, whatever is killed, full or interrupted when.
Runs are 3–6 steps of the ``ring`` dataset; the three cases that need a real signal (SIGINT,
SIGKILL) run in subprocesses started together, once per module.
"""

from __future__ import annotations

import dataclasses
import errno
import math
import os
import signal
from pathlib import Path

import faults
import numpy as np
import pytest
import torch

from ganbook.apps import datasets
from ganbook.apps.train_cli import RUN_FILES
from ganbook.data import eight_gaussians
from ganbook.models import MLPDiscriminator, MLPGenerator
from ganbook.training import SERIES, History, TrainConfig, TrainingDivergedError, train

NEW = ("ring", "--loss", "hinge", "--steps", "6", "--seed", "1")  # the run under test
OLD = ("ring", "--loss", "non-saturating", "--steps", "4", "--seed", "2")  # what --out held


def run(out: Path, *argv: str) -> faults.Outcome:
    return faults.cli("train", *argv, "--out", out)


def siblings(out: Path) -> list[str]:
    """What lies beside ``out`` in its parent, ``out`` included (stages, leftovers)."""
    return sorted(p.name for p in out.parent.iterdir()) if out.parent.is_dir() else []


def same_run(a: Path, b: Path) -> None:
    """Two run folders hold the same run: the same arrays, PNG and weights (not wall times)."""
    assert sorted(p.name for p in a.iterdir()) == sorted(RUN_FILES)
    assert History.load(a / "history").identical(History.load(b / "history"))
    assert (a / "samples.png").read_bytes() == (b / "samples.png").read_bytes()
    weights = [torch.load(r / "checkpoint.pt", weights_only=True) for r in (a, b)]
    for key in ("generator", "discriminator", "rows"):
        left, right = weights[0][key], weights[1][key]
        if isinstance(left, dict):
            assert all(torch.equal(left[k], right[k]) for k in left), key
        else:
            assert torch.equal(left, right), key


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    """The NEW run, trained without any fault into a fresh folder: what recoveries must equal."""
    out = tmp_path_factory.mktemp("clean") / "run"
    assert run(out, *NEW).rc == 0
    return out


@pytest.fixture
def old_run(tmp_path) -> tuple[Path, dict[str, bytes]]:
    """A folder holding the OLD run, and its digest."""
    out = tmp_path / "run"
    assert run(out, *OLD).rc == 0
    return out, faults.tree_digest(out)


def forbid_training(monkeypatch) -> None:
    """Fail the test if a training step is taken (the fault had to be found before)."""
    import ganbook.apps.train_cli as cli

    def refuse(*_args, **_kwargs):
        pytest.fail("training started although the error was knowable before it")

    monkeypatch.setattr(cli, "train", refuse)


def case(case_id: str, *values):
    """One parameter set proving row ``case_id`` of the review."""
    return pytest.param(*values, marks=pytest.mark.case(case_id), id=case_id)


def ring_with(monkeypatch, **overrides) -> None:
    """The ring dataset with ``overrides`` of its config (the CLI has no --lr option)."""
    ring = datasets.DATASETS["ring"]
    changed = dataclasses.replace(ring, overrides={**ring.overrides, **overrides})
    monkeypatch.setitem(datasets.DATASETS, "ring", changed)


# -- 1. bad arguments: one line, exit 2, nothing written ------------------------------------


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        case("1.01", ["nope"], ["unknown dataset 'nope'"]),
        case("1.02", ["ring", "--loss", "nope"], ["unknown loss 'nope'"]),
        case("1.03", ["ring", "--lr", "-1"], ["--lr"]),
        case("1.04", ["ring", "--steps", "0"], ["steps must be at least 1, got 0"]),
        case("1.05", ["ring", "--steps", "-1"], ["steps must be at least 1, got -1"]),
        case("1.06", ["ring", "--steps", "1e12"], ["--steps", "1e12"]),
        case("1.08", ["ring", "--batch-size", "0"], ["--batch-size"]),
        case("1.13", ["ring", "--threads", "0"], ["threads must be at least 1"]),
        case("1.14", ["ring", "--seed", "-1"], ["seed must be non-negative"]),
    ],
)
def test_a_bad_argument_is_one_line_and_nothing_is_written(tmp_path, argv, words, monkeypatch):
    forbid_training(monkeypatch)
    out = tmp_path / "run"
    outcome = run(out, *argv)
    faults.assert_clear_error(outcome, *words)
    assert outcome.rc == 2
    assert siblings(out) == []


@pytest.mark.case("1.03a")
@pytest.mark.parametrize("lr", [-1.0, 0.0])
def test_a_non_positive_learning_rate_is_a_value_error(lr):
    with pytest.raises(ValueError, match=f"d_lr must be positive, got {lr}"):
        TrainConfig.for_loss("wgan-gp", d_lr=lr)


@pytest.mark.case("1.03b")
@pytest.mark.parametrize(
    ("value", "error", "words"),
    [
        (math.nan, ValueError, "g_lr must be finite, got nan"),
        (math.inf, ValueError, "g_lr must be finite, got inf"),
        ("1e-3", TypeError, "g_lr must be a real number, got str"),
    ],
)
def test_a_learning_rate_that_is_no_number_is_refused(value, error, words):
    with pytest.raises(error, match=words):
        TrainConfig.for_loss("wgan-gp", g_lr=value)


@pytest.mark.case("1.03c")
def test_a_nan_learning_rate_through_the_cli_is_one_line(tmp_path, monkeypatch):
    forbid_training(monkeypatch)
    ring_with(monkeypatch, d_lr=math.nan, g_lr=math.nan)
    outcome = run(tmp_path / "run", "ring", "--loss", "wgan-gp", "--steps", "3")
    faults.assert_clear_error(outcome, "d_lr must be finite, got nan")
    assert outcome.rc == 2
    assert siblings(tmp_path / "run") == []


@pytest.mark.case("1.07")
def test_more_steps_than_memory_holds_are_refused_before_allocating(tmp_path):
    out = tmp_path / "run"
    outcome = run(out, "ring", "--loss", "wgan-gp", "--steps", "1000000000000")
    faults.assert_clear_error(outcome, "steps=1000000000000", "memory")
    assert outcome.rc == 2
    assert siblings(out) == []  # the stage made to probe --out is gone


@pytest.mark.case("1.08")
@pytest.mark.parametrize(
    ("batch_size", "error", "words"),
    [
        (0, ValueError, "batch_size must be at least 1, got 0"),
        (-5, ValueError, "batch_size must be at least 1, got -5"),
        (2.5, TypeError, "batch_size must be an int, got float"),
    ],
)
def test_a_bad_batch_size_is_refused_by_the_config(batch_size, error, words):
    with pytest.raises(error, match=words):
        TrainConfig(batch_size=batch_size)


# -- 1.15–1.17: an --out that cannot be written fails before the first step -----------------


@pytest.mark.case("1.15")
def test_an_out_that_is_a_file_fails_before_training(tmp_path, monkeypatch):
    forbid_training(monkeypatch)
    out = tmp_path / "o_file.txt"
    out.write_text("x\n")
    outcome = run(out, *NEW)
    faults.assert_clear_error(outcome, str(out), "not a folder")
    assert out.read_text() == "x\n"
    assert siblings(out) == ["o_file.txt"]


@pytest.mark.case("1.16")
def test_a_read_only_out_fails_before_training(tmp_path, monkeypatch):
    forbid_training(monkeypatch)
    out = tmp_path / "ro"
    with faults.read_only(out):
        outcome = run(out, *NEW)
    faults.assert_clear_error(outcome, str(out), "Read-only file system")
    assert siblings(out) == ["ro"]
    assert list(out.iterdir()) == []


@pytest.mark.case("1.17")
def test_an_out_inside_a_read_only_folder_fails_before_training(tmp_path, monkeypatch):
    forbid_training(monkeypatch)
    parent = tmp_path / "ro"
    with faults.read_only(parent):
        outcome = run(parent / "sub", *NEW)
    faults.assert_clear_error(outcome, str(parent / "sub"), "Read-only file system")
    assert list(parent.iterdir()) == []


# -- 1.18: an existing run is refused, replaced whole, or resumed ---------------------------


@pytest.mark.case("1.18")
def test_an_existing_run_is_refused_without_overwrite_or_resume(old_run, monkeypatch):
    forbid_training(monkeypatch)
    out, before = old_run
    outcome = run(out, *NEW)
    faults.assert_clear_error(outcome, str(out), "already holds a run", "--overwrite", "--resume")
    assert outcome.rc == 2
    assert faults.tree_digest(out) == before


@pytest.mark.case("1.18")
def test_a_folder_with_other_files_is_never_replaced(old_run, monkeypatch):
    forbid_training(monkeypatch)
    out, _ = old_run
    (out / "notes.txt").write_text("my notes")
    before = faults.tree_digest(out)
    for flags in ([], ["--overwrite"], ["--resume"]):
        outcome = run(out, *NEW, *flags)
        faults.assert_clear_error(outcome, str(out), "notes.txt")
        assert faults.tree_digest(out) == before
    other = out.parent / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"cat")
    faults.assert_clear_error(run(other, *NEW), str(other), "not empty")


@pytest.mark.case("1.18")
def test_overwrite_replaces_the_run_whole(old_run, clean):
    out, _ = old_run
    assert run(out, *NEW, "--overwrite").rc == 0
    same_run(out, clean)
    assert siblings(out) == ["run"]


@pytest.mark.case("1.18")
def test_resume_continues_the_run_to_the_same_numbers(tmp_path, clean):
    out = tmp_path / "run"
    assert run(out, *NEW[:-4], "--steps", "3", "--seed", "1").rc == 0
    outcome = run(out, *NEW, "--resume")
    assert outcome.rc == 0, outcome.text
    resumed, whole = History.load(out / "history"), History.load(clean / "history")
    for name in SERIES:
        np.testing.assert_array_equal(getattr(resumed, name), getattr(whole, name))
    np.testing.assert_array_equal(resumed.snapshots[-1], whole.snapshots[-1])
    assert (out / "samples.png").read_bytes() == (clean / "samples.png").read_bytes()
    assert siblings(out) == ["run"]


@pytest.mark.case("1.18")
def test_resume_needs_a_checkpoint(tmp_path, monkeypatch):
    forbid_training(monkeypatch)
    faults.assert_clear_error(run(tmp_path / "run", *NEW, "--resume"), "no checkpoint.pt")


# -- 3. divergence -------------------------------------------------------------------------

LOSSES = [
    "non-saturating",
    "wgan-gp",
    "least-squares",
    "hinge",
    "minimax",
    "wasserstein",
    "relativistic",
]


@pytest.mark.case("3.01")
@pytest.mark.parametrize("loss", LOSSES)
def test_a_huge_learning_rate_diverges_with_one_line_and_writes_nothing(
    tmp_path, monkeypatch, loss
):
    ring_with(monkeypatch, d_lr=1e6, g_lr=1e6)
    out = tmp_path / "run"
    outcome = run(out, "ring", "--loss", loss, "--steps", "5")
    faults.assert_clear_error(outcome, "training diverged at step", f"loss {loss!r}")
    assert outcome.rc == 1
    assert siblings(out) == []


def _nan_from(call: int):
    """Ring data whose ``call``-th batch (1-based) and later ones are NaN."""
    calls = []

    def data(n, generator):
        calls.append(n)
        x = eight_gaussians(n, generator=generator)
        return x.fill_(math.nan) if len(calls) >= call else x

    return data


def _small():
    rng = torch.Generator().manual_seed(0)
    return MLPGenerator(hidden=16, generator=rng), MLPDiscriminator(hidden=16, generator=rng)


@pytest.mark.parametrize(
    ("loss", "call", "step"),
    [
        case("3.02", "non-saturating", 7, 7),
        case("3.03", "wgan-gp", 20, 4),  # n_critic = 5
    ],
)
def test_nan_data_stops_the_run_at_its_step_and_writes_nothing(tmp_path, loss, call, step):
    config = TrainConfig.for_loss(loss, steps=10, batch_size=32, snapshot_size=8, device="cpu")
    with pytest.raises(TrainingDivergedError) as caught:
        train(*_small(), _nan_from(call), config, progress=False, checkpoint=tmp_path / "c.pt")
    assert (caught.value.step, caught.value.network, caught.value.series) == (
        step,
        "discriminator",
        "d_loss",
    )
    assert f"at step {step}" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.case("3.04")
@pytest.mark.parametrize("flags", [[], ["--overwrite"]])
def test_a_diverged_run_leaves_the_earlier_run_alone(old_run, monkeypatch, flags):
    out, before = old_run
    ring_with(monkeypatch, d_lr=1e6, g_lr=1e6)
    outcome = run(out, "ring", "--loss", "hinge", "--steps", "3", *flags)
    faults.assert_clear_error(outcome)
    assert faults.tree_digest(out) == before
    assert siblings(out) == ["run"]


# -- 4.15: a full disk ---------------------------------------------------------------------


@pytest.mark.case("4.15")
def test_a_full_disk_fails_before_training(tmp_path, monkeypatch):
    forbid_training(monkeypatch)
    disk = tmp_path / "tiny"
    with faults.full_disk(disk, 256):
        outcome = run(disk / "run", *NEW)
        leftovers = [p.name for p in disk.iterdir() if p.name != ".filler"]
    faults.assert_clear_error(outcome, str(disk / "run"), "No space left on device")
    assert leftovers == []


@pytest.mark.case("4.15")
@pytest.mark.parametrize("over_old_run", [False, True], ids=["fresh", "over-old-run"])
def test_a_disk_full_between_checkpoint_and_samples_loses_nothing(
    tmp_path, monkeypatch, over_old_run
):
    import ganbook.apps.train_cli as cli

    out = tmp_path / "run"
    if over_old_run:
        assert run(out, *OLD).rc == 0
    before = faults.tree_digest(out) if over_old_run else None

    def full(path, *_args, **_kwargs):
        assert (Path(path).parent / "checkpoint.pt").is_file()  # the checkpoint was written
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(cli, "write_samples_png", full)
    outcome = run(out, *NEW, *(["--overwrite"] if over_old_run else []))
    faults.assert_clear_error(outcome, "No space left on device", "samples.png")
    assert outcome.rc == 1
    if over_old_run:
        assert faults.tree_digest(out) == before
        assert siblings(out) == ["run"]
    else:
        assert siblings(out) == []


# -- 1.32, 4.19: real signals to a real process, stopped at a chosen point -----------------


def _after(real, pause):
    def patched(*args, **kwargs):
        result = real(*args, **kwargs)
        pause()
        return result

    return patched


def _stop_at(where: str):
    """``prepare(pause)`` for `faults.Forked`: pause at point ``where`` of the run."""
    import ganbook.apps.train_cli as cli
    import ganbook.training.atomic as atomic
    import ganbook.training.loop as loop

    def prepare(pause):
        if where == "aside":  # no exchange here: the old run renamed aside, the new not yet in
            atomic._exchange = lambda _new, _path: False
            rename = os.rename
            atomic.os.rename = lambda src, dst: (
                rename(src, dst),
                str(dst).endswith(".old") and pause(),
            )
        elif where == "samples":  # the run is complete in its stage, not yet renamed in
            cli.write_samples_png = _after(cli.write_samples_png, pause)
        elif where == "replaced":  # the new run is in place, the old one not yet deleted
            remove = atomic._remove_tree
            atomic._remove_tree = lambda path: (pause(), remove(path))
        else:  # mid-training, after step 3
            step = loop._one_step
            loop._one_step = lambda data, state: (
                step(data, state),
                state.step == 3 and pause(),
            )

    return prepare


KILLS = {
    "samples": signal.SIGKILL,
    "replaced": signal.SIGKILL,
    "aside": signal.SIGKILL,
    "training": signal.SIGINT,
}


@pytest.fixture(scope="module")
def signalled(tmp_path_factory) -> dict[str, tuple[Path, dict[str, bytes], faults.Outcome]]:
    """For each point of `KILLS`: NEW over an OLD run with --overwrite, signalled there.

    Returns the folder, the OLD run's digest and what the process did (rc −9 for SIGKILL).
    """
    done = {}
    for where, signum in KILLS.items():
        root = tmp_path_factory.mktemp(where)
        out = root / "runs" / "run"
        assert run(out, *OLD).rc == 0
        before = faults.tree_digest(out)
        child = faults.Forked(
            "train", *NEW, "--overwrite", "--out", out, prepare=_stop_at(where), workdir=root
        )
        paused = child.wait_for_pause()
        if paused:
            child.send(signum)
        outcome = child.finish()
        assert paused, f"{where}: the run ended before the pause:\n{outcome.text}"
        done[where] = (out, before, outcome)
    return done


@pytest.mark.case("1.32")
def test_ctrl_c_is_one_line_exit_130_and_leaves_the_old_run(signalled):
    out, before, outcome = signalled["training"]
    assert outcome.rc == 130, outcome.text
    assert outcome.err.strip() == "ganbook train: interrupted"
    assert faults.tree_digest(out) == before
    assert siblings(out) == ["run"]  # the stage was deleted


@pytest.mark.case("4.19")
def test_sigkill_before_the_rename_leaves_the_old_run_and_the_next_run_cleans_up(signalled, clean):
    out, before, outcome = signalled["samples"]
    assert outcome.rc == -signal.SIGKILL
    assert faults.tree_digest(out) == before  # the old run, whole
    assert len(siblings(out)) == 2  # and the dead run's stage
    assert run(out, *NEW, "--overwrite").rc == 0
    same_run(out, clean)
    assert siblings(out) == ["run"]


@pytest.mark.case("4.19")
def test_sigkill_after_the_rename_leaves_the_complete_new_run(signalled, clean):
    out, _, outcome = signalled["replaced"]
    assert outcome.rc == -signal.SIGKILL
    same_run(out, clean)  # the new run, whole; the old one waits beside it to be deleted
    faults.assert_clear_error(run(out, *NEW), "already holds a run")  # sweeps the leftover
    assert siblings(out) == ["run"]


@pytest.mark.case("4.19")
def test_sigkill_between_the_two_renames_puts_the_old_run_back(signalled):
    out, before, outcome = signalled["aside"]  # a kernel without RENAME_EXCHANGE
    assert outcome.rc == -signal.SIGKILL
    assert not out.exists()  # the old run is aside, the new one in its stage
    assert len(siblings(out)) == 2
    faults.assert_clear_error(run(out, *NEW), "already holds a run")  # the sweep restored it
    assert faults.tree_digest(out) == before
    assert siblings(out) == ["run"]


@pytest.mark.case("4.19")
def test_without_an_exchange_overwrite_still_replaces_the_run_whole(old_run, clean, monkeypatch):
    import ganbook.training.atomic as atomic

    monkeypatch.setattr(atomic, "_exchange", lambda _new, _path: False)
    out, _ = old_run
    assert run(out, *NEW, "--overwrite").rc == 0
    same_run(out, clean)
    assert siblings(out) == ["run"]
