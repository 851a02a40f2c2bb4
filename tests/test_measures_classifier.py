"""The digit classifier: deterministic per seed, accurate on held-out digits, clear about shapes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ganbook.data.digits import load_digits_dataset
from ganbook.measures.digit_classifier import (
    DigitClassifier,
    classifier_accuracy,
    classifier_features,
    classifier_predictions,
    train_digit_classifier,
)


@pytest.fixture(scope="module")
def classifier() -> DigitClassifier:
    return train_digit_classifier(seed=0)


def test_training_is_deterministic():
    first = train_digit_classifier(seed=3, steps=5)
    second = train_digit_classifier(seed=3, steps=5)
    for p, q in zip(first.state_dict().values(), second.state_dict().values(), strict=True):
        torch.testing.assert_close(p, q, rtol=0, atol=0)
    assert not first.training


def test_heldout_accuracy(classifier):
    images, labels = load_digits_dataset(size=16, split="heldout", with_labels=True)
    assert classifier_accuracy(classifier, images, labels) >= 0.9


def test_features_and_predictions_shapes(classifier):
    images = load_digits_dataset(size=16, split="heldout")[:20]
    features = classifier_features(classifier, images, batch=7)
    assert features.shape == (20, 128)
    assert features.dtype == np.float64
    predictions = classifier_predictions(classifier, images)
    assert predictions.shape == (20,)
    assert set(predictions.tolist()) <= set(range(10))


@pytest.mark.parametrize(
    "images",
    [torch.zeros(2, 1, 8, 8), torch.zeros(2, 16, 16), torch.zeros(0, 1, 16, 16)],
)
def test_bad_shapes_are_refused(images):
    with pytest.raises(ValueError, match="images"):
        classifier_features(DigitClassifier(), images)


def test_label_shape_mismatch_is_refused():
    with pytest.raises(ValueError, match="labels"):
        classifier_accuracy(DigitClassifier(), torch.zeros(3, 1, 16, 16), torch.zeros(2))


def test_a_classifier_rebuilt_from_its_parameters_gives_the_same_features():
    from ganbook.measures.digit_classifier import (
        classifier_from_parameters,
        classifier_parameters,
    )

    trained = train_digit_classifier(seed=1, steps=5)
    rebuilt = classifier_from_parameters(classifier_parameters(trained))
    x = torch.rand(7, 1, 16, 16) * 2 - 1
    assert np.array_equal(classifier_features(trained, x), classifier_features(rebuilt, x))
    assert not rebuilt.training


@pytest.mark.parametrize(
    ("damage", "match"),
    [
        (lambda p: p.pop("fc.bias"), "missing \\['fc.bias'\\]"),
        (lambda p: p.update(extra=np.zeros(1)), "unexpected \\['extra'\\]"),
        (lambda p: p.update({"head.weight": np.zeros((3, 3))}), "'head.weight' has shape"),
    ],
)
def test_wrong_classifier_parameters_are_named_in_one_line(damage, match):
    from ganbook.measures.digit_classifier import (
        DigitClassifier,
        classifier_from_parameters,
        classifier_parameters,
    )

    parameters = classifier_parameters(DigitClassifier())
    damage(parameters)
    with pytest.raises(ValueError, match=match):
        classifier_from_parameters(parameters)
