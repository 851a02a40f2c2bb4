r"""The comparisons of "Measuring a generator": one protocol for every pair of feature sets.

- `demonstration`: two damaged copies of the held-out digits with one median FD (`without`,
  `noise_for_fd`).
- `overlapping_pairs`: which members' ranges of FD cannot be told apart.

The measures themselves are `ganbook.measures.generators`, and the protocol by which every
chapter of Part III compares two sets (`compare`, `class_measures`) is `ganbook.measures.protocol`;
this module only builds the chapter's demonstration and pairs its members.
"""

from __future__ import annotations

import numpy as np
import torch

from ganbook.measures.digit_classifier import classifier_features, classifier_predictions
from ganbook.measures.protocol import CLASSES, class_measures, compare


def without(labels: np.ndarray, classes) -> np.ndarray:
    r"""The indices of the images whose label is not one of ``classes``."""
    return np.flatnonzero(~np.isin(labels, np.asarray(list(classes))))


def noise_for_fd(clf, x: torch.Tensor, reference: np.ndarray, target: float, params, seed: int):
    r"""The pixel noise $\sigma$ whose noisy copies of ``x`` reach a median FD of ``target``.

    $\tilde x = \operatorname{clip}(x + \sigma \varepsilon, -1, 1)$ with one fixed draw
    $\varepsilon \sim N(0, I)$ and the same resamples at every $\sigma$ (common random
    numbers), so the median FD grows with $\sigma$ and bisection on $[0, 2]$ finds it. Returns
    $\sigma$ and the noisy images.
    """
    noise = torch.randn(x.shape, generator=torch.Generator().manual_seed(seed))
    few = {**params, "resamples": params["search_resamples"]}

    def noisy(sigma: float) -> torch.Tensor:
        return (x + sigma * noise).clamp(-1.0, 1.0)

    def median_fd(sigma: float) -> float:
        features = np.asarray(classifier_features(clf, noisy(sigma)), dtype=np.float64)
        return float(np.median(compare(features, reference, few, seed)["fd"]))

    low, high = 0.0, 2.0
    for _ in range(params["search_steps"]):
        middle = 0.5 * (low + high)
        low, high = (middle, high) if median_fd(middle) < target else (low, middle)
    sigma = 0.5 * (low + high)
    return sigma, noisy(sigma)


def demonstration(clf, x, labels, f_ref, params, context) -> dict:
    r"""Two damaged copies of the held-out digits with the same median FD to the training digits.

    *Collapsed*: without the ``removed`` classes whose removal alone raises the FD least (each
    class is removed alone first, with ``search_resamples`` draws). *Noisy*: every digit kept,
    with the pixel noise (`noise_for_fd`) that brings the median FD to the collapsed one's.
    """
    f_x = np.asarray(classifier_features(clf, x), dtype=np.float64)
    few = {**params, "resamples": params["search_resamples"]}
    alone = np.array(
        [
            np.median(
                compare(f_x[without(labels, [c])], f_ref, few, context.stream_seed(f"-{c}"))["fd"]
            )
            for c in range(CLASSES)
        ]
    )
    removed = np.sort(np.argsort(alone, kind="stable")[: params["removed"]])
    kept = without(labels, removed)
    collapsed = compare(f_x[kept], f_ref, params, context.stream_seed("collapsed"))
    target = float(np.median(collapsed["fd"]))
    sigma, noisy_x = noise_for_fd(clf, x, f_ref, target, params, context.stream_seed("noise"))
    f_noisy = np.asarray(classifier_features(clf, noisy_x), dtype=np.float64)
    noisy = compare(f_noisy, f_ref, params, context.stream_seed("noisy"))
    return {
        "alone": alone,
        "removed": removed,
        "removed_share": 1.0 - len(kept) / len(labels),
        "sigma": sigma,
        "noisy_examples": noisy_x[:10, 0].numpy(),
        "collapsed": {**collapsed, **class_measures(classifier_predictions(clf, x[kept]), params)},
        "noisy": {**noisy, **class_measures(classifier_predictions(clf, noisy_x), params)},
    }


def overlapping_pairs(fd: np.ndarray) -> int:
    r"""Pairs of members whose ranges of FD over the draws (lowest to highest) overlap."""
    low, high = fd.min(axis=1), fd.max(axis=1)
    return sum(
        int(low[i] <= high[j] and low[j] <= high[i])
        for i in range(len(fd))
        for j in range(i + 1, len(fd))
    )
