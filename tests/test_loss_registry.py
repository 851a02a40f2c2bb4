"""The loss registry: every short name resolves to the right pair, and nothing else does."""

from __future__ import annotations

import dataclasses

import pytest
import torch

import ganbook.losses as losses
from ganbook.losses import LOSSES, LossPair, get_loss, loss_names

EXPECTED = {
    # name: (discriminator loss, generator loss, gradient penalty, weight clipping, output)
    "minimax": ("minimax_discriminator_loss", "minimax_generator_loss", False, False, "logit"),
    "non-saturating": (
        "minimax_discriminator_loss",
        "nonsaturating_generator_loss",
        False,
        False,
        "logit",
    ),
    "least-squares": (
        "least_squares_discriminator_loss",
        "least_squares_generator_loss",
        False,
        False,
        "score",
    ),
    "wasserstein": (
        "wasserstein_discriminator_loss",
        "wasserstein_generator_loss",
        False,
        True,
        "score",
    ),
    "wgan-gp": (
        "wasserstein_discriminator_loss",
        "wasserstein_generator_loss",
        True,
        False,
        "score",
    ),
    "hinge": ("hinge_discriminator_loss", "hinge_generator_loss", False, False, "score"),
    "relativistic": (
        "relativistic_discriminator_loss",
        "relativistic_generator_loss",
        False,
        False,
        "logit",
    ),
}
USES_REAL = {"relativistic"}  # the generator losses that read the real outputs too


def test_names_are_the_seven_short_names_in_book_order():
    assert loss_names() == tuple(EXPECTED)
    assert tuple(LOSSES) == tuple(EXPECTED)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_name_resolves_to_its_pair(name):
    d_loss, g_loss, penalty, clipping, output = EXPECTED[name]
    pair = get_loss(name)
    assert pair is LOSSES[name]
    assert pair.name == name
    assert pair.discriminator_loss is getattr(losses, d_loss)
    assert pair.generator_loss is getattr(losses, g_loss)
    assert pair.uses_gradient_penalty is penalty
    assert pair.uses_weight_clipping is clipping
    assert pair.output == output
    assert pair.generator_uses_real is (name in USES_REAL)
    assert "arXiv:" in pair.paper


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_pair_runs_on_a_batch_with_the_default_reduction(name):
    pair = get_loss(name)
    d_real, d_fake = torch.tensor([0.5, -0.2, 1.5]), torch.tensor([-0.3, 0.8])
    assert pair.discriminator_loss(d_real, d_fake).shape == ()
    assert pair.generator_loss_of(d_fake, d_real).shape == ()


@pytest.mark.parametrize("name", list(EXPECTED))
def test_generator_loss_of_calls_every_generator_loss_the_same_way(name):
    pair = get_loss(name)
    d_real, d_fake = torch.tensor([0.5, -0.2, 1.5]), torch.tensor([-0.3, 0.8])
    if name in USES_REAL:
        direct = pair.generator_loss(d_real, d_fake, reduction="none")
        with pytest.raises(ValueError, match=rf"^the generator loss of {name!r} needs"):
            pair.generator_loss_of(d_fake)
    else:
        direct = pair.generator_loss(d_fake, reduction="none")
        # the real outputs are not needed, and are ignored when given
        torch.testing.assert_close(pair.generator_loss_of(d_fake), pair.generator_loss(d_fake))
    torch.testing.assert_close(pair.generator_loss_of(d_fake, d_real, reduction="none"), direct)


def test_registered_minimax_loss_is_the_papers_loss_without_label_smoothing():
    # At d = 0 both terms are log 2; TF-GAN's default smoothing 0.25 would give the same value,
    # so use a real logit where smoothing matters: −log σ(3) + log 2.
    value = get_loss("minimax").discriminator_loss(torch.tensor([3.0]), torch.tensor([0.0]))
    expected = torch.nn.functional.softplus(torch.tensor(-3.0)) + torch.log(torch.tensor(2.0))
    torch.testing.assert_close(value, expected)


@pytest.mark.parametrize("name", ["gan", "WGAN-GP", "nonsaturating", "", None])
def test_unknown_name_is_refused_listing_the_known_ones(name):
    listed = ", ".join(repr(known) for known in EXPECTED)
    with pytest.raises(ValueError, match=rf"^unknown loss {name!r}; expected one of ") as error:
        get_loss(name)
    assert str(error.value).endswith(listed)


def test_pairs_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        get_loss("hinge").name = "other"


def test_registry_is_read_only():
    with pytest.raises(TypeError):
        LOSSES["other"] = get_loss("hinge")


def test_a_pair_refuses_a_flag_that_is_not_a_bool():
    with pytest.raises(TypeError, match=r"^generator_uses_real must be a bool"):
        LossPair(
            "x",
            losses.hinge_discriminator_loss,
            losses.hinge_generator_loss,
            "paper",
            uses_gradient_penalty=False,
            generator_uses_real=1,
        )


def test_a_pair_refuses_an_unknown_output_kind():
    with pytest.raises(ValueError, match=r"^unknown output 'probability'"):
        LossPair(
            "x",
            losses.hinge_discriminator_loss,
            losses.hinge_generator_loss,
            "paper",
            uses_gradient_penalty=False,
            output="probability",
        )
