"""The chapter "Which loss?": its measures on known point sets, its test against exact values.

The measures are checked on samples whose answer is known by construction (points on every
centre, on some, on none); the one-sided test against the exact null distribution of $U$ for
two samples of five (every split equally likely); the study's results for their shapes on the
test profile.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from ganbook.book.part3.which_loss.experiments import (
    DATASETS,
    LOSSES,
    measure,
    one_sided_p,
    orderings_sentence,
    registry_loss,
    sampler,
    supported_orderings,
)


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
    sentence = orderings_sentence(p, 0.05, "covers more modes than")
    assert sentence == (
        "minimax covers more modes than non-saturating (p = 0.010); "
        "least squares covers more modes than hinge (p = 0.049)"
    )


def test_no_supported_pair_says_so():
    sentence = orderings_sentence(np.ones((len(LOSSES), len(LOSSES))), 0.05, "beats")
    assert sentence == "no loss beats another by the test at this budget"


def test_the_printed_orderings_are_those_of_the_p_matrices(results):
    s, a = results["loss_study_summary"].scalars, results["loss_study_summary"].arrays
    for dataset in DATASETS:
        p = a[f"{dataset}_p_modes"]
        assert s[f"{dataset}_modes_orderings"] == orderings_sentence(
            p, s["alpha"], "covers more modes than"
        )


def test_unknown_losses_and_datasets_are_named():
    with pytest.raises(ValueError, match="unknown loss 'dragan'"):
        registry_loss("dragan")
    with pytest.raises(ValueError, match="unknown dataset 'spiral'"):
        sampler("spiral")
    assert registry_loss("ns-r1")[0] == "non-saturating"


def test_the_summary_tests_every_ordered_pair_on_both_datasets(results):
    r = results["loss_study_summary"]
    for dataset in DATASETS:
        assert r.arrays[f"{dataset}_modes"].shape == (len(LOSSES), r.scalars["members"])
        for name in ("p_modes", "p_w1"):
            p = r.arrays[f"{dataset}_{name}"]
            assert p.shape == (len(LOSSES), len(LOSSES))
            assert np.all(np.diag(p) == 1.0)
            assert np.all((0 < p) & (p <= 1))
        assert r.arrays[f"{dataset}_shown_samples"].shape[:2] == (len(LOSSES), r.scalars["samples"])
