"""The engine: what turns the book's chapters into results, checked claims and figures.

Chapters declare experiments (`experiment`, with ``needs``), grids of them (`experiment_grid`),
figures (`figure`) and claims (`claim`); the engine runs the experiments through the
content-addressed cache, computing every miss in fresh worker processes or as Ray tasks
(`ganbook.engine.executors`), checks every claim and renders every figure (`build_all`).
"""

# First: record the source of every ganbook module as it is imported (see the module).
from ganbook.engine import freshness as _freshness  # noqa: F401
from ganbook.engine.build import BuildOutput, RenderedFigure, build_all, render_figure
from ganbook.engine.claims import (
    ClaimFailedError,
    ClaimOutcome,
    all_claims,
    check_claims,
    claim,
    claims_for,
)
from ganbook.engine.figures import FigureSpec, figure, figure_names, get_figure
from ganbook.engine.registry import (
    PROFILES,
    Experiment,
    GridResults,
    RunContext,
    experiment,
    experiment_grid,
    experiment_names,
    get_experiment,
    grid_names,
)
from ganbook.engine.result import ExperimentResult
from ganbook.engine.runner import RunRecord, run_experiment

__all__ = [
    "PROFILES",
    "BuildOutput",
    "ClaimFailedError",
    "ClaimOutcome",
    "Experiment",
    "ExperimentResult",
    "FigureSpec",
    "GridResults",
    "RenderedFigure",
    "RunContext",
    "RunRecord",
    "all_claims",
    "build_all",
    "check_claims",
    "claim",
    "claims_for",
    "experiment",
    "experiment_grid",
    "experiment_names",
    "figure",
    "figure_names",
    "get_experiment",
    "get_figure",
    "grid_names",
    "render_figure",
    "run_experiment",
]
