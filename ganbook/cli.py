"""The ``ganbook`` command line: list, run and draw what the site shows, with the site's cache.

Usage::

    ganbook list
    ganbook run NAME [--profile P] [--device D] [--cache-dir DIR] [--force]
    ganbook figures --out DIR [--only PREFIX] [--profile P] [--device D] [--cache-dir DIR]
    ganbook chapter SLUG [--out DIR] [--profile P] [--device D] [--workers W] [--cache-dir DIR]
    ganbook claims [--seed-offset N] [--only EXPERIMENT] [--profile P] [--threads T] [--list]
    ganbook cache prune [--cache-dir DIR] [--dry-run] [--drop-offsets]

    ganbook train DATASET --loss LOSS --steps N --seed S --out DIR [--overwrite | --resume]
                  [--device D] [--threads T] [--dry-run]

The commands that compute (run, figures, chapter, claims) take ``--executor local|ray``
(``--address`` of a Ray cluster; none starts a local one) and ``--workers W`` (local processes).

Every failure is one line on standard error, ``ganbook: error: …``, and no traceback: exit status
2 for a bad argument (an unknown name, a value out of range), 1 for what went wrong while working
(a disk that is read-only or full, a claim that broke, a diverged run), 130 for Ctrl-C (``ganbook:
interrupted``; every file is written through a temporary name, so nothing is left half-written)
and 141 when the reader of the output went away (``ganbook list | head``). ``GANBOOK_DEBUG=1``
shows the traceback of an unexpected error.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ganbook.apps.train_cli import add_train_command, run_train
from ganbook.devices import DEVICE_CHOICES, resolve_device
from ganbook.engine import (
    PROFILES,
    experiment_names,
    figure_names,
    get_experiment,
    get_figure,
)
from ganbook.engine.build import RenderedFigure, build_all, chapter_scope
from ganbook.engine.claims import ClaimFailedError
from ganbook.engine.executors import EXECUTORS, obtain
from ganbook.engine.runner import DEFAULT_CACHE_DIR, DEFAULT_THREADS
from ganbook.training.atomic import atomic_write


def positive_int(text: str) -> int:
    """An argparse type: an int of at least 1 (``--threads``, ``--workers``).

    Examples
    --------
    >>> positive_int("2")
    2
    >>> positive_int("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be at least 1, got 0
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an int, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", choices=PROFILES, default="standard")
    parser.add_argument("--device", default="auto", help=f"one of {', '.join(DEVICE_CHOICES)}")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--threads", type=positive_int, default=DEFAULT_THREADS)


def _add_executor_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--executor", choices=EXECUTORS, default="local")
    parser.add_argument(
        "--workers", type=positive_int, default=2, help="local processes for cache misses"
    )
    parser.add_argument("--address", default=None, help="Ray cluster (default: start a local one)")


def _executor(args: argparse.Namespace) -> dict:
    return {"executor": args.executor, "workers": args.workers, "address": args.address}


def build_parser() -> argparse.ArgumentParser:
    """The parser of every ``ganbook`` subcommand."""
    parser = argparse.ArgumentParser(prog="ganbook", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list experiments and figures")
    run = commands.add_parser("run", help="run one experiment (or read it from the cache)")
    run.add_argument("name")
    run.add_argument("--force", action="store_true", help="recompute even if cached")
    _add_run_options(run)
    _add_executor_options(run)
    figures = commands.add_parser("figures", help="render every figure into a directory")
    figures.add_argument("--out", type=Path, required=True)
    figures.add_argument("--only", metavar="PREFIX", help="only figures whose names start so")
    _add_run_options(figures)
    _add_executor_options(figures)
    claims = commands.add_parser(
        "claims",
        help="run the experiments (seeds shifted by --seed-offset) and check every claim",
        description="Run every experiment (or one) with every seed shifted by N, check every "
        "claim of the book, print one line per claim and exit 1 if any broke.",
    )
    claims.add_argument("--seed-offset", type=int, default=0, metavar="N")
    claims.add_argument("--only", metavar="EXPERIMENT", help="only this experiment's claims")
    claims.add_argument("--list", action="store_true", help="list the claims; run nothing")
    _add_run_options(claims)
    _add_executor_options(claims)
    chapter = commands.add_parser(
        "chapter",
        help="run one chapter's experiments, check their claims and render its figures",
        description="Run the experiments one chapter shows (its own, those its figures draw "
        "from and those its page quotes), check their claims, render its figures into --out "
        "(default CACHE_DIR/chapters/SLUG), print where they are and exit 1 if a claim broke.",
    )
    chapter.add_argument("slug", help="the page's slug, e.g. wgan-gp")
    chapter.add_argument("--out", type=Path, help="where to put the figures")
    chapter.add_argument("--docs-dir", type=Path, default=Path("docs"), help="the pages")
    _add_run_options(chapter)
    _add_executor_options(chapter)
    cache = commands.add_parser("cache", help="look after the cache").add_subparsers(
        dest="action", required=True
    )
    prune = cache.add_parser(
        "prune",
        help="remove the entries the current book no longer reaches",
        description="Remove the experiment entries and figure files that no registered "
        "experiment or figure would produce with the current code (any profile, device, thread "
        "count or seed offset), and leftovers of interrupted writes; print each, and the bytes "
        "freed.",
    )
    prune.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    prune.add_argument("--dry-run", action="store_true", help="print what would go; remove none")
    prune.add_argument(
        "--drop-offsets", action="store_true", help="also remove the entries of shifted seeds"
    )
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
    result, record = obtain(
        [args.name],
        profile=args.profile,
        device=args.device,
        cache_dir=args.cache_dir,
        threads=args.threads,
        force=args.force,
        **_executor(args),
    )[args.name]
    state = "cache hit" if record.hit else "computed"
    print(f"{args.name}: {state} in {record.seconds:.2f} s (key {record.key[:12]})")
    for key, value in sorted(result.scalars.items()):
        if isinstance(value, str) and "\n" in value:  # a table: its lines as they are
            print(f"  {key} =\n{value}")
        else:
            print(f"  {key} = {value}")


def _matching_figures(prefix: str | None) -> None:
    """Refuse an ``--only`` that no figure name starts with, listing the names."""
    names = figure_names()
    if prefix is None or any(name.startswith(prefix) for name in names):
        return
    near = difflib.get_close_matches(prefix, names, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(near)}? " if near else ""
    raise ValueError(
        f"--only {prefix!r} matches no figure name; {hint}the figures are: {', '.join(names)}"
    )


def ensure_writable_dir(directory: Path) -> None:
    """Create ``directory`` if needed and prove it takes a file, before any work is done.

    Raises
    ------
    OSError
        When it is a file, sits in a read-only place or on a full disk (named in the message).
    """
    if directory.exists() and not directory.is_dir():
        raise NotADirectoryError(f"{directory} exists and is not a directory")
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=directory, prefix=".probe-", delete=True) as probe:
        probe.write(b"x")
        probe.flush()


def _figures(args: argparse.Namespace) -> None:
    _matching_figures(args.only)
    ensure_writable_dir(args.out)
    built = build_all(
        profile=args.profile,
        device=args.device,
        cache_dir=args.cache_dir,
        threads=args.threads,
        report=print,
        only=args.only,
        **_executor(args),
    )
    _write_figures(built.figures.values(), args.out)
    print(f"{len(built.figures)} figures written to {args.out}")


def _write_figures(figures: Iterable[RenderedFigure], out: Path) -> list[Path]:
    """Copy rendered figures from the cache into ``out``, each file atomically."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for rendered in figures:
        data = rendered.path.read_bytes()
        target = out / rendered.spec.filename
        atomic_write(target, lambda stream, data=data: stream.write(data))
        written.append(target)
    return written


def _chapter(args: argparse.Namespace) -> int:
    from ganbook.book import get_chapter
    from ganbook.site.markup import cited_experiments, names_in

    chapter = get_chapter(args.slug)
    out = args.out or args.cache_dir / "chapters" / chapter.slug
    ensure_writable_dir(out)
    page = args.docs_dir / f"{chapter.page}.md"
    text = page.read_text(encoding="utf-8") if page.is_file() else ""
    scope = chapter_scope(
        [chapter.slug],
        cited_figures=names_in(text, "figure"),
        cited_experiments=cited_experiments(text),
    )
    built = build_all(
        profile=args.profile,
        device=args.device,
        cache_dir=args.cache_dir,
        threads=args.threads,
        report=lambda line: print(line, flush=True),
        check=False,
        scope=scope,
        **_executor(args),
    )
    written = _write_figures(built.figures.values(), out)
    print(f"{len(written)} figures of {chapter.slug} in {out}:")
    for path in written:
        print(f"  {path}")
    broken = [o for o in built.outcomes if not o.held]
    for outcome in broken:
        print(outcome.describe())
    print(
        f"claims: {len(built.outcomes) - len(broken)} held, {len(broken)} broke "
        f"({len(built.results)} experiment{'s' if len(built.results) != 1 else ''}, "
        f"profile {args.profile})"
    )
    return 1 if broken else 0


def _claims(args: argparse.Namespace) -> int:
    from ganbook.engine.claims import all_claims, outcomes_for

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
    obtained = obtain(
        names, report=lambda line: print(line, flush=True), **_executor(args), **options
    )
    held = broke = 0
    for name in names:
        result, record = obtained[name]
        state = "cache hit" if record.hit else f"computed in {record.seconds:.1f} s"
        print(f"# {name} (seed offset {args.seed_offset}, {state})", flush=True)
        for outcome in outcomes_for(name, result, args.profile):
            print(outcome.describe(), flush=True)
            held, broke = held + outcome.held, broke + (not outcome.held)
    print(f"{held} held, {broke} broke, seed offset {args.seed_offset}, profile {args.profile}")
    return 1 if broke else 0


def _cache(args: argparse.Namespace) -> int:
    from ganbook.engine.cache import prune_cache

    prune_cache(
        args.cache_dir,
        dry_run=args.dry_run,
        keep_offsets=not args.drop_offsets,
        report=lambda line: print(line, flush=True),
    )
    return 0


def _os_error_line(error: OSError) -> str:
    """``[Errno 30] Read-only file system: 'x'`` as ``cannot write x: Read-only file system``."""
    if error.filename is None or error.strerror is None:
        return str(error)
    target = f"{error.filename} -> {error.filename2}" if error.filename2 else error.filename
    return f"{target}: {error.strerror}"


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "train":
        return run_train(args)
    if getattr(args, "device", None) is not None:
        resolve_device(args.device)  # an absent or unknown device, before any work is done
    if args.command == "claims":
        return _claims(args)
    if args.command == "chapter":
        return _chapter(args)
    if args.command == "cache":
        return _cache(args)
    {"list": lambda _: _list(), "run": _run, "figures": _figures}[args.command](args)
    return 0


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is no file (a test's StringIO): nothing to flush
        pass


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ganbook`` console script; returns the exit status.

    Returns 0 on success, 1 when the work failed (an ``OSError``, a broken claim, a diverged
    run), 2 for a bad argument, 130 after Ctrl-C and 141 when standard output was closed; every
    failure prints one ``ganbook: error: …`` line on standard error and no traceback.
    """
    args = build_parser().parse_args(argv)
    try:
        status = _dispatch(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handlers, not at exit
        return status
    except (ValueError, TypeError, KeyError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"ganbook: error: {message}", file=sys.stderr)
        return 2
    except ClaimFailedError as error:
        print(f"ganbook: error: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        _quiet_stdout()
        return 141
    except OSError as error:
        print(f"ganbook: error: {_os_error_line(error)}", file=sys.stderr)
        return 1
    except RuntimeError as error:
        print(f"ganbook: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ganbook: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        if os.environ.get("GANBOOK_DEBUG"):
            raise
        print(
            f"ganbook: error: unexpected {type(error).__name__}: {error} "
            "(GANBOOK_DEBUG=1 shows the traceback; please report it)",
            file=sys.stderr,
        )
        return 1
