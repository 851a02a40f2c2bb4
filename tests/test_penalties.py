"""Penalties against critics whose input gradients are known by hand.

A linear critic D(x) = ⟨w, x⟩ has ∇D = w everywhere, so its gradient penalty is (‖w‖/K − 1)²
whatever the interpolation; a quadratic critic D(x) = Σ_j x_j²/2 has ∇D(x) = x, whose norm
depends on the example, which separates a per-example norm from a whole-batch one.
"""

from __future__ import annotations

import math

import pytest
import torch

from ganbook.penalties import clip_weights_, gradient_penalty, r1_penalty, r2_penalty


def linear_critic(w: torch.Tensor):
    """D(x) = ⟨w, x⟩ per example, for ``w`` shaped like one example."""
    return lambda x: (x * w).flatten(1).sum(dim=1)


def quadratic_critic(x: torch.Tensor) -> torch.Tensor:
    """D(x) = Σ_j x_j² / 2 per example, so that ∇D(x) = x."""
    return 0.5 * x.pow(2).flatten(1).sum(dim=1)


W_FLAT = torch.tensor([3.0, 4.0], dtype=torch.float64)  # ‖w‖ = 5
W_IMAGE = torch.arange(16, dtype=torch.float64).reshape(1, 4, 4) / 10  # ‖w‖² = 12.4
BATCHES = {
    "flat": (W_FLAT, (6, 2)),
    "image": (W_IMAGE, (6, 1, 4, 4)),
}


def _batches(shape, seed=0, dtype=torch.float64):
    generator = torch.Generator().manual_seed(seed)
    real = torch.randn(shape, generator=generator, dtype=dtype)
    fake = torch.randn(shape, generator=generator, dtype=dtype)
    return real, fake


@pytest.mark.parametrize("batch", sorted(BATCHES))
@pytest.mark.parametrize(("target", "one_sided"), [(1.0, False), (2.0, False), (1.0, True)])
def test_gradient_penalty_of_a_linear_critic_is_known_by_hand(batch, target, one_sided):
    w, shape = BATCHES[batch]
    norm = torch.linalg.vector_norm(w).item()
    value = gradient_penalty(linear_critic(w), *_batches(shape), target=target, one_sided=one_sided)
    assert value.item() == pytest.approx((norm / target - 1.0) ** 2)


@pytest.mark.parametrize("target", [5.0, 10.0])
def test_one_sided_penalty_ignores_norms_below_the_target(target):
    real, fake = _batches((6, 2))
    two_sided = gradient_penalty(linear_critic(W_FLAT), real, fake, target=target)
    one_sided = gradient_penalty(linear_critic(W_FLAT), real, fake, target=target, one_sided=True)
    assert two_sided.item() == pytest.approx((5.0 / target - 1.0) ** 2)
    assert one_sided.item() == 0.0


def test_gradient_penalty_takes_the_norm_per_example():
    # real = fake, so x̂ = real whatever α is; ∇D(x̂_i) = x̂_i with norms 5 and 1.
    x = torch.tensor([[3.0, 4.0], [0.0, 1.0]], dtype=torch.float64)
    value = gradient_penalty(quadratic_critic, x, x.clone())
    per_example = ((5.0 - 1.0) ** 2 + (1.0 - 1.0) ** 2) / 2  # 8
    whole_batch = (math.sqrt(26.0) - 1.0) ** 2  # what one norm over the batch would give
    assert value.item() == pytest.approx(per_example)
    assert value.item() != pytest.approx(whole_batch)


def test_gradient_penalty_interpolates_with_one_alpha_per_example_in_unit_interval():
    seen = []

    def recording_critic(x):
        seen.append(x.detach().clone())
        return x.flatten(1).sum(dim=1)

    real, fake = _batches((50, 1, 2, 2))
    gradient_penalty(recording_critic, real, fake, rng=torch.Generator().manual_seed(3))
    alpha = (seen[0] - real) / (fake - real)  # x̂ = x + α(x̃ − x)  ⇒  α = (x̂ − x)/(x̃ − x)
    per_example = alpha.flatten(1)
    torch.testing.assert_close(per_example, per_example[:, :1].expand_as(per_example))
    assert ((per_example >= 0) & (per_example < 1)).all()
    assert per_example[:, 0].unique().numel() == 50


def test_gradient_penalty_is_reproducible_from_its_generator():
    real, fake = _batches((8, 2))

    def penalty(seed):
        return gradient_penalty(
            quadratic_critic, real, fake, rng=torch.Generator().manual_seed(seed)
        )

    assert torch.equal(penalty(0), penalty(0))
    assert not torch.equal(penalty(0), penalty(1))


def test_gradient_penalty_alpha_matches_torch_rand_with_the_same_generator():
    real, fake = _batches((4, 2), seed=5)
    alpha = torch.rand((4, 1), generator=torch.Generator().manual_seed(7), dtype=torch.float64)
    x_hat = real + alpha * (fake - real)
    expected = ((torch.linalg.vector_norm(x_hat, dim=1) - 1.0) ** 2).mean()
    value = gradient_penalty(quadratic_critic, real, fake, rng=torch.Generator().manual_seed(7))
    torch.testing.assert_close(value, expected)


def test_gradient_penalty_backpropagates_into_the_critic():
    # D(x) = ⟨w, x⟩ + b: P = (‖w‖ − 1)², ∂P/∂w = 2(‖w‖ − 1) w/‖w‖, ∂P/∂b = 0.
    critic = torch.nn.Linear(2, 1).double()
    with torch.no_grad():
        critic.weight.copy_(W_FLAT)
    gradient_penalty(critic, *_batches((5, 2))).backward()
    torch.testing.assert_close(critic.weight.grad[0], 2 * (5.0 - 1.0) * W_FLAT / 5.0)
    assert critic.bias.grad is None or critic.bias.grad.abs().max() == 0


def test_gradient_penalty_sends_no_gradient_to_the_generator():
    fake = torch.randn(4, 2, dtype=torch.float64, requires_grad=True)
    gradient_penalty(quadratic_critic, torch.randn(4, 2, dtype=torch.float64), fake).backward()
    assert fake.grad is None


def test_gradient_penalty_of_a_flat_critic_is_one_with_a_finite_gradient():
    critic = torch.nn.Linear(2, 1)
    with torch.no_grad():
        critic.weight.zero_()
    value = gradient_penalty(critic, *_batches((4, 2), dtype=torch.float32))
    value.backward()
    assert value.item() == 1.0
    assert torch.isfinite(critic.weight.grad).all()


@pytest.mark.parametrize("batch", sorted(BATCHES))
def test_r1_penalty_of_a_linear_critic_is_the_squared_norm_of_w(batch):
    w, shape = BATCHES[batch]
    real, _ = _batches(shape)
    value = r1_penalty(linear_critic(w), real)
    assert value.item() == pytest.approx(w.pow(2).sum().item())


def test_r1_penalty_is_the_mean_of_per_example_squared_norms():
    x = torch.tensor([[3.0, 4.0], [0.0, 1.0]], dtype=torch.float64)  # ‖∇D(x_i)‖² = 25, 1
    assert r1_penalty(quadratic_critic, x).item() == pytest.approx(13.0)


def test_r1_penalty_backpropagates_into_the_critic():
    # D(x) = ⟨w, x⟩ + b: R1 = ‖w‖², ∂R1/∂w = 2w.
    critic = torch.nn.Linear(2, 1).double()
    with torch.no_grad():
        critic.weight.copy_(W_FLAT)
    real = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
    r1_penalty(critic, real).backward()
    torch.testing.assert_close(critic.weight.grad[0], 2 * W_FLAT)
    assert real.grad is None


@pytest.mark.parametrize("shape", [(7, 2), (5, 1, 3, 3)], ids=["flat", "image"])
def test_r2_penalty_of_the_half_squared_norm_critic_is_the_mean_squared_norm(shape):
    # D(x) = ‖x‖²/2 has ∇D(x) = x, so R2 = E‖x̃‖², computed here without autograd.
    _, fake = _batches(shape, seed=2)
    expected = fake.pow(2).flatten(1).sum(dim=1).mean()
    torch.testing.assert_close(r2_penalty(quadratic_critic, fake), expected)


@pytest.mark.parametrize("batch", sorted(BATCHES))
def test_r2_penalty_of_a_linear_critic_is_the_squared_norm_of_w(batch):
    w, shape = BATCHES[batch]
    _, fake = _batches(shape)
    assert r2_penalty(linear_critic(w), fake).item() == pytest.approx(w.pow(2).sum().item())


def test_r2_is_r1_on_the_other_batch_bit_for_bit():
    x = torch.randn(6, 3, generator=torch.Generator().manual_seed(8), dtype=torch.float64)
    critic = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    critic = critic.double()
    assert torch.equal(r2_penalty(critic, x), r1_penalty(critic, x))


def test_r2_penalty_trains_the_critic_and_sends_nothing_to_the_generator():
    # D(x) = ⟨w, x⟩ + b: R2 = ‖w‖², ∂R2/∂w = 2w; the fake batch is detached.
    critic = torch.nn.Linear(2, 1).double()
    with torch.no_grad():
        critic.weight.copy_(W_FLAT)
    theta = torch.tensor([0.5, -0.5], dtype=torch.float64, requires_grad=True)
    fake = torch.randn(3, 2, dtype=torch.float64) + theta  # G_θ(z) = z + θ
    r2_penalty(critic, fake).backward()
    torch.testing.assert_close(critic.weight.grad[0], 2 * W_FLAT)
    assert theta.grad is None


def test_clip_weights_clamps_every_parameter_in_place_and_returns_the_module():
    critic = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Linear(2, 1))
    with torch.no_grad():
        for parameter in critic.parameters():
            parameter.copy_(torch.linspace(-1.0, 1.0, parameter.numel()).reshape(parameter.shape))
    before = [parameter.detach().clone() for parameter in critic.parameters()]
    assert clip_weights_(critic, 0.5) is critic
    for old, new in zip(before, critic.parameters(), strict=True):
        torch.testing.assert_close(new.detach(), old.clamp(-0.5, 0.5))
    assert max(parameter.abs().max().item() for parameter in critic.parameters()) == 0.5


# Bad inputs: one test per error, each naming its argument.
GOOD = torch.zeros(4, 2)


def test_gradient_penalty_refuses_batches_of_different_shapes():
    with pytest.raises(ValueError, match=r"^real and fake must have the same shape"):
        gradient_penalty(quadratic_critic, GOOD, torch.zeros(3, 2))


@pytest.mark.parametrize("argument", ["real", "fake"])
@pytest.mark.parametrize(
    ("value", "error"),
    [
        ([[0.0]], TypeError),
        (torch.zeros(2, 2, dtype=torch.int64), TypeError),
        (torch.zeros(0, 2), ValueError),
        (torch.tensor(1.0), ValueError),
    ],
    ids=["list", "int", "empty", "0-d"],
)
def test_gradient_penalty_refuses_bad_batches_by_name(argument, value, error):
    batches = {"real": GOOD, "fake": GOOD, argument: value}
    with pytest.raises(error, match=rf"^{argument} "):
        gradient_penalty(quadratic_critic, batches["real"], batches["fake"])


@pytest.mark.parametrize(
    ("kwargs", "error", "argument"),
    [
        ({"target": 0.0}, ValueError, "target"),
        ({"target": -1.0}, ValueError, "target"),
        ({"target": math.nan}, ValueError, "target"),
        ({"one_sided": 1}, TypeError, "one_sided"),
        ({"rng": 0}, TypeError, "rng"),
    ],
)
def test_gradient_penalty_refuses_bad_options_by_name(kwargs, error, argument):
    with pytest.raises(error, match=rf"^{argument} "):
        gradient_penalty(quadratic_critic, GOOD, GOOD, **kwargs)


@pytest.mark.parametrize("penalty", [gradient_penalty, r1_penalty, r2_penalty])
def test_penalties_refuse_a_critic_that_is_not_callable(penalty):
    args = (GOOD, GOOD) if penalty is gradient_penalty else (GOOD,)
    with pytest.raises(TypeError, match=r"^critic must be callable"):
        penalty("critic", *args)


def test_r1_penalty_refuses_a_bad_batch_by_name():
    with pytest.raises(ValueError, match=r"^real must have at least one element"):
        r1_penalty(quadratic_critic, torch.zeros(0, 2))


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (torch.zeros(0, 2), ValueError, "at least one element"),
        (torch.tensor(1.0), ValueError, "batch dimension"),
        (torch.zeros(2, 2, dtype=torch.int64), TypeError, "floating-point"),
    ],
    ids=["empty", "0-d", "int"],
)
def test_r2_penalty_refuses_a_bad_batch_naming_fake(value, error, message):
    with pytest.raises(error, match=rf"^fake .*{message}"):
        r2_penalty(quadratic_critic, value)


@pytest.mark.parametrize(
    ("c", "error"), [(0.0, ValueError), (-0.01, ValueError), ("0.01", TypeError)]
)
def test_clip_weights_refuses_a_bad_bound_by_name(c, error):
    with pytest.raises(error, match=r"^c must be"):
        clip_weights_(torch.nn.Linear(2, 1), c)


def test_clip_weights_refuses_a_non_module_by_name():
    with pytest.raises(TypeError, match=r"^module must be a torch.nn.Module"):
        clip_weights_([torch.zeros(2)], 0.01)
