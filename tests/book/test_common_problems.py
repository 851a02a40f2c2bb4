"""The chapter "Common problems": the remedies on D's input, the comparisons, the runs' shapes.

The three input remedies are checked against what they must compute by construction (a
reshape that keeps each example's coordinates together, numpy's population standard deviation,
noise added once to real and fake alike) and against a second trainer (the batched ensemble
equals separate runs with every remedy, in ``test_training_ensemble``). The comparisons are
checked on paired seeds whose answer is known; the chapter's results for their shapes and for
the agreement of the printed effects with their tests, on the test profile.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ganbook.book.part3.common_problems.experiments import (
    COLLAPSE_REMEDIES,
    COLLAPSE_VERBS,
    CONVERGENCE_REMEDIES,
    DIRAC_POINT,
    VANISHING_LOSSES,
    compared,
    dirac_data,
    effect_sentence,
)
from ganbook.data import eight_gaussians
from ganbook.measures.toy_runs import toy_ensemble
from ganbook.models import MLPDiscriminator, MLPGenerator
from ganbook.training import TrainConfig, train
from ganbook.training.inputs import DiscriminatorInputs


def no_noise(_like):
    raise AssertionError("noise drawn although no instance noise was asked for")


def test_by_default_the_discriminator_sees_the_batch_unchanged():
    x = torch.randn(8, 2)
    inputs = DiscriminatorInputs()
    assert not inputs.active
    assert torch.equal(inputs.judged(x, no_noise), x)
    assert inputs.width(2) == 2


def test_packing_puts_consecutive_examples_side_by_side():
    x = torch.arange(24.0).reshape(12, 2)  # example i is (2i, 2i + 1)
    packed = DiscriminatorInputs(pack=3).judged(x, no_noise)
    assert packed.shape == (4, 6)
    assert torch.equal(packed[1], torch.cat([x[3], x[4], x[5]]))
    stacked = DiscriminatorInputs(pack=3).judged(torch.stack([x, -x]), no_noise)  # (K, B, d)
    assert torch.equal(stacked[1], -packed)
    assert DiscriminatorInputs(pack=3).width(2) == 6


def test_a_batch_that_cannot_be_packed_is_named():
    with pytest.raises(ValueError, match="a batch of 10 cannot be packed by 4"):
        DiscriminatorInputs(pack=4).judged(torch.zeros(10, 2), no_noise)


def test_the_minibatch_std_is_numpys_population_std_averaged_over_features():
    x = torch.randn(16, 3, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    seen = DiscriminatorInputs(minibatch_std=True).judged(x, no_noise)
    expected = np.std(x.numpy(), axis=0, ddof=0).mean()
    assert seen.shape == (16, 4)
    assert torch.equal(seen[:, :3], x)
    assert np.allclose(seen[:, 3].numpy(), expected, rtol=0, atol=1e-12)
    collapsed = DiscriminatorInputs(minibatch_std=True).judged(torch.ones(16, 3), no_noise)
    assert torch.all(collapsed[:, 3] == 0)  # a batch of copies has no spread
    assert DiscriminatorInputs(minibatch_std=True, pack=2).width(2) == 6


def test_instance_noise_is_sigma_times_the_noise_drawn_once():
    calls = []

    def ones(like):
        calls.append(like.shape)
        return torch.ones_like(like)

    x = torch.zeros(4, 2)
    seen = DiscriminatorInputs(noise_std=0.3).judged(x, ones)
    assert calls == [torch.Size([4, 2])]
    assert torch.allclose(seen, torch.full((4, 2), 0.3))


def test_the_remedies_apply_noise_then_the_std_then_packing():
    x = torch.zeros(4, 2)
    seen = DiscriminatorInputs(noise_std=1.0, minibatch_std=True, pack=2).judged(
        x, lambda like: torch.arange(8.0).reshape(like.shape)
    )
    noisy = torch.arange(8.0).reshape(4, 2)
    s = float(np.std(noisy.numpy(), axis=0).mean())  # the std of the noisy batch, not of x
    assert seen.shape == (2, 6)
    assert torch.allclose(seen[0], torch.tensor([0.0, 1.0, s, 2.0, 3.0, s]))


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"pack": 3, "batch_size": 64}, ValueError, "pack must divide batch_size"),
        ({"pack": 0}, ValueError, "pack"),
        ({"instance_noise": -0.1}, ValueError, "instance_noise"),
        ({"minibatch_std": 1}, TypeError, "minibatch_std must be a bool"),
    ],
)
def test_bad_remedy_settings_are_named(fields, error, message):
    with pytest.raises(error, match=message):
        TrainConfig.for_loss("non-saturating", steps=1, **fields)


def test_the_single_run_trainer_feeds_its_discriminator_packed_inputs():
    seen = []
    init = torch.Generator().manual_seed(0)
    D = MLPDiscriminator(in_dim=4, hidden=8, depth=1, generator=init)
    D.register_forward_hook(lambda _m, args, _out: seen.append(tuple(args[0].shape)))
    G = MLPGenerator(hidden=8, depth=1, generator=init)
    config = TrainConfig.for_loss("non-saturating", steps=2, batch_size=8, pack=2, device="cpu")
    train(G, D, lambda n, g: eight_gaussians(n, generator=g), config, progress=False)
    assert seen
    assert set(seen) == {(4, 4)}  # 8 examples, 2 per input, 2 × 2 features


def test_the_toy_ensemble_builds_a_discriminator_as_wide_as_its_inputs():
    class Context:
        device, seed = torch.device("cpu"), 0

        def stream(self, name):
            return torch.Generator().manual_seed(len(name))

        def members(self, count):
            return [self] * count

    params = {"hidden": 8, "depth": 1, "batch_size": 8, "steps": 1, "snapshot_every": 1}
    ensemble = toy_ensemble("non-saturating", {**params, "members": 1}, Context(), pack=2,
                            minibatch_std=True)  # fmt: skip
    assert ensemble.discriminators[0].net[0].in_features == 6


def test_the_dirac_data_are_one_point():
    x = dirac_data(5, torch.Generator())
    assert torch.equal(x, torch.tensor([DIRAC_POINT] * 5))


def test_a_remedy_better_in_every_seed_is_supported_and_counted():
    base, remedy = np.array([1.0, 2, 3, 4, 5]), np.array([6.0, 7, 8, 9, 10])
    seen = compared("x", remedy, base, higher_is_better=True, alpha=0.05)
    assert seen["x_seeds_better"] == 5
    assert seen["x_p"] == pytest.approx(1 / 252)
    assert seen["x_supported"]
    assert seen["x_agrees"]
    worse = compared("x", base, remedy, higher_is_better=True, alpha=0.05)
    assert not worse["x_supported"]
    assert worse["x_seeds_better"] == 0
    strict = compared("x", remedy, base, higher_is_better=True, alpha=0.001)  # p = 1/252 > α
    assert not strict["x_supported"]
    assert strict["x_agrees"]  # an effect not claimed cannot disagree


def test_the_effect_sentence_states_only_supported_effects():
    scalars = {}
    for measure, supported in zip(COLLAPSE_VERBS, (True, False, True), strict=True):
        scalars.update(
            {
                f"r_{measure}_supported": supported,
                f"r_{measure}_p": 0.004 if supported else 0.3,
                f"r_{measure}_seeds_better": 5,
            }
        )
    sentence = effect_sentence(scalars, "r", 5)
    assert sentence == (
        "covers more modes (p = 0.004; 5 of 5 seeds), ends closer to the data in W₁ "
        "(p = 0.004; 5 of 5 seeds); the share on its largest mode cannot be told from the "
        "unremedied run's at this budget"
    )


def test_the_summary_has_every_run_and_its_printed_effects_agree(results):
    r = results["common_problems_summary"]
    s, a = r.scalars, r.arrays
    members = s["vanishing_members"]
    for loss in VANISHING_LOSSES:
        assert a[f"{loss.replace('-', '_')}_g_grad_norm"].shape == (members, s["vanishing_steps"])
    for remedy in COLLAPSE_REMEDIES:
        key = remedy.replace("-", "_")
        assert a[f"{key}_shown_mass"].shape == (len(a["collapse_snapshot_steps"]), 8)
        assert np.all(a[f"{key}_shown_mass"].sum(axis=1) <= 1 + 1e-9)
    for remedy in COLLAPSE_REMEDIES[1:]:
        key = remedy.replace("-", "_")
        assert s[f"collapse_{key}_effects"] == effect_sentence(s, f"collapse_{key}", members)
    for remedy in CONVERGENCE_REMEDIES:
        assert a[f"{remedy.replace('-', '_')}_swing"].shape == (s["convergence_members"],)
