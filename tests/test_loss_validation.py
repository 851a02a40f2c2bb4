"""Bad inputs to the losses: each raises the documented error and names the argument at fault."""

from __future__ import annotations

import math

import pytest
import torch

import ganbook.losses as losses

DISCRIMINATOR_LOSSES = [
    losses.minimax_discriminator_loss,
    losses.least_squares_discriminator_loss,
    losses.wasserstein_discriminator_loss,
    losses.hinge_discriminator_loss,
    losses.relativistic_discriminator_loss,
]
# Generator losses that take the real outputs too, real first, as a discriminator loss does.
TWO_INPUT_GENERATOR_LOSSES = [losses.relativistic_generator_loss]
TWO_INPUT_LOSSES = DISCRIMINATOR_LOSSES + TWO_INPUT_GENERATOR_LOSSES
GENERATOR_LOSSES = [
    losses.minimax_generator_loss,
    losses.nonsaturating_generator_loss,
    losses.least_squares_generator_loss,
    losses.wasserstein_generator_loss,
    losses.hinge_generator_loss,
    losses.relativistic_generator_loss,
]
ALL_LOSSES = DISCRIMINATOR_LOSSES + GENERATOR_LOSSES
GOOD = torch.zeros(3)


def _call(fn, *, d_real=GOOD, d_fake=GOOD, **kwargs):
    if fn in TWO_INPUT_LOSSES:
        return fn(d_real, d_fake, **kwargs)
    return fn(d_fake, **kwargs)


def _name(value) -> str | None:
    """A loss's name as its test id; for any other value, None lets pytest choose the id."""
    return getattr(value, "__name__", None)


BAD_SCORES = {
    "a list": ([0.0, 1.0], TypeError, "must be a torch.Tensor"),
    "an integer tensor": (torch.tensor([0, 1]), TypeError, "floating-point"),
    "an empty tensor": (torch.zeros(0), ValueError, "at least one element"),
}


SCORE_ARGUMENTS = [(fn, "d_fake") for fn in ALL_LOSSES] + [
    (fn, "d_real") for fn in TWO_INPUT_LOSSES
]


@pytest.mark.parametrize(("fn", "argument"), SCORE_ARGUMENTS, ids=_name)
@pytest.mark.parametrize("bad", sorted(BAD_SCORES))
def test_bad_scores_are_refused_by_name(fn, argument, bad):
    value, error, message = BAD_SCORES[bad]
    with pytest.raises(error, match=rf"^{argument} .*{message}"):
        _call(fn, **{argument: value})


@pytest.mark.parametrize("fn", ALL_LOSSES, ids=_name)
@pytest.mark.parametrize("reduction", ["average", "MEAN", None])
def test_unknown_reduction_is_refused_by_name(fn, reduction):
    with pytest.raises(ValueError, match=r"^unknown reduction .*'mean', 'sum', 'none'"):
        _call(fn, reduction=reduction)


@pytest.mark.parametrize("smoothing", [-0.1, 1.0, 1.5, math.nan])
def test_label_smoothing_outside_zero_one_is_refused_by_name(smoothing):
    with pytest.raises(ValueError, match=r"^label_smoothing "):
        losses.minimax_discriminator_loss(GOOD, GOOD, label_smoothing=smoothing)


def test_label_smoothing_that_is_not_a_number_is_refused_by_name():
    with pytest.raises(TypeError, match=r"^label_smoothing must be a real number"):
        losses.minimax_discriminator_loss(GOOD, GOOD, label_smoothing="0.1")


@pytest.mark.parametrize(
    ("fn", "argument"),
    [
        (losses.least_squares_discriminator_loss, "real_label"),
        (losses.least_squares_discriminator_loss, "fake_label"),
        (losses.least_squares_generator_loss, "real_label"),
    ],
)
@pytest.mark.parametrize(("value", "error"), [(math.inf, ValueError), ("1", TypeError)])
def test_bad_least_squares_label_is_refused_by_name(fn, argument, value, error):
    with pytest.raises(error, match=rf"^{argument} must be"):
        _call(fn, **{argument: value})


@pytest.mark.parametrize("fn", ALL_LOSSES, ids=_name)
def test_options_are_keyword_only(fn):
    inputs = (GOOD, GOOD) if fn in TWO_INPUT_LOSSES else (GOOD,)
    with pytest.raises(TypeError, match="positional argument"):
        fn(*inputs, "mean")


@pytest.mark.parametrize(
    "fn", [losses.relativistic_discriminator_loss, losses.relativistic_generator_loss], ids=_name
)
def test_relativistic_outputs_of_different_shapes_are_refused_naming_both(fn):
    with pytest.raises(ValueError, match=r"^d_real and d_fake must have the same shape .*\(3, 1\)"):
        fn(torch.zeros(3, 1), torch.zeros(3))
