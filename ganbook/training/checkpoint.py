r"""The state of a run between two steps, and its checkpoint file.

`RunState` is everything that changes while training: the players and optimisers, the random
streams, the step count and the history recorded so far. A checkpoint stores it as state dicts
and tensors (``torch.save``), written atomically and read with ``torch.load(weights_only=True)``,
so resuming at step $k$ continues exactly as if the run had not stopped.

A checkpoint also says what it is a checkpoint *of*: the `TrainConfig` (every field but
``steps`` must match to resume), the dataset's name, and a signature of each player (its class
name and the name and shape of every entry of its state dict), so that a checkpoint resumed into
another dataset, model or architecture is refused with a ``ValueError`` naming the difference,
rather than training on from weights that mean something else. Every way a file can fail to be
a checkpoint (empty, truncated, not a dict, not ganbook's, holding pickled objects other than
tensors) is a ``ValueError`` naming the file and what is wrong. This module does not train.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ganbook.training.atomic import atomic_write
from ganbook.training.config import TrainConfig
from ganbook.training.recorder import Recorder
from ganbook.training.steps import GAN

__all__ = [
    "CHECKPOINT_FORMAT",
    "RunState",
    "load_checkpoint",
    "model_signature",
    "save_checkpoint",
]

CHECKPOINT_FORMAT = 2
r"""Version of the checkpoint's layout; 2 added the dataset and the players' signatures."""

_REQUIRED = {
    "step": int,
    "config": str,
    "device": str,
    "models": str,
    "generator": dict,
    "discriminator": dict,
    "g_optimiser": dict,
    "d_optimiser": dict,
    "rng": dict,
    "rows": torch.Tensor,
    "wall_time": torch.Tensor,
    "snapshot_steps": torch.Tensor,
    "snapshots": list,
}


def model_signature(module: torch.nn.Module) -> dict[str, Any]:
    r"""What a checkpoint records of a player: its class name and its state dict's shapes.

    Examples
    --------
    >>> from ganbook.models import ShiftGenerator
    >>> model_signature(ShiftGenerator())
    {'class': 'ShiftGenerator', 'state': {'theta': []}}
    """
    state = module.state_dict()
    shapes = {name: list(getattr(value, "shape", ())) for name, value in state.items()}
    return {"class": type(module).__name__, "state": shapes}


def _signature_difference(role: str, saved: dict[str, Any], here: dict[str, Any]) -> str | None:
    r"""How the ``saved`` signature of player ``role`` differs from ``here``'s; ``None`` if not."""
    if saved.get("class") != here["class"]:
        return f"the {role} is a {saved.get('class')} in the checkpoint, a {here['class']} here"
    saved_state, state = saved.get("state", {}), here["state"]
    missing = [name for name in state if name not in saved_state]
    extra = [name for name in saved_state if name not in state]
    if missing or extra:
        parts = [f"lacks {', '.join(missing[:3])}" if missing else ""]
        parts.append(f"has extra {', '.join(extra[:3])}" if extra else "")
        return f"the checkpoint's {role} ({here['class']}) " + " and ".join(p for p in parts if p)
    for name, shape in state.items():
        if saved_state[name] != shape:
            return (
                f"the {role}'s {name} has shape {tuple(saved_state[name])} in the checkpoint, "
                f"{tuple(shape)} here (another architecture)"
            )
    return None


def _shown(value: Any) -> str:
    return repr(list(value) if isinstance(value, tuple) else value)


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
    dataset : str or None
        The dataset's name (``ganbook train``'s), recorded in the checkpoint and checked on
        resuming; ``None`` for data that has no name.
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
    dataset: str | None = None

    def models(self) -> dict[str, Any]:
        r"""The signatures (`model_signature`) of the two players."""
        return {
            "generator": model_signature(self.gan.generator),
            "discriminator": model_signature(self.gan.discriminator),
        }

    def state_dict(self) -> dict[str, Any]:
        r"""The checkpoint content: only tensors, numbers, strings and dicts (no pickled class)."""
        self.recorder.flush()
        k, gan = self.step, self.gan
        return {
            "format": CHECKPOINT_FORMAT,
            "step": k,
            "config": json.dumps(self.config.to_dict(), sort_keys=True),
            "device": self.device.type,
            "dataset": self.dataset,
            "models": json.dumps(self.models(), sort_keys=True),
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
        r"""Restore a `state_dict` made by a run of the same config (``steps`` may grow).

        Raises ``ValueError`` naming what does not fit: the format, the dataset, a player's
        class or parameter shapes, a field of the config, the device or the step count.
        """
        self._check_compatible(state)
        k, gan = state["step"], self.gan
        try:
            gan.generator.load_state_dict(state["generator"])
            gan.discriminator.load_state_dict(state["discriminator"])
            gan.g_optimiser.load_state_dict(state["g_optimiser"])
            gan.d_optimiser.load_state_dict(state["d_optimiser"])
            self.data_rng.set_state(state["rng"]["data"])
            gan.rng.set_state(state["rng"]["noise"])
            self.recorder.rows[:k] = state["rows"].to(self.device)
            self.wall_time[:k] = state["wall_time"].numpy()
            snapshot_steps = state["snapshot_steps"].tolist()
            snapshots = [s.to(self.device) for s in state["snapshots"]]
        except (RuntimeError, KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
            reason = " ".join(str(error).split()) or type(error).__name__
            raise ValueError(f"its content does not fit this run: {reason}") from None
        self.recorder.done = k
        self.snapshot_steps, self.snapshots = snapshot_steps, snapshots
        self.step = k

    def _check_compatible(self, state: Any) -> None:
        if not isinstance(state, dict):
            raise ValueError(f"it holds a {type(state).__name__}, not a ganbook checkpoint")
        if state.get("format") != CHECKPOINT_FORMAT:
            raise ValueError(
                f"checkpoint format {state.get('format')!r} is not supported (expected "
                f"{CHECKPOINT_FORMAT}): not a checkpoint of this version of ganbook's train()"
            )
        for key, kind in _REQUIRED.items():
            if not isinstance(state.get(key), kind) or isinstance(state.get(key), bool):
                raise ValueError(f"its {key!r} is missing or not a {kind.__name__}")
        if state.get("dataset") != self.dataset:
            raise ValueError(
                f"it was made on dataset {state.get('dataset')!r}, this run trains on "
                f"{self.dataset!r}"
            )
        try:
            models = json.loads(state["models"])
            saved = TrainConfig.from_dict(json.loads(state["config"]))
        except (ValueError, TypeError, AttributeError) as error:
            raise ValueError(f"its config or model signature is unreadable: {error}") from None
        for role, here in self.models().items():
            difference = _signature_difference(role, models.get(role) or {}, here)
            if difference:
                raise ValueError(difference)
        differ = [
            f.name
            for f in dataclasses.fields(TrainConfig)
            if f.name != "steps" and getattr(saved, f.name) != getattr(self.config, f.name)
        ]
        if differ:
            shown = [
                f"{name} ({_shown(getattr(saved, name))} there, "
                f"{_shown(getattr(self.config, name))} here)"
                for name in differ[:3]
            ]
            raise ValueError(
                f"checkpoint was made with other values of: {', '.join(shown + differ[3:])}"
            )
        if state["device"] != self.device.type:
            raise ValueError(
                f"checkpoint was made on {state['device']!r}, cannot resume on {self.device.type!r}"
            )
        if state["step"] < 0:
            raise ValueError(f"checkpoint is at step {state['step']} < 0")
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
    r"""Read a checkpoint with ``torch.load(..., weights_only=True)``: no arbitrary code runs.

    Returns the dict that `save_checkpoint` wrote. Whether it fits a run is checked when it is
    resumed (`RunState.load_state_dict`).

    Raises
    ------
    FileNotFoundError, OSError
        If the file is missing or cannot be read.
    ValueError
        Naming the file, if it is empty, truncated or not written by ``torch.save``, if it
        holds pickled objects other than tensors and plain data (refused unexecuted), or if it
        holds something other than a dict.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> empty = pathlib.Path(tempfile.mkdtemp()) / "empty.pt"
    >>> _ = empty.write_bytes(b"")
    >>> load_checkpoint(empty)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: .../empty.pt is not a checkpoint: the file is empty
    """
    path = Path(path)
    with path.open("rb") as stream:  # FileNotFoundError (or another OSError) naming it
        if os.fstat(stream.fileno()).st_size == 0:
            raise ValueError(f"{path} is not a checkpoint: the file is empty")
        try:
            state = torch.load(stream, map_location=map_location, weights_only=True)
        except Exception as error:  # from torch's reader: RuntimeError, OSError, EOFError…
            raise _not_a_checkpoint(path, error) from None
    if not isinstance(state, dict):
        raise ValueError(f"{path} is not a ganbook checkpoint: it holds a {type(state).__name__}")
    return state


def _not_a_checkpoint(path: Path, error: Exception) -> ValueError:
    r"""The ``ValueError`` for a file that ``torch.load`` could not read as weights."""
    if isinstance(error, pickle.UnpicklingError):
        found = re.search(r"GLOBAL (\S+)", str(error))
        what = f" ({found.group(1)})" if found else ""
        return ValueError(
            f"{path} is not a ganbook checkpoint: it holds pickled objects{what} that are not "
            "tensors or plain data, which weights-only loading refuses (nothing was run)"
        )
    reason = " ".join(str(error).split()) or type(error).__name__
    return ValueError(
        f"{path} is not a checkpoint (truncated, or not written by torch.save): {reason}"
    )
