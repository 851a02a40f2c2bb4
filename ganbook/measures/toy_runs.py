r"""The toy-run harness: seed ensembles of small GANs on the ring, set up once for every chapter.

- `toy_players`: one member's untrained MLP $G$ and $D$, each from its own named stream.
- `toy_config`: one member's `TrainConfig` from the experiment's parameters.
- `ToyEnsemble`, `toy_ensemble`: the members, their players and configs, trained together by
  `train_ensemble` (with stops at which each member can be examined).
- `ring_loss_runs`: one ensemble per loss on the ring, measured at every snapshot ($W_1$ to the
  data, covered modes, distance to the nearest mode), as the saturation and least-squares
  chapters compare them; with `DCGAN_RING` and its profiles, the settings they share.

Member $k$ of every ensemble built here takes its initial weights from its streams ``"init-g"``
and ``"init-d"``, and its batches and latents from its own seed, so member $k$ of two chapters
with the same experiment seed starts from the same networks and sees the same data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import torch
from torch import nn

from ganbook.data import eight_gaussians_centres
from ganbook.measures.samples import (
    covered_modes,
    nearest_mode,
    real_w1_floor,
    ring_data,
    sample_w1,
)
from ganbook.measures.summaries import add_spread
from ganbook.models import MLPDiscriminator, MLPGenerator
from ganbook.training import History, TrainConfig
from ganbook.training.ensemble import train_ensemble

__all__ = [
    "DCGAN_RING",
    "DCGAN_RING_FULL",
    "DCGAN_RING_TEST",
    "LOSS_KEYS",
    "Member",
    "ToyEnsemble",
    "members_trained",
    "ring_loss_runs",
    "sweeps_the_rate",
    "toy_config",
    "toy_ensemble",
    "toy_players",
]

Sampler = Callable[[int, torch.Generator], torch.Tensor]


def sweeps_the_rate(params: Mapping[str, Any]) -> bool:
    r"""Whether a cell with these parameters sweeps the learning rate: more than one scale.

    ``params["lr_scales"]`` holds the multiples of the paper's rates to try, each on
    ``params["tuning_members"]`` tuning seeds, before ``params["members"]`` seeds train at the
    best one (the loss study's protocol).
    """
    return len(tuple(params["lr_scales"])) > 1


def members_trained(params: Mapping[str, Any]) -> int:
    r"""How many members a cell with these parameters trains, its sweep's tuning seeds included.

    $m + m_t\,|\text{rates}|$ when it sweeps the rate, else $m$.

    Examples
    --------
    >>> members_trained({"members": 20, "tuning_members": 5, "lr_scales": (0.5, 1.0, 2.0)})
    35
    >>> members_trained({"members": 5, "tuning_members": 5, "lr_scales": (1.0,)})
    5
    """
    tuning = params["tuning_members"] * len(tuple(params["lr_scales"]))
    return int(params["members"]) + (tuning if sweeps_the_rate(params) else 0)


class Member(Protocol):
    r"""What the harness needs of a run's context: a device, a seed and named random streams.

    The engine's ``RunContext`` is one; so is any object with these members.
    """

    device: torch.device
    seed: int

    def stream(self, name: str) -> torch.Generator:
        r"""A CPU generator for the stream ``name`` of this seed."""

    def stream_seed(self, name: str) -> int:
        r"""The integer seed of the stream ``name``."""

    def members(self, count: int) -> list[Member]:
        r"""The contexts of a seed ensemble of ``count`` members."""


def toy_players(
    params: Mapping[str, Any], member: Member, d_in_dim: int = 2
) -> tuple[MLPGenerator, MLPDiscriminator]:
    r"""One member's untrained $G$ and $D$: MLPs of ``params["hidden"]`` × ``params["depth"]``.

    $G$'s initial weights come from the member's stream ``"init-g"``, $D$'s from ``"init-d"``;
    $D$ takes inputs of ``d_in_dim`` features (wider than a point with packing or the minibatch
    standard deviation: `DiscriminatorInputs.width`).
    """
    shape = {"hidden": params["hidden"], "depth": params["depth"]}
    return (
        MLPGenerator(**shape, generator=member.stream("init-g")),
        MLPDiscriminator(in_dim=d_in_dim, **shape, generator=member.stream("init-d")),
    )


def toy_config(
    loss: str, params: Mapping[str, Any], member: Member, **overrides: Any
) -> TrainConfig:
    r"""One member's `TrainConfig`: the loss's defaults, the schedule of ``params``, its own seed.

    ``params`` gives ``steps``, ``batch_size`` and ``snapshot_every``; ``overrides`` any other
    field (learning rates, ``n_critic``, ``clip_value``, ``gp_weight``, ``snapshot_size``).
    The seed is the member's, so are its real batches, latents and snapshot latents.
    """
    # --8<-- [start:toy_config]
    return TrainConfig.for_loss(
        loss,  # the registry's name; the paper's optimiser and rates unless overridden
        steps=params["steps"],
        batch_size=params["batch_size"],
        snapshot_every=params["snapshot_every"],
        seed=member.seed,  # the member's own data, latents and snapshot latents
        device=str(member.device),
        **overrides,
    )
    # --8<-- [end:toy_config]


@dataclass
class ToyEnsemble:
    r"""A seed ensemble ready to train: per member its context, $G$, $D$ and config.

    Parameters
    ----------
    members : list
        The members' contexts (``context.members(K)``).
    generators, discriminators : list of torch.nn.Module
        One per member, trained in place.
    configs : list of TrainConfig
        One per member, equal except for the seed.
    histories : list of History
        Filled by :meth:`train`.
    """

    members: list[Member]
    generators: list[nn.Module]
    discriminators: list[nn.Module]
    configs: list[TrainConfig]
    histories: list[History] = field(default_factory=list)

    def train(
        self,
        data: Sampler = ring_data,
        *,
        stops: Sequence[int] = (),
        on_stop: Callable[[int, int], None] | None = None,
    ) -> list[History]:
        r"""Train every member by `train_ensemble`; ``on_stop(member, step)`` at every stop.

        At a stop, ``self.generators[member]`` and ``self.discriminators[member]`` hold that
        member's weights at that step. Returns (and keeps) one `History` per member.
        """
        self.histories = train_ensemble(
            self.generators, self.discriminators, data, self.configs, stops=stops, on_stop=on_stop
        )
        return self.histories


def toy_ensemble(
    loss: str, params: Mapping[str, Any], context: Member, **overrides: Any
) -> ToyEnsemble:
    r"""``params["members"]`` members with `toy_players` and `toy_config` (``overrides`` added).

    $D$'s input is as wide as the configs' `DiscriminatorInputs` need for points in the plane.
    """
    members = context.members(params["members"])
    configs = [toy_config(loss, params, member, **overrides) for member in members]
    width = configs[0].discriminator_inputs.width(2)
    players = [toy_players(params, member, d_in_dim=width) for member in members]
    return ToyEnsemble(
        members=members,
        generators=[p[0] for p in players],
        discriminators=[p[1] for p in players],
        configs=configs,
    )


# ---- the DCGAN-setting ring ensembles of Part I (saturation, least squares) ---------------------

DCGAN_RING = {
    "hidden": 64,
    "depth": 3,
    "batch_size": 128,
    "samples": 500,
    "members": 5,
    "steps": 2000,
    "snapshot_every": 250,
}
r"""The ring ensembles of Part I: MLPs 3 × 64, batch 128 (DCGAN's), 500 fixed latents per
snapshot for $W_1$, 5 seeds, 2,000 generator steps, a snapshot every 250. (At width 32 the DCGAN
setting had not left the blob after 2,000 steps in any of 5 seeds; at width 64 most seeds trace
the ring.)"""
DCGAN_RING_TEST = {
    "hidden": 16,
    "batch_size": 64,
    "samples": 200,
    "members": 2,
    "steps": 120,
    "snapshot_every": 40,
}
r"""`DCGAN_RING` on the test profile."""
DCGAN_RING_FULL = {"members": 10}
r"""`DCGAN_RING` on the full profile."""

LOSS_KEYS = {"minimax": "saturating", "non-saturating": "nonsaturating", "least-squares": "ls"}
r"""Registry loss name to the key its results are stored under (the figures' colour names)."""


def ring_loss_runs(
    losses: Sequence[str], params: Mapping[str, Any], context: Member, **overrides: Any
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    r"""Train a `toy_ensemble` per loss on the ring; arrays and scalars keyed by `LOSS_KEYS`.

    Member $k$ of every loss starts from the same weights and sees the same real batches and
    latents, so the losses are compared seed by seed. Per loss, with a leading member axis:
    $W_1$ to a real sample and covered modes at every snapshot, the mean distance to the nearest
    mode centre, the snapshots, the per-step generator gradient norm and $\overline{D}(G(z))$
    (a probability for logit losses, the raw score for least squares). Scalars: the spread over
    members of the final values, the real-vs-real $W_1$ floor, and the $W_1$ of two degenerate
    generators (all mass at the origin; all mass on one mode).

    ``params`` holds `toy_config`'s keys and ``samples`` (the snapshot size, and the size of
    the real sample); ``overrides`` go to every config.
    """
    n = params["samples"]
    real = ring_data(n, context.stream("w1-real")).numpy()
    arrays: dict[str, np.ndarray] = {}
    centres = eight_gaussians_centres(dtype=torch.float64).numpy()
    scalars: dict[str, Any] = {
        "w1_floor": real_w1_floor(ring_data, n, context.stream("w1-floor"), reference=real),
        "w1_point_at_centre": sample_w1(np.zeros((1, 2)), real),  # all mass at the origin
        "w1_point_on_mode": sample_w1(centres[:1], real),  # all mass on one mode
        # the same for eight equal modes: the mean chord r · (1/8) Σ_k 2 sin(kπ/8)
        "mean_chord": float(np.linalg.norm(centres - centres[0], axis=1).mean()),
        **{
            k: params[k]
            for k in ("members", "samples", "steps", "hidden", "batch_size", "snapshot_every")
        },
    }
    for loss in losses:
        key = LOSS_KEYS[loss]
        ensemble = toy_ensemble(loss, params, context, snapshot_size=n, **overrides)
        histories = ensemble.train(ring_data)
        snapshots = np.stack([h.snapshots for h in histories])  # (K, S, n, 2)
        w1 = np.array([[sample_w1(s, real) for s in member] for member in snapshots])
        modes = np.array([[covered_modes(s) for s in member] for member in snapshots])
        nearest = np.array(
            [[nearest_mode(s.astype(float))[1].mean() for s in member] for member in snapshots]
        )
        arrays.update(
            {
                "snapshot_steps": histories[0].snapshot_steps,
                f"{key}_w1": w1,
                f"{key}_modes": modes,
                f"{key}_to_nearest": nearest,
                f"{key}_snapshots": snapshots,
                f"{key}_g_grad_norm": np.stack([h.g_grad_norm for h in histories]),
                f"{key}_d_fake": np.stack([h.d_fake_g for h in histories]),
            }
        )
        add_spread(scalars, f"{key}_final_w1", w1[:, -1])
        add_spread(scalars, f"{key}_final_modes", modes[:, -1])
        add_spread(scalars, f"{key}_best_w1", w1.min(axis=1))
        add_spread(scalars, f"{key}_final_nearest", nearest[:, -1])
        add_spread(scalars, "w1_start", w1[:, 0])
    return arrays, scalars
