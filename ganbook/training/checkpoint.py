r"""The state of a run between two steps, and its checkpoint file.

`RunState` is everything that changes while training: the players and optimisers, the random
streams, the step count and the history recorded so far. A checkpoint stores it as state dicts
and tensors (``torch.save``), written atomically and read with ``torch.load(weights_only=True)``,
so resuming at step $k$ continues exactly as if the run had not stopped. This module does not
train.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ganbook.training.atomic import atomic_write
from ganbook.training.config import TrainConfig
from ganbook.training.recorder import Recorder
from ganbook.training.steps import GAN

__all__ = ["CHECKPOINT_FORMAT", "RunState", "load_checkpoint", "save_checkpoint"]

CHECKPOINT_FORMAT = 1


@dataclass
class RunState:
    r"""Everything that changes during a run, on the training device.

    Parameters
    ----------
    config : TrainConfig
        The run's config.
    device : torch.device
        The resolved training device.
    gan : GAN
        Players, optimisers and the device random stream (latents, penalty points).
    data_rng : torch.Generator
        CPU generator of the real batches (the samplers of `ganbook.data` draw on the CPU).
    recorder : Recorder
        The per-step series recorded so far, on the device.
    wall_time : numpy.ndarray
        Shape (steps,), float64 seconds.
    snapshot_steps : list of int
        Steps at which samples were taken.
    snapshots : list of torch.Tensor
        The samples, each of shape (snapshot_size, *sample_shape), on the device.
    step : int
        Number of completed steps.
    """

    config: TrainConfig
    device: torch.device
    gan: GAN
    data_rng: torch.Generator
    recorder: Recorder
    wall_time: np.ndarray
    snapshot_steps: list[int] = field(default_factory=list)
    snapshots: list[torch.Tensor] = field(default_factory=list)
    step: int = 0

    def state_dict(self) -> dict[str, Any]:
        r"""The checkpoint content: only tensors, numbers, strings and dicts (no pickled class)."""
        self.recorder.flush()
        k, gan = self.step, self.gan
        return {
            "format": CHECKPOINT_FORMAT,
            "step": k,
            "config": json.dumps(self.config.to_dict(), sort_keys=True),
            "device": self.device.type,
            "generator": gan.generator.state_dict(),
            "discriminator": gan.discriminator.state_dict(),
            "g_optimiser": gan.g_optimiser.state_dict(),
            "d_optimiser": gan.d_optimiser.state_dict(),
            "rng": {"data": self.data_rng.get_state(), "noise": gan.rng.get_state()},
            "rows": self.recorder.rows[:k].cpu(),
            "wall_time": torch.from_numpy(self.wall_time[:k].copy()),
            "snapshot_steps": torch.tensor(self.snapshot_steps, dtype=torch.int64),
            "snapshots": [s.cpu() for s in self.snapshots],
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        r"""Restore a `state_dict` made by a run of the same config (``steps`` may grow)."""
        self._check_compatible(state)
        k, gan = state["step"], self.gan
        gan.generator.load_state_dict(state["generator"])
        gan.discriminator.load_state_dict(state["discriminator"])
        gan.g_optimiser.load_state_dict(state["g_optimiser"])
        gan.d_optimiser.load_state_dict(state["d_optimiser"])
        self.data_rng.set_state(state["rng"]["data"])
        gan.rng.set_state(state["rng"]["noise"])
        self.recorder.rows[:k] = state["rows"].to(self.device)
        self.recorder.done = k
        self.wall_time[:k] = state["wall_time"].numpy()
        self.snapshot_steps = state["snapshot_steps"].tolist()
        self.snapshots = [s.to(self.device) for s in state["snapshots"]]
        self.step = k

    def _check_compatible(self, state: dict[str, Any]) -> None:
        if state.get("format") != CHECKPOINT_FORMAT:
            raise ValueError(f"checkpoint format {state.get('format')!r} is not supported")
        saved = TrainConfig.from_dict(json.loads(state["config"]))
        differ = [
            f.name
            for f in dataclasses.fields(TrainConfig)
            if f.name != "steps" and getattr(saved, f.name) != getattr(self.config, f.name)
        ]
        if differ:
            raise ValueError(f"checkpoint was made with other values of: {', '.join(differ)}")
        if state["device"] != self.device.type:
            raise ValueError(
                f"checkpoint was made on {state['device']!r}, cannot resume on {self.device.type!r}"
            )
        if state["step"] > self.config.steps:
            raise ValueError(f"checkpoint is at step {state['step']} > steps {self.config.steps}")


def save_checkpoint(path: str | os.PathLike, state: dict[str, Any]) -> Path:
    r"""Write ``state`` (a `RunState.state_dict`) to ``path`` atomically with ``torch.save``.

    Examples
    --------
    >>> import tempfile, pathlib, torch
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "run.pt"
    >>> save_checkpoint(path, {"step": 3, "w": torch.ones(2)}).name
    'run.pt'
    >>> load_checkpoint(path)["step"]
    3
    """
    # A file object, not a path: torch.save names the archive's records after a path, and the
    # temp file's random name would change the bytes from run to run.
    return atomic_write(path, lambda stream: torch.save(state, stream))


def load_checkpoint(
    path: str | os.PathLike, *, map_location: str | torch.device = "cpu"
) -> dict[str, Any]:
    r"""Read a checkpoint with ``torch.load(..., weights_only=True)``: no arbitrary code runs."""
    return torch.load(Path(path), map_location=map_location, weights_only=True)
