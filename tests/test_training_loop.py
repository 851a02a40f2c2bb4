"""ganbook.training.train: every loss, both steps, divergence, threads, devices, progress."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from ganbook.apps.benchmark import hand_written_loop
from ganbook.data import eight_gaussians, gaussian_1d
from ganbook.losses import get_loss, loss_names, relativistic_generator_loss
from ganbook.models import (
    DCGANDiscriminator,
    DCGANGenerator,
    LogisticDiscriminator,
    MLPDiscriminator,
    MLPGenerator,
    ShiftGenerator,
)
from ganbook.penalties import gradient_penalty
from ganbook.training import (
    GAN,
    SERIES,
    TrainConfig,
    TrainingDivergedError,
    discriminator_step,
    generator_step,
    train,
)

CPU = torch.device("cpu")


def ring(n: int, generator: torch.Generator) -> torch.Tensor:
    return eight_gaussians(n, generator=generator)


def players(seed: int = 0, hidden: int = 16) -> tuple[nn.Module, nn.Module]:
    rng = torch.Generator().manual_seed(seed)
    generator = MLPGenerator(hidden=hidden, generator=rng)
    return generator, MLPDiscriminator(hidden=hidden, generator=rng)


def small(loss: str, **overrides) -> TrainConfig:
    fields = {"steps": 6, "batch_size": 32, "snapshot_every": 4, "snapshot_size": 16}
    return TrainConfig.for_loss(loss, **{**fields, "device": "cpu", **overrides})


def parameters(*modules: nn.Module) -> list[torch.Tensor]:
    return [t.detach().clone() for m in modules for t in m.state_dict().values()]


def bitwise_equal(a: list[torch.Tensor], b: list[torch.Tensor]) -> bool:
    return len(a) == len(b) and all(torch.equal(x, y) for x, y in zip(a, b, strict=True))


RUNS = [(loss, {}) for loss in loss_names()] + [("non-saturating", {"r1_gamma": 10.0})]


@pytest.mark.parametrize(
    ("loss", "extra"), RUNS, ids=[f"{loss}{'+r1' * bool(e)}" for loss, e in RUNS]
)
def test_every_loss_trains_and_records_every_series(loss, extra):
    config = small(loss, **extra)
    history = train(*players(), ring, config, progress=False)
    np.testing.assert_array_equal(history.steps, np.arange(1, 7))
    for name in SERIES:
        series = getattr(history, name)
        assert series.shape == (6,)
        assert series.dtype == np.float32
        assert np.isfinite(series).all()
    penalised = get_loss(loss).uses_gradient_penalty or "r1_gamma" in extra
    assert (history.penalty > 0).all() if penalised else (history.penalty == 0).all()
    assert (history.d_grad_norm > 0).all()
    assert (history.g_grad_norm > 0).all()
    if get_loss(loss).output == "logit":  # D(x) read out as a probability
        assert ((history.d_real > 0) & (history.d_real < 1)).all()
    assert history.snapshot_steps.tolist() == [0, 4, 6]
    assert history.snapshots.shape == (3, 16, 2)
    assert (np.diff(history.wall_time) > 0).all()
    assert history.metadata["config"] == config.to_dict()
    assert history.metadata["device"] == "cpu"


def test_wasserstein_keeps_every_critic_weight_in_the_box():
    G, D = players()
    train(G, D, ring, small("wasserstein"), progress=False)
    weights = torch.cat([p.detach().flatten() for p in D.parameters()])
    assert weights.abs().max() == pytest.approx(0.01)  # clipped, and some sit on the bound


def _gan(loss: str = "non-saturating") -> GAN:
    G, D = players()
    return GAN(
        G,
        D,
        g_optimiser=torch.optim.Adam(G.parameters(), lr=1e-2),
        d_optimiser=torch.optim.Adam(D.parameters(), lr=1e-2),
        loss=get_loss(loss),
        rng=torch.Generator().manual_seed(0),
    )


def test_the_discriminator_step_detaches_the_fake_batch():
    gan = _gan()
    g_before, d_before = parameters(gan.generator), parameters(gan.discriminator)
    record = discriminator_step(gan, ring(32, torch.Generator().manual_seed(1)))
    assert all(p.grad is None for p in gan.generator.parameters())  # no gradient reached G
    assert bitwise_equal(parameters(gan.generator), g_before)
    assert not bitwise_equal(parameters(gan.discriminator), d_before)
    assert record.d_real.shape == record.d_fake.shape == (32, 1)
    assert record.penalty is None


def test_the_generator_step_moves_only_the_generator():
    gan = _gan()
    g_before, d_before = parameters(gan.generator), parameters(gan.discriminator)
    generator_step(gan, 32)
    assert bitwise_equal(parameters(gan.discriminator), d_before)
    assert not bitwise_equal(parameters(gan.generator), g_before)


@pytest.mark.parametrize("loss", ["non-saturating", "wgan-gp", "relativistic"])
def test_train_makes_the_updates_of_a_hand_written_loop(loss):
    # An independent reference: plain PyTorch, same streams; every bit of every weight agrees.
    config = small(loss, steps=8)
    G, D = players()
    train(G, D, ring, config, progress=False)
    G_ref, D_ref = players()
    hand_written_loop(G_ref, D_ref, ring, config)
    assert bitwise_equal(parameters(G, D), parameters(G_ref, D_ref))


# --- the relativistic loss: a real batch in the generator's step, for that loss only ----------


class CountingData:
    """Ring data that counts its draws: the run's use of its data stream, seen from outside."""

    def __init__(self):
        self.draws = 0

    def __call__(self, n: int, generator: torch.Generator) -> torch.Tensor:
        self.draws += 1
        return ring(n, generator)


@pytest.mark.parametrize("loss", loss_names())
def test_only_a_generator_loss_that_reads_real_outputs_draws_more_real_batches(loss):
    # Every other loss draws n_critic batches a step, so its data stream, and hence its run, is
    # the one it was before the relativistic loss was added; that loss draws one more per step.
    config = small(loss, steps=5)
    data = CountingData()
    train(*players(), data, config, progress=False)
    extra = 1 if get_loss(loss).generator_uses_real else 0
    assert data.draws == config.steps * (config.n_critic + extra)
    assert get_loss(loss).generator_uses_real is (loss == "relativistic")


def test_the_relativistic_generator_step_compares_with_the_discriminator_on_the_real_batch():
    gan = _gan("relativistic")
    x = ring(32, torch.Generator().manual_seed(1))
    rng_state = gan.rng.get_state()
    with torch.no_grad():  # the same z, drawn from the same stream, and D as it is now
        z = torch.randn((32, gan.generator.latent_dim), generator=gan.rng)
        expected = relativistic_generator_loss(
            gan.discriminator(x), gan.discriminator(gan.generator(z))
        )
    gan.rng.set_state(rng_state)
    d_before = parameters(gan.discriminator)
    record = generator_step(gan, 32, x)
    torch.testing.assert_close(record.loss, expected)
    assert bitwise_equal(parameters(gan.discriminator), d_before)  # only G moves
    assert record.d_real is None  # a generator step records no real outputs


def test_the_relativistic_generator_step_needs_a_real_batch():
    with pytest.raises(ValueError, match=r"'relativistic' needs a real batch: pass x"):
        generator_step(_gan("relativistic"), 32)


def test_other_generator_steps_ignore_a_real_batch():
    x = ring(32, torch.Generator().manual_seed(1))
    with_x, without = _gan(), _gan()
    generator_step(with_x, 32, x)
    generator_step(without, 32)
    assert bitwise_equal(parameters(with_x.generator), parameters(without.generator))


def test_relativistic_training_resumes_into_the_uninterrupted_run(tmp_path):
    # The generator's real batches come from the checkpointed data stream too.
    checkpoint = tmp_path / "first.pt"
    resumed = players(seed=3)
    train(*resumed, ring, small("relativistic", steps=3), progress=False, checkpoint=checkpoint)
    first = train(
        *resumed, ring, small("relativistic", steps=6), progress=False, resume_from=checkpoint
    )
    whole_players = players(seed=3)
    whole = train(*whole_players, ring, small("relativistic", steps=6), progress=False)
    assert bitwise_equal(parameters(*resumed), parameters(*whole_players))
    for name in SERIES:
        np.testing.assert_array_equal(getattr(first, name), getattr(whole, name))


def test_relativistic_training_moves_the_shift_generator_towards_the_data():
    data = lambda n, generator: gaussian_1d(n, mean=2.0, generator=generator)  # noqa: E731
    config = TrainConfig.for_loss(
        "relativistic", steps=300, batch_size=64, d_lr=1e-2, g_lr=1e-2, device="cpu"
    )
    G = ShiftGenerator()
    before = G.theta.item()
    train(G, LogisticDiscriminator(), data, config, progress=False)
    assert abs(G.theta.item() - 2.0) < 0.5 * abs(before - 2.0)


class Watch(nn.Module):
    """Wraps a module; from forward call ``poison_from`` (1-based) on, outputs ``value``."""

    def __init__(self, inner: nn.Module, poison_from: int, value: float, when_grad: bool = False):
        super().__init__()
        self.inner, self.poison_from, self.value = inner, poison_from, value
        self.when_grad = when_grad
        self.calls, self.threads_seen = 0, set()
        self.latent_dim = getattr(inner, "latent_dim", None)

    def forward(self, x):
        self.threads_seen.add(torch.get_num_threads())
        out = self.inner(x)
        if self.when_grad and not torch.is_grad_enabled():
            return out
        self.calls += 1
        return out * self.value if self.calls >= self.poison_from else out


def test_a_nan_in_the_discriminator_stops_the_run_naming_step_network_and_loss(tmp_path):
    G, D = players()
    # non-saturating, n_critic 1: D runs three times a step (real, fake, then in G's step),
    # so call 7 is the first call of step 3.
    nan_d = Watch(D, poison_from=7, value=math.nan)
    checkpoint = tmp_path / "run" / "checkpoint.pt"
    with pytest.raises(TrainingDivergedError, match="step 3") as caught:
        train(G, nan_d, ring, small("non-saturating"), progress=False, checkpoint=checkpoint)
    error = caught.value
    assert (error.step, error.network, error.series) == (3, "discriminator", "d_loss")
    assert "discriminator" in str(error)
    assert "'non-saturating'" in str(error)
    assert math.isnan(error.value)
    assert isinstance(error, RuntimeError)
    assert not checkpoint.parent.exists()  # nothing written, not even the folder


def test_an_inf_in_the_generator_update_names_the_generator():
    G, D = players()
    inf_g = Watch(G, poison_from=2, value=math.inf, when_grad=True)  # G's own step, from step 2
    with pytest.raises(TrainingDivergedError) as caught:
        train(inf_g, D, ring, small("least-squares"), progress=False)
    assert (caught.value.step, caught.value.network) == (2, "generator")
    assert caught.value.series in ("g_loss", "d_fake_g")


def test_threads_are_pinned_during_the_run_and_restored_after_it():
    previous = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        G, D = players()
        watched = Watch(D, poison_from=10**9, value=1.0)
        train(G, watched, ring, small("hinge", threads=1), progress=False)
        assert watched.threads_seen == {1}
        assert torch.get_num_threads() == 2
        with pytest.raises(TrainingDivergedError):
            train(G, Watch(D, 1, math.nan), ring, small("hinge", threads=1), progress=False)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(previous)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_asking_for_cuda_without_one_is_a_clear_error():
    with pytest.raises(ValueError, match="no CUDA GPU"):
        train(*players(), ring, small("hinge", device="cuda"), progress=False)


@pytest.mark.skipif(
    torch.cuda.is_available() or torch.backends.mps.is_available(), reason="an accelerator"
)
def test_auto_falls_back_to_the_cpu():
    history = train(*players(), ring, small("hinge", device="auto", steps=1), progress=False)
    assert history.metadata["device"] == "cpu"


def test_silent_without_a_terminal_and_a_bar_when_asked(capsys):
    train(*players(), ring, small("hinge"), progress=None)  # pytest's stderr is not a terminal
    assert capsys.readouterr().err == ""
    train(*players(), ring, small("hinge"), progress=False)
    assert capsys.readouterr().err == ""
    train(*players(), ring, small("hinge"), progress=True)
    bar = capsys.readouterr().err
    assert "D(x)=" in bar
    assert "D(G(z))=" in bar
    assert "L_D=" in bar
    assert "L_G=" in bar


def test_a_bar_on_a_terminal(capsys, monkeypatch):
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    train(*players(), ring, small("hinge"))
    assert "6/6" in capsys.readouterr().err


def test_snapshots_do_not_change_the_run():
    def run(snapshot_every: int):
        rng = torch.Generator().manual_seed(0)
        G = DCGANGenerator(latent_dim=8, channels=4, generator=rng)
        D = DCGANDiscriminator(channels=4, generator=rng)
        images = lambda n, generator: torch.rand(n, 1, 16, 16, generator=generator) * 2 - 1  # noqa: E731
        config = small("non-saturating", steps=3, snapshot_every=snapshot_every, batch_size=8)
        return parameters(G, D), train(G, D, images, config, progress=False)

    (every_step, h1), (at_the_end, h2) = run(1), run(100)
    assert bitwise_equal(every_step, at_the_end)  # batch-norm statistics included
    assert h1.snapshot_steps.tolist() == [0, 1, 2, 3]
    assert h2.snapshot_steps.tolist() == [0, 3]
    assert all(np.array_equal(getattr(h1, s), getattr(h2, s)) for s in SERIES)
    np.testing.assert_array_equal(h1.snapshots[[0, 3]], h2.snapshots)


@pytest.mark.parametrize(
    ("arguments", "name"),
    [
        ((nn.Linear(2, 2), MLPDiscriminator(), ring), "latent_dim"),
        ((MLPGenerator(), "D", ring), "discriminator"),
        ((MLPGenerator(), MLPDiscriminator(), "ring"), "data"),
    ],
)
def test_bad_arguments_are_type_errors_naming_them(arguments, name):
    with pytest.raises(TypeError, match=name):
        train(*arguments, small("hinge"), progress=False)


def test_a_config_must_be_a_train_config():
    with pytest.raises(TypeError, match="config"):
        train(*players(), ring, {"loss": "hinge"}, progress=False)


def test_progress_must_be_a_bool():
    with pytest.raises(TypeError, match="progress"):
        train(*players(), ring, small("hinge"), progress="yes")


def test_data_of_the_wrong_batch_size_is_named():
    with pytest.raises(ValueError, match=r"data\(n, generator\)"):
        train(*players(), lambda n, generator: ring(n + 1, generator), small("hinge"))


# --- hooks: on_step and a pluggable penalty -------------------------------------------------------


def test_on_step_sees_every_step_in_order_with_the_weights_of_a_run_that_long():
    config = small("wgan-gp", steps=5, snapshot_every=2)
    seen: dict[int, list[torch.Tensor]] = {}

    def look(step: int, generator: nn.Module, discriminator: nn.Module) -> None:
        seen[step] = parameters(generator, discriminator)

    watched = players(seed=4)
    history = train(*watched, ring, config, progress=False, on_step=look)
    assert list(seen) == [1, 2, 3, 4, 5]
    for k in (1, 3, 5):  # the players at step k are those of a k-step run
        short = players(seed=4)
        train(*short, ring, small("wgan-gp", steps=k, snapshot_every=2), progress=False)
        assert bitwise_equal(seen[k], parameters(*short))
    # looking does not change the run
    plain = players(seed=4)
    again = train(*plain, ring, config, progress=False)
    assert bitwise_equal(parameters(*watched), parameters(*plain))
    np.testing.assert_array_equal(history.d_loss, again.d_loss)
    np.testing.assert_array_equal(history.snapshots, again.snapshots)


def test_on_step_after_a_resume_sees_only_the_steps_it_runs(tmp_path):
    checkpoint = tmp_path / "first.pt"
    first = players(seed=5)
    train(*first, ring, small("minimax", steps=3), progress=False, checkpoint=checkpoint)
    steps: list[int] = []
    train(
        *first,
        ring,
        small("minimax", steps=6),
        progress=False,
        resume_from=checkpoint,
        on_step=lambda step, _generator, _discriminator: steps.append(step),
    )
    assert steps == [4, 5, 6]


def test_the_standard_penalty_plugged_in_is_the_run_without_a_plug_bit_for_bit():
    config = small("wgan-gp")
    plain, plugged = players(seed=6), players(seed=6)
    a = train(*plain, ring, config, progress=False)
    b = train(*plugged, ring, config, progress=False, penalty=gradient_penalty)
    assert bitwise_equal(parameters(*plain), parameters(*plugged))
    np.testing.assert_array_equal(a.penalty, b.penalty)


def test_a_plugged_penalty_is_the_term_that_gp_weight_weighs():
    calls: list[tuple[int, torch.Generator]] = []

    def zero_penalty(_critic, real, _fake, *, rng=None):
        calls.append((real.shape[0], rng))
        return torch.zeros((), dtype=real.dtype)

    config = small("wgan-gp", n_critic=2, gp_weight=7.0)
    zeroed, penalised = players(seed=7), players(seed=7)
    history = train(*zeroed, ring, config, progress=False, penalty=zero_penalty)
    train(*penalised, ring, config, progress=False)
    assert len(calls) == config.steps * config.n_critic  # once per discriminator update
    assert all(n == config.batch_size and isinstance(g, torch.Generator) for n, g in calls)
    np.testing.assert_array_equal(history.penalty, 0.0)
    assert not bitwise_equal(parameters(*zeroed), parameters(*penalised))


def test_hooks_of_the_wrong_kind_are_clear_errors():
    with pytest.raises(TypeError, match="on_step must be callable"):
        train(*players(), ring, small("minimax"), progress=False, on_step=3)
    with pytest.raises(TypeError, match="penalty must be callable"):
        train(*players(), ring, small("wgan-gp"), progress=False, penalty="gp")
    with pytest.raises(ValueError, match=r"needs config\.gp_weight"):
        train(*players(), ring, small("minimax"), progress=False, penalty=gradient_penalty)


def test_lazy_r1_adds_k_times_the_penalty_on_every_kth_discriminator_update():
    # Lazy regularisation (Karras et al. 2020): with r1_every = k the R1 term appears on D updates
    # 0, k, 2k, ... only, k times as heavy; its value there is recomputed here from the players.
    from ganbook.penalties import r1_penalty
    from ganbook.training.steps import _penalty

    torch.manual_seed(0)
    critic = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    x, x_fake = torch.randn(16, 2), torch.randn(16, 2)
    gan = GAN(
        generator=None,
        discriminator=critic,
        g_optimiser=None,
        d_optimiser=None,
        loss=get_loss("non-saturating"),
        rng=torch.Generator(),
        r1_gamma=2.0,
        r1_every=4,
    )
    seen = []
    for updates in range(9):
        gan.d_updates = updates
        seen.append(_penalty(gan, x, x_fake))
    assert [p is not None for p in seen] == [u % 4 == 0 for u in range(9)]
    expected = 0.5 * 4 * 2.0 * r1_penalty(critic, x)
    assert seen[4].item() == pytest.approx(expected.item(), rel=1e-6)


def test_lazy_r1_counts_updates_across_a_resumed_run(tmp_path):
    # A run resumed from its checkpoint puts the lazy R1 term on the same updates as one that
    # never stopped: the counter is restored from the step count.
    lazy = {"r1_gamma": 1.0, "r1_every": 4, "n_critic": 1}
    checkpoint = tmp_path / "first.pt"
    resumed = players(seed=3)
    train(
        *resumed,
        ring,
        small("non-saturating", steps=3, **lazy),
        progress=False,
        checkpoint=checkpoint,
    )
    first = train(
        *resumed,
        ring,
        small("non-saturating", steps=6, **lazy),
        progress=False,
        resume_from=checkpoint,
    )
    whole = train(*players(seed=3), ring, small("non-saturating", steps=6, **lazy), progress=False)
    np.testing.assert_array_equal(first.penalty, whole.penalty)
    assert np.flatnonzero(whole.penalty).tolist() == [0, 4]  # D updates 0 and 4 of 0..5


def test_lazy_r1_needs_r1_gamma_and_a_positive_interval():
    with pytest.raises(ValueError, match="r1_gamma"):
        TrainConfig.for_loss("non-saturating", steps=1, r1_every=4)
    with pytest.raises(ValueError, match="r1_every"):
        TrainConfig.for_loss("non-saturating", steps=1, r1_gamma=1.0, r1_every=0)


@pytest.mark.parametrize("name", ["adam", "rmsprop", "sgd"])
def test_the_trainers_optimisers_make_the_per_parameter_loops_updates_bit_for_bit(name):
    """`_optimiser`'s foreach update gives the per-parameter loop's bits (``foreach=False``).

    Checked on an MLP over twenty steps of each optimiser.
    """
    from ganbook.training.loop import _optimiser

    loops = {
        "adam": lambda p: torch.optim.Adam(p, lr=2e-3, betas=(0.5, 0.9), foreach=False),
        "rmsprop": lambda p: torch.optim.RMSprop(p, lr=2e-3, foreach=False),
        "sgd": lambda p: torch.optim.SGD(p, lr=2e-3, foreach=False),
    }
    torch.manual_seed(0)
    ours, theirs = MLPDiscriminator(hidden=16, depth=3), MLPDiscriminator(hidden=16, depth=3)
    theirs.load_state_dict(ours.state_dict())
    batched = _optimiser(name, ours, 2e-3, (0.5, 0.9))
    assert all(group["foreach"] for group in batched.param_groups)
    looped = loops[name](theirs.parameters())
    x = torch.randn(20, 64, 2, generator=torch.Generator().manual_seed(1))
    for batch in x:
        for model, optimiser in ((ours, batched), (theirs, looped)):
            optimiser.zero_grad()
            model(batch).pow(2).mean().backward()
            optimiser.step()
    for mine, reference in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert torch.equal(mine, reference)
