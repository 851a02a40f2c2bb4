"""Figures of the chapter "When the supports do not overlap"."""

from __future__ import annotations

import numpy as np

from ganbook.figures.registry import figure
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
        r"width. JS and TV climb with slope $1/\varepsilon$ and stop as soon as the supports "
        r"separate ($|\theta| \ge \varepsilon$); as $\varepsilon \to 0$ they become a jump. "
        r"$W_1 = |\theta|$ whatever the width: its slope is 1 everywhere."
    ),
    alt="Four panels over theta. KL is drawn at an infinity level except a single zero at the "
    "origin. JS and TV rise steeply near zero and flatten at log 2 and 1; narrower widths rise "
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
        r"move, $\varepsilon = 0.1$, so the supports are apart. Each discriminator is trained "
        r"from scratch by `discriminator_step` (Adam, the same settings for both). Left: the "
        r"gradient the generator would receive, by autograd. Through the logistic classifier "
        r"(minimax loss, solid) it rises while the classifier learns, then dies off; through the "
        r"linear WGAN-GP critic (dashed) it settles near 1, and through the exact critic "
        r"$f(x) = -x$ it is exactly 1 (dotted). Middle: the classifier's estimate of JS, "
        r"$(V(D, G) + \log 4)/2$, reaches $\log 2$ for every $\theta$: it cannot tell the three "
        r"generators apart. Right: the critic's estimate of $W_1$, $E f(x) - E f(\tilde x)$, "
        r"separates them (thin lines: $|\theta|$)."
    ),
    alt="Three panels over discriminator steps on a log axis. Left, solid curves rise then "
    "plunge by many orders of magnitude while dashed curves level off near one. Middle, three "
    "curves converge to log 2. Right, three curves level off at three different heights.",
)
def draw_gradients(results):
    r = results["disjoint_supports_gradients"]
    a = r.arrays
    steps = a["record_at"]
    fig, (grad, js, w1) = new_figure(3, width=9.6, height=3.1)
    for colour, theta, sat, crit, est, w in zip(
        SERIES,
        a["thetas"],
        a["classifier_grad"],
        a["critic_grad"],
        a["js_estimate"],
        a["w1_estimate"],
        strict=True,
    ):
        grad.loglog(steps, sat, color=colour, label=rf"$\theta = {theta:g}$")
        grad.loglog(steps, crit, color=colour, ls="--")
        js.semilogx(steps, est, color=colour)
        w1.semilogx(steps, w, color=colour, ls="--")
        w1.axhline(abs(theta), color=colour, lw=0.7)
    grad.axhline(float(a["exact_critic_grad"][0]), color="black", lw=1.0, ls=":")
    grad.set_ylim(1e-10, 10)
    grad.set_xlabel("discriminator step")
    grad.set_ylabel(r"$|\partial \mathcal{L}_G / \partial\theta|$")
    grad.legend(frameon=False, loc="lower left", fontsize=8)
    for ls, label in (("-", "classifier"), ("--", "WGAN-GP critic"), (":", r"critic $f(x) = -x$")):
        js.plot([], [], color="black", ls=ls, lw=1.2, label=label)  # a legend of line styles
    js.legend(frameon=False, loc="lower right", fontsize=8)
    js.axhline(r.scalars["log_2"], color=COLORS["neutral"], lw=0.8, ls=":")
    js.set_xlabel("discriminator step")
    js.set_title(r"classifier: $(V + \log 4)/2$")
    w1.set_xlabel("discriminator step")
    w1.set_title(r"critic: $E f(x) - E f(\tilde x)$")
    return fig
