"""Named, parameterised, cached computations whose results feed figures and prose."""

from ganbook.experiments.claims import (
    ClaimFailedError,
    ClaimOutcome,
    all_claims,
    check_claims,
    claim,
    claims_for,
)
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
    "ClaimFailedError",
    "ClaimOutcome",
    "Experiment",
    "ExperimentResult",
    "RunContext",
    "RunRecord",
    "all_claims",
    "check_claims",
    "claim",
    "claims_for",
    "experiment",
    "experiment_names",
    "get_experiment",
    "run_experiment",
]
