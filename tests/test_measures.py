"""ganbook.measures: coverage, W1, critics on grids, gradient norms and the toy-run harness.

Each measure is checked against a truth it does not share code with: scipy's 1-D Wasserstein
distance and an assignment solver for W1, point clouds built on the ring's centres for coverage,
linear critics whose gradients are their weights, singular values for the spectral bound.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist
from scipy.special import expit
from scipy.stats import wasserstein_distance
from torch import nn

from ganbook.data import EIGHT_GAUSSIANS_STD, eight_gaussians_centres
from ganbook.engine.registry import RunContext
from ganbook.measures import (
    COVERAGE_RADIUS,
    ToyEnsemble,
    add_spread,
    covered_modes,
    critic_weights,
    evaluation_steps,
    examine,
    fixed_generator_game,
    fraction_at_bound,
    gradient_norms_at_interpolates,
    median_member,
    mode_shares,
    nearest_index,
    nearest_mode,
    on_mode,
    on_plane_grid,
    optimal_logistic_discriminator,
    plane_grid,
    real_w1_floor,
    ring_data,
    ring_loss_runs,
    sample_w1,
    spectral_norm_product,
    spread,
    theta_grid,
    toy_config,
    toy_ensemble,
    toy_players,
    train_discriminator,
)
from ganbook.models import LogisticDiscriminator, MLPDiscriminator, ShiftGenerator
from ganbook.theory import gaussian_optimal_discriminator_logit
from ganbook.training import train

CPU = torch.device("cpu")
CENTRES = eight_gaussians_centres(dtype=torch.float64).numpy()


def context(seed: int = 0) -> RunContext:
    return RunContext(device=CPU, seed=seed, profile="test")


# --- samples --------------------------------------------------------------------------------------


def test_sample_w1_in_one_dimension_is_scipys_wasserstein_distance():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0.0, 1.0, 40), rng.normal(1.5, 0.5, 60)  # unequal sizes
    assert sample_w1(a[:, None], b[:, None]) == pytest.approx(wasserstein_distance(a, b), rel=1e-9)


def test_sample_w1_of_equal_clouds_is_the_best_matching():
    # with n points on each side an optimal plan is a permutation (Birkhoff), so W1 is the mean
    # cost of the best one-to-one assignment
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(30, 2)), rng.normal(size=(30, 2)) + 0.7
    cost = cdist(a, b)
    rows, cols = linear_sum_assignment(cost)
    assert sample_w1(a, b) == pytest.approx(cost[rows, cols].mean(), rel=1e-9)
    assert sample_w1(a, a) == pytest.approx(0.0, abs=1e-12)


def test_the_real_vs_real_floor_is_w1_between_two_draws_of_the_data():
    n = 200
    first = ring_data(n, torch.Generator().manual_seed(3)).numpy()
    rng = torch.Generator().manual_seed(3)
    ring_data(n, rng)  # the floor draws the first sample, then the second, from one stream
    second = ring_data(n, rng).numpy()
    assert real_w1_floor(ring_data, n, torch.Generator().manual_seed(3)) == sample_w1(first, second)
    reference = ring_data(n, torch.Generator().manual_seed(4)).numpy()
    floor = real_w1_floor(ring_data, n, torch.Generator().manual_seed(3), reference=reference)
    assert floor == sample_w1(first, reference)
    # two samples of the same ring are much closer than the ring is to one of its modes
    assert floor < 0.5 * sample_w1(CENTRES[:1], reference)


def test_nearest_mode_and_on_mode_follow_the_three_sigma_rule():
    mode, distance = nearest_mode(CENTRES)
    np.testing.assert_array_equal(mode, np.arange(8))
    np.testing.assert_allclose(distance, 0.0, atol=1e-15)
    outward = CENTRES[2] / np.linalg.norm(CENTRES[2])  # radially out of mode 2: still nearest
    radius = COVERAGE_RADIUS * EIGHT_GAUSSIANS_STD
    points = CENTRES[2] + np.outer([0.9 * radius, 1.1 * radius], outward)
    mode, on = on_mode(points)
    assert mode.tolist() == [2, 2]
    assert on.tolist() == [True, False]


def test_coverage_and_mode_shares_on_a_cloud_whose_answer_is_known():
    # 30 points on each of modes 0, 3 and 5, 19 on mode 6 (too few to count), 32 at the origin
    on_modes = np.repeat(CENTRES[[0, 3, 5]], 30, axis=0)
    cloud = np.concatenate([on_modes, np.repeat(CENTRES[[6]], 19, axis=0), np.zeros((32, 2))])
    assert covered_modes(cloud) == 3
    shares = mode_shares(cloud)
    expected = np.zeros(8)
    expected[[0, 3, 5]], expected[6] = 30 / 141, 19 / 141
    np.testing.assert_allclose(shares, expected)
    assert shares.sum() == pytest.approx(1 - 32 / 141)  # the origin is on no mode


# --- critics --------------------------------------------------------------------------------------


class Linear(nn.Module):
    """D(x) = w·x + b, whose gradient is w everywhere."""

    def __init__(self, w: list[float], b: float = 0.3) -> None:
        super().__init__()
        self.w = torch.tensor(w, dtype=torch.float64)
        self.b = b

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x.double() @ self.w + self.b).unsqueeze(-1)


def test_gradient_norms_of_a_linear_critic_are_its_weight_norm_at_every_interpolate():
    real = torch.randn(64, 2, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    fake = real + 5.0
    norms = gradient_norms_at_interpolates(Linear([3.0, -4.0]), real, fake, torch.Generator())
    assert norms.shape == (64,)
    np.testing.assert_allclose(norms, 5.0, rtol=1e-15)


def test_gradient_norms_are_taken_at_the_penalty_s_interpolates():
    # D(x) = ½‖x‖² has gradient x: the norms are ‖x + α(x̃ − x)‖ with α from the generator
    rng = torch.Generator().manual_seed(1)
    real = torch.randn(50, 2, generator=rng, dtype=torch.float64)
    fake = torch.randn(50, 2, generator=rng, dtype=torch.float64)
    norms = gradient_norms_at_interpolates(
        lambda x: 0.5 * (x**2).sum(dim=1), real, fake, torch.Generator().manual_seed(9)
    )
    alpha = torch.rand(50, 1, generator=torch.Generator().manual_seed(9), dtype=torch.float64)
    expected = (real + alpha * (fake - real)).norm(dim=1).numpy()
    np.testing.assert_allclose(norms, expected, rtol=1e-12)


def test_a_critic_on_the_plane_grid_has_row_i_at_the_i_th_y():
    axis = np.linspace(-2.0, 2.0, 5)
    xs = on_plane_grid(Linear([1.0, 0.0], b=0.0), 2.0, 5, CPU)
    ys = on_plane_grid(Linear([0.0, 1.0], b=0.0), 2.0, 5, CPU)
    np.testing.assert_allclose(xs, np.tile(axis, (5, 1)), atol=1e-6)
    np.testing.assert_allclose(ys, np.tile(axis[:, None], (1, 5)), atol=1e-6)
    assert plane_grid(2.0, 5).shape == (25, 2)


def test_the_spectral_bound_is_the_product_of_the_largest_singular_values():
    critic = MLPDiscriminator(hidden=8, depth=2, generator=torch.Generator().manual_seed(2))
    layers = [
        m.weight.detach().double().numpy() for m in critic.modules() if isinstance(m, nn.Linear)
    ]
    product = np.prod([np.linalg.svd(w, compute_uv=False)[0] for w in layers])
    assert spectral_norm_product(critic) == pytest.approx(product, rel=1e-5)
    x = torch.randn(200, 2, generator=torch.Generator().manual_seed(3))
    norms = gradient_norms_at_interpolates(critic, x, -x, torch.Generator().manual_seed(4))
    assert np.all(norms <= spectral_norm_product(critic) * (1 + 1e-5))


def test_weights_and_the_share_of_them_at_the_clipping_bound():
    critic = MLPDiscriminator(hidden=4, depth=1, generator=torch.Generator().manual_seed(5))
    weights = critic_weights(critic)
    assert weights.shape == (sum(p.numel() for p in critic.parameters()),)
    c = 0.01
    at = np.array([c, -c, 1.005 * c, -0.995 * c, 0.98 * c, 0.0, 0.5 * c, 2 * c])
    assert fraction_at_bound(at, c) == pytest.approx(4 / 8)


# --- summaries ------------------------------------------------------------------------------------


def test_spread_leaves_out_missing_members_and_names_three_numbers():
    assert spread("x", np.array([3.0, np.nan, 1.0, 2.0])) == {
        "x_min": 1.0,
        "x_median": 2.0,
        "x_max": 3.0,
    }
    assert all(np.isnan(v) for v in spread("x", np.array([np.nan])).values())
    assert spread("m", np.array([4, 7, 5]), int) == {"m_min": 4, "m_median": 5, "m_max": 7}


def test_add_spread_keeps_counts_as_ints_and_the_median_a_float():
    scalars: dict = {}
    add_spread(scalars, "modes", np.array([8, 3, 6, 5]))
    assert scalars == {"modes_median": 5.5, "modes_min": 3, "modes_max": 8}
    assert type(scalars["modes_min"]) is int
    assert type(scalars["modes_median"]) is float


def test_the_median_member_is_the_lower_middle_one():
    assert median_member(np.array([0.4, 0.1, 0.3, 0.2])) == 3  # sorted: 0.1 0.2 | 0.3 0.4
    assert median_member(np.array([5.0])) == 0


# --- the shift toy --------------------------------------------------------------------------------


def test_the_theta_grid_and_its_nearest_index():
    thetas = theta_grid({"mu": 0.0, "theta_span": 10.0, "thetas": 401})
    assert (thetas[0], thetas[200], thetas[-1]) == (-10.0, 0.0, 10.0)
    assert nearest_index(thetas, -8.01) == 40


def test_the_optimal_logistic_discriminator_is_d_star_and_holds_no_gradient():
    model = optimal_logistic_discriminator(0.0, -2.0, 1.5)
    x = np.linspace(-5, 5, 11)
    out = model(torch.tensor(x)[:, None]).squeeze(1).numpy()
    np.testing.assert_allclose(out, gaussian_optimal_discriminator_logit(x, 0.0, -2.0, 1.5))
    assert not any(p.requires_grad for p in model.parameters())


# --- the toy-run harness --------------------------------------------------------------------------


PARAMS = {"hidden": 8, "depth": 2, "members": 2, "steps": 4, "batch_size": 16}
PARAMS |= {"snapshot_every": 2, "samples": 64}


def test_players_come_from_the_members_own_named_streams():
    first, second = context(7).members(2)
    g, d = toy_players(PARAMS, first)
    g_again, _ = toy_players(PARAMS, context(7).members(2)[0])
    g_other, _ = toy_players(PARAMS, second)
    same = [torch.equal(a, b) for a, b in zip(g.parameters(), g_again.parameters(), strict=True)]
    assert all(same)
    assert not torch.equal(next(g.parameters()), next(g_other.parameters()))
    expected = MLPDiscriminator(hidden=8, depth=2, generator=first.stream("init-d"))
    assert all(
        torch.equal(a, b) for a, b in zip(d.parameters(), expected.parameters(), strict=True)
    )


def test_a_config_takes_the_schedule_from_the_params_and_the_seed_from_the_member():
    member = context(1).members(1)[0]
    config = toy_config("wasserstein", PARAMS, member, clip_value=0.02)
    assert (config.steps, config.batch_size, config.snapshot_every) == (4, 16, 2)
    assert (config.seed, config.clip_value) == (member.seed, 0.02)
    assert config.n_critic == 5  # the loss's default, not overridden


def test_an_ensemble_member_is_the_train_run_of_its_players_and_config():
    ensemble = toy_ensemble("minimax", PARAMS, context(2), snapshot_size=32)
    stops: list[tuple[int, int]] = []
    histories = ensemble.train(ring_data, stops=[2], on_stop=lambda k, s: stops.append((k, s)))
    assert stops == [(0, 2), (1, 2)]
    assert isinstance(ensemble, ToyEnsemble)
    assert ensemble.histories is histories
    member = ensemble.members[1]
    G, D = toy_players(PARAMS, member)
    alone = train(G, D, ring_data, ensemble.configs[1], progress=False)
    # batched float32 products round differently from single ones: equal to float32 noise
    np.testing.assert_allclose(histories[1].snapshots, alone.snapshots, atol=1e-5)


def test_ring_loss_runs_compare_losses_seed_by_seed():
    arrays, scalars = ring_loss_runs(["minimax", "least-squares"], PARAMS, context(3))
    # member k of both losses starts from the same generator and the same snapshot latents
    np.testing.assert_array_equal(
        arrays["saturating_snapshots"][:, 0], arrays["ls_snapshots"][:, 0]
    )
    assert arrays["saturating_w1"].shape == (2, 3)  # members × snapshots at 0, 2, 4
    real = ring_data(64, context(3).stream("w1-real")).numpy()
    expected = sample_w1(arrays["ls_snapshots"][1, -1], real)
    assert arrays["ls_w1"][1, -1] == expected
    floor = real_w1_floor(ring_data, 64, context(3).stream("w1-floor"), reference=real)
    assert scalars["w1_floor"] == floor
    assert scalars["saturating_final_w1_max"] == arrays["saturating_w1"][:, -1].max()


def test_evaluation_steps_are_sorted_and_end_at_the_last_step():
    params = {"first_evaluation": 100, "evaluate_every": 500, "steps": 1200}
    assert evaluation_steps(params) == [100, 500, 1000, 1200]


def test_an_examination_draws_everything_from_its_own_stream():
    params = {"eval_samples": 128, "critic_samples": 256, "hidden": 8, "depth": 2}
    G, D = toy_players(params, context(4).members(1)[0])
    one = examine(G, D, params, torch.Generator().manual_seed(5), CPU)
    two = examine(G, D, params, torch.Generator().manual_seed(5), CPU)
    np.testing.assert_array_equal(one["norms"], two["norms"])
    assert one["w1"] == two["w1"]
    assert one["norms"].shape == (128,)
    assert np.all(one["norms"] <= one["lipschitz_bound"] * (1 + 1e-5))


# --- a discriminator against a fixed generator ----------------------------------------------------


def test_a_fixed_generator_never_moves_and_the_callback_sees_every_step():
    member = context(6).members(1)[0]
    generator, discriminator = ShiftGenerator(-1.0), LogisticDiscriminator()
    sgd = torch.optim.SGD(discriminator.parameters(), lr=0.5)
    gan = fixed_generator_game(generator, discriminator, sgd, "minimax", member, offset=0)
    seen: list[int] = []
    train_discriminator(
        gan,
        lambda n, g: torch.randn(n, 1, generator=g) + 1.0,
        steps=200,
        batch_size=256,
        context=member,
        offset=0,
        after_step=seen.append,
    )
    assert seen == list(range(1, 201))
    assert generator.theta.item() == -1.0
    # data N(1, 1) against N(-1, 1): D* has logit 2x, which the classifier approaches
    assert discriminator.phi1.item() == pytest.approx(2.0, abs=0.3)
    assert abs(discriminator.phi0.item()) < 0.3
    assert expit(discriminator.phi1.item()) > 0.5
