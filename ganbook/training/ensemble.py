r"""``train_ensemble()``: K seeds of one small GAN trained at once, equal to K runs of `train()`.

A claim about training is a claim about a population of seeds, so the book trains seed ensembles.
For the MLPs of the toy chapters, the members' weights are stacked along a leading member axis
(`StackedMLP`): one batched matrix product per layer serves every member, and one optimiser runs
over the stacked tensors. Adam, RMSprop and SGD act element by element, the losses are summed
over members (so member $k$'s gradient is the gradient of its own loss), and every member draws
its real batches, latents and penalty points from its own streams, exactly as `train()` would
with that member's seed: the result equals K separate runs (a test checks it to 1e-6 in
float64, loss by loss). Models other than `MLPGenerator` / `MLPDiscriminator` are trained by a
loop of `train()` calls, with the same interface.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ganbook.devices import resolve_device
from ganbook.losses import LossPair, get_loss
from ganbook.models import MLPDiscriminator, MLPGenerator
from ganbook.penalties import interpolation_points, penalty_of_gradient_norms
from ganbook.training.config import TrainConfig
from ganbook.training.history import History
from ganbook.training.loop import (
    CHECK_EVERY,
    Sampler,
    _optimiser,
    reproducible_torch,
    stream_seeds,
    train,
)
from ganbook.training.recorder import Recorder, TrainingDivergedError
from ganbook.training.steps import StepRecord

__all__ = ["StackedMLP", "can_stack", "train_ensemble"]

StopCallback = Callable[[int, int], None]
r"""``on_stop(member, step)``: called once per member at every stop, with that member's modules
holding their weights at that step. The ensemble's counterpart of `train`'s ``on_step``: a
batched run writes the stacked weights back into the members' modules only at the stops."""


def _layers(module: nn.Module) -> list[nn.Linear]:
    r"""The Linear layers of an MLP of `ganbook.models`, checking the Linear/ReLU pattern."""
    layers = list(module.net)
    linears = layers[0::2]
    if not all(isinstance(layer, nn.Linear) for layer in linears) or not all(
        isinstance(layer, nn.ReLU) for layer in layers[1::2]
    ):
        raise TypeError("an MLP to stack must alternate Linear and ReLU layers")
    return linears


def can_stack(modules: Sequence[nn.Module]) -> bool:
    r"""Whether ``modules`` are MLPs of one kind and one shape that `StackedMLP` can stack."""
    kinds = {type(m) for m in modules}
    if len(kinds) != 1 or kinds.pop() not in (MLPGenerator, MLPDiscriminator):
        return False
    shapes = {tuple(tuple(layer.weight.shape) for layer in _layers(m)) for m in modules}
    dtypes = {p.dtype for m in modules for p in m.parameters()}
    return len(shapes) == 1 and len(dtypes) == 1


class StackedMLP(nn.Module):
    r"""K MLPs of one shape as one module: weights (K, out, in), biases (K, out).

    $$
    h^{(k)}_0 = x^{(k)},\quad h^{(k)}_l = \mathrm{ReLU}\bigl(h^{(k)}_{l-1} W_l^{(k)\top}
    + b_l^{(k)}\bigr),\quad f^{(k)}(x^{(k)}) = h^{(k)}_{L} W_{L+1}^{(k)\top} + b_{L+1}^{(k)}
    $$

    computed for all $k$ at once with ``torch.baddbmm``.

    Parameters
    ----------
    members : sequence of MLPGenerator or MLPDiscriminator
        The K networks, all of one class and one shape; their current weights are copied.
    """

    def __init__(self, members: Sequence[nn.Module]) -> None:
        super().__init__()
        if not members or not can_stack(members):
            raise TypeError("StackedMLP needs MLPs of one class, one shape and one dtype")
        per_member = [_layers(m) for m in members]
        self.weights = nn.ParameterList(
            nn.Parameter(torch.stack([layers[i].weight.detach() for layers in per_member]))
            for i in range(len(per_member[0]))
        )
        self.biases = nn.ParameterList(
            nn.Parameter(torch.stack([layers[i].bias.detach() for layers in per_member]))
            for i in range(len(per_member[0]))
        )
        self.members = len(members)
        self.latent_dim = getattr(members[0], "latent_dim", None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        r"""Map (K, N, in) to (K, N, out): member $k$'s network on row block $k$."""
        h = x
        last = len(self.weights) - 1
        for i, (weight, bias) in enumerate(zip(self.weights, self.biases, strict=True)):
            h = torch.baddbmm(bias.unsqueeze(1), h, weight.transpose(1, 2))  # h Wᵀ + b
            if i < last:
                h = F.relu(h)
        return h

    @torch.no_grad()
    def copy_into(self, members: Sequence[nn.Module]) -> None:
        r"""Write member $k$'s current weights into ``members[k]`` (same shapes as stacked)."""
        for k, module in enumerate(members):
            for i, layer in enumerate(_layers(module)):
                layer.weight.copy_(self.weights[i][k])
                layer.bias.copy_(self.biases[i][k])

    @torch.no_grad()
    def clip_(self, c: float) -> None:
        r"""WGAN's constraint on every member: $w \leftarrow \operatorname{clip}(w, -c, c)$."""
        for parameter in self.parameters():
            parameter.clamp_(-c, c)

    def grad_norms(self) -> torch.Tensor:
        r"""Per member, $\lVert \nabla w \rVert_2$ over all of its parameters: shape (K,)."""
        squares = [p.grad.pow(2).reshape(self.members, -1).sum(dim=1) for p in self.parameters()]
        return torch.stack(squares).sum(dim=0).sqrt()


def _check_members(generators, discriminators, configs) -> list[TrainConfig]:
    configs = list(configs)
    if not configs:
        raise ValueError("an ensemble needs at least one member")
    if not len(generators) == len(discriminators) == len(configs):
        raise ValueError(
            f"an ensemble needs one generator, discriminator and config per member, got "
            f"{len(generators)}, {len(discriminators)} and {len(configs)}"
        )
    for config in configs:
        if not isinstance(config, TrainConfig):
            raise TypeError(f"configs must be TrainConfig values, got {type(config).__name__}")
    reference = dataclasses.replace(configs[0], seed=0)
    for k, config in enumerate(configs):
        if dataclasses.replace(config, seed=0) != reference:
            raise ValueError(f"member {k}'s config differs from member 0's in more than its seed")
    if configs[0].r1_every != 1:
        raise ValueError("the ensemble trainer has no lazy R1: use r1_every=1, or train()")
    return configs


def _check_stops(stops: Sequence[int], steps: int) -> list[int]:
    chosen = sorted({int(s) for s in stops})
    if chosen and (chosen[0] < 1 or chosen[-1] > steps):
        raise ValueError(f"stops must lie in [1, {steps}], got {list(stops)}")
    return chosen


class _Member:
    r"""One member's streams and records: what `train()` keeps per run."""

    def __init__(self, config: TrainConfig, device: torch.device, pair: LossPair, latent: int):
        data_seed, noise_seed, snapshot_seed = stream_seeds(config.seed)
        self.config = config
        self.data_rng = torch.Generator().manual_seed(data_seed)
        self.rng = torch.Generator(device).manual_seed(noise_seed)
        z_rng = torch.Generator().manual_seed(snapshot_seed)
        self.z_fixed = torch.randn(config.snapshot_size, latent, generator=z_rng).to(device)
        self.recorder = Recorder(
            config.steps, config.n_critic, pair.output == "logit", config.loss, device, CHECK_EVERY
        )

    def real_batch(self, data: Sampler, device: torch.device) -> torch.Tensor:
        batch = self.config.batch_size
        x = data(batch, self.data_rng)
        if not isinstance(x, torch.Tensor) or x.ndim < 1 or x.shape[0] != batch:
            raise ValueError(
                f"data(n, generator) must return a tensor with n = {batch} rows, "
                f"got {getattr(x, 'shape', type(x).__name__)}"
            )
        return x.to(device)

    def latent(self, n: int, latent_dim: int, device: torch.device) -> torch.Tensor:
        return torch.randn((n, latent_dim), generator=self.rng, device=device)


class _StackedRun:
    r"""The state of a batched ensemble run: stacked players, optimisers, members' streams."""

    def __init__(self, generators, discriminators, configs, device: torch.device) -> None:
        config = configs[0]
        self.device, self.config = device, config
        self.pair = get_loss(config.loss)
        for module in (*generators, *discriminators):
            module.to(device).train()
        self.G = StackedMLP(generators).to(device)
        self.D = StackedMLP(discriminators).to(device)
        self.g_opt = _optimiser(config.g_optimiser, self.G, config.g_lr, config.g_betas)
        self.d_opt = _optimiser(config.d_optimiser, self.D, config.d_lr, config.d_betas)
        self.members = [_Member(c, device, self.pair, self.G.latent_dim) for c in configs]
        self.snapshot_steps: list[int] = []
        self.snapshots: list[torch.Tensor] = []  # each (K, snapshot_size, out)
        self.z_fixed = torch.stack([m.z_fixed for m in self.members])

    def judge(self, x: torch.Tensor) -> torch.Tensor:
        r"""Every member's $D$ on its own block of ``x`` (K, B, d), as the config's inputs say.

        Instance noise comes from each member's own stream, in the order `train` draws it.
        """
        inputs = self.config.discriminator_inputs
        if not inputs.active:
            return self.D(x)

        def noise(like: torch.Tensor) -> torch.Tensor:
            return torch.stack(
                [
                    torch.randn(like.shape[1:], generator=m.rng, device=like.device)
                    for m in self.members
                ]
            )

        return self.D(inputs.judged(x, noise))

    def _penalty(self, x: torch.Tensor, x_fake: torch.Tensor) -> torch.Tensor | None:
        r"""Per member $\lambda\,\mathrm{GP} + \tfrac{\gamma}{2} R_1$, shape (K,), or None."""
        config, penalty = self.config, None
        if config.gp_weight is not None:
            x_hat = torch.stack(
                [interpolation_points(x[k], x_fake[k], m.rng) for k, m in enumerate(self.members)]
            ).requires_grad_(True)
            (grads,) = torch.autograd.grad(self.judge(x_hat).sum(), x_hat, create_graph=True)
            norms = torch.linalg.vector_norm(grads.flatten(2), dim=2)  # (K, B)
            penalty = config.gp_weight * penalty_of_gradient_norms(norms)
        if config.r1_gamma is not None:
            x_real = x.detach().requires_grad_(True)
            (grads,) = torch.autograd.grad(self.judge(x_real).sum(), x_real, create_graph=True)
            r1 = 0.5 * config.r1_gamma * grads.flatten(2).pow(2).sum(dim=2).mean(dim=1)
            penalty = r1 if penalty is None else penalty + r1
        return penalty

    def discriminator_step(self, data: Sampler) -> None:
        members, batch = self.members, self.config.batch_size
        x = torch.stack([m.real_batch(data, self.device) for m in members])  # (K, B, d)
        z = torch.stack([m.latent(batch, self.G.latent_dim, self.device) for m in members])
        with torch.no_grad():
            x_fake = self.G(z)
        d_real, d_fake = self.judge(x), self.judge(x_fake)  # (K, B, 1)
        losses = [self.pair.discriminator_loss(d_real[k], d_fake[k]) for k in range(len(members))]
        penalty = self._penalty(x, x_fake)
        total = torch.stack(losses).sum() + (0 if penalty is None else penalty.sum())
        self.d_opt.zero_grad(set_to_none=True)
        total.backward()
        norms = self.D.grad_norms()
        self.d_opt.step()
        if self.config.clip_value is not None:
            self.D.clip_(self.config.clip_value)
        for k, member in enumerate(members):
            record = StepRecord(
                losses[k].detach(),
                None if penalty is None else penalty[k].detach(),
                d_real[k].detach(),
                d_fake[k].detach(),
                [norms[k]],
            )
            member.recorder.discriminator(record)

    def generator_step(self, data: Sampler) -> None:
        members, batch = self.members, self.config.batch_size
        z = torch.stack([m.latent(batch, self.G.latent_dim, self.device) for m in members])
        d_fake = self.judge(self.G(z))
        if self.pair.generator_uses_real:  # as `train`: a fresh real batch for this loss only
            x = torch.stack([m.real_batch(data, self.device) for m in members])  # (K, B, d)
            with torch.no_grad():
                d_real = self.judge(x)
            losses = [
                self.pair.generator_loss_of(d_fake[k], d_real[k]) for k in range(len(members))
            ]
        else:
            losses = [self.pair.generator_loss(d_fake[k]) for k in range(len(members))]
        self.g_opt.zero_grad(set_to_none=True)
        torch.stack(losses).sum().backward()
        norms = self.G.grad_norms()
        self.g_opt.step()
        for k, member in enumerate(members):
            record = StepRecord(losses[k].detach(), None, None, d_fake[k].detach(), [norms[k]])
            member.recorder.generator(record)

    @torch.no_grad()
    def snapshot(self, step: int) -> None:
        self.snapshot_steps.append(step)
        self.snapshots.append(self.G(self.z_fixed))

    def flush(self) -> None:
        for k, member in enumerate(self.members):
            try:
                member.recorder.flush()
            except TrainingDivergedError as error:
                error.args = (f"ensemble member {k} (seed {member.config.seed}): {error}",)
                raise


def _stacked_histories(run: _StackedRun, wall_time: np.ndarray) -> list[History]:
    snapshots = torch.stack(run.snapshots).float().cpu().numpy()  # (S, K, n, out)
    histories = []
    for k, member in enumerate(run.members):
        histories.append(
            History(
                steps=np.arange(1, member.config.steps + 1, dtype=np.int64),
                **member.recorder.series(),
                wall_time=wall_time.copy(),
                snapshot_steps=np.asarray(run.snapshot_steps, dtype=np.int64),
                snapshots=np.ascontiguousarray(snapshots[:, k]),
                metadata={
                    "config": member.config.to_dict(),
                    "device": run.device.type,
                    "torch": torch.__version__,
                    "ensemble": {"members": len(run.members), "member": k, "batched": True},
                },
            )
        )
    return histories


def _train_stacked(generators, discriminators, data, configs, stops, on_stop) -> list[History]:
    config = configs[0]
    device = resolve_device(config.device)
    with reproducible_torch(config.threads):
        run = _StackedRun(generators, discriminators, configs, device)
        wall_time = np.zeros(config.steps)
        run.snapshot(0)
        clock = time.perf_counter()
        for step in range(1, config.steps + 1):
            for _ in range(config.n_critic):
                run.discriminator_step(data)
            run.generator_step(data)
            wall_time[step - 1] = time.perf_counter() - clock
            last = step == config.steps
            if step % CHECK_EVERY == 0 or last:
                run.flush()
            if step % config.snapshot_every == 0 or last:
                run.snapshot(step)
            if step in stops:
                run.G.copy_into(generators)
                run.D.copy_into(discriminators)
                for k in range(len(configs)):
                    on_stop(k, step)
        run.G.copy_into(generators)
        run.D.copy_into(discriminators)
        return _stacked_histories(run, wall_time)


def _train_looped(generators, discriminators, data, configs, stops, on_stop) -> list[History]:
    r"""One `train` run per member; its ``on_step`` hook calls ``on_stop`` at the stops."""
    histories = []
    for k, (G, D, config) in enumerate(zip(generators, discriminators, configs, strict=True)):

        def at_stops(step: int, _generator: nn.Module, _discriminator: nn.Module, k=k) -> None:
            if step in stops:
                on_stop(k, step)

        history = train(G, D, data, config, progress=False, on_step=at_stops)
        history.metadata["ensemble"] = {"members": len(configs), "member": k, "batched": False}
        histories.append(history)
    return histories


def _no_stop(_member: int, _step: int) -> None:
    r"""The ``on_stop`` of a run without stops: nothing to look at."""


def train_ensemble(
    generators: Sequence[nn.Module],
    discriminators: Sequence[nn.Module],
    data: Sampler,
    configs: Sequence[TrainConfig],
    *,
    stops: Sequence[int] = (),
    on_stop: StopCallback | None = None,
    batched: bool | None = None,
) -> list[History]:
    r"""Train member $k$'s ``generators[k]`` against ``discriminators[k]`` with ``configs[k]``.

    Each member is the run ``train(generators[k], discriminators[k], data, configs[k])``: the
    same losses, schedule, penalties, clipping and random streams (from ``configs[k].seed``).
    With stackable MLPs (`can_stack`) all members run as one `StackedMLP` pair:

    $$
    \min_{\varphi_1..\varphi_K} \sum_{k=1}^K \Bigl[L_D\bigl(D_{\varphi_k}(x^{(k)}),
    D_{\varphi_k}(G_{\theta_k}(z^{(k)}))\bigr) + \mathcal{R}_k\Bigr], \qquad
    \min_{\theta_1..\theta_K} \sum_{k=1}^K L_G\bigl(D_{\varphi_k}(G_{\theta_k}(z^{(k)}))\bigr)
    $$

    whose gradient with respect to member $k$'s weights is that member's own.

    Parameters
    ----------
    generators, discriminators : sequence of torch.nn.Module
        One per member, trained in place (the final weights are written back).
    data : callable
        ``data(n, generator)`` as for `train`; each member draws from its own stream.
    configs : sequence of TrainConfig
        One per member, equal except for ``seed``.
    stops : sequence of int
        Steps after which ``on_stop(member, step)`` is called, with the member's modules
        holding their weights at that step (to evaluate a discriminator map, say). The looped
        trainer calls it from `train`'s ``on_step`` hook, the stacked one after copying the
        stacked weights back; either way the run is the uninterrupted one.
    on_stop : callable, optional
        See ``stops``.
    batched : bool, optional
        Force the stacked (True) or the looped (False) trainer; by default stacked whenever the
        models can be stacked.

    Returns
    -------
    list of History
        One per member, as `train` returns it; ``wall_time`` is the whole ensemble's.

    Raises
    ------
    ValueError
        For configs that differ in more than the seed, mismatched lengths or stops outside the
        run; `TrainingDivergedError` naming the member, the step and the series.
    """
    configs = _check_members(generators, discriminators, configs)
    if not callable(data):
        raise TypeError(f"data must be callable as data(n, generator), got {type(data).__name__}")
    chosen = _check_stops(stops, configs[0].steps)
    if chosen and on_stop is None:
        raise ValueError("stops were given without an on_stop callback")
    callback = on_stop or _no_stop
    stackable = can_stack(generators) and can_stack(discriminators)
    if batched and not stackable:
        raise TypeError("batched=True needs MLPGenerator and MLPDiscriminator members of one shape")
    if batched is None:
        batched = stackable
    trainer = _train_stacked if batched else _train_looped
    return trainer(list(generators), list(discriminators), data, configs, set(chosen), callback)
