"""ganbook.data: shapes, scaling, statistics, determinism, the digits split, mode counting, errors.

Statistical tolerances are five standard errors of the estimate at the sample size used; the seeds
are fixed, so every test is deterministic.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits

from ganbook.data import (
    DIGITS_HELDOUT_SIZE,
    DIGITS_TRAIN_SIZE,
    EIGHT_GAUSSIANS_STD,
    TWENTY_FIVE_GAUSSIANS_STD,
    count_covered_modes,
    digits_split_indices,
    eight_gaussians,
    eight_gaussians_centres,
    gaussian_1d,
    load_digits_dataset,
    sample_rows,
    samples_per_mode,
    swiss_roll,
    twenty_five_gaussians,
    twenty_five_gaussians_centres,
)

Z = 5.0  # standard errors allowed in statistical checks
SAMPLERS = [gaussian_1d, eight_gaussians, twenty_five_gaussians, swiss_roll]


def seeded(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def nearest_mode(x: torch.Tensor, centres: torch.Tensor) -> torch.Tensor:
    return torch.cdist(x, centres).argmin(dim=1)


# --------------------------------------------------------------------------- samplers: basics


@pytest.mark.parametrize("sampler", SAMPLERS)
@pytest.mark.parametrize("n", [1, 7, 256])
def test_sampler_shapes_and_dtype(sampler, n):
    x = sampler(n, generator=seeded())
    width = 1 if sampler is gaussian_1d else 2
    assert x.shape == (n, width)
    assert x.dtype == torch.float32
    assert torch.isfinite(x).all()


@pytest.mark.parametrize("sampler", SAMPLERS)
def test_same_seed_same_sample_different_seed_different_sample(sampler):
    a = sampler(500, generator=seeded(3))
    b = sampler(500, generator=seeded(3))
    c = sampler(500, generator=seeded(4))
    assert torch.equal(a, b)
    assert not torch.equal(a, c)


@pytest.mark.parametrize("sampler", SAMPLERS)
def test_global_rng_is_neither_read_nor_advanced(sampler):
    torch.manual_seed(123)
    state = torch.get_rng_state()
    a = sampler(100, generator=seeded())
    assert torch.equal(torch.get_rng_state(), state)
    torch.manual_seed(456)
    assert torch.equal(sampler(100, generator=seeded()), a)


@pytest.mark.parametrize("sampler", SAMPLERS)
def test_float32_sample_is_the_float64_sample_rounded(sampler):
    x64 = sampler(300, generator=seeded(), dtype=torch.float64)
    x32 = sampler(300, generator=seeded())
    assert x64.dtype == torch.float64
    assert torch.equal(x64.to(torch.float32), x32)


@pytest.mark.parametrize("sampler", SAMPLERS)
@pytest.mark.parametrize("device", ["meta", torch.device("meta")])
def test_device_argument_is_honoured(sampler, device):
    assert sampler(10, generator=seeded(), device=device).device.type == "meta"
    assert sampler(10, generator=seeded(), device=torch.device("cpu")).device.type == "cpu"


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("sampler", SAMPLERS)
def test_cuda_sample_equals_cpu_sample(sampler):
    on_gpu = sampler(1000, generator=seeded(), device="cuda")
    assert on_gpu.device.type == "cuda"
    assert torch.equal(on_gpu.cpu(), sampler(1000, generator=seeded()))


# --------------------------------------------------------------------------- samplers: statistics


def test_gaussian_1d_mean_and_std():
    n, mean, std = 100_000, 1.5, 2.0
    x = gaussian_1d(n, mean=mean, std=std, generator=seeded(), dtype=torch.float64)
    assert abs(x.mean().item() - mean) < Z * std / math.sqrt(n)
    assert abs(x.std().item() - std) < Z * std / math.sqrt(2 * n)


def test_eight_gaussians_centres_lie_on_the_scaled_ring_at_multiples_of_45_degrees():
    centres = eight_gaussians_centres(dtype=torch.float64)
    assert centres.shape == (8, 2)
    radius = torch.full((8,), 2 / 1.414, dtype=torch.float64)
    torch.testing.assert_close(centres.norm(dim=1), radius)
    angles = torch.atan2(centres[:, 1], centres[:, 0]) % (2 * math.pi)
    expected = torch.arange(8, dtype=torch.float64) * math.pi / 4
    torch.testing.assert_close(angles, expected)
    assert EIGHT_GAUSSIANS_STD == pytest.approx(0.02 / 1.414)


def test_eight_gaussians_modes_are_equally_likely_with_the_scaled_std():
    n = 80_000
    x = eight_gaussians(n, generator=seeded(), dtype=torch.float64)
    centres = eight_gaussians_centres(dtype=torch.float64)
    mode = nearest_mode(x, centres)
    fractions = torch.bincount(mode, minlength=8).double() / n
    p = 1 / 8
    assert (fractions - p).abs().max() < Z * math.sqrt(p * (1 - p) / n)
    deviation = x - centres[mode]  # (n, 2), N(0, std² I) per point
    assert deviation.mean(dim=0).abs().max() < Z * EIGHT_GAUSSIANS_STD / math.sqrt(n)
    std = deviation.std().item()
    assert abs(std - EIGHT_GAUSSIANS_STD) < Z * EIGHT_GAUSSIANS_STD / math.sqrt(2 * 2 * n)
    radius = x.norm(dim=1)
    assert abs(radius.mean().item() - 2 / 1.414) < 1e-3


def test_twenty_five_gaussians_grid_modes_and_std():
    centres = twenty_five_gaussians_centres(dtype=torch.float64)
    steps = torch.tensor([-4.0, -2.0, 0.0, 2.0, 4.0], dtype=torch.float64) / 2.828
    assert centres.shape == (25, 2)
    torch.testing.assert_close(centres[:, 0], steps.repeat_interleave(5))
    torch.testing.assert_close(centres[:, 1], steps.repeat(5))
    assert TWENTY_FIVE_GAUSSIANS_STD == pytest.approx(0.05 / 2.828)

    n = 100_000
    x = twenty_five_gaussians(n, generator=seeded(), dtype=torch.float64)
    mode = nearest_mode(x, centres)
    fractions = torch.bincount(mode, minlength=25).double() / n
    p = 1 / 25
    assert (fractions - p).abs().max() < Z * math.sqrt(p * (1 - p) / n)
    std = (x - centres[mode]).std().item()
    sd = TWENTY_FIVE_GAUSSIANS_STD
    assert abs(std - sd) < Z * sd / math.sqrt(2 * 2 * n)


def test_swiss_roll_radius_range_and_noise():
    n = 50_000
    x = swiss_roll(n, generator=seeded(), dtype=torch.float64)
    radius = x.norm(dim=1)
    noise = 0.25 / 7.5
    low, high = 1.5 * math.pi / 7.5, 4.5 * math.pi / 7.5  # t/7.5 for t in [1.5π, 4.5π]
    assert radius.min() > low - 6 * noise
    assert radius.max() < high + 6 * noise
    assert radius.min() < low + noise  # the whole range is used
    assert radius.max() > high - noise
    # t is uniform on [1.5π, 4.5π]: the mean radius is the midpoint, plus a small noise bias
    assert abs(radius.mean().item() - (low + high) / 2) < 0.01


# --------------------------------------------------------------------------- mode counting


def test_count_covered_modes_on_synthetic_samples():
    centres = eight_gaussians_centres()
    std = EIGHT_GAUSSIANS_STD
    per_mode = [30, 20, 19, 0, 25, 5, 40, 21]
    noise = torch.randn(sum(per_mode), 2, generator=seeded()) * std
    noise = noise.clamp(-std, std)  # within 3 std (norm at most std·√2)
    samples = torch.repeat_interleave(centres, torch.tensor(per_mode), dim=0) + noise
    far = torch.full((100, 2), 10.0)  # far from every mode: never counted
    samples = torch.cat([samples, far])
    assert samples_per_mode(samples, centres, 3 * std).tolist() == per_mode
    assert count_covered_modes(samples, centres, std) == 5  # modes with >= 20
    assert count_covered_modes(samples, centres, std, min_count=1) == 7
    assert count_covered_modes(samples, centres, std, min_count=31) == 1
    assert count_covered_modes(samples, centres, std, radius_in_std=0.01) == 0


def test_count_covered_modes_on_real_toy_samples():
    x = eight_gaussians(2500, generator=seeded())
    assert count_covered_modes(x, eight_gaussians_centres(), EIGHT_GAUSSIANS_STD) == 8
    collapsed = eight_gaussians_centres()[:1].repeat(2500, 1)  # every sample on mode 0
    assert count_covered_modes(collapsed, eight_gaussians_centres(), EIGHT_GAUSSIANS_STD) == 1
    y = twenty_five_gaussians(2500, generator=seeded())
    grid = twenty_five_gaussians_centres()
    assert count_covered_modes(y, grid, TWENTY_FIVE_GAUSSIANS_STD, min_count=50) == 25


# --------------------------------------------------------------------------- digits


def test_digits_split_sizes_disjoint_complete_and_pinned():
    train, heldout = digits_split_indices("train"), digits_split_indices("heldout")
    assert (DIGITS_TRAIN_SIZE, DIGITS_HELDOUT_SIZE) == (1200, 597)
    assert train.shape == (1200,)
    assert heldout.shape == (597,)
    assert train.dtype == torch.int64
    assert torch.equal(torch.cat([train, heldout]).sort().values, torch.arange(1797))
    # The split is fixed forever: these pins catch any change of torch's randperm.
    assert train[:10].tolist() == [362, 1568, 1440, 1761, 815, 1792, 508, 660, 550, 1284]
    assert heldout[:6].tolist() == [186, 163, 261, 434, 1032, 428]
    assert int(train.sum()) == 1_079_924
    assert int(heldout.sum()) == 533_782


@pytest.mark.parametrize(("split", "count"), [("train", 1200), ("heldout", 597)])
@pytest.mark.parametrize("size", [8, 16])
def test_digits_shapes_dtype_and_range(split, count, size):
    images, labels = load_digits_dataset(size=size, split=split, with_labels=True)
    assert images.shape == (count, 1, size, size)
    assert images.dtype == torch.float32
    assert images.min() >= -1.0
    assert images.max() <= 1.0
    assert labels.shape == (count,)
    assert labels.dtype == torch.int64
    assert set(labels.tolist()) == set(range(10))


def test_digits_8x8_equal_sklearn_scaled_in_split_order():
    bunch = load_digits()
    images, labels = load_digits_dataset(split="heldout", with_labels=True)
    index = digits_split_indices("heldout").numpy()
    expected = bunch.images[index] / 8.0 - 1.0
    np.testing.assert_allclose(images[:, 0].numpy(), expected, rtol=0, atol=1e-7)
    np.testing.assert_array_equal(labels.numpy(), bunch.target[index])
    assert images.min() == -1.0
    assert images.max() == 1.0  # 0 and 16 both occur


def test_digits_16x16_are_the_bilinear_upsampling_of_the_8x8():
    small = load_digits_dataset(size=8)
    large = load_digits_dataset(size=16)
    expected = F.interpolate(small, size=(16, 16), mode="bilinear", align_corners=False)
    torch.testing.assert_close(large, expected.clamp(-1.0, 1.0), rtol=0, atol=0)
    # bilinear upsampling by 2 preserves the mean of each image up to border effects
    assert (large.mean(dim=(1, 2, 3)) - small.mean(dim=(1, 2, 3))).abs().max() < 0.05


def test_digits_returns_fresh_tensors_each_call():
    first = load_digits_dataset()
    first.fill_(0.0)
    second = load_digits_dataset()
    assert second.min() == -1.0
    assert second.data_ptr() != first.data_ptr()


def test_digits_device_argument_is_honoured():
    images, labels = load_digits_dataset(size=16, device="meta", with_labels=True)
    assert images.device.type == "meta"
    assert labels.device.type == "meta"


def test_sample_rows_draws_with_replacement_deterministically():
    data = torch.arange(10.0).reshape(5, 2)
    rows = sample_rows(data, 1000, generator=seeded())
    assert rows.shape == (1000, 2)
    assert torch.equal(rows[:, 1], rows[:, 0] + 1)  # whole rows are taken
    counts = torch.bincount((rows[:, 0] / 2).long(), minlength=5)
    assert (counts > 0).all()  # n > N: rows repeat, and every row shows up
    assert torch.equal(rows, sample_rows(data, 1000, generator=seeded()))
    assert not torch.equal(rows, sample_rows(data, 1000, generator=seeded(1)))
    images = load_digits_dataset(size=16)
    assert sample_rows(images, 64, generator=seeded()).shape == (64, 1, 16, 16)


# --------------------------------------------------------------------------- bad input


POINTS = torch.zeros(3, 2)


def cuda_generator_or_skip() -> torch.Generator:
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA device")
    return torch.Generator(device="cuda")


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: gaussian_1d(0, generator=seeded()), ValueError, "n"),
        (lambda: eight_gaussians(2.0, generator=seeded()), TypeError, "n"),
        (lambda: swiss_roll(True, generator=seeded()), TypeError, "n"),
        (lambda: gaussian_1d(5, std=0.0, generator=seeded()), ValueError, "std"),
        (lambda: gaussian_1d(5, std=-1.0, generator=seeded()), ValueError, "std"),
        (lambda: gaussian_1d(5, mean=math.nan, generator=seeded()), ValueError, "mean"),
        (lambda: eight_gaussians(5, generator=0), TypeError, "generator"),
        (lambda: twenty_five_gaussians(5, generator=None), TypeError, "generator"),
        (lambda: swiss_roll(5, generator=np.random.default_rng(0)), TypeError, "generator"),
        (lambda: gaussian_1d(5, generator=cuda_generator_or_skip()), ValueError, "generator"),
        (lambda: eight_gaussians(5, generator=seeded(), device="gpux"), ValueError, "device"),
        (lambda: swiss_roll(5, generator=seeded(), device=0.5), TypeError, "device"),
        (lambda: gaussian_1d(5, generator=seeded(), dtype=torch.int64), TypeError, "dtype"),
        (lambda: eight_gaussians_centres(dtype="float32"), TypeError, "dtype"),
        (lambda: load_digits_dataset(size=32), ValueError, "size"),
        (lambda: load_digits_dataset(size=16.0), TypeError, "size"),
        (lambda: load_digits_dataset(split="test"), ValueError, "split"),
        (lambda: load_digits_dataset(device="nowhere"), ValueError, "device"),
        (lambda: load_digits_dataset(with_labels=1), TypeError, "with_labels"),
        (lambda: digits_split_indices("validation"), ValueError, "split"),
        (lambda: sample_rows(torch.zeros(3, 2), 0, generator=seeded()), ValueError, "n"),
        (lambda: sample_rows(torch.zeros(3, 2), 4, generator=1), TypeError, "generator"),
        (lambda: sample_rows([[0.0]], 4, generator=seeded()), TypeError, "data"),
        (lambda: sample_rows(torch.zeros(0, 2), 4, generator=seeded()), ValueError, "data"),
        (lambda: sample_rows(torch.tensor(1.0), 4, generator=seeded()), ValueError, "data"),
        (lambda: samples_per_mode(torch.zeros(3), POINTS, 1.0), ValueError, "samples"),
        (lambda: samples_per_mode(POINTS, torch.zeros(2, 3), 1.0), ValueError, "centres"),
        (lambda: samples_per_mode(POINTS, POINTS, 0.0), ValueError, "radius"),
        (lambda: count_covered_modes(POINTS, POINTS, -1.0), ValueError, "std"),
        (lambda: count_covered_modes(POINTS, POINTS, 1.0, min_count=0), ValueError, "min_count"),
        (
            lambda: count_covered_modes(POINTS, POINTS, 1.0, radius_in_std=0),
            ValueError,
            "radius_in_std",
        ),
    ],
)
def test_bad_input_raises_an_error_naming_the_argument(call, error, name):
    with pytest.raises(error, match=rf"\b{name}\b"):
        call()


@pytest.mark.parametrize(
    ("centres", "sampler"),
    [
        (eight_gaussians_centres, eight_gaussians),
        (twenty_five_gaussians_centres, twenty_five_gaussians),
    ],
)
def test_the_cached_layout_cannot_be_changed_through_what_callers_get(centres, sampler):
    """Writing into the centres or a sample a caller got changes neither the next ones.

    The unscaled layout is computed once and shared by every call.
    """
    first = centres(dtype=torch.float64).clone()
    before = sampler(50, generator=torch.Generator().manual_seed(3))
    centres(dtype=torch.float64).add_(1.0)
    centres().mul_(0.0)
    sampler(50, generator=torch.Generator().manual_seed(3)).zero_()
    assert torch.equal(centres(dtype=torch.float64), first)
    assert torch.equal(sampler(50, generator=torch.Generator().manual_seed(3)), before)
