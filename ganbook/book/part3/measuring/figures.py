r"""Figures of "Measuring a generator": the DCGAN ensemble and the ring, measured alike.

The DCGAN members' samples come from the DCGAN chapter's experiment through `measuring`; the
ring members' from the Part I chapters through `measuring_toys`. Nothing is trained here.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.figures import figure
from ganbook.figures.plotting import LOSS_COLORS, SHORT
from ganbook.figures.style import COLORS, new_figure

MEMBER = COLORS["fake"]  # the DCGAN members
FLOOR = COLORS["real"]  # real against real
COLLAPSED = COLORS["saturating"]  # held-out digits without two classes
NOISY = COLORS["nonsaturating"]  # held-out digits with pixel noise
TOY_KEYS = ("saturating", "nonsaturating", "ls")  # the order of `TOY_RUNS`


def fd_column(ax, x: float, fd: np.ndarray, color: str) -> None:
    r"""One comparison's Fréchet distances over resamples: a bar from least to most, the median."""
    ax.plot([x, x], [fd.min(), fd.max()], color=color, lw=2.2, alpha=0.55, solid_capstyle="butt")
    ax.plot([x], [np.median(fd)], "o", color=color, ms=5)


@figure(
    "measuring_fd",
    experiments=("measuring",),
    caption=(
        r"Fréchet distance in the classifier's {measuring.feature_dim}-dimensional features, "
        r"each comparison drawn {measuring.resamples} times at {measuring.sample_size} images "
        r"a side against as many training digits: the dot is the median draw, the bar runs from "
        r"the lowest to the highest. Blue band: held-out digits against training digits, the "
        r"real-vs-real floor (lowest to highest draw, line at the median). Orange: the "
        r"{measuring.members} members of the DCGAN ensemble after {measuring.dcgan_steps:,} "
        r"steps. Pink: held-out digits without two classes. Yellow: all held-out digits with "
        r"pixel noise of standard deviation {measuring.noise_sigma:.2f}, chosen so that its "
        r"median matches the pink one."
    ),
    alt="A strip of vertical bars, one per DCGAN member, and two more for damaged real digits, "
    "over a horizontal blue band near the bottom for real against real. The bars of the two "
    "damaged sets reach the same height, though one lacks two classes and the other is noisy.",
)
def draw_measuring_fd(results):
    r = results["measuring"]
    a = r.arrays
    fig, ax = new_figure(1, width=6.6, height=3.0)
    floor = a["floor_fd"]
    members = len(a["member_fd"])
    ax.axhspan(floor.min(), floor.max(), color=FLOOR, alpha=0.18, lw=0)
    ax.axhline(np.median(floor), color=FLOOR, lw=1.0, label="real vs real (floor)")
    for k, fd in enumerate(a["member_fd"]):
        fd_column(ax, k, fd, MEMBER)
    fd_column(ax, members + 0.5, a["collapsed_fd"], COLLAPSED)
    fd_column(ax, members + 1.5, a["noisy_fd"], NOISY)
    labels = [f"G{k}" for k in range(members)] + ["2 classes\nremoved", "pixel\nnoise"]
    ax.set_xticks([*range(members), members + 0.5, members + 1.5], labels)
    ax.set_xlim(-0.7, members + 2.2)
    ax.set_ylim(0, None)
    ax.set_ylabel("Fréchet distance")
    ax.legend(frameon=False, loc="upper left", fontsize=8)
    return fig


@figure(
    "measuring_classes",
    experiments=("measuring",),
    caption=(
        r"The classifier's verdict on {measuring.eval_samples} generated digits per DCGAN "
        r"member (orange, one outline each) and on the held-out digits (blue), as the share of "
        r"each class. Pink: the held-out digits without classes {measuring.removed_first} and "
        r"{measuring.removed_last}. Dashed: the uniform share $1/10$; dotted: a quarter of it, "
        r"below which a class counts as missing."
    ),
    alt="Class shares of ten digits. The real digits and the members lie near one tenth for "
    "every class; the damaged set drops to zero at two classes and rises slightly elsewhere.",
)
def draw_measuring_classes(results):
    r = results["measuring"]
    a, s = r.arrays, r.scalars
    fig, ax = new_figure(1, width=6.2, height=2.8)
    classes = np.arange(len(a["floor_histogram"]))
    for histogram in a["member_histogram"]:
        ax.step(classes, histogram, where="mid", color=MEMBER, lw=1.0, alpha=0.7)
    ax.step(classes, a["floor_histogram"], where="mid", color=FLOOR, lw=1.6, label="held out")
    ax.step(
        classes,
        a["collapsed_histogram"],
        where="mid",
        color=COLLAPSED,
        lw=1.6,
        label="2 classes removed",
    )
    ax.plot([], [], color=MEMBER, lw=1.0, label="DCGAN members")
    uniform = 1.0 / len(classes)
    ax.axhline(uniform, color=COLORS["neutral"], ls="--", lw=0.9)
    ax.axhline(s["min_share"] * uniform, color=COLORS["neutral"], ls=":", lw=0.9)
    ax.set_xticks(classes)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("share of the digits")
    ax.set_ylim(0, None)
    ax.legend(frameon=False, fontsize=8, loc="upper right", ncols=3)
    ax.set_ylim(0, 1.5 * ax.get_ylim()[1])
    return fig


@figure(
    "measuring_precision_recall",
    experiments=("measuring", "measuring_toys"),
    caption=(
        r"Precision and recall by $k$-nearest-neighbour balls ($k$ = {measuring.k}). Left: "
        r"digits, in the classifier's features, {measuring.sample_size} images a side: the "
        r"DCGAN members (orange), held-out against training digits (blue), the held-out digits "
        r"without two classes (pink) and with pixel noise (yellow). Middle and right: the "
        r"{measuring_toys.members} members of the three ring ensembles of Part I "
        r"({measuring_toys.samples} samples each, on the plane) against the ring's own measures: "
        r"precision against the share of samples on a mode, recall against the modes covered."
    ),
    alt="Left, a precision-recall plane where the real digits sit top right, the collapsed set "
    "loses recall and the noisy one loses precision. Middle, precision of the ring runs lies "
    "close to the diagonal of the share on a mode. Right, recall of the ring runs is high even "
    "for runs that cover no mode.",
)
def draw_measuring_precision_recall(results):
    r, t = results["measuring"], results["measuring_toys"]
    a, s, ta = r.arrays, r.scalars, t.arrays
    fig, axes = new_figure(3, width=8.4, height=2.9)
    ax = axes[0]
    ax.plot(a["member_recall"], a["member_precision"], "o", color=MEMBER, ms=4, label="members")
    for name, color, label in (
        ("floor", FLOOR, "real"),
        ("collapsed", COLLAPSED, "2 removed"),
        ("noisy", NOISY, "noise"),
    ):
        ax.plot(
            [s[f"{name}_recall"]], [s[f"{name}_precision"]], "s", color=color, ms=6, label=label
        )
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_title("digits")
    ax.legend(frameon=False, fontsize=7, loc="lower left")
    for i, key in enumerate(TOY_KEYS):
        rows = ta["loss"] == i
        style = {"color": LOSS_COLORS[key], "ms": 4, "label": SHORT[key]}
        axes[1].plot(ta["on_mode"][rows], ta["precision"][rows], "o", **style)
        axes[2].plot(ta["modes"][rows], ta["recall"][rows], "o", **style)
    axes[1].plot([0, 1], [0, 1], color=COLORS["neutral"], lw=0.8, ls="--")
    axes[1].set_xlabel("share of samples on a mode")
    axes[1].set_ylabel("precision")
    axes[1].set_title("ring: precision")
    axes[1].legend(frameon=False, fontsize=7, loc="upper left")
    axes[2].plot([0, 8], [0, 1], color=COLORS["neutral"], lw=0.8, ls="--")
    axes[2].set_xlabel("modes covered (of 8)")
    axes[2].set_ylabel("recall")
    axes[2].set_title("ring: recall")
    for ax in axes[1:]:
        ax.set_ylim(0, 1.02)
    axes[1].set_xlim(0, 1.02)
    axes[2].set_xlim(-0.3, 8.3)
    return fig
