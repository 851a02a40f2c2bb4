"""What an experiment returns, and how it is stored: arrays in ``.npz``, scalars in JSON, no pickle.

An :class:`ExperimentResult` is plain data (named numpy arrays and named scalars) so that it can be
cached, compared byte for byte and quoted in prose.

An entry of the cache is a directory holding ``arrays.npz`` and ``result.json``. The JSON record
holds the key, the scalars, the provenance (``meta``), the SHA-256 of the array file and a
``digest``: the SHA-256 of the record's canonical JSON without that field. So the digest covers
the scalars, the provenance and (through their hash) the arrays, and :func:`load_result` rejects
any edited value, truncated file or record of the wrong shape as a `CorruptResultError`; a
record of an older format is an `OutdatedResultError` (the runner recomputes it quietly).

Storage is atomic: an entry is written into a hidden staging directory beside it
(``.NAME-KEY.PID.XXXXXXXX``) and renamed into place; an entry already there is renamed aside
first, and a concurrent writer that got there first is accepted when its entry verifies. A reader
sees the old entry, the new one or none, never half of one. Staging directories and temporary
files left by a killed process are swept by `sweep_stale`.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import math
import os
import re
import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

FORMAT_VERSION = 2
"""Version 2 added ``digest`` (version 1 hashed the arrays only)."""
ARRAYS_FILE = "arrays.npz"
RESULT_FILE = "result.json"
DIGEST_FIELD = "digest"
STALE_AFTER = 3600.0
"""Seconds after which a hidden staging directory or temporary file is a leftover, anyone's."""
DEAD_WRITER_GRACE = 60.0
"""Seconds after which the staging of a process that no longer exists is a leftover."""

Scalar = float | int | str | bool

_TARGET_TAKEN = {errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR, errno.EISDIR}
_HIDDEN = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[a-z0-9_]+(?:\.(?:old\d*|tmp))?$")


class CorruptResultError(ValueError):
    """A stored result is unreadable, incomplete, edited or belongs to another key."""


class OutdatedResultError(CorruptResultError):
    """A stored result was written in an older format of the cache: it is recomputed."""


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
    if isinstance(value, dict) and set(value) == {"float"} and isinstance(value["float"], str):
        return float(value["float"])
    return value


def sha256_bytes(data: bytes) -> str:
    """The hexadecimal SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def record_digest(record: Mapping[str, Any]) -> str:
    """The SHA-256 of ``record``'s canonical JSON (sorted keys, no spaces), without its digest."""
    body = {name: value for name, value in record.items() if name != DIGEST_FIELD}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return sha256_bytes(canonical.encode())


# ---- writing -------------------------------------------------------------------------------


def _hidden_prefix(target: Path) -> str:
    """The prefix of this process's staging names for ``target`` (see `sweep_stale`)."""
    return f".{target.name}.{os.getpid()}."


def remove_path(path: Path) -> bool:
    """Remove the file or directory ``path`` if it can be; return whether it is gone."""
    path = Path(path)
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass
    return not os.path.lexists(path)


def discard_path(path: Path) -> bool:
    """Take ``path`` out of the cache: rename it aside (one atomic step), then remove it.

    Another process may read or replace ``path`` at the same time: only the name is taken from
    it, never a half-deleted directory. Returns False where it cannot be removed (a read-only
    cache), without raising.
    """
    path = Path(path)
    aside = path.with_name(f"{_hidden_prefix(path)}{os.urandom(4).hex()}.old")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return True  # someone else took it away
    except OSError:
        return False
    remove_path(aside)
    return True


def write_file_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a hidden temporary file beside it and one rename.

    Raises the ``OSError`` of the file system (read-only, full); the temporary file is removed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=_hidden_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def _verifies(directory: Path, key: str) -> bool:
    try:
        load_result(directory, key)
    except CorruptResultError:
        return False
    return True


def _swap_in(staging: Path, directory: Path, key: str) -> None:
    """Rename ``staging`` to ``directory``, moving an entry already there aside first.

    A concurrent writer of the same entry may rename its own in between: then its entry is
    kept when it verifies (it holds the same result), and ``staging`` is dropped.
    """
    asides: list[Path] = []
    try:
        for attempt in range(8):
            try:
                os.rename(staging, directory)
                return
            except OSError as error:
                if error.errno not in _TARGET_TAKEN:
                    raise
            if asides and _verifies(directory, key):
                return  # another writer of this entry won the race: its result is ours
            aside = staging.with_name(f"{staging.name}.old{attempt}")
            try:
                os.rename(directory, aside)
            except FileNotFoundError:
                continue  # another writer moved it first
            asides.append(aside)
        raise FileExistsError(
            errno.EEXIST, "other processes keep replacing this cache entry", str(directory)
        )
    finally:
        remove_path(staging)
        for aside in asides:
            remove_path(aside)


def save_result(result: ExperimentResult, directory: Path, key: str) -> None:
    """Write ``result`` to the cache entry ``directory`` atomically (see the module).

    The JSON record holds ``key``, the hash of the array file and the ``digest`` of the whole
    record, so that :func:`load_result` can reject a foreign, edited or damaged entry.

    Raises
    ------
    OSError
        Where the file system refuses the write (read-only, full); nothing is left behind and an
        entry already there is kept.
    """
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=_hidden_prefix(directory), dir=directory.parent))
    try:
        staging.chmod(0o755)
        buffer = io.BytesIO()
        np.savez(buffer, **result.arrays)
        arrays = buffer.getvalue()
        with open(staging / ARRAYS_FILE, "wb") as handle:
            handle.write(arrays)
        record = {
            "format": FORMAT_VERSION,
            "key": key,
            "arrays_sha256": sha256_bytes(arrays),
            "scalars": {name: _json_safe(v) for name, v in sorted(result.scalars.items())},
            "meta": result.meta,
        }
        # the digest of the record as it will be read back (tuples become lists, and so on)
        record[DIGEST_FIELD] = record_digest(json.loads(json.dumps(record)))
        text = json.dumps(record, indent=1, sort_keys=True)
        (staging / RESULT_FILE).write_text(text, encoding="utf-8")
        _swap_in(staging, directory, key)
    except BaseException:
        remove_path(staging)
        raise


# ---- reading -------------------------------------------------------------------------------


def read_record(directory: Path) -> dict[str, Any]:
    """The JSON record of the entry ``directory``, checked against its digest.

    Raises
    ------
    OutdatedResultError
        For a record of another format version.
    CorruptResultError
        For a missing or unreadable file, JSON that is not a record, or a record whose digest
        does not match (an edited value).
    """
    path = Path(directory) / RESULT_FILE
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise CorruptResultError(f"cannot read {path}: {error}") from error
    if not isinstance(record, dict):
        raise CorruptResultError(f"{path} holds a JSON {type(record).__name__}, not a record")
    if record.get("format") != FORMAT_VERSION:
        raise OutdatedResultError(
            f"{path} is in format {record.get('format')!r}, not {FORMAT_VERSION}"
        )
    digest = record.get(DIGEST_FIELD)
    if not isinstance(digest, str) or digest != record_digest(record):
        raise CorruptResultError(f"{path} does not match its recorded digest")
    return record


def _field(record: dict[str, Any], name: str, kind: type, path: Path):
    value = record.get(name)
    if not isinstance(value, kind):
        raise CorruptResultError(
            f"{path}: field {name!r} is {type(value).__name__}, not {kind.__name__}"
        )
    return value


def load_result(directory: Path, key: str) -> ExperimentResult:
    """Read a result saved by :func:`save_result`, checking everything it holds.

    Raises
    ------
    OutdatedResultError
        For an entry of an older format.
    CorruptResultError
        For an entry that is missing a file, not a directory, holds another key, has an edited
        or truncated file, or JSON of the wrong shape.
    """
    directory = Path(directory)
    record = read_record(directory)
    path = directory / RESULT_FILE
    if record.get("key") != key:
        raise CorruptResultError(f"{directory} holds another key")
    recorded = _field(record, "arrays_sha256", str, path)
    stored_scalars = _field(record, "scalars", dict, path)
    meta = _field(record, "meta", dict, path)
    arrays_path = directory / ARRAYS_FILE
    try:
        data = arrays_path.read_bytes()
    except OSError as error:
        raise CorruptResultError(f"cannot read {arrays_path}: {error}") from error
    if sha256_bytes(data) != recorded:
        raise CorruptResultError(f"{arrays_path} does not match its recorded hash")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        scalars = {name: _json_restore(v) for name, v in stored_scalars.items()}
        return ExperimentResult(arrays=arrays, scalars=scalars, meta=meta)
    except Exception as error:  # whatever a damaged file makes numpy raise
        raise CorruptResultError(f"cannot read {directory}: {error}") from error


# ---- leftovers ----------------------------------------------------------------------------


def _process_exists(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it exists
        return True
    return True


def is_stale(path: Path, now: float | None = None) -> bool:
    """Whether the hidden ``path`` is a leftover of an interrupted write.

    It is when it is older than `STALE_AFTER`, or when the process named in it
    (``.NAME.PID.XXXXXXXX``) no longer exists and it is older than `DEAD_WRITER_GRACE`.
    A recent one may be the staging of a write in progress: it is kept.
    """
    path = Path(path)
    try:
        age = (time.time() if now is None else now) - path.lstat().st_mtime
    except OSError:
        return False
    if age > STALE_AFTER:
        return True
    found = _HIDDEN.match(path.name)
    return bool(found) and age > DEAD_WRITER_GRACE and not _process_exists(int(found["pid"]))


def sweep_stale(directory: Path) -> list[Path]:
    """Remove the stale hidden staging directories and temporary files in ``directory``.

    Returns what was removed; a directory that does not exist or cannot be written is left.
    """
    removed = []
    try:
        hidden = [p for p in Path(directory).iterdir() if p.name.startswith(".")]
    except OSError:
        return removed
    now = time.time()
    for path in hidden:
        if is_stale(path, now) and remove_path(path):
            removed.append(path)
    return removed
