"""Figures of the least-squares chapter."""

from __future__ import annotations

import numpy as np

from ganbook.engine.figures import figure
from ganbook.figures.plotting import (
    LOSS_COLORS,
    SHORT,
    ensemble_band,
    shared_thetas,
    snapshot_grid,
    snapshot_steps_near,
)
from ganbook.figures.style import COLORS, new_figure

CODINGS = {
    "pearson": (r"$a = -1,\ b = 1$", COLORS["discriminator"]),
    "binary": (r"$a = 0,\ b = 1$", COLORS["theory"]),
}


def density_background(ax, x, p, q, scale: float) -> None:
    r"""$p_{\text{data}}$ and $p_g$, scaled to share the axis of a discriminator's output."""
    ax.fill_between(
        x, scale * p, color=COLORS["real"], alpha=0.18, lw=0, label=r"$p_{\mathrm{data}}$"
    )
    ax.fill_between(x, scale * q, color=COLORS["fake"], alpha=0.18, lw=0, label=r"$p_g$")


@figure(
    "least_squares_optimal_discriminator",
    experiments=("least_squares_optimal_discriminator", "least_squares_trained_discriminator"),
    caption=(
        r"Left: the least-squares optimal discriminator $D^* = (b\,p_{\text{data}} + a\,p_g) / "
        r"(p_{\text{data}} + p_g)$ on the shift toy (real $N(0, 1)$, fake $N(-2, 1)$, densities "
        r"shaded) for two codings: lines from the formula, dots from minimising "
        r"$\tfrac12 p_{\text{data}}(D - b)^2 + \tfrac12 p_g(D - a)^2$ at each $x$ with a generic "
        r"scalar solver. Right: an MLP discriminator trained by the trainer's "
        r"`discriminator_step` with the registry's least-squares loss ($a = 0$, $b = 1$), at a "
        r"few steps of training (lighter: earlier), against its $D^*$ (dashed), over a wider "
        r"range of $x$. Of {least_squares_trained_discriminator.members} seeds it shows the "
        r"median one by the final error (member "
        r"{least_squares_trained_discriminator.shown_member}, counting from zero); thin grey "
        r"lines: the final output of the others."
    ),
    alt="Left: two S-shaped curves, one from minus one to one and one from zero to one, with "
    "dots on them. Right: the trained network's output approaching the dashed optimal curve "
    "where the densities are, and running on along straight lines beyond them, differently for "
    "each seed.",
)
def draw_least_squares_optimal_discriminator(results):
    exact = results["least_squares_optimal_discriminator"]
    trained = results["least_squares_trained_discriminator"]
    fig, (left, right) = new_figure(2, width=7.6, height=3.0)
    x = exact.arrays["x"]
    density_background(left, x, exact.arrays["p"], exact.arrays["q"], 2.0)
    step = max(1, len(x) // 40)
    for key, (label, color) in CODINGS.items():
        left.plot(x, exact.arrays[f"{key}_formula"], color=color, label=label)
        left.plot(x[::step], exact.arrays[f"{key}_searched"][::step], "o", ms=3, color=color)
    left.set_xlabel("$x$")
    left.set_ylabel(r"$D^*(x)$")
    left.set_title("formula (lines) and pointwise minimiser (dots)")
    left.legend(frameon=False, loc="upper left", fontsize=8)
    x = trained.arrays["x"]
    density_background(right, x, trained.arrays["p"], trained.arrays["q"], 2.0)
    steps, member = trained.arrays["record_at"], trained.scalars["shown_member"]
    outputs = trained.arrays["outputs"]  # (members, recorded steps, x)
    for k, others in enumerate(outputs[:, -1]):
        if k != member:
            right.plot(x, others, color=COLORS["neutral"], lw=0.7, alpha=0.6)
    for i, (step, output) in enumerate(zip(steps, outputs[member], strict=True)):
        alpha = 0.3 + 0.7 * i / max(1, len(steps) - 1)
        right.plot(x, output, color=COLORS["discriminator"], alpha=alpha, label=f"step {step}")
    right.plot(x, trained.arrays["target"], color="black", ls="--", lw=1.2, label=r"$D^*$")
    right.set_xlabel("$x$")
    right.set_title(r"trained by discriminator_step, $a = 0$, $b = 1$")
    right.set_ylim(-1.0, 2.0)
    right.legend(frameon=False, loc="lower right", fontsize=7, ncols=2)
    return fig


@figure(
    "least_squares_pearson",
    experiments=("least_squares_pearson",),
    caption=(
        r"The generator's objective at the optimal discriminator on the shift toy, as discrete "
        r"distributions on a grid, over $\theta$. Pearson coding ($a = -1$, $b = 1$, $c = 0$): "
        r"$2C(G)$ (line) and $\sum (2q - (p + q))^2/(p + q)$ (dots) coincide; the other order "
        r"of the arguments, $\sum ((p + q) - 2q)^2/(2q)$ (dashed), is a different quantity. "
        r"The coding $a = 0$, $b = c = 1$: $2C(G) = \sum q^2/(p + q)$, smallest at "
        r"$\theta = \mu$ with value $\tfrac12$ (dotted)."
    ),
    alt="A U-shaped curve with dots on it, zero at theta equal to mu; a steeper dashed curve; a "
    "shallower curve for the zero-one coding whose minimum is one half.",
)
def draw_least_squares_pearson(results):
    r = results["least_squares_pearson"]
    thetas = r.arrays["thetas"]
    fig, ax = new_figure(width=7.6, height=3.0)
    color = CODINGS["pearson"][1]
    ax.plot(thetas, r.arrays["two_c"], color=color, label=r"$2C(G)$, $a, b, c = -1, 1, 0$")
    step = max(1, len(thetas) // 30)
    ax.plot(
        thetas[::step],
        r.arrays["chi2"][::step],
        "o",
        ms=3.5,
        color=COLORS["fake"],
        label=r"$\sum (2q - (p + q))^2 / (p + q)$",
    )
    ax.plot(
        thetas,
        r.arrays["chi2_swapped"],
        ls="--",
        color=COLORS["neutral"],
        label=r"$\sum ((p + q) - 2q)^2 / (2q)$",
    )
    ax.plot(
        thetas,
        r.arrays["binary_two_c"],
        color=CODINGS["binary"][1],
        label=r"$2C(G)$, $a, b, c = 0, 1, 1$",
    )
    ax.axhline(0.5, color=CODINGS["binary"][1], ls=":", lw=1)
    ax.set_ylim(-0.1, 2.6)
    ax.set_xlabel(r"$\theta$ (with $\mu = 0$, $\sigma = 1$)")
    ax.set_ylabel("value")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return fig


@figure(
    "least_squares_generator_losses",
    experiments=("least_squares_generator_losses",),
    caption=(
        r"Three generator losses against what the discriminator says about a fake sample. "
        r"For the two logit losses the network outputs $\ell$ and $D = \sigma(\ell)$; for least "
        r"squares (coding $a = 0$, $b = c = 1$) the network's raw output $s$ is $D$. Left: the "
        r"losses. "
        r"Middle: their derivative with respect to the network's own output ($\ell$ or $s$), "
        r"by autograd through the package's losses; least squares coincides with the "
        r"non-saturating loss on $(0, 1)$. Dotted: least squares put after a sigmoid, "
        r"$\tfrac12(\sigma(\ell) - 1)^2$, which saturates at both ends. Right: the same "
        r"derivatives over a wider range of the raw output."
    ),
    alt="Three panels. The losses over D from zero to one; their gradients, where least squares "
    "lies on the non-saturating line and the sigmoid version is a small bump; over a wide range "
    "the least-squares gradient is a straight line while the logit losses level off.",
)
def draw_least_squares_generator_losses(results):
    r = results["least_squares_generator_losses"]
    d, s = r.arrays["d"], r.arrays["s"]
    fig, axes = new_figure(3, width=8.4, height=3.0)
    styles = {
        "saturating": {"color": LOSS_COLORS["saturating"]},
        "nonsaturating": {"color": LOSS_COLORS["nonsaturating"]},
        "ls": {"color": LOSS_COLORS["ls"], "ls": "--"},
        "ls_sigmoid": {"color": LOSS_COLORS["ls"], "ls": ":"},
    }
    names = {**SHORT, "ls_sigmoid": r"least squares on $\sigma(\ell)$"}
    for key, style in styles.items():
        axes[0].plot(d, r.arrays[key], label=names[key], **style)
        axes[1].plot(d, r.arrays[f"{key}_grad"], **style)
        if key != "ls_sigmoid":
            axes[2].plot(s, r.arrays[f"wide_{key}_grad"], **style)
    axes[0].set_ylim(-4, 4)
    axes[0].set_xlabel(r"$D(G(z))$")
    axes[0].set_title(r"$\mathcal{L}_G$ per sample")
    axes[0].legend(frameon=False, fontsize=7, loc="upper right")
    axes[1].set_xlabel(r"$D(G(z))$")
    axes[1].set_title(r"$\partial\mathcal{L}_G / \partial(\mathrm{output})$")
    axes[2].set_xlabel(r"raw output $\ell$ or $s$")
    axes[2].set_title("the same, wider")
    axes[2].axvspan(0, 1, color=COLORS["neutral"], alpha=0.1, lw=0)
    return fig


@figure(
    "least_squares_shift_toy_gradient",
    experiments=("shift_toy_gradients", "least_squares_shift_toy_gradient"),
    caption=(
        r"The shift toy with each loss's own optimal discriminator: the generator's gradient "
        r"$|\partial\mathcal{L}_G / \partial\theta|$ against $\theta$ (log scale). The two logit "
        r"losses come from the experiment `shift_toy_gradients`; least squares is differentiated "
        r"by autograd through `least_squares_generator_loss` at "
        r"$D^* = (b\,p_{\text{data}} + a\,p_g)/(p_{\text{data}} + p_g)$, for both codings. At "
        r"its optimum the least-squares discriminator is flat far from the data, and the "
        r"gradient vanishes as the saturating one does."
    ),
    alt="Log-scale curves over theta: the non-saturating gradient grows away from the data; "
    "the saturating and both least-squares gradients peak near the data and fall towards zero "
    "far from it.",
)
def draw_least_squares_shift_toy_gradient(results):
    logit, ls = results["shift_toy_gradients"], results["least_squares_shift_toy_gradient"]
    thetas = shared_thetas(logit, ls)
    fig, ax = new_figure(width=6.0, height=3.2)
    for key in ("saturating", "nonsaturating"):
        ax.semilogy(thetas, np.abs(logit.arrays[key]), color=LOSS_COLORS[key], label=SHORT[key])
    for key, (label, color) in CODINGS.items():
        ax.semilogy(
            thetas,
            ls.arrays[key],
            color=color,
            ls="--",
            label=f"least squares, {label}" + (r", $c = 0$" if key == "pearson" else r", $c = 1$"),
        )
    ax.set_ylim(1e-6, 1e2)
    ax.set_xlabel(r"$\theta$ (with $\mu = 0$, $\sigma = 1$)")
    ax.set_ylabel(r"$|\partial \mathcal{L}_G / \partial \theta|$ at $D^*$")
    ax.legend(frameon=False, loc="upper center", ncols=2, fontsize=8)
    return fig


@figure(
    "least_squares_ring_samples",
    experiments=("saturation_ring", "least_squares_ring"),
    caption=(
        r"Generated points on the ring over training (the same {least_squares_ring.samples:,} "
        r"latents at every step; circles: the eight mode centres), for three generator losses "
        r"trained in the same DCGAN setting from the same initial weights and batches. Of "
        r"{least_squares_ring.members} seeds it shows one, the median by the least-squares "
        r"run's final $W_1$ (member {least_squares_ring.shown_member}, counting from zero); the "
        r"first two rows are that seed's runs in the [saturation chapter](saturation.md)."
    ),
    alt="Three rows of five scatter plots: saturating, non-saturating and least squares. Each "
    "row starts from the same small blob in the middle; the rows then go their own ways.",
)
def draw_least_squares_ring_samples(results):
    logit, ls = results["saturation_ring"], results["least_squares_ring"]
    last = int(ls.arrays["snapshot_steps"][-1])
    steps = snapshot_steps_near(ls, [0, last / 8, last / 4, last / 2, last])
    member = ls.scalars["shown_member"]
    fig, axes = new_figure(len(steps), 3, width=7.2, height=4.6)
    rows = [(logit, "saturating", member), (logit, "nonsaturating", member), (ls, "ls", member)]
    snapshot_grid(axes, rows, steps)
    return fig


@figure(
    "least_squares_ring_w1",
    experiments=("saturation_ring", "least_squares_ring"),
    caption=(
        r"$W_1$ between {least_squares_ring.samples:,} generated and as many real points over "
        r"training, for the three losses of the figure above, each over the "
        r"{least_squares_ring.members} seeds: the median (line) and the smallest to the largest "
        r"(band). POT's exact solver; dotted: two real samples, the floor."
    ),
    alt="Three wide, overlapping bands of W1 over the generator steps, one per loss, all "
    "starting at the same value, above the dotted floor.",
)
def draw_least_squares_ring_w1(results):
    logit, ls = results["saturation_ring"], results["least_squares_ring"]
    fig, ax = new_figure(width=6.0, height=2.8)
    for result, key in ((logit, "saturating"), (logit, "nonsaturating"), (ls, "ls")):
        steps, w1 = result.arrays["snapshot_steps"], result.arrays[f"{key}_w1"]
        ensemble_band(ax, steps, w1, LOSS_COLORS[key], SHORT[key], marker="o", ms=3)
    ax.axhline(ls.scalars["w1_floor"], color=COLORS["neutral"], ls=":", lw=1)
    ax.set_xlabel("generator step")
    ax.set_ylabel(r"$W_1$ to the data")
    ax.legend(frameon=False)
    return fig
