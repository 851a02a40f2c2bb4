"""Experiments that exist only for the engine's tests, registered when ``GANBOOK_TOYS=1``.

The fixture ``toys`` (``engine_fixtures.py``) sets it, imports this module afresh and removes
every registration it made afterwards; without it (collecting the suite's doctests imports every
module) nothing is registered. Worker processes import the module by name (the executors import
the module of every experiment they run), so everything a test varies is read from the
environment at import, which the workers inherit:

- ``GANBOOK_TOYS_SEEDS``: the grid's seed axis (``"0,1"``);
- ``GANBOOK_TOYS_CELL_LR``: JSON ``{"loss,seed": lr}``, a learning rate for single cells;
- ``GANBOOK_TOYS_N``: the size of ``toy_base``;
- ``GANBOOK_TOYS_LOG``: a file each computation appends ``name start end pid`` to.
"""

from __future__ import annotations

import json
import os
import time

import numpy as np
import torch

from ganbook.engine.figures import figure
from ganbook.engine.registry import experiment, experiment_grid
from ganbook.engine.result import ExperimentResult

SEEDS = tuple(int(s) for s in os.environ.get("GANBOOK_TOYS_SEEDS", "0,1").split(","))
CELL_LR = json.loads(os.environ.get("GANBOOK_TOYS_CELL_LR", "{}"))
BASE_SIZE = int(os.environ.get("GANBOOK_TOYS_N", "16"))
AXES = {"loss": ("hinge", "square"), "seed": SEEDS}
TOY_EXPERIMENTS = ("toy_base", "toy_scaled", "toy_grid_summary")


class _Logged:
    """Appends ``name start end pid`` to ``GANBOOK_TOYS_LOG`` around a computation."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> None:
        self.start = time.time()

    def __exit__(self, *exc) -> None:
        path = os.environ.get("GANBOOK_TOYS_LOG")
        if path:
            with open(path, "a") as log:
                log.write(f"{self.name} {self.start!r} {time.time()!r} {os.getpid()}\n")


def toy_base(params, context):
    """Normal draws from the stream ``draws``."""
    with _Logged("toy_base"):
        time.sleep(0.3)  # long enough that a dependent started too early would overlap it
        draws = np.random.default_rng(context.stream_seed("draws")).normal(size=params["n"])
        return ExperimentResult(arrays={"draws": draws}, scalars={"mean": float(draws.mean())})


def toy_scaled(params, context):
    """``toy_base``'s draws times a factor: it can only be right if it got them."""
    with _Logged("toy_scaled"):
        draws = context.needed["toy_base"].arrays["draws"] * params["factor"]
        return ExperimentResult(arrays={"draws": draws}, scalars={"mean": float(draws.mean())})


def _cell_params(point):
    lr = CELL_LR.get(f"{point['loss']},{point['seed']}")
    return {} if lr is None else {"lr": lr}


def toy_cell(params, context):
    """Gradient descent in torch on a loss, from a random start of the cell's seed."""
    with _Logged(f"toy_grid[loss={params['loss']},seed={params['seed']}]"):
        x = torch.randn(6, generator=context.stream("start"), dtype=torch.float64)
        x = x.to(context.device)
        for _ in range(params["steps"]):
            grad = torch.sign(x) if params["loss"] == "hinge" else 2 * x
            x = x - params["lr"] * grad
        x = x.cpu()
        return ExperimentResult(arrays={"x": x.numpy()}, scalars={"norm": float(x.norm())})


def toy_grid_summary(_params, context):
    """Every cell's final norm, stacked by the grid's axes."""
    with _Logged("toy_grid_summary"):
        grid = context.needed["toy_grid"]
        return ExperimentResult(
            arrays={"norms": grid.scalars("norm")},
            scalars={"cells": len(grid), "hinge_cells": len(grid.where(loss="hinge"))},
        )


def toy_figure(results):
    """Bytes that depend on the result (no matplotlib needed)."""
    return f"toy {results['toy_base'].scalar('mean')!r}".encode()


if os.environ.get("GANBOOK_TOYS") == "1":
    experiment("toy_base", params={"n": BASE_SIZE}, seed=3, uses_torch_device=False)(toy_base)
    experiment("toy_scaled", params={"factor": 3.0}, needs=("toy_base",), uses_torch_device=False)(
        toy_scaled
    )
    experiment_grid(
        "toy_grid", axes=AXES, params={"steps": 30, "lr": 0.05}, cell_params=_cell_params
    )(toy_cell)
    experiment("toy_grid_summary", needs=("toy_grid",), uses_torch_device=False)(toy_grid_summary)
    figure("toy_figure", experiments=("toy_base",), caption="toy", alt="toy", format="gif")(
        toy_figure
    )
