"""Plain functions that several test modules use (`tests/` is on the path: `import helpers`)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np


def random_pair(
    rng: np.random.Generator, n: int, zeros: bool = False, zero_share: float = 0.3
) -> tuple[np.ndarray, np.ndarray]:
    """Two random probability vectors of length ``n``.

    With ``zeros``, about ``zero_share`` of each vector's entries are set to exactly 0, keeping
    ``p[0]`` and ``q[-1]`` positive so that neither vector is empty.
    """
    p, q = rng.random(n), rng.random(n)
    if zeros:
        p[rng.random(n) < zero_share] = 0.0
        q[rng.random(n) < zero_share] = 0.0
        p[0] = q[-1] = 1.0
    return p / p.sum(), q / q.sum()


def chapter_experiments(chapter) -> list[str]:
    """The names of the experiments that ``chapter`` defines: those whose module is in its package.

    ``chapter`` is a `ganbook.book.Chapter`; the names are sorted.
    """
    from ganbook.engine import experiment_names, get_experiment

    prefix = chapter.package + "."
    return [name for name in experiment_names() if get_experiment(name).module.startswith(prefix)]


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file ``path`` (created if missing) for the block's duration.

    pytest-xdist's workers are processes: the first to take the lock computes what they share
    (an experiment's result, the built site), the others wait and then read it back.
    """
    with Path(path).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_tmp_dir(tmp_path_factory, name: str) -> Path:
    """A directory ``name`` that every pytest-xdist worker of this run sees (created if missing).

    Each worker's base temporary directory is a child of the run's, so the run's is shared; without
    xdist (no ``PYTEST_XDIST_WORKER`` in the environment) the session's own base is used.
    """
    base = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        base = base.parent
    path = base / name
    path.mkdir(exist_ok=True)
    return path
