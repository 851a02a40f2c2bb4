r"""``train()``: one loop for every loss of the registry, with its checks, snapshots and checkpoint.

The loop alternates `discriminator_step` and `generator_step`, hands what they return to a
`Recorder` on the device, and looks at the numbers on the host only every `CHECK_EVERY` steps
(and at the end): that is where a NaN or an Inf stops the run. Two hooks open it up: ``on_step``
is called after every step with the players (to look at a run mid-way), and ``penalty`` replaces
the gradient penalty that ``config.gp_weight`` weighs. The trainer knows nothing about the models
beyond ``generator.latent_dim``; datasets and models are the caller's (a dataset's *name* may be
given, to be recorded in the checkpoint and checked on resuming).

Before anything is allocated, the memory the per-step records will take is compared with what
the machine has: a run of $T$ steps keeps about $T \cdot b$ bytes on the host, with
$b$ = `BYTES_PER_STEP` (the recorder's rows, their copies in the history and the checkpoint,
the wall times), and $T \cdot 8 \cdot 4$ bytes of rows on the device, plus
$(\lfloor T / s \rfloor + 2)$ snapshots of ``snapshot_size`` samples for ``snapshot_every`` $= s$;
a run that cannot fit is a ``ValueError`` before its first step, not an allocation failure.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator

import numpy as np
import torch
from torch import nn

from ganbook.devices import resolve_device
from ganbook.losses import get_loss
from ganbook.penalties import gradient_penalty
from ganbook.training.checkpoint import RunState, load_checkpoint, save_checkpoint
from ganbook.training.config import TrainConfig
from ganbook.training.history import SERIES, History
from ganbook.training.progress import ProgressBar, progress_enabled
from ganbook.training.recorder import Recorder, TrainingDivergedError
from ganbook.training.steps import GAN, Penalty, discriminator_step, generator_step

__all__ = [
    "BYTES_PER_STEP",
    "CHECK_EVERY",
    "StepCallback",
    "TrainingDivergedError",
    "reproducible_torch",
    "stream_seeds",
    "train",
]

CHECK_EVERY = 50
r"""Steps between two finiteness checks: the only points where the host waits for the device."""

BYTES_PER_STEP = 5 * len(SERIES) * 4 + 4 * 8
r"""Host bytes a run keeps per step: five float32 copies of the 8 series (the recorder's rows,
their numpy copy, the history's arrays, the checkpoint's, one spare) and four float64/int64
values (wall time and its copies, the step numbers)."""

Sampler = Callable[[int, torch.Generator], torch.Tensor]
StepCallback = Callable[[int, nn.Module, nn.Module], None]
r"""``on_step(step, generator, discriminator)``: called after each step $k = 1, 2, \dots$ with the
players as they are after that step's generator update."""


@contextlib.contextmanager
def reproducible_torch(threads: int) -> Iterator[None]:
    r"""Pin torch's thread count and choose deterministic cuDNN kernels; restore both after.

    Convolutions on a GPU otherwise pick kernels whose sums run in a varying order; on a CPU the
    bits of a convolution depend on the thread count.

    Examples
    --------
    >>> before = torch.get_num_threads()
    >>> with reproducible_torch(1):
    ...     torch.get_num_threads()
    1
    >>> torch.get_num_threads() == before
    True
    """
    cudnn = torch.backends.cudnn
    previous = torch.get_num_threads(), cudnn.deterministic, cudnn.benchmark
    torch.set_num_threads(threads)
    cudnn.deterministic, cudnn.benchmark = True, False
    try:
        yield
    finally:
        torch.set_num_threads(previous[0])
        cudnn.deterministic, cudnn.benchmark = previous[1:]


def _optimiser(name: str, module: nn.Module, lr: float, betas) -> torch.optim.Optimizer:
    r"""Adam, RMSprop or SGD of ``torch.optim`` over ``module``'s parameters, torch's defaults.

    Each updates all parameters with one batch of ``torch._foreach`` operations (torch's default
    on a GPU, not on a CPU): the same arithmetic element by element, so the same bits as the
    per-parameter loop, with a fraction of its Python overhead (about a fifth of a small MLP's
    step on one CPU thread).
    """
    if name == "adam":
        return torch.optim.Adam(module.parameters(), lr=lr, betas=betas, foreach=True)
    if name == "rmsprop":
        return torch.optim.RMSprop(module.parameters(), lr=lr, foreach=True)
    return torch.optim.SGD(module.parameters(), lr=lr, foreach=True)


def stream_seeds(seed: int) -> list[int]:
    r"""The seeds of a run's three random streams: real data, device noise, snapshot latents.

    They come from ``numpy.random.SeedSequence(seed)``, so that the streams are independent and
    two runs with nearby seeds share none.

    Examples
    --------
    >>> len(stream_seeds(0)), stream_seeds(0) == stream_seeds(0)
    (3, True)
    """
    return [int(s) for s in np.random.SeedSequence(seed).generate_state(3, dtype=np.uint64)]


def _available_memory() -> int | None:
    r"""Bytes of host memory a new allocation can take (MemAvailable); ``None`` if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return None


def _gib(count: float) -> str:
    return f"{count / 2**30:.3g} GiB"


def _check_memory(config: TrainConfig, device: torch.device, sample_bytes: int = 0) -> None:
    r"""``ValueError`` if the records of ``config.steps`` steps cannot fit in memory.

    ``sample_bytes`` is the size of one snapshot (known after the first one); each snapshot is
    held on the device and twice on the host (the list, then the history's stacked array).
    """
    snapshots = (config.steps // config.snapshot_every + 2) * sample_bytes
    host = config.steps * BYTES_PER_STEP + 2 * snapshots
    on_device = config.steps * len(SERIES) * 4 + snapshots
    limits = [("host memory available", _available_memory(), host)]
    if device.type == "cuda":
        with contextlib.suppress(RuntimeError, AttributeError):
            limits.append(("free GPU memory", torch.cuda.mem_get_info(device)[0], on_device))
    for what, limit, needed in limits:
        if limit is not None and needed > limit:
            raise ValueError(
                f"steps={config.steps} needs about {_gib(needed)} for the run's records, more "
                f"than the {_gib(limit)} of {what}; train fewer steps"
            )


def _start(
    generator, discriminator, config: TrainConfig, device: torch.device, penalty: Penalty
) -> RunState:
    r"""Move the players to ``device``, build optimisers and streams, allocate the records."""
    _check_memory(config, device)
    generator.to(device).train()
    discriminator.to(device).train()
    data_seed, noise_seed, _ = stream_seeds(config.seed)
    gan = GAN(
        generator,
        discriminator,
        g_optimiser=_optimiser(config.g_optimiser, generator, config.g_lr, config.g_betas),
        d_optimiser=_optimiser(config.d_optimiser, discriminator, config.d_lr, config.d_betas),
        loss=get_loss(config.loss),
        rng=torch.Generator(device).manual_seed(noise_seed),
        gp_weight=config.gp_weight,
        r1_gamma=config.r1_gamma,
        r1_every=config.r1_every,
        clip_value=config.clip_value,
        penalty=penalty,
        inputs=config.discriminator_inputs,
    )
    return RunState(
        config=config,
        device=device,
        gan=gan,
        data_rng=torch.Generator().manual_seed(data_seed),
        recorder=Recorder(
            config.steps,
            config.n_critic,
            gan.loss.output == "logit",
            config.loss,
            device,
            chunk=CHECK_EVERY,
        ),
        wall_time=np.zeros(config.steps),
    )


def _snapshot_latents(config: TrainConfig, latent_dim: int, device: torch.device) -> torch.Tensor:
    r"""The fixed latents of every snapshot, drawn on the CPU so that every device sees them."""
    rng = torch.Generator().manual_seed(stream_seeds(config.seed)[2])
    return torch.randn(config.snapshot_size, latent_dim, generator=rng).to(device)


def _take_snapshot(state: RunState, z: torch.Tensor) -> None:
    r"""Store G(z) for the fixed z, leaving G's buffers (batch-norm statistics) as they were."""
    generator = state.gan.generator
    with torch.no_grad():
        saved = [buffer.clone() for buffer in generator.buffers()]
        samples = generator(z)
        for buffer, value in zip(generator.buffers(), saved, strict=True):
            buffer.copy_(value)
    state.snapshot_steps.append(state.step)
    state.snapshots.append(samples)


def _real_batch(data: Sampler, state: RunState) -> torch.Tensor:
    r"""Draw one real batch with the CPU stream and move it to the device."""
    x = data(state.config.batch_size, state.data_rng)
    if not isinstance(x, torch.Tensor) or x.ndim < 1 or x.shape[0] != state.config.batch_size:
        raise ValueError(
            f"data(n, generator) must return a tensor with n = {state.config.batch_size} rows, "
            f"got {getattr(x, 'shape', type(x).__name__)}"
        )
    return x.to(state.device)


def _one_step(data: Sampler, state: RunState) -> None:
    r"""``n_critic`` discriminator updates, then one generator update; records, no host wait.

    Each discriminator update draws a fresh real batch; the generator update draws one too, after
    them, when its loss needs the discriminator on real data (the relativistic pair).
    """
    gan, config, recorder = state.gan, state.config, state.recorder
    for _ in range(config.n_critic):
        recorder.discriminator(discriminator_step(gan, _real_batch(data, state)))
    # Only a generator loss that reads D(x) (relativistic) draws a real batch here, so that every
    # other loss draws n_critic batches a step and its data stream is left as it was.
    x = _real_batch(data, state) if gan.loss.generator_uses_real else None
    recorder.generator(generator_step(gan, config.batch_size, x))
    state.step += 1


def _history(state: RunState) -> History:
    r"""Copy the records to numpy and attach provenance."""
    return History(
        steps=np.arange(1, state.config.steps + 1, dtype=np.int64),
        **state.recorder.series(),
        wall_time=state.wall_time.copy(),
        snapshot_steps=np.asarray(state.snapshot_steps, dtype=np.int64),
        snapshots=torch.stack(state.snapshots).float().cpu().numpy(),
        metadata={
            "config": state.config.to_dict(),
            "device": state.device.type,
            "torch": torch.__version__,
            **({} if state.dataset is None else {"dataset": state.dataset}),
        },
    )


def _run(data: Sampler, state: RunState, bar: ProgressBar, on_step: StepCallback | None) -> None:
    r"""Step until ``config.steps``, checking, reporting, snapshotting and calling ``on_step``."""
    config = state.config
    z_fixed = _snapshot_latents(config, state.gan.generator.latent_dim, state.device)
    if state.step == 0:
        _take_snapshot(state, z_fixed)
    first = state.snapshots[0]
    _check_memory(config, state.device, first.numel() * first.element_size())
    clock = time.perf_counter() - (state.wall_time[state.step - 1] if state.step else 0.0)
    while state.step < config.steps:
        _one_step(data, state)
        state.wall_time[state.step - 1] = time.perf_counter() - clock
        last = state.step == config.steps
        if state.step % CHECK_EVERY == 0 or last:
            state.recorder.flush()  # raises TrainingDivergedError at a NaN or an Inf
            bar.update(state.step, state.recorder.rows[state.step - 1])
        if state.step % config.snapshot_every == 0 or last:
            _take_snapshot(state, z_fixed)
        if on_step is not None:
            on_step(state.step, state.gan.generator, state.gan.discriminator)


def _check_hooks(config: TrainConfig, on_step, penalty) -> None:
    if on_step is not None and not callable(on_step):
        raise TypeError(f"on_step must be callable, got {type(on_step).__name__}")
    if penalty is not None and not callable(penalty):
        raise TypeError(f"penalty must be callable, got {type(penalty).__name__}")
    if penalty is not None and config.gp_weight is None:
        raise ValueError("penalty replaces the gradient penalty: it needs config.gp_weight")


def _check_arguments(generator, discriminator, data, config) -> None:
    for name, module in (("generator", generator), ("discriminator", discriminator)):
        if not isinstance(module, nn.Module):
            raise TypeError(f"{name} must be a torch.nn.Module, got {type(module).__name__}")
    latent_dim = getattr(generator, "latent_dim", None)
    if isinstance(latent_dim, bool) or not isinstance(latent_dim, int) or latent_dim < 1:
        raise TypeError(f"generator must have an int attribute latent_dim >= 1, got {latent_dim!r}")
    if not callable(data):
        raise TypeError(f"data must be callable as data(n, generator), got {type(data).__name__}")
    if not isinstance(config, TrainConfig):
        raise TypeError(f"config must be a TrainConfig, got {type(config).__name__}")


def train(
    generator: nn.Module,
    discriminator: nn.Module,
    data: Sampler,
    config: TrainConfig,
    *,
    progress: bool | None = None,
    checkpoint: str | os.PathLike | None = None,
    resume_from: str | os.PathLike | None = None,
    on_step: StepCallback | None = None,
    penalty: Penalty | None = None,
    dataset: str | None = None,
) -> History:
    r"""Train ``generator`` against ``discriminator`` on ``data`` as ``config`` says.

    Each of the ``config.steps`` steps runs ``n_critic`` times `discriminator_step` on a fresh
    real batch $x \sim p_{\text{data}}$, then `generator_step` once, with $z \sim
    \mathcal{N}(0, I)$ of shape ``(batch_size, generator.latent_dim)``:

    $$
    \min_\varphi\ L_D\bigl(D_\varphi(x), D_\varphi(G_\theta(z))\bigr) + \mathcal{R}(\varphi),
    \qquad \min_\theta\ L_G\bigl(D_\varphi(G_\theta(z))\bigr)
    $$

    The relativistic generator loss also reads $D_\varphi(x')$ on a real batch $x'$: for that
    loss alone the generator step draws a fresh real batch after the ``n_critic`` of the
    discriminator steps, so every other loss draws exactly ``n_critic`` batches a step.

    Parameters
    ----------
    generator : torch.nn.Module
        $G$, with an int attribute ``latent_dim``; moved to the device and trained in place.
    discriminator : torch.nn.Module
        $D$, returning raw outputs (logits or scores); moved and trained in place.
    data : callable
        ``data(n, generator) -> Tensor`` of shape (n, *sample_shape): ``n`` real examples drawn
        with the CPU ``torch.Generator`` it is given (the samplers of `ganbook.data` fit).
    config : TrainConfig
        Loss, schedule, optimisers, penalties, seed, device and threads.
    progress : bool, optional
        Show a tqdm bar; by default only when standard error is a terminal.
    checkpoint : path, optional
        Where to write the final checkpoint (atomically, only if the run succeeds).
    resume_from : path, optional
        A checkpoint of a run with the same config except, possibly, more ``steps``, the same
        ``dataset`` and players of the same classes and shapes: training continues from its
        step and the returned history covers the whole run.
    on_step : callable, optional
        ``on_step(step, generator, discriminator)``, called after every step $k$ of this call
        (after its generator update, its check and its snapshot), with the players holding
        their weights after $k$ steps: the way to look at a run mid-way. It may read the
        players (under ``torch.no_grad()``, say); changing them, or drawing from the run's
        streams, changes the run.
    penalty : callable, optional
        ``penalty(critic, real, fake, rng=rng)``, the term that ``config.gp_weight`` weighs, in
        place of `ganbook.penalties.gradient_penalty` (same random stream for its
        interpolation weights). Needs ``config.gp_weight``.
    dataset : str, optional
        The name of the data (``ganbook train``'s dataset), recorded in the checkpoint and the
        history's metadata; resuming a checkpoint of another dataset is refused.

    Returns
    -------
    History
        Per-step series, wall times and snapshots at step 0, every ``snapshot_every`` steps
        and the last step.

    Raises
    ------
    TrainingDivergedError
        If a loss, penalty, output or gradient norm is NaN or infinite; nothing is written.
    TypeError, ValueError
        For arguments of the wrong kind, a device this machine lacks, more steps than memory
        can record, a batch of the wrong size, or a ``resume_from`` that is not a checkpoint
        (empty, truncated, foreign) or does not fit this run (config, dataset, players); the
        message names the file and the difference.
    FileNotFoundError
        If ``resume_from`` does not exist.

    Notes
    -----
    Random streams, all derived from ``config.seed``: real batches on the CPU (``data``'s
    generator, so the same data on every device), latents $z$ and the penalty's $\alpha$ on
    the training device (a ``torch.Generator`` there), snapshot latents on the CPU. Same
    config, same device and same thread count give a bitwise-identical history (except
    ``wall_time``). Threads are pinned with ``torch.set_num_threads`` and cuDNN is made
    deterministic for the run (`reproducible_torch`); both are restored on return.

    Examples
    --------
    >>> import torch
    >>> from ganbook.data import gaussian_1d
    >>> from ganbook.models import LogisticDiscriminator, ShiftGenerator
    >>> config = TrainConfig.for_loss("non-saturating", steps=3, batch_size=8, device="cpu")
    >>> data = lambda n, generator: gaussian_1d(n, mean=2.0, generator=generator)
    >>> history = train(ShiftGenerator(), LogisticDiscriminator(), data, config, progress=False)
    >>> history.g_loss.shape, history.snapshot_steps.tolist()
    ((3,), [0, 3])

    Looking at the run mid-way, here the generator's shift after every step:

    >>> thetas = []
    >>> look = lambda step, G, D: thetas.append(round(G.theta.item(), 4))
    >>> _ = train(ShiftGenerator(), LogisticDiscriminator(), data, config, on_step=look)
    >>> len(thetas)
    3
    """
    _check_arguments(generator, discriminator, data, config)
    _check_hooks(config, on_step, penalty)
    if dataset is not None and not isinstance(dataset, str):
        raise TypeError(f"dataset must be a str, got {type(dataset).__name__}")
    device = resolve_device(config.device)
    with reproducible_torch(config.threads):
        state = _start(generator, discriminator, config, device, penalty or gradient_penalty)
        state.dataset = dataset
        if resume_from is not None:
            saved = load_checkpoint(resume_from)  # its errors name the file
            try:
                state.load_state_dict(saved)
            except ValueError as error:
                raise ValueError(f"cannot resume from {resume_from}: {error}") from None
            state.gan.d_updates = state.step * config.n_critic  # where a lazy R1 falls
        bar = ProgressBar(progress_enabled(progress), config.steps, state.step, config.loss)
        try:
            _run(data, state, bar, on_step)
        finally:
            bar.close()
        history = _history(state)
        if checkpoint is not None:
            save_checkpoint(checkpoint, state.state_dict())
    return history
