"""The WGAN-GP chapter: the penalty, the whole-batch bug and batch normalisation, checked.

Each formula of the prose is recomputed here by a route that shares no code with the package:
hand-written gradients of known critics, Jacobians computed one example at a time.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from ganbook.book.part2.wgan_gp.experiments import buggy_whole_batch_gradient_penalty
from ganbook.book.part2.wgan_gp.figures import NORM_BINS, ZERO_BIN, norm_histogram
from ganbook.losses import wasserstein_discriminator_loss
from ganbook.models import MLPDiscriminator
from ganbook.penalties import gradient_penalty


def test_the_result_holds_one_row_per_member_and_the_bug_run_once(results):
    penalty_run = results["wgan_gp"]
    a, s = penalty_run.arrays, penalty_run.scalars
    members = s["members"]
    assert a["eval_w1"].shape == (members, len(a["eval_step"]))
    assert a["final_norms"].shape == (members, s["eval_samples"])
    assert a["bug_norms"].shape == a["same_step_norms"].shape == (s["eval_samples"],)
    assert s["bug_target"] == pytest.approx(1 / math.sqrt(s["batch_size"]))


def half_square(x: torch.Tensor) -> torch.Tensor:
    r"""D(x) = ½‖x‖², whose gradient at x is x itself."""
    return 0.5 * (x**2).sum(dim=1)


def batches(seed: int, n: int = 64):
    generator = torch.Generator().manual_seed(seed)
    real = torch.randn(n, 2, generator=generator, dtype=torch.float64)
    fake = torch.randn(n, 2, generator=generator, dtype=torch.float64) + 2.0
    return real, fake


def alphas(seed: int, n: int) -> torch.Tensor:
    r"""The α ~ U[0, 1) that a penalty draws first from a generator seeded with ``seed``."""
    return torch.rand(n, 1, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


@pytest.mark.parametrize("seed", [0, 1])
def test_the_penalty_is_the_mean_squared_excess_of_per_example_norms_at_interpolates(seed):
    real, fake = batches(seed)
    alpha = alphas(seed, len(real))
    x_hat = real + alpha * (fake - real)  # ∇D(x̂) = x̂ for D = ½‖x‖²
    expected = ((x_hat.norm(dim=1) - 1.0) ** 2).mean()
    rng = torch.Generator().manual_seed(seed)
    assert torch.allclose(gradient_penalty(half_square, real, fake, rng=rng), expected)


@pytest.mark.parametrize("seed", [2, 3])
def test_the_whole_batch_norm_is_root_b_times_the_rms_of_the_per_example_norms(seed):
    real, fake = batches(seed)
    b = len(real)
    x_hat = real + alphas(seed, b) * (fake - real)
    per_example = x_hat.norm(dim=1)
    rms = per_example.pow(2).mean().sqrt()
    rng = torch.Generator().manual_seed(seed)
    bug = buggy_whole_batch_gradient_penalty(half_square, real, fake, rng=rng)
    assert torch.allclose(bug, (math.sqrt(b) * rms - 1.0) ** 2)


def test_the_bug_is_satisfied_by_norms_of_one_over_root_b_not_one():
    b = 256
    real = torch.zeros(b, 2, dtype=torch.float64)
    for norm, vanishes in ((1.0 / math.sqrt(b), True), (1.0, False)):
        w = torch.tensor([norm, 0.0], dtype=torch.float64)  # linear critic, ‖∇D‖ = norm
        bug = buggy_whole_batch_gradient_penalty(lambda x, w=w: x @ w, real, real + 1)
        right = gradient_penalty(lambda x, w=w: x @ w, real, real + 1)
        assert (bug.item() < 1e-20) is vanishes
        assert (right.item() < 1e-20) is not vanishes


def test_the_bug_on_f_is_an_rms_penalty_on_root_b_f_with_the_loss_divided_by_root_b():
    # f = g/√B: the bug's penalty on f equals (rms‖∇g‖ − 1)², and L(f) = L(g)/√B
    critic = MLPDiscriminator(hidden=16, generator=torch.Generator().manual_seed(0)).double()
    real, fake = batches(4, n=100)
    b = len(real)

    def f(x):
        return critic(x) / math.sqrt(b)

    bug = buggy_whole_batch_gradient_penalty(f, real, fake, rng=torch.Generator().manual_seed(7))
    x_hat = (real + alphas(7, b) * (fake - real)).requires_grad_(True)
    (grad_g,) = torch.autograd.grad(critic(x_hat).sum(), x_hat)
    rms_g = grad_g.norm(dim=1).pow(2).mean().sqrt()
    assert torch.allclose(bug, (rms_g - 1.0) ** 2)
    loss_f = wasserstein_discriminator_loss(f(real), f(fake))
    loss_g = wasserstein_discriminator_loss(critic(real), critic(fake))
    assert torch.allclose(loss_f, loss_g / math.sqrt(b))


def per_example_gradients(critic, x: torch.Tensor) -> torch.Tensor:
    r"""∂D(x_i)/∂x_i for every i, read off the full Jacobian of the batch's outputs."""
    jacobian = torch.autograd.functional.jacobian(lambda v: critic(v).reshape(-1), x)  # (N, N, d)
    return torch.stack([jacobian[i, i] for i in range(len(x))])


def summed_output_gradients(critic, x: torch.Tensor) -> torch.Tensor:
    r"""∇ₓ Σ_i D(x_i), the quantity every gradient penalty differentiates."""
    x = x.detach().requires_grad_(True)
    (gradients,) = torch.autograd.grad(critic(x).sum(), x)
    return gradients


def test_batch_norm_couples_the_examples_and_breaks_the_per_example_gradient():
    with torch.random.fork_rng():  # layers draw their weights from the global generator
        torch.manual_seed(0)
        x = torch.randn(16, 2, dtype=torch.float64)
        plain = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
        normed = torch.nn.Sequential(
            torch.nn.Linear(2, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(), torch.nn.Linear(8, 1)
        )
    plain, normed = plain.double(), normed.double().train()
    # without batch norm, the gradient of the sum is each example's own gradient
    assert torch.allclose(summed_output_gradients(plain, x), per_example_gradients(plain, x))
    # with batch norm in training mode it is not: D(x_i) depends on every x_j of the batch
    gap = summed_output_gradients(normed, x) - per_example_gradients(normed, x)
    assert gap.abs().max() > 1e-3


def test_the_norm_histogram_keeps_exact_zeros_in_a_bin_of_their_own():
    # a flat ReLU critic's gradient norms are exactly 0: they must show, not fall off the log axis
    fig, ax = plt.subplots()
    norm_histogram(ax, np.concatenate([np.zeros(100), np.full(100, 1e-3)]), "k")
    heights = [patch.get_height() for patch in ax.patches]
    plt.close(fig)
    assert len(heights) == len(NORM_BINS) - 1 + len(ZERO_BIN) - 1 + 1  # zeros, gap, log bins
    assert heights[0] == pytest.approx(0.5)
    assert sum(heights) == pytest.approx(1.0)


def test_the_norm_histogram_drops_no_norm_outside_its_axis():
    # norms below the axis's first edge or above its last still count, in the end bins
    fig, ax = plt.subplots()
    norms = np.array([0.0, 1e-9, NORM_BINS[0], 0.5, 1.0, 50.0])
    norm_histogram(ax, norms, "k")
    heights = np.array([patch.get_height() for patch in ax.patches])
    plt.close(fig)
    assert heights.sum() == pytest.approx(1.0)
    assert heights[0] == pytest.approx(1 / 6)  # the exact zero
    assert heights[2] == pytest.approx(2 / 6)  # 1e-9 and the first edge, in the first log bin
    assert heights[-1] == pytest.approx(1 / 6)  # 50, in the last log bin
