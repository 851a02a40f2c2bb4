r"""One protocol by which Part III compares two sets of images, through classifier features.

- `compare`: Fréchet distances over resamples at one sample size, then precision and recall
  averaged over draws of the same size.
- `class_measures`: the class histogram of predicted labels, its coverage, its KL from uniform.

Both read their settings from a mapping (an experiment's parameters): ``sample_size``,
``resamples``, ``k`` and optionally ``pr_resamples`` for `compare`; ``min_share`` for
`class_measures`. The measuring and StyleGAN chapters use the same protocol, so that their
numbers mean the same.
"""

from __future__ import annotations

import numpy as np

from ganbook.measures.generators import (
    class_coverage,
    class_histogram,
    class_histogram_kl,
    precision_recall,
    resampled_frechet,
)

__all__ = ["CLASSES", "class_measures", "compare"]

CLASSES = 10
r"""The digit classes 0 to 9."""


def compare(fake: np.ndarray, real: np.ndarray, params, seed: int) -> dict:
    r"""One comparison of two feature sets: Fréchet distances over resamples, then $P$ and $R$.

    Each of the ``resamples`` draws takes ``sample_size`` rows of each side without replacement
    (`resampled_frechet`, with a generator seeded by ``seed``); precision and recall are the
    means over ``pr_resamples`` more draws of the same size (one if ``params`` has no such key).
    """
    # --8<-- [start:compare]
    n, rng = params["sample_size"], np.random.default_rng(seed)
    # one FD per draw of n rows of each side, without replacement
    fd = resampled_frechet(fake, real, n=n, resamples=params["resamples"], rng=rng)
    shares = []
    for _ in range(params.get("pr_resamples", 1)):  # P and R on fresh draws of n rows each
        pick_fake = rng.choice(len(fake), size=n, replace=False)
        pick_real = rng.choice(len(real), size=n, replace=False)
        shares.append(precision_recall(real[pick_real], fake[pick_fake], k=params["k"]))
    precision, recall = np.mean(shares, axis=0)
    # --8<-- [end:compare]
    return {"fd": np.asarray(fd, dtype=float), "precision": precision, "recall": recall}


def class_measures(predicted: np.ndarray, params) -> dict:
    r"""The class histogram of predicted labels, how many classes it covers, its KL from uniform.

    `class_coverage` gives the covered *fraction* of the classes; the page counts them.
    """
    covered = class_coverage(predicted, n_classes=CLASSES, min_share=params["min_share"])
    return {
        "histogram": np.asarray(class_histogram(predicted, n_classes=CLASSES), dtype=float),
        "coverage": round(covered * CLASSES),
        "kl": float(class_histogram_kl(predicted, n_classes=CLASSES)),
    }
