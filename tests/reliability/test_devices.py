"""``--device`` as a careless user types it, on machines with and without a GPU: rows 1.09–1.12.

A machine with a GPU is simulated by patching ``torch.cuda.is_available`` and
``device_count``: `resolve_device` must refuse before torch touches CUDA.
"""

from __future__ import annotations

import faults
import pytest
import torch

from ganbook.devices import resolve_device

DRY = ("train", "ring", "--loss", "hinge", "--dry-run")


@pytest.fixture
def no_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)


@pytest.fixture
def one_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)


@pytest.mark.case("1.09")
@pytest.mark.usefixtures("no_gpu")
def test_cuda_on_a_machine_without_one_is_one_line(tmp_path):
    outcome = faults.cli(*DRY, "--device", "cuda", "--out", tmp_path / "run")
    faults.assert_clear_error(outcome, "'cuda'", "no CUDA GPU")
    assert outcome.rc == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.case("1.10")
def test_an_unknown_device_is_one_line(tmp_path):
    outcome = faults.cli(*DRY, "--device", "tpu", "--out", tmp_path / "run")
    faults.assert_clear_error(outcome, "unknown device 'tpu'")
    assert outcome.rc == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.case("1.11")
@pytest.mark.usefixtures("no_gpu")
def test_a_malformed_cuda_device_without_a_gpu_is_one_line(tmp_path):
    outcome = faults.cli(*DRY, "--device", "cuda:x", "--out", tmp_path / "run")
    faults.assert_clear_error(outcome, "'cuda:x'")
    assert outcome.rc == 2


@pytest.mark.case("1.11b")
@pytest.mark.usefixtures("one_gpu")
@pytest.mark.parametrize(
    ("device", "words"),
    [
        ("cuda:x", "invalid device 'cuda:x'"),
        ("cuda:-1", "invalid device 'cuda:-1'"),
        ("cuda:99", "device 'cuda:99' was asked for, but this machine has 1 CUDA GPU"),
        ("cuda:1", "device 'cuda:1' was asked for, but this machine has 1 CUDA GPU"),
    ],
)
def test_a_bad_cuda_device_on_a_gpu_machine_is_a_value_error(tmp_path, device, words):
    with pytest.raises(ValueError, match=words):
        resolve_device(device)
    outcome = faults.cli(*DRY, "--device", device, "--out", tmp_path / "run")
    faults.assert_clear_error(outcome, words)
    assert outcome.rc == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.case("1.11b")
@pytest.mark.usefixtures("one_gpu")
def test_an_existing_cuda_index_is_accepted():
    assert resolve_device("cuda:0") == torch.device("cuda:0")
    assert resolve_device("cuda") == torch.device("cuda")


@pytest.mark.case("1.12")
def test_a_cpu_index_trains_on_the_cpu(tmp_path):
    outcome = faults.cli(*DRY, "--device", "cpu:7", "--out", tmp_path / "run")
    assert outcome.rc == 0, outcome.text
    assert "on cpu" in outcome.out
    assert (tmp_path / "run" / "samples.png").is_file()
