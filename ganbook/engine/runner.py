r"""Running experiments through the content-addressed cache.

The key of a result hashes what can change it, and nothing else: the experiment's name, its
parameters and profile, its seed, the *semantic* source closure of the code it runs
(`ganbook.engine.fingerprint`), the keys of the experiments it needs, the thread count, the
device kind and the versions of Python, torch, numpy, scipy, POT and scikit-learn. A hit is read
back; a miss, or an entry that is corrupt or foreign, is recomputed and stored atomically
(`ganbook.engine.result`: every entry is verified whole, against a digest of its record and a
hash of its arrays, before it is served).

A cache that cannot be written (read-only, full) does not lose a computation: the result is
computed, returned and used, with one warning that it was not stored (`store_result`); a cache
where everything is a hit needs no write at all. A cache directory that is a file, or lies below
one, is refused before anything is computed (`open_cache`, a `CacheDirectoryError`).

`run_experiment` computes in this process (the serial path, used by the workers and the tests);
the build computes its misses through an executor (`ganbook.engine.executors`), in fresh worker
processes. torch is imported only when something is computed (or ``device: auto`` must be
resolved on a machine that may have an accelerator).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from ganbook._checks import require_choice, require_positive_int
from ganbook.devices import DEVICE_CHOICES
from ganbook.engine.fingerprint import (
    CodeView,
    experiment_fingerprint,
    experiment_roots,
    module_closure,
)
from ganbook.engine.freshness import StaleCodeError, stale_modules
from ganbook.engine.registry import (
    PROFILES,
    RunContext,
    expanded_needs,
    get_experiment,
    needed_results,
)
from ganbook.engine.result import (
    RESULT_FILE,
    CorruptResultError,
    ExperimentResult,
    OutdatedResultError,
    discard_path,
    load_result,
    save_result,
    sweep_stale,
)

if TYPE_CHECKING:
    import torch

DEFAULT_CACHE_DIR = Path(".cache/ganbook")
DEFAULT_THREADS = 2
LIBRARIES = ("torch", "numpy", "scipy", "POT", "scikit-learn")
"""The distributions whose versions are part of every key (their arithmetic is in the results)."""
log = logging.getLogger("mkdocs.plugins.ganbook")


class CacheDirectoryError(NotADirectoryError, ValueError):
    """The cache directory is a file, or lies below one (an ``OSError`` and a ``ValueError``)."""


@dataclass(frozen=True)
class RunRecord:
    """How a result was obtained: its cache key, whether it was a hit, and the seconds taken."""

    name: str
    key: str
    hit: bool
    seconds: float


@dataclass(frozen=True)
class RunOptions:
    """Where and how experiments run: the same for an experiment and everything it needs.

    Parameters
    ----------
    profile : {"test", "standard", "full"}
        Which parameter set to run.
    device : str
        ``"auto"`` picks CUDA, then MPS, then the CPU; or ``"cpu"``, ``"cuda"``, ``"cuda:N"``,
        ``"mps"``.
    cache_dir : path
        Root of the cache; entries live in ``cache_dir/experiments``.
    threads : int
        CPU threads for torch, pinned during the run (results depend on it); at least 1.
    seed_offset : int
        Shift every seed by this much (the reseed check); 0 runs the published seeds.

    Raises
    ------
    ValueError
        For an unknown profile or device, ``threads`` below 1 or a negative ``seed_offset``,
        before anything runs.
    TypeError
        For a ``threads`` that is not an int.
    """

    profile: str = "standard"
    device: str = "auto"
    cache_dir: Path = DEFAULT_CACHE_DIR
    threads: int = DEFAULT_THREADS
    seed_offset: int = 0

    def __post_init__(self) -> None:
        require_choice("profile", self.profile, PROFILES)
        object.__setattr__(self, "device", str(self.device))
        device_kind(self.device)  # a clear error for an unknown device
        object.__setattr__(self, "cache_dir", Path(self.cache_dir))
        object.__setattr__(self, "threads", require_positive_int("threads", self.threads))
        offset = self.seed_offset
        if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
            raise ValueError(f"seed_offset must be a non-negative int, got {offset!r}")


def library_versions() -> dict[str, str | None]:
    """The Python version and the installed versions of `LIBRARIES`, read without importing them."""
    found: dict[str, str | None] = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def _accelerator_possible() -> bool:
    """False only where no GPU can be visible: Linux without NVIDIA, ROCm or WSL device files."""
    if not sys.platform.startswith("linux"):
        return True
    dev = Path("/dev")
    return any(dev.glob("nvidia*")) or (dev / "kfd").exists() or (dev / "dxg").exists()


def device_kind(device: str | torch.device) -> str:
    """The kind of ``device`` (``"cpu"``, ``"cuda"`` or ``"mps"``), as it enters a key.

    ``"auto"`` is resolved by torch (`ganbook.devices.resolve_device`), except on a Linux machine
    without any GPU device file, where it can only be the CPU and torch is not imported.
    """
    if not isinstance(device, str):
        return device.type
    kind = device.split(":")[0]
    if kind not in DEVICE_CHOICES:
        raise ValueError(f"unknown device {device!r}; expected one of {', '.join(DEVICE_CHOICES)}")
    if kind != "auto":
        return kind
    if not _accelerator_possible():
        return "cpu"
    from ganbook.devices import resolve_device

    return resolve_device("auto").type


def dependency_order(names: Iterable[str]) -> list[str]:
    """``names`` and everything they need, transitively, each after what it needs.

    Raises
    ------
    ValueError
        For an unknown experiment or need, or for needs that form a cycle (named in order).
    """
    order: list[str] = []
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done:
            return
        if name in path:
            cycle = " → ".join((*path[path.index(name) :], name))
            raise ValueError(f"experiments need each other in a cycle: {cycle}")
        for need in expanded_needs(name):
            visit(need, (*path, name))
        done.add(name)
        order.append(name)

    for name in names:
        get_experiment(name)
        visit(name, ())
    return order


def experiment_keys(names: Iterable[str], options: RunOptions) -> dict[str, str]:
    """The cache key of each of ``names`` and of everything they need (`dependency_order`)."""
    keys: dict[str, str] = {}
    kind: str | None = None
    versions = library_versions()
    view = CodeView()
    for name in dependency_order(names):
        exp = get_experiment(name)
        if exp.uses_torch_device:
            kind = kind or device_kind(options.device)
        payload = {
            "experiment": name,
            "profile": options.profile,
            "params": exp.params_for(options.profile),
            "seed": exp.seed_for(options.seed_offset),
            "source": experiment_fingerprint(exp.compute, view),
            "needs": {need: keys[need] for need in expanded_needs(name)},
            "versions": versions,
            "threads": options.threads,
            "device": kind if exp.uses_torch_device else "any",
        }
        encoded = json.dumps(payload, sort_keys=True, default=repr).encode()
        keys[name] = hashlib.sha256(encoded).hexdigest()
    return keys


def experiment_key(
    name: str,
    *,
    profile: str = "standard",
    device: str | torch.device = "auto",
    threads: int = DEFAULT_THREADS,
    seed_offset: int = 0,
) -> str:
    """SHA-256 over everything the result of experiment ``name`` depends on (see the module).

    The profile is included although the parameters already reflect it: an experiment may read
    ``context.profile`` itself.
    """
    options = RunOptions(profile, str(device), DEFAULT_CACHE_DIR, threads, seed_offset)
    return experiment_keys([name], options)[name]


def entry_path(cache_dir: Path, name: str, key: str) -> Path:
    """Directory of the cache entry of experiment ``name`` with key ``key``."""
    return Path(cache_dir) / "experiments" / f"{name}-{key[:24]}"


def _first_existing(path: Path) -> Path | None:
    for candidate in (path, *path.parents):
        try:
            candidate.stat()
        except OSError:
            continue
        return candidate
    return None


def check_cache_dir(cache_dir: str | Path) -> Path:
    """``cache_dir`` as a path, if it can hold a cache (it need not exist yet).

    Raises
    ------
    CacheDirectoryError
        When ``cache_dir``, or its ``experiments`` or ``figures`` folder, or the nearest existing
        folder above it, is not a directory (the message names the paths).
    """
    cache_dir = Path(cache_dir)
    for path in (cache_dir / "experiments", cache_dir / "figures"):
        if os.path.lexists(path) and not path.is_dir():
            raise CacheDirectoryError(
                f"cache directory {cache_dir} cannot be used: {path} is not a directory"
            )
    existing = _first_existing(cache_dir)
    if existing is not None and not existing.is_dir():
        where = "is a file" if existing == cache_dir else f"lies below the file {existing}"
        raise CacheDirectoryError(f"cache directory {cache_dir} is not a directory: it {where}")
    return cache_dir


def open_cache(cache_dir: str | Path) -> Path:
    """Check ``cache_dir`` (`check_cache_dir`) and sweep its stale staging leftovers.

    Called before anything is computed, so that a cache directory given by mistake fails at
    once, not after a long computation. Leftovers of interrupted writes
    (`ganbook.engine.result.is_stale`) are removed where the cache can be written; a read-only
    cache is fine.
    """
    cache_dir = check_cache_dir(cache_dir)
    for folder in ("experiments", "figures"):
        sweep_stale(cache_dir / folder)
    return cache_dir


def read_entry(name: str, key: str, cache_dir: Path) -> ExperimentResult | None:
    """The cached result of ``name`` under ``key``, or None when there is none to trust.

    An entry that does not verify (`load_result`) is discarded with one warning line
    (``ganbook: discarding cache entry of NAME: reason``); one of an older format silently.
    Where it cannot be removed (a read-only cache) it stays, and is recomputed in memory.
    """
    path = entry_path(cache_dir, name, key)
    if not os.path.lexists(path):
        return None
    for attempt in range(2):
        before = _identity(path)
        try:
            return load_result(path, key)
        except OutdatedResultError as error:
            log.info("ganbook: recomputing cache entry of %s: %s", name, error)
            discard_path(path)
            return None
        except CorruptResultError as error:
            if attempt == 0 and _identity(path) != before:
                continue  # a concurrent writer swapped the entry while it was read: read again
            log.warning("ganbook: discarding cache entry of %s: %s", name, error)
            discard_path(path)
            return None
    return None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.lstat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def is_cached(
    name: str,
    *,
    profile: str = "standard",
    device: str | torch.device = "auto",
    cache_dir: str | Path = DEFAULT_CACHE_DIR,
    threads: int = DEFAULT_THREADS,
    seed_offset: int = 0,
) -> bool:
    """Whether experiment ``name`` has an entry under its current key (not verified here)."""
    options = RunOptions(profile, str(device), Path(cache_dir), threads, seed_offset)
    key = experiment_keys([name], options)[name]
    return (entry_path(options.cache_dir, name, key) / RESULT_FILE).is_file()


def compute_result(
    name: str, options: RunOptions, needs: Mapping[str, ExperimentResult]
) -> tuple[ExperimentResult, RunRecord]:
    """Compute experiment ``name`` here, from the results of its ``needs``; store nothing.

    The key is computed after the run, and the run is refused (`StaleCodeError`) if any module of
    its closure changed on disk since this process imported it: a result is only ever stored
    under the key of the code that computed it.
    """
    from ganbook.devices import resolve_device
    from ganbook.training import reproducible_torch

    exp = get_experiment(name)
    params = exp.params_for(options.profile)
    # an experiment that does not use the torch device runs on the CPU (a Ray task of one gets
    # no GPU, so "cuda" would not resolve there)
    torch_device = resolve_device(options.device if exp.uses_torch_device else "cpu")
    context = RunContext(
        device=torch_device,
        seed=exp.seed_for(options.seed_offset),
        profile=options.profile,
        needed=needed_results(name, needs),
        cell=dict(exp.cell),
    )
    started = time.perf_counter()
    with reproducible_torch(options.threads):
        result = exp.compute(params, context)
    seconds = time.perf_counter() - started
    if not isinstance(result, ExperimentResult):
        raise TypeError(f"experiment {name!r} returned {type(result).__name__}, not a result")
    key = experiment_keys([name], options)[name]
    stale = stale_modules(module_closure(*experiment_roots(exp.compute)))
    if stale:
        raise StaleCodeError(
            f"the code of {', '.join(stale)} changed on disk while experiment {name!r} ran on "
            "the version imported before; its result is not stored: build again"
        )
    result.meta.update(
        {
            "experiment": name,
            "profile": options.profile,
            "seed": context.seed,
            "seed_offset": options.seed_offset,
            "device": torch_device.type if exp.uses_torch_device else "any",
            "steps": params.get("steps"),
            "threads": options.threads,
            "seconds": round(seconds, 3),
            "source": exp.source_link,
        }
    )
    return result, RunRecord(name, key, False, seconds)


def store_result(result: ExperimentResult, record: RunRecord, cache_dir: Path) -> bool:
    """Write a computed result into the cache under its record's key (atomically).

    Returns whether it was stored. Where the file system refuses (a read-only or full cache),
    the computation is not lost: one warning line names the experiment, the cache and the
    reason, and the caller goes on with the result in memory.
    """
    try:
        save_result(result, entry_path(cache_dir, record.name, record.key), record.key)
    except OSError as error:
        log.warning(
            "ganbook: the result of %s was computed but not stored in the cache %s: %s",
            record.name,
            cache_dir,
            error,
        )
        return False
    return True


def run_experiment(
    name: str,
    *,
    profile: str = "standard",
    device: str | torch.device = "auto",
    cache_dir: str | Path = DEFAULT_CACHE_DIR,
    threads: int = DEFAULT_THREADS,
    force: bool = False,
    seed_offset: int = 0,
) -> tuple[ExperimentResult, RunRecord]:
    """Return the result of experiment ``name``, from the cache when it is there and valid.

    Computes in this process, what it needs first (read from the cache, or computed and stored).
    The build computes in worker processes instead (`ganbook.engine.executors.obtain`).

    Parameters
    ----------
    name : str
        A registered experiment or grid cell (``ganbook list`` shows them).
    profile, device, cache_dir, threads, seed_offset
        See `RunOptions`. The offset is part of the cache key.
    force : bool
        Recompute ``name`` even on a cache hit (not what it needs).

    Returns
    -------
    (ExperimentResult, RunRecord)

    Raises
    ------
    ValueError
        For an unknown experiment, profile or device, or ``threads`` below 1 (`RunOptions`);
        `CacheDirectoryError` (also an ``OSError``) for a cache directory that is a file.
        All before anything is computed.

    Notes
    -----
    A result that cannot be stored (a read-only or full cache) is returned all the same, with
    a warning (`store_result`).
    """
    options = RunOptions(profile, str(device), Path(cache_dir), threads, seed_offset)
    open_cache(options.cache_dir)
    keys = experiment_keys([name], options)
    results: dict[str, ExperimentResult] = {}
    record = None
    for current in dependency_order([name]):
        started = time.perf_counter()
        cached = (
            None
            if (force and current == name)
            else read_entry(current, keys[current], options.cache_dir)
        )
        if cached is not None:
            results[current] = cached
            record = RunRecord(current, keys[current], True, time.perf_counter() - started)
            continue
        needs = {need: results[need] for need in expanded_needs(current)}
        results[current], record = compute_result(current, options, needs)
        store_result(results[current], record, options.cache_dir)
    return results[name], record


def compute_missing(
    names: list[str],
    *,
    workers: int = 2,
    report: Callable[[str], None] = lambda _line: None,
    executor: str = "local",
    address: str | None = None,
    **options,
) -> dict[str, RunRecord]:
    """Compute the cache misses among ``names`` (and what they need) with ``executor``.

    Every miss is computed in a fresh worker process (`ganbook.engine.executors.obtain`);
    returns the records of what was computed. ``options`` are `RunOptions`' fields.
    """
    from ganbook.engine.executors import obtain

    obtained = obtain(
        names, executor=executor, workers=workers, address=address, report=report, **options
    )
    return {name: record for name, (_, record) in obtained.items() if not record.hit}
