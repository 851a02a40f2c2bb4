"""The ``ray`` executor: a small grid on a local Ray instance, the same bits as ``local``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

from ganbook.engine.executors import RAY_MISSING, obtain
from ganbook.engine.runner import experiment_key

HERE = Path(__file__).resolve().parent
pytest_plugins = ["engine_fixtures"]
OPTIONS = {"profile": "test", "device": "cpu"}


@pytest.fixture
def local_ray(monkeypatch):
    """A Ray instance of this test's own, whose workers can import `engine_toys`."""
    ray = pytest.importorskip("ray")
    path = os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    monkeypatch.setenv("PYTHONPATH", path)  # the workers inherit this process's environment
    monkeypatch.setenv("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.mark.slow
def test_a_grid_on_ray_gives_the_bits_of_local_workers(toys, local_ray, tmp_path):
    toys()
    names = ["toy_grid_summary", "toy_scaled"]
    on_ray = obtain(names, executor="ray", cache_dir=tmp_path / "ray", **OPTIONS)
    assert local_ray.is_initialized(), "an instance the caller started is left running"
    local = obtain(names, executor="local", workers=2, cache_dir=tmp_path / "local", **OPTIONS)
    assert list(on_ray) == list(local)  # every cell, toy_base, then the dependents
    assert len(on_ray) == 7
    for name, (result, record) in local.items():
        theirs, their_record = on_ray[name]
        assert not record.hit
        assert not their_record.hit
        assert their_record.key == record.key == experiment_key(name, **OPTIONS)
        assert theirs.scalars == result.scalars, name
        for key, array in result.arrays.items():
            assert np.array_equal(theirs.arrays[key], array), (name, key)
    # what the Ray tasks returned is in this machine's cache: a second run reads it all back
    again = obtain(names, executor="ray", cache_dir=tmp_path / "ray", **OPTIONS)
    assert all(record.hit for _, record in again.values())
    # the summary ran after its cells, in Ray worker processes
    lines = (tmp_path / "toys.log").read_text().splitlines()
    ray_lines = [line.split() for line in lines[: len(on_ray)]]
    ends = {name: float(end) for name, _, end, _ in ray_lines}
    starts = {name: float(start) for name, start, _, _ in ray_lines}
    cells = [n for n in ends if n.startswith("toy_grid[")]
    assert len(cells) == 4
    assert starts["toy_grid_summary"] >= max(ends[c] for c in cells)
    assert starts["toy_scaled"] >= ends["toy_base"]
    assert all(int(pid) != os.getpid() for *_, pid in ray_lines)


def test_the_ray_executor_without_ray_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    with pytest.raises(RuntimeError, match=r"pip install ganbook\[ray\]") as raised:
        obtain(["bce_terms"], executor="ray", cache_dir=tmp_path, **OPTIONS)
    assert str(raised.value) == RAY_MISSING
    assert "\n" not in RAY_MISSING
