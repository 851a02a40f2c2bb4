"""Checkpoints as a careless or hostile user hands them to ``train(resume_from=…)``: rows 2.00–2.11.

A file that is not a checkpoint of this very run (empty, truncated, foreign, another loss,
dataset or architecture, past the last step) is the documented ``ValueError`` naming the file
and the problem, and a payload pickled into one is refused without being run. Every run is a
few steps of small MLPs on the CPU.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import faults
import numpy as np
import pytest
import torch

from ganbook.data import eight_gaussians, twenty_five_gaussians
from ganbook.models import DCGANDiscriminator, DCGANGenerator, MLPDiscriminator, MLPGenerator
from ganbook.training import SERIES, TrainConfig, load_checkpoint, train


def ring(n, generator):
    return eight_gaussians(n, generator=generator)


def grid(n, generator):
    return twenty_five_gaussians(n, generator=generator)


def players(hidden: int = 16):
    rng = torch.Generator().manual_seed(3)
    return MLPGenerator(hidden=hidden, generator=rng), MLPDiscriminator(
        hidden=hidden, generator=rng
    )


def config(steps: int, loss: str = "wgan-gp") -> TrainConfig:
    return TrainConfig.for_loss(loss, steps=steps, batch_size=32, snapshot_size=8, device="cpu")


def resume(path: Path, steps: int = 8, *, data=ring, dataset="ring", models=None, loss="wgan-gp"):
    models = players() if models is None else models
    cfg = config(steps, loss)
    return train(*models, data, cfg, progress=False, resume_from=path, dataset=dataset)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A 4-step wgan-gp checkpoint of the ring dataset."""
    path = tmp_path_factory.mktemp("ck") / "base.pt"
    train(*players(), ring, config(4), progress=False, checkpoint=path, dataset="ring")
    return path


@pytest.mark.case("2.00")
def test_a_resumed_run_equals_the_uninterrupted_one(base):
    whole = train(*players(), ring, config(8), progress=False, dataset="ring")
    resumed = resume(base, 8)
    for name in SERIES:
        np.testing.assert_array_equal(getattr(resumed, name), getattr(whole, name))
    np.testing.assert_array_equal(resumed.snapshots[-1], whole.snapshots[-1])


@pytest.mark.case("2.01")
def test_a_truncated_checkpoint_is_a_value_error_naming_it(base, tmp_path):
    cut = tmp_path / "cut.pt"
    cut.write_bytes(base.read_bytes()[: base.stat().st_size // 2])
    with pytest.raises(ValueError, match="truncated") as caught:
        resume(cut)
    assert str(cut) in str(caught.value)


@pytest.mark.case("2.02")
def test_an_empty_checkpoint_is_a_value_error_naming_it(tmp_path):
    empty = tmp_path / "empty.pt"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="the file is empty") as caught:
        resume(empty)
    assert str(empty) in str(caught.value)


@pytest.mark.case("2.03")
def test_a_missing_checkpoint_is_file_not_found_naming_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"missing\.pt"):
        resume(tmp_path / "missing.pt")


@pytest.mark.case("2.04")
def test_a_checkpoint_of_another_loss_names_the_fields(tmp_path):
    path = tmp_path / "hinge.pt"
    train(*players(), ring, config(2, "hinge"), progress=False, checkpoint=path, dataset="ring")
    with pytest.raises(ValueError, match="other values of: loss") as caught:
        resume(path)
    assert str(path) in str(caught.value)
    assert "'hinge' there, 'wgan-gp' here" in str(caught.value)


@pytest.mark.case("2.05")
def test_a_checkpoint_of_another_dataset_is_refused(base):
    with pytest.raises(ValueError, match="dataset 'ring', this run trains on 'grid'"):
        resume(base, data=grid, dataset="grid")


@pytest.mark.case("2.05")
def test_the_cli_refuses_to_resume_a_run_of_another_dataset(tmp_path):
    out = tmp_path / "run"
    assert faults.cli("train", "ring", "--loss", "hinge", "--steps", "2", "--out", out).rc == 0
    before = faults.tree_digest(out)
    outcome = faults.cli(
        "train", "grid", "--loss", "hinge", "--steps", "4", "--out", out, "--resume"
    )
    faults.assert_clear_error(outcome, "checkpoint.pt", "'ring'", "'grid'")
    assert outcome.rc == 2
    assert faults.tree_digest(out) == before


@pytest.mark.case("2.06")
@pytest.mark.parametrize(
    ("models", "words"),
    [
        (lambda: players(hidden=32), "has shape (16, 2) in the checkpoint, (32, 2) here"),
        (lambda: (DCGANGenerator(), DCGANDiscriminator()), "MLPGenerator in the checkpoint"),
    ],
    ids=["wider-mlp", "dcgan"],
)
def test_a_checkpoint_of_another_architecture_names_the_difference(base, models, words):
    with pytest.raises(ValueError, match="generator") as caught:
        resume(base, models=models())
    assert words in str(caught.value)
    assert str(base) in str(caught.value)


@pytest.mark.case("2.07")
def test_a_tensor_saved_as_a_checkpoint_is_a_value_error(tmp_path):
    path = tmp_path / "tensor.pt"
    torch.save(torch.ones(3), path)
    with pytest.raises(ValueError, match="holds a Tensor") as caught:
        resume(path)
    assert str(path) in str(caught.value)


@pytest.mark.case("2.08")
def test_a_plain_state_dict_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "weights.pt"
    torch.save(players()[0].state_dict(), path)
    with pytest.raises(ValueError, match="format None is not supported") as caught:
        resume(path)
    assert str(path) in str(caught.value)


@pytest.mark.case("2.09")
def test_a_checkpoint_past_the_last_step_is_refused(base):
    with pytest.raises(ValueError, match="step 4 > steps 2"):
        resume(base, 2)


class Payload:
    """Unpickling this creates ``marker``: a live payload, as an attacker would write one."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.mark.case("2.10")
def test_a_payload_inside_a_checkpoint_is_refused_unrun(base, tmp_path):
    marker = tmp_path / "pwned"
    state = {**torch.load(base, weights_only=True), "x": Payload(marker)}
    path = tmp_path / "evil.pt"
    torch.save(state, path)
    for attempt in (lambda: load_checkpoint(path), lambda: resume(path)):
        with pytest.raises(ValueError, match="not tensors or plain data") as caught:
            attempt()
        assert str(path) in str(caught.value)
        assert "weights_only=False" not in str(caught.value)  # torch's unsafe advice is dropped
    assert not marker.exists()


@pytest.mark.case("2.11")
@pytest.mark.parametrize("how", ["plain-pickle", "top-level"])
def test_a_payload_as_the_whole_file_is_refused_unrun(tmp_path, how):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    if how == "plain-pickle":
        path.write_bytes(pickle.dumps({"format": 2, "x": Payload(marker)}, protocol=2))
    else:
        torch.save(Payload(marker), path)
    with pytest.raises(ValueError, match="not tensors or plain data"):
        resume(path)
    assert not marker.exists()
    if how == "plain-pickle":  # control: the payload is live
        with path.open("rb") as stream:
            pickle.load(stream)  # the point of the control
        assert marker.exists()
