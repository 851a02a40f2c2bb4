"""Running experiments through the content-addressed cache.

The key of a result hashes everything it depends on: the experiment's name and parameters, the
source of the ganbook code it runs (:mod:`ganbook.experiments.fingerprint`), the torch and numpy
versions, the thread count and the device kind. A hit is read back; a miss, or an entry that is
corrupt or foreign, is recomputed and stored atomically.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ganbook.devices import resolve_device
from ganbook.experiments.fingerprint import source_fingerprint
from ganbook.experiments.registry import Experiment, RunContext, get_experiment
from ganbook.experiments.result import (
    RESULT_FILE,
    CorruptResultError,
    ExperimentResult,
    load_result,
    save_result,
)
from ganbook.training import reproducible_torch

DEFAULT_CACHE_DIR = Path(".cache/ganbook")
DEFAULT_THREADS = 2
log = logging.getLogger("mkdocs.plugins.ganbook")


@dataclass(frozen=True)
class RunRecord:
    """How a result was obtained: its cache key, whether it was a hit, and the seconds taken."""

    name: str
    key: str
    hit: bool
    seconds: float


def cache_key(
    exp: Experiment,
    params: dict,
    device: torch.device,
    threads: int,
    profile: str,
    seed_offset: int = 0,
) -> str:
    """SHA-256 over everything the result of ``exp`` depends on.

    The profile is included although the parameters already reflect it: an experiment may read
    ``context.profile`` itself.
    """
    payload = {
        "experiment": exp.name,
        "profile": profile,
        "params": params,
        "seed": exp.seed + seed_offset,
        "source": source_fingerprint(exp.module),
        "torch": torch.__version__,
        "numpy": np.__version__,
        "threads": threads,
        "device": device.type if exp.uses_torch_device else "any",
    }
    encoded = json.dumps(payload, sort_keys=True, default=repr).encode()
    return hashlib.sha256(encoded).hexdigest()


def entry_path(cache_dir: Path, name: str, key: str) -> Path:
    """Directory of the cache entry of experiment ``name`` with key ``key``."""
    return Path(cache_dir) / "experiments" / f"{name}-{key[:24]}"


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
    exp = get_experiment(name)
    key = cache_key(
        exp, exp.params_for(profile), resolve_device(device), threads, profile, seed_offset
    )
    return (entry_path(Path(cache_dir), name, key) / RESULT_FILE).is_file()


def _run_and_record(name: str, options: dict) -> RunRecord:
    """Worker side: compute (or read) one experiment into the cache; return its record."""
    return run_experiment(name, **options)[1]


def compute_missing(
    names: list[str],
    *,
    workers: int = 2,
    report: Callable[[str], None] = lambda line: None,
    **options,
) -> dict[str, RunRecord]:
    """Compute the cache misses among ``names`` in ``workers`` fresh ``spawn`` processes.

    Each worker imports the code on disk and runs `run_experiment` (which pins its threads), so
    the entries it stores are the bits a serial run would store. Returns the records of what was
    computed; with ``workers`` = 1 or fewer than two misses, computes nothing (the caller's
    serial pass does). ``report`` gets one line as each experiment finishes. ``options`` are
    `run_experiment`'s keyword arguments.
    """
    missing = [n for n in names if not is_cached(n, **options)]
    if workers < 2 or len(missing) < 2:
        return {}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(missing)), mp_context=context) as pool:
        futures = {pool.submit(_run_and_record, name, options): name for name in missing}
        records = {}
        for future in as_completed(futures):
            name = futures[future]
            records[name] = future.result()
            report(
                f"computed {name} in {records[name].seconds:.1f} s "
                f"({len(records)} of {len(missing)} in {min(workers, len(missing))} workers)"
            )
        return records


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

    Parameters
    ----------
    name : str
        A registered experiment (``ganbook list`` shows them).
    profile : {"test", "standard", "full"}
        Which parameter set to run.
    device : str or torch.device
        ``"auto"`` picks CUDA, then MPS, then the CPU.
    cache_dir : path
        Root of the cache; entries live in ``cache_dir/experiments``.
    threads : int
        CPU threads for torch, pinned during the run (results depend on it).
    force : bool
        Recompute even on a cache hit.
    seed_offset : int
        Shift the experiment's seed by this much (the reseed check, ``ganbook claims
        --seed-offset``); 0 runs the published seed. The offset is part of the cache key.

    Returns
    -------
    (ExperimentResult, RunRecord)
    """
    exp = get_experiment(name)
    params = exp.params_for(profile)
    torch_device = resolve_device(device)
    if isinstance(seed_offset, bool) or not isinstance(seed_offset, int) or seed_offset < 0:
        raise ValueError(f"seed_offset must be a non-negative int, got {seed_offset!r}")
    seed = exp.seed + seed_offset
    key = cache_key(exp, params, torch_device, threads, profile, seed_offset)
    path = entry_path(Path(cache_dir), name, key)
    started = time.perf_counter()
    if path.exists() and not force:
        try:
            result = load_result(path, key)
            return result, RunRecord(name, key, True, time.perf_counter() - started)
        except CorruptResultError as error:
            log.warning("ganbook: discarding cache entry of %s: %s", name, error)
            shutil.rmtree(path, ignore_errors=True)
    context = RunContext(device=torch_device, seed=seed, profile=profile)
    with reproducible_torch(threads):
        result = exp.compute(params, context)
    if not isinstance(result, ExperimentResult):
        raise TypeError(f"experiment {name!r} returned {type(result).__name__}, not a result")
    seconds = time.perf_counter() - started
    result.meta.update(
        {
            "experiment": name,
            "profile": profile,
            "seed": seed,
            "seed_offset": seed_offset,
            "device": torch_device.type if exp.uses_torch_device else "any",
            "steps": params.get("steps"),
            "threads": threads,
            "seconds": round(seconds, 3),
            "source": exp.source_link,
        }
    )
    save_result(result, path, key)
    return result, RunRecord(name, key, False, seconds)
