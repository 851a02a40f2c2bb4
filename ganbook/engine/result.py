"""What an experiment returns, and how it is stored: arrays in ``.npz``, scalars in JSON, no pickle.

An :class:`ExperimentResult` is plain data (named numpy arrays and named scalars) so that it can be
cached, compared byte for byte and quoted in prose. Storage is atomic: a result directory appears
complete or not at all.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

FORMAT_VERSION = 1
ARRAYS_FILE = "arrays.npz"
RESULT_FILE = "result.json"

Scalar = float | int | str | bool


class CorruptResultError(ValueError):
    """A stored result is unreadable, incomplete or belongs to another key."""


@dataclass
class ExperimentResult:
    r"""Named arrays and scalars computed by one experiment.

    Parameters
    ----------
    arrays : dict of str to numpy.ndarray
        Numeric arrays (curves, grids, samples) that figures draw.
    scalars : dict of str to float, int, str or bool
        Single numbers that prose quotes through the result syntax.
    meta : dict
        Provenance filled in by the runner: experiment name, seed, device, steps, seconds.
    """

    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    scalars: dict[str, Scalar] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, value in self.arrays.items():
            array = np.asarray(value)
            if array.dtype == object:
                raise TypeError(f"array {name!r} has dtype object; only numeric arrays are stored")
            self.arrays[name] = array
        for name, value in self.scalars.items():
            if isinstance(value, np.generic):
                value = value.item()
            if not isinstance(value, (float, int, str, bool)):
                raise TypeError(f"scalar {name!r} must be a number or a string, got {type(value)}")
            self.scalars[name] = value

    def scalar(self, key: str) -> Scalar:
        """Return the scalar ``key``, or raise ``KeyError`` listing the known keys."""
        if key not in self.scalars:
            known = ", ".join(sorted(self.scalars)) or "none"
            raise KeyError(f"no scalar {key!r}; this result has: {known}")
        return self.scalars[key]


def _json_safe(value: Scalar) -> Any:
    """Encode non-finite floats, which strict JSON cannot hold, as tagged strings."""
    if isinstance(value, float) and not math.isfinite(value):
        return {"float": repr(value)}
    return value


def _json_restore(value: Any) -> Scalar:
    if isinstance(value, dict) and set(value) == {"float"}:
        return float(value["float"])
    return value


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_result(result: ExperimentResult, directory: Path, key: str) -> None:
    """Write ``result`` to ``directory`` atomically (a temp directory, then one rename).

    The JSON file records ``key`` and the hash of the array file so that :func:`load_result` can
    reject a foreign or damaged entry.
    """
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        staging.chmod(0o755)
        arrays_path = staging / ARRAYS_FILE
        with open(arrays_path, "wb") as handle:
            np.savez(handle, **result.arrays)
        record = {
            "format": FORMAT_VERSION,
            "key": key,
            "arrays_sha256": _sha256(arrays_path),
            "scalars": {name: _json_safe(v) for name, v in sorted(result.scalars.items())},
            "meta": result.meta,
        }
        (staging / RESULT_FILE).write_text(json.dumps(record, indent=1, sort_keys=True))
        if directory.exists():
            shutil.rmtree(directory)
        os.replace(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def load_result(directory: Path, key: str) -> ExperimentResult:
    """Read a result saved by :func:`save_result`; raise :class:`CorruptResultError` if invalid."""
    directory = Path(directory)
    try:
        record = json.loads((directory / RESULT_FILE).read_text())
        if record.get("format") != FORMAT_VERSION or record.get("key") != key:
            raise CorruptResultError(f"{directory} holds another key or format")
        arrays_path = directory / ARRAYS_FILE
        if _sha256(arrays_path) != record["arrays_sha256"]:
            raise CorruptResultError(f"{arrays_path} does not match its recorded hash")
        with np.load(arrays_path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        scalars = {name: _json_restore(v) for name, v in record["scalars"].items()}
        return ExperimentResult(arrays=arrays, scalars=scalars, meta=record["meta"])
    except CorruptResultError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CorruptResultError(f"cannot read {directory}: {error}") from error
