"""Figures of the chapter "When the supports do not overlap"."""

from __future__ import annotations

import numpy as np

from ganbook.engine.figures import figure
from ganbook.figures.style import COLORS, new_figure

#: One colour per width ε or per shift θ, in the order the experiments list them.
SERIES = (COLORS["theory"], COLORS["nonsaturating"], COLORS["fake"])

#: One line style per width, so that curves which coincide (W₁) stay visible.
STYLES = ({"lw": 3.0, "ls": "-"}, {"lw": 1.8, "ls": "--"}, {"lw": 1.4, "ls": ":"})

#: Where an infinite KL is drawn on the KL panel, whose only finite value is 0.
INFINITY_LEVEL = 1.0


@figure(
    "disjoint_supports_divergences",
    experiments=("disjoint_supports_divergences",),
    caption=(
        r"Four ways to compare $p_{\text{data}}$ with $p_g$ as the generator moves by $\theta$. "
        r"Lines: uniform distributions of width $\varepsilon$ on a line, $U[\pm\varepsilon/2]$ "
        r"against $U[\theta \pm \varepsilon/2]$, on a grid. Black dots: the parallel lines "
        r"$\delta_0 \times U[0, 1]$ against $\delta_\theta \times U[0, 1]$ in the plane ($W_1$ by "
        r"the transport linear program). KL is infinite at every $\theta \neq 0$, for every "
        r"width. JS and TV climb with slopes $\log 2/\varepsilon$ and $1/\varepsilon$ and stop "
        r"as soon as the supports separate ($|\theta| \ge \varepsilon$); as "
        r"$\varepsilon \to 0$ they become a jump. $W_1 = |\theta|$ whatever the width: its "
        r"slope is $1$ everywhere."
    ),
    alt="Four panels over theta. KL is drawn at an infinity level except a single zero at the "
    "origin. JS and TV rise steeply near zero and flatten at log two and one; narrower widths "
    "rise "
    "faster. W1 is the same V-shaped line for every width, and the black dots lie on it.",
)
def draw_divergences(results):
    r = results["disjoint_supports_divergences"]
    a = r.arrays
    fig, axes = new_figure(4, width=9.6, height=2.9)
    titles = (
        r"$\mathrm{KL}(p_{\mathrm{data}} \| p_g)$",
        r"$\mathrm{JS}$",
        r"TV $\delta$",
        r"$W_1$",
    )
    for k, (ax, title) in enumerate(zip(axes, titles, strict=True)):
        lines = zip(SERIES, STYLES, a["widths"], a["line"], strict=True)
        for colour, style, width, curves in lines:
            # an infinite value is drawn at INFINITY_LEVEL, and never joined to a finite one
            values = np.where(np.isinf(curves[:, k]), INFINITY_LEVEL, curves[:, k])
            if k == 0:
                values = np.where(np.isinf(curves[:, k]), INFINITY_LEVEL, np.nan)
            ax.plot(a["thetas"], values, color=colour, label=rf"$\varepsilon = {width:g}$", **style)
        plane = np.where(np.isinf(a["plane"][:, k]), INFINITY_LEVEL, a["plane"][:, k])
        ax.plot(a["plane_thetas"], plane, "o", color="black", ms=3, label="parallel lines")
        ax.set_title(title)
        ax.set_xlabel(r"$\theta$")
    axes[0].set_yticks([0.0, INFINITY_LEVEL], ["0", r"$\infty$"])
    axes[0].set_ylim(-0.05, 1.1)
    axes[1].axhline(r.scalars["log_2"], color=COLORS["neutral"], lw=0.8, ls=":")
    axes[1].set_yticks([0.0, 0.2, 0.4, r.scalars["log_2"]], ["0", "0.2", "0.4", r"$\log 2$"])
    axes[3].legend(frameon=False, loc="upper center", fontsize=7.5)
    return fig


@figure(
    "disjoint_supports_gradients",
    experiments=("disjoint_supports_gradients",),
    caption=(
        r"Data $U[\pm\varepsilon/2]$ and a generator $U[\theta \pm \varepsilon/2]$ that does not "
        r"move, $\varepsilon$ = {disjoint_supports_gradients.width:g}, so the supports are apart. "
        r"Each discriminator is trained from scratch by `discriminator_step` (Adam, the same "
        r"settings for both), in each of {disjoint_supports_gradients.members} runs with their "
        r"own seeds; every run is drawn, one thin line each. Left: the gradient the generator "
        r"would receive, by autograd. Through the logistic classifier (minimax loss, solid) it "
        r"rises while the classifier learns, then dies off; through the linear WGAN-GP critic "
        r"(dashed) it settles near $1$, and through the exact critic $f(x) = -x$ it is exactly "
        r"$1$ (dotted). Middle: the classifier's estimate of JS, $(V(D, G) + \log 4)/2$, reaches "
        r"$\log 2$ for every $\theta$: it cannot tell the three generators apart. Right: the "
        r"critic's estimate of $W_1$, $E f(x) - E f(\tilde x)$, separates them (horizontal lines: "
        r"$|\theta|$)."
    ),
    alt="Three panels over discriminator steps on a log axis, one thin line per run. Left, "
    "solid curves rise then plunge by orders of magnitude while dashed curves level off near "
    "one. Middle, three bundles of curves converge to log two. Right, three bundles level off at "
    "three different heights.",
)
def draw_gradients(results):
    r = results["disjoint_supports_gradients"]
    a = r.arrays
    steps = a["record_at"]
    fig, (grad, js, w1) = new_figure(3, width=9.6, height=3.1)
    for k, (colour, theta) in enumerate(zip(SERIES, a["thetas"], strict=True)):
        for m in range(a["classifier_grad"].shape[0]):  # every member of the ensemble
            label = rf"$\theta = {theta:g}$" if m == 0 else None
            line = {"color": colour, "lw": 0.9, "alpha": 0.7}
            grad.loglog(steps, a["classifier_grad"][m, k], label=label, **line)
            grad.loglog(steps, a["critic_grad"][m, k], ls="--", **line)
            js.semilogx(steps, a["js_estimate"][m, k], **line)
            w1.semilogx(steps, a["w1_estimate"][m, k], ls="--", **line)
        w1.axhline(abs(theta), color=colour, lw=0.7)
    grad.axhline(float(a["exact_critic_grad"][0]), color="black", lw=1.0, ls=":")
    grad.set_ylim(1e-10, 10)
    grad.set_xlabel("discriminator step")
    grad.set_ylabel(r"$|\partial \mathcal{L}_G / \partial\theta|$")
    first = grad.legend(frameon=False, loc="lower left", fontsize=8)
    styles = [
        grad.plot([], [], color="black", ls=ls, lw=1.2, label=label)[0]
        for ls, label in (("-", "classifier"), ("--", "WGAN-GP critic"), (":", r"$f(x) = -x$"))
    ]  # a second legend, of line styles, in the panel whose lines it describes
    grad.legend(handles=styles, frameon=False, loc="center left", fontsize=8)
    grad.add_artist(first)
    grad.set_title("the generator's gradient")
    js.axhline(r.scalars["log_2"], color=COLORS["neutral"], lw=0.8, ls=":")
    js.set_xlabel("discriminator step")
    js.set_title(r"classifier: $(V + \log 4)/2$")
    w1.set_xlabel("discriminator step")
    w1.set_title(r"critic: $E f(x) - E f(\tilde x)$")
    return fig
