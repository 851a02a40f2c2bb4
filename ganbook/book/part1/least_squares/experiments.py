r"""Experiments of the least-squares chapter (Mao et al., 2017): codings, $D^*$, Pearson $\chi^2$.

The discriminator regresses its raw output onto $b$ on real data and $a$ on generated data; the
generator pulls its samples' outputs towards $c$. On the shift toy ($p_{\text{data}} =
N(\mu, \sigma^2)$, $p_g = N(\theta, \sigma^2)$) every claim of the chapter is checked by a second,
independent route: the optimal discriminator by a generic scalar minimiser, the $\chi^2$ identity
by two sums that share nothing but the densities, the gradients by autograd through the package's
losses. The two trained experiments are seed ensembles: MLP discriminators against a fixed
generator (`train_discriminator` of `ganbook.measures`), and the ring ensemble in the settings of
the saturation chapter's (`ring_loss_runs`, `DCGAN_RING`). The optimum itself is
`ganbook.theory.least_squares_optimal_discriminator`.
"""

from __future__ import annotations

import numpy as np
import torch
from scipy import optimize, stats

from ganbook.data import gaussian_1d
from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.losses import (
    least_squares_generator_loss,
    minimax_generator_loss,
    nonsaturating_generator_loss,
)
from ganbook.measures.fixed_generator import fixed_generator_game, train_discriminator
from ganbook.measures.shift_toy import (
    SHIFT_TOY,
    SHIFT_TOY_THETAS,
    SHIFT_TOY_THETAS_TEST,
    nearest_index,
    optimal_logistic_discriminator,
    theta_grid,
)
from ganbook.measures.summaries import add_spread, median_member
from ganbook.measures.toy_runs import (
    DCGAN_RING,
    DCGAN_RING_FULL,
    DCGAN_RING_TEST,
    ring_loss_runs,
)
from ganbook.models import MLPDiscriminator, ShiftGenerator
from ganbook.theory import least_squares_optimal_discriminator, optimal_discriminator

PEARSON_CODING = {"a": -1.0, "b": 1.0, "c": 0.0}
r"""$b - c = 1$ and $b - a = 2$: the coding for which the generator minimises Pearson $\chi^2$."""
BINARY_CODING = {"a": 0.0, "b": 1.0, "c": 1.0}
r"""The 0-1 coding: the package's (and TF-GAN's) default labels."""


def pointwise_minimiser(p: float, q: float, a: float, b: float) -> float:
    r"""Minimise $\tfrac12 p (D - b)^2 + \tfrac12 q (D - a)^2$ over $D$ with a generic solver."""
    objective = lambda d: 0.5 * p * (d - b) ** 2 + 0.5 * q * (d - a) ** 2  # noqa: E731
    low, high = min(a, b) - 1.0, max(a, b) + 1.0
    found = optimize.minimize_scalar(
        objective, bounds=(low, high), method="bounded", options={"xatol": 1e-12}
    )
    return float(found.x)


def shift_toy_densities(mu: float, theta: float, sigma: float, x: np.ndarray):
    r"""$p_{\text{data}}$ and $p_g$ of the shift toy at the points ``x``."""
    return stats.norm.pdf(x, mu, sigma), stats.norm.pdf(x, theta, sigma)


@experiment(
    "least_squares_optimal_discriminator",
    params={**SHIFT_TOY, "theta": -2.0, "span": 6.0, "points": 241},
    test={"points": 61},
    uses_torch_device=False,
    title="Least-squares D* = (b p + a q)/(p + q) against a pointwise numerical minimiser",
)
def least_squares_optimum_against_solver(params, _context: RunContext) -> ExperimentResult:
    mu, sigma, theta = params["mu"], params["sigma"], params["theta"]
    x = np.linspace(mu - params["span"], mu + params["span"], params["points"])
    p, q = shift_toy_densities(mu, theta, sigma, x)
    arrays = {"x": x, "p": p, "q": q}
    scalars = {"theta": theta}
    for name, coding in (("pearson", PEARSON_CODING), ("binary", BINARY_CODING)):
        a, b = coding["a"], coding["b"]
        formula = least_squares_optimal_discriminator(p, q, a, b)
        searched = np.array(
            [pointwise_minimiser(pi, qi, a, b) for pi, qi in zip(p, q, strict=True)]
        )
        arrays[f"{name}_formula"], arrays[f"{name}_searched"] = formula, searched
        scalars[f"{name}_max_gap"] = float(np.max(np.abs(formula - searched)))
    # with a = 0, b = 1 the regression optimum is the classifier's optimum p / (p + q)
    gap = np.abs(arrays["binary_formula"] - optimal_discriminator(p, q))
    scalars["binary_vs_classifier_gap"] = float(np.max(gap))
    return ExperimentResult(arrays=arrays, scalars=scalars)


def train_least_squares_discriminator(params, context: RunContext, record_at: list[int]):
    r"""Train an MLP $D$ by the trainer's `discriminator_step` with the "least-squares" loss.

    The registry's least-squares pair uses the 0-1 coding ($a = 0$, $b = 1$), so $D$ should
    approach $p_{\text{data}}/(p_{\text{data}} + p_g)$. The generator $x = z + \theta$ never moves
    (`fixed_generator_game`, `train_discriminator` of `ganbook.measures`). The
    initial weights come from the stream ``"init-d"`` of ``context`` (one member of an ensemble).
    Returns $D$'s raw output on the grid ``params["x"]`` at each step of ``record_at``.
    """
    mu, sigma = params["mu"], params["sigma"]
    d = MLPDiscriminator(
        in_dim=1, hidden=params["hidden"], depth=2, generator=context.stream("init-d")
    )
    adam = torch.optim.Adam(d.parameters(), lr=params["lr"], betas=(0.5, 0.999))
    gan = fixed_generator_game(
        ShiftGenerator(params["theta"]), d, adam, "least-squares", context, 1
    )
    grid = torch.tensor(params["x"], dtype=torch.float32, device=context.device).unsqueeze(1)
    outputs = []

    def record(step: int) -> None:
        if step in record_at:
            with torch.no_grad():
                outputs.append(d(grid).squeeze(1).double().cpu().numpy())

    record(0)
    train_discriminator(
        gan,
        lambda n, generator: gaussian_1d(n, mean=mu, std=sigma, generator=generator),
        steps=params["steps"],
        batch_size=params["batch_size"],
        context=context,
        offset=1,
        after_step=record,
    )
    return np.stack(outputs)


@experiment(
    "least_squares_trained_discriminator",
    params={
        **SHIFT_TOY,
        **{"theta": -2.0, "steps": 800, "batch_size": 256, "hidden": 64, "lr": 2e-3},
        **{"span": 9.0, "points": 361, "record": [0, 25, 100], "members": 5},
    },
    test={"steps": 150, "points": 91, "record": [0, 25], "members": 2},
    full={"members": 10},
    title="MLP discriminators trained by discriminator_step, least squares (a = 0, b = 1), vs D*",
)
def least_squares_trained_discriminator(params, context: RunContext) -> ExperimentResult:
    mu, sigma, theta = params["mu"], params["sigma"], params["theta"]
    x = np.linspace(mu - params["span"], mu + params["span"], params["points"])
    record_at = sorted({*params["record"], params["steps"]})
    members = context.members(params["members"])
    # raw outputs per member and recorded step: (members, n_record, n_x)
    outputs = np.stack(
        [train_least_squares_discriminator({**params, "x": x}, m, record_at) for m in members]
    )
    p, q = shift_toy_densities(mu, theta, sigma, x)
    target = least_squares_optimal_discriminator(p, q, BINARY_CODING["a"], BINARY_CODING["b"])
    mixture = 0.5 * (p + q)  # where the training samples come from
    rms = np.sqrt(((outputs - target) ** 2 * mixture).sum(axis=2) / mixture.sum())  # (K, R)
    # at the ends of the grid, where no sample lands: how far outside [a, b] = [0, 1] it runs
    outside = np.maximum(-outputs[:, -1, 0], outputs[:, -1, -1] - 1.0)
    shown = median_member(rms[:, -1])
    arrays = dict(x=x, p=p, q=q, target=target, outputs=outputs, rms=rms, outside=outside)
    return ExperimentResult(
        arrays={**arrays, "record_at": np.array(record_at)},
        scalars={
            "theta": theta,
            "members": len(members),
            "steps": params["steps"],
            "shown_member": shown,
            "initial_rms_min": float(rms[:, 0].min()),
            "initial_rms_median": float(np.median(rms[:, 0])),
            "final_rms_median": float(np.median(rms[:, -1])),
            "final_rms_max": float(rms[:, -1].max()),
            "final_rms_min": float(rms[:, -1].min()),
            "rms_ratio_min": float((rms[:, 0] / rms[:, -1]).min()),
            "outside_min": float(outside.min()),
            "outside_max": float(outside.max()),
            # the member the figure shows
            "far_left_output": float(outputs[shown, -1, 0]),
            "far_right_output": float(outputs[shown, -1, -1]),
            "far_left_target": float(target[0]),
            "far_right_target": float(target[-1]),
        },
    )


def pearson_terms(p: np.ndarray, q: np.ndarray, coding) -> tuple[float, float]:
    r"""$2C(G)$ by the generator's objective at $D^*$, and Mao et al.'s $\chi^2$ integral.

    $2C = \sum p(D^* - c)^2 + \sum q(D^* - c)^2$, and
    $\sum ((b - c)(p + q) - (b - a) q)^2 / (p + q)$, which for $b - c = 1$, $b - a = 2$ is
    $\sum (2q - (p + q))^2 / (p + q)$. Points where $p + q = 0$ contribute nothing.
    """
    a, b, c = coding["a"], coding["b"], coding["c"]
    keep = (p + q) > 0
    p, q = p[keep], q[keep]
    d_star = least_squares_optimal_discriminator(p, q, a, b)
    two_c = float((p * (d_star - c) ** 2).sum() + (q * (d_star - c) ** 2).sum())
    chi2 = float((((b - c) * (p + q) - (b - a) * q) ** 2 / (p + q)).sum())
    return two_c, chi2


@experiment(
    "least_squares_pearson",
    params={**SHIFT_TOY, "theta_span": 4.0, "thetas": 81, "span": 12.0, "points": 2401},
    test={"thetas": 17, "points": 601},
    uses_torch_device=False,
    title="2·C(G) at the least-squares D* against the Pearson χ² of p + q and 2q, over θ",
)
def least_squares_pearson(params, _context: RunContext) -> ExperimentResult:
    mu, sigma = params["mu"], params["sigma"]
    thetas = np.linspace(mu - params["theta_span"], mu + params["theta_span"], params["thetas"])
    x = np.linspace(mu - params["span"], mu + params["span"], params["points"])
    p = stats.norm.pdf(x, mu, sigma)
    p /= p.sum()  # a discrete distribution on the grid
    rows = {"two_c": [], "chi2": [], "chi2_swapped": [], "binary_two_c": [], "binary_closed": []}
    for theta in thetas:
        q = stats.norm.pdf(x, theta, sigma)
        q /= q.sum()
        two_c, chi2 = pearson_terms(p, q, PEARSON_CODING)
        rows["two_c"].append(two_c)
        rows["chi2"].append(chi2)
        # the other order of the arguments: sum ((p + q) - 2q)^2 / (2q)
        rows["chi2_swapped"].append(float(((p - q) ** 2 / (2 * q)).sum()))
        rows["binary_two_c"].append(pearson_terms(p, q, BINARY_CODING)[0])
        rows["binary_closed"].append(float((q**2 / (p + q)).sum()))
    arrays = {"thetas": thetas, **{k: np.array(v) for k, v in rows.items()}}
    centre, one_sigma = nearest_index(thetas, mu), nearest_index(thetas, mu - sigma)
    return ExperimentResult(
        arrays=arrays,
        scalars={
            "max_gap": float(np.max(np.abs(arrays["two_c"] - arrays["chi2"]))),
            "binary_max_gap": float(
                np.max(np.abs(arrays["binary_two_c"] - arrays["binary_closed"]))
            ),
            "at_mu": float(arrays["two_c"][centre]),
            "binary_at_mu": float(arrays["binary_two_c"][centre]),
            "binary_min": float(arrays["binary_two_c"].min()),
            "binary_argmin": float(thetas[int(np.argmin(arrays["binary_two_c"]))]),
            "at_1sigma": float(arrays["two_c"][one_sigma]),
            "swapped_at_1sigma": float(arrays["chi2_swapped"][one_sigma]),
        },
    )


def output_gradients(values: np.ndarray) -> dict[str, np.ndarray]:
    r"""Each generator loss and its derivative with respect to the network's own output.

    ``values`` are probabilities $D \in (0, 1)$. The logit losses see $\ell = \mathrm{logit}(D)$
    and are differentiated in $\ell$; least squares on the raw output sees $s = D$ and is
    differentiated in $s$; least squares through a sigmoid sees $\ell$ and squares
    $\sigma(\ell) - 1$. All by autograd through the package's functions, float64.
    """
    losses = {
        "saturating": minimax_generator_loss,
        "nonsaturating": nonsaturating_generator_loss,
        "ls": least_squares_generator_loss,
        "ls_sigmoid": lambda ell, reduction: least_squares_generator_loss(
            torch.sigmoid(ell), reduction=reduction
        ),
    }
    out = {}
    d = torch.tensor(values, dtype=torch.float64)
    for key, loss in losses.items():
        leaf = (d.clone() if key == "ls" else torch.logit(d)).requires_grad_(True)
        terms = loss(leaf, reduction="none")
        (grad,) = torch.autograd.grad(terms.sum(), leaf)
        out[key], out[f"{key}_grad"] = terms.detach().numpy(), grad.numpy()
    return out


@experiment(
    "least_squares_generator_losses",
    params={"points": 999, "probe": 0.01, "outputs": [-4.0, 4.0]},
    test={"points": 99},
    uses_torch_device=False,
    title="Saturating, non-saturating and least-squares generator losses and their gradients",
)
def least_squares_generator_losses(params, _context: RunContext) -> ExperimentResult:
    d = np.linspace(0.0, 1.0, params["points"] + 2)[1:-1]  # open interval (0, 1)
    curves = output_gradients(d)
    probe = output_gradients(np.array([params["probe"]]))
    # beyond (0, 1): the gradient in the raw output s, for the logit losses s = ℓ
    s = np.linspace(*params["outputs"], 161)
    wide = output_gradients(1.0 / (1.0 + np.exp(-s)))
    wide["ls_grad"] = s - 1.0  # least squares at raw output s (checked in (0, 1) above)
    return ExperimentResult(
        arrays={"d": d, **curves, "s": s, **{f"wide_{k}": v for k, v in wide.items()}},
        scalars={
            "probe": params["probe"],
            **{
                f"{k}_at_probe": float(abs(probe[f"{k}_grad"][0]))
                for k in ("saturating", "nonsaturating", "ls", "ls_sigmoid")
            },
            "ls_vs_nonsaturating_gap": float(
                np.max(np.abs(curves["ls_grad"] - curves["nonsaturating_grad"]))
            ),
        },
    )


@experiment(
    "least_squares_shift_toy_gradient",
    params={**SHIFT_TOY, **SHIFT_TOY_THETAS, "nodes": 80},
    test=SHIFT_TOY_THETAS_TEST,
    uses_torch_device=False,
    title="Shift toy: the least-squares generator gradient at the least-squares D*, over θ",
)
def least_squares_shift_toy_gradient(params, _context: RunContext) -> ExperimentResult:
    mu, sigma, thetas = params["mu"], params["sigma"], theta_grid(params)
    z_nodes, weights = np.polynomial.hermite_e.hermegauss(params["nodes"])
    z = torch.tensor(z_nodes * sigma, dtype=torch.float64)
    w = torch.tensor(weights / weights.sum(), dtype=torch.float64)
    arrays = {"thetas": thetas}
    for name, coding in (("pearson", PEARSON_CODING), ("binary", BINARY_CODING)):
        a, b, c = coding["a"], coding["b"], coding["c"]
        grads = []
        for value in thetas:
            theta = torch.tensor(float(value), dtype=torch.float64, requires_grad=True)
            # (b p + a q)/(p + q) = a + (b - a) σ(ℓ*), ℓ* the logit of the classifier's D*
            ell = optimal_logistic_discriminator(mu, float(value), sigma)((z + theta)[:, None])
            d_star = a + (b - a) * torch.sigmoid(ell.squeeze(1))
            terms = least_squares_generator_loss(d_star, real_label=c, reduction="none")
            (grad,) = torch.autograd.grad((w * terms).sum(), theta)
            grads.append(abs(grad.item()))
        arrays[name] = np.array(grads)
    at_eight, at_two = nearest_index(thetas, mu - 8 * sigma), nearest_index(thetas, mu - 2 * sigma)
    return ExperimentResult(
        arrays=arrays,
        scalars={
            "pearson_at_8sigma": float(arrays["pearson"][at_eight]),
            "pearson_at_2sigma": float(arrays["pearson"][at_two]),
            "binary_at_8sigma": float(arrays["binary"][at_eight]),
            "pearson_peak_theta": float(thetas[int(np.argmax(arrays["pearson"]))]),
        },
    )


@experiment(
    "least_squares_ring",
    params={**DCGAN_RING, "settle": 100},
    test={**DCGAN_RING_TEST, "settle": 10},
    full=DCGAN_RING_FULL,
    title="Ring of 8 Gaussians, DCGAN setting, least squares (a = 0, b = c = 1): seed ensemble",
)
def least_squares_ring(params, context: RunContext) -> ExperimentResult:
    arrays, scalars = ring_loss_runs(["least-squares"], params, context)
    # the mean raw score on fakes (their target is 0) once D has left its initialisation
    settled = arrays["ls_d_fake"][:, params["settle"] :].min(axis=1)
    arrays["ls_min_d_fake"] = settled
    add_spread(scalars, "ls_min_d_fake", settled)
    scalars["settle"] = params["settle"]
    # the member the sample figure shows (the same member of the two logit losses beside it)
    scalars["shown_member"] = median_member(arrays["ls_w1"][:, -1])
    return ExperimentResult(arrays=arrays, scalars=scalars)
