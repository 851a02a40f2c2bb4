"""ganbook.training.history and atomic: .npz + JSON round trips, no pickle, all-or-nothing."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

from ganbook.training import SERIES, History
from ganbook.training.atomic import atomic_write


def _history(seed: int = 0) -> History:
    rng = np.random.default_rng(seed)
    history = History.empty(5)
    for name in SERIES:
        setattr(history, name, rng.standard_normal(5).astype(np.float32))
    history.wall_time = np.cumsum(rng.random(5))
    history.snapshot_steps = np.array([0, 5], dtype=np.int64)
    history.snapshots = rng.standard_normal((2, 4, 2)).astype(np.float32)
    history.metadata = {"config": {"loss": "hinge", "d_betas": [0.5, 0.999]}, "device": "cpu"}
    return history


def test_save_and_load_round_trip_every_array(tmp_path):
    history = _history()
    history.save(tmp_path / "h")
    loaded = History.load(tmp_path / "h")
    assert loaded.identical(history)
    np.testing.assert_array_equal(loaded.wall_time, history.wall_time)
    assert loaded.snapshots.dtype == np.float32
    assert loaded.steps.dtype == np.int64


def test_files_hold_no_pickle(tmp_path):
    npz, meta, timing = _history().save(tmp_path / "h")
    with np.load(npz, allow_pickle=False) as archive:  # raises on an object array
        assert sorted(archive.files) == sorted(["steps", *SERIES, "snapshot_steps", "snapshots"])
    json.loads(meta.read_text()), json.loads(timing.read_text())


def test_equal_histories_give_byte_identical_files(tmp_path):
    first = _history().save(tmp_path / "a")
    later = _history()
    later.wall_time = later.wall_time + 1.0  # another run's clock
    second = later.save(tmp_path / "b")
    for a, b in zip(first[:2], second[:2], strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert first[2].read_bytes() != second[2].read_bytes()  # only the timing file differs


def test_npz_members_carry_a_fixed_date(tmp_path):
    npz, _, _ = _history().save(tmp_path / "h")
    with zipfile.ZipFile(npz) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_identical_sees_a_single_bit():
    a, b = _history(), _history()
    b.g_grad_norm = b.g_grad_norm.copy()
    b.g_grad_norm[3] = np.nextafter(b.g_grad_norm[3], np.float32(np.inf))
    assert a.identical(_history())
    assert not a.identical(b)


def test_load_refuses_another_format(tmp_path):
    _, meta, _ = _history().save(tmp_path / "h")
    meta.write_text(json.dumps({"format": 99, "metadata": {}}))
    with pytest.raises(ValueError, match="format"):
        History.load(tmp_path / "h")


def test_a_failed_write_leaves_neither_the_file_nor_a_temp_file(tmp_path):
    target = tmp_path / "out" / "file.bin"

    def fail(stream):
        stream.write(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        atomic_write(target, fail)
    assert list((tmp_path / "out").iterdir()) == []


def test_a_failed_write_keeps_the_previous_file(tmp_path):
    target = atomic_write(tmp_path / "file.bin", lambda f: f.write(b"old"))
    with pytest.raises(ZeroDivisionError):
        atomic_write(target, lambda f: (f.write(b"new"), 1 / 0))
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.bin"]
