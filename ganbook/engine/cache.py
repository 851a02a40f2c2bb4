r"""Pruning the cache: removing the entries that the current book no longer reaches.

Every experiment entry records what it was computed for (experiment, profile, device kind,
threads, seed offset). It is *reachable* when the current code, asked for exactly that, would
compute the key it is stored under: entries of another profile, thread count, device kind or seed
offset stay as long as their code is current (a later build or reseed check would read them), and
an entry of edited code, of a removed experiment, or that cannot be read, goes. A figure file is
reachable when some registered figure, drawn from reachable experiments with the coordinates
of one of the kept entries, has its name. Leftovers of interrupted writes (hidden staging
directories and files) always go. With ``keep_offsets=False`` the entries of shifted seeds
(``ganbook claims --seed-offset N``, N > 0) go too, and only the published seeds stay.

Nothing outside ``CACHE_DIR/experiments`` and ``CACHE_DIR/figures`` is touched.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ganbook.engine.build import DIGEST_SUFFIX
from ganbook.engine.registry import experiment_names
from ganbook.engine.result import CorruptResultError, is_stale, read_record
from ganbook.engine.runner import RunOptions, check_cache_dir, experiment_keys

Coordinates = tuple[str, str, int, int]
"""``(profile, device kind, threads, seed offset)``: what an entry was computed for."""


@dataclass
class PruneReport:
    """What a prune removed (or, in a dry run, would remove), and what it kept."""

    removed: list[tuple[Path, int]] = field(default_factory=list)
    kept: int = 0
    dry_run: bool = False

    @property
    def freed(self) -> int:
        """Bytes removed (or that would be)."""
        return sum(size for _, size in self.removed)


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _coordinates(entry: Path) -> tuple[str, Coordinates] | None:
    """The experiment and coordinates an entry records, or None if it cannot be trusted."""
    try:
        meta = read_record(entry)["meta"]
        device = "cpu" if meta["device"] == "any" else meta["device"]
        coords = (meta["profile"], device, int(meta["threads"]), int(meta["seed_offset"]))
        return str(meta["experiment"]), coords
    except (CorruptResultError, KeyError, TypeError, ValueError):
        return None


class _Keys:
    """The current key of every experiment and figure, per coordinates, computed once each."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self.names = experiment_names()
        self._experiments: dict[Coordinates, dict[str, str]] = {}

    def experiments(self, coords: Coordinates) -> dict[str, str]:
        if coords not in self._experiments:
            profile, device, threads, offset = coords
            options = RunOptions(profile, device, self.cache_dir, threads, offset)
            self._experiments[coords] = experiment_keys(self.names, options)
        return self._experiments[coords]

    def figure_files(self, coords: Coordinates) -> set[str]:
        from ganbook.engine.build import figure_key, figure_path
        from ganbook.engine.figures import figure_names, get_figure

        keys = self.experiments(coords)
        files = set()
        for name in figure_names():
            spec = get_figure(name)
            files.add(figure_path(self.cache_dir, spec, figure_key(spec, keys)).name)
        return files


def prune_cache(
    cache_dir: str | Path,
    *,
    dry_run: bool = False,
    keep_offsets: bool = True,
    report: Callable[[str], None] = lambda _line: None,
) -> PruneReport:
    """Remove the entries of ``cache_dir`` that the current book no longer reaches (see above).

    ``report`` gets one line per entry removed (``would remove`` in a dry run) and a summary.

    Raises
    ------
    ganbook.engine.runner.CacheDirectoryError
        For a ``cache_dir`` that is a file, or lies below one (an ``OSError`` and a
        ``ValueError``).
    """
    cache_dir = Path(cache_dir)
    check_cache_dir(cache_dir)
    outcome = PruneReport(dry_run=dry_run)
    keys = _Keys(cache_dir)
    known = set(keys.names)
    kept_coords: set[Coordinates] = set()
    doomed: list[Path] = []
    experiments = cache_dir / "experiments"
    for entry in sorted(experiments.iterdir()) if experiments.is_dir() else ():
        if entry.name.startswith("."):
            if is_stale(entry):
                doomed.append(entry)  # a leftover; a recent one may be a write in progress
            continue
        found = _coordinates(entry)
        reachable = False
        if found is not None and found[0] in known and (keep_offsets or found[1][3] == 0):
            name, coords = found
            key = keys.experiments(coords)[name]
            reachable = entry.name == f"{name}-{key[:24]}" and _stored_key(entry) == key
        if reachable:
            kept_coords.add(found[1])
            outcome.kept += 1
        else:
            doomed.append(entry)
    figures = cache_dir / "figures"
    wanted = set().union(*(keys.figure_files(c) for c in kept_coords)) if kept_coords else set()
    present = sorted(figures.iterdir()) if figures.is_dir() else []
    names = {path.name for path in present}
    for path in present:
        if path.name.startswith("."):
            if is_stale(path):
                doomed.append(path)
        elif path.name.endswith(DIGEST_SUFFIX) and path.name[: -len(DIGEST_SUFFIX)] in names:
            continue  # goes or stays with its figure
        elif path.name in wanted and path.is_file():
            outcome.kept += 1
        else:
            doomed.append(path)
    verb = "would remove" if dry_run else "removed"
    for path in doomed:
        digest = path.with_name(path.name + DIGEST_SUFFIX)
        together = [path, digest] if path.parent == figures and digest.is_file() else [path]
        size = sum(_size(p) for p in together)
        for part in together if not dry_run else ():
            if part.is_dir() and not part.is_symlink():
                shutil.rmtree(part)
            else:
                part.unlink(missing_ok=True)
        outcome.removed.append((path, size))
        report(f"{verb} {path.relative_to(cache_dir)} ({_human(size)})")
    report(
        f"{verb} {len(outcome.removed)} entries, {_human(outcome.freed)} "
        f"{'to free' if dry_run else 'freed'}; {outcome.kept} kept"
    )
    return outcome


def _stored_key(entry: Path) -> str | None:
    try:
        return read_record(entry).get("key")
    except CorruptResultError:
        return None


def _human(size: float) -> str:
    """Bytes in the largest unit that keeps the number under 1000 (``1.5 MB``)."""
    if size < 1000:
        return f"{size:.0f} B"
    for unit in ("kB", "MB"):
        size /= 1000
        if size < 1000:
            return f"{size:.1f} {unit}"
    return f"{size / 1000:.1f} GB"
