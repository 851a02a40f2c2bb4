"""The chapter "Which loss?": its measures on known point sets, its test against exact values.

The measures are checked on samples whose answer is known by construction (points on every
centre, on some, on none); the one-sided test against the exact null distribution of $U$ for
two samples of five (every split equally likely); the study's results for their shapes on the
test profile.
"""

from __future__ import annotations

import itertools
import math
import re
import subprocess
import sys

import numpy as np
import pytest
import torch

import ganbook.book.part3.which_loss.experiments as which_loss
from ganbook.book.part3.which_loss.experiments import (
    DATASETS,
    LOSSES,
    STUDY,
    VERBS,
    cells_of,
    choose_rate,
    full_settings,
    measure,
    one_sided_p,
    orderings_sentence,
    rate_text,
    registry_loss,
    sampler,
    scaled_rates,
    scales_text,
    supported_orderings,
    tuning_context,
)
from ganbook.engine.context import RunContext
from ganbook.engine.registry import expanded_needs, get_experiment
from ganbook.measures.toy_runs import members_trained, sweeps_the_rate
from ganbook.site.markup import table_markdown
from ganbook.training import TrainConfig


@pytest.mark.parametrize("dataset", DATASETS)
def test_points_on_every_centre_cover_every_mode_with_equal_mass(dataset):
    centres = sampler(dataset)[1].double().numpy()
    points = np.repeat(centres, 40, axis=0)
    seen = measure(points, points, dataset, min_share=0.25)
    assert seen["modes"] == len(centres)
    assert seen["high_quality"] == 1.0
    assert seen["w1"] == pytest.approx(0.0, abs=1e-12)
    assert np.allclose(seen["mass"], 1 / len(centres))


def test_points_on_two_modes_cover_two_and_points_off_the_modes_cover_none():
    centres = sampler("grid")[1].double().numpy()
    two = np.repeat(centres[:2], 50, axis=0)
    assert measure(two, two, "grid", min_share=0.25)["modes"] == 2
    between = (centres[:1] + centres[1:2]) / 2  # halfway between two modes: on none
    off = measure(np.repeat(between, 100, axis=0), two, "grid", min_share=0.25)
    assert off["modes"] == 0
    assert off["high_quality"] == 0.0


def test_a_mode_below_a_quarter_of_its_share_is_not_covered():
    centres = sampler("ring")[1].double().numpy()
    counts = np.array([100, 100, 100, 100, 100, 100, 100, 10])  # uniform share: 710 / 8
    points = np.repeat(centres, counts, axis=0)
    assert measure(points, points, "ring", min_share=0.25)["modes"] == 7


def test_the_one_sided_p_of_a_perfect_split_of_five_and_five_is_one_in_252():
    better, worse = np.array([6.0, 7, 8, 9, 10]), np.array([1.0, 2, 3, 4, 5])
    assert one_sided_p(better, worse, higher_is_better=True) == pytest.approx(1 / math.comb(10, 5))
    assert one_sided_p(worse, better, higher_is_better=False) == pytest.approx(1 / 252)
    assert one_sided_p(worse, better, higher_is_better=True) > 0.99


def test_the_one_sided_p_counts_every_split_of_the_exact_null():
    # U counts the pairs in which `better` wins; under the null every choice of 5 of the 10
    # ranks is equally likely, so P(U >= u) is the share of choices with that many wins
    better, worse = np.array([4.0, 7, 8, 9, 10]), np.array([1.0, 2, 3, 5, 6])
    wins = sum(b > w for b in better for w in worse)
    ranks = list(range(10))
    count = sum(
        sum(b > w for b in chosen for w in set(ranks) - set(chosen)) >= wins
        for chosen in itertools.combinations(ranks, 5)
    )
    assert one_sided_p(better, worse, higher_is_better=True) == pytest.approx(count / 252)


def test_equal_constant_samples_give_no_evidence():
    assert one_sided_p(np.full(5, 3.0), np.full(5, 3.0), higher_is_better=True) == 1.0


def test_only_pairs_below_the_level_are_orderings_and_the_sentence_names_each():
    p = np.ones((len(LOSSES), len(LOSSES)))
    p[0, 1], p[2, 3], p[3, 2] = 0.01, 0.049, 0.05  # the last is not below the level
    assert supported_orderings(p, 0.05) == [(0, 1), (2, 3)]
    sentence = orderings_sentence(p, supported_orderings(p, 0.05), "covers more modes than")
    assert sentence == (
        "minimax covers more modes than non-saturating (p = 0.010); "
        "least squares covers more modes than hinge (p = 0.049)"
    )


def test_no_supported_pair_says_so():
    sentence = orderings_sentence(np.ones((len(LOSSES), len(LOSSES))), [], "beats")
    assert sentence == "no loss beats another by the test at this budget"


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_printed_orderings_are_those_of_the_p_matrices(results, dataset):
    s, a = results[f"loss_study_{dataset}"].scalars, results[f"loss_study_{dataset}"].arrays
    for measure_name, verb in VERBS.items():
        p = a[f"p_{measure_name}"]
        pairs = supported_orderings(p, s["alpha"])
        assert s[f"{measure_name}_orderings"] == orderings_sentence(p, pairs, verb)
        assert s[f"supported_{measure_name}"] == len(pairs)


def test_unknown_losses_and_datasets_are_named():
    with pytest.raises(ValueError, match="unknown loss 'dragan'"):
        registry_loss("dragan")
    with pytest.raises(ValueError, match="unknown dataset 'spiral'"):
        sampler("spiral")
    assert registry_loss("ns-r1")[0] == "non-saturating"


@pytest.mark.parametrize("dataset", DATASETS)
def test_each_datasets_summary_tests_every_ordered_pair_of_its_own_cells(results, dataset):
    r = results[f"loss_study_{dataset}"]
    cells = [results[name] for name in cells_of(dataset)]
    assert [c.scalars["n_modes"] for c in cells] == [r.scalars["modes_total"]] * len(LOSSES)
    assert np.array_equal(r.arrays["modes"], np.stack([c.arrays["modes"] for c in cells]))
    for name, higher in (("p_modes", True), ("p_w1", False)):
        p = r.arrays[name]
        assert p.shape == (len(LOSSES), len(LOSSES))
        assert np.all(np.diag(p) == 1.0)
        values = r.arrays[name[2:]]
        assert p[1, 0] == one_sided_p(values[1], values[0], higher_is_better=higher)
    assert r.arrays["shown_samples"].shape[:2] == (len(LOSSES), r.scalars["samples"])


def test_a_datasets_summary_needs_only_that_datasets_cells():
    for dataset in DATASETS:
        needed = expanded_needs(f"loss_study_{dataset}")
        assert needed == cells_of(dataset)
        assert all(f"dataset={dataset}]" in name for name in needed)


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_printed_table_has_a_row_per_loss_with_the_summarys_numbers(results, dataset):
    import markdown

    s = results[f"loss_study_{dataset}"].scalars
    assert table_markdown(s["table"]) == s["table"]  # a table the page's directive accepts
    html = markdown.markdown(s["table"], extensions=["tables"])
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.DOTALL)
    assert len(rows) == 1 + len(LOSSES)  # the head and a row per loss
    for row, loss in zip(rows[1:], LOSSES, strict=True):
        cells = re.findall(r"<td>(.*?)</td>", row)
        key = loss.replace("-", "_")
        assert cells[0] == which_loss.NAMES[loss]
        assert cells[1] == s[f"{key}_rate"]
        assert cells[4].startswith(f"{s[f'{key}_w1_median']:.3f} (")


def test_a_median_of_an_even_number_of_seeds_is_not_rounded(results):
    s = results["loss_study_ring"].scalars
    half = which_loss.spread("m", np.array([3.0, 4.0, 6.0, 8.0]))
    assert half["m_median"] == 5.0
    assert isinstance(s["minimax_modes_median"], float)


@pytest.mark.parametrize("loss", ["non-saturating", "wasserstein", "wgan-gp"])
def test_a_scale_multiplies_both_papers_rates_and_one_keeps_the_papers_config(loss):
    paper = TrainConfig.for_loss(loss, steps=1)
    assert scaled_rates(loss, 1.0) == {}
    doubled = TrainConfig.for_loss(loss, steps=1, **scaled_rates(loss, 2.0))
    assert doubled.d_lr == pytest.approx(2 * paper.d_lr)
    assert doubled.g_lr == pytest.approx(2 * paper.g_lr)


def test_without_a_sweep_the_papers_rate_is_chosen_and_nothing_is_trained():
    context = RunContext(device=torch.device("cpu"), seed=0, profile="test")
    real = np.zeros((4, 2))
    scale, w1 = choose_rate("hinge", {}, {**STUDY, "lr_scales": (1.0,)}, context, "ring", real)
    assert scale == 1.0
    assert w1.shape == (1, 0)


def test_the_sweep_chooses_the_lowest_median_w1_and_trains_only_tuning_seeds(monkeypatch):
    # each scale's tuning members get known W1s; the sweep must pick the scale of the lowest
    # median (not of the lowest single member), and train every scale on the tuning seeds only
    known = {0.5: [0.1, 0.9, 0.9], 1.0: [0.5, 0.5, 0.6], 2.0: [0.3, 0.7, 0.8]}
    seen = []

    def fake(_loss, _extra, params, context, _dataset, _real, scale):
        seen.append((context.seed, params["members"], scale))
        return [{"w1": w} for w in known[scale]], None

    monkeypatch.setattr(which_loss, "train_and_measure", fake)
    params = {**STUDY, "tuning_members": 3, "lr_scales": (0.5, 1.0, 2.0)}
    context = RunContext(device=torch.device("cpu"), seed=7, profile="full")
    scale, w1 = choose_rate("hinge", {}, params, context, "ring", np.zeros((4, 2)))
    assert scale == 1.0  # medians 0.9, 0.5, 0.7
    assert w1.tolist() == [known[0.5], known[1.0], known[2.0]]
    assert seen == [(tuning_context(context).seed, 3, s) for s in (0.5, 1.0, 2.0)]
    assert tuning_context(context).seed != context.seed


def test_the_tuning_seeds_are_none_of_the_evaluation_seeds():
    context = RunContext(device=torch.device("cpu"), seed=3, profile="full")
    evaluation = {m.seed for m in context.members(STUDY["members"] * 4)}
    tuning = {m.seed for m in tuning_context(context).members(STUDY["tuning_members"])}
    assert len(tuning) == STUDY["tuning_members"]
    assert not tuning & evaluation


def test_the_rate_text_names_the_scale_or_that_there_was_no_sweep():
    assert rate_text(2.0, swept=True) == "×2"
    assert rate_text(0.5, swept=True) == "×0.5"
    assert rate_text(1.0, swept=False) == "the paper's"
    assert sweeps_the_rate({"lr_scales": (0.5, 1.0)})
    assert not sweeps_the_rate({"lr_scales": (1.0,)})
    assert scales_text((0.5, 1.0, 2.0)) == "×0.5, ×1, ×2"
    assert scales_text(np.array([1.0])) == "×1"


def test_a_full_cell_trains_its_members_and_every_rates_tuning_members():
    full = get_experiment(cells_of("ring")[0]).params_for("full")
    expected = full["members"] + full["tuning_members"] * len(full["lr_scales"])
    assert members_trained(full) == expected == 35
    assert members_trained({**full, "lr_scales": (1.0,)}) == full["members"]


def test_the_pages_full_settings_are_the_full_profiles_parameters():
    full = get_experiment(cells_of("ring")[0]).params_for("full")
    settings = full_settings()
    assert settings["full_members"] == full["members"] == which_loss.STUDY_FULL["members"]
    assert settings["full_tuning_members"] == STUDY["tuning_members"]
    assert settings["full_lr_scales"] == "×0.5, ×1, ×2"


def test_the_full_grids_estimate_scales_every_cell_by_the_ratio_of_members(results):
    # the cells' wall times are measurements: another test process may have computed (and
    # stored) the same cells, so the estimate is checked against the times it was given
    costs = results["loss_study_costs"].scalars
    full = get_experiment(cells_of("ring")[0]).params_for("full")
    trained = full["members"] + full["tuning_members"] * len(full["lr_scales"])
    ratio = trained / which_loss.STUDY_TEST["members"]
    total, longest = costs["total_seconds"], costs["longest_seconds"]
    assert costs["cells"] == len(LOSSES) * len(DATASETS)
    assert 0 < costs["cheapest_seconds"] <= longest <= total
    assert costs["full_members_trained"] == trained
    assert costs["full_ratio"] == pytest.approx(ratio)
    assert costs["full_total_seconds"] == pytest.approx(ratio * total)
    assert costs["full_longest_seconds"] == pytest.approx(ratio * longest)
    assert costs["full_bound_two_workers"] == pytest.approx(ratio * max(longest, total / 2))
    assert costs["full_bound_eight_workers"] == pytest.approx(ratio * max(longest, total / 8))


def test_ganbook_run_prints_one_datasets_table_line_by_line(results):
    table = results["loss_study_ring"].scalars["table"]  # computes the cells into the cache
    done = subprocess.run(
        [sys.executable, "-m", "ganbook", "run", "loss_study_ring", "--profile", "test",
         "--device", "cpu", "--cache-dir", str(results.cache_dir)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "cache hit" in done.stdout
    assert f"  table =\n{table}\n" in done.stdout


def test_the_reach_sentence_names_the_closest_loss_and_says_whether_it_reaches_the_data():
    w1 = np.full((len(LOSSES), 3), 0.5)
    w1[2, 1] = 0.2  # least squares has the closest member
    above = which_loss.reach_sentence(w1, floor=0.1)
    assert above.startswith("No member of any loss reaches the data")
    assert "a member of least squares, ends at 2.00 times it" in above
    w1[6, 0] = 0.09  # now non-saturating + R1, below the floor
    below = which_loss.reach_sentence(w1, floor=0.1)
    assert below.startswith("A member of non-saturating + R1 reaches the data: its W₁ is 0.90")


def test_p_values_below_a_thousandth_are_not_printed_as_zero():
    p = np.ones((len(LOSSES), len(LOSSES)))
    p[0, 1] = 2e-6
    sentence = orderings_sentence(p, [(0, 1)], "covers more modes than")
    assert sentence == "minimax covers more modes than non-saturating (p < 0.001)"
    assert which_loss.p_text(0.0123) == "p = 0.012"


def test_the_perfect_split_is_the_smallest_p_the_summary_can_find(results):
    s = results["loss_study_ring"].scalars
    n = s["members"]
    better, worse = np.arange(n) + n + 1.0, np.arange(n) + 1.0
    smallest = one_sided_p(better, worse, higher_is_better=True)
    assert smallest == pytest.approx(1 / s["perfect_split_choices"])
