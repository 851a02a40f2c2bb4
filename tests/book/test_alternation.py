"""Alternation: the trainer's two steps replayed by hand, and the seed ensembles it trains.

The discriminator and generator steps are replayed from the same random stream; the training
experiments are seed ensembles, and their members are checked against runs of `train` on their
own.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ganbook.data import gaussian_1d
from ganbook.engine.registry import RunContext, get_experiment
from ganbook.losses import get_loss, minimax_discriminator_loss, nonsaturating_generator_loss
from ganbook.measures import median_member
from ganbook.models import LogisticDiscriminator, ShiftGenerator
from ganbook.training import GAN, TrainConfig, discriminator_step, generator_step, train


def test_equilibrium_values_of_the_losses_at_d_one_half():
    zeros = torch.zeros(7)  # logit 0: D = ½
    assert float(minimax_discriminator_loss(zeros, zeros)) == pytest.approx(np.log(4.0))
    assert float(nonsaturating_generator_loss(zeros)) == pytest.approx(np.log(2.0))


def test_discriminator_step_leaves_the_generator_alone_and_generator_step_draws_fresh_z():
    generator, discriminator = ShiftGenerator(theta=-1.0), LogisticDiscriminator(0.1, 0.2)
    gan = GAN(
        generator,
        discriminator,
        g_optimiser=torch.optim.SGD(generator.parameters(), lr=0.1),
        d_optimiser=torch.optim.SGD(discriminator.parameters(), lr=0.1),
        loss=get_loss("non-saturating"),
        rng=torch.Generator().manual_seed(5),
    )
    replay = torch.Generator().manual_seed(5)
    z_d, z_g = (torch.randn(8, 1, generator=replay) for _ in range(2))
    x = torch.full((8, 1), 2.0)
    record = discriminator_step(gan, x)
    assert generator.theta.item() == -1.0
    assert generator.theta.grad is None  # no graph into G
    torch.testing.assert_close(record.d_fake, LogisticDiscriminator(0.1, 0.2)(z_d - 1.0))
    with torch.no_grad():
        expected = discriminator(z_g - 1.0)  # D as just updated, on G(fresh z)
    g_record = generator_step(gan, 8)
    torch.testing.assert_close(g_record.d_fake, expected)
    assert not torch.equal(z_d, z_g)
    assert generator.theta.item() != -1.0


def test_thetas_read_from_the_snapshots_end_at_each_members_trained_shift(results):
    r = results["alternation_shift"]
    thetas = r.arrays["thetas"]  # (members, snapshots)
    assert thetas.shape[0] == r.scalars["members"] >= 2
    np.testing.assert_allclose(thetas[:, 0], r.scalars["theta0"], atol=1e-6)
    np.testing.assert_allclose(thetas[:, -1], r.arrays["final_theta"], atol=1e-5)


def test_a_member_of_the_shift_ensemble_is_the_run_train_gives_its_seed(results):
    r = results["alternation_shift"]
    s = r.scalars
    context = RunContext(torch.device("cpu"), get_experiment("alternation_shift").seed, "test")
    member = context.members(s["members"])[1]
    config = TrainConfig.for_loss(
        "non-saturating",
        steps=s["steps"],
        batch_size=s["batch_size"],
        d_lr=s["lr"],
        g_lr=s["lr"],
        snapshot_every=25,
        seed=member.seed,
        device="cpu",
    )
    generator = ShiftGenerator(theta=s["theta0"])

    def data(n, rng):
        return gaussian_1d(n, mean=s["mu"], std=s["sigma"], generator=rng)

    history = train(generator, LogisticDiscriminator(), data, config, progress=False)
    np.testing.assert_array_equal(history.d_loss, r.arrays["d_loss"][1])
    assert generator.theta.item() == pytest.approx(r.arrays["final_theta"][1], abs=1e-7)
    assert not np.array_equal(r.arrays["d_loss"][0], r.arrays["d_loss"][1])  # own streams


def test_the_figures_of_one_run_show_the_median_member(results):
    shift, ring = results["alternation_shift"], results["alternation_ring"]
    gaps = np.abs(shift.arrays["final_theta"] - shift.scalars["mu"])
    assert shift.scalars["shown_member"] == median_member(gaps)
    assert ring.scalars["shown_member"] == median_member(ring.arrays["modes"][:, -1])
    # the ring's per-member arrays: (members, steps) series, (members, snapshots, S, 2) samples
    members = ring.scalars["members"]
    assert ring.arrays["d_loss"].shape == (members, ring.scalars["steps"])
    assert ring.arrays["snapshots"].shape[:2] == (members, len(ring.arrays["snapshot_steps"]))
