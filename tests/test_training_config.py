"""ganbook.training.config: the papers' defaults per loss, overrides, and one test per bad input."""

from __future__ import annotations

import json
import math

import pytest

from ganbook.losses import loss_names
from ganbook.training import PAPER_DEFAULTS, TrainConfig

# (loss, optimiser, lr, betas, n_critic, clip_value, gp_weight), each from the paper's text.
PAPERS = [
    ("minimax", "adam", 2e-4, (0.5, 0.999), 1, None, None),  # DCGAN setting
    ("non-saturating", "adam", 2e-4, (0.5, 0.999), 1, None, None),  # DCGAN setting
    ("least-squares", "adam", 2e-4, (0.5, 0.999), 1, None, None),  # Mao et al. §4
    ("wasserstein", "rmsprop", 5e-5, None, 5, 0.01, None),  # Arjovsky et al., Algorithm 1
    ("wgan-gp", "adam", 1e-4, (0.5, 0.9), 5, None, 10.0),  # Gulrajani et al., Algorithm 1
    ("hinge", "adam", 2e-4, (0.5, 0.999), 1, None, None),  # Miyato et al., Table 1, setting C
    # Jolicoeur-Martineau, CIFAR-10 "DCGAN setup": lr .0002, β = (.50, .999), one D step per G step
    ("relativistic", "adam", 2e-4, (0.5, 0.999), 1, None, None),
]


@pytest.mark.parametrize(("loss", "optimiser", "lr", "betas", "n_critic", "clip", "gp"), PAPERS)
def test_paper_defaults(loss, optimiser, lr, betas, n_critic, clip, gp):
    config = TrainConfig.for_loss(loss)
    for net in ("d", "g"):
        assert getattr(config, f"{net}_optimiser") == optimiser
        assert getattr(config, f"{net}_lr") == lr
        assert getattr(config, f"{net}_betas") == betas
    assert (config.n_critic, config.clip_value, config.gp_weight) == (n_critic, clip, gp)
    assert config.r1_gamma is None


def test_every_registered_loss_has_defaults():
    assert set(PAPER_DEFAULTS) == set(loss_names())
    assert {paper[0] for paper in PAPERS} == set(loss_names())


def test_for_loss_equals_the_constructor_and_overrides_win():
    assert TrainConfig.for_loss("hinge", steps=7) == TrainConfig(loss="hinge", steps=7)
    config = TrainConfig.for_loss("wgan-gp", gp_weight=0.1, d_lr=3e-4, r1_gamma=1.0)
    assert (config.gp_weight, config.d_lr, config.g_lr, config.r1_gamma) == (0.1, 3e-4, 1e-4, 1.0)


def test_adam_for_wgan_with_betas_is_allowed():
    config = TrainConfig.for_loss("wasserstein", d_optimiser="adam", d_betas=[0.5, 0.9])
    assert config.d_betas == (0.5, 0.9)
    assert config.g_optimiser == "rmsprop"


def test_dict_round_trip_is_json():
    config = TrainConfig.for_loss("wgan-gp", steps=9, seed=4, device="cpu")
    data = json.loads(json.dumps(config.to_dict()))
    assert TrainConfig.from_dict(data) == config


def test_from_dict_names_an_unknown_field():
    with pytest.raises(ValueError, match="learning_rate"):
        TrainConfig.from_dict({"loss": "hinge", "learning_rate": 1.0})


BAD = [
    ({"loss": "vanilla"}, "loss"),
    ({"steps": 0}, "steps"),
    ({"steps": -3}, "steps"),
    ({"batch_size": 0}, "batch_size"),
    ({"n_critic": 0}, "n_critic"),
    ({"d_lr": 0.0}, "d_lr"),
    ({"g_lr": -1e-4}, "g_lr"),
    ({"d_lr": math.nan}, "d_lr"),
    ({"d_optimiser": "adagrad"}, "d_optimiser"),
    ({"g_optimiser": "lbfgs"}, "g_optimiser"),
    ({"d_betas": (1.0, 0.9)}, r"d_betas\[0\]"),
    ({"g_betas": (0.5, -0.1)}, r"g_betas\[1\]"),
    ({"g_betas": (0.5,)}, "g_betas"),
    ({"loss": "wasserstein", "d_betas": (0.5, 0.9)}, "d_betas"),  # RMSprop has no betas
    ({"loss": "wasserstein", "g_optimiser": "adam"}, "g_betas"),  # Adam needs them
    ({"loss": "wgan-gp", "clip_value": 0.01}, "clip_value"),  # not a clipping loss
    ({"loss": "wasserstein", "clip_value": 0.0}, "clip_value"),
    ({"loss": "hinge", "gp_weight": 10.0}, "gp_weight"),  # not a penalty loss
    ({"loss": "wgan-gp", "gp_weight": -1.0}, "gp_weight"),
    ({"r1_gamma": 0.0}, "r1_gamma"),
    ({"snapshot_every": 0}, "snapshot_every"),
    ({"snapshot_size": 0}, "snapshot_size"),
    ({"seed": -1}, "seed"),
    ({"device": "tpu"}, "device"),
    ({"threads": 0}, "threads"),
]


@pytest.mark.parametrize(
    ("fields", "name"), BAD, ids=[f"{i}-{name}" for i, (_, name) in enumerate(BAD)]
)
def test_a_bad_value_is_a_value_error_naming_the_field(fields, name):
    with pytest.raises(ValueError, match=name):
        TrainConfig(**fields)


@pytest.mark.parametrize(
    ("fields", "name"),
    [({"steps": 1.5}, "steps"), ({"n_critic": True}, "n_critic"), ({"d_lr": "1e-4"}, "d_lr")],
)
def test_a_value_of_the_wrong_type_is_a_type_error_naming_the_field(fields, name):
    with pytest.raises(TypeError, match=name):
        TrainConfig(**fields)


def test_config_is_frozen():
    with pytest.raises(AttributeError):
        TrainConfig().steps = 3  # type: ignore[misc]


def test_switching_to_sgd_drops_the_papers_betas():
    config = TrainConfig.for_loss("minimax", g_optimiser="sgd", g_lr=0.01)
    assert (config.g_optimiser, config.g_betas, config.d_betas) == ("sgd", None, (0.5, 0.999))
