"""The ``ganbook`` command line: list, run and draw what the site shows, with the site's cache.

Usage::

    ganbook list
    ganbook run NAME [--profile P] [--device D] [--cache-dir DIR] [--force]
    ganbook figures --out DIR [--only PREFIX] [--profile P] [--device D] [--cache-dir DIR]
    ganbook train DATASET --loss LOSS --steps N --seed S --out DIR [--device D] [--dry-run]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ganbook.devices import DEVICE_CHOICES
from ganbook.experiments import PROFILES, experiment_names, get_experiment, run_experiment
from ganbook.experiments.runner import DEFAULT_CACHE_DIR, DEFAULT_THREADS
from ganbook.figures import figure_names, get_figure
from ganbook.figures.render import build_all
from ganbook.training.atomic import atomic_write
from ganbook.training.cli import add_train_command, run_train


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", choices=PROFILES, default="standard")
    parser.add_argument("--device", default="auto", help=f"one of {', '.join(DEVICE_CHOICES)}")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ganbook", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list experiments and figures")
    run = commands.add_parser("run", help="run one experiment (or read it from the cache)")
    run.add_argument("name")
    run.add_argument("--force", action="store_true", help="recompute even if cached")
    _add_run_options(run)
    figures = commands.add_parser("figures", help="render every figure into a directory")
    figures.add_argument("--out", type=Path, required=True)
    figures.add_argument("--only", metavar="PREFIX", help="only figures whose names start so")
    _add_run_options(figures)
    add_train_command(commands)
    return parser


def _list() -> None:
    print("experiments:")
    for name in experiment_names():
        print(f"  {name:32s} {get_experiment(name).title}")
    print("figures:")
    for name in figure_names():
        print(f"  {name:32s} from {', '.join(get_figure(name).experiments)}")


def _run(args: argparse.Namespace) -> None:
    result, record = run_experiment(
        args.name,
        profile=args.profile,
        device=args.device,
        cache_dir=args.cache_dir,
        threads=args.threads,
        force=args.force,
    )
    state = "cache hit" if record.hit else "computed"
    print(f"{args.name}: {state} in {record.seconds:.2f} s (key {record.key[:12]})")
    for key, value in sorted(result.scalars.items()):
        print(f"  {key} = {value}")


def _figures(args: argparse.Namespace) -> None:
    built = build_all(
        profile=args.profile,
        device=args.device,
        cache_dir=args.cache_dir,
        threads=args.threads,
        report=print,
        only=args.only,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    for rendered in built.figures.values():
        data = rendered.path.read_bytes()
        target = args.out / rendered.spec.filename
        atomic_write(target, lambda stream, data=data: stream.write(data))
    print(f"{len(built.figures)} figures written to {args.out}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ganbook`` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "train":
        return run_train(args)
    try:
        {"list": lambda _: _list(), "run": _run, "figures": _figures}[args.command](args)
    except (ValueError, TypeError) as error:
        print(f"ganbook: error: {error}", file=sys.stderr)
        return 2
    return 0
