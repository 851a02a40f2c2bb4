r"""Figures of "One objective, two players" and "Training by alternation" (Part I, ch. 3–4)."""

from __future__ import annotations

import numpy as np

from ganbook.engine.figures import figure
from ganbook.figures.style import COLORS, new_figure

FLOOR = -4.0  # the colour scale of V stops here: below it D is confidently wrong everywhere


@figure(
    "two_players_landscape",
    experiments=("two_players_value", "two_players_play"),
    caption=(
        r"The value $\bar V(\theta, \phi_1)$ of the shift toy, with the intercept $\phi_0$ at its "
        r"best value (colour; clipped below at $-4$). White arrows: the direction of "
        r"simultaneous play, $(-\partial_\theta \bar V, +\partial_{\phi_1} \bar V)$, by autograd "
        r"through `minimax_discriminator_loss` (unit length; only the direction is shown). "
        r"Dashed: the level $-\log 4$, which crosses itself at the saddle (star) "
        r"$(\theta, \phi_1) = (\mu, 0)$. Dotted: the discriminator's best slope "
        r"$\phi_1 = (\mu - \theta)/\sigma^2$, the ridge. Orange: simultaneous gradient play from "
        r"the circle; it circles the saddle and closes in on it."
    ),
    alt="A heat map over theta and the slope phi one, with a saddle at theta = "
    "{two_players_value.mu:g} where the slope is zero. Arrows swirl around the saddle; an orange "
    "path starts on the left with a flat discriminator, rises, crosses to the right and spirals "
    "into the saddle.",
)
def draw_two_players_landscape(results):
    r, play = results["two_players_value"], results["two_players_play"]
    a, s = r.arrays, r.scalars
    thetas, phi1s, mu = a["thetas"], a["phi1s"], s["mu"]
    fig, ax = new_figure(width=6.4, height=4.2)
    mesh = ax.imshow(
        np.maximum(a["value"], FLOOR),
        extent=(thetas[0], thetas[-1], phi1s[0], phi1s[-1]),
        origin="lower",
        aspect="auto",
        cmap="viridis",
        vmin=FLOOR,
        interpolation="bilinear",
    )
    fig.colorbar(mesh, ax=ax, label=r"$\bar V(\theta, \phi_1)$", shrink=0.9)
    ax.contour(thetas, phi1s, a["value"], levels=[-np.log(4.0)], colors="white", linestyles="--")
    ax.plot(thetas, (mu - thetas) / s["sigma"] ** 2, ":", color="white", lw=1.2)
    u, v = a["arrow_field"]
    norm = np.hypot(u, v)
    norm[norm == 0] = 1.0
    ax.quiver(
        a["arrow_theta"], a["arrow_phi1"], u / norm, v / norm,
        color="white", alpha=0.8, angles="xy", scale=28, width=0.004,
    )  # fmt: skip
    path = play.arrays["path"]
    ax.plot(path[:, 0], path[:, 1], color=COLORS["nonsaturating"], lw=1.6)
    ax.plot(*path[0], "o", ms=7, color=COLORS["nonsaturating"], mfc="white", zorder=4)
    ax.plot(mu, 0.0, "*", ms=14, color="white", mec="black", zorder=5)
    ax.set_xlim(thetas[0], thetas[-1])
    ax.set_ylim(phi1s[0], phi1s[-1])
    ax.grid(False)
    ax.set_xlabel(rf"$\theta$ (generator; $\mu = {mu:g}$)")
    ax.set_ylabel(r"$\phi_1$ (discriminator's slope)")
    return fig


@figure(
    "two_players_slices",
    experiments=("two_players_value",),
    caption=(
        r"The two ends of the rope. Left: for a fixed generator $\theta$, the value against the "
        r"discriminator's slope $\phi_1$ is concave; the discriminator climbs to its maximum "
        r"(dot) at $\phi_1 = (\mu - \theta)/\sigma^2$. Right: the value at that best "
        r"discriminator, against $\theta$; the generator descends it to its minimum $-\log 4$ "
        r"at $\theta = \mu$. The grey line is $\phi_1 = 0$, a blind discriminator: "
        r"$\bar V = -\log 4$ whatever $\theta$."
    ),
    alt="Left: four concave curves of the value against the slope phi one, each with a dot at "
    "its maximum; the curve for theta = mu peaks at slope zero with value minus log four. Right: "
    "a U-shaped curve against theta with its minimum minus log four at theta = "
    "{two_players_value.mu:g}, touching a flat grey line there.",
)
def draw_two_players_slices(results):
    r = results["two_players_value"]
    a, s = r.arrays, r.scalars
    mu, sigma, phi1s = s["mu"], s["sigma"], a["phi1s"]
    fig, (left, right) = new_figure(2, width=7.2, height=3.0)
    shades = [COLORS["fake"], COLORS["saturating"], COLORS["real"], COLORS["discriminator"]]
    for theta, values, colour in zip(a["slice_thetas"], a["slices"], shades, strict=True):
        left.plot(phi1s, values, color=colour, label=rf"$\theta = {theta:g}$")
        best = int(np.argmax(values))
        left.plot(phi1s[best], values[best], "o", color=colour, ms=5)
    left.set_ylim(FLOOR, 0.2)
    left.set_xlabel(r"$\phi_1$ (discriminator ascends)")
    left.set_ylabel(r"$\bar V$")
    left.legend(frameon=False, loc="lower center", ncols=2, fontsize=8)
    right.plot(a["thetas"], a["best_value"], color=COLORS["real"], label=r"$\max_{\phi_1} \bar V$")
    right.axhline(-np.log(4.0), color=COLORS["neutral"], lw=1.0, label=r"$\phi_1 = 0$")
    right.plot(mu, -np.log(4.0), "*", ms=11, color="black")
    right.set_xlabel(rf"$\theta$ (generator descends; $\mu = {mu:g}$, $\sigma = {sigma:g}$)")
    right.legend(frameon=False, loc="upper center")
    return fig


@figure(
    "two_players_play_curves",
    experiments=("two_players_play",),
    caption=(
        r"Simultaneous gradient play of the previous figures, step by step. Left: "
        r"$\theta - \mu$ and $\phi_1$ oscillate a quarter period apart and die down. Right: "
        r"the distance to the saddle on a log scale; the dashed line is the "
        r"contraction $|1 + \eta\lambda|$ per step predicted by the linearisation at the saddle."
    ),
    alt="Left: two damped oscillating curves, theta minus mu and the slope phi one, shifted by a "
    "quarter "
    "period. Right: a distance curve falling on a log scale, wiggling, and parallel to a dashed "
    "straight line in its second half.",
)
def draw_two_players_play_curves(results):
    r = results["two_players_play"]
    a, s = r.arrays, r.scalars
    path, distance = a["path"], a["distance"]
    steps = np.arange(len(distance))
    fig, (left, right) = new_figure(2, width=7.2, height=3.0)
    left.plot(steps, path[:, 0] - s["mu"], color=COLORS["fake"], label=r"$\theta - \mu$")
    left.plot(steps, path[:, 1], color=COLORS["discriminator"], label=r"$\phi_1$")
    left.axhline(0.0, color=COLORS["neutral"], lw=0.8)
    left.set_xlabel(rf"step ($\eta = {s['lr']:g}$)")
    left.legend(frameon=False)
    right.semilogy(steps, distance, color=COLORS["real"], label="distance to the saddle")
    half = len(steps) // 2
    predicted = distance[half] * s["predicted_contraction"] ** (steps - half)
    right.semilogy(steps, predicted, "--", color=COLORS["neutral"], label=r"$|1 + \eta\lambda|^k$")
    right.set_xlabel("step")
    right.legend(frameon=False)
    return fig
