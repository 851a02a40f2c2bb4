r"""How fast `train` is, against the shortest PyTorch loop that makes the same updates.

For each case (dataset, loss) both loops train freshly built, identical models with the same
batch, optimiser and thread count in the same process, alternating which goes first, for several
rounds after one warm-up round; the medians of their steps per second and their ratio are
reported. The hand-written loop records nothing, checks nothing and takes no snapshot: the ratio
is the price of the `History`, the divergence checks and the trainer's structure. This module
measures; ``scripts/bench_trainer.py`` prints, and the site may tabulate the rows.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import torch
from torch import nn

from ganbook.apps.datasets import get_dataset
from ganbook.devices import resolve_device
from ganbook.losses import get_loss
from ganbook.penalties import gradient_penalty
from ganbook.training.config import TrainConfig
from ganbook.training.ensemble import train_ensemble
from ganbook.training.loop import reproducible_torch, stream_seeds, train

__all__ = [
    "CASES",
    "ENSEMBLE_CASES",
    "Case",
    "format_ensemble_row",
    "format_row",
    "hand_written_loop",
    "run_benchmark",
    "run_ensemble_benchmark",
]


@dataclass(frozen=True)
class Case:
    r"""One benchmark case: a dataset of ``ganbook train``, a loss and the steps per round."""

    dataset: str
    loss: str
    steps: int
    quick_steps: int


CASES = (
    Case("ring", "non-saturating", steps=200, quick_steps=100),
    Case("ring", "wgan-gp", steps=50, quick_steps=25),
    Case("digits", "non-saturating", steps=50, quick_steps=25),
)
r"""The ring MLP (n_critic 1 and WGAN-GP's 5 with the penalty) and the digits DCGAN."""


def hand_written_loop(
    generator: nn.Module, discriminator: nn.Module, data, config: TrainConfig
) -> None:
    r"""Train as `train` does (Adam only), in plain PyTorch, recording and checking nothing.

    The random streams are seeded as `train` seeds them, so both loops make the same updates;
    for the relativistic loss, whose generator loss reads the discriminator on real data, the
    generator's update draws its own real batch, as `train` does.
    """
    if config.d_optimiser != "adam" or config.g_optimiser != "adam" or config.clip_value:
        raise ValueError("the hand-written loop supports Adam without weight clipping only")
    device = resolve_device(config.device)
    losses = get_loss(config.loss)
    opt_d = torch.optim.Adam(
        discriminator.parameters(), lr=config.d_lr, betas=config.d_betas, foreach=True
    )
    opt_g = torch.optim.Adam(
        generator.parameters(), lr=config.g_lr, betas=config.g_betas, foreach=True
    )
    data_seed, noise_seed, _ = stream_seeds(config.seed)
    data_rng = torch.Generator().manual_seed(data_seed)
    noise = torch.Generator(device).manual_seed(noise_seed)
    shape = (config.batch_size, generator.latent_dim)
    for _ in range(config.steps):
        for _ in range(config.n_critic):
            real = data(config.batch_size, data_rng).to(device)
            with torch.no_grad():
                fake = generator(torch.randn(shape, generator=noise, device=device))
            d_cost = losses.discriminator_loss(discriminator(real), discriminator(fake))
            if config.gp_weight is not None:
                gp = gradient_penalty(discriminator, real, fake, rng=noise)
                d_cost = d_cost + config.gp_weight * gp
            opt_d.zero_grad(set_to_none=True)
            d_cost.backward()
            opt_d.step()
        d_fake = discriminator(generator(torch.randn(shape, generator=noise, device=device)))
        if losses.generator_uses_real:  # relativistic: D on a fresh real batch, no graph
            real = data(config.batch_size, data_rng).to(device)
            with torch.no_grad():
                d_real = discriminator(real)
            g_cost = losses.generator_loss(d_real, d_fake)
        else:
            g_cost = losses.generator_loss(d_fake)
        opt_g.zero_grad(set_to_none=True)
        g_cost.backward()
        opt_g.step()


def _seconds(run: Callable[[], object], device: torch.device) -> tuple[float, float]:
    r"""Wall-clock and process CPU seconds of ``run()``, waiting for a GPU before and after."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return time.perf_counter() - wall, time.process_time() - cpu


def _measure(case: Case, steps: int, device: torch.device, threads: int, rounds: int) -> dict:
    dataset = get_dataset(case.dataset)
    config = TrainConfig.for_loss(
        case.loss, **dataset.overrides, steps=steps, device=device.type, threads=threads
    )
    contenders = {
        "trainer": lambda G, D, data: train(G, D, data, config, progress=False),
        "hand": lambda G, D, data: hand_written_loop(G, D, data, config),
    }
    seconds: dict[str, list[tuple[float, float]]] = {name: [] for name in contenders}
    for round_ in range(rounds + 1):  # round 0 warms both up and is not counted
        order = list(contenders) if round_ % 2 == 0 else list(reversed(contenders))
        for name in order:
            players = dataset.build(0, device)
            players[0].to(device), players[1].to(device)
            measured = _seconds(partial(contenders[name], *players), device)
            if round_ > 0:
                seconds[name].append(measured)

    def rate(name: str, clock: int) -> float:  # median steps per second by one clock
        return statistics.median(steps / s[clock] for s in seconds[name])

    trainer, hand = rate("trainer", 0), rate("hand", 0)
    return {
        "case": f"{case.dataset}/{case.loss}",
        "device": device.type,
        "threads": threads,
        "batch_size": config.batch_size,
        "n_critic": config.n_critic,
        "steps": steps,
        "rounds": rounds,
        "trainer_steps_per_s": trainer,
        "hand_steps_per_s": hand,
        "ratio": trainer / hand,
        "cpu_time_ratio": rate("trainer", 1) / rate("hand", 1),
    }


def run_benchmark(
    *, device: str = "cpu", threads: int = 1, rounds: int = 5, quick: bool = False
) -> list[dict]:
    r"""Measure every case of `CASES`; return one row (a dict) per case.

    Parameters
    ----------
    device : str
        ``"cpu"``, ``"cuda"``, ``"mps"`` or ``"auto"``.
    threads : int
        ``torch.set_num_threads`` for both loops (restored afterwards).
    rounds : int
        Counted rounds per case (after one warm-up round); medians are taken over them.
    quick : bool
        Use each case's ``quick_steps`` (a smoke test, not a measurement).

    Returns
    -------
    list of dict
        Keys ``case``, ``device``, ``threads``, ``batch_size``, ``n_critic``, ``steps``,
        ``rounds``, ``trainer_steps_per_s``, ``hand_steps_per_s`` and ``ratio`` (trainer/hand),
        all by the wall clock, and ``cpu_time_ratio``: the same ratio by this process's CPU
        time, which other processes on a shared machine disturb less (on a GPU it counts the
        host's work only).
    """
    resolved = resolve_device(device)
    with reproducible_torch(threads):  # the trainer's settings, for the hand-written loop too
        return [
            _measure(case, case.quick_steps if quick else case.steps, resolved, threads, rounds)
            for case in CASES
        ]


def format_row(row: dict) -> str:
    r"""One line per case, ending in ``ratio trainer/hand = X.XX``.

    Examples
    --------
    >>> row = {"case": "ring/wgan-gp", "device": "cpu", "threads": 1, "batch_size": 256,
    ...        "n_critic": 5, "steps": 100, "rounds": 5, "trainer_steps_per_s": 38.4,
    ...        "hand_steps_per_s": 40.0, "ratio": 0.96, "cpu_time_ratio": 0.97}
    >>> print(format_row(row))
    ring/wgan-gp cpu threads 1 batch 256 n_critic 5 100 steps x 5 rounds: trainer 38.4 steps/s,
    hand 40.0 steps/s, by CPU time 0.97, ratio trainer/hand = 0.96
    """
    return (
        f"{row['case']:<22} {row['device']}  threads {row['threads']}  batch {row['batch_size']}"
        f"  n_critic {row['n_critic']}  {row['steps']} steps x {row['rounds']} rounds: "
        f"trainer {row['trainer_steps_per_s']:.1f} steps/s, hand {row['hand_steps_per_s']:.1f} "
        f"steps/s, by CPU time {row['cpu_time_ratio']:.2f}, ratio trainer/hand = {row['ratio']:.2f}"
    )


ENSEMBLE_CASES = (
    Case("ring", "non-saturating", steps=150, quick_steps=20),
    Case("ring", "wgan-gp", steps=30, quick_steps=5),
)
r"""Seed ensembles on the ring: one loss with $n_\text{critic} = 1$, WGAN-GP with the penalty."""


def _ensemble_players(members: int, hidden: int, device: torch.device):
    from ganbook.models import MLPDiscriminator, MLPGenerator

    init = torch.Generator().manual_seed(0)
    generators = [MLPGenerator(hidden=hidden, generator=init) for _ in range(members)]
    discriminators = [MLPDiscriminator(hidden=hidden, generator=init) for _ in range(members)]
    return [g.to(device) for g in generators], [d.to(device) for d in discriminators]


def run_ensemble_benchmark(
    *,
    device: str = "cpu",
    threads: int = 1,
    members: int = 5,
    hidden: int = 32,
    rounds: int = 3,
    quick: bool = False,
) -> list[dict]:
    r"""Time `train_ensemble` batched against the loop of ``members`` separate `train` runs.

    Both train the same members (the same configs and seeds, so the same updates) on the ring,
    taking turns, for ``rounds`` counted rounds after a warm-up round; medians are reported.

    Returns
    -------
    list of dict
        Per case: ``case``, ``members``, ``hidden``, ``steps``, ``n_critic``,
        ``batched_member_steps_per_s`` and ``loop_member_steps_per_s`` (generator steps of
        all members per second of wall clock) and ``speedup`` (batched / loop).
    """
    resolved = resolve_device(device)
    dataset = get_dataset("ring")
    sampler = dataset.make_sampler(torch.device("cpu"))  # CPU batches, moved by the trainer
    rows = []
    with reproducible_torch(threads):
        for case in ENSEMBLE_CASES:
            steps = case.quick_steps if quick else case.steps
            configs = [
                TrainConfig.for_loss(
                    case.loss,
                    **dataset.overrides,
                    steps=steps,
                    seed=k,
                    device=resolved.type,
                    threads=threads,
                )
                for k in range(members)
            ]
            seconds: dict[bool, list[float]] = {True: [], False: []}
            for round_ in range(rounds + 1):
                for batched in (True, False) if round_ % 2 == 0 else (False, True):
                    generators, discriminators = _ensemble_players(members, hidden, resolved)
                    wall, _ = _seconds(
                        partial(
                            train_ensemble,
                            generators,
                            discriminators,
                            sampler,
                            configs,
                            batched=batched,
                        ),
                        resolved,
                    )
                    if round_ > 0:
                        seconds[batched].append(wall)
            batched_rate = statistics.median(members * steps / s for s in seconds[True])
            loop_rate = statistics.median(members * steps / s for s in seconds[False])
            rows.append(
                {
                    "case": f"ring/{case.loss}",
                    "members": members,
                    "hidden": hidden,
                    "steps": steps,
                    "n_critic": configs[0].n_critic,
                    "batched_member_steps_per_s": batched_rate,
                    "loop_member_steps_per_s": loop_rate,
                    "speedup": batched_rate / loop_rate,
                }
            )
    return rows


def format_ensemble_row(row: dict) -> str:
    r"""One line per ensemble case, ending in ``speed-up batched/loop = X.XX``.

    Examples
    --------
    >>> print(format_ensemble_row({"case": "ring/wgan-gp", "members": 5, "hidden": 32,
    ...     "steps": 60, "n_critic": 5, "batched_member_steps_per_s": 90.0,
    ...     "loop_member_steps_per_s": 50.0, "speedup": 1.8}))
    ring/wgan-gp  5 members, width 32, 60 steps: batched 90.0, loop 50.0 member steps/s,
    speed-up batched/loop = 1.80
    """
    return (
        f"{row['case']}  {row['members']} members, width {row['hidden']}, {row['steps']} "
        f"steps: batched {row['batched_member_steps_per_s']:.1f}, loop "
        f"{row['loop_member_steps_per_s']:.1f} member steps/s, speed-up batched/loop = "
        f"{row['speedup']:.2f}"
    )
