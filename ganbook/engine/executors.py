r"""Executors: where the cache misses of a build are computed, in the order their needs impose.

- ``local`` (the default): a pool of ``workers`` fresh ``spawn`` processes on this machine. Every
  miss is computed in one, even a single miss with one worker, so the code that runs is the code
  on disk, never the code a long-lived process (``mkdocs serve``) imported when it started.
- ``ray``: each experiment (each grid cell) is a Ray task on the cluster at ``address`` (None
  starts a local instance for the call and stops it after), with one GPU per task for the
  experiments that use the torch device when the cluster has GPUs (``device: auto`` then means
  CUDA). Ray is an optional extra (``pip install ganbook[ray]``), imported only here. A GPU task
  runs in a fresh Ray worker process (``max_calls=1``, which also frees its GPU memory); CPU
  workers are reused, like local ones.

Both hand an experiment the results of its needs (computed first, or read from the cache), run
`ganbook.engine.runner.compute_result` (the serial path: same code, same pinned threads, so the
same bits), and store what comes back in this machine's content-addressed cache: workers and
Ray nodes need no shared file system. A result whose worker computed another key than this
process (the code changed during the build, or the cluster runs other code) is refused, and so
is one computed by a reused worker whose imported code is no longer the code on its disk
(`ganbook.engine.freshness.StaleCodeError`).
"""

from __future__ import annotations

import dataclasses
import importlib
import multiprocessing
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from ganbook._checks import require_choice, require_positive_int
from ganbook.engine.freshness import StaleCodeError
from ganbook.engine.registry import expanded_needs, get_experiment
from ganbook.engine.result import ExperimentResult
from ganbook.engine.runner import (
    DEFAULT_CACHE_DIR,
    DEFAULT_THREADS,
    RunOptions,
    RunRecord,
    compute_result,
    dependency_order,
    experiment_keys,
    open_cache,
    read_entry,
    store_result,
)

EXECUTORS = ("local", "ray")
RAY_MISSING = "the ray executor needs Ray, an optional extra: pip install ganbook[ray]"

Obtained = dict[str, tuple[ExperimentResult, RunRecord]]
Report = Callable[[str], None]


def _task(
    name: str, options: RunOptions, modules: tuple[str, ...], needs: Mapping[str, ExperimentResult]
) -> tuple[ExperimentResult, RunRecord]:
    """Worker side: import the modules that register the experiments, then compute ``name``."""
    for module in modules:
        importlib.import_module(module)
    return compute_result(name, options, needs)


def _ray_task(
    name: str, options: RunOptions, modules: tuple[str, ...], need_names: tuple[str, ...], *needs
) -> tuple[ExperimentResult, RunRecord]:
    """A Ray task: Ray resolves the needs' object references passed as arguments."""
    return _task(name, options, modules, dict(zip(need_names, needs, strict=True)))


class _Collector:
    """Stores each computed result, checks its key, and reports progress."""

    def __init__(self, keys: dict[str, str], options: RunOptions, total: int, where: str, report):
        self.keys = keys
        self.options = options
        self.total = total
        self.where = where
        self.report = report
        self.done: Obtained = {}

    def add(self, result: ExperimentResult, record: RunRecord) -> None:
        # a result the cache cannot store (read-only, full) is used all the same, with a warning
        store_result(result, record, self.options.cache_dir)
        if record.key != self.keys[record.name]:
            raise StaleCodeError(
                f"experiment {record.name!r} was computed by other code than this process sees "
                f"({self.where}): the code changed during the build, or the workers run another "
                "checkout; build again"
            )
        self.done[record.name] = (result, record)
        self.report(
            f"computed {record.name} in {record.seconds:.1f} s "
            f"({len(self.done)} of {self.total} {self.where})"
        )


def _modules(name: str) -> tuple[str, ...]:
    """The modules that register ``name`` and everything it needs (a worker imports them)."""
    return tuple(sorted({get_experiment(n).module for n in dependency_order([name])}))


def critical_paths(names: list[str]) -> dict[str, float]:
    r"""For each of ``names``: its cost plus the costliest chain of those of ``names`` after it.

    $$
    c^*(n) = c(n) + \max_{m \text{ needs } n} c^*(m) \quad (0 \text{ if none waits})
    $$

    with $c$ the experiments' declared ``cost``. A torch experiment counts at least 2, so that
    among the undeclared ones the trainings still go before the closed forms.
    """
    chosen = set(names)
    found: dict[str, float] = {}
    for name in reversed(dependency_order(names)):  # those that wait on a name come after it
        if name not in chosen:
            continue
        exp = get_experiment(name)
        own = max(exp.cost, 2.0) if exp.uses_torch_device else exp.cost
        waiting = [found[m] for m in found if name in expanded_needs(m)]
        found[name] = own + max(waiting, default=0.0)
    return found


def _run_local(
    missing: list[str],
    results: dict[str, ExperimentResult],
    collector: _Collector,
    workers: int,
) -> None:
    """Compute ``missing`` (in dependency order) in a pool of fresh ``spawn`` processes.

    No more than ``workers`` run at once; whenever one finishes, the ready experiment with the
    longest chain of cost ahead of it (`critical_paths`) starts next, so that the long runs,
    and what waits on them, do not end up last on one worker while the others idle.
    """
    pending = list(missing)
    slots = min(workers, len(missing))
    chain = critical_paths(missing)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=slots, mp_context=context) as pool:
        running = {}
        try:
            while pending or running:
                ready = [n for n in pending if all(m in results for m in expanded_needs(n))]
                ready.sort(key=lambda n: -chain[n])  # stable: dependency order breaks ties
                for name in ready[: slots - len(running)]:
                    pending.remove(name)
                    needs = {m: results[m] for m in expanded_needs(name)}
                    future = pool.submit(_task, name, collector.options, _modules(name), needs)
                    running[future] = name
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    name = running.pop(future)
                    result, record = future.result()
                    collector.add(result, record)
                    results[name] = result
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _import_ray():
    try:
        import ray
    except ImportError as error:
        raise RuntimeError(RAY_MISSING) from error
    return ray


def _run_ray(
    ray,
    missing: list[str],
    results: dict[str, ExperimentResult],
    collector: _Collector,
    gpus: bool,
) -> None:
    """Submit ``missing`` as Ray tasks, each after its needs (object references as arguments).

    A task has two returns, the result and the record, so that a dependent receives the result.
    """
    cpu_task, gpu_task = ray.remote(_ray_task), ray.remote(max_calls=1)(_ray_task)
    refs, records, put = {}, {}, {}
    for name in missing:
        need_names = expanded_needs(name)
        args = []
        for need in need_names:
            if need not in refs and need not in put:
                put[need] = ray.put(results[need])
            args.append(refs.get(need, put.get(need)))
        wants_gpu = gpus and get_experiment(name).uses_torch_device
        task = (gpu_task if wants_gpu else cpu_task).options(
            num_gpus=1 if wants_gpu else 0, num_returns=2
        )
        refs[name], records[name] = task.remote(
            name, collector.options, _modules(name), need_names, *args
        )
    waiting = {ref: name for name, ref in records.items()}
    while waiting:
        ready, _ = ray.wait(list(waiting), num_returns=1)
        for ref in ready:
            name = waiting.pop(ref)
            collector.add(ray.get(refs[name]), ray.get(ref))


def obtain(
    names: list[str],
    *,
    executor: str = "local",
    workers: int = 2,
    address: str | None = None,
    report: Report = lambda _line: None,
    force: bool = False,
    profile: str = "standard",
    device: str = "auto",
    cache_dir: str | Path = DEFAULT_CACHE_DIR,
    threads: int = DEFAULT_THREADS,
    seed_offset: int = 0,
) -> Obtained:
    """The result and record of each of ``names`` and of all they need, computing the misses.

    Hits are read from the cache in this process; misses are computed by ``executor`` (see the
    module), each after everything it needs, and stored in the cache. ``force`` recomputes
    ``names`` (not their needs) even when cached. The other options are `RunOptions`' fields.

    Returns
    -------
    dict
        ``{name: (ExperimentResult, RunRecord)}`` in dependency order, needs included.

    Raises
    ------
    ValueError
        For an unknown executor, experiment or need, needs that form a cycle, ``workers`` or
        ``threads`` below 1; all before anything runs.
    ganbook.engine.runner.CacheDirectoryError
        For a cache directory that is a file (an ``OSError`` and a ``ValueError``), before
        anything runs.
    RuntimeError
        For ``executor="ray"`` without Ray installed (naming ``pip install ganbook[ray]``).

    Notes
    -----
    A computed result that the cache cannot store (read-only, full) is returned all the same,
    with one warning (`ganbook.engine.runner.store_result`).
    """
    require_choice("executor", executor, EXECUTORS)
    workers = require_positive_int("workers", workers)
    options = RunOptions(profile, str(device), Path(cache_dir), threads, seed_offset)
    open_cache(options.cache_dir)
    if executor == "local":
        where = f"in {workers} worker process{'es' if workers > 1 else ''}"
        return _obtain(names, options, force, report, where, lambda *job: _run_local(*job, workers))
    ray = _import_ray()
    started = not ray.is_initialized()
    if started:
        ray.init(address=address, include_dashboard=False)
    try:
        gpus = ray.cluster_resources().get("GPU", 0) >= 1
        if gpus and options.device == "auto":
            options = dataclasses.replace(options, device="cuda")
        where = "as Ray tasks" + (", one GPU each" if gpus else "")
        return _obtain(names, options, force, report, where, lambda *job: _run_ray(ray, *job, gpus))
    finally:
        if started:
            ray.shutdown()


def _obtain(
    names: list[str], options: RunOptions, force: bool, report: Report, where: str, run
) -> Obtained:
    """Read the hits; hand the misses, in dependency order, to ``run``; collect what it computes."""
    order = dependency_order(names)
    keys = experiment_keys(order, options)
    obtained: Obtained = {}
    results: dict[str, ExperimentResult] = {}
    missing = []
    for name in order:
        started = time.perf_counter()
        cached = (
            None if (force and name in names) else read_entry(name, keys[name], options.cache_dir)
        )
        if cached is None:
            missing.append(name)
        else:
            results[name] = cached
            obtained[name] = (
                cached,
                RunRecord(name, keys[name], True, time.perf_counter() - started),
            )
    if missing:
        collector = _Collector(keys, options, len(missing), where, report)
        run(missing, results, collector)
        obtained.update(collector.done)
    return {name: obtained[name] for name in order}
