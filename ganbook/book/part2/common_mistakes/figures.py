"""Figures of the common-mistakes chapter: the snippets' generator gradients, smoothed D*."""

from __future__ import annotations

from ganbook.engine.figures import figure
from ganbook.figures.style import COLORS, new_figure

CURVES = (  # key, label, colour, line style
    ("nonsaturating", r"non-saturating, $-(1 - D)$", "nonsaturating", "-"),
    ("keras", r'Keras-style "minimax" (the same curve)', "neutral", (0, (2, 3))),
    ("minimax", r"true minimax, $-D$", "saturating", "-"),
    ("flipped", r"sign flipped, $+(1 - D)$", "fake", "-"),
    ("double_sigmoid", "probabilities fed as logits", "theory", "-"),
    ("sigmoid_ls", r"least squares behind a sigmoid, $-(1 - D)^2 D$", "discriminator", "-"),
)


@figure(
    "mistakes_generator_gradients",
    experiments=("mistakes_generator_gradients",),
    caption=(
        r"The generator's gradient $\partial\mathcal{L}_G/\partial\ell$ in the discriminator's "
        r"logit on one fake, against $D(G(z)) = \sigma(\ell)$, by autograd through each snippet "
        r"of the page and through `nonsaturating_generator_loss` and `minimax_generator_loss` "
        r"(double precision, {mistakes_generator_gradients.points} logits). A gradient below zero "
        r"raises the logit when the generator descends; above zero it lowers it. Dots mark "
        r"$D(G(z))$ = {mistakes_generator_gradients.probe:g}."
    ),
    alt="Six curves over D from zero to one. The Keras-style minimax curve lies on the "
    "non-saturating line from minus one to zero; the true minimax line runs from zero to minus "
    "one; the sign-flipped curve mirrors the non-saturating one above zero; the curves for "
    "probabilities fed as logits and for least squares behind a sigmoid stay close to zero "
    "everywhere and vanish at both ends.",
)
def draw_mistakes_generator_gradients(results):
    r = results["mistakes_generator_gradients"]
    d, s = r.arrays["d"], r.scalars
    fig, ax = new_figure(width=7.8, height=3.4)
    for key, label, colour, style in CURVES:
        ax.plot(d, r.arrays[key], color=COLORS[colour], ls=style, label=label)
        ax.plot(s["probe"], s[f"{key}_at_probe"], "o", color=COLORS[colour], ms=4)
    ax.axhline(0.0, color=COLORS["neutral"], lw=0.8)
    ax.set_xlabel(r"$D(G(z)) = \sigma(\ell)$")
    ax.set_ylabel(r"$\partial \mathcal{L}_G / \partial \ell$")
    ax.set_ylim(-1.1, 1.1)
    ax.legend(frameon=False, fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


@figure(
    "mistakes_label_smoothing",
    experiments=("mistakes_label_smoothing",),
    caption=(
        r"The optimal discriminator between two unit Gaussians $p_{\text{data}}$ (mean "
        r"{mistakes_label_smoothing.mu_data:g}) and $p_g$ (mean "
        r"{mistakes_label_smoothing.mu_model:g}) on a grid, found by minimising "
        r"`minimax_discriminator_loss` point by point (bisection on its autograd derivative), "
        r"without smoothing and with TF-GAN's default `label_smoothing` = "
        r"{mistakes_label_smoothing.smoothing:g}. Dashed: the closed forms "
        r"$p_{\text{data}}/(p_{\text{data}} + p_g)$ and $(1 - s/2)$ times it."
    ),
    alt="Two falling sigmoid-shaped curves over x: the plain optimal discriminator falls from "
    "one to zero through one half where the densities cross; the smoothed one falls from "
    "{mistakes_label_smoothing.real_target:g} to zero through "
    "{mistakes_label_smoothing.smoothed_at_middle:.4f}. Dashed closed forms lie on both.",
)
def draw_mistakes_label_smoothing(results):
    r = results["mistakes_label_smoothing"]
    a, s = r.arrays, r.scalars
    ratio = a["p"] / (a["p"] + a["q"])
    fig, ax = new_figure(width=6.0, height=3.0)
    ax.plot(a["x"], a["plain"], color=COLORS["discriminator"], label="no smoothing")
    ax.plot(
        a["x"], a["smoothed"], color=COLORS["fake"], label=f"label_smoothing = {s['smoothing']:g}"
    )
    for target, colour in ((1.0, "discriminator"), (s["real_target"], "fake")):
        ax.plot(a["x"], target * ratio, color=COLORS["neutral"], ls="--", lw=1, zorder=3)
        ax.axhline(target, color=COLORS[colour], ls=":", lw=0.8)
    ax.set_xlabel("$x$")
    ax.set_ylabel(r"$D^*(x)$")
    ax.legend(frameon=False, loc="lower left")
    return fig
