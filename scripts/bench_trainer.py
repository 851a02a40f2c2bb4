"""Benchmark `ganbook.training.train` against a minimal hand-written loop (A/B, same process).

Usage::

    .venv/bin/python scripts/bench_trainer.py [--device cpu|cuda|mps|auto] [--quick]
        [--rounds N] [--threads N]

Prints one line per case ending in ``ratio trainer/hand = X.XX`` (medians over the rounds), then
one line per seed-ensemble case ending in ``speed-up batched/loop = X.XX``. Not a
test: timings depend on the machine. The logic lives in ``ganbook.apps.benchmark``.
"""

from __future__ import annotations

import argparse

from ganbook.apps.benchmark import (
    format_ensemble_row,
    format_row,
    run_benchmark,
    run_ensemble_benchmark,
)


def main() -> None:
    """Parse the options, run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--quick", action="store_true", help="few steps: a smoke test")
    parser.add_argument(
        "--rounds", type=int, default=None, help="counted rounds (default 5, 2 quick)"
    )
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    rounds = args.rounds if args.rounds is not None else (2 if args.quick else 5)
    for row in run_benchmark(
        device=args.device, threads=args.threads, rounds=rounds, quick=args.quick
    ):
        print(format_row(row), flush=True)
    for row in run_ensemble_benchmark(
        device=args.device, threads=args.threads, rounds=rounds, quick=args.quick
    ):
        print(format_ensemble_row(row), flush=True)


if __name__ == "__main__":
    main()
