r"""Experiments of "Measuring a generator": the DCGAN ensemble's digits, measured four ways.

``digit_classifier`` trains a small CNN classifier on the training split once
(`train_digit_classifier`) and stores its parameters; the StyleGAN chapter measures through it
too. ``measuring`` reads the DCGAN chapter's seed ensemble (``needs=("dcgan",
"digit_classifier")``: its ``final_samples``, nothing is trained twice) and, through that
classifier, measures every member's samples against the training digits:

- the Fréchet distance between Gaussian fits of the classifier's 128-d features, resampled at one
  sample size, and the same for the held-out digits (the real-vs-real floor);
- the class histogram of the classifier's predictions: its coverage and its KL from uniform;
- precision and recall by $k$-nearest-neighbour balls in the same features.

It also damages the held-out digits in two ways with one median FD (`demonstration`): two classes
removed, a partial collapse made exactly, and pixel noise on every digit; to see which measure
tells them apart.

``measuring_toys`` is the same language on the ring of Part I: it reads the ring ensembles of
``saturation_ring`` and ``least_squares_ring`` and sets, member by member, the ring's own
measures (modes covered, the share of samples on a mode, $W_1$ with its floor) beside precision
and recall computed by the same $k$-NN balls on the plane. Nothing is trained there.
"""

from __future__ import annotations

import numpy as np
import torch
from scipy.stats import rankdata

from ganbook.book.part3.measuring.comparisons import demonstration, overlapping_pairs
from ganbook.data import load_digits_dataset
from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.measures.digit_classifier import (
    classifier_accuracy,
    classifier_features,
    classifier_from_parameters,
    classifier_parameters,
    classifier_predictions,
    train_digit_classifier,
)
from ganbook.measures.generators import precision_recall
from ganbook.measures.protocol import CLASSES, class_measures, compare
from ganbook.measures.samples import covered_modes, mode_shares, ring_data
from ganbook.measures.summaries import spread

CLASSIFIER = {
    "steps": 600,  # Adam steps of the feature classifier (its accuracy is quoted)
    "batch": 64,
    "lr": 1e-3,
}
r"""The standard profile of ``digit_classifier``."""

MEASURING = {
    "sample_size": 400,  # images per side of every comparison: at most the 597 held out
    "resamples": 40,  # draws of each comparison, for its spread
    "k": 3,  # neighbours of the k-NN balls (Kynkäänniemi et al.'s default)
    "min_share": 0.25,  # a class is covered with at least a quarter of its uniform share
    "removed": 2,  # classes taken out of the held-out digits in the collapse demonstration
    "search_resamples": 8,  # draws per step of the demonstration's searches (class, noise)
    "search_steps": 12,  # bisection steps of the noise level
}
r"""The standard profile of ``measuring``."""
MEASURING_TEST = {
    "sample_size": 150,
    "resamples": 4,
    "search_resamples": 2,
    "search_steps": 6,
}
r"""``measuring`` on the test profile."""
MEASURING_FULL = {"resamples": 100, "search_resamples": 16}
r"""``measuring`` on the full profile: more draws of every comparison."""


def images(x) -> torch.Tensor:
    r"""Images as the classifier takes them, (N, 1, 16, 16) float32, from (N, 16, 16) or that."""
    x = torch.as_tensor(np.asarray(x), dtype=torch.float32)
    return x.unsqueeze(1) if x.ndim == 3 else x


@experiment(
    "digit_classifier",
    params=CLASSIFIER,
    test={"steps": 60},
    title="The digit classifier through which Part III measures generators, trained once",
    cost=12,
)
def digit_classifier(params, context: RunContext) -> ExperimentResult:
    r"""Train the book's `DigitClassifier` once; store its parameters and held-out accuracy.

    ``measuring`` and ``stylegan`` rebuild it with `classifier_from_parameters`, so that both
    chapters measure through the same classifier, and the two trainings run side by side.
    """
    clf = train_digit_classifier(
        seed=context.stream_seed("classifier"),
        steps=params["steps"],
        batch_size=params["batch"],
        lr=params["lr"],
        device=context.device,
    )
    held_x, held_y = load_digits_dataset(size=16, split="heldout", with_labels=True)
    return ExperimentResult(
        arrays=classifier_parameters(clf),
        scalars={
            "accuracy": float(classifier_accuracy(clf, held_x, held_y)),
            "steps": params["steps"],
            "batch": params["batch"],
            "lr": params["lr"],
        },
    )


@experiment(
    "measuring",
    params=MEASURING,
    test=MEASURING_TEST,
    full=MEASURING_FULL,
    needs=("dcgan", "digit_classifier"),
    title="The DCGAN ensemble measured through a digit classifier: FD, classes, precision/recall",
)
def measuring(params, context: RunContext) -> ExperimentResult:
    dcgan = context.needed["dcgan"]
    fakes = np.asarray(dcgan.arrays["final_samples"])  # (members, samples, 16, 16) in [−1, 1]
    train_x = load_digits_dataset(size=16, split="train")
    held_x, held_y = load_digits_dataset(size=16, split="heldout", with_labels=True)
    trained = context.needed["digit_classifier"]
    clf = classifier_from_parameters(trained.arrays, context.device)
    f_train = np.asarray(classifier_features(clf, train_x), dtype=np.float64)  # the reference
    f_held = np.asarray(classifier_features(clf, held_x), dtype=np.float64)
    floor = {
        **compare(f_held, f_train, params, context.stream_seed("floor")),
        **class_measures(classifier_predictions(clf, held_x), params),
    }
    rows = []
    for k, member in enumerate(fakes):
        x = images(member)
        f_fake = np.asarray(classifier_features(clf, x), dtype=np.float64)
        rows.append(
            {
                **compare(f_fake, f_train, params, context.stream_seed(f"member-{k}")),
                **class_measures(classifier_predictions(clf, x), params),
            }
        )
    demo = demonstration(clf, held_x, held_y.numpy(), f_train, params, context)
    member_fd = np.stack([r["fd"] for r in rows])  # (members, resamples)
    median_fd = np.median(member_fd, axis=1)
    per_member = {
        key: np.array([r[key] for r in rows]) for key in ("precision", "recall", "coverage", "kl")
    }

    def summary(name: str, row: dict) -> dict:
        return {
            f"{name}_fd_median": float(np.median(row["fd"])),
            f"{name}_fd_min": float(row["fd"].min()),
            f"{name}_fd_max": float(row["fd"].max()),
            **{f"{name}_{key}": row[key] for key in ("precision", "recall", "coverage", "kl")},
        }

    collapsed = demo["collapsed"]
    scalars = {
        "members": len(fakes),
        "eval_samples": int(fakes.shape[1]),
        "dcgan_steps": int(dcgan.scalars["steps"]),
        "accuracy": float(trained.scalars["accuracy"]),  # measured once, where it was trained
        "train_size": len(f_train),
        "heldout_size": len(f_held),
        "feature_dim": int(f_train.shape[1]),
        **{key: params[key] for key in MEASURING},
        **summary("floor", floor),
        **summary("collapsed", collapsed),
        **summary("noisy", demo["noisy"]),
        **spread("fd", median_fd),
        **spread("fd_range", member_fd.max(axis=1) - member_fd.min(axis=1)),  # per member
        "members_fd_above_floor": int((member_fd.min(axis=1) > floor["fd"].max()).sum()),
        "member_pairs": len(fakes) * (len(fakes) - 1) // 2,
        "overlapping_pairs": overlapping_pairs(member_fd),
        **{k: v for name, a in per_member.items() for k, v in spread(name, a).items()},
        "removed_first": int(demo["removed"][0]),
        "removed_last": int(demo["removed"][-1]),
        "removed_share": float(demo["removed_share"]),
        "noise_sigma": float(demo["sigma"]),
        "collapsed_kl_exact": float(np.log(CLASSES / (CLASSES - params["removed"]))),
        "members_fd_above_collapsed": int((median_fd > np.median(collapsed["fd"])).sum()),
        "one_class_fd_min": float(demo["alone"].min()),
        "one_class_fd_max": float(demo["alone"].max()),
    }
    return ExperimentResult(
        arrays={
            "member_fd": member_fd,
            **{f"{name}_fd": demo[name]["fd"] for name in ("collapsed", "noisy")},
            "floor_fd": floor["fd"],
            "one_class_fd": demo["alone"],
            "removed_classes": demo["removed"],
            "member_histogram": np.stack([r["histogram"] for r in rows]),
            "floor_histogram": floor["histogram"],
            "collapsed_histogram": collapsed["histogram"],
            "noisy_histogram": demo["noisy"]["histogram"],
            **{f"member_{name}": a for name, a in per_member.items()},
            "shown_samples": fakes[:, :10],  # ten digits of every member, for the figure
            "noisy_examples": demo["noisy_examples"],
        },
        scalars=scalars,
    )


TOY_RUNS = (
    ("saturation_ring", "saturating"),
    ("saturation_ring", "nonsaturating"),
    ("least_squares_ring", "ls"),
)
r"""The ring ensembles of Part I that ``measuring_toys`` reads: (experiment, loss key)."""


@experiment(
    "measuring_toys",
    params={"k": 3},
    uses_torch_device=False,
    needs=("saturation_ring", "least_squares_ring"),
    title="The ring ensembles of Part I: modes, on-mode share and W1 beside k-NN precision/recall",
)
def measuring_toys(params, context: RunContext) -> ExperimentResult:
    r"""Per member of three ring ensembles: the ring's measures and $k$-NN precision and recall.

    Each member's final snapshot is compared with a real sample of as many points, drawn from
    this experiment's stream ``"real"``; the real-vs-real reference compares that sample with a
    second one from the stream ``"real-2"``.
    """
    rows = {"modes": [], "on_mode": [], "w1": [], "precision": [], "recall": [], "loss": []}
    floors = []
    n = None
    for name, key in TOY_RUNS:
        run = context.needed[name]
        finals = np.asarray(run.arrays[f"{key}_snapshots"])[:, -1].astype(np.float64)
        n = finals.shape[1]
        real = ring_data(n, context.stream("real")).double().numpy()
        for k, final in enumerate(finals):
            precision, recall = precision_recall(real, final, k=params["k"])
            rows["modes"].append(covered_modes(final))
            rows["on_mode"].append(float(mode_shares(final).sum()))
            rows["w1"].append(float(run.arrays[f"{key}_w1"][k, -1]))
            rows["precision"].append(float(precision))
            rows["recall"].append(float(recall))
            rows["loss"].append(TOY_RUNS.index((name, key)))
        floors.append(float(run.scalars["w1_floor"]))
    real = ring_data(n, context.stream("real")).double().numpy()
    second = ring_data(n, context.stream("real-2")).double().numpy()
    real_precision, real_recall = precision_recall(real, second, k=params["k"])
    a = {key: np.asarray(value) for key, value in rows.items()}
    per_loss = {
        f"{key}_{measure}_median": float(np.median(a[measure][a["loss"] == i]))
        for i, (_, key) in enumerate(TOY_RUNS)
        for measure in ("modes", "on_mode", "w1", "precision", "recall")
    }
    return ExperimentResult(
        arrays={**a, "w1_floors": np.asarray(floors)},
        scalars={
            "members": len(a["modes"]),
            "samples": int(n),
            "k": params["k"],
            "real_precision": float(real_precision),
            "real_recall": float(real_recall),
            "real_on_mode": float(mode_shares(real).sum()),
            "real_modes": covered_modes(real),
            "w1_floor_max": float(np.max(floors)),
            **per_loss,
            "precision_on_mode_rank": rank_correlation(a["precision"], a["on_mode"]),
            "recall_modes_rank": rank_correlation(a["recall"], a["modes"]),
            "largest_precision_gap": float(np.abs(a["precision"] - a["on_mode"]).max()),
            "members_no_mode": int((a["modes"] == 0).sum()),
            "members_no_mode_recall_half": int(((a["modes"] == 0) & (a["recall"] >= 0.5)).sum()),
            "recall_no_mode_max": float(np.max(a["recall"][a["modes"] == 0], initial=0.0)),
            "members_all_modes": int((a["modes"] == 8).sum()),
        },
    )


def rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    r"""Spearman's $\rho$ of two sequences (Pearson's correlation of their ranks); 0 if constant."""
    ra, rb = rankdata(a), rankdata(b)
    if ra.std() == 0.0 or rb.std() == 0.0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])
