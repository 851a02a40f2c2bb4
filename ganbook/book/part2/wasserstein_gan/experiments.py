r"""Experiments of the Wasserstein GAN chapter: weight-clipped critics on the ring of 8 Gaussians.

``wgan_clipping`` trains a seed ensemble with the paper's settings (RMSprop 5e-5, $c = 0.01$,
$n_{\text{critic}} = 5$) through `train_and_examine` of `ganbook.measures`, which stops at a few
steps so that every member's critic can be examined: its estimate $E\,D(x) - E\,D(G(z))$ on
fresh samples, the exact $W_1$ between generated and real samples (`sample_w1`), its
input-gradient norms at interpolates, and, at the end, every one of its weights. The WGAN-GP
chapter runs the same harness with the gradient penalty; member $k$ of both starts from the same
networks. ``wgan_clipping_tracking`` reads that ensemble's stops (``needs=``) and measures how
closely the critic's estimate follows the exact $W_1$: their correlation over each member's stops,
with and without the warm-up. This module does not draw.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.measures.critic_runs import (
    WGAN_RING,
    WGAN_RING_FULL,
    WGAN_RING_TEST,
    ensemble_arrays,
    ensemble_scalars,
    train_and_examine,
)
from ganbook.measures.critics import fraction_at_bound
from ganbook.measures.summaries import spread


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
    params={**WGAN_RING, "steps": 2000, "clip_value": 0.01, "window": 100, "warm_up": 500},
    test={**WGAN_RING_TEST, "window": 10, "warm_up": 50},
    full={**WGAN_RING_FULL},
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


def stop_correlation(x: np.ndarray, y: np.ndarray, min_stops: int = 3) -> float:
    r"""Pearson's $r$ between two series of one member's stops; NaN for fewer than ``min_stops``.

    $$
    r = \frac{\sum_s (x_s - \bar x)(y_s - \bar y)}
             {\sqrt{\sum_s (x_s - \bar x)^2 \, \sum_s (y_s - \bar y)^2}}
    $$

    NaN too when either series is constant (a claim on it then fails rather than passes).
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    dx, dy = x - x.mean(), y - y.mean()
    scale = np.sqrt(np.sum(dx**2) * np.sum(dy**2))
    return float(np.sum(dx * dy) / scale) if len(x) >= min_stops and scale > 0 else float("nan")


@experiment(
    "wgan_clipping_tracking",
    params={"min_stops": 3},  # a correlation over fewer stops says nothing
    needs=("wgan_clipping",),  # its result depends on the device through the runs it reads
    title="WGAN with weight clipping: how closely the critic's estimate follows the exact W1",
)
def wgan_clipping_tracking(params, context: RunContext) -> ExperimentResult:
    clipping = context.needed["wgan_clipping"]
    a, warm_up = clipping.arrays, clipping.scalars["warm_up"]
    estimate, w1 = a["eval_critic_estimate"], a["eval_w1"]  # (K, S): members, stops
    warm = a["eval_step"] >= warm_up
    n = params["min_stops"]
    pairs = list(zip(estimate, w1, strict=True))  # one (estimate, W1) pair of series per member
    return ExperimentResult(
        scalars={
            "members": len(w1),
            "warm_up": warm_up,
            "stops": len(warm),
            "stops_after_warm_up": int(np.sum(warm)),
            # members whose estimate rises from the first stop to the next while their W1 falls
            "members_opposite_at_first": int(
                np.sum((estimate[:, 1] > estimate[:, 0]) & (w1[:, 1] < w1[:, 0]))
            ),
            # Pearson's r between the estimate E D(x) − E D(G(z)) and W1 over a member's stops
            **spread("correlation", [stop_correlation(e, w, n) for e, w in pairs]),
            **spread(
                "correlation_after_warm_up",
                [stop_correlation(e[warm], w[warm], n) for e, w in pairs],
            ),
        }
    )
