"""Claims tie sentences of the prose to experiment results: they hold, and a broken one is loud."""

from __future__ import annotations

import numpy as np
import pytest

from ganbook.experiments import (
    ClaimFailedError,
    ExperimentResult,
    check_claims,
    claims_for,
    experiment_names,
    get_experiment,
    run_experiment,
)

ANALYTIC = [name for name in experiment_names() if not get_experiment(name).uses_torch_device]


@pytest.mark.parametrize("name", ANALYTIC)
def test_claims_hold_on_the_published_profile(name, tmp_path):
    # Analytic experiments are cheap: check the very numbers the site publishes.
    result, _ = run_experiment(name, profile="standard", device="cpu", cache_dir=tmp_path)
    assert check_claims(name, result, "standard") == len(claims_for(name))


def test_a_broken_claim_names_the_experiment_and_the_statement(tmp_path):
    result, _ = run_experiment(
        "shift_toy_gradients", profile="test", device="cpu", cache_dir=tmp_path
    )
    broken = ExperimentResult(
        arrays=dict(result.arrays),
        scalars={**result.scalars, "saturating_at_8sigma": 0.5},
    )
    with pytest.raises(ClaimFailedError, match=r"shift_toy_gradients.*gradient vanishes"):
        check_claims("shift_toy_gradients", broken, "standard")


def test_claims_only_apply_to_their_profiles(tmp_path):
    result, _ = run_experiment("shift_toy_value", profile="test", device="cpu", cache_dir=tmp_path)
    wrong = ExperimentResult(arrays=result.arrays, scalars={**result.scalars, "max_gap": np.inf})
    with pytest.raises(ClaimFailedError):
        check_claims("shift_toy_value", wrong, "test")


def test_every_experiment_with_prose_claims_is_registered():
    for name in experiment_names():
        for item in claims_for(name):
            assert item.statement and item.experiment == name
