r"""Experiments of the Wasserstein GAN chapter: weight-clipped critics on the ring of 8 Gaussians.

``wgan_clipping`` trains a seed ensemble with the paper's settings (RMSprop 5e-5, $c = 0.01$,
$n_{\text{critic}} = 5$) by `train_ensemble`, which stops at a few steps so that every member's
critic can be examined: its estimate $E\,D(x) - E\,D(G(z))$ on fresh samples, the exact $W_1$
between generated and real samples (`sample_w1`), its input-gradient norms at interpolates, and,
at the end, every one of its weights. The harness (`train_and_examine`, `ensemble_arrays`) also
serves the WGAN-GP chapter, whose ensemble starts member by member from the same networks. This
module does not draw.
"""

from __future__ import annotations

import numpy as np
import torch

from ganbook.experiments.registry import RunContext, experiment
from ganbook.experiments.result import ExperimentResult
from ganbook.measures import (
    covered_modes,
    evaluate,
    median_member,
    plane_grid,
    ring_data,
    sample_w1,
)
from ganbook.models import MLPDiscriminator, MLPGenerator
from ganbook.penalties import interpolation_points
from ganbook.training import TrainConfig
from ganbook.training.ensemble import train_ensemble

RING = {
    "members": 5,  # seeds of the ensemble; every statement of the chapters is about all of them
    "hidden": 32,  # width of both MLPs: the toy code uses 512; 32 fits two ensembles in budget
    "depth": 3,
    "batch_size": 256,  # the WGAN-GP toy code's batch
    "first_evaluation": 100,  # evaluate early once, then every `evaluate_every` steps
    "evaluate_every": 500,
    "snapshot_every": 500,
    "eval_samples": 1000,  # per side of each exact W1 (POT: about 0.2 s at 1,000)
    "critic_samples": 4096,  # per side of the critic's estimate E D(x) − E D(G(z))
    "grid_points": 81,  # the critic drawn on a grid over [−2, 2]²
    "w1_rise": 0.1,  # a rise of W1 between two stops counts when larger (noise: about 0.02)
}
RING_TEST = {
    "members": 2,
    "steps": 100,
    "first_evaluation": 50,
    "evaluate_every": 50,
    "snapshot_every": 50,
    "eval_samples": 256,
    "critic_samples": 1024,
    "grid_points": 21,
}
RING_FULL = {"members": 10, "steps": 10000, "evaluate_every": 1000, "snapshot_every": 1000}
EXTENT = 2.0  # half-width of the plotted square; the ring has radius 2/1.414


def interpolate_gradient_norms(
    critic, real: torch.Tensor, fake: torch.Tensor, generator: torch.Generator
) -> np.ndarray:
    r"""Per-example norms $\lVert\nabla D(\hat x_i)\rVert_2$ at $\hat x = x + \alpha(\tilde x - x)$.

    A measurement, not a penalty: no graph is kept. The points are `interpolation_points`, the
    penalty's own, with $\alpha \sim U[0, 1)$ drawn from ``generator``.
    """
    x_hat = interpolation_points(real, fake, generator).requires_grad_(True)
    (gradients,) = torch.autograd.grad(critic(x_hat).sum(), x_hat)
    return gradients.norm(dim=1).cpu().numpy()


def critic_weights(critic: torch.nn.Module) -> np.ndarray:
    r"""Every parameter of the critic (weights and biases: clipping bounds them all), flattened."""
    return torch.cat([p.detach().flatten() for p in critic.parameters()]).cpu().numpy()


def fraction_at_bound(weights: np.ndarray, c: float) -> float:
    r"""Share of weights within 1% of $\pm c$: $\#\{w : \bigl||w| - c\bigr| \le 0.01\,c\} / n$."""
    return float(np.mean(np.abs(np.abs(weights) - c) <= 0.01 * c))


def spectral_norm_product(critic: torch.nn.Module) -> float:
    r"""$\prod_l \lVert W_l\rVert_2$ over the linear layers: a bound on the Lipschitz constant.

    ReLU is 1-Lipschitz and biases do not change slopes, so $\lVert\nabla D\rVert_2$ never exceeds
    this product.
    """
    layers = [m.weight.detach() for m in critic.modules() if isinstance(m, torch.nn.Linear)]
    return float(np.prod([torch.linalg.matrix_norm(w, ord=2).item() for w in layers]))


def evaluation_steps(params) -> list[int]:
    r"""The steps after which the run stops to be examined; the last is ``steps``."""
    every = range(params["evaluate_every"], params["steps"] + 1, params["evaluate_every"])
    return sorted({params["first_evaluation"], *every, params["steps"]})


def make_players(params, member: RunContext) -> tuple[MLPGenerator, MLPDiscriminator]:
    r"""One member's $G$ and $D$, from its streams ``init-g`` and ``init-d``.

    Member $k$ of both chapters' ensembles has the same seed, so it starts from the same networks.
    """
    shape = {"hidden": params["hidden"], "depth": params["depth"]}
    return (
        MLPGenerator(**shape, generator=member.stream("init-g")),
        MLPDiscriminator(**shape, generator=member.stream("init-d")),
    )


@torch.no_grad()
def _samples(G, D, params, generator: torch.Generator, device) -> dict:
    n, m = params["eval_samples"], params["critic_samples"]
    real = ring_data(n, generator).to(device)
    fake = G(torch.randn(n, G.latent_dim, generator=generator).to(device))
    many_real = ring_data(m, generator).to(device)
    many_fake = G(torch.randn(m, G.latent_dim, generator=generator).to(device))
    estimate = (D(many_real).mean() - D(many_fake).mean()).item()  # E D(x) − E D(G(z))
    return {"real": real, "fake": fake, "many_fake": many_fake, "estimate": estimate}


def examine(G, D, params, generator: torch.Generator, device) -> dict:
    r"""Critic estimate, exact $W_1$, mode coverage and gradient norms, all on fresh samples."""
    drawn = _samples(G, D, params, generator, device)
    real, fake = drawn["real"], drawn["fake"]
    norms = interpolate_gradient_norms(D, real, fake, generator)
    return {
        "w1": sample_w1(real.cpu().numpy(), fake.cpu().numpy()),
        "critic_estimate": drawn["estimate"],
        "modes": covered_modes(drawn["many_fake"][:2500].cpu().numpy()),
        "grad_norm_median": float(np.median(norms)),
        "lipschitz_bound": spectral_norm_product(D),
        "norms": norms,
        "samples": fake[:512].cpu().numpy(),
    }


def train_and_examine(loss: str, params, context: RunContext, **overrides) -> dict:
    r"""Train a seed ensemble of ``loss`` on the ring; examine every member at every stop.

    Member $k$ is one uninterrupted `train` run with its own seed; `train_ensemble` hands its
    players to ``examine`` at the evaluation steps, which draws from the member's own
    ``evaluation`` stream.
    """
    members = context.members(params["members"])
    players = [make_players(params, member) for member in members]
    generators, critics = [p[0] for p in players], [p[1] for p in players]
    initial_weights = np.stack([critic_weights(D) for D in critics])
    configs = [
        TrainConfig.for_loss(
            loss,
            steps=params["steps"],
            batch_size=params["batch_size"],
            snapshot_every=params["snapshot_every"],
            seed=member.seed,
            device=str(context.device),
            **overrides,
        )
        for member in members
    ]
    streams = [member.stream("evaluation") for member in members]
    rows: list[list[dict]] = [[] for _ in members]

    def on_stop(k: int, step: int) -> None:
        found = examine(generators[k], critics[k], params, streams[k], context.device)
        rows[k].append({"step": step, **found})

    histories = train_ensemble(
        generators, critics, ring_data, configs, stops=evaluation_steps(params), on_stop=on_stop
    )
    points, n = params["grid_points"], params["eval_samples"]
    grid = plane_grid(EXTENT, points)
    floor = context.stream("w1-floor")  # two independent real samples: W1's floor
    real = ring_data(n, floor).numpy()
    return {
        "histories": histories,
        "rows": rows,
        "initial_weights": initial_weights,
        "final_weights": np.stack([critic_weights(D) for D in critics]),
        # each member's D over [−2, 2]², row i at y = i-th grid value
        "grids": np.stack(
            [evaluate(D, grid, context.device).reshape(points, points) for D in critics]
        ),
        "real": real[:512],
        "w1_floor": sample_w1(real, ring_data(n, floor).numpy()),
        "config": configs[0],
    }


def ensemble_arrays(run: dict) -> dict[str, np.ndarray]:
    r"""Per-member series with a leading member axis: evaluations, final samples, snapshots."""
    rows, histories = run["rows"], run["histories"]
    keys = ("w1", "critic_estimate", "modes", "grad_norm_median", "lipschitz_bound")
    return {
        "eval_step": np.array([r["step"] for r in rows[0]]),
        **{f"eval_{k}": np.array([[r[k] for r in member] for member in rows]) for k in keys},
        "final_norms": np.stack([member[-1]["norms"] for member in rows]),
        "final_samples": np.stack([member[-1]["samples"] for member in rows]),
        "real": run["real"],
        "critic_grid": run["grids"],
        "snapshot_steps": histories[0].snapshot_steps,
        "snapshots": np.stack([h.snapshots for h in histories]),
        "train_estimate": -np.stack([h.d_loss for h in histories]),  # −L_D, mean of n_critic
        # K̂ = (E D(x) − E D(G(z))) / W1 at every stop of every member
        "ratio": np.array([[r["critic_estimate"] / r["w1"] for r in member] for member in rows]),
    }


def spread(name: str, values: np.ndarray, fmt=float) -> dict[str, float | int]:
    r"""``NAME_min``, ``NAME_median`` and ``NAME_max`` of one value per member."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]  # a member without the value (see positive_drift)
    if not len(values):
        return {f"{name}_{what}": float("nan") for what in ("min", "median", "max")}
    return {
        f"{name}_min": fmt(values.min()),
        f"{name}_median": fmt(np.median(values)),
        f"{name}_max": fmt(values.max()),
    }


def ensemble_scalars(params, run: dict, arrays: dict[str, np.ndarray]) -> dict[str, float | int]:
    r"""Settings, and the spread over members of the final evaluations."""
    config, w1 = run["config"], arrays["eval_w1"]
    norms = arrays["final_norms"]
    rises = np.diff(w1, axis=1).max(axis=1)  # per member, the largest rise between two stops
    ratio = arrays["ratio"]
    return {
        "members": int(w1.shape[0]),
        "steps": config.steps,
        "hidden": params["hidden"],
        "eval_samples": params["eval_samples"],
        "first_step": int(arrays["eval_step"][0]),
        "d_lr": config.d_lr,
        "n_critic": config.n_critic,
        "batch_size": config.batch_size,
        "shown_member": median_member(w1[:, -1]),
        **spread("w1_first", w1[:, 0]),
        **spread("w1_final", w1[:, -1]),
        "w1_rise": params["w1_rise"],
        **spread("largest_w1_rise", rises),
        "members_w1_rose": int(np.sum(rises > params["w1_rise"])),
        "w1_floor": run["w1_floor"],
        **spread("modes_final", arrays["eval_modes"][:, -1], int),
        **spread("critic_final", arrays["eval_critic_estimate"][:, -1]),
        **spread("grad_norm_median", np.median(norms, axis=1)),
        **spread("grad_norm_q90", np.quantile(norms, 0.9, axis=1)),
        **spread("grad_norm_max", norms.max(axis=1)),
        **spread("lipschitz_bound", arrays["eval_lipschitz_bound"][:, -1]),
        **spread("ratio_final", ratio[:, -1]),
        "ratio_stops": int(ratio.size),
        "negative_ratio_stops": int(np.sum(ratio <= 0)),
        "members_with_negative_ratio": int(np.sum(np.any(ratio <= 0, axis=1))),
    }


def window_means(series: np.ndarray, window: int) -> np.ndarray:
    r"""Means of consecutive windows of ``window`` steps along the last axis (no partial window)."""
    series = np.asarray(series)
    usable = series.shape[-1] // window * window
    return series[..., :usable].reshape(*series.shape[:-1], -1, window).mean(axis=-1)


def positive_drift(values: np.ndarray) -> float:
    r"""$\max v / \min v$ over the entries $v > 0$ of ``values``: a factor between positive values.

    NaN when fewer than two are positive (a claim then fails rather than pass on a sign change).
    """
    positive = np.asarray(values)[np.asarray(values) > 0]
    return float(positive.max() / positive.min()) if len(positive) >= 2 else float("nan")


@experiment(
    "wgan_clipping",
    params={**RING, "steps": 2000, "clip_value": 0.01, "window": 100, "warm_up": 500},
    test={**RING_TEST, "window": 10, "warm_up": 50},
    full={**RING_FULL},
    title="WGAN with weight clipping on the ring: critic estimate, exact W1, weights, norms",
)
def wgan_clipping(params, context: RunContext) -> ExperimentResult:
    c = params["clip_value"]
    run = train_and_examine("wasserstein", params, context, clip_value=c)
    arrays = ensemble_arrays(run)
    ratio = arrays["ratio"]  # K̂ = estimate / W1, (K, S)
    windows = window_means(arrays["train_estimate"], params["window"])  # (K, W)
    peak = windows.argmax(axis=1)
    weights, initial = run["final_weights"], run["initial_weights"]
    norms = arrays["final_norms"]
    bound = arrays["eval_lipschitz_bound"]
    at_clip = np.array([fraction_at_bound(w, c) for w in weights])
    clipped_at_start = np.mean(np.abs(initial) >= c, axis=1)
    warm = arrays["eval_step"] >= params["warm_up"]
    return ExperimentResult(
        arrays={
            **arrays,
            "train_estimate_windows": windows,
            "weights": weights,
            "initial_weights": initial,
        },
        scalars={
            **ensemble_scalars(params, run, arrays),
            "clip_value": c,
            "window": params["window"],
            "weights_count": int(weights.shape[1]),
            **spread("fraction_at_clip", at_clip),
            "members_mostly_at_clip": int(np.sum(at_clip > 0.5)),
            **spread("fraction_clipped_at_start", clipped_at_start),
            # fewest weights, over members, that training moved from the walls back inside
            "weights_freed_min": int(
                np.min(np.round((clipped_at_start - at_clip) * weights.shape[1]))
            ),
            "initial_weight_max": float(np.abs(initial).max()),
            "initial_weight_max_min": float(np.abs(initial).max(axis=1).min()),
            "weights_outside_clip": int(np.sum(np.abs(weights) > c * (1 + 1e-6))),
            **spread("fraction_zero_norms", np.mean(norms == 0, axis=1)),
            "members_with_zero_norms": int(np.sum(np.any(norms == 0, axis=1))),
            "hidden_layer_bound": c * params["hidden"],  # c√(mn) for an n × n layer
            "ratio_max": float(ratio.max()),
            "positive_ratio_stops_min": int(np.min(np.sum(ratio > 0, axis=1))),
            **spread("ratio_drift", [positive_drift(row) for row in ratio]),
            "warm_up": params["warm_up"],
            **spread("ratio_drift_after_warm_up", [positive_drift(row[warm]) for row in ratio]),
            "ratio_final_spread": positive_drift(ratio[:, -1]),  # between members, last stop
            **spread("estimate_peak", windows[np.arange(len(peak)), peak]),
            **spread("estimate_peak_step", (peak + 1) * params["window"], int),
            **spread("estimate_end", windows[:, -1]),
            **spread("estimate_end_over_peak", windows[:, -1] / windows.max(axis=1)),
            "ratio_over_bound_max": float(np.max(ratio / bound)),
            "grad_norm_over_bound_max": float(np.max(norms.max(axis=1) / bound[:, -1])),
            "w1_fell_members": int(np.sum(arrays["eval_w1"][:, -1] < arrays["eval_w1"][:, 0])),
        },
    )
