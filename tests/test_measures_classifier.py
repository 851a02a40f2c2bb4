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
