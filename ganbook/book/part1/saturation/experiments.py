r"""Experiments of the saturation chapter: how much gradient each generator loss passes on.

- ``saturation_logit_gradients``: $\partial\mathcal{L}_G/\partial\ell$ and
  $\partial\mathcal{L}_G/\partial D$ of the saturating and non-saturating losses against
  $D(G(z)) = \sigma(\ell)$, by autograd through the package's two loss functions.
- ``saturation_shift_toy_scores``: the optimal discriminator's mean output on fakes,
  $E_z D^*(G(z))$, at every $\theta$ of the shift toy's $\theta$ grid (`SHIFT_TOY_THETAS`, the
  grid of ``shift_toy_gradients``), and the chain-rule prediction of that experiment's gradients
  (computed here without autograd).
- ``saturation_ring`` and ``saturation_ring_strong_d``: seed ensembles (`train_ensemble`) on the
  ring of eight Gaussians with both losses, seed by seed from the same start, first in the
  DCGAN setting, then with a discriminator pushed towards its optimum; $W_1$ to the data, mode
  coverage, the generator's gradient norm, per seed and summarised over the seeds.

The ring ensembles come from `ring_loss_runs` of `ganbook.measures`, in the settings `DCGAN_RING`
that the least-squares chapter shares. This module measures; the chapter's figures draw.
"""

from __future__ import annotations

import numpy as np
import torch
from scipy import stats

from ganbook.divergences import js_divergence, kl_divergence
from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.losses import minimax_generator_loss, nonsaturating_generator_loss
from ganbook.measures.shift_toy import (
    SHIFT_TOY,
    SHIFT_TOY_THETAS,
    SHIFT_TOY_THETAS_TEST,
    nearest_index,
    theta_grid,
)
from ganbook.measures.summaries import add_spread, median_member
from ganbook.measures.toy_runs import (
    DCGAN_RING,
    DCGAN_RING_FULL,
    DCGAN_RING_TEST,
    ring_loss_runs,
)
from ganbook.theory import (
    gaussian_optimal_discriminator_logit,
    gaussian_optimal_logistic_parameters,
    nonsaturating_divergence,
)

GENERATOR_LOSSES = {
    "saturating": minimax_generator_loss,
    "nonsaturating": nonsaturating_generator_loss,
}
r"""The two generator losses of the original GAN, by the key their results are stored under."""


def logit_and_score_gradients(logits: np.ndarray) -> dict[str, np.ndarray]:
    r"""Per-element $\partial\mathcal{L}_G/\partial\ell$ and $\partial\mathcal{L}_G/\partial D$.

    For each loss of `GENERATOR_LOSSES`, autograd differentiates the per-element terms once with
    the logit $\ell$ as the leaf, and once with $D = \sigma(\ell)$ as the leaf (the loss then sees
    $\ell = \log D - \log(1 - D)$). Float64 throughout.
    """
    out = {}
    for key, loss in GENERATOR_LOSSES.items():
        ell = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
        (out[f"{key}_dlogit"],) = torch.autograd.grad(loss(ell, reduction="sum"), ell)
        d = torch.sigmoid(torch.tensor(logits, dtype=torch.float64)).requires_grad_(True)
        (out[f"{key}_dscore"],) = torch.autograd.grad(loss(torch.logit(d), reduction="sum"), d)
    return {k: v.numpy() for k, v in out.items()}


@experiment(
    "saturation_logit_gradients",
    params={"points": 801, "d_min": 1e-4, "probe": 0.01},
    test={"points": 101},
    uses_torch_device=False,
    title="The generator's gradient w.r.t. the logit and w.r.t. D, saturating and non-saturating",
)
def saturation_logit_gradients(params, _context: RunContext) -> ExperimentResult:
    edge = float(np.log(params["d_min"]) - np.log1p(-params["d_min"]))  # logit of d_min
    logits = np.linspace(edge, -edge, params["points"])  # uniform in ℓ, symmetric about 0
    grads = logit_and_score_gradients(logits)
    d = 1.0 / (1.0 + np.exp(-logits))
    closed = {  # d/dℓ log(1 - σ) = -σ, d/dℓ -log σ = -(1 - σ); d/dD: -1/(1 - D), -1/D
        "saturating_dlogit": -d,
        "nonsaturating_dlogit": -(1.0 - d),
        "saturating_dscore": -1.0 / (1.0 - d),
        "nonsaturating_dscore": -1.0 / d,
    }
    relative = max(float(np.max(np.abs(grads[k] / closed[k] - 1.0))) for k in closed)
    probe = params["probe"]
    at = logit_and_score_gradients(np.array([np.log(probe) - np.log1p(-probe), 0.0]))
    sat, nonsat = abs(at["saturating_dlogit"][0]), abs(at["nonsaturating_dlogit"][0])
    return ExperimentResult(
        arrays={"logits": logits, "d": d, **grads},
        scalars={
            "probe": probe,
            "saturating_at_probe": float(sat),
            "nonsaturating_at_probe": float(nonsat),
            "ratio_at_probe": float(nonsat / sat),
            "saturating_dscore_at_probe": float(abs(at["saturating_dscore"][0])),
            "nonsaturating_dscore_at_probe": float(abs(at["nonsaturating_dscore"][0])),
            "saturating_at_half": float(abs(at["saturating_dlogit"][1])),
            "nonsaturating_at_half": float(abs(at["nonsaturating_dlogit"][1])),
            "max_relative_error": relative,
        },
    )


@experiment(
    "saturation_shift_toy_scores",
    params={**SHIFT_TOY, **SHIFT_TOY_THETAS, "nodes": 80},
    test=SHIFT_TOY_THETAS_TEST,
    uses_torch_device=False,
    title="Shift toy: E D*(G(z)) at each θ and the chain-rule prediction of the G gradients",
)
def saturation_shift_toy_scores(params, _context: RunContext) -> ExperimentResult:
    mu, sigma, thetas = params["mu"], params["sigma"], theta_grid(params)
    z, w = np.polynomial.hermite_e.hermegauss(params["nodes"])
    w = w / w.sum()
    # E_z D*(z + θ) with z ~ N(0, σ²), D* logistic with the closed-form affine logit
    logits = np.stack(
        [gaussian_optimal_discriminator_logit(sigma * z + t, mu, float(t), sigma) for t in thetas]
    )  # (thetas, nodes)
    mean_d = (w / (1.0 + np.exp(-logits))).sum(axis=1)
    slope = np.abs(mu - thetas) / sigma**2  # |∂ℓ*/∂x|: the logit of D* is affine in x
    at_eight, at_two = nearest_index(thetas, mu - 8 * sigma), nearest_index(thetas, mu - 2 * sigma)
    return ExperimentResult(
        arrays={
            "thetas": thetas,
            "mean_d": mean_d,
            "predicted_saturating": mean_d * slope,
            "predicted_nonsaturating": (1.0 - mean_d) * slope,
        },
        scalars={
            "mean_d_at_8sigma": float(mean_d[at_eight]),
            "mean_d_at_2sigma": float(mean_d[at_two]),
            "ratio_at_8sigma": float(mean_d[at_eight] / (1.0 - mean_d[at_eight])),
        },
    )


KEYS = ("saturating", "nonsaturating")
r"""The two generator losses of the saturation runs, by result key."""


def window_statistics(arrays, scalars, start: int, stop: int, threshold: float) -> None:
    r"""Per loss and member: gradient norm and $\overline{D}(G(z))$ in a window, and the stalls.

    Over steps [start, stop): the median gradient norm and the mean $\overline{D}(G(z))$; over
    the run: the number of steps with $\overline{D}(G(z))$ below ``threshold`` and the smallest
    $\overline{D}(G(z))$; each with its spread over members.
    """
    for key in KEYS:
        norms = np.median(arrays[f"{key}_g_grad_norm"][:, start:stop], axis=1)
        d_fake = arrays[f"{key}_d_fake"]
        per_member = {
            "window_grad_norm": norms,
            "window_d_fake": d_fake[:, start:stop].mean(axis=1),
            "steps_below": (d_fake < threshold).sum(axis=1),
            "min_d_fake": d_fake.min(axis=1),
        }
        for name, values in per_member.items():
            arrays[f"{key}_{name}"] = values
            add_spread(scalars, f"{key}_{name}", values)
    scalars.update({"window_start": start, "window_stop": stop, "threshold": threshold})


@experiment(
    "saturation_ring",
    params={**DCGAN_RING, "window": [0, 300]},
    test={**DCGAN_RING_TEST, "window": [0, 40]},
    full=DCGAN_RING_FULL,
    title="Ring of 8 Gaussians, DCGAN setting: saturating vs non-saturating, seed by seed",
)
def saturation_ring(params, context: RunContext) -> ExperimentResult:
    arrays, scalars = ring_loss_runs(["minimax", "non-saturating"], params, context)
    window_statistics(arrays, scalars, *params["window"], 0.01)
    ratio = arrays["nonsaturating_window_grad_norm"] / arrays["saturating_window_grad_norm"]
    arrays["early_grad_ratio"] = ratio
    add_spread(scalars, "early_grad_ratio", ratio)
    scalars["min_d_fake"] = float(min(arrays[f"{k}_d_fake"].min() for k in KEYS))
    # saturating minus non-saturating, member by member: the sign says which ended closer
    difference = arrays["saturating_w1"][:, -1] - arrays["nonsaturating_w1"][:, -1]
    arrays["final_w1_difference"] = difference
    add_spread(scalars, "final_w1_difference", difference)
    scalars["members_saturating_lower"] = int((difference < 0).sum())
    scalars["members_nonsaturating_lower"] = int((difference > 0).sum())
    return ExperimentResult(arrays=arrays, scalars=scalars)


@experiment(
    "saturation_ring_strong_d",
    params={**DCGAN_RING, "steps": 300, "snapshot_every": 25, "n_critic": 5, "d_lr": 1e-3}
    | {"window": [25, 50], "compare_at": 100},
    test={**DCGAN_RING_TEST, "steps": 60, "snapshot_every": 10}
    | {"window": [10, 20], "compare_at": 40},
    full=DCGAN_RING_FULL,
    title="Ring of 8 Gaussians, near-optimal D (n_critic 5, D lr 1e-3): both losses, seed ensemble",
)
def saturation_ring_strong_d(params, context: RunContext) -> ExperimentResult:
    strong = {"n_critic": params["n_critic"], "d_lr": params["d_lr"]}
    arrays, scalars = ring_loss_runs(["minimax", "non-saturating"], params, context, **strong)
    threshold = 0.01
    window = params["window"]  # just after the detective's first win, in both runs
    window_statistics(arrays, scalars, *window, threshold)
    ratio = arrays["nonsaturating_window_grad_norm"] / arrays["saturating_window_grad_norm"]
    arrays["window_grad_ratio"] = ratio
    add_spread(scalars, "window_grad_ratio", ratio)
    steps = list(arrays["snapshot_steps"])
    end, compare = steps.index(window[1]), steps.index(params["compare_at"])
    scalars.update(
        n_critic=params["n_critic"], d_lr=params["d_lr"], compare_at=params["compare_at"]
    )
    for key in KEYS:
        below = arrays[f"{key}_d_fake"] < threshold  # (members, steps)
        # G(z) for the same z: how far it moved from the start to the end of the window
        moved = arrays[f"{key}_snapshots"][:, end] - arrays[f"{key}_snapshots"][:, 0]
        per_member = {
            "first_below": np.where(below.any(axis=1), below.argmax(axis=1) + 1, -1),
            "moved_in_window": np.linalg.norm(moved, axis=2).mean(axis=1),
            "nearest_at_start": arrays[f"{key}_to_nearest"][:, 0],
            "nearest_at_window_end": arrays[f"{key}_to_nearest"][:, end],
            "w1_at_compare": arrays[f"{key}_w1"][:, compare],
        }
        for name, values in per_member.items():
            arrays[f"{key}_{name}"] = values
            add_spread(scalars, f"{key}_{name}", values)
    sat, nonsat = arrays["saturating_steps_below"], arrays["nonsaturating_steps_below"]
    scalars["members_stalled_100"] = int((sat >= 100).sum())
    # out of the stall at the end: mean D(G(z)) over the last snapshot interval above threshold
    tail = arrays["saturating_d_fake"][:, -params["snapshot_every"] :].mean(axis=1)
    scalars["members_escaped"] = int((tail > threshold).sum())
    scalars["members_longer_stall"] = int((sat > nonsat).sum())
    scalars["members_moved_less"] = int(
        (arrays["saturating_moved_in_window"] < arrays["nonsaturating_moved_in_window"]).sum()
    )
    at_compare = arrays["saturating_w1_at_compare"] < arrays["nonsaturating_w1_at_compare"]
    scalars["members_w1_prefers_saturating"] = int(at_compare.sum())
    # the run the sample figure shows: the median member by the length of the saturating stall
    scalars["shown_member"] = median_member(sat)
    return ExperimentResult(arrays=arrays, scalars=scalars)


def generator_gradients_at_fixed_optimum(mu: float, theta: float, sigma: float, params) -> dict:
    r"""$\partial\mathcal{L}_G/\partial\theta$ of both generator losses, with $D^*$ held fixed.

    $D^*$ is the optimum for the current $\theta$, a logistic function with the closed-form
    parameters `gaussian_optimal_logistic_parameters` (constants, so autograd differentiates
    through $x = z + \theta$ only). The expectation over $z \sim N(0, \sigma^2)$ is a sum over an
    evenly spaced grid of ``z_points`` nodes in $\pm$ ``z_span`` $\sigma$ with Gaussian weights.
    Float64 throughout.
    """
    phi0, phi1 = gaussian_optimal_logistic_parameters(mu, theta, sigma)
    z = np.linspace(-params["z_span"] * sigma, params["z_span"] * sigma, params["z_points"])
    w = torch.tensor(np.exp(-0.5 * (z / sigma) ** 2), dtype=torch.float64)
    w = w / w.sum()
    out = {}
    for key, loss in GENERATOR_LOSSES.items():
        t = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
        logit = phi0 + phi1 * (torch.tensor(z, dtype=torch.float64) + t)  # ℓ*(G(z)), D* fixed
        (grad,) = torch.autograd.grad((w * loss(logit, reduction="none")).sum(), t)
        out[key] = float(grad)
    return out


def divergence_gradients(mu: float, theta: float, sigma: float, params) -> dict:
    r"""Central differences in $\theta$ of $\mathrm{KL}(p_g\|p_\text{data})$ and $2\,\mathrm{JS}$.

    Both Gaussians are discretised on one evenly spaced grid of ``x_points`` points in
    $\mu \pm$ ``x_span`` $\sigma$ (a probability vector each) and the divergences come from
    `ganbook.divergences`; the step is ``step`` $\sigma$. No autograd and no $D^*$.
    """
    x = np.linspace(
        mu - params["x_span"] * sigma, mu + params["x_span"] * sigma, params["x_points"]
    )
    p = stats.norm.pdf(x, mu, sigma)
    p /= p.sum()

    def model(t: float) -> np.ndarray:
        q = stats.norm.pdf(x, t, sigma)
        return q / q.sum()

    h = params["step"] * sigma
    plus, minus = model(theta + h), model(theta - h)
    kl = (kl_divergence(plus, p) - kl_divergence(minus, p)) / (2 * h)
    js2 = 2.0 * (js_divergence(p, plus) - js_divergence(p, minus)) / (2 * h)
    both = (nonsaturating_divergence(p, plus) - nonsaturating_divergence(p, minus)) / (2 * h)
    return {"kl": kl, "two_js": js2, "kl_minus_two_js": both}


@experiment(
    "saturation_ns_divergence",
    params={
        **SHIFT_TOY,
        "offsets": [-8.0, -6.0, -4.0, -2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 4.0, 6.0, 8.0],
        "z_span": 14.0,
        "z_points": 8001,
        "x_span": 24.0,
        "x_points": 12001,
        "step": 1e-4,
    },
    test={"offsets": [-4.0, -1.0, 2.0], "z_points": 2801, "x_points": 4801},
    uses_torch_device=False,
    title="Shift toy: the generator's gradient at a fixed D* against the gradient of a divergence",
)
def saturation_ns_divergence(params, _context: RunContext) -> ExperimentResult:
    mu, sigma = params["mu"], params["sigma"]
    thetas = mu + sigma * np.asarray(params["offsets"], dtype=float)
    rows = {k: [] for k in ("saturating", "nonsaturating", "kl", "two_js", "kl_minus_two_js")}
    for theta in thetas:
        for key, value in {
            **generator_gradients_at_fixed_optimum(mu, float(theta), sigma, params),
            **divergence_gradients(mu, float(theta), sigma, params),
        }.items():
            rows[key].append(value)
    a = {k: np.asarray(v) for k, v in rows.items()}
    ns_error = np.abs(a["nonsaturating"] / a["kl_minus_two_js"] - 1.0)
    sat_error = np.abs(a["saturating"] / a["two_js"] - 1.0)
    at_two = nearest_index(thetas, mu - 2 * sigma)
    return ExperimentResult(
        arrays={
            "thetas": thetas,
            **a,
            "ns_relative_error": ns_error,
            "sat_relative_error": sat_error,
        },
        scalars={
            "mu": mu,
            "sigma": sigma,
            "points": len(thetas),
            "offset_below": float(-np.min(params["offsets"])),  # how far below μ, in σ
            "offset_above": float(np.max(params["offsets"])),  # how far above μ, in σ
            "ns_max_relative_error": float(ns_error.max()),
            "sat_max_relative_error": float(sat_error.max()),
            "nonsaturating_at_2sigma": float(a["nonsaturating"][at_two]),
            "kl_at_2sigma": float(a["kl"][at_two]),
            "two_js_at_2sigma": float(a["two_js"][at_two]),
            "kl_minus_two_js_at_2sigma": float(a["kl_minus_two_js"][at_two]),
            # |∇KL| / |∇2JS| = 1 / E D*: above 2 wherever the fakes look fake on average
            "kl_over_js_min": float(np.min(np.abs(a["kl"] / a["two_js"]))),
        },
    )
