"""Checkpoints: atomic, weights-only, and a resumed run ends where an uninterrupted one ends."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from ganbook.data import eight_gaussians
from ganbook.models import MLPDiscriminator, MLPGenerator
from ganbook.training import SERIES, TrainConfig, load_checkpoint, train


def ring(n, generator):
    return eight_gaussians(n, generator=generator)


def players():
    rng = torch.Generator().manual_seed(3)
    return MLPGenerator(hidden=16, generator=rng), MLPDiscriminator(hidden=16, generator=rng)


def state(*modules):
    return [t.clone() for m in modules for t in m.state_dict().values()]


# WGAN-GP exercises every piece of state: Adam's moments, the critic loop, and the device
# stream that draws both z and the penalty's α.
CONFIG = TrainConfig.for_loss(
    "wgan-gp", steps=12, batch_size=32, snapshot_every=5, snapshot_size=16, device="cpu"
)


def _steps(config: TrainConfig, steps: int) -> TrainConfig:
    return TrainConfig.from_dict({**config.to_dict(), "steps": steps})


@pytest.mark.parametrize("stop", [5, 7])  # on and off the snapshot schedule
def test_resuming_at_step_k_ends_where_the_uninterrupted_run_ends(tmp_path, stop):
    G, D = players()
    whole = train(G, D, ring, CONFIG, progress=False)

    G1, D1 = players()
    train(G1, D1, ring, _steps(CONFIG, stop), progress=False, checkpoint=tmp_path / "k.pt")
    G2, D2 = players()  # fresh modules: everything must come from the checkpoint
    resumed = train(G2, D2, ring, CONFIG, progress=False, resume_from=tmp_path / "k.pt")

    assert all(torch.equal(a, b) for a, b in zip(state(G, D), state(G2, D2), strict=True))
    for name in SERIES:
        np.testing.assert_array_equal(getattr(resumed, name), getattr(whole, name))
    common = np.isin(resumed.snapshot_steps, whole.snapshot_steps)
    np.testing.assert_array_equal(resumed.snapshots[common], whole.snapshots)
    assert set(resumed.snapshot_steps) - set(whole.snapshot_steps) <= {stop}


def test_a_checkpoint_is_plain_tensors_and_loads_weights_only(tmp_path):
    path = tmp_path / "run" / "ckpt.pt"
    train(*players(), ring, _steps(CONFIG, 3), progress=False, checkpoint=path)
    assert [p.name for p in path.parent.iterdir()] == ["ckpt.pt"]  # no temp file left
    content = torch.load(path, weights_only=True)  # would refuse a pickled class
    assert content["step"] == 3
    assert content["device"] == "cpu"
    assert {"generator", "discriminator", "g_optimiser", "d_optimiser", "rng"} <= set(content)
    assert load_checkpoint(path)["rows"].shape == (3, len(SERIES))


def test_resuming_with_another_config_names_the_field(tmp_path):
    train(*players(), ring, _steps(CONFIG, 3), progress=False, checkpoint=tmp_path / "c.pt")
    other = TrainConfig.from_dict({**CONFIG.to_dict(), "d_lr": 3e-4})
    with pytest.raises(ValueError, match="d_lr"):
        train(*players(), ring, other, progress=False, resume_from=tmp_path / "c.pt")


def test_resuming_past_the_last_step_is_refused(tmp_path):
    train(*players(), ring, _steps(CONFIG, 4), progress=False, checkpoint=tmp_path / "c.pt")
    with pytest.raises(ValueError, match="step 4"):
        train(*players(), ring, _steps(CONFIG, 3), progress=False, resume_from=tmp_path / "c.pt")


def test_a_checkpoint_records_the_dataset_and_the_players(tmp_path):
    path = tmp_path / "c.pt"
    train(*players(), ring, _steps(CONFIG, 2), progress=False, checkpoint=path, dataset="ring")
    content = load_checkpoint(path)
    assert content["dataset"] == "ring"
    models = json.loads(content["models"])
    assert models["generator"]["class"] == "MLPGenerator"
    assert models["discriminator"]["class"] == "MLPDiscriminator"
    state = players()[0].state_dict()
    assert models["generator"]["state"] == {k: list(v.shape) for k, v in state.items()}
    with pytest.raises(ValueError, match="dataset 'ring', this run trains on None"):
        train(*players(), ring, CONFIG, progress=False, resume_from=path)
