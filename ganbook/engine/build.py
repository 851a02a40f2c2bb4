"""The build: experiments through an executor, then claims, then figures through their cache.

Figures are cached under a key of their drawing code and their experiments' keys: editing a
figure's drawing code (or the shared style) re-renders it without re-running any experiment;
editing an experiment's code changes that experiment's key, so both are recomputed. A figure is
never stored if its drawing code changed on disk since this process imported it.

A figure file in the cache (``figures/NAME-KEY.svg``) has a digest beside it
(``NAME-KEY.svg.sha256``, in ``sha256sum``'s format), written after the figure, each atomically.
A figure is served from the cache only when its bytes match that digest: a truncated or edited
file is discarded with one warning and re-rendered, and one without a digest (an older cache, or
a write that was interrupted in between) is re-rendered quietly. A figure that the cache cannot
store (read-only, full) is written to a temporary folder instead, with one warning, so that the
build goes on.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from ganbook.engine.claims import ClaimFailedError, ClaimOutcome, outcomes_for
from ganbook.engine.executors import obtain
from ganbook.engine.figures import FigureSpec, figure_names, get_figure
from ganbook.engine.fingerprint import module_closure, source_fingerprint
from ganbook.engine.freshness import StaleCodeError, stale_modules
from ganbook.engine.registry import experiment_names, get_experiment
from ganbook.engine.result import (
    ExperimentResult,
    discard_path,
    remove_path,
    sha256_bytes,
    write_file_atomically,
)
from ganbook.engine.runner import DEFAULT_CACHE_DIR, DEFAULT_THREADS, RunRecord

DIGEST_SUFFIX = ".sha256"
"""The digest of ``figures/NAME-KEY.svg`` is ``figures/NAME-KEY.svg.sha256``."""
log = logging.getLogger("mkdocs.plugins.ganbook")
_fallback_dir: Path | None = None


@dataclass(frozen=True)
class RenderedFigure:
    """A figure file in the cache, with the results and records of the experiments it drew on."""

    spec: FigureSpec
    path: Path
    results: dict[str, ExperimentResult]
    records: dict[str, RunRecord]
    rendered: bool


def figure_key(spec: FigureSpec, experiment_keys: Mapping[str, str]) -> str:
    """The cache key of figure ``spec`` drawn from experiments with these keys."""
    payload = {
        "figure": spec.name,
        "format": spec.format,
        "source": source_fingerprint(spec.module),
        "matplotlib": version("matplotlib"),
        "experiments": {name: experiment_keys[name] for name in sorted(spec.experiments)},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def figure_path(cache_dir: Path, spec: FigureSpec, key: str) -> Path:
    """The file of figure ``spec`` with key ``key`` in the cache."""
    return Path(cache_dir) / "figures" / f"{spec.name}-{key[:24]}.{spec.format}"


def figure_digest_path(path: Path) -> Path:
    """The file that records the SHA-256 of the cached figure ``path``."""
    path = Path(path)
    return path.with_name(path.name + DIGEST_SUFFIX)


def cached_figure_is_valid(name: str, path: Path) -> bool:
    """Whether the cached figure file ``path`` (of figure ``name``) can be served.

    It can when it is a file whose bytes match its recorded digest. One that does not match (or
    cannot be read) is discarded with one warning line; one without a digest silently. Both are
    then re-rendered by the caller.
    """
    path = Path(path)
    digest_path = figure_digest_path(path)
    if not path.exists() and not path.is_symlink():
        return False
    try:
        recorded = digest_path.read_text(encoding="ascii").split()
    except FileNotFoundError:
        return False
    except (OSError, ValueError) as error:
        reason = f"cannot read {digest_path}: {error}"
    else:
        try:
            data = path.read_bytes()
        except OSError as error:
            reason = f"cannot read {path}: {error}"
        else:
            if recorded and recorded[0] == sha256_bytes(data):
                return True
            reason = f"{path} does not match its recorded digest"
    log.warning("ganbook: discarding cached figure %s: %s", name, reason)
    discard_path(path)
    discard_path(digest_path)
    return False


def _store_figure(spec: FigureSpec, path: Path, data: bytes) -> Path:
    """Write ``data`` to the cache at ``path``, then its digest; return where the figure is.

    Where the cache cannot be written (read-only, full), the figure goes to a temporary folder
    of this process instead (one warning line; removed when the process exits), and that path
    is returned.
    """
    global _fallback_dir
    try:
        if path.is_dir() and not path.is_symlink():
            discard_path(path)
        write_file_atomically(path, data)
        digest = f"{sha256_bytes(data)}  {path.name}\n".encode("ascii")
        write_file_atomically(figure_digest_path(path), digest)
        return path
    except OSError as error:
        remove_path(figure_digest_path(path))
        if _fallback_dir is None or not _fallback_dir.is_dir():
            _fallback_dir = Path(tempfile.mkdtemp(prefix="ganbook-figures-"))
            atexit.register(shutil.rmtree, _fallback_dir, ignore_errors=True)
        fallback = write_file_atomically(_fallback_dir / path.name, data)
        log.warning(
            "ganbook: figure %s was rendered but not stored in the cache (%s); using %s",
            spec.name,
            error,
            fallback,
        )
        return fallback


def render_figure(
    name: str,
    *,
    profile: str = "standard",
    device: str = "auto",
    cache_dir: str | Path = DEFAULT_CACHE_DIR,
    threads: int = DEFAULT_THREADS,
) -> RenderedFigure:
    """Obtain the experiments of figure ``name`` (misses in a worker), then render or read it."""
    spec = get_figure(name)
    obtained = obtain(
        list(spec.experiments),
        workers=1,
        profile=profile,
        device=device,
        cache_dir=cache_dir,
        threads=threads,
    )
    results = {e: obtained[e][0] for e in spec.experiments}
    records = {e: obtained[e][1] for e in spec.experiments}
    return _render(spec, results, records, Path(cache_dir))


def _render(
    spec: FigureSpec,
    results: dict[str, ExperimentResult],
    records: dict[str, RunRecord],
    cache_dir: Path,
) -> RenderedFigure:
    """Draw ``spec`` from results already in hand, or find its file in the cache."""
    from ganbook.figures.style import book_style, figure_bytes

    key = figure_key(spec, {name: record.key for name, record in records.items()})
    path = figure_path(cache_dir, spec, key)
    if cached_figure_is_valid(spec.name, path):
        return RenderedFigure(spec, path, results, records, rendered=False)
    with book_style():
        drawn = spec.draw(results)
        data = drawn if isinstance(drawn, bytes) else figure_bytes(drawn, spec.format)
    stale = stale_modules(module_closure(spec.module))
    if stale:
        raise StaleCodeError(
            f"the code of {', '.join(stale)} changed on disk since this process imported it: "
            f"figure {spec.name!r} is not stored under the new code's key; build again"
        )
    path = _store_figure(spec, path, data)
    return RenderedFigure(spec, path, results, records, rendered=True)


@dataclass(frozen=True)
class Scope:
    """The part of the book a partial build makes: some chapters, their figures and experiments."""

    chapters: tuple[str, ...]
    figures: frozenset[str]
    experiments: frozenset[str]


def chapter_scope(
    slugs: Iterable[str],
    *,
    cited_figures: Iterable[str] = (),
    cited_experiments: Iterable[str] = (),
) -> Scope:
    """What the chapters ``slugs`` show, and the experiments it takes.

    A chapter owns the figures and experiments its package registered (their ``module`` lies in
    ``Chapter.package``); its scope adds the experiments those figures draw from, and what its
    page's directives name (``cited_figures``, ``cited_experiments``; unknown names are left to
    the page, which reports them). ``ValueError`` listing the chapters for an unknown slug.
    """
    from ganbook.book import get_chapter

    chapters = tuple(get_chapter(slug) for slug in slugs)
    packages = tuple(chapter.package + "." for chapter in chapters)
    known_figures, known_experiments = set(figure_names()), set(experiment_names())
    figures = {n for n in known_figures if get_figure(n).module.startswith(packages)}
    figures |= known_figures & set(cited_figures)
    experiments = {n for n in known_experiments if get_experiment(n).module.startswith(packages)}
    experiments |= known_experiments & set(cited_experiments)
    experiments |= {e for name in figures for e in get_figure(name).experiments}
    return Scope(tuple(c.slug for c in chapters), frozenset(figures), frozenset(experiments))


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
    report: Callable[[str], None] = lambda _line: None,
    only: str | None = None,
    check: bool = True,
    workers: int = 2,
    scope: Scope | None = None,
    executor: str = "local",
    address: str | None = None,
) -> BuildOutput:
    """Run every registered experiment, then render every registered figure, through the cache.

    ``report`` receives one line per experiment (cache hit or computed, seconds taken, claims
    checked) and one per figure (rendered or cache hit). Every claim about an experiment
    (:mod:`ganbook.engine.claims`) is checked before anything is drawn from it. With
    ``only``, just the figures whose names start with it are built, with their experiments;
    with ``scope`` (`chapter_scope`), just that part of the book.
    Every claim is checked before anything is drawn; with ``check`` (the default) any broken
    claim raises `ClaimFailedError` listing all of them, otherwise the outcomes are returned.
    The experiments missing from the cache, and what they need, are computed by ``executor``
    (`ganbook.engine.executors`: ``local``, ``workers`` fresh ``spawn`` processes, or ``ray`` at
    ``address``), never in this process, so the code that runs is the code on disk; the results
    are the same bits as a serial run, since each experiment pins its own threads.
    """
    options = {"profile": profile, "device": device, "cache_dir": cache_dir, "threads": threads}
    results, records, figures, outcomes = {}, {}, {}, []
    chosen = [
        name
        for name in figure_names()
        if (only is None or name.startswith(only)) and (scope is None or name in scope.figures)
    ]
    needed = {exp for name in chosen for exp in get_figure(name).experiments}
    names = [
        n
        for n in experiment_names()
        if (only is None or n in needed) and (scope is None or n in scope.experiments)
    ]
    obtained = obtain(
        names, executor=executor, workers=workers, address=address, report=report, **options
    )
    for name in names:
        results[name], records[name] = obtained[name]
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
        spec = get_figure(name)
        drawn_from = {e: results[e] for e in spec.experiments}
        keys = {e: records[e] for e in spec.experiments}
        figures[name] = _render(spec, drawn_from, keys, Path(cache_dir))
        report(f"figure {name}: {'rendered' if figures[name].rendered else 'cache hit'}")
    return BuildOutput(results, records, figures, outcomes)
