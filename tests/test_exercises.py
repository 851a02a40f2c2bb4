"""The exercise checks name what is wrong with a reader's answer, for the usual mistakes.

Each test writes a wrong answer the way a reader would (a flipped sign, a sum for a mean, a
missing reduction, an unstable log) and asserts the message that `ganbook.exercises` gives; the
reference is the package's own loss, so a right answer must pass.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from ganbook.exercises import ExerciseError, check_close, check_function, check_true
from ganbook.losses import minimax_discriminator_loss, minimax_generator_loss

generator = torch.Generator().manual_seed(0)
CASES = [(torch.randn(n, generator=generator) * 2, torch.randn(m, generator=generator) * 2)
         for n, m in ((8, 8), (5, 11))]  # fmt: skip


def right(real, fake):
    return F.softplus(-real).mean() + F.softplus(fake).mean()


def test_a_right_answer_passes_and_says_so(capsys):
    assert check_function(right, minimax_discriminator_loss, CASES) == 2
    assert capsys.readouterr().out == "✓ right(): correct on 2 cases, as the package computes it\n"
    check_close(right(*CASES[0]), minimax_discriminator_loss(*CASES[0]), quiet=True)
    assert capsys.readouterr().out == ""


def test_an_unwritten_function_is_not_written_yet():
    def discriminator_loss(real, fake):
        raise NotImplementedError("exercise: replace this line with your code")

    with pytest.raises(ExerciseError, match=r"^discriminator_loss\(\) is not written yet"):
        check_function(discriminator_loss, minimax_discriminator_loss, CASES, what="the loss")
    with pytest.raises(ExerciseError, match="not written yet: it returned None"):
        check_close(None, 1.0, what="the loss")


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda r, f: -right(r, f), "has the wrong sign"),
        (lambda r, f: F.softplus(-r).sum() + F.softplus(f).sum(), "is 8 times the answer"),
        (lambda r, f: right(r, f) / 8, "divided by the batch size 8"),
        (lambda r, f: F.softplus(-r) + F.softplus(f), r"shape \(8,\).*take the mean over"),
        (lambda r, f: right(r, f) + 0.3, "differs from the answer by up to 0.3"),
        (lambda *_: "0.7", "should be a number or an array"),
        (lambda r, _: r.undefined_method(), "raised AttributeError on case 1"),
    ],
)
def test_the_usual_mistakes_are_named(wrong, message):
    with pytest.raises(ExerciseError, match=message):
        check_function(wrong, minimax_discriminator_loss, CASES[:1])


def test_an_unstable_log_is_named_where_the_answer_is_finite():
    def naive(fake):
        return torch.log(1 - torch.sigmoid(fake)).mean()

    huge = [(torch.tensor([40.0, -3.0]),)]
    with pytest.raises(ExerciseError, match=r"NaN or infinite value.*softplus"):
        check_function(naive, minimax_generator_loss, huge)


def test_arrays_name_offsets_shapes_and_the_largest_gap():
    truth = np.arange(6.0).reshape(2, 3)
    with pytest.raises(ExerciseError, match="off by the same constant 1"):
        check_close(truth + 1, truth)
    with pytest.raises(ExerciseError, match="arranged differently"):
        check_close(truth.T, truth)
    with pytest.raises(ExerciseError, match="one number where one value per example is wanted"):
        check_close(2.5, truth)
    wrong = truth.copy()
    wrong[1, 2] += 0.5
    with pytest.raises(ExerciseError, match=r"up to 0.5 at index \(1, 2\)"):
        check_close(wrong, truth, what="D*")


def test_tolerances_follow_allclose():
    check_close(1.0 + 1e-7, 1.0, quiet=True)
    with pytest.raises(ExerciseError):
        check_close(1.0 + 1e-3, 1.0)
    check_close(1.0 + 1e-3, 1.0, rtol=1e-2, quiet=True)


def test_check_true_and_an_empty_case_list():
    check_true(True, "never shown")
    with pytest.raises(ExerciseError, match=r"^the critic must be 1-Lipschitz$"):
        check_true(False, "the critic must be 1-Lipschitz")
    with pytest.raises(ValueError, match="at least one case"):
        check_function(right, minimax_discriminator_loss, [])


def test_complex_values_are_compared_as_complex():
    eigenvalues = np.array([1 + 2j, 1 - 2j])
    check_close(eigenvalues.copy(), eigenvalues, quiet=True)
    with pytest.raises(ExerciseError, match="differs from the answer"):
        check_close(eigenvalues.real, eigenvalues)
