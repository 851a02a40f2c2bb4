"""The ``ganbook`` command line: list, run and draw what the site shows, with the site's cache.

Usage::

    ganbook list
    ganbook run NAME [--profile P] [--device D] [--cache-dir DIR] [--force]
    ganbook figures --out DIR [--only PREFIX] [--profile P] [--device D] [--cache-dir DIR]
    ganbook claims [--seed-offset N] [--only EXPERIMENT] [--profile P] [--threads T] [--list]
    ganbook train DATASET --loss LOSS --steps N --seed S --out DIR [--device D] [--dry-run]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ganbook.devices import DEVICE_CHOICES
from ganbook.experiments import PROFILES, experiment_names, get_experiment, run_experiment
from ganbook.experiments.runner import DEFAULT_CACHE_DIR, DEFAULT_THREADS, compute_missing
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
    claims = commands.add_parser(
        "claims",
        help="run the experiments (seeds shifted by --seed-offset) and check every claim",
        description="Run every experiment (or one) with every seed shifted by N, check every "
        "claim of the book, print one line per claim and exit 1 if any broke.",
    )
    claims.add_argument("--seed-offset", type=int, default=0, metavar="N")
    claims.add_argument("--only", metavar="EXPERIMENT", help="only this experiment's claims")
    claims.add_argument("--list", action="store_true", help="list the claims; run nothing")
    claims.add_argument("--workers", type=int, default=2, help="processes for cache misses")
    _add_run_options(claims)
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


def _claims(args: argparse.Namespace) -> int:
    from ganbook.experiments.claims import all_claims, outcomes_for

    chosen = [c for c in all_claims() if args.only is None or c.experiment == args.only]
    if args.only is not None:
        get_experiment(args.only)  # a clear error for an unknown name
    if args.list:
        for item in chosen:
            print(f"{item.id}: {item.statement}")
        return 0
    if args.seed_offset < 0:
        raise ValueError(f"--seed-offset must be a non-negative int, got {args.seed_offset}")
    names = sorted({c.experiment for c in chosen}, key=experiment_names().index)
    options = {
        "profile": args.profile,
        "device": args.device,
        "cache_dir": args.cache_dir,
        "threads": args.threads,
        "seed_offset": args.seed_offset,
    }
    computed = compute_missing(
        names, workers=args.workers, report=lambda line: print(line, flush=True), **options
    )
    held = broke = 0
    for name in names:
        result, record = run_experiment(name, **options)
        record = computed.get(name, record)
        state = "cache hit" if record.hit else f"computed in {record.seconds:.1f} s"
        print(f"# {name} (seed offset {args.seed_offset}, {state})", flush=True)
        for outcome in outcomes_for(name, result, args.profile):
            print(outcome.describe(), flush=True)
            held, broke = held + outcome.held, broke + (not outcome.held)
    print(f"{held} held, {broke} broke, seed offset {args.seed_offset}, profile {args.profile}")
    return 1 if broke else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ganbook`` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "train":
        return run_train(args)
    try:
        if args.command == "claims":
            return _claims(args)
        {"list": lambda _: _list(), "run": _run, "figures": _figures}[args.command](args)
    except (ValueError, TypeError) as error:
        print(f"ganbook: error: {error}", file=sys.stderr)
        return 2
    return 0
