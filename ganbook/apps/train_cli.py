r"""``ganbook train``: train one loss on one named dataset and write the run into a folder.

Usage::

    ganbook train DATASET --loss LOSS --steps N --seed S --out DIR [--device D] [--dry-run]
    python -m ganbook.apps.train_cli train DATASET ...

DATASET is one of ``ring``, ``grid``, ``swissroll``, ``digits``, ``gaussian1d`` (see
``ganbook.apps.datasets``). DIR receives ``history.npz``, ``history.json``,
``history.timing.json``, ``samples.png`` and ``checkpoint.pt``, only when the run succeeds.
``--dry-run`` trains three steps. A bad argument (an unknown loss or dataset, a device this
machine lacks) exits with status 2 and one line on standard error; a diverged run with status 1.
This module parses and reports; `add_train_command` plugs it into the ``ganbook`` parser.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

from ganbook.apps.datasets import DATASETS, get_dataset
from ganbook.apps.preview import write_samples_png
from ganbook.devices import DEVICE_CHOICES, resolve_device
from ganbook.losses import loss_names
from ganbook.training.config import TrainConfig
from ganbook.training.loop import TrainingDivergedError, train

__all__ = ["DRY_RUN_STEPS", "add_train_command", "run_train"]

DRY_RUN_STEPS = 3
r"""Steps of a ``--dry-run``: enough to run both updates, a check and two snapshots."""
_PROG = "ganbook train"


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
    >>> args.dataset, args.loss, args.steps, args.device
    ('ring', 'hinge', 1000, 'auto')
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
    parser.set_defaults(handler=run_train)
    return parser


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
    generator, discriminator, data = dataset.build(config.seed, device)
    out = Path(args.out)
    start = time.perf_counter()
    history = train(generator, discriminator, data, config, checkpoint=out / "checkpoint.pt")
    seconds = time.perf_counter() - start
    history.save(out / "history")
    real = data(config.snapshot_size, torch.Generator().manual_seed(config.seed)).cpu().numpy()
    title = f"{config.loss} on {dataset.name}, step {config.steps}, seed {config.seed}"
    write_samples_png(out / "samples.png", history.snapshots[-1], real, dataset.kind, title)
    return (
        f"{dataset.name}/{config.loss}: {config.steps} steps on {device.type} in {seconds:.1f} s, "
        f"final L_D {history.d_loss[-1]:.4g}, L_G {history.g_loss[-1]:.4g}; wrote {out}"
    )


def run_train(args: argparse.Namespace) -> int:
    r"""Run the ``train`` command parsed by `add_train_command`; return the exit status.

    Returns 0 on success, 2 for a bad argument and 1 for a diverged run, printing one line
    ``ganbook train: error: …`` on standard error in the last two cases (no traceback).
    """
    try:
        print(_train_and_write(args))
    except TrainingDivergedError as error:
        print(f"{_PROG}: error: {error}", file=sys.stderr)
        return 1
    except (ValueError, TypeError) as error:
        print(f"{_PROG}: error: {error}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    r"""``python -m ganbook.apps.train_cli train …``: the command without the rest of the CLI."""
    parser = argparse.ArgumentParser(prog="ganbook")
    add_train_command(parser.add_subparsers(dest="command", required=True))
    return run_train(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
