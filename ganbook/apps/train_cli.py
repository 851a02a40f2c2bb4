r"""``ganbook train``: train one loss on one named dataset and write the run into a folder.

Usage::

    ganbook train DATASET --loss LOSS --steps N --seed S --out DIR [--device D] [--dry-run]
                          [--overwrite | --resume]
    python -m ganbook.apps.train_cli train DATASET ...

DATASET is one of ``ring``, ``grid``, ``swissroll``, ``digits``, ``gaussian1d`` (see
``ganbook.apps.datasets``). A run is the five files `RUN_FILES`: ``history.npz``,
``history.json``, ``history.timing.json``, ``samples.png`` and ``checkpoint.pt``. ``--dry-run``
trains three steps.

No run is lost or mixed with another:

- DIR must be new or empty; a folder that holds a run (or anything else) is refused unless
  ``--overwrite`` (replace the run) or ``--resume`` (continue it from its ``checkpoint.pt`` up
  to ``--steps``, with the same dataset, loss, seed and models). Even then a folder holding
  files that are not a run's is refused: they are not this command's to delete.
- The run is written into a hidden sibling ``.DIR.XXXXXXXX.tmp`` and renamed onto DIR only when
  all five files are there (`ganbook.training.atomic.StagedDirectory`): a crash, a full disk or
  Ctrl-C at any point leaves DIR as it was (absent, or the old run) or holding the complete new
  run, never a mix; the leftovers of a killed run are cleared by the next run into DIR.
- Before the first step, the sibling and a file in it are created, so an ``--out`` that cannot
  be written (a file, a read-only folder, a full disk) fails at once, and more ``--steps`` than
  memory can record are refused (`ganbook.training.loop`).

Every failure is one line ``ganbook train: error: …`` on standard error, no traceback: exit 2
for a bad argument (an unknown loss or dataset, a device this machine lacks, an ``--out`` that
is refused, a checkpoint that does not fit), 1 for a diverged run or a failure of the machine
(an ``OSError``, naming the path and the reason, or an error of torch), and 130 after Ctrl-C
(``ganbook train: interrupted``). This module parses and reports; `add_train_command` plugs it
into the ``ganbook`` parser.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

import torch

from ganbook.apps.datasets import DATASETS, get_dataset
from ganbook.apps.preview import write_samples_png
from ganbook.devices import DEVICE_CHOICES, resolve_device
from ganbook.losses import loss_names
from ganbook.training.atomic import PROBE_PREFIX, StagedDirectory
from ganbook.training.config import TrainConfig
from ganbook.training.loop import TrainingDivergedError, train

__all__ = ["DRY_RUN_STEPS", "RUN_FILES", "add_train_command", "run_train"]

DRY_RUN_STEPS = 3
r"""Steps of a ``--dry-run``: enough to run both updates, a check and two snapshots."""
RUN_FILES = ("checkpoint.pt", "history.json", "history.npz", "history.timing.json", "samples.png")
r"""The files of a run folder, all written or none."""
_PROG = "ganbook train"


class _Refused(ValueError):
    r"""An ``--out`` that this command will not write (exit 2)."""


def add_train_command(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    r"""Add the ``train`` command to ``subparsers`` and return its parser.

    Datasets and losses are checked by `run_train`, not by argparse, so that an unknown name
    gives one line naming it rather than a usage block.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="ganbook")
    >>> add_train_command(parser.add_subparsers(dest="command")).prog
    'ganbook train'
    >>> args = parser.parse_args(["train", "ring", "--loss", "hinge", "--out", "/tmp/run"])
    >>> args.dataset, args.loss, args.steps, args.device, args.overwrite, args.resume
    ('ring', 'hinge', 1000, 'auto', False, False)
    """
    parser = subparsers.add_parser(
        "train",
        help="train one loss on one dataset",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument("dataset", help=f"one of {', '.join(DATASETS)}")
    losses = ", ".join(loss_names())
    parser.add_argument("--loss", default="non-saturating", help=f"one of {losses}")
    parser.add_argument("--steps", type=int, default=1000, help="generator updates (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of data, models and noise")
    parser.add_argument("--out", type=Path, required=True, help="folder for the run's files")
    parser.add_argument("--device", default="auto", help=f"one of {', '.join(DEVICE_CHOICES)}")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    parser.add_argument("--dry-run", action="store_true", help=f"train {DRY_RUN_STEPS} steps")
    existing = parser.add_mutually_exclusive_group()
    existing.add_argument(
        "--overwrite", action="store_true", help="replace the run already in --out"
    )
    existing.add_argument(
        "--resume", action="store_true", help="continue the run in --out up to --steps"
    )
    parser.set_defaults(handler=run_train)
    return parser


def _is_run_file(name: str) -> bool:
    r"""A run's file, or what a killed writer left: a file's temp, a write probe."""
    return (
        name in RUN_FILES
        or name.startswith(PROBE_PREFIX)
        or any(name.startswith(f".{run}.") and name.endswith(".tmp") for run in RUN_FILES)
    )


def _check_out(out: Path, overwrite: bool, resume: bool) -> None:
    r"""Refuse an ``--out`` that would lose or mix runs (`_Refused`, naming it)."""
    if os.path.lexists(out) and (out.is_symlink() or not out.is_dir()):
        raise _Refused(f"--out {out} exists and is not a folder")
    entries = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    if resume and "checkpoint.pt" not in entries:
        raise _Refused(f"--resume: {out} holds no checkpoint.pt to resume from")
    if not entries:
        return
    others = [name for name in entries if not _is_run_file(name)]
    if not (overwrite or resume):
        if others:
            raise _Refused(f"--out {out} is not empty ({_listed(entries)}); give a new folder")
        raise _Refused(
            f"--out {out} already holds a run ({_listed(entries)}); pass --overwrite to "
            "replace it or --resume to continue it"
        )
    if others:
        raise _Refused(
            f"--out {out} holds files that are not a run's ({_listed(others)}); refusing to "
            "replace it: move them, or give a new folder"
        )


def _listed(names: list[str], most: int = 5) -> str:
    return ", ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most else "")


def _train_and_write(args: argparse.Namespace) -> str:
    r"""Train as ``args`` say, write the folder, return a one-line summary."""
    dataset = get_dataset(args.dataset)
    config = TrainConfig.for_loss(
        args.loss,
        **dataset.overrides,
        steps=DRY_RUN_STEPS if args.dry_run else args.steps,
        seed=args.seed,
        device=args.device,
        threads=args.threads,
    )
    device = resolve_device(config.device)
    out = Path(args.out)
    overwrite, resume = getattr(args, "overwrite", False), getattr(args, "resume", False)
    staged = StagedDirectory(out)
    staged.sweep()  # the leftovers of killed runs; may put an old run back at `out`
    _check_out(out, overwrite, resume)
    try:
        stage = staged.open()  # proves that --out can be written, before any step
    except OSError as error:
        raise OSError(error.errno, f"cannot write the run to {out}: {_reason(error)}") from None
    try:
        generator, discriminator, data = dataset.build(config.seed, device)
        start = time.perf_counter()
        history = train(
            generator,
            discriminator,
            data,
            config,
            checkpoint=stage / "checkpoint.pt",
            resume_from=out / "checkpoint.pt" if resume else None,
            dataset=dataset.name,
        )
        seconds = time.perf_counter() - start
        history.save(stage / "history")
        real = data(config.snapshot_size, torch.Generator().manual_seed(config.seed))
        title = f"{config.loss} on {dataset.name}, step {config.steps}, seed {config.seed}"
        kind = dataset.kind
        write_samples_png(
            stage / "samples.png", history.snapshots[-1], real.cpu().numpy(), kind, title
        )
        staged.commit()
    finally:
        staged.discard()
    done = "resumed" if resume else "trained"
    return (
        f"{dataset.name}/{config.loss}: {config.steps} steps on {device.type} ({done}) in "
        f"{seconds:.1f} s, final L_D {history.d_loss[-1]:.4g}, L_G {history.g_loss[-1]:.4g}; "
        f"wrote {out}"
    )


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _reason(error: OSError) -> str:
    r"""``strerror: path`` (and the second path of a rename) for an ``OSError``."""
    reason = error.strerror or _one_line(error) or type(error).__name__
    paths = [p for p in (error.filename, error.filename2) if p is not None]
    return f"{reason}: {' -> '.join(map(os.fsdecode, paths))}" if paths else reason


def run_train(args: argparse.Namespace) -> int:
    r"""Run the ``train`` command parsed by `add_train_command`; return the exit status.

    Returns 0 on success; else prints one line on standard error (no traceback) and returns
    2 for a bad argument or a refused ``--out`` (``ValueError``, ``TypeError``), 1 for a
    diverged run, an ``OSError`` (naming the path and the reason), an error of torch or any
    other failure, 130 after Ctrl-C (``ganbook train: interrupted``) and 141 when standard
    output was closed (the run is written). It never raises (unless ``GANBOOK_DEBUG`` is set,
    for an unforeseen exception), and never leaves a half-written run under ``--out``.
    """
    try:
        print(_train_and_write(args))
    except KeyboardInterrupt:
        print(f"{_PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the run is in place; only its summary line had no reader
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except TrainingDivergedError as error:
        print(f"{_PROG}: error: {_one_line(error)}", file=sys.stderr)
        return 1
    except (ValueError, TypeError) as error:
        print(f"{_PROG}: error: {_one_line(error)}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"{_PROG}: error: {_reason(error)}", file=sys.stderr)
        return 1
    except RuntimeError as error:  # torch's own failures
        print(f"{_PROG}: error: {_one_line(error)}", file=sys.stderr)
        return 1
    except Exception as error:
        if os.environ.get("GANBOOK_DEBUG"):
            raise
        print(
            f"{_PROG}: error: unexpected {type(error).__name__}: {_one_line(error)} "
            "(GANBOOK_DEBUG=1 shows the traceback; please report it)",
            file=sys.stderr,
        )
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    r"""``python -m ganbook.apps.train_cli train …``: the command without the rest of the CLI."""
    parser = argparse.ArgumentParser(prog="ganbook")
    add_train_command(parser.add_subparsers(dest="command", required=True))
    return run_train(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
