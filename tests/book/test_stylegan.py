"""The chapter "StyleGAN's generator": what its measurements of a trained generator mean.

The mixing and noise statistics are checked on generators whose behaviour is known by
construction: with the styles of one group of layers made constant, a mix *is* its other
source, so it keeps that source's class every time and lies at pixel distance 0 from it; with
every noise scale at zero, a redraw changes nothing. The result's shapes come from the test
profile, and a tiny run is repeated bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ganbook.book.part3.stylegan.experiments import (
    PSIS,
    STYLEGAN,
    STYLEGAN_TEST,
    mixing,
    noise_effect,
    stylegan,
)
from ganbook.engine.registry import RunContext
from ganbook.engine.result import ExperimentResult
from ganbook.measures.digit_classifier import classifier_parameters, train_digit_classifier
from ganbook.models import StyleGenerator

PARAMS = {**STYLEGAN, **STYLEGAN_TEST}


@pytest.fixture(scope="module")
def classifier():
    return train_digit_classifier(seed=0, steps=60)


def member() -> RunContext:
    return RunContext(torch.device("cpu"), seed=5, profile="test")


def generator(seed: int = 0) -> StyleGenerator:
    G = StyleGenerator(32, 64, 8, 2, convs_per_resolution=1, grouped=False,
                       generator=torch.Generator().manual_seed(seed))  # fmt: skip
    with torch.no_grad():  # a visible noise, so that the noise test has something to remove
        for inject in G.noises:
            inject.scale.fill_(0.5)
    return G.eval()


def constant_styles(G: StyleGenerator, layers) -> None:
    r"""Make the style of ``layers`` independent of $w$: affine weight 0, so $s = $ its bias."""
    convs = [*G.convs, G.to_rgb]
    with torch.no_grad():
        for k in layers:
            convs[k].affine.weight.zero_()


@pytest.mark.parametrize(("constant", "kept"), [("fine", "coarse"), ("coarse", "fine")])
def test_a_mix_whose_styles_ignore_w_in_one_group_is_its_other_source(classifier, constant, kept):
    G = generator()
    constant_styles(G, getattr(G, f"{constant}_layers"))
    seen = mixing(G, classifier, PARAMS, member())
    assert seen[f"keeps_{kept}"] == 1.0
    assert seen[f"pixel_gap_{kept}"] == 0.0
    assert seen[f"pixel_gap_{constant}"] > 0.0


def test_the_mixing_grid_puts_row_styles_in_coarse_and_column_styles_in_fine_layers(classifier):
    G = generator()
    constant_styles(G, G.fine_layers)  # then each inner image equals its row's source
    seen = mixing(G, classifier, {**PARAMS, "mix_rows": 3, "mix_cols": 4}, member())
    assert seen["grid"].shape == (3, 4, 16, 16)
    for r in range(3):
        for c in range(4):
            assert np.allclose(seen["grid"][r, c], seen["grid_rows"][r], atol=1e-6)


def test_without_noise_a_redraw_changes_nothing(classifier):
    G = generator()
    with torch.no_grad():
        for inject in G.noises:
            inject.scale.zero_()
    seen = noise_effect(G, classifier, PARAMS, member())
    assert seen["std_noise"] == 0.0
    assert seen["class_kept"] == 1.0
    assert seen["std_latents"] > 0.0


def test_with_noise_a_redraw_moves_pixels(classifier):
    seen = noise_effect(generator(), classifier, PARAMS, member())
    assert seen["std_noise"] > 0.0
    assert seen["examples"].shape == (4, PARAMS["noise_draws"], 16, 16)


def test_the_result_has_one_row_per_member_and_psi(results):
    r = results["stylegan"]
    a, s = r.arrays, r.scalars
    members, levels = s["members"], len(PSIS)
    assert a["precision"].shape == a["recall"].shape == a["coverage"].shape == (members, levels)
    assert a["fd"].shape == (members, levels, s["resamples"])
    assert np.all((0 <= a["precision"]) & (a["precision"] <= 1))
    assert np.all((0 <= a["recall"]) & (a["recall"] <= 1))
    assert a["truncation_examples"].shape == (members, levels, s["truncation_examples"], 16, 16)
    assert a["mix_grid"].shape == (members, s["mix_rows"], s["mix_cols"], 16, 16)
    assert a["final_samples"].shape == (members, s["shown_samples"], 16, 16)
    assert list(a["psis"]) == list(PSIS)
    assert s["accuracy"] == results["digit_classifier"].scalars["accuracy"]


def test_at_psi_zero_every_latent_gives_the_mean_styles_image(results):
    r = results["stylegan"]
    at_zero = r.arrays["truncation_examples"][:, PSIS.index(0.0)]  # (members, n, 16, 16)
    at_one = r.arrays["truncation_examples"][:, PSIS.index(1.0)]
    # only the noise differs between latents at ψ = 0
    assert at_zero.std(axis=1).mean() < 0.2 * at_one.std(axis=1).mean()


def test_a_tiny_run_is_deterministic(classifier):
    params = {**PARAMS, "members": 1, "steps": 2, "eval_samples": 160}
    needed = {"digit_classifier": ExperimentResult(
        arrays=classifier_parameters(classifier), scalars={"accuracy": 0.5})}  # fmt: skip
    context = RunContext(torch.device("cpu"), seed=3, profile="test", needed=needed)
    first, second = stylegan(params, context), stylegan(params, context)
    for name in ("final_samples", "snapshots", "precision", "recall", "mix_grid"):
        assert np.array_equal(first.arrays[name], second.arrays[name]), name
