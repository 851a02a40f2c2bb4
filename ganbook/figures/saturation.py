"""Figures of the saturation chapter; the ring helpers are shared with the least-squares chapter."""

from __future__ import annotations

import numpy as np

from ganbook.data import eight_gaussians_centres
from ganbook.figures.registry import figure
from ganbook.figures.style import COLORS, new_figure

LABELS = {
    "saturating": r"saturating  $E\log(1 - D(G(z)))$",
    "nonsaturating": r"non-saturating  $-E\log D(G(z))$",
    "ls": r"least squares  $\frac12 E(D(G(z)) - c)^2$",
}
SHORT = {"saturating": "saturating", "nonsaturating": "non-saturating", "ls": "least squares"}
LOSS_COLORS = {**COLORS, "ls": COLORS["discriminator"]}


def smooth(values: np.ndarray, width: int) -> np.ndarray:
    """Running mean over ``width`` steps (shorter at the start), for noisy per-step series."""
    width = max(1, min(width, len(values)))
    total = np.cumsum(np.insert(np.asarray(values, float), 0, 0.0))
    counts = np.minimum(np.arange(1, len(values) + 1), width)
    return (total[1:] - total[np.maximum(np.arange(1, len(values) + 1) - width, 0)]) / counts


def ring_panel(ax, samples: np.ndarray, color: str, title: str) -> None:
    """Generated points over the eight mode centres of the ring (open circles)."""
    centres = eight_gaussians_centres().numpy()
    ax.scatter(samples[:, 0], samples[:, 1], s=2, color=color, alpha=0.35, lw=0, rasterized=False)
    ax.scatter(centres[:, 0], centres[:, 1], s=30, facecolors="none", edgecolors="black", lw=0.7)
    ax.set_xlim(-2.2, 2.2)
    ax.set_ylim(-2.2, 2.2)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.set_title(title, fontsize=9)


def shared_thetas(first, second) -> np.ndarray:
    """The θ grid of two shift-toy results, which must be the same grid."""
    thetas = first.arrays["thetas"]
    if not np.allclose(thetas, second.arrays["thetas"]):
        raise ValueError("the two experiments use different θ grids")
    return thetas


def snapshot_steps_near(result, wanted) -> list[int]:
    """The snapshot steps of ``result`` closest to each step in ``wanted``."""
    steps = result.arrays["snapshot_steps"]
    return [int(steps[np.argmin(np.abs(steps - w))]) for w in wanted]


def snapshot_grid(fig_axes, runs, steps_to_show) -> None:
    """Rows of ring panels: one row per (result, key), one column per step in ``steps_to_show``."""
    for row, (result, key) in enumerate(runs):
        snapshot_steps = list(result.arrays["snapshot_steps"])
        for col, step in enumerate(steps_to_show):
            ax = fig_axes[row, col]
            samples = result.arrays[f"{key}_snapshots"][snapshot_steps.index(step)]
            ring_panel(ax, samples, LOSS_COLORS[key], f"step {step}" if row == 0 else "")
        fig_axes[row, 0].set_ylabel(SHORT[key])


@figure(
    "saturation_logit_gradients",
    experiments=("saturation_logit_gradients",),
    caption=(
        r"Left: the generator's gradient with respect to the discriminator's logit $\ell$ on a "
        r"fake sample, against $D(G(z)) = \sigma(\ell)$, by autograd through "
        r"`minimax_generator_loss` and `nonsaturating_generator_loss`: the straight lines "
        r"$-\sigma(\ell)$ and $-(1 - \sigma(\ell))$. Right: the same losses differentiated with "
        r"respect to $D$ itself (log scales), with the sigmoid's slope $D(1 - D)$ in grey. The "
        r"left panel is the right one times that slope. Dots mark $D(G(z)) = 0.01$."
    ),
    alt="Left: two straight lines over D from 0 to 1, the saturating gradient near zero where D "
    "is small, the non-saturating one near minus one. Right: on log axes the saturating slope "
    "stays near one while the non-saturating slope grows like 1/D as D falls.",
)
def draw_saturation_logit_gradients(results):
    r = results["saturation_logit_gradients"]
    d, s = r.arrays["d"], r.scalars
    fig, (left, right) = new_figure(2, width=7.6, height=3.0)
    for key in ("saturating", "nonsaturating"):
        left.plot(d, r.arrays[f"{key}_dlogit"], color=COLORS[key], label=SHORT[key])
        right.loglog(d, np.abs(r.arrays[f"{key}_dscore"]), color=COLORS[key], label=SHORT[key])
        left.plot(s["probe"], -s[f"{key}_at_probe"], "o", color=COLORS[key], ms=5)
        right.plot(s["probe"], s[f"{key}_dscore_at_probe"], "o", color=COLORS[key], ms=5)
    right.loglog(d, d * (1 - d), color=COLORS["neutral"], ls="--", label=r"$dD/d\ell = D(1 - D)$")
    left.set_xlabel(r"$D(G(z)) = \sigma(\ell)$")
    left.set_ylabel(r"$\partial \mathcal{L}_G / \partial \ell$")
    left.set_title(r"with respect to the logit $\ell$")
    left.legend(frameon=False, loc="center right")
    right.set_xlabel(r"$D(G(z))$")
    right.set_ylabel(r"$|\partial \mathcal{L}_G / \partial D|$")
    right.set_title(r"with respect to $D = \sigma(\ell)$")
    right.set_ylim(1e-4, 2e4)
    right.legend(frameon=False, loc="upper right", fontsize=8)
    return fig


@figure(
    "saturation_shift_toy_vs_score",
    experiments=("shift_toy_gradients", "saturation_shift_toy_scores"),
    caption=(
        r"The shift toy at its optimal discriminator, for $\theta \le \mu$: the generator's "
        r"gradient $|\partial \mathcal{L}_G/\partial\theta|$ (lines, by autograd, from the "
        r"experiment `shift_toy_gradients` of [the shift-toy chapter](shift-toy.md)) against the "
        r"detective's mean output on fakes $E_z D^*(G(z))$, which falls as $\theta$ moves away "
        r"from $\mu$. Dots: the chain-rule prediction $E D^* \cdot |\mu - \theta|/\sigma^2$ and "
        r"$(1 - E D^*) \cdot |\mu - \theta|/\sigma^2$, computed without autograd. Log scales."
    ),
    alt="Log-log plot: as the mean discriminator output on fakes falls from one half to one in a "
    "million, the saturating gradient falls along with it while the non-saturating gradient "
    "rises; dots of the prediction lie on both curves.",
)
def draw_saturation_shift_toy_vs_score(results):
    grads, scores = results["shift_toy_gradients"], results["saturation_shift_toy_scores"]
    thetas = shared_thetas(grads, scores)
    left = thetas <= grads.scalars["mu"]
    mean_d = scores.arrays["mean_d"][left]
    fig, ax = new_figure(width=6.0, height=3.2)
    for key in ("saturating", "nonsaturating"):
        ax.loglog(mean_d, np.abs(grads.arrays[key][left]), color=COLORS[key], label=SHORT[key])
        step = max(1, left.sum() // 25)
        predicted = scores.arrays[f"predicted_{key}"][left]
        ax.loglog(mean_d[::step], predicted[::step], "o", ms=3, color=COLORS[key], alpha=0.8)
    for distance in (2, 4, 6, 8):
        i = int(np.argmin(np.abs(thetas[left] - (grads.scalars["mu"] - distance))))
        ax.annotate(
            rf"$\theta-\mu=-{distance}\sigma$",
            (mean_d[i], np.abs(grads.arrays["saturating"][left][i])),
            textcoords="offset points",
            xytext=(6, -12),
            fontsize=8,
            color=COLORS["neutral"],
        )
    ax.set_xlim(1e-6, 0.7)
    ax.set_ylim(1e-6, 30)
    ax.set_xlabel(r"$E_z\, D^*(G(z))$")
    ax.set_ylabel(r"$|\partial \mathcal{L}_G / \partial \theta|$ at $D^*$")
    ax.legend(frameon=False, loc="lower right")
    return fig


SNAPSHOT_SERIES = ("w1", "modes", "to_nearest")  # one value per snapshot, not per step


def draw_ring_curves(result, panels, *, nrows=1, width=7.6, height=2.8):
    """One panel per (series, title, log y, smoothing window) of both losses over the steps."""
    fig, axes = new_figure(len(panels) // nrows, nrows, width=width, height=height)
    axes = np.ravel(axes)
    for ax, (series, title, log, window) in zip(axes, panels, strict=True):
        for key in ("saturating", "nonsaturating"):
            y = result.arrays[f"{key}_{series}"]
            if series in SNAPSHOT_SERIES:
                x, style = result.arrays["snapshot_steps"], {"marker": "o", "ms": 3}
            else:
                x, y, style = np.arange(1, len(y) + 1), smooth(y, window), {}
            (ax.semilogy if log else ax.plot)(x, y, color=COLORS[key], label=SHORT[key], **style)
        if series == "w1":
            ax.axhline(result.scalars["w1_floor"], color=COLORS["neutral"], ls=":", lw=1)
        ax.set_xlabel("generator step")
        ax.set_title(title)
    axes[0].legend(frameon=False, fontsize=8)
    return fig


@figure(
    "saturation_ring_curves",
    experiments=("saturation_ring",),
    caption=(
        r"The ring of eight Gaussians in the DCGAN setting (Adam, learning rate $2\cdot10^{-4}$, "
        r"$\beta_1 = 0.5$, one discriminator step per generator step), both generator losses "
        r"from the same initial weights and seed. Left: $W_1$ between 1,000 generated and 1,000 "
        r"real points (POT's exact solver; dotted: two real samples, the floor). Middle: the "
        r"generator's gradient norm. Right: the discriminator's mean output on fakes. Per-step "
        r"series are running means over 25 steps."
    ),
    alt="Three panels over 2,000 generator steps. The W1 curves of both losses fall from about "
    "1.4 to about 0.25 and track each other; the gradient norms are of the same size; the mean "
    "discriminator output on fakes stays between 0.3 and 0.5 for both.",
)
def draw_saturation_ring_curves(results):
    return draw_ring_curves(
        results["saturation_ring"],
        [
            ("w1", r"$W_1$ to the data", False, 0),
            ("g_grad_norm", r"$\|\nabla_\theta \mathcal{L}_G\|$", True, 25),
            ("d_fake", r"$\overline{D}(G(z))$", False, 25),
        ],
    )


@figure(
    "saturation_ring_strong_curves",
    experiments=("saturation_ring_strong_d",),
    caption=(
        r"The same ring with a discriminator pushed towards its optimum: five discriminator "
        r"steps per generator step and a discriminator learning rate of $10^{-3}$. Top: the "
        r"discriminator's mean output on fakes and the generator's gradient norm (log scales, "
        r"running means over 5 steps). Bottom: the mean distance from a generated point to the "
        r"nearest mode centre, and $W_1$ to the data (dotted: the real-vs-real floor)."
    ),
    alt="Four panels over 400 generator steps. For the saturating loss the mean output on "
    "fakes drops below one in a thousand and its gradient norm to about 0.001 for more than a "
    "hundred steps while its points stay far from every mode; the non-saturating run recovers "
    "within a few dozen steps and reaches a mode.",
)
def draw_saturation_ring_strong_curves(results):
    return draw_ring_curves(
        results["saturation_ring_strong_d"],
        [
            ("d_fake", r"$\overline{D}(G(z))$", True, 5),
            ("g_grad_norm", r"$\|\nabla_\theta \mathcal{L}_G\|$", True, 5),
            ("to_nearest", "distance to the nearest mode", False, 0),
            ("w1", r"$W_1$ to the data", False, 0),
        ],
        nrows=2,
        width=7.0,
        height=5.0,
    )


@figure(
    "saturation_ring_strong_samples",
    experiments=("saturation_ring_strong_d",),
    caption=(
        r"Generated points (the same 1,000 latents every time) with the near-optimal "
        r"discriminator, at four generator steps, the third at the end of the stall window; "
        r"circles mark the eight mode centres. The saturating generator sits still while the "
        r"discriminator is sure of itself; the non-saturating one moves at once."
    ),
    alt="Two rows of four scatter plots. Top row, saturating: the blob of points stays in the "
    "middle through the stall, then lands on one mode. Bottom row, non-saturating: the blob "
    "moves out to a mode during the same steps.",
)
def draw_saturation_ring_strong_samples(results):
    r = results["saturation_ring_strong_d"]
    last = int(r.arrays["snapshot_steps"][-1])
    steps = snapshot_steps_near(
        r, [0, r.scalars["window_start"] * 2, r.scalars["stall_step"], last]
    )
    fig, axes = new_figure(len(steps), 2, width=6.4, height=3.4)
    snapshot_grid(axes, [(r, "saturating"), (r, "nonsaturating")], steps)
    return fig
