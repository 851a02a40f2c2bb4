r"""Figures of "One objective, two players" and "Training by alternation" (Part I, ch. 3–4)."""

from __future__ import annotations

import numpy as np

from ganbook.engine.figures import figure
from ganbook.figures.animation import gif_bytes
from ganbook.figures.plotting import frame_figure, frame_indices, moving_average
from ganbook.figures.style import COLORS, new_figure


def _training_panels(axes, a, s, loss_legend: str = "upper right") -> None:
    r"""Losses (left) and discriminator outputs (right) of an ensemble, per step.

    The shown member (``s["shown_member"]``): per step (faint) and its running mean (bold);
    every other member: its running mean, thin. The running mean is over ``s["window"]`` steps.
    """
    losses, outputs = axes
    shown, window = int(s["shown_member"]), int(s["window"])
    steps = a["d_loss"].shape[1]
    log_levels = ((s["log4"], r"$\log 4$"), (s["log2"], r"$\log 2$"))
    for ax, keys, levels, where in (
        (losses, ("d_loss", "g_loss"), log_levels, loss_legend),
        (outputs, ("d_real", "d_fake"), ((0.5, r"$\frac{1}{2}$"),), "upper right"),
    ):
        colours = (COLORS["real"], COLORS["fake"])
        for key, label, colour in zip(keys, LABELS[keys], colours, strict=True):
            for k, values in enumerate(a[key]):
                if k != shown:
                    ax.plot(*moving_average(values, window), color=colour, lw=0.7, alpha=0.45)
            ax.plot(np.arange(1, steps + 1), a[key][shown], color=colour, alpha=0.2, lw=0.5)
            ax.plot(*moving_average(a[key][shown], window), color=colour, lw=1.6, label=label)
        for level, text in levels:
            ax.axhline(level, color="black", lw=0.9, ls=":")
            ax.annotate(
                text, (0.0, level), xytext=(3, 2), textcoords="offset points",
                xycoords=("axes fraction", "data"), ha="left", va="bottom", fontsize=9,
            )  # fmt: skip
        ax.set_xlabel("step")
        ax.legend(frameon=True, framealpha=0.85, edgecolor="none", loc=where)


LABELS = {
    ("d_loss", "g_loss"): (r"$\mathcal{L}_D$", r"$\mathcal{L}_G$ (non-saturating)"),
    ("d_real", "d_fake"): (r"$D(x)$", r"$D(G(z))$"),
}


@figure(
    "alternation_shift_curves",
    experiments=("alternation_shift",),
    caption=(
        r"The {alternation_shift.members} runs of `ganbook.training.train` on the shift toy, one "
        r"per seed (non-saturating loss, Adam). Bold: the run that the animation below shows, the "
        r"median run by its final distance $|\theta - \mu|$, per step (faint) and as a running "
        r"mean over {alternation_shift.window} steps; thin: the running means of the other runs. "
        r"Left: the discriminator's loss $\mathcal{L}_D$ and the generator's loss "
        r"$\mathcal{L}_G$; the dotted lines are their values where $D = \tfrac12$ everywhere, "
        r"$\log 4$ and $\log 2$. Middle: the mean of $D(x)$ on the real batch and of $D(G(z))$ on "
        r"the fake batch, against $\tfrac12$. Right: the shift $\theta$ of every run at every "
        r"snapshot, against the real mean $\mu$."
    ),
    alt="Three panels over {alternation_shift.steps:,} training steps, with one bold run and "
    "{alternation_shift.members} thin running means that nearly coincide. The discriminator's "
    "loss dips below log four early and returns to it; the generator's loss falls to log two. D(x) "
    "and D(G(z)) split apart early, then both settle at one half. Theta rises from "
    "{alternation_shift.theta0:g}, overshoots mu = {alternation_shift.mu:g} and settles there.",
)
def draw_alternation_shift_curves(results):
    r = results["alternation_shift"]
    a, s = r.arrays, r.scalars
    fig, axes = new_figure(3, width=7.8, height=2.8)
    _training_panels(axes[:2], a, s, loss_legend="center right")
    theta, shown = axes[2], int(s["shown_member"])
    for k, path in enumerate(a["thetas"]):
        if k != shown:
            theta.plot(a["snapshot_steps"], path, color=COLORS["fake"], lw=0.7, alpha=0.45)
    theta.plot(
        a["snapshot_steps"], a["thetas"][shown], "o-", ms=2.5, color=COLORS["fake"],
        label=r"$\theta$",
    )  # fmt: skip
    theta.axhline(s["mu"], color=COLORS["real"], lw=1.0, ls="--", label=r"$\mu$")
    theta.set_xlabel("step")
    theta.legend(frameon=False, loc="lower right")
    return fig


@figure(
    "alternation_shift_animation",
    experiments=("alternation_shift",),
    caption=(
        r"The generated cloud of the median run of the previous figure (by its final "
        r"$|\theta - \mu|$) at its snapshots: a histogram of $G(z_j)$ for the same "
        r"{alternation_shift.snapshot_size} latents $z_j$ every time (orange), against the real "
        r"density $N(\mu, \sigma^2)$ (blue). The cloud slides onto the data, overshoots, and "
        r"settles."
    ),
    alt="Animation: an orange histogram starts to the left of a blue bell curve, slides right, "
    "passes it a little, and comes back to sit on top of it.",
    format="gif",
)
def draw_alternation_shift_animation(results):
    r = results["alternation_shift"]
    a, s = r.arrays, r.scalars
    shown = int(s["shown_member"])
    snapshots, steps, thetas = a["snapshots"][shown], a["snapshot_steps"], a["thetas"][shown]
    x = np.linspace(s["theta0"] - 4.0, s["mu"] + 4.0, 400)
    real = np.exp(-0.5 * ((x - s["mu"]) / s["sigma"]) ** 2) / (s["sigma"] * np.sqrt(2 * np.pi))
    bins = np.linspace(x[0], x[-1], 60)

    def frame(k):
        fig, ax = frame_figure(5.2, 2.6, left=0.45, bottom=0.5)
        ax.fill_between(x, real, color=COLORS["real"], alpha=0.3, lw=0)
        ax.plot(x, real, color=COLORS["real"])
        density, _ = np.histogram(snapshots[k], bins=bins, density=True)
        ax.stairs(density, bins, fill=True, color=COLORS["fake"], alpha=0.6)
        ax.axvline(s["mu"], color=COLORS["real"], lw=0.8, ls=":")
        ax.set_xlim(x[0], x[-1])
        ax.set_ylim(0, 0.6)
        ax.set_xlabel("$x$")
        ax.set_title(rf"step {steps[k]:,}   $\theta = {thetas[k]:.2f}$")
        return fig

    return gif_bytes(frame(k) for k in frame_indices(len(steps), most=30))


@figure(
    "alternation_ring_curves",
    experiments=("alternation_ring",),
    caption=(
        r"The {alternation_ring.members} runs of `ganbook.training.train` on the ring of eight "
        r"Gaussians, one per seed (MLP generator and discriminator, non-saturating loss, Adam). "
        r"Bold: the run that the animation below shows, the median run by the modes it covers at "
        r"the end, per step (faint) and as a running mean over {alternation_ring.window} steps; "
        r"thin: the running means of the other runs. Left: the two losses, with $\log 4$ and "
        r"$\log 2$ dotted. Right: the mean of $D(x)$ and of $D(G(z))$ per step, with $\tfrac12$ "
        r"dotted. In no run do they settle at their equilibrium values: the discriminator keeps "
        r"an edge, and the curves wobble."
    ),
    alt="Two panels over {alternation_ring.steps:,} steps, with one bold run and thin running "
    "means of the others. The discriminator's loss starts at log four, drops, and wobbles below "
    "it; the generator's loss rises above log two and wobbles. D(x) stays above one half and "
    "D(G(z)) below, both noisy, some runs further from one half than others.",
)
def draw_alternation_ring_curves(results):
    r = results["alternation_ring"]
    fig, axes = new_figure(2, width=7.2, height=3.0)
    _training_panels(axes, r.arrays, r.scalars)
    return fig


def _ring_axes(ax, centres: np.ndarray, span: float) -> None:
    ax.scatter(*centres.T, s=60, facecolors="none", edgecolors=COLORS["real"], lw=1.2)
    ax.set_xlim(-span, span)
    ax.set_ylim(-span, span)
    ax.set_aspect("equal")


@figure(
    "alternation_ring_animation",
    experiments=("alternation_ring",),
    caption=(
        r"Samples $G(z_j)$ of the median run of the previous figure (by the modes covered at the "
        r"end) for the same {alternation_ring.snapshot_size} latents at every snapshot (orange), "
        r"with the ring's eight centres (blue circles). The title counts the modes covered "
        r"(`ganbook.measures.covered_modes`)."
    ),
    alt="Animation: an orange blob near the centre stretches into arcs and spreads towards "
    "eight small blue circles on a ring.",
    format="gif",
)
def draw_alternation_ring_animation(results):
    r = results["alternation_ring"]
    a, shown = r.arrays, int(r.scalars["shown_member"])
    snapshots, modes = a["snapshots"][shown], a["modes"][shown]
    steps, centres = a["snapshot_steps"], a["centres"]
    span = 1.15 * float(np.abs(centres).max()) + 0.4

    def frame(k):
        fig, ax = frame_figure(3.2, 3.2, left=0.45, bottom=0.35)
        ax.scatter(*snapshots[k].T, s=3, color=COLORS["fake"], alpha=0.6, lw=0)
        _ring_axes(ax, centres, span)
        ax.set_title(f"step {steps[k]:,}: {modes[k]} of {len(centres)} modes")
        return fig

    return gif_bytes(frame(k) for k in frame_indices(len(steps), most=30))


@figure(
    "alternation_ring_members",
    experiments=("alternation_ring",),
    caption=(
        r"Every run of the ensemble at its last step, {alternation_ring.steps:,}: samples "
        r"$G(z_j)$ for {alternation_ring.snapshot_size} latents (orange) against the ring's eight "
        r"centres (blue circles), with the modes covered in each title. Bottom: the modes covered "
        r"at every snapshot, one line per run (bold: the run of the animation). The runs differ "
        r"in where they end, not in how they move: in each the count rises and falls."
    ),
    alt="A row of small scatter plots, one per run, with orange samples on or near a ring of "
    "blue circles; some runs cover most circles, others gather on a few. Below, step curves of "
    "the mode count, one per run, rising unevenly with drops on the way.",
)
def draw_alternation_ring_members(results):
    r = results["alternation_ring"]
    a, s = r.arrays, r.scalars
    members, shown = int(s["members"]), int(s["shown_member"])
    columns = min(members, 5)
    rows = -(-members // columns)
    fig = new_figure(width=1.5 * columns + 0.4, height=1.6 * rows + 2.0)[0]
    fig.clear()
    grid = fig.add_gridspec(rows + 1, columns, height_ratios=[1.0] * rows + [1.15])
    centres = a["centres"]
    span = 1.15 * float(np.abs(centres).max()) + 0.4
    for k in range(members):
        ax = fig.add_subplot(grid[k // columns, k % columns])
        ax.scatter(*a["snapshots"][k, -1].T, s=3, color=COLORS["fake"], alpha=0.6, lw=0)
        _ring_axes(ax, centres, span)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        weight = "bold" if k == shown else "normal"
        ax.set_title(f"{a['modes'][k, -1]} of {len(centres)} modes", fontsize=8, weight=weight)
    curves = fig.add_subplot(grid[rows, :])
    for k in range(members):
        bold = k == shown
        curves.step(
            a["snapshot_steps"], a["modes"][k], where="post", color=COLORS["fake"],
            lw=1.8 if bold else 0.8, alpha=1.0 if bold else 0.5,
        )  # fmt: skip
    curves.set_xlabel("step")
    curves.set_ylabel("modes covered")
    curves.set_ylim(-0.3, len(centres) + 0.3)
    return fig
