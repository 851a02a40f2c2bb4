"""The batched ensemble trainer equals K separate runs of train(), loss by loss, in float64."""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pytest
import torch

from ganbook.data import eight_gaussians
from ganbook.losses import loss_names
from ganbook.models import LogisticDiscriminator, MLPDiscriminator, MLPGenerator, ShiftGenerator
from ganbook.training import TrainConfig, TrainingDivergedError, train
from ganbook.training.ensemble import StackedMLP, can_stack, train_ensemble

SEEDS = (3, 11, 40)
SERIES = ("d_loss", "penalty", "d_real", "d_fake", "d_grad_norm", "g_loss", "d_fake_g")


@pytest.fixture
def float64():
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)


def ring64(n, generator):
    return eight_gaussians(n, generator=generator).double()


def players(count, hidden=8, seed=0, d_in_dim=2):
    init = torch.Generator().manual_seed(seed)
    generators = [
        MLPGenerator(hidden=hidden, depth=2, generator=init).double() for _ in range(count)
    ]
    discriminators = [
        MLPDiscriminator(in_dim=d_in_dim, hidden=hidden, depth=2, generator=init).double()
        for _ in range(count)
    ]
    return generators, discriminators


def configs(loss, **overrides):
    fields = {"steps": 30, "batch_size": 16, "snapshot_every": 10, "snapshot_size": 8}
    fields.update(device="cpu", **overrides)
    return [TrainConfig.for_loss(loss, seed=seed, **fields) for seed in SEEDS]


def largest_difference(one, other) -> float:
    worst = max(float(np.max(np.abs(getattr(one, s) - getattr(other, s)))) for s in SERIES)
    worst = max(worst, float(np.max(np.abs(one.g_grad_norm - other.g_grad_norm))))
    return max(worst, float(np.max(np.abs(one.snapshots - other.snapshots))))


def parameter_difference(modules, others) -> float:
    return max(
        float((a - b).detach().abs().max())
        for m, o in zip(modules, others, strict=True)
        for a, b in zip(m.parameters(), o.parameters(), strict=True)
    )


CASES = [(loss, {}) for loss in loss_names()] + [
    ("non-saturating", {"r1_gamma": 1.0}),
    ("minimax", {"n_critic": 3}),
    ("wgan-gp", {"r1_gamma": 0.5}),  # both penalties at once
    ("hinge", {"d_optimiser": "sgd", "d_betas": None, "d_lr": 0.05}),
    # the remedies on D's input, alone and together, with the penalties that call D again
    ("non-saturating", {"instance_noise": 0.1}),
    ("non-saturating", {"minibatch_std": True}),
    ("non-saturating", {"pack": 4}),
    ("non-saturating", {"instance_noise": 0.2, "r1_gamma": 1.0}),
    ("wgan-gp", {"instance_noise": 0.1, "minibatch_std": True, "pack": 2}),
]


@pytest.mark.parametrize(("loss", "overrides"), CASES, ids=[f"{c[0]}{c[1]}" for c in CASES])
@pytest.mark.usefixtures("float64")
def test_the_batched_ensemble_equals_separate_runs(loss, overrides):
    runs = configs(loss, **overrides)
    generators, discriminators = players(len(runs), d_in_dim=runs[0].discriminator_inputs.width(2))
    alone_g, alone_d = copy.deepcopy(generators), copy.deepcopy(discriminators)
    together = train_ensemble(generators, discriminators, ring64, runs)
    for k, config in enumerate(runs):
        alone = train(alone_g[k], alone_d[k], ring64, config, progress=False)
        assert largest_difference(alone, together[k]) < 1e-6
        assert together[k].metadata["ensemble"] == {"members": 3, "member": k, "batched": True}
    assert parameter_difference(generators, alone_g) < 1e-6
    assert parameter_difference(discriminators, alone_d) < 1e-6
    # the members really differ: their own seeds, their own streams
    assert largest_difference(together[0], together[1]) > 1e-3


@pytest.mark.usefixtures("float64")
def test_the_loop_and_the_batch_agree_and_stops_see_each_members_weights():
    runs = configs("wgan-gp")
    seen = {True: {}, False: {}}
    histories = {}
    for batched in (True, False):
        generators, discriminators = players(len(runs))

        def look(member, step, batched=batched, generators=generators):
            seen[batched][member, step] = generators[member](torch.ones(1, 2)).detach().clone()

        histories[batched] = train_ensemble(
            generators,
            discriminators,
            ring64,
            runs,
            stops=[10, 20],
            on_stop=look,
            batched=batched,
        )
    assert set(seen[True]) == {(k, s) for k in range(3) for s in (10, 20)}
    for key, value in seen[True].items():
        assert torch.allclose(value, seen[False][key], atol=1e-9)
    for one, other in zip(histories[True], histories[False], strict=True):
        assert largest_difference(one, other) < 1e-6
    # at a stop, member 0's generator is the generator of a 10-step run
    generators, discriminators = players(len(runs))
    train(
        generators[0],
        discriminators[0],
        ring64,
        dataclasses.replace(runs[0], steps=10),
        progress=False,
    )
    assert torch.allclose(generators[0](torch.ones(1, 2)), seen[True][0, 10], atol=1e-9)


def test_other_models_train_as_a_loop_with_the_same_interface():
    data = lambda n, g: torch.randn(n, 1, generator=g) + 2.0  # noqa: E731
    runs = [
        TrainConfig.for_loss("minimax", steps=5, batch_size=8, seed=s, device="cpu") for s in (0, 1)
    ]
    gens, discs = [ShiftGenerator(), ShiftGenerator()], [LogisticDiscriminator() for _ in runs]
    assert not can_stack(gens)
    histories = train_ensemble(gens, discs, data, runs)
    assert [h.metadata["ensemble"]["batched"] for h in histories] == [False, False]
    with pytest.raises(TypeError, match="batched=True"):
        train_ensemble(gens, discs, data, runs, batched=True)


def test_members_must_differ_only_by_their_seed():
    generators, discriminators = players(2)
    runs = configs("minimax")[:2]
    runs[1] = dataclasses.replace(runs[1], steps=31)
    with pytest.raises(ValueError, match="member 1's config differs"):
        train_ensemble(generators, discriminators, ring64, runs)
    with pytest.raises(ValueError, match="one generator, discriminator and config per member"):
        train_ensemble(generators, discriminators[:1], ring64, configs("minimax")[:2])
    with pytest.raises(ValueError, match="stops must lie in"):
        train_ensemble(
            generators,
            discriminators,
            ring64,
            configs("minimax")[:2],
            stops=[0],
            on_stop=lambda _k, _s: None,
        )


def test_a_diverging_member_is_named_with_its_step():
    runs = [
        TrainConfig.for_loss(
            "wasserstein",
            steps=60,
            batch_size=8,
            seed=s,
            device="cpu",
            clip_value=1e30,
            d_lr=1e30,
            g_lr=1e30,
            d_optimiser="sgd",
            g_optimiser="sgd",
        )
        for s in (0, 1)
    ]
    generators, discriminators = players(2, hidden=4)
    generators = [g.float() for g in generators]
    discriminators = [d.float() for d in discriminators]
    with pytest.raises(TrainingDivergedError, match=r"ensemble member \d .*diverged at step"):
        train_ensemble(
            generators, discriminators, lambda n, g: eight_gaussians(n, generator=g), runs
        )


@pytest.mark.usefixtures("float64")
def test_a_stack_computes_each_members_network():
    generators, _ = players(3)
    stack = StackedMLP(generators)
    z = torch.randn(3, 5, 2)
    expected = torch.stack([g(z[k]) for k, g in enumerate(generators)])
    assert torch.allclose(stack(z), expected, atol=1e-12)
