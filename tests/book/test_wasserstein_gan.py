"""The Wasserstein GAN chapter: the equalities and bounds its prose derives, checked numerically.

The duality is checked against a linear program solved here with scipy (no POT, no package
code); the critic's bound against POT's exact W1 between the same point clouds.
"""

from __future__ import annotations

import numpy as np
import ot
import pytest
import torch
from scipy.optimize import linear_sum_assignment, linprog
from scipy.spatial.distance import cdist
from scipy.stats import pearsonr

from ganbook.book.part2.wasserstein_gan.experiments import (
    positive_drift,
    stop_correlation,
    window_means,
)
from ganbook.engine import get_experiment
from ganbook.engine.claims import evaluate_claim, get_claim
from ganbook.engine.registry import RunContext
from ganbook.engine.result import ExperimentResult
from ganbook.losses import wasserstein_discriminator_loss, wasserstein_generator_loss
from ganbook.measures import (
    critic_weights,
    fraction_at_bound,
    gradient_norms_at_interpolates,
    sample_w1,
    spectral_norm_product,
    toy_players,
)
from ganbook.models import MLPDiscriminator
from ganbook.penalties import clip_weights_


def test_the_result_holds_one_row_per_member(results):
    clipping = results["wgan_clipping"]
    a, s = clipping.arrays, clipping.scalars
    members, stops = s["members"], len(a["eval_step"])
    assert a["eval_w1"].shape == a["ratio"].shape == (members, stops)
    assert a["weights"].shape == (members, s["weights_count"])
    assert a["snapshots"].shape[:2] == (members, len(a["snapshot_steps"]))
    assert 0 <= s["shown_member"] < members
    # the shown member is the median by final W1
    assert a["eval_w1"][s["shown_member"], -1] == np.sort(a["eval_w1"][:, -1])[(members - 1) // 2]
    np.testing.assert_allclose(a["ratio"], a["eval_critic_estimate"] / a["eval_w1"])


def test_both_chapters_ensembles_start_member_by_member_from_the_same_networks():
    # the WGAN-GP chapter compares its member k with member k of this chapter's ensemble
    clipping, penalty = get_experiment("wgan_clipping"), get_experiment("wgan_gp")
    assert clipping.seed == penalty.seed
    for profile in ("test", "standard", "full"):
        a, b = clipping.params_for(profile), penalty.params_for(profile)
        assert (a["hidden"], a["depth"], a["members"]) == (b["hidden"], b["depth"], b["members"])
    context = RunContext(torch.device("cpu"), seed=clipping.seed, profile="test")
    first, again = (toy_players(a, m) for m in (context.members(2)[1], context.members(2)[1]))
    other = toy_players(a, context.members(2)[0])
    weights = [critic_weights(players[1]) for players in (first, again, other)]
    assert np.array_equal(weights[0], weights[1])
    assert not np.array_equal(weights[0], weights[2])


def clouds(seed: int, n: int = 7, m: int = 5):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(n, 2)), rng.normal(loc=1.0, size=(m, 2))
    p, q = rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(m))
    return x, y, p, q


def lipschitz_dual(x, y, p, q, k: float = 1.0) -> tuple[float, np.ndarray]:
    r"""Max Σ p f(x) − Σ q f(y) over f with |f(u) − f(v)| ≤ k‖u − v‖ on the union of the points.

    Returns the maximum and the optimal f at the points of x, then of y.
    """
    points = np.vstack([x, y])
    n = len(points)
    gain = np.concatenate([p, -q])  # the objective, to be maximised
    distance = cdist(points, points)
    rows, bounds = [], []
    for i in range(n):
        for j in range(n):
            if i != j:
                row = np.zeros(n)
                row[i], row[j] = 1.0, -1.0  # f_i − f_j ≤ k d_ij
                rows.append(row)
                bounds.append(k * distance[i, j])
    fixed = [(0.0, 0.0)] + [(None, None)] * (n - 1)  # f is defined up to a constant
    solution = linprog(-gain, A_ub=np.array(rows), b_ub=np.array(bounds), bounds=fixed)
    assert solution.success
    return -solution.fun, solution.x


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kantorovich_rubinstein_in_the_plane(seed):
    # W1 = sup over 1-Lipschitz f of E_p f − E_q f: POT's primal against a dual LP solved here
    x, y, p, q = clouds(seed)
    value, _ = lipschitz_dual(x, y, p, q)
    assert value == pytest.approx(ot.emd2(p, q, cdist(x, y)), abs=1e-8)


def test_k_lipschitz_critics_reach_k_times_w1():
    # sup over K-Lipschitz f is K·W1: f/K is 1-Lipschitz
    x, y, p, q = clouds(3)
    value, _ = lipschitz_dual(x, y, p, q, k=0.01)
    assert value == pytest.approx(0.01 * ot.emd2(p, q, cdist(x, y)), abs=1e-10)


@pytest.mark.parametrize("seed", [4, 5])
def test_the_optimal_critic_rises_with_slope_one_along_every_transport_line(seed):
    # The WGAN-GP chapter's argument for a target norm of 1: where the optimal plan moves mass
    # from x_i to y_j, f*(x_i) − f*(y_j) = ‖x_i − y_j‖, so f* has slope 1 on that segment.
    x, y, p, q = clouds(seed)
    _, f = lipschitz_dual(x, y, p, q)
    distance = cdist(x, y)
    plan = ot.emd(p, q, distance)
    i, j = np.nonzero(plan > 1e-12)
    rise = f[i] - f[len(x) + j]
    assert np.allclose(rise, distance[i, j], atol=1e-7)


def test_sample_w1_is_an_optimal_assignment_for_equal_sizes():
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(60, 2)), rng.normal(size=(60, 2)) + 0.5
    cost = cdist(a, b)
    rows, cols = linear_sum_assignment(cost)
    assert sample_w1(a, b) == pytest.approx(cost[rows, cols].mean(), abs=1e-10)


def test_minus_the_critic_loss_is_the_score_difference_and_the_generator_loss_its_fake_term():
    d_real, d_fake = torch.randn(50), torch.randn(40)
    estimate = d_real.mean() - d_fake.mean()
    assert torch.allclose(-wasserstein_discriminator_loss(d_real, d_fake), estimate)
    assert torch.allclose(wasserstein_generator_loss(d_fake), -d_fake.mean())


def clipped_critic(seed: int, c: float = 0.01) -> MLPDiscriminator:
    critic = MLPDiscriminator(hidden=32, generator=torch.Generator().manual_seed(seed))
    return clip_weights_(critic, c).double()


@pytest.mark.parametrize("seed", [0, 1])
def test_a_clipped_critic_estimates_at_most_its_bound_times_w1(seed):
    # E_p D − E_q D ≤ K·W1(p, q) for any K-Lipschitz D, here on two empirical distributions
    critic = clipped_critic(seed)
    bound = spectral_norm_product(critic)
    x, y, _, _ = clouds(seed, n=300, m=300)
    with torch.no_grad():
        scores = [critic(torch.as_tensor(v)).mean().item() for v in (x, y)]
    assert abs(scores[0] - scores[1]) <= bound * sample_w1(x, y) + 1e-15
    assert bound < 0.1  # tiny: clipped weights make a nearly flat critic


def test_gradient_norms_stay_below_the_spectral_bound_and_weights_inside_the_walls():
    critic = clipped_critic(5)
    generator = torch.Generator().manual_seed(0)
    real = torch.randn(500, 2, generator=generator, dtype=torch.float64)
    fake = torch.randn(500, 2, generator=generator, dtype=torch.float64) * 3
    norms = gradient_norms_at_interpolates(critic, real, fake, generator)
    assert norms.shape == (500,)
    assert np.all(norms <= spectral_norm_product(critic))
    weights = critic_weights(critic)
    assert weights.size == sum(p.numel() for p in critic.parameters())
    assert np.all(np.abs(weights) <= 0.01 + 1e-12)


def test_fraction_at_bound_counts_weights_within_one_percent_of_c():
    weights = np.array([0.01, -0.01, 0.00995, -0.00991, 0.0098, 0.0])
    assert fraction_at_bound(weights, 0.01) == pytest.approx(4 / 6)


def test_window_means_average_consecutive_steps_of_every_member():
    assert window_means(np.arange(7.0), 3).tolist() == [1.0, 4.0]
    assert window_means(np.arange(14.0).reshape(2, 7), 3).tolist() == [[1.0, 4.0], [8.0, 11.0]]


def test_a_drift_factor_is_taken_between_positive_values_only():
    assert positive_drift(np.array([2e-5, -1e-7, 4e-6, 1e-5])) == pytest.approx(5.0)
    assert np.isnan(positive_drift(np.array([3e-5, -1e-7, 0.0])))  # one positive: no factor


def test_a_flat_relu_critic_has_exactly_zero_gradients():
    # a critic whose first layer is off everywhere (negative bias, zero weights) is flat
    critic = clipped_critic(6)
    with torch.no_grad():
        critic.net[0].weight.zero_()
        critic.net[0].bias.fill_(-0.01)
    generator = torch.Generator().manual_seed(1)
    real = torch.randn(100, 2, generator=generator, dtype=torch.float64)
    norms = gradient_norms_at_interpolates(critic, real, real + 1.0, generator)
    assert norms.shape == (100,)
    assert np.all(norms == 0.0)


def test_stop_correlation_is_pearsons_r_and_nan_when_it_says_nothing():
    rng = np.random.default_rng(5)
    for _ in range(20):
        x, y = rng.normal(size=(2, 6))
        assert stop_correlation(x, y) == pytest.approx(pearsonr(x, y)[0], abs=1e-12)
    assert np.isnan(stop_correlation([1.0, 2.0], [2.0, 1.0]))  # two stops: always ±1
    assert np.isnan(stop_correlation([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]))  # a constant series


def _drift_result(ratio: np.ndarray, drift_min: float) -> ExperimentResult:
    """A stand-in `wgan_clipping` result with K̂ per member and stop and a reported drift."""
    return ExperimentResult(
        arrays={"ratio": ratio},
        scalars={
            "positive_ratio_stops_min": int(np.min(np.sum(ratio > 0, axis=1))),
            "ratio_drift_min": drift_min,
            "ratio_final_spread": positive_drift(ratio[:, -1]),
        },
    )


def test_the_drift_claim_rejects_a_factor_taken_across_a_sign_change():
    r"""The old page's "factor of −3735" (max / min over all $\hat K$) fails; positives pass."""
    ratio = np.array([[3e-4, -8.2e-8, 1e-4, 5e-5], [2e-5, 4e-5, 1e-5, 2e-6]])
    item = get_claim("wgan_clipping.k_hat_drifts_between_positive_values")
    factors = [positive_drift(row) for row in ratio]
    assert evaluate_claim(item, _drift_result(ratio, min(factors))).held
    signed = min(float(row.max() / row.min()) for row in ratio)  # across the sign change
    assert signed < 0
    assert not evaluate_claim(item, _drift_result(ratio, signed)).held


def test_the_tracking_experiment_reads_the_clipped_runs(results):
    clipping, tracking = results["wgan_clipping"], results["wgan_clipping_tracking"]
    a, s = clipping.arrays, tracking.scalars
    assert s["stops"] == len(a["eval_step"])
    assert s["members"] == clipping.scalars["members"]
    assert s["stops_after_warm_up"] == int(np.sum(a["eval_step"] >= s["warm_up"]))
    estimate, w1 = a["eval_critic_estimate"], a["eval_w1"]
    opposite = (estimate[:, 1] > estimate[:, 0]) & (w1[:, 1] < w1[:, 0])
    assert s["members_opposite_at_first"] == int(np.sum(opposite))
