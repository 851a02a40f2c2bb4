"""The losses of `ganbook.losses` against an independent float64 reference, written differently.

The reference works on numpy arrays with the textbook formulas (σ(x) = 1 / (1 + e^(−x)) and plain
logarithms), so it is only used on moderate logits; the stable code is checked separately at
|logit| = 100. Every loss runs through the same contract checks: reductions, batches of different
sizes, patch-shaped inputs, dtypes, finiteness, gradcheck and the section markers that the site
includes.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest
import torch

import ganbook.losses as losses


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _bce(x: np.ndarray, target: float) -> np.ndarray:
    """Binary cross-entropy of probability σ(x) against ``target``, the textbook way."""
    p = _sigmoid(x)
    return -(target * np.log(p) + (1.0 - target) * np.log(1.0 - p))


@dataclass(frozen=True)
class Case:
    """A loss, its keyword arguments and numpy references for its per-element terms."""

    fn: Callable
    fake_ref: Callable[[np.ndarray], np.ndarray]
    real_ref: Callable[[np.ndarray], np.ndarray] | None = None  # None: a generator loss
    kwargs: dict = field(default_factory=dict)

    @property
    def two_inputs(self) -> bool:
        return self.real_ref is not None

    def __call__(self, d_real: torch.Tensor, d_fake: torch.Tensor, **extra):
        if self.two_inputs:
            return self.fn(d_real, d_fake, **self.kwargs, **extra)
        return self.fn(d_fake, **self.kwargs, **extra)

    def reference(self, real: np.ndarray, fake: np.ndarray, reduce: Callable) -> float:
        value = reduce(self.fake_ref(fake))
        if self.two_inputs:
            value += reduce(self.real_ref(real))
        return float(value)


CASES = {
    "minimax_d": Case(
        losses.minimax_discriminator_loss,
        fake_ref=lambda x: -np.log(1.0 - _sigmoid(x)),
        real_ref=lambda x: -np.log(_sigmoid(x)),
    ),
    "minimax_d_smoothed": Case(
        losses.minimax_discriminator_loss,
        fake_ref=lambda x: _bce(x, 0.0),
        real_ref=lambda x: _bce(x, 1.0 - 0.3 / 2),
        kwargs={"label_smoothing": 0.3},
    ),
    "minimax_g": Case(losses.minimax_generator_loss, fake_ref=lambda x: np.log(1.0 - _sigmoid(x))),
    "nonsaturating_g": Case(
        losses.nonsaturating_generator_loss, fake_ref=lambda x: -np.log(_sigmoid(x))
    ),
    "least_squares_d": Case(
        losses.least_squares_discriminator_loss,
        fake_ref=lambda x: x * x / 2,
        real_ref=lambda x: (x - 1.0) * (x - 1.0) / 2,
    ),
    "least_squares_d_labels": Case(
        losses.least_squares_discriminator_loss,
        fake_ref=lambda x: (x + 1.0) ** 2 / 2,
        real_ref=lambda x: (x - 1.0) ** 2 / 2,
        kwargs={"real_label": 1.0, "fake_label": -1.0},
    ),
    "least_squares_g": Case(
        losses.least_squares_generator_loss, fake_ref=lambda x: (x - 1.0) ** 2 / 2
    ),
    "least_squares_g_label": Case(
        losses.least_squares_generator_loss, fake_ref=lambda x: x**2 / 2, kwargs={"real_label": 0}
    ),
    "wasserstein_d": Case(
        losses.wasserstein_discriminator_loss, fake_ref=lambda x: x, real_ref=lambda x: -x
    ),
    "wasserstein_g": Case(losses.wasserstein_generator_loss, fake_ref=lambda x: -x),
    "hinge_d": Case(
        losses.hinge_discriminator_loss,
        fake_ref=lambda x: np.maximum(0.0, 1.0 + x),
        real_ref=lambda x: np.maximum(0.0, 1.0 - x),
    ),
    "hinge_g": Case(losses.hinge_generator_loss, fake_ref=lambda x: -x),
}
DTYPES = {torch.float32: 1e-5, torch.float64: 1e-12}  # relative tolerance per dtype


@pytest.fixture(params=sorted(CASES))
def case(request) -> Case:
    return CASES[request.param]


def _logits(seed: int, *shape: int) -> np.ndarray:
    return 3.0 * np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize("dtype", list(DTYPES), ids=str)
@pytest.mark.parametrize(("reduction", "reduce"), [("mean", np.mean), ("sum", np.sum)])
def test_matches_the_reference_on_batches_of_different_sizes(case, dtype, reduction, reduce):
    real, fake = _logits(0, 7), _logits(1, 5)
    value = case(
        torch.tensor(real, dtype=dtype), torch.tensor(fake, dtype=dtype), reduction=reduction
    )
    assert value.shape == ()
    assert value.dtype == dtype
    expected = case.reference(real, fake, reduce)
    assert value.item() == pytest.approx(expected, rel=DTYPES[dtype], abs=DTYPES[dtype])


@pytest.mark.parametrize("dtype", list(DTYPES), ids=str)
def test_reduction_none_returns_the_per_element_terms(case, dtype):
    real, fake = _logits(2, 6), _logits(3, 4)
    terms = case(torch.tensor(real, dtype=dtype), torch.tensor(fake, dtype=dtype), reduction="none")
    tol = {"rtol": DTYPES[dtype], "atol": DTYPES[dtype]}
    if case.two_inputs:
        real_term, fake_term = terms
        np.testing.assert_allclose(real_term.numpy(), case.real_ref(real), **tol)
    else:
        fake_term = terms
    assert fake_term.dtype == dtype
    np.testing.assert_allclose(fake_term.numpy(), case.fake_ref(fake), **tol)


def test_mean_and_sum_reduce_each_batch_then_add(case):
    d_real, d_fake = torch.tensor(_logits(4, 9)), torch.tensor(_logits(5, 3))
    terms = case(d_real, d_fake, reduction="none")
    terms = terms if case.two_inputs else (terms,)
    assert case(d_real, d_fake).item() == pytest.approx(sum(t.mean().item() for t in terms))
    assert case(d_real, d_fake, reduction="sum").item() == pytest.approx(
        sum(t.sum().item() for t in terms)
    )


def test_patch_shaped_inputs_are_averaged_over_every_element(case):
    real, fake = _logits(6, 3, 1, 4, 4), _logits(7, 2, 1, 4, 4)  # (N, 1, H, W) patch maps
    d_real, d_fake = torch.tensor(real), torch.tensor(fake)
    assert case(d_real, d_fake).item() == pytest.approx(case.reference(real, fake, np.mean))
    terms = case(d_real, d_fake, reduction="none")
    if case.two_inputs:
        assert terms[0].shape == (3, 1, 4, 4)
        terms = terms[1]
    assert terms.shape == (2, 1, 4, 4)


def test_values_and_gradients_stay_finite_at_logit_100_in_float32(case):
    d_real = torch.tensor([-100.0, 100.0, 0.0], requires_grad=True)
    d_fake = torch.tensor([100.0, -100.0], requires_grad=True)
    value = case(d_real, d_fake)
    assert torch.isfinite(value)
    inputs = (d_real, d_fake) if case.two_inputs else (d_fake,)
    for gradient in torch.autograd.grad(value, inputs):
        assert torch.isfinite(gradient).all()


def test_gradcheck_in_float64(case):
    # Scores away from the hinge kinks at ±1, so finite differences see a smooth function.
    d_real = torch.tensor([0.3, -1.7, 2.4, -0.6], dtype=torch.float64, requires_grad=True)
    d_fake = torch.tensor([1.2, -0.4, -2.2], dtype=torch.float64, requires_grad=True)
    if case.two_inputs:
        assert torch.autograd.gradcheck(lambda r, f: case(r, f), (d_real, d_fake))
    else:
        assert torch.autograd.gradcheck(lambda f: case(None, f), (d_fake,))


def test_saturating_generator_gradient_vanishes_where_the_nonsaturating_one_does_not():
    d_fake = torch.tensor([-20.0], dtype=torch.float64, requires_grad=True)
    (saturating,) = torch.autograd.grad(losses.minimax_generator_loss(d_fake), d_fake)
    (nonsaturating,) = torch.autograd.grad(losses.nonsaturating_generator_loss(d_fake), d_fake)
    assert abs(saturating.item()) < 1e-8
    assert nonsaturating.item() == pytest.approx(-1.0, abs=1e-8)


def test_generator_gradients_have_the_closed_forms():
    # d/dl log(1 − σ(l)) = −σ(l) and d/dl −log σ(l) = −(1 − σ(l)), element by element.
    logits = np.linspace(-8.0, 8.0, 17)
    d_fake = torch.tensor(logits, requires_grad=True)
    (saturating,) = torch.autograd.grad(
        losses.minimax_generator_loss(d_fake, reduction="sum"), d_fake
    )
    (nonsaturating,) = torch.autograd.grad(
        losses.nonsaturating_generator_loss(d_fake, reduction="sum"), d_fake
    )
    np.testing.assert_allclose(saturating.numpy(), -_sigmoid(logits), rtol=1e-12)
    np.testing.assert_allclose(nonsaturating.numpy(), -(1.0 - _sigmoid(logits)), rtol=1e-12)


def test_label_smoothing_moves_only_the_real_target_to_one_minus_half_the_smoothing():
    real, fake = _logits(9, 5), _logits(10, 5)
    d_real, d_fake = torch.tensor(real), torch.tensor(fake)
    real_term, fake_term = losses.minimax_discriminator_loss(
        d_real, d_fake, label_smoothing=0.5, reduction="none"
    )
    _, unsmoothed_fake_term = losses.minimax_discriminator_loss(d_real, d_fake, reduction="none")
    np.testing.assert_allclose(real_term.numpy(), _bce(real, 0.75), rtol=1e-12)
    assert torch.equal(fake_term, unsmoothed_fake_term)


def test_zero_dimensional_inputs_are_one_element_batches(case):
    d_real, d_fake = (
        torch.tensor(0.5, dtype=torch.float64),
        torch.tensor(-0.25, dtype=torch.float64),
    )
    expected = case.reference(np.array([0.5]), np.array([-0.25]), np.mean)
    assert case(d_real, d_fake).item() == pytest.approx(expected)


def _loss_functions() -> list[Callable]:
    """Every loss function exported by `ganbook.losses` (the registry's helpers excluded)."""
    return [
        value
        for value in vars(losses).values()
        if inspect.isfunction(value)
        and value.__name__.endswith("_loss")
        and value.__module__ != "ganbook.losses.registry"
    ]


def test_every_loss_is_exported_and_listed():
    names = {fn.__name__ for fn in _loss_functions()}
    assert names == {
        f"{family}_{role}_loss"
        for family in ("minimax", "least_squares", "wasserstein", "hinge", "relativistic")
        for role in ("discriminator", "generator")
    } | {"nonsaturating_generator_loss"}
    assert names <= set(losses.__all__)


@pytest.mark.parametrize("fn", _loss_functions(), ids=lambda fn: fn.__name__)
def test_every_loss_has_snippet_markers_around_its_body(fn):
    source = inspect.getsource(fn)
    start, end = f"# --8<-- [start:{fn.__name__}]", f"# --8<-- [end:{fn.__name__}]"
    assert source.count(start) == 1
    assert source.count(end) == 1
    assert source.index(start) < source.index(end)
    assert inspect.getsource(inspect.getmodule(fn)).count(start) == 1


@pytest.mark.parametrize("fn", _loss_functions(), ids=lambda fn: fn.__name__)
def test_every_loss_documents_its_equation_references_and_examples(fn):
    doc = fn.__doc__
    assert doc.count("$$") >= 2
    for section in ("Parameters", "Returns", "Notes", "References", "Examples"):
        assert f"\n    {section}\n    {'-' * len(section)}\n" in doc, section
    signature = inspect.signature(fn)
    assert signature.parameters["reduction"].kind is inspect.Parameter.KEYWORD_ONLY
    assert signature.parameters["reduction"].default == "mean"
