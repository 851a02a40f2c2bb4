r"""Snapshots: what the site shows, kept after each build for a rebuild with nothing changed.

Reading a snapshot back imports neither torch, nor matplotlib, nor any chapter. A *snapshot* holds
everything the pages take from the engine: each figure's cached file, filled caption, alt text and
provenance; each experiment's scalars; each claim's statement and outcome; the names of every
figure and experiment of the book (so that a typo still fails the build). It is
stored in the cache under a key that hashes

- the source of every module of the ``ganbook`` package (any edit, to an experiment, a figure, a
  claim or a caption, makes a new key),
- the build's options (profile, device, threads, the chapters of a partial build and the names
  their pages cite),
- the versions of Python and of the libraries results depend on, and the accelerators this
  machine shows (device files, ``CUDA_VISIBLE_DEVICES``), which decide what ``device: auto`` is,

so a snapshot is only ever read back by a build that would have made the same one. Any other build
goes through the engine (`ganbook.engine.build_all`), whose content-addressed cache recomputes
only what changed, and writes the new snapshot. A snapshot is used only while every cache file it
names is still there (a deleted figure, or a deleted cache, makes it a miss).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ganbook.engine.build import BuildOutput, RenderedFigure

SNAPSHOT_FORMAT = 1
SNAPSHOT_DIR = "site"
"""Snapshots live in ``CACHE_DIR/site/``, one JSON file per key."""

LIBRARIES = ("torch", "numpy", "scipy", "POT", "scikit-learn", "matplotlib", "pillow")
"""The distributions whose versions can change a result or a figure's bytes."""

Scalar = float | int | str | bool


@dataclass(frozen=True)
class FigureView:
    """A built figure as a page shows it: its cached file, filled texts and provenance."""

    name: str
    filename: str
    path: str
    caption: str
    alt: str
    provenance: tuple[str, ...]
    source_link: str


@dataclass(frozen=True)
class CheckRecord:
    """One check of a claim's outcome (see `ganbook.engine.claims.Check`)."""

    what: str
    found: str
    bound: str
    held: bool


@dataclass(frozen=True)
class ClaimRecord:
    """A claim of the book: its id, the experiment it is about and its statement."""

    id: str
    experiment: str
    statement: str


@dataclass(frozen=True)
class OutcomeRecord:
    """How a claim fared in the build: held or not, its checks, or the error its check raised."""

    held: bool
    checks: tuple[CheckRecord, ...]
    error: str | None = None


@dataclass(frozen=True)
class SiteSnapshot:
    """Everything the pages of one build take from the engine.

    Parameters
    ----------
    profile : str
        The build's profile.
    chapters : tuple of str
        The slugs of the chapters a partial build made (``GANBOOK_ONLY``); empty for the book.
    figures : dict
        Figure name to `FigureView`, for the figures built.
    scalars : dict
        Experiment name to its scalars, for the experiments built.
    seed_offsets : tuple of int
        The seed offsets of the results (0: the published seeds).
    claims : tuple of ClaimRecord
        Every claim of the book, in the book's order.
    outcomes : dict
        Claim id to `OutcomeRecord`, for the claims checked.
    known_figures, known_experiments : tuple of str
        Every figure and experiment of the book, built or not.
    files : tuple of str
        The cache files the snapshot relies on: its figures. (Its scalars are in the snapshot;
        the results they come from are content-addressed under keys that the snapshot's key
        determines, so they cannot have changed.)
    """

    profile: str
    chapters: tuple[str, ...]
    figures: dict[str, FigureView]
    scalars: dict[str, dict[str, Scalar]]
    seed_offsets: tuple[int, ...]
    claims: tuple[ClaimRecord, ...]
    outcomes: dict[str, OutcomeRecord]
    known_figures: tuple[str, ...]
    known_experiments: tuple[str, ...]
    files: tuple[str, ...] = field(default=())


def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {"python": sys.version}
    for name in LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def accelerators(device: str) -> list[Any]:
    """What this machine shows of its accelerators, without importing torch.

    A CPU build depends on none of it. For any other device option the result is part of the
    snapshot key, so a machine that gains or loses a GPU (or is told to hide one) builds anew.
    """
    if device == "cpu":
        return []
    dev = Path("/dev")
    return [
        sys.platform,
        platform.machine(),
        sorted(p.name for p in dev.glob("nvidia*")) if dev.is_dir() else [],
        (dev / "kfd").exists(),
        os.environ.get("CUDA_VISIBLE_DEVICES"),
        os.environ.get("HIP_VISIBLE_DEVICES"),
    ]


def snapshot_key(
    *,
    package: str,
    profile: str,
    device: str,
    threads: int,
    chapters: Collection[str] = (),
    cited: Mapping[str, Collection[str]] | None = None,
    executor: str = "local",
    address: str | None = None,
) -> str:
    """SHA-256 over everything a snapshot depends on (see the module's docstring).

    ``package`` is the fingerprint of the package's source
    (`ganbook.site.notebooks.package_fingerprint`).
    """
    payload = {
        "format": SNAPSHOT_FORMAT,
        "package": package,
        "profile": profile,
        "device": device,
        "accelerators": accelerators(device),
        "threads": threads,
        "executor": executor,  # a Ray cluster may resolve device "auto" to its GPUs
        "address": address,
        "chapters": sorted(chapters),
        "cited": {kind: sorted(names) for kind, names in sorted((cited or {}).items())},
        "versions": _versions(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def snapshot_path(cache_dir: Path, key: str) -> Path:
    """Where the snapshot with ``key`` is stored."""
    return Path(cache_dir) / SNAPSHOT_DIR / f"{key[:32]}.json"


def load_snapshot(cache_dir: Path, key: str) -> SiteSnapshot | None:
    """The snapshot stored under ``key``; None if absent, unreadable, or a file it names is gone."""
    try:
        record = json.loads(snapshot_path(cache_dir, key).read_text(encoding="utf-8"))
        if record.get("format") != SNAPSHOT_FORMAT or record.get("key") != key:
            return None
        data = record["snapshot"]
        snapshot = SiteSnapshot(
            profile=data["profile"],
            chapters=tuple(data["chapters"]),
            figures={
                name: FigureView(**{**view, "provenance": tuple(view["provenance"])})
                for name, view in data["figures"].items()
            },
            scalars=data["scalars"],
            seed_offsets=tuple(data["seed_offsets"]),
            claims=tuple(ClaimRecord(**item) for item in data["claims"]),
            outcomes={
                claim_id: OutcomeRecord(
                    held=outcome["held"],
                    checks=tuple(CheckRecord(**check) for check in outcome["checks"]),
                    error=outcome["error"],
                )
                for claim_id, outcome in data["outcomes"].items()
            },
            known_figures=tuple(data["known_figures"]),
            known_experiments=tuple(data["known_experiments"]),
            files=tuple(data["files"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not all(os.path.isfile(path) for path in snapshot.files):
        return None
    return snapshot


def save_snapshot(snapshot: SiteSnapshot, cache_dir: Path, key: str) -> Path:
    """Store ``snapshot`` under ``key``, atomically; return its path."""
    from ganbook.training.atomic import atomic_write

    path = snapshot_path(cache_dir, key)
    text = json.dumps(
        {"format": SNAPSHOT_FORMAT, "key": key, "snapshot": asdict(snapshot)}, sort_keys=True
    )
    atomic_write(path, lambda stream: stream.write(text.encode("utf-8")))
    return path


def _provenance(rendered: RenderedFigure) -> tuple[str, ...]:
    """One phrase per experiment a figure draws from: its seeds, device and steps."""
    parts = []
    for name, result in rendered.results.items():
        meta = result.meta
        members = result.scalars.get("members")
        seeds = f"{members} seeds from seed {meta.get('seed')}" if members else None
        text = f"experiment <code>{name}</code>, {seeds or 'seed ' + str(meta.get('seed'))}"
        text += f", device {meta.get('device')}"
        if meta.get("steps"):
            text += f", {meta['steps']:,} steps"
        parts.append(text)
    return tuple(parts)


def snapshot_of(built: BuildOutput, *, profile: str, chapters: tuple[str, ...]) -> SiteSnapshot:
    """The snapshot of a build, with every caption and alt text filled from its results.

    Raises
    ------
    KeyError
        When a caption or alt text names a result the figure does not draw from.
    """
    from ganbook.engine import all_claims, experiment_names, figure_names
    from ganbook.figures.captions import fill_template

    figures = {}
    for name, rendered in built.figures.items():
        spec = rendered.spec
        figures[name] = FigureView(
            name=name,
            filename=spec.filename,
            path=str(rendered.path),
            caption=fill_template(spec.caption, rendered.results, f"caption of figure {name}"),
            alt=fill_template(spec.alt, rendered.results, f"alt text of figure {name}"),
            provenance=_provenance(rendered),
            source_link=spec.source_link,
        )
    outcomes = {
        o.claim.id: OutcomeRecord(
            bool(o.held),
            tuple(CheckRecord(c.what, c.found, c.bound, bool(c.held)) for c in o.checks),
            o.error,
        )
        for o in built.outcomes
    }
    return SiteSnapshot(
        profile=profile,
        chapters=tuple(chapters),
        figures=figures,
        scalars={name: dict(result.scalars) for name, result in built.results.items()},
        seed_offsets=tuple(sorted({r.meta.get("seed_offset", 0) for r in built.results.values()})),
        claims=tuple(ClaimRecord(c.id, c.experiment, c.statement) for c in all_claims()),
        outcomes=outcomes,
        known_figures=tuple(figure_names()),
        known_experiments=tuple(experiment_names()),
        files=tuple(view.path for view in figures.values()),
    )
