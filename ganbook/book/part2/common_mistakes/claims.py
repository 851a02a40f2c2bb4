r"""Claims about this chapter's experiments (its ``experiments`` module), checked at every build.

Every measurement here is a gradient or a short deterministic computation; the bounds are closed
forms, so they hold at any seed.
"""

from __future__ import annotations

import math

import numpy as np

from ganbook.engine.claims import at_least, at_most, between, claim, close_to, holds
from ganbook.engine.result import ExperimentResult

EXACT = 1e-12
"""Agreement expected of two float64 computations of one formula."""

# ---- mistakes_generator_gradients -------------------------------------------------------------


@claim(
    "mistakes_generator_gradients",
    'the Keras-style "minimax" generator loss is the non-saturating loss, and its discriminator '
    "loss is the package's minimax discriminator loss",
)
def keras_minimax_is_nonsaturating(result: ExperimentResult):
    s = result.scalars
    return [
        at_most(
            "largest |gradient gap| to the non-saturating loss",
            s["keras_vs_nonsaturating_gap"],
            EXACT,
        ),
        at_most("|gap| of the discriminator losses", s["keras_discriminator_gap"], EXACT),
        at_most(
            "largest |gradient gap|, true minimax vs the package",
            s["true_minimax_vs_minimax_gap"],
            EXACT,
        ),
    ]


@claim(
    "mistakes_generator_gradients",
    "at D(G(z)) = 0.01 the mislabelled loss passes a gradient of size 0.99 in the logit, the true "
    "minimax loss 0.01: 99 times less",
)
def mislabelled_gradient_at_the_probe(result: ExperimentResult):
    s = result.scalars
    d = s["probe"]
    return [
        close_to("mislabelled gradient at the probe", s["keras_at_probe"], -(1.0 - d), 1e-12),
        close_to("true minimax gradient at the probe", s["true_minimax_at_probe"], -d, 1e-12),
        close_to("their ratio", s["probe_ratio"], (1.0 - d) / d, 1e-9),
    ]


@claim(
    "mistakes_generator_gradients",
    "the sign-flipped loss's gradient in the logit is exactly minus the non-saturating one: "
    "positive, so gradient descent lowers the fakes' logits",
)
def flipped_is_minus_nonsaturating(result: ExperimentResult):
    s = result.scalars
    return [
        at_most(
            "largest |flipped + non-saturating|", s["flipped_vs_minus_nonsaturating_gap"], EXACT
        ),
        close_to("flipped gradient at the probe", s["flipped_at_probe"], 1.0 - s["probe"], 1e-12),
    ]


@claim(
    "mistakes_generator_gradients",
    "probabilities fed as logits pass (1 - σ(D)) D(1 - D) in the logit: at D(G(z)) = 0.01 less "
    "than the saturating loss passes",
)
def double_sigmoid_gradient(result: ExperimentResult):
    s = result.scalars
    d = s["probe"]
    closed = -(1.0 - 1.0 / (1.0 + math.exp(-d))) * d * (1.0 - d)
    return [
        close_to(
            "double-sigmoid gradient at the probe", s["double_sigmoid_at_probe"], closed, 1e-12
        ),
        holds(
            "|double sigmoid| < |saturating| at the probe",
            abs(s["double_sigmoid_at_probe"]) < abs(s["minimax_at_probe"]),
            (s["double_sigmoid_at_probe"], s["minimax_at_probe"]),
        ),
    ]


@claim(
    "mistakes_generator_gradients",
    "least squares behind a sigmoid passes -(1 - D)² D in the logit, which vanishes as D(G(z)) "
    "→ 0, while the raw-score loss passes -(1 - s), close to -1",
)
def sigmoid_least_squares_vanishes(result: ExperimentResult):
    s = result.scalars
    checks = []
    for where in ("probe", "far_probe"):
        d = s[where]
        checks += [
            close_to(
                f"sigmoid LS gradient at {d:g}",
                s[f"sigmoid_ls_at_{where}"],
                -((1 - d) ** 2) * d,
                1e-12,
            ),
            close_to(
                f"raw-score LS gradient at s = {d:g}", s[f"raw_ls_at_{where}"], -(1 - d), 1e-12
            ),
        ]
    return checks


# ---- mistakes_flipped_sign --------------------------------------------------------------------


@claim(
    "mistakes_flipped_sign",
    "on a tiny generator the flipped loss's parameter gradient points exactly against the "
    "correct one: a negative dot product, cosine -1",
)
def flipped_gradient_points_the_wrong_way(result: ExperimentResult):
    s = result.scalars
    return [
        holds("dot product < 0", s["dot"] < 0, s["dot"]),
        close_to("cosine", s["cosine"], -1.0, 1e-9),
    ]


@claim(
    "mistakes_flipped_sign",
    "one SGD step with the flipped loss lowers the mean log D(G(z)); with the correct loss it "
    "raises it",
)
def one_step_helps_the_discriminator(result: ExperimentResult):
    s = result.scalars
    values = (s["mean_log_d_after_flipped"], s["mean_log_d_before"], s["mean_log_d_after_correct"])
    return holds(
        "after flipped < before < after correct", values[0] < values[1] < values[2], values
    )


# ---- mistakes_probabilities -------------------------------------------------------------------


@claim(
    "mistakes_probabilities",
    "in float32 the hand-written log(1 - sigmoid) is -inf for a batch with one fake at logit 20, "
    "with a NaN gradient; the package's loss is finite with gradient -σ(ℓ)/B",
)
def handwritten_log_overflows(result: ExperimentResult):
    s = result.scalars
    closed = (math.log(0.5) - math.log1p(math.exp(s["fooled_logit"]))) / 2.0
    return [
        holds(
            "hand-written value is -inf",
            s["handwritten_value"] == -math.inf,
            s["handwritten_value"],
        ),
        at_least("non-finite gradients, hand-written", s["handwritten_nonfinite_grads"], 1),
        at_most("non-finite gradients, package", s["package_minimax_nonfinite_grads"], 0),
        close_to("package value", s["package_minimax_value"], closed, 1e-5),
        close_to(
            "package gradient at the fooled fake", s["package_minimax_grad_at_fooled"], -0.5, 1e-6
        ),
    ]


@claim(
    "mistakes_probabilities",
    "float32 rounds σ(ℓ) to exactly 1 from a logit of about 17",
)
def sigmoid_rounds_to_one(result: ExperimentResult):
    return between(
        "first logit (step 0.5) with σ(ℓ) == 1",
        result.scalars["first_logit_rounded_to_one"],
        16.0,
        18.0,
    )


@claim(
    "mistakes_probabilities",
    "clipped at ε = 1e-7, the non-saturating loss of a fake at logit -20 is stuck at -log ε with "
    "gradient 0; on logits it is 20 with gradient -1",
)
def clipping_kills_the_gradient(result: ExperimentResult):
    s = result.scalars
    return [
        close_to("clipped gradient", s["clipped_grad_at_rejected"], 0.0, 0.0),
        close_to("clipped value", s["clipped_value_at_rejected"], -math.log(s["epsilon"]), 1e-5),
        close_to(
            "package value",
            s["package_nonsaturating_value_at_rejected"],
            -s["rejected_logit"],
            1e-5,
        ),
        close_to("package gradient", s["package_nonsaturating_grad_at_rejected"], -1.0, 1e-6),
        close_to(
            "BCE with logits, value", s["with_logits_value_at_rejected"], -s["rejected_logit"], 1e-5
        ),
        close_to("BCE with logits, gradient", s["with_logits_grad_at_rejected"], -1.0, 1e-6),
    ]


# ---- mistakes_label_smoothing -----------------------------------------------------------------


@claim(
    "mistakes_label_smoothing",
    "with label smoothing s the optimal discriminator is (1 - s/2) p_data/(p_data + p_g): "
    "7/16 where the densities are equal, never above 7/8, for TF-GAN's s = 0.25",
)
def smoothed_optimal_discriminator(result: ExperimentResult):
    s = result.scalars
    t = 1.0 - s["smoothing"] / 2.0
    return [
        at_most("max |numerical D* − t p/(p + q)|", s["smoothed_vs_closed_form"], 1e-9),
        at_most("max |numerical D* − p/(p + q)|, no smoothing", s["plain_vs_closed_form"], 1e-9),
        close_to("real target", s["real_target"], 0.875, 0.0),
        close_to("smoothed D* where p = q", s["smoothed_at_middle"], t / 2.0, 1e-9),
        close_to("plain D* where p = q", s["plain_at_middle"], 0.5, 1e-9),
        at_most("largest smoothed D*", s["smoothed_max"], t),
    ]


# ---- mistakes_detach_zero_grad ----------------------------------------------------------------


@claim(
    "mistakes_detach_zero_grad",
    "without detach the D step's backward fills G's .grad with the D loss's own gradient, minus "
    "the minimax generator's; with detach G's .grad stays empty",
)
def missing_detach_leaks_into_the_generator(result: ExperimentResult):
    s = result.scalars
    return [
        close_to(
            "G's gradient norm after a detached D step",
            s["g_grad_norm_after_d_step_detached"],
            0.0,
            0.0,
        ),
        at_least(
            "G's gradient norm after a leaked D step", s["g_grad_norm_after_d_step_leaked"], 1e-6
        ),
        at_most("max |leak − ∇θ L_D|", s["leak_vs_d_loss_gradient"], EXACT),
        at_most("max |leak + ∇θ L_G (minimax)|", s["leak_vs_minus_minimax_gradient"], EXACT),
        at_most(
            "‖leak + minimax gradient‖ / ‖minimax gradient‖",
            s["g_grad_norm_leak_plus_minimax"] / s["minimax_grad_norm"],
            EXACT,
        ),
    ]


@claim(
    "mistakes_detach_zero_grad",
    "without zero_grad k backward passes on one batch leave k times the gradient: 1, 2, 3, 4",
)
def missing_zero_grad_accumulates(result: ExperimentResult):
    ratios = result.arrays["accumulated_ratio"]
    expected = np.arange(1, len(ratios) + 1)
    return [
        at_most(
            "max |‖grad after k‖/‖grad after 1‖ − k|",
            float(np.max(np.abs(ratios - expected))),
            EXACT,
        ),
        at_most("max |grad after k − k · grad after 1|", result.scalars["accumulation_gap"], EXACT),
    ]


@claim(
    "mistakes_detach_zero_grad",
    "with a real step size the second step follows the sum of the first two gradients, about "
    "twice the gradient it should follow",
)
def missing_zero_grad_steps_on_stale_gradients(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("max |grad at step 2 − (g(θ₀) + g(θ₁))|", s["stale_gap"], EXACT),
        between("‖grad at step 2‖ / ‖g(θ₁)‖", s["second_step_ratio"], 1.5, 2.5),
    ]


# ---- mistakes_whole_batch_norm ----------------------------------------------------------------


@claim(
    "mistakes_whole_batch_norm",
    "the whole-batch norm is √B times the root mean square of the per-example norms, and the "
    "per-example snippet equals the package's gradient_penalty",
)
def whole_batch_norm_is_root_b_times_the_rms(result: ExperimentResult):
    s = result.scalars
    rms = s["rms_norm"]
    return [
        close_to(
            "whole-batch norm / rms of per-example norms", s["norm_ratio"], s["root_batch"], 1e-9
        ),
        close_to(
            "per-example snippet − package", s["per_example_penalty"], s["package_penalty"], EXACT
        ),
        close_to(
            "whole-batch penalty against (√B · rms − 1)²",
            s["whole_batch_penalty"],
            (s["root_batch"] * rms - 1.0) ** 2,
            1e-9,
        ),
        holds(
            "whole-batch penalty > per-example penalty",
            s["whole_batch_penalty"] > s["per_example_penalty"],
            (s["whole_batch_penalty"], s["per_example_penalty"]),
        ),
    ]
