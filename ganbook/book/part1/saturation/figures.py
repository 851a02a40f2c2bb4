"""Figures of the saturation chapter; the ring helpers shared with least squares are in plotting."""

from __future__ import annotations

import numpy as np

from ganbook.engine.figures import figure
from ganbook.figures.plotting import (
    SHORT,
    ensemble_band,
    shared_thetas,
    snapshot_grid,
    snapshot_steps_near,
)
from ganbook.figures.style import COLORS, new_figure

LABELS = {
    "saturating": r"saturating  $E\log(1 - D(G(z)))$",
    "nonsaturating": r"non-saturating  $-E\log D(G(z))$",
    "ls": r"least squares  $\frac12 E(D(G(z)) - c)^2$",
}


@figure(
    "saturation_logit_gradients",
    experiments=("saturation_logit_gradients",),
    caption=(
        r"Left: the generator's gradient with respect to the discriminator's logit $\ell$ on a "
        r"fake sample, against $D(G(z)) = \sigma(\ell)$, by autograd through "
        r"`minimax_generator_loss` and `nonsaturating_generator_loss`: the straight lines "
        r"$-\sigma(\ell)$ and $-(1 - \sigma(\ell))$. Right: the same losses differentiated with "
        r"respect to $D$ itself (log scales), with the sigmoid's slope $D(1 - D)$ in grey. The "
        r"left panel is the right one times that slope. Dots mark $D(G(z))$ = "
        r"{saturation_logit_gradients.probe:g}."
    ),
    alt="Left: two straight lines over D from zero to one, the saturating gradient near zero "
    "where D is small, the non-saturating one near minus one. Right: on log axes the saturating "
    "slope stays near one while the non-saturating slope grows like one over D as D falls.",
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


def draw_ring_curves(result, panels, axes, keys=("saturating", "nonsaturating")):
    """One panel per (series, title, log y, smoothing window): each loss's ensemble band."""
    for ax, (series, title, log, window) in zip(axes, panels, strict=True):
        for key in keys:
            y = result.arrays[f"{key}_{series}"]
            if series in SNAPSHOT_SERIES:
                x, style = result.arrays["snapshot_steps"], {"marker": "o", "ms": 3}
            else:
                x, style = np.arange(1, y.shape[1] + 1), {}
            ensemble_band(ax, x, y, COLORS[key], SHORT[key], log=log, window=window, **style)
        if series == "w1":
            ax.axhline(result.scalars["w1_floor"], color=COLORS["neutral"], ls=":", lw=1)
        ax.set_xlabel("generator step")
        ax.set_title(title)


def paired_finals(ax, result, series: str, title: str) -> None:
    """Each member's final value for both losses, a grey line joining the two runs of a seed."""
    keys = ("saturating", "nonsaturating")
    finals = np.stack([result.arrays[f"{key}_{series}"][:, -1] for key in keys])  # (2, K)
    for member in finals.T:
        ax.plot([0, 1], member, color=COLORS["neutral"], lw=0.8, alpha=0.7)
    for i, key in enumerate(keys):
        ax.plot(np.full(finals.shape[1], i), finals[i], "o", color=COLORS[key], ms=5)
    ax.set_xticks([0, 1], [SHORT[k] for k in keys])
    ax.set_xlim(-0.4, 1.4)
    ax.set_title(title)


@figure(
    "saturation_ring_curves",
    experiments=("saturation_ring",),
    caption=(
        r"The ring of eight Gaussians in the DCGAN setting (Adam, learning rate $2\cdot10^{-4}$, "
        r"$\beta_1 = 0.5$, one discriminator step per generator step): "
        r"{saturation_ring.members} seeds, each trained with both generator losses from the "
        r"same initial weights and batches. Lines: the median over the seeds; bands: from the "
        r"smallest to the largest. Top left: $W_1$ between {saturation_ring.samples:,} "
        r"generated and as many real points (POT's exact solver; dotted: two real samples, the "
        r"floor). Top right: the generator's gradient norm. Bottom left: the discriminator's "
        r"mean output on fakes (per-step series smoothed by a running mean). Bottom right: each "
        r"seed's final $W_1$ with both losses; a grey line joins the two runs of one seed."
    ),
    alt="Four panels over {saturation_ring.steps:,} generator steps. The W1 bands of the two "
    "losses start at about {saturation_ring.w1_start_median:.1f} and overlap widely; the "
    "gradient-norm bands overlap; the mean discriminator output on fakes never comes near zero "
    "(its smallest value is {saturation_ring.min_d_fake:.2f}). Grey lines join the final W1 of "
    "the two runs of each seed.",
)
def draw_saturation_ring_curves(results):
    r = results["saturation_ring"]
    fig, axes = new_figure(2, 2, width=7.2, height=5.2)
    axes = np.ravel(axes)
    draw_ring_curves(
        r,
        [
            ("w1", r"$W_1$ to the data", False, 0),
            ("g_grad_norm", r"$\|\nabla_\theta \mathcal{L}_G\|$", True, 25),
            ("d_fake", r"$\overline{D}(G(z))$", False, 25),
        ],
        axes[:3],
    )
    paired_finals(axes[3], r, "w1", r"final $W_1$, seed by seed")
    axes[0].legend(frameon=False, fontsize=8)
    return fig


@figure(
    "saturation_ring_strong_curves",
    experiments=("saturation_ring_strong_d",),
    caption=(
        r"The same ring with a discriminator pushed towards its optimum: "
        r"{saturation_ring_strong_d.n_critic} discriminator steps per generator step and a "
        r"discriminator learning rate of {saturation_ring_strong_d.d_lr:g}, "
        r"{saturation_ring_strong_d.members} seeds, both losses from the same start in each. "
        r"Lines: the median over the seeds; bands: from the smallest to the largest. Top: the "
        r"discriminator's mean output on fakes and the generator's gradient norm (log scales, "
        r"smoothed by a short running mean). Bottom: the mean distance from a generated point "
        r"to the nearest mode centre, and $W_1$ to the data (dotted: the real-vs-real floor)."
    ),
    alt="Four panels over {saturation_ring_strong_d.steps:,} generator steps. For the "
    "saturating loss the mean output on fakes drops far below one in a hundred and its gradient "
    "norm collapses for many steps while its points stay far from every mode; the "
    "non-saturating band recovers much sooner and its points move out towards the modes.",
)
def draw_saturation_ring_strong_curves(results):
    fig, axes = new_figure(2, 2, width=7.0, height=5.0)
    axes = np.ravel(axes)
    draw_ring_curves(
        results["saturation_ring_strong_d"],
        [
            ("d_fake", r"$\overline{D}(G(z))$", True, 5),
            ("g_grad_norm", r"$\|\nabla_\theta \mathcal{L}_G\|$", True, 5),
            ("to_nearest", "distance to the nearest mode", False, 0),
            ("w1", r"$W_1$ to the data", False, 0),
        ],
        axes,
    )
    axes[0].legend(frameon=False, fontsize=8, loc="lower right")
    return fig


@figure(
    "saturation_ring_strong_samples",
    experiments=("saturation_ring_strong_d",),
    caption=(
        r"Generated points of one seed (the same {saturation_ring_strong_d.samples:,} latents "
        r"every time) with the near-optimal discriminator, at five generator steps: the start, "
        r"the two ends of the window of the text, step {saturation_ring_strong_d.compare_at} "
        r"and the last; circles mark the eight mode centres. The seed shown is the median of "
        r"the {saturation_ring_strong_d.members} by the number of steps its saturating run "
        r"spent with $\overline{D}(G(z))$ below {saturation_ring_strong_d.threshold:g} "
        r"(member {saturation_ring_strong_d.shown_member}, counting from zero)."
    ),
    alt="Two rows of five scatter plots, saturating above, non-saturating below. Both start as "
    "a small blob in the middle of the ring; by the end of the window the non-saturating points "
    "have moved further out; at the last step both runs sit on a few modes at most.",
)
def draw_saturation_ring_strong_samples(results):
    r = results["saturation_ring_strong_d"]
    last = int(r.arrays["snapshot_steps"][-1])
    s = r.scalars
    steps = snapshot_steps_near(r, [0, s["window_start"], s["window_stop"], s["compare_at"], last])
    fig, axes = new_figure(len(steps), 2, width=7.2, height=3.2)
    member = r.scalars["shown_member"]
    snapshot_grid(axes, [(r, "saturating", member), (r, "nonsaturating", member)], steps)
    return fig
