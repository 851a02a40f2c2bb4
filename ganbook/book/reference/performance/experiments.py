r"""The trainer's speed against a minimal hand-written PyTorch loop, measured at build time.

Timings are measurements of the machine that builds the site, not properties of the code, so no
claim checks them; the page says which machine and device they come from.
"""

from __future__ import annotations

import platform

from ganbook.apps.benchmark import CASES, run_benchmark, run_ensemble_benchmark
from ganbook.engine.registry import RunContext, experiment, get_experiment, get_grid
from ganbook.engine.result import ExperimentResult
from ganbook.measures.toy_runs import members_trained


def case_key(case_name: str) -> str:
    """A scalar-name prefix for a benchmark case, e.g. ``ring_wgan_gp``."""
    return case_name.replace("/", "_").replace("-", "_")


@experiment(
    "trainer_benchmark",
    params={"rounds": 3, "quick": False, "threads": 1, "members": 5, "hidden": 32},
    test={"rounds": 1, "quick": True, "members": 2},
    title="Steps per second of train() against a hand-written loop, and of seed ensembles",
    cost=60,
)
def trainer_benchmark(params, context: RunContext) -> ExperimentResult:
    rows = run_benchmark(
        device=context.device.type,
        threads=params["threads"],
        rounds=params["rounds"],
        quick=params["quick"],
    )
    scalars: dict[str, float | int | str] = {
        "machine": f"{platform.machine()}, {platform.system()}",
        "device": context.device.type,
        "threads": params["threads"],
        "rounds": params["rounds"],
        "cases": len(CASES),
    }
    for row in rows:
        key = case_key(row["case"])
        scalars[f"{key}_trainer"] = row["trainer_steps_per_s"]
        scalars[f"{key}_hand"] = row["hand_steps_per_s"]
        scalars[f"{key}_ratio"] = row["ratio"]
        scalars[f"{key}_steps"] = row["steps"]
        scalars[f"{key}_batch"] = row["batch_size"]
        scalars[f"{key}_n_critic"] = row["n_critic"]
    scalars["min_ratio"] = min(row["ratio"] for row in rows)
    ensemble = run_ensemble_benchmark(
        device=context.device.type,
        threads=params["threads"],
        members=params["members"],
        hidden=params["hidden"],
        rounds=params["rounds"],
        quick=params["quick"],
    )
    scalars["ensemble_members"] = params["members"]
    scalars["ensemble_hidden"] = params["hidden"]
    for row in ensemble:
        key = "ensemble_" + case_key(row["case"])
        scalars[f"{key}_batched"] = row["batched_member_steps_per_s"]
        scalars[f"{key}_loop"] = row["loop_member_steps_per_s"]
        scalars[f"{key}_speedup"] = row["speedup"]
        scalars[f"{key}_steps"] = row["steps"]
        scalars[f"{key}_n_critic"] = row["n_critic"]
    return ExperimentResult(scalars=scalars)


@experiment(
    "loss_study_costs",
    uses_torch_device=False,
    needs=("loss_study",),
    title="What the cells of the loss study cost on the machine that computed them",
)
def loss_study_costs(_params, context: RunContext) -> ExperimentResult:
    r"""Per cell, the wall time of its ensemble's training; the grid's total, longest and bound.

    With $t_c$ the time of cell $c$ and $N$ workers, the grid takes at least
    $\max\bigl(\max_c t_c,\ \tfrac1N \sum_c t_c\bigr)$; the cells are independent, so a
    scheduler that always starts the longest waiting cell comes close to that bound.

    The ``full`` profile's cells train $m_f$ members and, per rate of the sweep, $m_t$ tuning
    members: $r = (m_f + m_t\,|\text{rates}|) / m$ times the $m$ members here. A batched
    ensemble's time grows no faster than its members, so $r\,t_c$ bounds a full cell from above
    and the same bound, with every $t_c$ times $r$, estimates the full grid.
    """
    grid = context.needed["loss_study"]
    seconds = {point: float(grid[point].arrays["wall_time"].max()) for point in grid}
    members = {int(grid[point].scalars["members"]) for point in grid}
    total = sum(seconds.values())
    longest = max(seconds, key=seconds.get)
    cheapest = min(seconds, key=seconds.get)
    members = members.pop()
    full = get_experiment(get_grid("loss_study").cells[0]).params_for("full")  # via the registry
    full_members = members_trained(full)
    ratio = full_members / members
    return ExperimentResult(
        scalars={
            "cells": len(seconds),
            "members": members,
            "full_members_trained": full_members,
            "full_ratio": ratio,
            "full_total_seconds": total * ratio,
            "full_longest_seconds": seconds[longest] * ratio,
            "full_bound_two_workers": ratio * max(seconds[longest], total / 2),
            "full_bound_eight_workers": ratio * max(seconds[longest], total / 8),
            "total_seconds": total,
            "longest_seconds": seconds[longest],
            "longest_cell": ", ".join(str(value) for value in longest),
            "cheapest_seconds": seconds[cheapest],
            "cheapest_cell": ", ".join(str(value) for value in cheapest),
            "bound_two_workers": max(seconds[longest], total / 2),
            "bound_eight_workers": max(seconds[longest], total / 8),
        }
    )
