"""Needs and grids: what runs first, what is cached apart, what a change re-runs; local workers."""

from __future__ import annotations

import os

import numpy as np
import pytest
import torch

from ganbook.engine.context import derived_seed
from ganbook.engine.executors import obtain
from ganbook.engine.registry import (
    experiment,
    experiment_grid,
    experiment_names,
    get_grid,
    grid_names,
)
from ganbook.engine.result import ExperimentResult
from ganbook.engine.runner import dependency_order, experiment_key, run_experiment

CELLS = [
    "toy_grid[loss=hinge,seed=0]",
    "toy_grid[loss=hinge,seed=1]",
    "toy_grid[loss=square,seed=0]",
    "toy_grid[loss=square,seed=1]",
]
pytest_plugins = ["engine_fixtures"]
OPTIONS = {"profile": "test", "device": "cpu"}


def log_lines(tmp_path) -> list[tuple[str, float, float, int]]:
    """``(name, start, end, pid)`` of every computation the toys logged, in order of ending."""
    path = tmp_path / "toys.log"
    lines = path.read_text().splitlines() if path.exists() else []
    return [(n, float(s), float(e), int(p)) for n, s, e, p in (line.split() for line in lines)]


def expected_x(loss: str, seed: int, lr: float = 0.05, steps: int = 30) -> np.ndarray:
    """A cell of `engine_toys.toy_cell`, written out.

    Seed ``s`` of the grid (seed 0) starts from the stream ``start`` of
    ``derived_seed(0, "seed", s)``, whatever the loss.
    """
    start = torch.Generator().manual_seed(derived_seed(derived_seed(0, "seed", seed), "start"))
    x = torch.randn(6, generator=start, dtype=torch.float64)
    for _ in range(steps):
        x = x - lr * (torch.sign(x) if loss == "hinge" else 2 * x)
    return x.numpy()


def entries(cache) -> list[str]:
    return sorted(p.name.rsplit("-", 1)[0] for p in (cache / "experiments").iterdir())


def test_a_two_by_two_grid_is_four_cached_cells(toys, tmp_path):
    toys()
    assert get_grid("toy_grid").cells == tuple(CELLS)
    assert "toy_grid" in grid_names()
    assert set(CELLS) <= set(experiment_names())
    obtained = obtain(CELLS, workers=2, cache_dir=tmp_path / "c", **OPTIONS)
    assert entries(tmp_path / "c") == CELLS
    assert len({record.key for _, record in obtained.values()}) == 4
    # each cell got its point as parameters, and its seed's stream (shared across losses)
    for cell, (loss, seed) in zip(
        CELLS, [("hinge", 0), ("hinge", 1), ("square", 0), ("square", 1)], strict=True
    ):
        np.testing.assert_allclose(
            obtained[cell][0].arrays["x"], expected_x(loss, seed), rtol=1e-12
        )
    assert obtained[CELLS[0]][0].meta["seed"] == obtained[CELLS[2]][0].meta["seed"]
    assert obtained[CELLS[0]][0].meta["seed"] != obtained[CELLS[1]][0].meta["seed"]


def test_changing_one_cells_parameters_recomputes_that_cell_only(toys, tmp_path):
    toys()
    cache = tmp_path / "c"
    first = obtain(CELLS, workers=2, cache_dir=cache, **OPTIONS)
    toys(cell_lr='{"square,1": 0.2}')
    again = obtain(CELLS, workers=2, cache_dir=cache, **OPTIONS)
    computed = [name for name, (_, record) in again.items() if not record.hit]
    assert computed == ["toy_grid[loss=square,seed=1]"]
    assert again[computed[0]][1].key != first[computed[0]][1].key
    np.testing.assert_allclose(again[computed[0]][0].arrays["x"], expected_x("square", 1, lr=0.2))
    toys(seeds="0,1,2")  # a new seed: two new cells, the four old ones are hits
    cells = [*CELLS, "toy_grid[loss=hinge,seed=2]", "toy_grid[loss=square,seed=2]"]
    third = obtain(cells, workers=2, cache_dir=cache, **OPTIONS)
    assert sorted(n for n, (_, r) in third.items() if not r.hit) == sorted(cells[4:])


def test_the_aggregate_sees_every_cell_and_runs_after_them_in_workers(toys, tmp_path):
    toys()
    obtained = obtain(["toy_grid_summary"], workers=2, cache_dir=tmp_path / "c", **OPTIONS)
    assert list(obtained) == [*CELLS, "toy_grid_summary"]
    summary = obtained["toy_grid_summary"][0]
    norms = np.array([[obtained[c][0].scalars["norm"] for c in CELLS[i : i + 2]] for i in (0, 2)])
    np.testing.assert_array_equal(summary.arrays["norms"], norms)
    assert summary.scalars == {"cells": 4, "hinge_cells": 2}
    log = {name: (start, end, pid) for name, start, end, pid in log_lines(tmp_path)}
    assert set(log) == {*CELLS, "toy_grid_summary"}
    assert all(pid != os.getpid() for _, _, pid in log.values()), "a miss ran in this process"
    assert log["toy_grid_summary"][0] >= max(log[c][1] for c in CELLS)
    # the aggregate's key covers its cells' keys: a change to one cell re-keys the aggregate
    before = experiment_key("toy_grid_summary", **OPTIONS)
    toys(cell_lr='{"hinge,0": 0.01}')
    assert experiment_key("toy_grid_summary", **OPTIONS) != before


def test_a_need_is_computed_first_even_with_one_worker_and_handed_over(toys, tmp_path):
    toys()
    obtained = obtain(["toy_scaled"], workers=1, cache_dir=tmp_path / "c", **OPTIONS)
    base, scaled = obtained["toy_base"][0], obtained["toy_scaled"][0]
    np.testing.assert_array_equal(scaled.arrays["draws"], 3.0 * base.arrays["draws"])
    (first, _, end1, pid1), (second, start2, _, pid2) = log_lines(tmp_path)
    assert (first, second) == ("toy_base", "toy_scaled")
    assert start2 >= end1
    assert os.getpid() not in (pid1, pid2)
    # a need's key is part of the dependent's key
    before = experiment_key("toy_scaled", **OPTIONS)
    toys(n="17")
    assert experiment_key("toy_scaled", **OPTIONS) != before


def test_workers_give_the_bits_of_a_serial_in_process_run(toys, tmp_path):
    toys()
    names = [*CELLS, "toy_scaled", "toy_grid_summary", "shift_toy_gradients"]
    serial = {n: run_experiment(n, cache_dir=tmp_path / "serial", **OPTIONS)[0] for n in names}
    parallel = obtain(names, workers=2, cache_dir=tmp_path / "workers", **OPTIONS)
    for name in names:
        ours, theirs = serial[name], parallel[name][0]
        assert ours.scalars == theirs.scalars, name
        assert ours.arrays.keys() == theirs.arrays.keys(), name
        for key in ours.arrays:
            assert np.array_equal(ours.arrays[key], theirs.arrays[key]), (name, key)


def test_a_cycle_or_an_unknown_need_is_a_clear_error(toys, tmp_path):
    toys()

    @experiment("toy_cycle_a", needs=("toy_cycle_b",))
    def cycle_a(_params, _context):
        return ExperimentResult()

    @experiment("toy_cycle_b", needs=("toy_cycle_c",))
    def cycle_b(_params, _context):
        return ExperimentResult()

    @experiment("toy_cycle_c", needs=("toy_cycle_a",))
    def cycle_c(_params, _context):
        return ExperimentResult()

    @experiment("toy_orphan", needs=("toy_nowhere",))
    def orphan(_params, _context):
        return ExperimentResult()

    cycle = "cycle: toy_cycle_a → toy_cycle_b → toy_cycle_c → toy_cycle_a"
    with pytest.raises(ValueError, match=cycle):
        dependency_order(["toy_cycle_a"])
    with pytest.raises(ValueError, match=cycle.replace("cycle: ", "")[:20]):
        obtain(["toy_cycle_b"], cache_dir=tmp_path, **OPTIONS)
    with pytest.raises(ValueError, match="needs 'toy_nowhere', which is neither"):
        run_experiment("toy_orphan", cache_dir=tmp_path, **OPTIONS)
    with pytest.raises(ValueError, match="needs itself"):
        experiment("toy_self", needs=("toy_self",))
    with pytest.raises(ValueError, match="both axes and parameters"):
        experiment_grid("toy_bad", axes={"seed": (0,)}, params={"seed": 1})
    assert not (tmp_path / "experiments").exists(), "nothing runs when the graph is wrong"


def test_the_critical_path_counts_a_need_with_everything_that_waits_on_it():
    from ganbook.book import load_book
    from ganbook.engine.executors import critical_paths

    load_book()
    chain = critical_paths(["digit_classifier", "stylegan", "dcgan", "measuring", "bce_terms"])
    # the classifier is short, but the StyleGAN run waits on it: it goes first
    assert chain["digit_classifier"] == 12 + 190
    assert chain["dcgan"] == 150 + chain["measuring"]
    assert chain["digit_classifier"] > chain["dcgan"] > chain["bce_terms"]
