r"""Training: one `train()` for every loss of the registry, its config, history and checkpoints.

- ``config``: `TrainConfig`, every hyperparameter, with the papers' defaults per loss.
- ``steps``: `discriminator_step` and `generator_step`, the two halves of the algorithm box.
- ``inputs``: `DiscriminatorInputs`, what $D$ sees of a batch: instance noise, the minibatch
  standard deviation and packing, three remedies switched on by `TrainConfig` fields.
- ``loop``: `train`, which alternates them, checks for divergence and takes snapshots, with two
  hooks: ``on_step`` (look at the players after every step) and ``penalty`` (plug in another
  gradient penalty).
- ``ensemble``: `train_ensemble`, K seeds of a small GAN at once, equal to K `train` runs.
- ``recorder``: the per-step series kept on the device, checked for NaN and Inf in batches.
- ``history``: `History`, the per-step record, saved as ``.npz`` + JSON.
- ``checkpoint``: the state between two steps, saved and resumed bit for bit; resuming checks
  the config, the dataset's name and the players' signatures, and a file that is no such
  checkpoint is a ``ValueError`` naming it.
- ``atomic``: outputs written all at once, a file (`atomic_write`) or a whole run folder
  (`StagedDirectory`: staged beside it, renamed in when complete).

This layer imports data, models, losses and penalties; it never imports measures, the book or
the applications (``ganbook.apps``: the CLI, the dataset registry, previews, the benchmark).

Examples
--------
>>> import torch
>>> from ganbook.data import eight_gaussians
>>> from ganbook.models import MLPDiscriminator, MLPGenerator
>>> from ganbook.training import TrainConfig, train
>>> seeded = torch.Generator().manual_seed(0)
>>> G, D = MLPGenerator(hidden=16, generator=seeded), MLPDiscriminator(hidden=16, generator=seeded)
>>> config = TrainConfig.for_loss("wgan-gp", steps=2, batch_size=32, device="cpu")
>>> data = lambda n, generator: eight_gaussians(n, generator=generator)
>>> history = train(G, D, data, config, progress=False)
>>> history.snapshots.shape  # (snapshots, snapshot_size, 2)
(2, 512, 2)
"""

from ganbook.training.checkpoint import load_checkpoint, save_checkpoint
from ganbook.training.config import OPTIMISERS, PAPER_DEFAULTS, TrainConfig
from ganbook.training.history import SERIES, History
from ganbook.training.inputs import DiscriminatorInputs
from ganbook.training.loop import (
    CHECK_EVERY,
    StepCallback,
    TrainingDivergedError,
    reproducible_torch,
    stream_seeds,
    train,
)
from ganbook.training.steps import GAN, Penalty, StepRecord, discriminator_step, generator_step

__all__ = [
    "CHECK_EVERY",
    "GAN",
    "OPTIMISERS",
    "PAPER_DEFAULTS",
    "SERIES",
    "DiscriminatorInputs",
    "History",
    "Penalty",
    "StepCallback",
    "StepRecord",
    "TrainConfig",
    "TrainingDivergedError",
    "discriminator_step",
    "generator_step",
    "load_checkpoint",
    "reproducible_torch",
    "save_checkpoint",
    "stream_seeds",
    "train",
]
