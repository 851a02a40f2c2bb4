"""Named, parameterised, cached computations whose results feed figures and prose."""

from ganbook.experiments.registry import (
    PROFILES,
    Experiment,
    RunContext,
    experiment,
    experiment_names,
    get_experiment,
)
from ganbook.experiments.result import ExperimentResult
from ganbook.experiments.runner import RunRecord, run_experiment

__all__ = [
    "PROFILES",
    "Experiment",
    "ExperimentResult",
    "RunContext",
    "RunRecord",
    "experiment",
    "experiment_names",
    "get_experiment",
    "run_experiment",
]
