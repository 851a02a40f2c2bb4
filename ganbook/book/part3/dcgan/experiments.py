r"""Experiments of "DCGAN on real digits": the paper's recipe on the 16×16 digits, as an ensemble.

``dcgan`` trains a seed ensemble of `ganbook.models.DCGANGenerator` (a 100-dimensional latent, as
in the paper) against `ganbook.models.DCGANDiscriminator` with batch norm, with the
non-saturating loss and the paper's Adam (learning rate 2e-4, β₁ = 0.5), through
`ganbook.training.train`. Each member then gives:

- snapshots of a fixed 8×8 grid of latents over training (the trainer's snapshot latents);
- ``final_samples``: 600 images from a fixed evaluation stream, generator in eval mode (the next
  chapter measures them);
- a spherical interpolation between two fixed latents;
- the distance from every generated image to its nearest training image, beside the same
  distance for the 597 held-out real digits.

It also records the layer table of both networks, read from a forward pass with hooks, and
checks the output-size arithmetic of every convolution against it. This module does not draw.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ganbook.data import load_digits_dataset
from ganbook.data.digits import sample_rows
from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.measures.generators import nearest_neighbour_distances
from ganbook.measures.summaries import median_member, spread
from ganbook.models import DCGANDiscriminator, DCGANGenerator
from ganbook.training import TrainConfig, train

DCGAN = {
    "members": 5,
    "steps": 800,  # generator updates of each member: what the build's time allows
    "batch_size": 64,  # the paper's mini-batch of 128, halved for 1,200 training images
    "latent_dim": 100,  # the paper's 100-dimensional uniform latent (Gaussian here)
    "channels": 16,  # base width c: 4c, 2c, c feature maps; 32 doubles the time per step
    "lr": 2e-4,  # the paper's learning rate for both players
    "beta1": 0.5,  # the paper's β₁: 0.9 "resulted in training oscillation and instability"
    "snapshot_every": 200,
    "grid": 64,  # the fixed 8×8 latent grid of the snapshots
    "eval_samples": 600,  # images of ``final_samples`` per member
    "interpolation_steps": 10,
}
r"""The standard profile of ``dcgan``."""

DCGAN_TEST = {"members": 2, "steps": 4, "channels": 4, "snapshot_every": 2, "eval_samples": 600}
r"""``dcgan`` on the test profile: the shapes, not the outcome."""

TAIL = 100
r"""The number of final steps over which the page averages the discriminator's outputs."""

CONVOLUTIONS = (nn.ConvTranspose2d, nn.Conv2d)
LAYER_KINDS = ("ConvTranspose2d", "Conv2d", "BatchNorm2d", "ReLU", "LeakyReLU", "Tanh", "Flatten",
               "Linear")  # fmt: skip
r"""The layer types of the two networks, in the order of the codes of ``LAYER_COLUMNS``'s kind."""

LAYER_COLUMNS = ("kind", "in_channels", "in_side", "out_channels", "out_side", "kernel", "stride",
                 "padding")  # fmt: skip
r"""The columns of a layer table; a dense layer has side 0, kernel, stride and padding 0."""


# --8<-- [start:output_size]
def transposed_output_side(side: int, kernel: int, stride: int, padding: int) -> int:
    r"""The side a transposed convolution produces: $(n - 1)s - 2p + k$."""
    return (side - 1) * stride - 2 * padding + kernel


def conv_output_side(side: int, kernel: int, stride: int, padding: int) -> int:
    r"""The side a convolution produces: $\lfloor (n + 2p - k) / s \rfloor + 1$."""
    return (side + 2 * padding - kernel) // stride + 1


# --8<-- [end:output_size]


def predicted_side(row: np.ndarray) -> int:
    r"""The output side that the formula of its kind gives for one row of a layer table."""
    kind, side, k, s, p = (int(row[i]) for i in (0, 2, 5, 6, 7))
    formula = transposed_output_side if LAYER_KINDS[kind] == "ConvTranspose2d" else conv_output_side
    return formula(side, k, s, p)


def _side(shape: tuple[int, ...]) -> int:
    return int(shape[-1]) if len(shape) == 4 else 0


def layer_table(model: nn.Module, x: torch.Tensor) -> np.ndarray:
    r"""One row per layer of ``model.net``: kind, shapes in and out, kernel, stride, padding.

    The shapes are read from a forward pass of ``x`` with a hook on every layer, not from the
    layers' arguments; the model's training mode is restored afterwards.
    """
    rows, hooks = [], []

    def record(layer, inputs, output):
        shape_in, shape_out = tuple(inputs[0].shape), tuple(output.shape)
        geometry = (0, 0, 0)
        if isinstance(layer, CONVOLUTIONS):
            geometry = (layer.kernel_size[0], layer.stride[0], layer.padding[0])
        kind = LAYER_KINDS.index(type(layer).__name__)
        rows.append((kind, shape_in[1], _side(shape_in), shape_out[1], _side(shape_out), *geometry))

    for layer in model.net:
        hooks.append(layer.register_forward_hook(record))
    was_training = model.training
    try:
        with torch.no_grad():
            model.eval()(x)
    finally:
        model.train(was_training)
        for hook in hooks:
            hook.remove()
    return np.array(rows, dtype=np.int64)


def convolutions_matching(table: np.ndarray) -> tuple[int, int]:
    r"""How many convolution rows of ``table`` the formula predicts exactly, of how many."""
    conv = [row for row in table if LAYER_KINDS[row[0]] in ("ConvTranspose2d", "Conv2d")]
    return sum(predicted_side(row) == row[4] for row in conv), len(conv)


# --8<-- [start:slerp]
def slerp(z0: torch.Tensor, z1: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    r"""Spherical interpolation from $z_0$ (at $t = 0$) to $z_1$ (at $t = 1$).

    $$
    z(t) = \frac{\sin((1 - t)\theta)}{\sin\theta} z_0 + \frac{\sin(t\theta)}{\sin\theta} z_1,
    \qquad \cos\theta = \frac{\langle z_0, z_1 \rangle}{\lVert z_0 \rVert \lVert z_1 \rVert}
    $$

    Shapes (d,), (d,) and (T,) give (T, d).
    """
    cos = torch.dot(z0, z1) / (z0.norm() * z1.norm())
    theta = torch.arccos(cos.clamp(-1.0, 1.0))
    t = t[:, None]
    return (torch.sin((1 - t) * theta) * z0 + torch.sin(t * theta) * z1) / torch.sin(theta)


# --8<-- [end:slerp]


def build_players(params, member: RunContext) -> tuple[DCGANGenerator, DCGANDiscriminator]:
    r"""One member's generator and discriminator, each initialised from its own stream."""
    G = DCGANGenerator(
        params["latent_dim"], params["channels"], generator=member.stream("generator-init")
    )
    D = DCGANDiscriminator(
        params["channels"], batch_norm=True, generator=member.stream("discriminator-init")
    )
    return G, D


# --8<-- [start:config]
def member_config(params, member: RunContext) -> TrainConfig:
    r"""The paper's recipe: non-saturating loss, Adam at 2e-4 with β = (0.5, 0.999) for both."""
    betas = (params["beta1"], 0.999)
    return TrainConfig.for_loss(
        "non-saturating",
        steps=params["steps"],
        batch_size=params["batch_size"],
        d_lr=params["lr"],
        g_lr=params["lr"],
        d_betas=betas,
        g_betas=betas,
        snapshot_every=params["snapshot_every"],
        snapshot_size=params["grid"],  # the same 8×8 grid of latents at every snapshot
        seed=member.stream_seed("train"),
        device=member.device.type,
    )


# --8<-- [end:config]


@torch.no_grad()
def examine(G: DCGANGenerator, params, member: RunContext) -> dict[str, np.ndarray]:
    r"""A trained member's evaluation samples and interpolation, in eval mode on the CPU."""
    G = G.cpu().eval()
    z = torch.randn(params["eval_samples"], G.latent_dim, generator=member.stream("evaluation"))
    ends = torch.randn(2, G.latent_dim, generator=member.stream("interpolation"))
    t = torch.linspace(0.0, 1.0, params["interpolation_steps"])
    path = slerp(ends[0], ends[1], t)
    return {"samples": G(z).squeeze(1), "interpolation": G(path).squeeze(1).numpy()}


@experiment(
    "dcgan",
    params=DCGAN,
    test=DCGAN_TEST,
    full={"members": 10, "steps": 3000, "snapshot_every": 500},
    title="DCGAN on the 16×16 digits: samples over training, interpolation, nearest neighbours",
    cost=150,
)
def dcgan(params, context: RunContext) -> ExperimentResult:
    train_images = load_digits_dataset(size=16)  # (1200, 1, 16, 16) in [−1, 1]
    heldout = load_digits_dataset(size=16, split="heldout")  # (597, 1, 16, 16)

    def data(n: int, generator: torch.Generator) -> torch.Tensor:
        return sample_rows(train_images, n, generator=generator)

    G0, D0 = build_players(params, context.members(1)[0])
    z_probe = torch.zeros(2, params["latent_dim"])
    g_table = layer_table(G0, z_probe)
    d_table = layer_table(D0, G0.eval()(z_probe))
    matching = [convolutions_matching(t) for t in (g_table, d_table)]

    heldout_nn = nearest_neighbour_distances(heldout, train_images)
    snapshots, finals, paths, sample_nn, d_real, d_fake, g_loss, wall = ([] for _ in range(8))
    for member in context.members(params["members"]):
        G, D = build_players(params, member)
        history = train(G, D, data, member_config(params, member), progress=False)
        wall.append(float(history.wall_time[-1]))
        snapshots.append(history.snapshots[:, :, 0])  # (K, 64, 16, 16)
        seen = examine(G, params, member)
        finals.append(seen["samples"].float().numpy())
        paths.append(seen["interpolation"])
        sample_nn.append(nearest_neighbour_distances(seen["samples"], train_images))
        d_real.append(history.d_real)
        d_fake.append(history.d_fake)
        g_loss.append(history.g_loss)
    sample_nn = np.stack(sample_nn)  # (members, eval_samples)
    heldout_median = float(np.median(heldout_nn))
    medians = np.median(sample_nn, axis=1)
    low = float(np.quantile(heldout_nn, 0.01))  # 1 in 100 held-out digits is nearer than this
    below = np.mean(sample_nn < low, axis=1)
    finals = np.stack(finals).astype(np.float32)
    tail = min(TAIL, params["steps"])  # the last steps, over which D's outputs are averaged
    real_mean = train_images.mean(dim=0).squeeze(0).numpy()
    mean_gap = np.abs(finals.mean(axis=1) - real_mean[None]).mean(axis=(1, 2))
    initial = np.stack(snapshots)[:, 0]  # (members, 64, 16, 16): the untrained generators
    initial_gap = np.abs(initial.mean(axis=1) - real_mean[None]).mean(axis=(1, 2))
    heldout_gap = float(np.abs(heldout.mean(dim=0).squeeze(0).numpy() - real_mean).mean())
    return ExperimentResult(
        arrays={
            "snapshot_steps": history.snapshot_steps,
            "snapshots": np.stack(snapshots).astype(np.float32),
            "final_samples": finals,
            "interpolation": np.stack(paths).astype(np.float32),
            "sample_nn": sample_nn,
            "heldout_nn": heldout_nn,
            "real": train_images[: params["grid"]].squeeze(1).numpy(),
            "g_layers": g_table,
            "d_layers": d_table,
            "d_real": np.stack(d_real),
            "d_fake": np.stack(d_fake),
            "g_loss": np.stack(g_loss),
        },
        scalars={
            "members": params["members"],
            "steps": params["steps"],
            "latent_dim": params["latent_dim"],
            "eval_samples": params["eval_samples"],
            "batch_size": params["batch_size"],
            "channels": params["channels"],
            "lr": params["lr"],
            "beta1": params["beta1"],
            "grid": params["grid"],
            "interpolation_steps": params["interpolation_steps"],
            "train_images": len(train_images),
            "heldout_images": len(heldout),
            "convs_matching": matching[0][0] + matching[1][0],
            "convs_checked": matching[0][1] + matching[1][1],
            "g_layers_count": len(g_table),
            "d_layers_count": len(d_table),
            "shown_member": median_member(medians),
            "heldout_nn_median": heldout_median,
            "heldout_nn_q01": low,
            **spread("nn_median", medians),
            **spread("nn_ratio", medians / heldout_median),
            **spread("share_below_q01", below),
            **spread("mean_image_gap", mean_gap),
            **spread("initial_mean_image_gap", initial_gap),
            "heldout_mean_image_gap": heldout_gap,
            "tail_steps": tail,
            **spread("d_real_final", np.stack(d_real)[:, -tail:].mean(axis=1)),
            **spread("d_fake_final", np.stack(d_fake)[:, -tail:].mean(axis=1)),
            **spread("train_seconds", np.array(wall)),
        },
    )
