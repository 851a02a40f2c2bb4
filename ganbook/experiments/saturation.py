r"""Experiments of the saturation chapter: how much gradient each generator loss passes on.

- ``saturation_logit_gradients``: $\partial\mathcal{L}_G/\partial\ell$ and
  $\partial\mathcal{L}_G/\partial D$ of the saturating and non-saturating losses against
  $D(G(z)) = \sigma(\ell)$, by autograd through the package's two loss functions.
- ``saturation_shift_toy_scores``: the optimal discriminator's mean output on fakes,
  $E_z D^*(G(z))$, at every $\theta$ of the shift toy's ``shift_toy_gradients``, and the
  chain-rule prediction of that experiment's gradients (computed here without autograd).
- ``saturation_ring`` and ``saturation_ring_strong_d``: `train` on the ring of eight Gaussians
  with both losses and the same seed, first in the DCGAN setting, then with a discriminator
  pushed towards its optimum; $W_1$ to the data, mode coverage, the generator's gradient norm.

The ring helpers (`ring_runs`) are shared with the least-squares chapter. This module measures;
the figures live in ``ganbook.figures.saturation``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import ot
import torch

from ganbook.data import eight_gaussians_centres
from ganbook.experiments import shift_toy
from ganbook.experiments.claims import claim
from ganbook.experiments.registry import RunContext, experiment, get_experiment
from ganbook.experiments.result import ExperimentResult
from ganbook.experiments.ring_run import covered_modes, nearest_mode, ring_data
from ganbook.losses import minimax_generator_loss, nonsaturating_generator_loss
from ganbook.models import MLPDiscriminator, MLPGenerator
from ganbook.theory import gaussian_optimal_discriminator_logit
from ganbook.training import History, TrainConfig, train

GENERATOR_LOSSES = {
    "saturating": minimax_generator_loss,
    "nonsaturating": nonsaturating_generator_loss,
}
r"""The two generator losses of the original GAN, by the key their results are stored under."""

RING_KEYS = {"minimax": "saturating", "non-saturating": "nonsaturating", "least-squares": "ls"}
r"""Registry loss name to result key (the figures' colour names)."""


def logit_and_score_gradients(logits: np.ndarray) -> dict[str, np.ndarray]:
    r"""Per-element $\partial\mathcal{L}_G/\partial\ell$ and $\partial\mathcal{L}_G/\partial D$.

    For each loss of `GENERATOR_LOSSES`, autograd differentiates the per-element terms once with
    the logit $\ell$ as the leaf, and once with $D = \sigma(\ell)$ as the leaf (the loss then sees
    $\ell = \log D - \log(1 - D)$). Float64 throughout.
    """
    out = {}
    for key, loss in GENERATOR_LOSSES.items():
        ell = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
        (out[f"{key}_dlogit"],) = torch.autograd.grad(loss(ell, reduction="sum"), ell)
        d = torch.sigmoid(torch.tensor(logits, dtype=torch.float64)).requires_grad_(True)
        (out[f"{key}_dscore"],) = torch.autograd.grad(loss(torch.logit(d), reduction="sum"), d)
    return {k: v.numpy() for k, v in out.items()}


@experiment(
    "saturation_logit_gradients",
    params={"points": 801, "d_min": 1e-4, "probe": 0.01},
    test={"points": 101},
    uses_torch_device=False,
    title="The generator's gradient w.r.t. the logit and w.r.t. D, saturating and non-saturating",
)
def saturation_logit_gradients(params, context: RunContext) -> ExperimentResult:
    edge = float(np.log(params["d_min"]) - np.log1p(-params["d_min"]))  # logit of d_min
    logits = np.linspace(edge, -edge, params["points"])  # uniform in ℓ, symmetric about 0
    grads = logit_and_score_gradients(logits)
    d = 1.0 / (1.0 + np.exp(-logits))
    closed = {  # d/dℓ log(1 - σ) = -σ, d/dℓ -log σ = -(1 - σ); d/dD: -1/(1 - D), -1/D
        "saturating_dlogit": -d,
        "nonsaturating_dlogit": -(1.0 - d),
        "saturating_dscore": -1.0 / (1.0 - d),
        "nonsaturating_dscore": -1.0 / d,
    }
    relative = max(float(np.max(np.abs(grads[k] / closed[k] - 1.0))) for k in closed)
    probe = params["probe"]
    at = logit_and_score_gradients(np.array([np.log(probe) - np.log1p(-probe), 0.0]))
    sat, nonsat = abs(at["saturating_dlogit"][0]), abs(at["nonsaturating_dlogit"][0])
    return ExperimentResult(
        arrays={"logits": logits, "d": d, **grads},
        scalars={
            "probe": probe,
            "saturating_at_probe": float(sat),
            "nonsaturating_at_probe": float(nonsat),
            "ratio_at_probe": float(nonsat / sat),
            "saturating_dscore_at_probe": float(abs(at["saturating_dscore"][0])),
            "nonsaturating_dscore_at_probe": float(abs(at["nonsaturating_dscore"][0])),
            "saturating_at_half": float(abs(at["saturating_dlogit"][1])),
            "nonsaturating_at_half": float(abs(at["nonsaturating_dlogit"][1])),
            "max_relative_error": relative,
        },
    )


def shift_toy_thetas(profile: str) -> tuple[float, float, np.ndarray]:
    r"""$\mu$, $\sigma$ and the $\theta$ grid of ``shift_toy_gradients`` in ``profile``.

    The shift-toy module is imported (not only looked up by name) so that its source, and with
    it that grid, is part of the cache key of every experiment that calls this.
    """
    spec = get_experiment(shift_toy.shift_toy_gradients.__name__).params_for(profile)
    mu, span = spec["mu"], spec["theta_span"]
    return mu, spec["sigma"], np.linspace(mu - span, mu + span, spec["thetas"])


def nearest_index(values: np.ndarray, target: float) -> int:
    r"""Index of the entry of ``values`` closest to ``target``."""
    return int(np.argmin(np.abs(values - target)))


SHIFT_TOY_GRID = {
    "params": {"grid": "standard"},
    "test": {"grid": "test"},
    "full": {"grid": "full"},
}
r"""Which profile's θ grid of ``shift_toy_gradients`` to use: part of the key, per profile."""


@experiment(
    "saturation_shift_toy_scores",
    params={"nodes": 80, **SHIFT_TOY_GRID["params"]},
    test=SHIFT_TOY_GRID["test"],
    full=SHIFT_TOY_GRID["full"],
    uses_torch_device=False,
    title="Shift toy: E D*(G(z)) at each θ and the chain-rule prediction of the G gradients",
)
def saturation_shift_toy_scores(params, context: RunContext) -> ExperimentResult:
    mu, sigma, thetas = shift_toy_thetas(params["grid"])
    z, w = np.polynomial.hermite_e.hermegauss(params["nodes"])
    w = w / w.sum()
    # E_z D*(z + θ) with z ~ N(0, σ²), D* logistic with the closed-form affine logit
    logits = np.stack(
        [gaussian_optimal_discriminator_logit(sigma * z + t, mu, float(t), sigma) for t in thetas]
    )  # (thetas, nodes)
    mean_d = (w / (1.0 + np.exp(-logits))).sum(axis=1)
    slope = np.abs(mu - thetas) / sigma**2  # |∂ℓ*/∂x|: the logit of D* is affine in x
    at_eight, at_two = nearest_index(thetas, mu - 8 * sigma), nearest_index(thetas, mu - 2 * sigma)
    return ExperimentResult(
        arrays={
            "thetas": thetas,
            "mean_d": mean_d,
            "predicted_saturating": mean_d * slope,
            "predicted_nonsaturating": (1.0 - mean_d) * slope,
        },
        scalars={
            "mean_d_at_8sigma": float(mean_d[at_eight]),
            "mean_d_at_2sigma": float(mean_d[at_two]),
            "ratio_at_8sigma": float(mean_d[at_eight] / (1.0 - mean_d[at_eight])),
        },
    )


# ---- the ring of eight Gaussians ---------------------------------------------------------------

RING = {"hidden": 64, "batch_size": 256, "samples": 1000}
r"""The ring runs of Part I: MLPs 3 × 64, batch 256, 1,000 samples per snapshot for $W_1$."""
RING_TEST = {"hidden": 16, "batch_size": 64, "samples": 200}
RING_STANDARD = {**RING, "steps": 2000, "snapshot_every": 125}
r"""Every DCGAN-setting ring run of Part I: 2,000 generator steps, a snapshot every 125."""
RING_TEST_PROFILE = {**RING_TEST, "steps": 120, "snapshot_every": 40}


def w1_to_data(samples: np.ndarray, real: np.ndarray) -> float:
    r"""$W_1$ between two equal-weight point clouds, Euclidean cost, by POT's exact solver."""
    cost = ot.dist(np.asarray(samples, float), np.asarray(real, float), metric="euclidean")
    u = np.full(len(samples), 1.0 / len(samples))
    v = np.full(len(real), 1.0 / len(real))
    return float(ot.emd2(u, v, cost, numItermax=1_000_000))


def train_on_ring(
    loss: str, params: Mapping[str, Any], context: RunContext, **overrides: Any
) -> History:
    r"""`train` MLPs on the ring with ``loss``: same initial weights and seed for every loss."""
    init = context.generator(1)
    generator = MLPGenerator(hidden=params["hidden"], generator=init)
    discriminator = MLPDiscriminator(hidden=params["hidden"], generator=init)
    config = TrainConfig.for_loss(
        loss,
        steps=params["steps"],
        batch_size=params["batch_size"],
        snapshot_every=params["snapshot_every"],
        snapshot_size=params["samples"],
        seed=context.seed,
        device=str(context.device),
        **overrides,
    )
    return train(generator, discriminator, ring_data, config, progress=False)


def ring_runs(
    losses: list[str], params: Mapping[str, Any], context: RunContext, **overrides: Any
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    r"""Train each loss on the ring; return arrays and scalars keyed by `RING_KEYS`.

    Per loss: $W_1$ and covered modes at every snapshot, the snapshots, the per-step generator
    gradient norm and $\overline{D}(G(z))$ (a probability for logit losses, the raw score for
    least squares). Also the real-vs-real $W_1$ floor at the same sample size.
    """
    n = params["samples"]
    real = ring_data(n, context.generator(2)).numpy()
    arrays: dict[str, np.ndarray] = {}
    centres = eight_gaussians_centres(dtype=torch.float64).numpy()
    scalars: dict[str, Any] = {
        "w1_floor": w1_to_data(ring_data(n, context.generator(3)).numpy(), real),
        "w1_point_at_centre": w1_to_data(np.zeros((1, 2)), real),  # all mass at the origin
        "w1_point_on_mode": w1_to_data(centres[:1], real),  # all mass on one mode
        # the same for eight equal modes: the mean chord r · (1/8) Σ_k 2 sin(kπ/8)
        "mean_chord": float(np.linalg.norm(centres - centres[0], axis=1).mean()),
        **{k: params[k] for k in ("samples", "steps", "hidden", "batch_size", "snapshot_every")},
    }
    for loss in losses:
        key = RING_KEYS[loss]
        history = train_on_ring(loss, params, context, **overrides)
        w1 = np.array([w1_to_data(s, real) for s in history.snapshots])
        modes = np.array([covered_modes(s) for s in history.snapshots])
        nearest = np.array([nearest_mode(s.astype(float))[1].mean() for s in history.snapshots])
        arrays.update(
            {
                "snapshot_steps": history.snapshot_steps,
                f"{key}_w1": w1,
                f"{key}_modes": modes,
                f"{key}_to_nearest": nearest,
                f"{key}_snapshots": history.snapshots,
                f"{key}_g_grad_norm": history.g_grad_norm,
                f"{key}_d_fake": history.d_fake_g,
            }
        )
        scalars.update(
            {
                f"{key}_final_w1": float(w1[-1]),
                f"{key}_final_modes": int(modes[-1]),
                f"{key}_best_w1": float(w1.min()),
                f"{key}_final_nearest": float(nearest[-1]),
                "w1_start": float(w1[0]),
            }
        )
    return arrays, scalars


def window_statistics(arrays, scalars, keys, start: int, stop: int, threshold: float) -> None:
    r"""Add, per key, the median gradient norm and mean $D(G(z))$ over steps [start, stop), and
    the number of steps whose $\overline{D}(G(z))$ is below ``threshold``."""
    for key in keys:
        norms = arrays[f"{key}_g_grad_norm"][start:stop]
        scalars[f"{key}_window_grad_norm"] = float(np.median(norms))
        scalars[f"{key}_window_d_fake"] = float(arrays[f"{key}_d_fake"][start:stop].mean())
        scalars[f"{key}_steps_below"] = int((arrays[f"{key}_d_fake"] < threshold).sum())
    scalars.update({"window_start": start, "window_stop": stop, "threshold": threshold})


@experiment(
    "saturation_ring",
    params={**RING_STANDARD, "window": [0, 300]},
    test={**RING_TEST_PROFILE, "window": [0, 40]},
    title="Ring of 8 Gaussians, DCGAN setting: saturating vs non-saturating, same seed",
)
def saturation_ring(params, context: RunContext) -> ExperimentResult:
    arrays, scalars = ring_runs(["minimax", "non-saturating"], params, context)
    window_statistics(arrays, scalars, ("saturating", "nonsaturating"), *params["window"], 0.01)
    scalars["early_grad_ratio"] = (
        scalars["nonsaturating_window_grad_norm"] / scalars["saturating_window_grad_norm"]
    )
    scalars["min_d_fake"] = float(
        min(arrays[f"{k}_d_fake"].min() for k in ("saturating", "nonsaturating"))
    )
    return ExperimentResult(arrays=arrays, scalars=scalars)


@experiment(
    "saturation_ring_strong_d",
    params={**RING, "steps": 300, "snapshot_every": 25, "n_critic": 5, "d_lr": 1e-3}
    | {"window": [25, 125]},
    test={**RING_TEST, "steps": 60, "snapshot_every": 10, "window": [5, 30]},
    title="Ring of 8 Gaussians, near-optimal D (n_critic 5, D lr 1e-3): both generator losses",
)
def saturation_ring_strong_d(params, context: RunContext) -> ExperimentResult:
    strong = {"n_critic": params["n_critic"], "d_lr": params["d_lr"]}
    arrays, scalars = ring_runs(["minimax", "non-saturating"], params, context, **strong)
    window = params["window"]  # after D's first wins, before the saturating run escapes
    window_statistics(arrays, scalars, ("saturating", "nonsaturating"), *window, 0.01)
    scalars["window_grad_ratio"] = (
        scalars["nonsaturating_window_grad_norm"] / scalars["saturating_window_grad_norm"]
    )
    start, stall = np.searchsorted(arrays["snapshot_steps"], window)
    scalars["stall_step"] = int(arrays["snapshot_steps"][stall])
    for key in ("saturating", "nonsaturating"):
        # how far G(z) moved, for the same z, between the two ends of the window
        moved = arrays[f"{key}_snapshots"][stall] - arrays[f"{key}_snapshots"][start]
        scalars[f"{key}_moved_in_window"] = float(np.linalg.norm(moved, axis=1).mean())
        scalars[f"{key}_nearest_at_start"] = float(arrays[f"{key}_to_nearest"][0])
        scalars[f"{key}_w1_at_stall"] = float(arrays[f"{key}_w1"][stall])
        scalars[f"{key}_nearest_at_stall"] = float(arrays[f"{key}_to_nearest"][stall])
    return ExperimentResult(arrays=arrays, scalars=scalars)


# Claims that the chapter's prose makes about these results, checked at every build.


@claim(
    "saturation_logit_gradients",
    "autograd through the package's losses gives -σ(ℓ) and -(1 - σ(ℓ)) in the logit, -1/(1 - D) "
    "and -1/D in D; at D(G(z)) = 0.01 the saturating gradient in ℓ is 99 times smaller, at ½ equal",
)
def _logit_gradients_are_the_closed_forms(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["max_relative_error"] < 1e-9, s["max_relative_error"]
    assert abs(s["saturating_at_probe"] - s["probe"]) < 1e-12
    assert abs(s["nonsaturating_at_probe"] - (1.0 - s["probe"])) < 1e-12
    assert abs(s["ratio_at_probe"] - 99.0) < 1e-9
    assert abs(s["saturating_dscore_at_probe"] - 1.0 / (1.0 - s["probe"])) < 1e-9
    assert abs(s["nonsaturating_dscore_at_probe"] - 1.0 / s["probe"]) < 1e-9
    assert s["saturating_at_half"] == s["nonsaturating_at_half"] == 0.5


@claim(
    "saturation_shift_toy_scores",
    "as θ moves away from μ the detective's mean output on fakes falls: about 0.2 at 2σ, below "
    "1e-4 at 8σ, where the two gradients differ by the factor E D*/(1 - E D*)",
)
def _mean_score_falls_with_distance(result: ExperimentResult) -> None:
    s = result.scalars
    assert 0.15 < s["mean_d_at_2sigma"] < 0.3
    assert s["mean_d_at_8sigma"] < 1e-4
    assert abs(s["ratio_at_8sigma"] / s["mean_d_at_8sigma"] - 1.0) < 1e-3
    thetas, mean_d = result.arrays["thetas"], result.arrays["mean_d"]
    left = mean_d[thetas <= 0.0]  # μ = 0: from far left up to μ, E D* grows towards ½
    assert np.all(np.diff(left) > 0) and abs(left[-1] - 0.5) < 1e-9


@claim(
    "saturation_ring",
    "in the DCGAN setting the discriminator never became confident (mean D(G(z)) above 0.1 at "
    "every step), the two gradient norms were of the same size, and the saturating loss did not "
    "do worse: its final W1 is no larger (within 0.05) and the best W1 of the two agree within "
    "0.05; both end below 0.35 with only a few modes tightly covered",
    profiles=("standard", "full"),
)
def _saturating_not_worse_on_the_ring(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["min_d_fake"] > 0.1 and s["saturating_steps_below"] == 0
    assert 0.5 < s["early_grad_ratio"] < 2.0, s["early_grad_ratio"]
    # "not worse", up to the run-to-run noise of a W1 estimate from 1,000 points
    assert s["saturating_final_w1"] <= s["nonsaturating_final_w1"] + 0.05
    assert abs(s["saturating_best_w1"] - s["nonsaturating_best_w1"]) < 0.05
    for key in ("saturating", "nonsaturating"):
        assert s["w1_floor"] < s[f"{key}_final_w1"] < 0.35 < s["w1_start"]
        assert s[f"{key}_final_modes"] <= 3


@claim(
    "saturation_ring_strong_d",
    "with a near-optimal discriminator both runs' mean D(G(z)) dips below 0.01; the saturating "
    "run stays there for more than 100 steps (the non-saturating run for fewer than 50), with a "
    "gradient norm over 1000 times smaller in the stall window; its samples stay about where "
    "they started while the non-saturating ones get more than halfway to a mode, moving at least "
    "five times as far; then it escapes, and both end collapsed (at most two modes covered)",
    profiles=("standard", "full"),
)
def _saturating_stalls_with_a_strong_discriminator(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["saturating_steps_below"] > 100 and 0 < s["nonsaturating_steps_below"] < 50
    assert s["saturating_window_d_fake"] < 0.01 < s["nonsaturating_window_d_fake"]
    assert s["window_grad_ratio"] > 1000, s["window_grad_ratio"]
    assert s["saturating_nearest_at_stall"] > 0.9 * s["saturating_nearest_at_start"]
    assert s["nonsaturating_nearest_at_stall"] < 0.5 * s["nonsaturating_nearest_at_start"]
    assert s["saturating_moved_in_window"] < s["nonsaturating_moved_in_window"] / 5
    assert s["saturating_final_nearest"] < 0.2  # it escaped in the end
    assert s["saturating_final_modes"] <= 2 and s["nonsaturating_final_modes"] <= 2


@claim(
    "saturation_ring_strong_d",
    "at the end of the stall W1 ranks the runs the wrong way round, the stalled blob near the W1 "
    "of a point mass at the centre; both collapsed runs end near that of a point mass on a mode",
    profiles=("standard", "full"),
)
def _w1_prefers_a_central_blob(result: ExperimentResult) -> None:
    s = result.scalars
    assert s["w1_point_at_centre"] < s["w1_point_on_mode"]
    assert abs(s["w1_point_on_mode"] - s["mean_chord"]) < 0.05  # the estimate of exercise 4
    assert s["saturating_w1_at_stall"] < s["nonsaturating_w1_at_stall"]
    assert abs(s["saturating_w1_at_stall"] - s["w1_point_at_centre"]) < 0.1
    for key in ("saturating", "nonsaturating"):
        assert abs(s[f"{key}_final_w1"] - s["w1_point_on_mode"]) < 0.1
