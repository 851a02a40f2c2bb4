"""Rendering figures through a cache keyed on their drawing code and their experiments' keys.

Editing a figure's drawing code (or the shared style) re-renders it without re-running any
experiment; editing an experiment's code changes that experiment's key, so both are recomputed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib

from ganbook.experiments.claims import ClaimFailedError, ClaimOutcome, outcomes_for
from ganbook.experiments.fingerprint import source_fingerprint
from ganbook.experiments.registry import experiment_names
from ganbook.experiments.result import ExperimentResult
from ganbook.experiments.runner import (
    DEFAULT_CACHE_DIR,
    DEFAULT_THREADS,
    RunRecord,
    compute_missing,
    run_experiment,
)
from ganbook.figures.registry import FigureSpec, figure_names, get_figure
from ganbook.figures.style import book_style, figure_bytes
from ganbook.training.atomic import atomic_write


@dataclass(frozen=True)
class RenderedFigure:
    """A figure file in the cache, with the results and records of the experiments it drew on."""

    spec: FigureSpec
    path: Path
    results: dict[str, ExperimentResult]
    records: dict[str, RunRecord]
    rendered: bool


def _figure_key(spec: FigureSpec, records: dict[str, RunRecord]) -> str:
    payload = {
        "figure": spec.name,
        "format": spec.format,
        "source": source_fingerprint(spec.module),
        "matplotlib": matplotlib.__version__,
        "experiments": {name: record.key for name, record in sorted(records.items())},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def render_figure(
    name: str,
    *,
    profile: str = "standard",
    device: str = "auto",
    cache_dir: str | Path = DEFAULT_CACHE_DIR,
    threads: int = DEFAULT_THREADS,
) -> RenderedFigure:
    """Run or read the experiments of figure ``name``, then render it or read it from the cache."""
    spec = get_figure(name)
    results, records = {}, {}
    for experiment_name in spec.experiments:
        result, record = run_experiment(
            experiment_name, profile=profile, device=device, cache_dir=cache_dir, threads=threads
        )
        results[experiment_name], records[experiment_name] = result, record
    key = _figure_key(spec, records)
    path = Path(cache_dir) / "figures" / f"{spec.name}-{key[:24]}.{spec.format}"
    if path.exists() and path.stat().st_size > 0:
        return RenderedFigure(spec, path, results, records, rendered=False)
    with book_style():
        drawn = spec.draw(results)
        data = drawn if isinstance(drawn, bytes) else figure_bytes(drawn, spec.format)
    atomic_write(path, lambda stream: stream.write(data))
    return RenderedFigure(spec, path, results, records, rendered=True)


@dataclass(frozen=True)
class BuildOutput:
    """Everything the site shows: each experiment's result and record, each rendered figure."""

    results: dict[str, ExperimentResult]
    records: dict[str, RunRecord]
    figures: dict[str, RenderedFigure]
    outcomes: list[ClaimOutcome]


def build_all(
    *,
    profile: str = "standard",
    device: str = "auto",
    cache_dir: str | Path = DEFAULT_CACHE_DIR,
    threads: int = DEFAULT_THREADS,
    report: Callable[[str], None] = lambda line: None,
    only: str | None = None,
    check: bool = True,
    workers: int = 1,
) -> BuildOutput:
    """Run every registered experiment, then render every registered figure, through the cache.

    ``report`` receives one line per experiment (cache hit or computed, seconds taken, claims
    checked) and one per figure (rendered or cache hit). Every claim about an experiment
    (:mod:`ganbook.experiments.claims`) is checked before anything is drawn from it. With
    ``only``, just the figures whose names start with it are built, with their experiments.
    Every claim is checked before anything is drawn; with ``check`` (the default) any broken
    claim raises `ClaimFailedError` listing all of them, otherwise the outcomes are returned.
    With ``workers`` > 1 the experiments missing from the cache are first computed in that many
    fresh ``spawn`` worker processes (the code on disk, not the code this process imported); the
    results are the same bits as a serial run, since each experiment pins its own threads.
    """
    options = {"profile": profile, "device": device, "cache_dir": cache_dir, "threads": threads}
    results, records, figures, outcomes = {}, {}, {}, []
    chosen = [name for name in figure_names() if only is None or name.startswith(only)]
    needed = {exp for name in chosen for exp in get_figure(name).experiments}
    names = [n for n in experiment_names() if only is None or n in needed]
    computed = compute_missing(names, workers=workers, report=report, **options)
    for name in names:
        results[name], records[name] = run_experiment(name, **options)
        records[name] = computed.get(name, records[name])
        checked = outcomes_for(name, results[name], profile)
        outcomes += checked
        state = "cache hit" if records[name].hit else "computed"
        broken = sum(not o.held for o in checked)
        report(
            f"experiment {name}: {state} in {records[name].seconds:.2f} s, "
            f"{len(checked)} claim{'s' if len(checked) != 1 else ''} checked"
            + (f", {broken} BROKE" if broken else "")
        )
    broken = [o for o in outcomes if not o.held]
    if broken and check:
        lines = "\n".join(o.describe() for o in broken)
        raise ClaimFailedError(f"{len(broken)} of {len(outcomes)} claims broke:\n{lines}")
    for name in chosen:
        figures[name] = render_figure(name, **options)
        report(f"figure {name}: {'rendered' if figures[name].rendered else 'cache hit'}")
    return BuildOutput(results, records, figures, outcomes)
