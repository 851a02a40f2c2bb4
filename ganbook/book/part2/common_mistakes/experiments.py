r"""Experiments of the common-mistakes chapter: each mistaken snippet, measured against the fix.

The mistaken snippets live in `mistakes` (the page shows that very code), the tools that measure
them in `measurements`. Every measurement is a gradient or a short deterministic computation, no
training:

- ``mistakes_generator_gradients``: $\partial\mathcal{L}_G/\partial\ell$ against
  $D(G(z)) = \sigma(\ell)$ for the Keras-style "minimax" pair, the sign-flipped non-saturating
  loss, probabilities fed as logits and least squares behind a sigmoid, beside
  `ganbook.losses`.
- ``mistakes_flipped_sign``: the flipped loss on a tiny generator and discriminator: the
  direction of its parameter gradient and what one SGD step does to $\log D(G(z))$.
- ``mistakes_probabilities``: hand-written logs and Keras's clipping in float32.
- ``mistakes_label_smoothing``: the optimal discriminator under TF-GAN's default smoothing.
- ``mistakes_detach_zero_grad``: where gradients go without ``detach`` and without ``zero_grad``.
- ``mistakes_whole_batch_norm``: one gradient norm for the whole batch in the WGAN-GP penalty.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from ganbook.book.part2.common_mistakes.measurements import (
    flat_grad,
    init_normal_,
    logit,
    logit_gradient,
    mlp,
    optimal_logits,
    parameter_gradient,
    tiny_players,
    value_and_gradient,
)
from ganbook.book.part2.common_mistakes.mistakes import (
    clipped_nonsaturating_generator_loss,
    discriminator_backward,
    double_sigmoid_generator_loss,
    flipped_generator_loss,
    generator_step,
    handwritten_minimax_generator_loss,
    keras_discriminator_loss,
    keras_generator_loss,
    per_example_penalty,
    sigmoid_least_squares_generator_loss,
    tfgan_default_discriminator_loss,
    true_minimax_generator_loss,
    whole_batch_penalty,
)
from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.losses import (
    least_squares_generator_loss,
    minimax_discriminator_loss,
    minimax_generator_loss,
    nonsaturating_generator_loss,
)
from ganbook.penalties import gradient_penalty


@experiment(
    "mistakes_generator_gradients",
    params={"points": 401, "d_min": 1e-4, "probe": 0.01, "far_probe": 1e-4},
    test={"points": 101},
    uses_torch_device=False,
    title="The generator's gradient in the logit for each mistaken snippet and for the fix",
)
def mistakes_generator_gradients(params, _context: RunContext) -> ExperimentResult:
    edge = logit(params["d_min"])
    logits = np.linspace(edge, -edge, params["points"])  # uniform in ℓ, symmetric about 0
    probes = np.array([logit(params["probe"]), logit(params["far_probe"])])
    snippets = {  # name: (loss, takes probabilities)
        "keras": (keras_generator_loss, True),
        "true_minimax": (true_minimax_generator_loss, True),
        "flipped": (flipped_generator_loss, True),
        "double_sigmoid": (double_sigmoid_generator_loss, False),
        "sigmoid_ls": (sigmoid_least_squares_generator_loss, False),
        "minimax": (minimax_generator_loss, False),
        "nonsaturating": (nonsaturating_generator_loss, False),
    }
    arrays = {"logits": logits, "d": 1.0 / (1.0 + np.exp(-logits))}
    scalars = {"probe": params["probe"], "far_probe": params["far_probe"], "points": len(logits)}
    for key, (loss, on_probabilities) in snippets.items():
        arrays[key] = logit_gradient(loss, logits, on_probabilities=on_probabilities)
        at = logit_gradient(loss, probes, on_probabilities=on_probabilities)
        scalars[f"{key}_at_probe"], scalars[f"{key}_at_far_probe"] = map(float, at)
    # the raw-score least-squares loss (0-1 coding, c = 1) at raw outputs s = probe, far probe
    s = torch.tensor([params["probe"], params["far_probe"]], dtype=torch.float64)
    s.requires_grad_(True)
    (raw,) = torch.autograd.grad(least_squares_generator_loss(s, reduction="sum"), s)
    scalars["raw_ls_at_probe"], scalars["raw_ls_at_far_probe"] = map(float, raw)

    def gap(a: str, b: str, sign: float = 1.0) -> float:
        return float(np.max(np.abs(arrays[a] - sign * arrays[b])))

    scalars["keras_vs_nonsaturating_gap"] = gap("keras", "nonsaturating")
    scalars["true_minimax_vs_minimax_gap"] = gap("true_minimax", "minimax")
    scalars["flipped_vs_minus_nonsaturating_gap"] = gap("flipped", "nonsaturating", -1.0)
    # the Keras-style discriminator loss is the package's minimax discriminator loss
    real, fake = torch.tensor(logits), torch.tensor(-logits[::-1] * 0.5)
    keras = keras_discriminator_loss(torch.sigmoid(real), torch.sigmoid(fake))
    scalars["keras_discriminator_gap"] = abs(float(keras - minimax_discriminator_loss(real, fake)))
    scalars["probe_ratio"] = scalars["keras_at_probe"] / scalars["true_minimax_at_probe"]
    return ExperimentResult(arrays=arrays, scalars=scalars)


@experiment(
    "mistakes_flipped_sign",
    params={"batch": 64, "lr": 1e-3},
    uses_torch_device=False,
    title="The sign-flipped generator loss on a tiny model: its gradient and one SGD step",
)
def mistakes_flipped_sign(params, context: RunContext) -> ExperimentResult:
    generator, discriminator = tiny_players(context)
    z = torch.randn(params["batch"], 4, generator=context.stream("z"), dtype=torch.float64)
    losses = {
        "flipped": lambda: flipped_generator_loss(torch.sigmoid(discriminator(generator(z)))),
        "correct": lambda: nonsaturating_generator_loss(discriminator(generator(z))),
    }
    grads = {key: parameter_gradient(loss(), generator) for key, loss in losses.items()}
    dot = float(grads["flipped"] @ grads["correct"])
    cosine = dot / float(grads["flipped"].norm() * grads["correct"].norm())
    with torch.no_grad():
        before = float(F.logsigmoid(discriminator(generator(z))).mean())
    scalars = {"dot": dot, "cosine": cosine, "mean_log_d_before": before, **params}
    start = [p.detach().clone() for p in generator.parameters()]
    for key, loss in losses.items():  # one SGD step from the same start with each loss
        optimiser = torch.optim.SGD(generator.parameters(), lr=params["lr"])
        optimiser.zero_grad()
        loss().backward()
        optimiser.step()
        with torch.no_grad():
            scalars[f"mean_log_d_after_{key}"] = float(
                F.logsigmoid(discriminator(generator(z))).mean()
            )
            for p, p0 in zip(generator.parameters(), start, strict=True):
                p.copy_(p0)
    return ExperimentResult(arrays={k: v.numpy() for k, v in grads.items()}, scalars=scalars)


@experiment(
    "mistakes_probabilities",
    params={"fooled_logit": 20.0, "rejected_logit": -20.0, "epsilon": 1e-7},
    uses_torch_device=False,
    title="Hand-written logs and clipped probabilities in float32, against the losses on logits",
)
def mistakes_probabilities(params, _context: RunContext) -> ExperimentResult:
    fooled, rejected = params["fooled_logit"], params["rejected_logit"]
    batch = [0.0, fooled]  # one fake at D = 1/2, one that fools D completely
    scalars = dict(params)
    for key, loss in {
        "handwritten": handwritten_minimax_generator_loss,
        "package_minimax": minimax_generator_loss,
    }.items():
        value, grad = value_and_gradient(loss, batch)
        scalars[f"{key}_value"] = value
        scalars[f"{key}_grad_at_half"] = float(grad[0])
        scalars[f"{key}_grad_at_fooled"] = float(grad[1])
        scalars[f"{key}_nonfinite_grads"] = int((~np.isfinite(grad)).sum())
    for key, loss in {
        "clipped": lambda ell: clipped_nonsaturating_generator_loss(ell, params["epsilon"]),
        "package_nonsaturating": nonsaturating_generator_loss,
        "with_logits": lambda ell: F.binary_cross_entropy_with_logits(ell, torch.ones_like(ell)),
    }.items():
        value, grad = value_and_gradient(loss, [rejected])
        scalars[f"{key}_value_at_rejected"] = value
        scalars[f"{key}_grad_at_rejected"] = float(grad[0])
    scalars["clip_logit"] = logit(params["epsilon"])  # below it the clipped loss is flat
    scalars["clip_value"] = float(-np.log(params["epsilon"]))
    # float32 rounds σ(ℓ) to exactly 1 from here on: 1 − σ(ℓ) < half the spacing below 1
    ells = torch.arange(0.0, 40.0, 0.5, dtype=torch.float32)
    scalars["first_logit_rounded_to_one"] = float(ells[torch.sigmoid(ells) == 1.0][0])
    return ExperimentResult(scalars=scalars)


@experiment(
    "mistakes_label_smoothing",
    params={"grid": [-5.0, 7.0, 241], "mu_data": 0.0, "mu_model": 2.0, "smoothing": 0.25},
    uses_torch_device=False,
    title="The optimal discriminator of TF-GAN's default label smoothing, found numerically",
)
def mistakes_label_smoothing(params, _context: RunContext) -> ExperimentResult:
    x = np.linspace(*params["grid"][:2], int(params["grid"][2]))
    density = lambda mu: np.exp(-0.5 * (x - mu) ** 2) / np.sqrt(2 * np.pi)  # noqa: E731
    p, q = density(params["mu_data"]), density(params["mu_model"])
    p, q = p / p.sum(), q / q.sum()  # probability vectors on the grid
    s = params["smoothing"]
    smoothed = 1.0 / (1.0 + np.exp(-optimal_logits(tfgan_default_discriminator_loss, p, q)))
    plain = 1.0 / (1.0 + np.exp(-optimal_logits(minimax_discriminator_loss, p, q)))
    target = 1.0 - s / 2.0  # TF-GAN's real label after smoothing
    middle = int(np.argmin(np.abs(x - (params["mu_data"] + params["mu_model"]) / 2.0)))
    return ExperimentResult(
        arrays={"x": x, "p": p, "q": q, "smoothed": smoothed, "plain": plain},
        scalars={
            "smoothing": s,
            "mu_data": params["mu_data"],
            "mu_model": params["mu_model"],
            "real_target": target,
            "smoothed_vs_closed_form": float(np.max(np.abs(smoothed - target * p / (p + q)))),
            "plain_vs_closed_form": float(np.max(np.abs(plain - p / (p + q)))),
            "smoothed_at_middle": float(smoothed[middle]),
            "plain_at_middle": float(plain[middle]),
            "smoothed_max": float(smoothed.max()),
            "plain_max": float(plain.max()),
        },
    )


@experiment(
    "mistakes_detach_zero_grad",
    params={"batch": 64, "accumulations": 4, "lr": 0.1},
    uses_torch_device=False,
    title="A missing detach and a missing zero_grad: where the gradients go on a tiny model",
)
def mistakes_detach_zero_grad(params, context: RunContext) -> ExperimentResult:
    generator, discriminator = tiny_players(context)
    z = torch.randn(params["batch"], 4, generator=context.stream("z"), dtype=torch.float64)
    x = torch.randn(params["batch"], 2, generator=context.stream("x"), dtype=torch.float64) + 2.0
    theta = list(generator.parameters())

    scalars = dict(params)
    generator.zero_grad(set_to_none=True)  # the fix: the fake batch detached
    minimax_discriminator_loss(discriminator(x), discriminator(generator(z).detach())).backward()
    scalars["g_grad_norm_after_d_step_detached"] = float(flat_grad(generator).norm())
    generator.zero_grad(set_to_none=True)  # the mistake
    discriminator_backward(generator, discriminator, x, z)
    leak = flat_grad(generator)
    scalars["g_grad_norm_after_d_step_leaked"] = float(leak.norm())
    # the truth: the D loss's own gradient in G's parameters, and minus the minimax G loss's
    truth = parameter_gradient(
        minimax_discriminator_loss(discriminator(x), discriminator(generator(z))), generator
    )
    g_minimax = parameter_gradient(minimax_generator_loss(discriminator(generator(z))), generator)
    scalars["leak_vs_d_loss_gradient"] = float((leak - truth).abs().max())
    scalars["leak_vs_minus_minimax_gradient"] = float((leak + g_minimax).abs().max())
    # the G step's backward on top of the leak, at the same D: the two cancel
    minimax_generator_loss(discriminator(generator(z))).backward()
    scalars["g_grad_norm_leak_plus_minimax"] = float(flat_grad(generator).norm())
    scalars["minimax_grad_norm"] = float(g_minimax.norm())
    # a missing zero_grad, with a step size of 0: k steps leave k times one gradient in .grad
    generator.zero_grad(set_to_none=True)
    frozen = torch.optim.SGD(theta, lr=0.0)
    one = parameter_gradient(nonsaturating_generator_loss(discriminator(generator(z))), generator)
    ratios = []
    for _ in range(params["accumulations"]):
        generator_step(generator, discriminator, z, frozen)
        ratios.append(float(flat_grad(generator).norm() / one.norm()))
    scalars["accumulation_gap"] = float(
        (flat_grad(generator) - params["accumulations"] * one).abs().max()
    )
    # with a real step size the second step follows the sum of both steps' gradients
    generator.zero_grad(set_to_none=True)
    moving = torch.optim.SGD(theta, lr=params["lr"])
    first = parameter_gradient(nonsaturating_generator_loss(discriminator(generator(z))), generator)
    generator_step(generator, discriminator, z, moving)
    second = parameter_gradient(
        nonsaturating_generator_loss(discriminator(generator(z))), generator
    )
    generator_step(generator, discriminator, z, moving)
    scalars["stale_gap"] = float((flat_grad(generator) - (first + second)).abs().max())
    scalars["second_step_ratio"] = float(flat_grad(generator).norm() / second.norm())
    return ExperimentResult(arrays={"accumulated_ratio": np.array(ratios)}, scalars=scalars)


@experiment(
    "mistakes_whole_batch_norm",
    params={"batch": 64, "hidden": 32},
    uses_torch_device=False,
    title="The WGAN-GP penalty with one norm for the whole batch, on a small critic",
)
def mistakes_whole_batch_norm(params, context: RunContext) -> ExperimentResult:
    h = params["hidden"]
    critic = init_normal_(mlp(2, h, h, 1), context.stream("critic"), gain=2.0)
    x_hat = torch.randn(params["batch"], 2, generator=context.stream("x_hat"), dtype=torch.float64)
    x_hat.requires_grad_(True)
    (gradients,) = torch.autograd.grad(critic(x_hat).sum(), x_hat)
    norms = gradients.norm(dim=1)
    whole = float(gradients.norm())
    rms = float(norms.pow(2).mean().sqrt())
    # the package's penalty with real = fake evaluates at x̂ itself, whatever α is
    package = gradient_penalty(critic, x_hat.detach(), x_hat.detach())
    return ExperimentResult(
        arrays={"per_example_norms": norms.numpy()},
        scalars={
            **params,
            "whole_batch_norm": whole,
            "rms_norm": rms,
            "median_norm": float(norms.median()),
            "norm_ratio": whole / rms,
            "root_batch": float(np.sqrt(params["batch"])),
            "bug_target": float(1.0 / np.sqrt(params["batch"])),
            "whole_batch_penalty": float(
                whole_batch_penalty(critic, x_hat.detach().clone()).detach()
            ),
            "per_example_penalty": float(
                per_example_penalty(critic, x_hat.detach().clone()).detach()
            ),
            "package_penalty": float(package.detach()),
        },
    )
